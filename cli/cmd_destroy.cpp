#include <ostream>
#include <thread>

#include "cli/commands.h"
#include "cli/loading.h"
#include "cli/wiring.h"
#include "engine/applier.h"
#include "planner/diff.h"

namespace ceph_planner::cli {

int runDestroy(const DestroyOptions& options, std::ostream& out, std::ostream& err) {
  std::string cluster = options.cluster;
  std::string groupId = cluster.empty() ? "" : "/ceph/" + cluster;
  std::optional<topology::Topology> topology;
  if (!options.file.empty()) {
    topology = loadValidTopology(options.file, err);
    if (!topology) return kExitError;
    cluster = topology->cluster.name;
    groupId = topology->cluster.marathonGroup.empty() ? "/ceph/" + cluster
                                                      : topology->cluster.marathonGroup;
  }
  if (cluster.empty()) {
    err << "error: destroy needs a topology FILE or --cluster NAME\n";
    return kExitError;
  }
  if (!options.reallyMeanIt) {
    err << "error: destroy stops every Ceph daemon of cluster '" << cluster
        << "' (the data on disk stays); re-run with --yes-i-really-mean-it\n";
    return kExitError;
  }
  auto marathon = makeMarathon(options.marathon, topology ? &*topology : nullptr);
  if (!marathon) {
    err << "error: " << marathon.error().message << "\n";
    return kExitError;
  }
  auto& api = *marathon.value();
  auto observed = api.getGroup(groupId);
  if (!observed) {
    err << "error: cannot read group '" << groupId << "': " << observed.error().message << "\n";
    return kExitError;
  }
  std::vector<std::string> owned;
  for (const auto& app : observed->apps) {
    const auto* managed = planner::findKeyValue(app.spec.labels, planner::kLabelManaged);
    const auto* owner = planner::findKeyValue(app.spec.labels, planner::kLabelCluster);
    if (managed && *managed == "true" && owner && *owner == cluster) {
      owned.push_back(app.spec.id);
    } else {
      err << "leaving app '" << app.spec.id << "' alone: it is not managed by ceph-planner for "
          << "cluster '" << cluster << "'\n";
    }
  }
  std::vector<std::string> deployments;
  for (const auto& id : owned) {
    auto deleted = api.deleteApp(id, /*force=*/true);
    if (!deleted && deleted.error().code != ErrorCode::NotFound) {
      err << "error: cannot delete app '" << id << "': " << deleted.error().message << "\n";
      return kExitError;
    }
    if (deleted) deployments.push_back(deleted->deploymentId);
    err << "deleting '" << id << "'\n";
  }
  // Wait until Marathon has stopped them all.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeoutSeconds);
  while (!deployments.empty()) {
    auto running = api.listDeployments();
    if (running) {
      std::vector<std::string> open;
      for (const auto& d : running.value()) {
        for (const auto& id : deployments) {
          if (d.id == id) open.push_back(id);
        }
      }
      deployments = open;
      if (deployments.empty()) break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      err << "error: Marathon is still stopping apps of cluster '" << cluster << "' after "
          << options.timeoutSeconds << "s (deployments still open)\n";
      return kExitError;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  out << "Destroyed " << owned.size() << " apps of cluster '" << cluster << "'.\n";
  return kExitOk;
}

}  // namespace ceph_planner::cli
