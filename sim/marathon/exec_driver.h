#pragma once

// Exec mode: tasks are real processes (helper X's `ProcessRunner`), health checks real probes.

#include <memory>
#include <string>

#include "sim/marathon/engine.h"

namespace ceph_planner::marathon_sim {

// Each task runs `cmd` under /bin/sh (or `args`) in `<sandboxRoot>/<taskId>` with the Marathon /
// Mesos environment (PORT0…, PORTS, PORT, PORT_<NAME>, HOST, LIBPROCESS_IP, MESOS_TASK_ID,
// MESOS_SANDBOX, MARATHON_APP_ID, MARATHON_APP_VERSION, MARATHON_APP_LABEL_<NAME>, then the app's
// env). The app's `fetch` URIs are fetched into the sandbox first (`fetcher.h`, on a worker
// thread; the task stays TASK_STAGING meanwhile); a failed fetch fails the task (TASK_FAILED, the
// reason in `lastTaskFailure`, the status event, the sandbox's stderr and the simulator's stderr).
// Exit 0 → TASK_FINISHED, other exits → TASK_FAILED, after a kill → TASK_KILLED. A kill is
// SIGTERM, then SIGKILL after `taskKillGracePeriodSeconds` (real seconds). Probes run synchronously
// with their timeout capped at `kMaxProbeTimeout`.
std::unique_ptr<TaskDriver> makeExecDriver(const std::string& sandboxRoot);

// Ten seconds: `ceph --admin-daemon` (the Ceph apps' COMMAND check) is a Python program that takes
// 0.3 s on an idle machine and more than 2 s on a loaded 2-core one. A probe blocks the engine
// thread for as long as it runs, so the simulator's API waits meanwhile.
inline constexpr std::chrono::milliseconds kMaxProbeTimeout{10000};

}  // namespace ceph_planner::marathon_sim
