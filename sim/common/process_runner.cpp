#include "sim/common/process_runner.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace ceph_planner::sim {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

// Without pidfds (old kernels) exits are noticed by polling at this period.
constexpr int kFallbackTickMs = 10;

Clock::TimePoint wallNow() {
  return std::chrono::time_point_cast<Clock::Duration>(std::chrono::system_clock::now());
}

std::string quotedId(const std::string& id) {
  return "process '" + id + "'";
}

}  // namespace

std::string ProcessExit::describe() const {
  std::string text = quotedId(id) + " (pid " + std::to_string(pid) + ") " + status.describe();
  if (sigkillSent) {
    text += " after its kill grace period ran out";
  } else if (killRequested) {
    text += " after a kill request";
  }
  return text;
}

ProcessRunner::ProcessRunner(ExitCallback onExit) : onExit_(std::move(onExit)) {
  wakeFd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wakeFd_ < 0) {
    std::fprintf(stderr, "fatal: process runner: eventfd failed (errno %d)\n", errno);
    std::abort();
  }
  reaper_ = std::thread([this] { reaperLoop(); });
}

ProcessRunner::~ProcessRunner() {
  shutdown(kDestructorGrace);
}

Result<LaunchedProcess> ProcessRunner::launch(const LaunchSpec& spec) {
  if (spec.id.empty()) return makeError(ErrorCode::InvalidInput, "a process id is required");
  const std::string what = quotedId(spec.id);
  if (spec.sandboxDir.empty()) {
    return makeError(ErrorCode::InvalidInput, what + ": a sandbox directory is required");
  }
  if (spec.shellCommand.empty() == spec.argv.empty()) {
    return makeError(ErrorCode::InvalidInput,
                     what + ": exactly one of a shell command or an argv must be given");
  }

  std::error_code ec;
  const fs::path sandbox = fs::absolute(spec.sandboxDir, ec);
  if (!ec) fs::create_directories(sandbox, ec);
  if (ec || !fs::is_directory(sandbox)) {
    return makeError(ErrorCode::Internal, what + ": cannot create sandbox '" + spec.sandboxDir +
                                              "'" + (ec ? ": " + ec.message() : std::string()));
  }

  EnvMap extra;
  if (!spec.bindAddress.empty()) {
    extra["HOST"] = spec.bindAddress;
    extra["LIBPROCESS_IP"] = spec.bindAddress;
  }
  for (const auto& [key, value] : spec.env) extra[key] = value;
  auto env = buildChildEnv(extra, sandbox.string());
  if (!env) return env.error().withContext(what);

  LaunchedProcess launched;
  launched.sandboxDir = sandbox.string();
  launched.stdoutPath = (sandbox / "stdout").string();
  launched.stderrPath = (sandbox / "stderr").string();

  SpawnRequest request;
  request.shellCommand = spec.shellCommand;
  request.argv = spec.argv;
  request.env = std::move(*env);
  request.workDir = launched.sandboxDir;
  request.stdoutPath = launched.stdoutPath;
  request.stderrPath = launched.stderrPath;

  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return makeError(ErrorCode::Unavailable, what + ": the runner is shutting down");
  auto existing = entries_.find(spec.id);
  if (existing != entries_.end() && existing->second.running) {
    return makeError(ErrorCode::Conflict, what + " is already running (pid " +
                                              std::to_string(existing->second.pid) + ")");
  }
  // Spawning under the lock keeps "check the id, start, register" atomic; the reaper cannot look
  // for the child before it is registered, and nobody else reaps it.
  auto pid = spawnInNewSession(request);
  if (!pid) return pid.error().withContext("failed to launch " + what);

  if (existing != entries_.end()) forgetLocked(spec.id);  // Drops the old exit record.
  Entry entry;
  entry.id = spec.id;
  entry.pid = *pid;
  entry.pidFd = openPidFd(*pid);
  entry.startedAt = wallNow();
  entries_[spec.id] = std::move(entry);
  launched.pid = *pid;
  wakeReaper();
  return launched;
}

Status ProcessRunner::kill(const std::string& id, std::chrono::milliseconds grace) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return makeError(ErrorCode::NotFound, "unknown " + quotedId(id));
  if (it->second.running) {
    requestKillLocked(it->second, grace);
    wakeReaper();
  }
  return okStatus();
}

void ProcessRunner::requestKillLocked(Entry& entry, std::chrono::milliseconds grace) {
  const auto now = SteadyClock::now();
  const bool first = !entry.killRequested;
  entry.killRequested = true;
  if (entry.sigkillSent) return;
  if (grace.count() <= 0) {
    signalGroup(entry.pid, SIGKILL);
    entry.sigkillSent = true;
    return;
  }
  if (first) signalGroup(entry.pid, SIGTERM);
  const auto deadline = now + grace;
  if (!entry.sigkillAt || deadline < *entry.sigkillAt) entry.sigkillAt = deadline;
}

bool ProcessRunner::running(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  return it != entries_.end() && it->second.running;
}

Result<pid_t> ProcessRunner::pid(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || !it->second.running) {
    return makeError(ErrorCode::NotFound, "no running " + quotedId(id));
  }
  return it->second.pid;
}

std::vector<std::string> ProcessRunner::runningIds() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> ids;
  for (const auto& [id, entry] : entries_) {
    if (entry.running) ids.push_back(id);
  }
  return ids;  // std::map iteration order: already sorted.
}

std::vector<ProcessExit> ProcessRunner::poll() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ProcessExit> out;
  out.swap(pending_);
  return out;
}

Result<ProcessExit> ProcessRunner::waitForExit(const std::string& id,
                                               std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    auto it = entries_.find(id);
    if (it == entries_.end()) return makeError(ErrorCode::NotFound, "unknown " + quotedId(id));
    if (it->second.exit) return *it->second.exit;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      it = entries_.find(id);
      if (it != entries_.end() && it->second.exit) return *it->second.exit;
      return makeError(ErrorCode::Timeout, quotedId(id) + " still running after " +
                                               std::to_string(timeout.count()) + " ms");
    }
  }
}

void ProcessRunner::forget(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  forgetLocked(id);
}

void ProcessRunner::forgetLocked(const std::string& id) {
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.running) return;
  entries_.erase(it);
  exitOrder_.erase(std::remove(exitOrder_.begin(), exitOrder_.end(), id), exitOrder_.end());
}

void ProcessRunner::recordExitLocked(const std::string& id) {
  exitOrder_.push_back(id);
  while (exitOrder_.size() > kMaxExitRecords) {
    const std::string oldest = exitOrder_.front();
    exitOrder_.pop_front();
    auto it = entries_.find(oldest);
    if (it != entries_.end() && !it->second.running) entries_.erase(it);
  }
}

void ProcessRunner::wakeReaper() {
  const uint64_t one = 1;
  // A full counter (never in practice) still leaves the eventfd readable, which is all we need.
  [[maybe_unused]] const ssize_t n = ::write(wakeFd_, &one, sizeof one);
}

std::vector<ProcessExit> ProcessRunner::collectLocked(SteadyClock::time_point now) {
  std::vector<ProcessExit> exits;
  std::vector<std::string> exitedIds;
  for (auto& [id, entry] : entries_) {
    if (!entry.running) continue;
    if (auto status = reapIfExited(entry.pid)) {
      entry.running = false;
      if (entry.pidFd >= 0) ::close(entry.pidFd);
      entry.pidFd = -1;
      ProcessExit exit;
      exit.id = id;
      exit.pid = entry.pid;
      exit.status = *status;
      exit.killRequested = entry.killRequested;
      exit.sigkillSent = entry.sigkillSent;
      exit.startedAt = entry.startedAt;
      exit.exitedAt = wallNow();
      entry.exit = exit;
      exits.push_back(std::move(exit));
      exitedIds.push_back(id);
    } else if (entry.sigkillAt && !entry.sigkillSent && now >= *entry.sigkillAt) {
      signalGroup(entry.pid, SIGKILL);
      entry.sigkillSent = true;
    }
  }
  // Eviction may erase entries, so it runs after the loop over them.
  for (const auto& id : exitedIds) recordExitLocked(id);
  if (!onExit_) pending_.insert(pending_.end(), exits.begin(), exits.end());
  return exits;
}

int ProcessRunner::pollTimeoutLocked(SteadyClock::time_point now) const {
  int timeout = -1;
  auto lower = [&timeout](int ms) { timeout = timeout < 0 ? ms : std::min(timeout, ms); };
  for (const auto& [id, entry] : entries_) {
    if (!entry.running) continue;
    if (entry.pidFd < 0) lower(kFallbackTickMs);
    if (entry.sigkillAt && !entry.sigkillSent) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(*entry.sigkillAt - now).count();
      lower(static_cast<int>(std::clamp<long long>(left, 0, 60'000)));
    }
  }
  return timeout;
}

void ProcessRunner::reaperLoop() {
  std::vector<pollfd> fds;
  while (true) {
    std::vector<ProcessExit> exits;
    int timeout = -1;
    bool done = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const auto now = SteadyClock::now();
      exits = collectLocked(now);
      done = stopping_ && std::none_of(entries_.begin(), entries_.end(),
                                       [](const auto& kv) { return kv.second.running; });
      fds.assign(1, pollfd{wakeFd_, POLLIN, 0});
      for (const auto& [id, entry] : entries_) {
        if (entry.running && entry.pidFd >= 0) fds.push_back(pollfd{entry.pidFd, POLLIN, 0});
      }
      timeout = pollTimeoutLocked(now);
    }
    if (onExit_) {
      for (const auto& exit : exits) onExit_(exit);
    }
    if (!exits.empty() || done) {
      std::lock_guard<std::mutex> lock(mu_);
      if (done) reaperDone_ = true;
      changed_.notify_all();
    }
    if (done) return;
    ::poll(fds.data(), fds.size(), timeout);  // EINTR is harmless: we simply look again.
    uint64_t counter = 0;
    [[maybe_unused]] const ssize_t n = ::read(wakeFd_, &counter, sizeof counter);
  }
}

void ProcessRunner::shutdown(std::chrono::milliseconds grace) {
  if (std::this_thread::get_id() == reaper_.get_id()) {
    std::fprintf(stderr, "fatal: ProcessRunner::shutdown called from the exit callback\n");
    std::abort();
  }
  std::lock_guard<std::mutex> once(shutdownMu_);
  {
    std::unique_lock<std::mutex> lock(mu_);
    stopping_ = true;
    for (auto& [id, entry] : entries_) {
      if (entry.running) requestKillLocked(entry, grace);
    }
    wakeReaper();
    changed_.wait(lock, [this] { return reaperDone_; });
  }
  if (reaper_.joinable()) reaper_.join();
  std::lock_guard<std::mutex> lock(mu_);
  if (wakeFd_ >= 0) {
    ::close(wakeFd_);
    wakeFd_ = -1;
  }
}

}  // namespace ceph_planner::sim
