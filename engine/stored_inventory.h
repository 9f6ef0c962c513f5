#pragma once

// Device inventories from the store (`inventory/<host>`, the text `ceph-planner inventory` put
// there: a `ceph-volume inventory --format json` report) for the hosts of a topology that have no
// inline `devices:`. Precedence: an inline `devices:` list (even an empty one) wins; otherwise the
// stored inventory; a host with neither has none (filters on it are a validation error, as before).
// Shared by the CLI (validate, render, plan, apply, status) and the daemon's reconciler, so every
// path from a topology to apps sees the same devices.

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "common/diagnostics.h"
#include "common/result.h"
#include "store/topology_store.h"
#include "topology/inventory.h"
#include "topology/model.h"
#include "topology/parse.h"

namespace ceph_planner::engine {

struct StoredInventory {
  topology::Inventory inventory;  // Hosts without inline devices that have a stored inventory.
  // One error per stored inventory that does not parse, on the host's path (`hosts[3]`), naming
  // the host and its `inventory/<host>` node. Such a host gets no inventory: a validation error,
  // never a silent "no devices" (which would plan its OSDs away).
  Diagnostics diagnostics;
};

// Parsed inventories by host, reused while a host's stored text is unchanged. For callers that load
// the same inventories again and again (the daemon, every pass): reading a report from ZooKeeper
// is cheap, parsing it is not (about 4 ms for a 14-device ceph-volume report, so 4 s per pass at
// 1,000 hosts). Keyed by the exact text, so a refreshed inventory is always parsed again. Not
// thread-safe: one per reconcile loop.
class InventoryParseCache {
 public:
  // The kept devices of `text` (see topology/ceph_volume_inventory.h); parse errors are not kept.
  Result<topology::HostInventory> parse(const std::string& host, const std::string& text);
  // Drops the entries of hosts not parsed since the last call (hosts that left, or got inline
  // devices), so the cache holds at most one text per current host.
  void dropUnused();
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string text;
    topology::HostInventory inventory;
    bool used = false;
  };
  std::map<std::string, Entry> entries_;
};

// Reads the stored inventories of `topology`'s hosts that have no inline `devices:` (one list call,
// then one read per such host that has an inventory), parsing through `cache` when given. Errors:
// the store's own (`Unavailable`, `Timeout`, ...), with context; `NotFound` never (an absent
// inventory is simply not there).
Result<StoredInventory> loadStoredInventory(store::TopologyStore& store,
                                            const topology::Topology& topology,
                                            InventoryParseCache* cache = nullptr);

struct TopologyWithInventory {
  // Diagnostics: those of the stored inventories first, then the document's.
  topology::ParsedTopology parsed;
  topology::Inventory inventory;  // What validation used; render with the same.
};

// Parses `yamlText`, reads the stored inventories of its cluster (when `store` is not null and the
// document names a cluster) and validates against them: `loadTopology` with the store's devices.
// Errors: only store failures; every problem with the document or an inventory is a diagnostic.
Result<TopologyWithInventory> loadTopologyWithStoredInventory(std::string_view yamlText,
                                                              store::TopologyStore* store,
                                                              InventoryParseCache* cache = nullptr);

}  // namespace ceph_planner::engine
