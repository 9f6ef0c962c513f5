#pragma once

// The decisions of `ceph-planner rebalance`: from a snapshot of the cluster (Ceph's health, PG
// state, balancer, and Marathon's RGW tasks) and the topology, what ONE bounded step to take in
// each part, and why. Pure: no I/O and no clock. engine/rebalancer.h gathers the inputs and
// executes the decisions.
//
// Parts, in the order they are decided and executed:
// 1. RGW spread: at most one RGW task in the whole cluster is moved per run (killed WITHOUT
//    scaling; Marathon places the replacement under the app's constraints). Candidates, by
//    priority: a task whose agent is gone (state TASK_UNREACHABLE, TASK_LOST, TASK_UNKNOWN,
//    TASK_GONE, TASK_GONE_BY_OPERATOR or TASK_DROPPED on any app's task on that host), a task
//    Marathon reports unhealthy, a task on a host the placement no longer makes eligible, then an
//    uneven spread: the failure domain (`crush.failure_domain`, a `hosts[].location` key; `host`
//    = per host) with the most tasks has at least two more than a domain that still has a free
//    eligible host. A HEALTHY task is only moved when every task of the app runs and is healthy,
//    the app has at least two instances and no deployment: the service never loses its last
//    healthy instance to a rebalance.
// 2. Data balance: only when Ceph reports HEALTH_OK, every PG is active+clean, nothing recovers
//    or backfills, and the misplaced ratio is not above the bound. Then, with the mgr balancer:
//    nothing when it is already on in the wanted mode (the mgr balances by itself), else one
//    `optimize` + `execute` of a plan (setting the mode first when it differs). Without a usable
//    balancer: one `osd reweight-by-utilization` within `ReweightLimits`, when its dry run
//    (`osd test-reweight-by-utilization`) proposes changes.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "planner/app_spec.h"
#include "topology/model.h"

namespace ceph_planner::planner {

// What the data-balance decision needs from Ceph, in planner terms (the engine converts the
// `CephAdmin` answers; planner/ does not depend on ceph/).
struct CephHealthInput {
  std::string status;               // HEALTH_OK | HEALTH_WARN | HEALTH_ERR
  std::vector<std::string> checks;  // `CODE: summary`, sorted.
};

struct PgInput {
  int numPgs = 0;
  int activeClean = 0;
  std::map<std::string, int> pgsByState;
  double misplacedRatio = 0;
  bool recoveryOrBackfill = false;
};

struct BalancerInput {
  bool available = false;  // False: `balancer status` failed (no mgr, no module).
  std::string unavailableReason;
  bool active = false;
  std::string mode;
};

struct ReweightChange {
  int osd = -1;
  double oldWeight = 0;
  double newWeight = 0;
};

// The dry run of reweight-by-utilization; gathered only when the balancer is unavailable.
struct ReweightInput {
  bool available = false;
  std::string unavailableReason;
  double averageUtilization = 0;  // Percent.
  std::vector<ReweightChange> changes;
};

struct ReweightLimits {
  int overloadPercent = 120;
  double maxChange = 0.05;
  int maxOsds = 4;
};

struct CephInput {
  std::optional<CephHealthInput> health;  // Absent when the data-balance part is skipped.
  std::optional<PgInput> pgs;
  std::optional<BalancerInput> balancer;
  std::optional<ReweightInput> reweight;
};

// Settings taken from the topology (`policies`, `maintenance.balancer`) and the command line.
struct RebalanceSettings {
  bool skipRgwSpread = false;
  bool skipDataBalance = false;
  // min(`policies.max_misplaced_ratio`, `maintenance.balancer.max_misplaced` when given).
  double maxMisplacedRatio = 0.05;
  std::string balancerMode = "upmap";  // `maintenance.balancer.mode`; `none` = never balance.
  ReweightLimits reweight;
};

// The settings a topology implies (flags left at their defaults).
RebalanceSettings rebalanceSettings(const topology::Topology& topology);

enum class RebalancePart { RgwSpread, DataBalance };

enum class RebalanceAction {
  None,  // Nothing needed.
  Skip,  // Not safe or not wanted now; a normal outcome (exit 0).
  KillRgwTask,
  SetBalancerMode,        // Only `balancer mode` (the balancer is on and balances by itself).
  RunBalancer,            // [`balancer mode`], `balancer optimize PLAN`, `balancer execute PLAN`.
  ReweightByUtilization,  // `osd reweight-by-utilization` within `ReweightLimits`.
};

struct RebalanceDecision {
  RebalancePart part = RebalancePart::RgwSpread;
  RebalanceAction action = RebalanceAction::None;
  std::string subject;  // What it is about: an app id, or `ceph`.
  std::string reason;   // One line, lower-case, with the inputs it was decided on.
  // KillRgwTask:
  std::string appId;
  std::string taskId;
  std::string host;
  // SetBalancerMode / RunBalancer:
  std::string balancerMode;
  bool setMode = false;  // RunBalancer: the mode differs and is set first.
  // ReweightByUtilization:
  ReweightLimits reweight;
  std::vector<ReweightChange> reweightChanges;  // What the dry run proposed.

  bool changesSomething() const {
    return action != RebalanceAction::None && action != RebalanceAction::Skip;
  }
};

// Every decision, in execution order: one per RGW service (topology order), then one for data
// balance. At most one decision of each part changes something.
std::vector<RebalanceDecision> decideRebalance(const topology::Topology& topology,
                                               const ObservedState& observed, const CephInput& ceph,
                                               const RebalanceSettings& settings);

// One printable line: `rgw-spread /ceph/box/rgw/main: kill task 'x' on 'h' (reason)`.
std::string formatDecision(const RebalanceDecision& decision);

std::string_view rebalancePartName(RebalancePart part);   // `rgw-spread` | `data-balance`
std::string_view rebalanceActionName(RebalanceAction a);  // `none`, `skip`, `kill-task`, ...

}  // namespace ceph_planner::planner
