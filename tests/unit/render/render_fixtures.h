#pragma once

// Topologies built in code for the render tests (independent of the YAML parser), and helpers to
// read the example files.

#include <string>

#include "planner/app_spec.h"
#include "planner/render.h"
#include "topology/model.h"

namespace ceph_planner::planner::testing {

// 3 hosts in 2 racks, mons on all, 1 mgr, one OSD group with explicit slots and a shared DB device,
// one RGW service with autoscale 2..3. `runtime` selects the template set.
topology::Topology smallTopology(topology::Runtime runtime);

// The app with `id`, or nullptr.
const AppSpec* findApp(const DesiredState& state, const std::string& id);

// The text of `path` relative to the repository root; aborts the test when unreadable.
std::string readRepoFile(const std::string& path);

}  // namespace ceph_planner::planner::testing
