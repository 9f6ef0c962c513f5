#pragma once

// Semantic validation of a parsed topology. Returns every problem (never just the first), each with
// its YAML path and the line:col taken from `Topology::positions`. Pure: no I/O.

#include "common/diagnostics.h"
#include "topology/inventory.h"
#include "topology/model.h"

namespace ceph_planner::topology {

// `inventory` supplies device lists and addresses for hosts that have no inline inventory (it comes
// from the store); it may be empty.
Diagnostics validateTopology(const Topology& topology, const Inventory& inventory = {});

}  // namespace ceph_planner::topology
