#include "sim/marathon/exec_driver.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>

#include "common/strings.h"
#include "sim/common/probes.h"
#include "sim/common/process_runner.h"
#include "sim/marathon/fetcher.h"

namespace ceph_planner::marathon_sim {

namespace {

std::string envName(const std::string& s) {
  std::string out;
  for (char c : s)
    out.push_back(std::isalnum(static_cast<unsigned char>(c))
                      ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                      : '_');
  return out;
}

class ExecDriver final : public TaskDriver {
 public:
  explicit ExecDriver(std::string root) : root_(std::move(root)) {}
  ~ExecDriver() override { shutdown(); }

  void launch(Task& t, const AppParams& app, const Agent& agent, TimePoint) override {
    sim::LaunchSpec spec;
    spec.id = t.id;
    if (!app.args.empty()) {
      spec.argv = app.args;
    } else {
      spec.shellCommand = app.cmd;
    }
    spec.sandboxDir = root_ + "/" + t.id;
    spec.bindAddress = agent.ip;
    sim::EnvMap& env = spec.env;
    std::string ports;
    for (size_t i = 0; i < t.ports.size(); ++i) {
      env["PORT" + std::to_string(i)] = std::to_string(t.ports[i]);
      ports += (i ? "," : "") + std::to_string(t.ports[i]);
      if (i < app.portNames.size() && !app.portNames[i].empty())
        env["PORT_" + envName(app.portNames[i])] = std::to_string(t.ports[i]);
    }
    if (!t.ports.empty()) env["PORT"] = std::to_string(t.ports[0]);
    env["PORTS"] = ports;
    env["HOST"] = agent.ip;
    env["LIBPROCESS_IP"] = agent.ip;
    env["MESOS_TASK_ID"] = t.id;
    env["MESOS_SANDBOX"] = spec.sandboxDir;
    env["MARATHON_APP_ID"] = app.id;
    env["MARATHON_APP_VERSION"] = app.version;
    for (const auto& [k, v] : app.labels) env["MARATHON_APP_LABEL_" + envName(k)] = v;
    for (const auto& [k, v] : app.env) env[k] = v;
    if (app.fetch.empty()) {
      start(t, spec);
      return;
    }
    // Like the Mesos fetcher, downloads happen before the command starts, off the engine thread;
    // the task stays TASK_STAGING meanwhile.
    Fetching& f = fetching_[t.id];
    f.spec = spec;
    FetchOptions options;
    options.sourceAddress = agent.ip;
    f.done = std::async(std::launch::async, [fetches = app.fetch, box = spec.sandboxDir,
                                             options]() {
      std::error_code ec;
      std::filesystem::create_directories(box, ec);
      if (ec)
        return Status(makeError(ErrorCode::Internal, "cannot create the sandbox: " + ec.message()));
      std::ofstream log(box + "/stderr", std::ios::app);
      return fetchAll(fetches, box, log, options);
    });
  }

  void kill(Task& t, const AppParams& app, TimePoint) override {
    auto pending = fetching_.find(t.id);
    if (pending != fetching_.end()) {
      pending->second.killed = true;  // Never started; reported as killed once the fetch ends.
      return;
    }
    auto grace =
        std::chrono::milliseconds(static_cast<int64_t>(app.taskKillGracePeriodSeconds * 1000));
    (void)runner_.kill(t.id, grace);
  }

  std::optional<TaskState> advance(Task& t, TimePoint) override {
    auto pending = fetching_.find(t.id);
    if (pending != fetching_.end()) {
      Fetching& f = pending->second;
      if (f.done.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return std::nullopt;
      Status fetched = f.done.get();
      const bool killed = f.killed;
      sim::LaunchSpec spec = std::move(f.spec);
      fetching_.erase(pending);
      if (killed) return TaskState::Killed;
      if (!fetched) {
        t.killReason = fetched.error().message;
        std::cerr << "marathon-sim: task " << ceph_planner::quoted(t.id) << ": " << t.killReason
                  << std::endl;
        return TaskState::Failed;
      }
      start(t, spec);
    }
    for (auto& e : runner_.poll()) exits_[e.id] = e;
    if (launchErrors_.count(t.id)) {
      launchErrors_.erase(t.id);
      return TaskState::Failed;
    }
    auto it = exits_.find(t.id);
    if (it != exits_.end()) {
      sim::ProcessExit e = it->second;
      exits_.erase(it);
      sandboxes_.erase(t.id);
      envs_.erase(t.id);
      if (e.killRequested || t.state == TaskState::Killing) return TaskState::Killed;
      t.killReason = e.describe();
      return e.succeeded() ? TaskState::Finished : TaskState::Failed;
    }
    // A started process is running for Mesos' purposes.
    if (t.state == TaskState::Staging) return TaskState::Starting;
    if (t.state == TaskState::Starting) return TaskState::Running;
    return std::nullopt;
  }

  CheckOutcome probe(const Task& t, const AppParams&, const HealthCheckSpec& hc, const Agent& agent,
                     std::string& cause) override {
    if (t.forcedUnhealthy) {
      cause = "marked unhealthy by /sim";
      return CheckOutcome::Unhealthy;
    }
    auto timeout =
        std::min(kMaxProbeTimeout,
                 std::chrono::milliseconds(static_cast<int64_t>(hc.timeoutSeconds * 1000)));
    int port = 0;
    if (hc.port) {
      port = *hc.port;
    } else {
      size_t idx = static_cast<size_t>(hc.portIndex.value_or(0));
      if (idx < t.ports.size()) port = t.ports[idx];
    }
    sim::ProbeResult r;
    std::string proto = hc.protocol;
    if (proto == "HTTP" || proto == "MESOS_HTTP" || proto == "HTTPS" || proto == "MESOS_HTTPS") {
      r = sim::probeHttp(agent.ip, port, hc.path, timeout,
                         proto.find("HTTPS") != std::string::npos);
      if (hc.ignoreHttp1xx && r.statusCode >= 100 && r.statusCode < 200)
        return CheckOutcome::Ignored;
    } else if (proto == "TCP" || proto == "MESOS_TCP") {
      r = sim::probeTcp(agent.ip, port, timeout);
    } else {
      auto env = envs_.find(t.id);
      auto box = sandboxes_.find(t.id);
      if (box == sandboxes_.end()) return CheckOutcome::Ignored;
      r = sim::runCommandProbe(hc.command, env == envs_.end() ? sim::EnvMap() : env->second,
                               box->second, timeout);
    }
    if (r.healthy) return CheckOutcome::Healthy;
    cause = r.error;
    return CheckOutcome::Unhealthy;
  }

  void shutdown() override {
    // Fetches are bounded by their timeout; their processes are not the runner's.
    for (auto& [id, f] : fetching_)
      if (f.done.valid()) f.done.wait();
    fetching_.clear();
    runner_.shutdown(std::chrono::milliseconds(2000));
  }

 private:
  struct Fetching {
    sim::LaunchSpec spec;
    std::future<Status> done;
    bool killed = false;
  };

  void start(Task& t, const sim::LaunchSpec& spec) {
    auto r = runner_.launch(spec);
    if (!r) {
      launchErrors_[t.id] = r.error().message;
      t.killReason = "launch failed: " + r.error().message;
      return;
    }
    sandboxes_[t.id] = spec.sandboxDir;
    envs_[t.id] = spec.env;
  }

  std::string root_;
  sim::ProcessRunner runner_;
  std::map<std::string, sim::ProcessExit> exits_;
  std::map<std::string, std::string> launchErrors_;
  std::map<std::string, std::string> sandboxes_;
  std::map<std::string, sim::EnvMap> envs_;
  std::map<std::string, Fetching> fetching_;  // Tasks whose URIs are still being fetched.
};

}  // namespace

std::unique_ptr<TaskDriver> makeExecDriver(const std::string& sandboxRoot) {
  return std::make_unique<ExecDriver>(sandboxRoot);
}

}  // namespace ceph_planner::marathon_sim
