#pragma once

// How `apply` orders a plan into steps, and which plans it refuses. Pure.
//
// Steps run one after another; each step is submitted, then waited for (deployment done, tasks
// healthy) before the next starts:
// - mon: a new cluster (no mon app observed) starts all mons in one step, because quorum needs a
//   majority at once; an existing cluster changes one mon per step.
// - mgr: new mgrs in one step; updated mgrs one per step.
// - osd: one step per failure domain (`ceph-planner/failure-domain`), in name order, so that at
//   most one failure domain restarts at a time.
// - rgw: one step.
// - deletions (only stateless roles are allowed: rgw, mgr) come last, rgw before mgr.

#include <string>
#include <vector>

#include "common/result.h"
#include "planner/plan.h"

namespace ceph_planner::planner {

struct ApplyStep {
  Wave wave = Wave::Mon;
  std::string name;                 // `mon`, `mon '/ceph/box/mon/a'`, `osd rack=r1`, `rgw`, ...
  std::vector<size_t> actionIndex;  // Into `Plan::actions`, in plan order.
};

// The steps for every non-unchanged action of `plan`. `monsObserved` is true when at least one mon
// app of the cluster already exists in Marathon (then mons change one at a time).
std::vector<ApplyStep> scheduleSteps(const Plan& plan, bool monsObserved);

// `InvalidInput` when `apply` must not execute `plan`: deleting a mon or an OSD app (stateful:
// their removal goes through the safe drain, not through apply). The message lists every such app.
Status checkApplicable(const Plan& plan);

}  // namespace ceph_planner::planner
