#include <algorithm>
#include <ostream>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/live.h"
#include "cli/loading.h"
#include "common/strings.h"
#include "planner/app_json.h"
#include "planner/diff.h"
#include "planner/format.h"

namespace ceph_planner::cli {
namespace {

// Keeps only the apps under `groupId`, so that a saved response for the root group (or any
// ancestor) can be given as well as one for the cluster's own group.
void keepGroup(planner::ObservedState& observed, const std::string& groupId) {
  std::string prefix = groupId + "/";
  auto outside = [&](const planner::ObservedApp& app) { return !startsWith(app.spec.id, prefix); };
  observed.apps.erase(std::remove_if(observed.apps.begin(), observed.apps.end(), outside),
                      observed.apps.end());
  observed.groupId = groupId;
}

}  // namespace

namespace {

int printPlan(const planner::Plan& plan, const PlanOptions& options, std::ostream& out) {
  if (options.output == "json") {
    out << planner::formatPlanJson(plan) << "\n";
  } else {
    planner::TextFormatOptions format;
    format.color = options.common.color;
    format.showUnchanged = options.showUnchanged;
    out << planner::formatPlanText(plan, format);
  }
  if (options.detailedExitcode && plan.hasChanges()) return kExitChanges;
  return kExitOk;
}

// Diff against a saved group JSON: no Marathon; the store only for inventories, when configured.
int planOffline(const PlanOptions& options, std::ostream& out, std::ostream& err) {
  bool storeOk = true;
  auto store = openConfiguredStore(options.store, err, &storeOk);
  if (!storeOk) return kExitError;
  auto loaded = loadTopologyFile(options.file, err, store ? store->store.get() : nullptr);
  if (!loaded) return kExitError;
  const topology::Topology* topology = &loaded->topology;
  auto desired = renderTopology(*topology, options.common, err, "0", loaded->inventory);
  if (!desired) return kExitError;

  auto observedText = readFile(options.observedFile);
  if (!observedText) {
    err << "error: " << observedText.error().message << "\n";
    return kExitError;
  }
  auto observed = planner::observedFromGroupJson(observedText.value());
  if (!observed) {
    err << "error: cannot read observed state from '" << options.observedFile
        << "': " << observed.error().message << "\n";
    return kExitError;
  }
  keepGroup(observed.value(), desired->groupId);
  planner::Plan plan =
      planner::diff(*desired, observed.value(), planner::DiffOptions{topology->cluster.name});
  return printPlan(plan, options, out);
}

}  // namespace

int runPlan(const PlanOptions& options, std::ostream& out, std::ostream& err) {
  if (options.output != "text" && options.output != "json") {
    err << "error: unknown output format '" << options.output << "' (use text or json)\n";
    return kExitError;
  }
  if (!options.observedFile.empty()) return planOffline(options, out, err);
  LiveOptions live{options.common, options.marathon, options.store, options.file};
  auto planned = prepareLivePlan(live, err);
  if (!planned) return kExitError;
  JobsContext jobs;
  if (!planJobsWave(options.chronos, options.marathon, options.store, planned->loaded.topology,
                    planned->plan, jobs, err)) {
    return kExitError;
  }
  err << describeStoreChange(*planned) << "\n";
  return printPlan(planned->plan, options, out);
}

}  // namespace ceph_planner::cli
