#include "tests/contract/marathon_api/sim_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

namespace ceph_planner::marathon::testing {

std::string marathonSimPath() {
  // `CP_MARATHON_SIM` runs the contract against another build of the simulator.
  if (const char* path = std::getenv("CP_MARATHON_SIM"); path != nullptr && *path != '\0') {
    return path;
  }
  return std::string(CP_BINARY_DIR) + "/sim/marathon/marathon-sim";
}

SimProcess::~SimProcess() {
  stop();
}

Status SimProcess::start(const std::string& agentsFile, double timeScale) {
  const std::string binary = marathonSimPath();
  if (!std::filesystem::exists(binary)) {
    return makeError(ErrorCode::NotFound,
                     "marathon-sim binary '" + binary + "' is missing: build target marathon-sim");
  }
  int fds[2];
  if (::pipe(fds) != 0) return makeError(ErrorCode::Internal, "pipe failed");
  std::vector<std::string> args = {binary,
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--agents",
                                   agentsFile,
                                   "--time_scale",
                                   std::to_string(timeScale),
                                   "--seed",
                                   "1"};
  pid_t pid = ::fork();
  if (pid < 0) return makeError(ErrorCode::Internal, "fork failed");
  if (pid == 0) {
    // The simulator must not outlive a test binary that crashes or is killed.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  pid_ = pid;
  stdoutFd_ = fds[0];
  const std::string marker = "marathon-sim listening on ";
  std::string output;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{stdoutFd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(stdoutFd_, buf, sizeof buf);
    if (n <= 0) break;
    output.append(buf, static_cast<size_t>(n));
    auto pos = output.find(marker);
    if (pos == std::string::npos) continue;
    auto end = output.find('\n', pos);
    if (end == std::string::npos) continue;
    url_ = output.substr(pos + marker.size(), end - pos - marker.size());
    while (!url_.empty() && (url_.back() == '\r' || url_.back() == ' ')) url_.pop_back();
    return okStatus();
  }
  stop();
  return makeError(ErrorCode::Unavailable,
                   "marathon-sim did not report its url; output: " + output);
}

void SimProcess::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
  }
  if (stdoutFd_ >= 0) {
    ::close(stdoutFd_);
    stdoutFd_ = -1;
  }
}

}  // namespace ceph_planner::marathon::testing
