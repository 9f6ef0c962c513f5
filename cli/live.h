#pragma once

// The shared first half of `plan` (live) and `apply`: validate the file, read the stored topology's
// version, render, observe Marathon with one read, diff.

#include <iosfwd>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/loading.h"
#include "cli/wiring.h"
#include "planner/plan.h"

namespace ceph_planner::cli {

struct LiveOptions {
  CommonOptions common;
  MarathonOptions marathon;
  StoreOptions store;
  std::string file;
  std::optional<std::string> text = std::nullopt;  // The document itself; `file` only names it.
};

struct LivePlan {
  LoadedTopology loaded;
  store::TopologyStorePtr store;
  std::string storeDescription;
  int64_t storedVersion = 0;  // 0 = the cluster has no stored topology yet.
  std::string storedAuthor;
  bool topologyChanged = false;  // The file differs from the stored topology.
  marathon::MarathonApiPtr marathon;
  planner::DesiredState desired;
  planner::ObservedState observed;
  planner::Plan plan;
  bool monsObserved = false;
};

// Prints errors to `err`; nullopt on any failure.
std::optional<LivePlan> prepareLivePlan(const LiveOptions& options, std::ostream& err);

// `topology: store v7 → this file would be stored as v8` and similar, for the plan header.
std::string describeStoreChange(const LivePlan& live);

}  // namespace ceph_planner::cli
