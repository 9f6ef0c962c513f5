#pragma once

// Test helper: runs a program with argv (no shell), stdout and stderr into one file, and records
// the argv the kernel saw (/proc/<pid>/cmdline) while the child runs.

#include <sys/types.h>

#include <string>
#include <vector>

namespace ceph_planner::testing {

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Forks and execs `argv[0]`, output appended to `logFile`. The child dies with the test
  // (PR_SET_PDEATHSIG). Returns false if fork fails.
  bool start(const std::vector<std::string>& argv, const std::string& logFile);
  // Waits for the exit; the exit code, or -1 when killed by a signal.
  int wait();
  // SIGTERM, then SIGKILL after 5 s; no-op when not running.
  void stop();

  pid_t pid() const { return pid_; }
  // /proc/<pid>/cmdline once the exec happened (NULs turned into spaces); "" if the child exited
  // before it could be read.
  const std::string& cmdline() const { return cmdline_; }

 private:
  void captureCmdline(const std::string& program);

  pid_t pid_ = -1;
  std::string cmdline_;
};

// Whole file as text ("" when missing).
std::string readWholeFile(const std::string& path);

// `/proc/<pid>/cmdline` of every live child of this process, NULs turned into spaces.
std::vector<std::string> childCommandLines();

}  // namespace ceph_planner::testing
