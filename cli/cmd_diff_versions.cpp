// `ceph-planner diff-versions A B`: how two stored versions of a cluster's topology differ, both
// as text (a unified diff of the documents) and as what Marathon would see change (the rendered
// apps of A taken as the observed state, diffed against those of B by the planner's own diff).

#include <ostream>

#include "cli/cmd_stored.h"
#include "cli/cmd_unified_diff.h"
#include "cli/commands.h"
#include "cli/loading.h"
#include "planner/diff.h"
#include "planner/format.h"

namespace ceph_planner::cli {
namespace {

std::string label(const std::string& cluster, const store::TopologyRecord& record) {
  return cluster + " v" + std::to_string(record.version) + "\t" +
         formatTimestampMs(record.timestampMs) + " " + record.author;
}

// Both versions resolve device filters against today's stored inventories, so the diff shows what
// the topology change alone does.
std::optional<planner::DesiredState> renderStored(const store::TopologyRecord& record,
                                                  const CommonOptions& common, std::ostream& err,
                                                  store::TopologyStore& store) {
  auto loaded =
      validateTopologyText(record.yaml, "stored v" + std::to_string(record.version), err, &store);
  if (!loaded) return std::nullopt;
  return renderTopology(loaded->topology, common, err, std::to_string(record.version),
                        loaded->inventory);
}

// The apps of `before` as if Marathon ran them exactly as rendered.
planner::ObservedState asObserved(const planner::DesiredState& before) {
  planner::ObservedState observed;
  observed.groupId = before.groupId;
  observed.groupExists = !before.apps.empty();
  for (const auto& app : before.apps) observed.apps.push_back(planner::ObservedApp{app, {}});
  return observed;
}

}  // namespace

int runDiffVersions(const DiffVersionsOptions& options, std::ostream& out, std::ostream& err) {
  if (options.from <= 0 || options.to <= 0) {
    err << "error: diff-versions takes two version numbers, e.g. `diff-versions 3 5`\n";
    return kExitError;
  }
  auto stored = openStoredCluster(options.store, options.cluster, err);
  if (!stored) return kExitError;
  auto before = readStoredVersion(*stored, options.from, err);
  if (!before) return kExitError;
  auto after = readStoredVersion(*stored, options.to, err);
  if (!after) return kExitError;

  UnifiedDiff text = unifiedDiff(before->yaml, after->yaml,
                                 {label(stored->cluster, *before), label(stored->cluster, *after)});
  auto desiredBefore = renderStored(*before, options.common, err, *stored->store);
  if (!desiredBefore) return kExitError;
  auto desiredAfter = renderStored(*after, options.common, err, *stored->store);
  if (!desiredAfter) return kExitError;
  planner::Plan plan = planner::diff(*desiredAfter, asObserved(*desiredBefore),
                                     planner::DiffOptions{stored->cluster});

  out << "Topology v" << before->version << " → v" << after->version << ": ";
  if (text.text.empty()) {
    out << "the documents are identical.\n";
  } else {
    out << text.added << (text.added == 1 ? " line" : " lines") << " added, " << text.removed
        << " removed.\n"
        << text.text;
  }
  out << "\nMarathon apps, as v" << after->version << " would change a cluster running v"
      << before->version << ":\n";
  planner::TextFormatOptions format;
  format.color = options.common.color;
  out << planner::formatPlanText(plan, format);
  bool differs = !text.text.empty() || plan.hasChanges();
  return options.detailedExitcode && differs ? kExitChanges : kExitOk;
}

}  // namespace ceph_planner::cli
