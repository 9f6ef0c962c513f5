#pragma once

// Test helper: runs a server binary (argv, no shell) that picks its own free port and announces it
// on stdout as `<marker><url>\n` (marathon-sim and chronos-sim both do), and stops it again.
// Header-only so that every suite which already lists a simulator wrapper's .cpp gets it without a
// build change.

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "tests/fakes/stop_child.h"

namespace ceph_planner::testing {

class ListeningProcess {
 public:
  ListeningProcess() = default;
  ~ListeningProcess() { stop(); }
  ListeningProcess(const ListeningProcess&) = delete;
  ListeningProcess& operator=(const ListeningProcess&) = delete;

  // Starts `argv[0]` with `argv` and waits up to `timeout` for the `marker` line. `NotFound` when
  // the binary is missing (naming `buildTarget`); `Unavailable` with the output seen so far when
  // the line never comes (the process is stopped then).
  Status start(std::vector<std::string> argv, const std::string& marker,
               const std::string& buildTarget,
               std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    stop();
    const std::string binary = argv.empty() ? std::string() : argv.front();
    if (binary.empty() || !std::filesystem::exists(binary)) {
      return makeError(ErrorCode::NotFound,
                       "binary '" + binary + "' is missing: build target " + buildTarget);
    }
    int fds[2];
    if (::pipe(fds) != 0) return makeError(ErrorCode::Internal, "pipe failed");
    const pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fds[0]);
      ::close(fds[1]);
      return makeError(ErrorCode::Internal, "fork failed");
    }
    if (pid == 0) {
      // The server must not outlive a test binary that crashes or is killed.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(binary.c_str(), args.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    pid_ = pid;
    stdoutFd_ = fds[0];
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{stdoutFd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[512];
      const ssize_t n = ::read(stdoutFd_, buf, sizeof buf);
      if (n <= 0) break;
      output.append(buf, static_cast<size_t>(n));
      const auto at = output.find(marker);
      if (at == std::string::npos) continue;
      const auto end = output.find('\n', at);
      if (end == std::string::npos) continue;
      url_ = output.substr(at + marker.size(), end - at - marker.size());
      while (!url_.empty() && (url_.back() == '\r' || url_.back() == ' ')) url_.pop_back();
      return okStatus();
    }
    stop();
    return makeError(ErrorCode::Unavailable,
                     "'" + binary + "' did not report its url; output: " + output);
  }

  // SIGTERM, then SIGKILL after 5 s. Idempotent.
  void stop() {
    if (pid_ > 0) {
      stopChild(pid_, SIGTERM);
      pid_ = -1;
    }
    if (stdoutFd_ >= 0) {
      ::close(stdoutFd_);
      stdoutFd_ = -1;
    }
  }

  const std::string& url() const { return url_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdoutFd_ = -1;
  std::string url_;
};

}  // namespace ceph_planner::testing
