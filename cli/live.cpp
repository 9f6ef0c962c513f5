#include "cli/live.h"

#include <ostream>

#include "planner/diff.h"

namespace ceph_planner::cli {

std::optional<LivePlan> prepareLivePlan(const LiveOptions& options, std::ostream& err) {
  LivePlan live;
  // The store first: hosts without inline devices validate against their stored inventories.
  auto store = makeStore(options.store);
  if (!store) {
    err << "error: " << store.error().message << "\n";
    return std::nullopt;
  }
  live.store = std::move(store->store);
  live.storeDescription = store->description;
  auto loaded = options.text
                    ? validateTopologyText(*options.text, options.file, err, live.store.get())
                    : loadTopologyFile(options.file, err, live.store.get());
  if (!loaded) return std::nullopt;
  live.loaded = std::move(*loaded);
  const std::string& cluster = live.loaded.topology.cluster.name;
  auto stored = live.store->getTopology(cluster);
  if (stored) {
    live.storedVersion = stored->version;
    live.storedAuthor = stored->author;
    live.topologyChanged = stored->yaml != live.loaded.text;
  } else if (stored.error().code == ErrorCode::NotFound) {
    live.topologyChanged = true;
  } else {
    err << "error: cannot read the stored topology of cluster '" << cluster
        << "': " << stored.error().message << "\n";
    return std::nullopt;
  }

  auto marathon = makeMarathon(options.marathon, &live.loaded.topology);
  if (!marathon) {
    err << "error: " << marathon.error().message << "\n";
    return std::nullopt;
  }
  live.marathon = std::move(marathon).value();

  int64_t version = live.storedVersion + (live.topologyChanged ? 1 : 0);
  auto desired = renderTopology(live.loaded.topology, options.common, err, std::to_string(version),
                                live.loaded.inventory);
  if (!desired) return std::nullopt;
  live.desired = std::move(*desired);

  auto observed = live.marathon->getGroup(live.desired.groupId);
  if (!observed) {
    err << "error: cannot read group '" << live.desired.groupId
        << "' from Marathon: " << observed.error().message << "\n";
    return std::nullopt;
  }
  live.observed = std::move(observed).value();
  for (const auto& app : live.observed.apps) {
    auto identity = planner::identityFromLabels(app.spec);
    if (identity && identity->role == planner::Role::Mon) live.monsObserved = true;
  }
  live.plan = planner::diff(live.desired, live.observed, planner::DiffOptions{cluster});
  return live;
}

std::string describeStoreChange(const LivePlan& live) {
  if (live.storedVersion == 0) return "topology: new cluster; the file will be stored as v1";
  if (!live.topologyChanged) {
    return "topology: the file matches the stored v" + std::to_string(live.storedVersion);
  }
  return "topology: stored v" + std::to_string(live.storedVersion) + " (by " + live.storedAuthor +
         "); the file differs and will be stored as v" + std::to_string(live.storedVersion + 1);
}

}  // namespace ceph_planner::cli
