#pragma once

// Exec mode: tasks are real processes (helper X's `ProcessRunner`), health checks real probes.

#include <memory>
#include <string>

#include "sim/marathon/engine.h"

namespace ceph_planner::marathon_sim {

// Each task runs `cmd` under /bin/sh (or `args`) in `<sandboxRoot>/<taskId>` with the Marathon /
// Mesos environment (PORT0…, PORTS, PORT, PORT_<NAME>, HOST, LIBPROCESS_IP, MESOS_TASK_ID,
// MESOS_SANDBOX, MARATHON_APP_ID, MARATHON_APP_VERSION, MARATHON_APP_LABEL_<NAME>, then the app's
// env). Exit 0 → TASK_FINISHED, other exits → TASK_FAILED, after a kill → TASK_KILLED. A kill is
// SIGTERM, then SIGKILL after `taskKillGracePeriodSeconds` (real seconds). Probes run synchronously
// with their timeout capped at `kMaxProbeTimeout`.
std::unique_ptr<TaskDriver> makeExecDriver(const std::string& sandboxRoot);

inline constexpr std::chrono::milliseconds kMaxProbeTimeout{2000};

}  // namespace ceph_planner::marathon_sim
