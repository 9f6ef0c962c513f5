#include "engine/stored_inventory.h"

#include <iterator>
#include <set>
#include <string>

#include "common/strings.h"
#include "topology/ceph_volume_inventory.h"

namespace ceph_planner::engine {
namespace {

Result<topology::HostInventory> parseInventory(const std::string& text) {
  auto parsed = topology::parseCephVolumeInventory(text);
  if (!parsed) return parsed.error();
  return std::move(parsed->inventory);
}

}  // namespace

Result<topology::HostInventory> InventoryParseCache::parse(const std::string& host,
                                                           const std::string& text) {
  auto it = entries_.find(host);
  if (it != entries_.end() && it->second.text == text) {
    it->second.used = true;
    return it->second.inventory;
  }
  auto parsed = topology::parseCephVolumeInventory(text);
  if (!parsed) {
    if (it != entries_.end()) entries_.erase(it);
    return parsed.error();
  }
  entries_[host] = Entry{text, parsed->inventory, true};
  return std::move(parsed->inventory);
}

void InventoryParseCache::dropUnused() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->second.used) {
      it = entries_.erase(it);
    } else {
      it->second.used = false;
      ++it;
    }
  }
}

Result<StoredInventory> loadStoredInventory(store::TopologyStore& store,
                                            const topology::Topology& topology,
                                            InventoryParseCache* cache) {
  StoredInventory out;
  const std::string& cluster = topology.cluster.name;
  bool anyWithout = false;
  for (const auto& host : topology.hosts) anyWithout |= !host.hasInventory;
  // A cluster name the store cannot hold is the document's problem (validation reports it).
  if (!store::isValidStoreName(cluster) || !anyWithout) {
    if (cache != nullptr) cache->dropUnused();
    return out;
  }

  auto listed = store.listInventoryHosts(cluster);
  if (!listed) {
    return listed.error().withContext("cannot list the stored inventories of cluster " +
                                      quoted(cluster));
  }
  const std::set<std::string> stored(listed->begin(), listed->end());
  for (size_t i = 0; i < topology.hosts.size(); ++i) {
    const topology::Host& host = topology.hosts[i];
    if (host.hasInventory || stored.count(host.name) == 0 || out.inventory.count(host.name) > 0) {
      continue;
    }
    auto text = store.getInventory(cluster, host.name);
    if (!text) {
      if (text.error().code == ErrorCode::NotFound) continue;  // Removed since the listing.
      return text.error().withContext("cannot read the stored inventory of host " +
                                      quoted(host.name));
    }
    Result<topology::HostInventory> parsed =
        cache != nullptr ? cache->parse(host.name, *text) : parseInventory(*text);
    if (!parsed) {
      Diagnostic d;
      d.path = "hosts[" + std::to_string(i) + "]";
      auto position = topology.positions.find(d.path);
      if (position != topology.positions.end()) {
        d.line = position->second.line;
        d.col = position->second.col;
      }
      d.message = "the stored inventory " + quoted("inventory/" + host.name) + " of host " +
                  quoted(host.name) + " is invalid (re-run `ceph-planner inventory --host " +
                  host.name + "`): " + parsed.error().message;
      out.diagnostics.push_back(std::move(d));
      continue;
    }
    out.inventory[host.name] = std::move(parsed).value();
  }
  if (cache != nullptr) cache->dropUnused();
  return out;
}

Result<TopologyWithInventory> loadTopologyWithStoredInventory(std::string_view yamlText,
                                                              store::TopologyStore* store,
                                                              InventoryParseCache* cache) {
  TopologyWithInventory out;
  topology::ParsedTopology parsed = topology::parseTopology(yamlText);
  Diagnostics inventoryProblems;
  if (store != nullptr) {
    auto stored = loadStoredInventory(*store, parsed.topology, cache);
    if (!stored) return stored.error();
    out.inventory = std::move(stored->inventory);
    inventoryProblems = std::move(stored->diagnostics);
  }
  out.parsed = topology::validateParsed(std::move(parsed), out.inventory);
  // First: a corrupt inventory is the cause of the "host has none" findings that follow it, and a
  // caller that reports only the first error (the reconciler) must name the inventory.
  out.parsed.diagnostics.insert(out.parsed.diagnostics.begin(),
                                std::make_move_iterator(inventoryProblems.begin()),
                                std::make_move_iterator(inventoryProblems.end()));
  return out;
}

}  // namespace ceph_planner::engine
