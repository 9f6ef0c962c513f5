#include "tests/contract/chronos_api/chronos_sim_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "marathon_client/cpprest_marathon_client.h"

namespace ceph_planner::chronos::testing {
namespace {

Result<marathon::HttpReply> simCall(const std::string& url, const std::string& method) {
  auto transport = marathon::makeCppRestTransport("");
  marathon::HttpCall call{method, url, {}, "", std::chrono::seconds(5)};
  auto result = transport->send(call);
  if (auto* e = std::get_if<marathon::TransportError>(&result)) {
    return makeError(ErrorCode::Unavailable, method + " " + url + ": " + e->message);
  }
  return std::get<marathon::HttpReply>(std::move(result));
}

}  // namespace

std::string chronosSimPath() {
  if (const char* path = std::getenv("CP_CHRONOS_SIM"); path != nullptr && *path != '\0') {
    return path;
  }
  return std::string(CP_BINARY_DIR) + "/sim/chronos/chronos-sim";
}

ChronosSimProcess::~ChronosSimProcess() {
  stop();
}

Status ChronosSimProcess::start(double timeScale) {
  const std::string binary = chronosSimPath();
  if (!std::filesystem::exists(binary)) {
    return makeError(ErrorCode::NotFound,
                     "chronos-sim binary '" + binary + "' is missing: build target chronos-sim");
  }
  int fds[2];
  if (::pipe(fds) != 0) return makeError(ErrorCode::Internal, "pipe failed");
  std::vector<std::string> args = {binary, "--listen", "127.0.0.1:0", "--time-scale",
                                   std::to_string(timeScale)};
  pid_t pid = ::fork();
  if (pid < 0) return makeError(ErrorCode::Internal, "fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // Never outlive a crashed test binary.
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
  const std::string marker = "chronos-sim listening on ";
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
  return makeError(ErrorCode::Timeout, "chronos-sim did not report its address: " + output);
}

void ChronosSimProcess::stop() {
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

Result<std::vector<LoggedRequest>> ChronosSimProcess::requests() const {
  auto reply = simCall(url_ + "/sim/requests", "GET");
  if (!reply) return reply.error();
  auto json = nlohmann::json::parse(reply->body, nullptr, false);
  if (!json.is_array()) return makeError(ErrorCode::Internal, "bad /sim/requests: " + reply->body);
  std::vector<LoggedRequest> out;
  for (const auto& r : json) {
    out.push_back({r.value("method", ""), r.value("path", ""), r.value("status", 0)});
  }
  return out;
}

Status ChronosSimProcess::clearRequests() const {
  auto reply = simCall(url_ + "/sim/requests", "DELETE");
  if (!reply) return reply.error();
  return okStatus();
}

std::vector<LoggedRequest> writesIn(const std::vector<LoggedRequest>& requests) {
  std::vector<LoggedRequest> out;
  for (const auto& r : requests) {
    if (r.method != "GET" && r.method != "HEAD") out.push_back(r);
  }
  return out;
}

}  // namespace ceph_planner::chronos::testing
