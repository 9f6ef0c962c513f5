#pragma once

#include <map>
#include <string>
#include <vector>

#include "topology/model.h"

namespace ceph_planner::topology {

// What a host reported about itself (e.g. `ceph-volume inventory --format json` plus its
// addresses), kept in the store under `inventory/<host>`. An inline `hosts[].devices` wins.
struct HostInventory {
  std::vector<Device> devices;
  std::vector<std::string> addresses;
};

using Inventory = std::map<std::string, HostInventory>;  // By host name.

}  // namespace ceph_planner::topology
