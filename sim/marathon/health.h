#pragma once

// Health-check bookkeeping (API.md §3.6, §5.5): one result applied to one task's `HealthResult`,
// deciding whether Marathon (or the Mesos executor for COMMAND/MESOS_* checks) kills the task.

#include "sim/marathon/model.h"

namespace ceph_planner::marathon_sim {

enum class CheckOutcome { Healthy, Unhealthy, Ignored };

struct HealthUpdate {
  bool kill = false;
  bool recorded = false;  // False when the failure fell into the grace period.
};

// Applies `outcome` at `now` for a task running since `runningSince`.
// Marathon-level: failures are ignored before the first success while within the grace period;
// a failure kills when the count *before* it already reached maxConsecutiveFailures (> 0), so the
// kill happens on failure max+1; 0 never kills.
// Mesos-level: the executor kills once the count after the failure reaches the maximum (0 = first
// failure).
HealthUpdate applyHealthOutcome(const HealthCheckSpec& spec, HealthResult& r, CheckOutcome outcome,
                                const std::string& cause, TimePoint now, TimePoint runningSince);

// When the first check runs for a task that started running at `runningSince`.
TimePoint firstCheckAt(const HealthCheckSpec& spec, TimePoint runningSince);

// Launch delay after the `failures`-th consecutive failure: backoff × factor^(failures-1), capped.
double launchDelaySeconds(const AppParams& app, double previousDelay);

}  // namespace ceph_planner::marathon_sim
