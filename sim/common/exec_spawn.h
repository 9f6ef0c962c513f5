#pragma once

// Low-level process spawning shared by `ProcessRunner` (long-running tasks) and the command probe
// (short checks). Plain POSIX plus two glibc extensions (`posix_spawn` with `POSIX_SPAWN_SETSID`,
// `addclosefrom_np`); no third-party headers.
//
// Every child:
// - runs in a new session, so its pid is also its process-group id and `signalGroup(pid, …)`
// reaches
//   everything it forks (unless a grandchild starts its own session, as a double-forking daemon
//   does; such processes escape, which is why tasks must run in the foreground);
// - gets ONLY the environment built by `buildChildEnv` (nothing of the simulator's own
// environment);
// - inherits no descriptor of ours beyond 0, 1 and 2 (everything >= 3 is closed in the child, so
//   descriptors opened elsewhere in the simulator without `O_CLOEXEC` cannot leak either);
// - starts with an empty signal mask and default dispositions for every signal (a simulator that
//   ignores `SIGPIPE` must not pass that on).

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace ceph_planner::sim {

using EnvMap = std::map<std::string, std::string>;

// The `PATH` every child starts with (the caller's `env` may override it).
inline constexpr const char* kChildDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Minimal base environment (`PATH`, `HOME=<sandbox>`, `LANG=C.UTF-8`) overlaid with `extra`;
// a key in `extra` wins over the base. Keys must be non-empty and contain no `=`.
Result<EnvMap> buildChildEnv(const EnvMap& extra, const std::string& sandbox);

// What to run: exactly one of `shellCommand` (run as `/bin/sh -c <shellCommand>`) or `argv`
// (`argv[0]` is looked up in the child's `PATH` when it has no `/`; a relative path with a `/` is
// relative to `workDir`).
struct SpawnRequest {
  std::string shellCommand;
  std::vector<std::string> argv;
  EnvMap env;           // The complete environment, usually from `buildChildEnv`.
  std::string workDir;  // Must exist.
  // Where fds 1 and 2 go: a file opened with O_CREAT|O_APPEND (when `*Path` is set) or an
  // already-open descriptor of the caller (`*Fd` >= 0, dup'ed into place). Neither = /dev/null.
  // Standard input is always /dev/null.
  std::string stdoutPath;
  std::string stderrPath;
  int stdoutFd = -1;
  int stderrFd = -1;
};

// Starts the child as the leader of a new session. Errors: `InvalidInput` (neither or both of
// `shellCommand`/`argv`, executable not found, bad env), `Internal` (spawn failed, with errno
// text). The caller owns the child: it must reap it (`waitpid`), no one else does.
Result<pid_t> spawnInNewSession(const SpawnRequest& request);

// Sends `signal` to the process group led by `pgid`. Returns false when the group no longer exists.
bool signalGroup(pid_t pgid, int signal);

// A pidfd for `pid` (always close-on-exec) or -1 when the kernel lacks `pidfd_open`.
int openPidFd(pid_t pid);

// How a child ended, decoded from a wait status.
struct ExitStatus {
  bool signaled = false;  // True: killed by `signal`; false: exited with `exitCode`.
  int exitCode = -1;
  int signal = 0;

  // "exited with status 3" / "killed by signal 9 (SIGKILL)".
  std::string describe() const;
};

ExitStatus decodeWaitStatus(int status);

// Non-blocking check: if `pid` has exited, SIGKILLs whatever is left of its group (the zombie keeps
// the group id from being reused until it is reaped), reaps it and returns how it ended. `nullopt`
// while it still runs. A child reaped elsewhere (e.g. SIGCHLD set to SIG_IGN) is reported as exited
// with code -1.
std::optional<ExitStatus> reapIfExited(pid_t pid);

}  // namespace ceph_planner::sim
