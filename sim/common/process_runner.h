#pragma once

// `ProcessRunner`: runs the simulators' tasks (marathon-sim `--exec`) and jobs (a Chronos
// simulator) as real local processes, the way a Mesos agent's command executor would.
//
// Contract, per launched process:
// - Runs `/bin/sh -c <shellCommand>` or `argv` (exactly one) with its working directory set to the
//   sandbox, which is created (with parents) if missing.
// - Environment: ONLY `PATH`, `HOME=<sandbox>`, `LANG=C.UTF-8`, then `HOST`/`LIBPROCESS_IP` from
//   `bindAddress` (if set), then `env` (which wins on every key). Nothing of the simulator's own
//   environment leaks in. The caller supplies the Marathon/Mesos variables (`PORT0`, `PORTS`,
//   `MESOS_TASK_ID`, `MESOS_SANDBOX`, …); the runner does not invent them.
// - stdout/stderr are appended to the files `stdout` and `stderr` in the sandbox (as in Mesos);
//   stdin is /dev/null. No descriptor of the simulator leaks into the child.
// - Runs in its own session and process group, so signals reach everything it forks. When the main
//   process exits, whatever is left of its group is SIGKILLed (Mesos destroys the container when
//   the task ends). A grandchild that calls setsid() itself (a double-forking daemon) escapes: run
//   daemons in the foreground (e.g. `ceph-osd -f`).
//
// Threading: every method is thread-safe. A private reaper thread detects exits (pidfd + poll) and
// escalates kills; exits are delivered either to the callback given at construction (on the reaper
// thread, one at a time, with no lock held, so the callback may call `launch`/`kill` but never
// `shutdown`; keep it short: kill deadlines are not enforced while it runs) or, without a callback,
// queued for `poll()` (call it regularly; the queue is not bounded). Either way `waitForExit`
// works.
//
// The runner never calls `waitpid(-1)`: it reaps only its own children, so other code of the
// simulator may run its own. Do not set SIGCHLD to SIG_IGN in the simulator (the kernel would then
// reap the children itself and their exit statuses would be lost; they are reported as code -1).

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "sim/common/exec_spawn.h"

namespace ceph_planner::sim {

struct LaunchSpec {
  std::string id;                 // Unique among running processes (a Mesos task id, a job run id).
  std::string shellCommand;       // Run under `/bin/sh -c` (Marathon `cmd`, Chronos `shell: true`).
  std::vector<std::string> argv;  // Or run directly (Marathon `args`, Chronos `shell: false`).
  EnvMap env;                     // Added to the minimal base environment; wins over it.
  std::string sandboxDir;         // Working directory and home; created if missing. Required.
  // The agent's address (127.0.0.x). When non-empty, exported as `HOST` and `LIBPROCESS_IP` unless
  // `env` sets them. The runner binds nothing itself: daemons read these variables.
  std::string bindAddress;
};

// What `launch` started.
struct LaunchedProcess {
  pid_t pid = -1;  // Also the process-group id.
  std::string sandboxDir;
  std::string stdoutPath;  // <sandbox>/stdout
  std::string stderrPath;  // <sandbox>/stderr
};

// How a launched process ended.
struct ProcessExit {
  std::string id;
  pid_t pid = -1;
  ExitStatus status;           // Exit code, or the signal that killed it.
  bool killRequested = false;  // `kill` or `shutdown` was called for it before it exited.
  bool sigkillSent = false;    // The grace period ran out and the runner sent SIGKILL.
  Clock::TimePoint startedAt{};
  Clock::TimePoint exitedAt{};

  // True for "exited with status 0" (Mesos TASK_FINISHED; anything else is TASK_FAILED/KILLED).
  bool succeeded() const { return !status.signaled && status.exitCode == 0; }
  // "process 'id' (pid N) exited with status 3" and the like, for logs and `lastTaskFailure`.
  std::string describe() const;
};

using ExitCallback = std::function<void(const ProcessExit&)>;

class ProcessRunner {
 public:
  // `onExit` (optional): see the threading notes above.
  explicit ProcessRunner(ExitCallback onExit = {});
  // Calls `shutdown(kDestructorGrace)`.
  ~ProcessRunner();
  ProcessRunner(const ProcessRunner&) = delete;
  ProcessRunner& operator=(const ProcessRunner&) = delete;

  static constexpr std::chrono::milliseconds kDestructorGrace{1000};

  // Starts a process. Errors (messages name the id): `InvalidInput` (empty id or sandbox, neither
  // or both of command/argv, bad env name, executable not found), `Conflict` (a process with this
  // id is still running), `Unavailable` (after `shutdown`), `Internal` (the sandbox or the output
  // files cannot be created, spawn failed). Relaunching an id whose process has exited is allowed
  // and replaces its exit record.
  Result<LaunchedProcess> launch(const LaunchSpec& spec);

  // Asks a process to stop: SIGTERM to its group now, SIGKILL to the group once `grace` has passed
  // if it is still running (zero grace = SIGKILL right away). Does not wait; the exit is reported
  // as usual. Idempotent: killing an exited process or killing twice is ok (a second call may only
  // shorten the deadline). Errors: `NotFound` for an id never launched (or forgotten).
  Status kill(const std::string& id, std::chrono::milliseconds grace);

  // True while the process runs (has not been reaped).
  bool running(const std::string& id) const;
  // The pid (= group id) of a running process; `NotFound` otherwise.
  Result<pid_t> pid(const std::string& id) const;
  // Ids of the running processes, sorted.
  std::vector<std::string> runningIds() const;

  // Without an exit callback: returns the exits since the last call, oldest first (with a
  // callback: always empty).
  std::vector<ProcessExit> poll();

  // Blocks until the process has exited (returns at once if it already has) or `timeout` passes
  // (`Timeout`). `NotFound` for an unknown id. Exit records are kept until relaunch or `forget`
  // (at most `kMaxExitRecords`, oldest dropped first).
  Result<ProcessExit> waitForExit(const std::string& id, std::chrono::milliseconds timeout);
  static constexpr size_t kMaxExitRecords = 4096;

  // Drops the exit record of an exited process (no-op otherwise).
  void forget(const std::string& id);

  // Stops everything: refuses new launches, SIGTERMs every group, SIGKILLs what is left after
  // `grace`, waits until every process is reaped and the reaper thread has ended (pending exits
  // are still delivered). Idempotent. Used when the simulator receives SIGTERM.
  void shutdown(std::chrono::milliseconds grace);

 private:
  struct Entry {
    std::string id;
    pid_t pid = -1;
    int pidFd = -1;
    bool running = true;
    bool killRequested = false;
    bool sigkillSent = false;
    std::optional<std::chrono::steady_clock::time_point> sigkillAt;
    Clock::TimePoint startedAt{};
    std::optional<ProcessExit> exit;
  };

  void reaperLoop();
  void wakeReaper();
  // Under `mu_`: reaps exited processes and escalates due kills; returns the new exits.
  std::vector<ProcessExit> collectLocked(std::chrono::steady_clock::time_point now);
  // Under `mu_`: milliseconds until the next SIGKILL deadline (-1 = none), capped by the fallback
  // tick when some process has no pidfd.
  int pollTimeoutLocked(std::chrono::steady_clock::time_point now) const;
  void requestKillLocked(Entry& entry, std::chrono::milliseconds grace);
  void recordExitLocked(const std::string& id);
  void forgetLocked(const std::string& id);

  const ExitCallback onExit_;
  std::mutex shutdownMu_;  // Serialises `shutdown` calls (join once).
  mutable std::mutex mu_;
  std::condition_variable changed_;  // Signalled whenever a process exits.
  std::map<std::string, Entry> entries_;
  std::deque<std::string> exitOrder_;  // Ids with exit records, oldest first.
  std::vector<ProcessExit> pending_;   // Undelivered exits (no-callback mode).
  bool stopping_ = false;
  bool reaperDone_ = false;
  int wakeFd_ = -1;  // eventfd the reaper polls besides the pidfds.
  std::thread reaper_;
};

}  // namespace ceph_planner::sim
