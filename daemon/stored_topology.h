#pragma once

// The stored topology as the daemon's request handlers read it (RGW flex, bootstrap files):
// validated against the stored device inventories exactly as the reconciler validates it, so a
// topology whose OSD filters resolve only against `inventory/<host>` is as valid for a handler as
// it is for a pass, and the handler renders the same apps the reconciler deploys.

#include <string>

#include "common/result.h"
#include "engine/stored_inventory.h"
#include "store/topology_store.h"
#include "topology/inventory.h"
#include "topology/model.h"

namespace ceph_planner::daemon {

struct StoredTopology {
  topology::Topology topology;
  topology::Inventory inventory;  // What validation used; render with the same.
};

// Reads `cluster`'s current topology and its stored inventories (parsed through `cache` when
// given; the cache is not thread-safe, so callers serialise on it). Errors: the store's own, with
// context; `Internal` naming the first validation error when the stored document is invalid
// (the store only accepts valid topologies, so that means an inventory went bad or the rules
// changed).
Result<StoredTopology> loadStoredTopology(store::TopologyStore& store, const std::string& cluster,
                                          engine::InventoryParseCache* cache = nullptr);

}  // namespace ceph_planner::daemon
