// `ceph-planner rebalance`: one bounded, safe maintenance step (what the Chronos job runs). See
// engine/rebalancer.h for the step and planner/rebalance.h for the decisions; docs/rebalance.md.
// Exit: 0 = a step was taken, nothing was needed, or a safe skip; 1 = a real error.

#include <ostream>

#include "ceph/cli_ceph_admin.h"
#include "cli/commands.h"
#include "cli/loading.h"
#include "cli/wiring.h"
#include "engine/rebalancer.h"

namespace ceph_planner::cli {
namespace {

// The topology: the file, or the stored topology of `cluster` (the only one when empty).
std::optional<LoadedTopology> rebalanceTopology(const RebalanceCommandOptions& options,
                                                std::ostream& err) {
  if (!options.file.empty()) return loadTopologyFile(options.file, err);
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
      err << "error: " << (clusters->empty() ? "no cluster is" : "several clusters are")
          << " stored in " << store->description << "; pass a topology FILE or --cluster NAME\n";
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

}  // namespace

int runRebalance(const RebalanceCommandOptions& options, std::ostream& out, std::ostream& err) {
  auto loaded = rebalanceTopology(options, err);
  if (!loaded) return kExitError;
  const topology::Topology& topology = loaded->topology;

  engine::RebalanceRunOptions run;
  run.settings = planner::rebalanceSettings(topology);
  run.settings.skipRgwSpread = options.skipRgwSpread;
  run.settings.skipDataBalance = options.skipDataBalance;
  run.settings.reweight = {options.reweightOverloadPercent, options.reweightMaxChange,
                           options.reweightMaxOsds};
  run.dryRun = options.dryRun;
  run.rgwWaitTimeout = std::chrono::seconds(options.rgwWaitSeconds);

  marathon::MarathonApiPtr marathon;
  if (!options.skipRgwSpread && !topology.rgw.empty()) {
    auto made = makeMarathon(options.marathon, &topology);
    if (!made) {
      err << "error: " << made.error().message << "\n";
      return kExitError;
    }
    marathon = std::move(made).value();
  }
  ceph::CliCephAdminOptions cephOptions;
  cephOptions.binary = options.cephBinary;
  cephOptions.conf = options.cephConf;
  cephOptions.name = options.cephName;
  cephOptions.keyring = options.cephKeyring;
  cephOptions.timeout = std::chrono::seconds(options.cephTimeoutSeconds);
  ceph::CliCephAdmin cephAdmin(cephOptions, ceph::makeProcessCommandRunner());

  if (options.dryRun) out << "dry run: nothing will be changed\n";
  ClockPtr clock = systemClock();
  engine::Rebalancer rebalancer(
      marathon.get(), cephAdmin, *clock,
      [&out](const std::string& line) { out << line << "\n"
                                            << std::flush; }, run);
  auto outcome = rebalancer.run(topology);
  if (!outcome) {
    err << "error: rebalance of cluster '" << topology.cluster.name
        << "' failed: " << outcome.error().message << "\n";
    return kExitError;
  }
  return kExitOk;
}

}  // namespace ceph_planner::cli
