#pragma once

// Topology → DesiredState: the group tree and one Marathon app per daemon (DESIGN.md §4).
// Pure and deterministic: the same inputs always give byte-identical apps, sorted by id.

#include <string>

#include "common/result.h"
#include "planner/app_spec.h"
#include "planner/templates.h"
#include "topology/inventory.h"
#include "topology/model.h"

namespace ceph_planner::planner {

struct RenderOptions {
  // Value of the `ceph-planner/topology-version` label (the store's version; "0" offline).
  std::string topologyVersion = "0";
  // Base URL of the planner daemon's file server, from which tasks fetch ceph.conf and their
  // keyring.
  std::string bootstrapUrl = "http://ceph-planner.marathon.mesos:8888";
};

// Renders every app. The topology must have passed validation; an input that still cannot be
// rendered (e.g. a template placeholder with no value) is an `InvalidInput` error naming the app.
Result<DesiredState> render(const topology::Topology& topology, const TemplateSet& templates,
                            const topology::Inventory& inventory = {},
                            const RenderOptions& options = {});

// `/ceph/<cluster>` unless `cluster.marathon.group` overrides it.
std::string clusterGroupId(const topology::Topology& topology);

}  // namespace ceph_planner::planner
