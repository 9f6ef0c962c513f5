#include "daemon/stored_topology.h"

#include <utility>

namespace ceph_planner::daemon {

Result<StoredTopology> loadStoredTopology(store::TopologyStore& store, const std::string& cluster,
                                          engine::InventoryParseCache* cache) {
  auto record = store.getTopology(cluster);
  if (!record) return record.error();
  auto loaded = engine::loadTopologyWithStoredInventory(record->yaml, &store, cache);
  if (!loaded) {
    return loaded.error().withContext("read the stored inventories of cluster '" + cluster + "'");
  }
  for (const auto& d : loaded->parsed.diagnostics) {
    if (d.severity == Severity::Error) {
      return makeError(ErrorCode::Internal, "the stored topology (v" +
                                                std::to_string(record->version) +
                                                ") is invalid: " + d.toString());
    }
  }
  return StoredTopology{std::move(loaded->parsed.topology), std::move(loaded->inventory)};
}

}  // namespace ceph_planner::daemon
