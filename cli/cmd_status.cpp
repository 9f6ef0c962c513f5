#include <ostream>

#include "cli/commands.h"
#include "cli/loading.h"
#include "cli/wiring.h"
#include "daemon/conditions.h"
#include "planner/diff.h"
#include "planner/status.h"

namespace ceph_planner::cli {
namespace {

// The topology to report on: the file, or the stored topology of the (only) cluster.
std::optional<LoadedTopology> statusTopology(const StatusOptions& options, std::ostream& err) {
  if (!options.file.empty()) {
    bool storeOk = true;
    auto configured = openConfiguredStore(options.store, err, &storeOk);
    if (!storeOk) return std::nullopt;
    return loadTopologyFile(options.file, err, configured ? configured->store.get() : nullptr);
  }
  auto store = makeStore(options.store);
  if (!store) {
    err << "error: " << store.error().message << "\n";
    return std::nullopt;
  }
  std::string cluster = options.cluster;
  if (cluster.empty()) {
    auto clusters = store->store->listClusters();
    if (!clusters) {
      err << "error: cannot list clusters: " << clusters.error().message << "\n";
      return std::nullopt;
    }
    if (clusters->size() != 1) {
      err << "error: "
          << (clusters->empty() ? "no cluster is stored in " : "several clusters are stored in ")
          << store->description << "; pass a topology FILE or --cluster NAME\n";
      return std::nullopt;
    }
    cluster = clusters->front();
  }
  auto record = store->store->getTopology(cluster);
  if (!record) {
    err << "error: cannot read the topology of cluster '" << cluster
        << "': " << record.error().message << "\n";
    return std::nullopt;
  }
  return validateTopologyText(record->yaml, "stored v" + std::to_string(record->version), err,
                              store->store.get());
}

// The conditions the daemon last wrote to the store ("" when none were written).
std::string storedConditions(const StoreOptions& storeOptions, const std::string& cluster) {
  auto store = makeStore(storeOptions);
  if (!store) return "";
  auto blob = store->store->getStatus(cluster);
  if (!blob) return "";
  auto record = daemon::decodeStatusRecord(*blob);
  if (!record) return "";
  return "\n" +
         daemon::formatConditionsText(*record, systemClock()->now().time_since_epoch().count());
}

}  // namespace

int runStatus(const StatusOptions& options, std::ostream& out, std::ostream& err) {
  if (options.output != "text" && options.output != "json") {
    err << "error: unknown output format '" << options.output << "' (use text or json)\n";
    return kExitError;
  }
  auto loaded = statusTopology(options, err);
  if (!loaded) return kExitError;
  auto desired = renderTopology(loaded->topology, options.common, err, "0", loaded->inventory);
  if (!desired) return kExitError;
  auto marathon = makeMarathon(options.marathon, &loaded->topology);
  if (!marathon) {
    err << "error: " << marathon.error().message << "\n";
    return kExitError;
  }
  auto observed = marathon.value()->getGroup(desired->groupId);
  if (!observed) {
    err << "error: cannot read group '" << desired->groupId
        << "' from Marathon: " << observed.error().message << "\n";
    return kExitError;
  }
  auto plan = planner::diff(*desired, observed.value(), {loaded->topology.cluster.name});
  auto report = planner::buildStatus(*desired, observed.value(), plan);
  out << (options.output == "json" ? planner::formatStatusJson(report) + "\n"
                                   : planner::formatStatusText(report));
  // The maintenance jobs (text output only): schedule, last success/error, counts.
  if (options.output != "json") printJobsStatus(options.chronos, loaded->topology, out, err);
  // Stored-cluster mode also shows the daemon's conditions (text output only).
  if (options.file.empty() && options.output != "json") {
    out << storedConditions(options.store, loaded->topology.cluster.name);
  }
  return report.degraded ? kExitDegraded : kExitOk;
}

}  // namespace ceph_planner::cli
