#pragma once

// Executes one `ceph-planner rebalance` run: observes Marathon (the cluster's group) and Ceph
// (health, PG state, the balancer, and only when the balancer is unusable the reweight dry run),
// asks planner/rebalance.h for the decisions, prints each one, and carries out the ones that
// change something (none with `dryRun`):
// - kill one RGW task WITHOUT scale, then wait (bounded by `rgwWaitTimeout`) until the app is
//   complete again: no deployment, `instances` tasks running, all healthy, the killed one gone;
// - set the balancer mode, or [set the mode,] `balancer optimize` + `balancer execute` one plan
//   (nothing is executed when Ceph finds no optimization);
// - `osd reweight-by-utilization` within the limits.
// A decision to skip is a normal outcome. Errors are only real failures: Marathon or Ceph could
// not be read, a write failed, or the moved RGW task was not replaced healthy in time.
//
// Over interfaces only (MarathonApi, CephAdmin, Clock): tests drive it with FakeMarathon,
// FakeCephAdmin and a ManualClock.

#include <functional>
#include <string>
#include <vector>

#include "ceph/ceph_admin.h"
#include "common/clock.h"
#include "common/result.h"
#include "marathon_client/marathon_api.h"
#include "planner/rebalance.h"
#include "topology/model.h"

namespace ceph_planner::engine {

struct RebalanceRunOptions {
  planner::RebalanceSettings settings;
  bool dryRun = false;
  Clock::Duration rgwWaitTimeout{std::chrono::minutes(5)};
  Clock::Duration pollInterval{std::chrono::seconds(2)};
  // The balancer plan's name (`ceph balancer optimize NAME`); execute drops it again.
  std::string balancerPlan = "ceph-planner-rebalance";
};

struct RebalanceOutcome {
  std::vector<planner::RebalanceDecision> decisions;
  int marathonWrites = 0;
  int cephWrites = 0;
  int stepsTaken = 0;  // Decisions carried out that changed something.
};

// Receives every output line (decisions, then what was done).
using LinePrinter = std::function<void(const std::string&)>;

class Rebalancer {
 public:
  // `marathon` may be null when the RGW part cannot run (skipped by flag, or the topology has no
  // RGW service): then the run never touches Marathon.
  Rebalancer(marathon::MarathonApi* marathon, ceph::CephAdmin& ceph, Clock& clock,
             LinePrinter print, RebalanceRunOptions options);

  Result<RebalanceOutcome> run(const topology::Topology& topology);

 private:
  Result<planner::CephInput> observeCeph();
  Status execute(const planner::RebalanceDecision& decision, RebalanceOutcome& outcome);
  Status moveRgwTask(const planner::RebalanceDecision& decision, RebalanceOutcome& outcome);
  Status runBalancer(const planner::RebalanceDecision& decision, RebalanceOutcome& outcome);
  Status reweightByUtilization(const planner::RebalanceDecision& decision,
                               RebalanceOutcome& outcome);

  marathon::MarathonApi* marathon_;
  ceph::CephAdmin& ceph_;
  Clock& clock_;
  LinePrinter print_;
  RebalanceRunOptions options_;
  std::string groupId_;
};

// Conversions of `CephAdmin` answers into the planner's inputs (exposed for tests).
planner::CephHealthInput toHealthInput(const ceph::HealthReport& report);
planner::PgInput toPgInput(const ceph::PgStat& stat);

}  // namespace ceph_planner::engine
