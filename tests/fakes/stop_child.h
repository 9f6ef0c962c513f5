#pragma once

// Test helper: ends a child process the tests started, and reaps it. Every harness that forks a
// server (ZooKeeper, the simulators, daemons, CLI runs) stops it the same way: a polite signal
// first, so the process can leave its election or flush its log, and SIGKILL once `grace` is up,
// so a hung child never hangs the suite. Header-only: the suites that use it need no build change.

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

namespace ceph_planner::testing {

// Sends `signal` to `pid`, waits up to `grace` for it to exit, then SIGKILLs it; always reaps.
// Returns the wait status (as waitpid gives it).
inline int stopChild(pid_t pid, int signal,
                     std::chrono::milliseconds grace = std::chrono::seconds(5)) {
  ::kill(pid, signal);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status;
}

}  // namespace ceph_planner::testing
