#pragma once

// A whole marathon-sim: engine + HTTP server + ticker thread. Used by `main` and by in-process
// tests (`MarathonSim::start` with port 0).

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "common/result.h"
#include "sim/common/http_server.h"
#include "sim/common/http_util.h"
#include "sim/marathon/api.h"
#include "sim/marathon/engine.h"

namespace ceph_planner::marathon_sim {

struct SimOptions {
  std::string host = "127.0.0.1";
  int port = 0;               // 0 = a free port.
  std::vector<Agent> agents;  // Empty = `defaultAgents()`.
  double timeScale = 1;
  uint64_t seed = 1;
  std::string statePath;       // Loaded at start when it exists, saved at stop.
  int tickMillis = 20;         // Real time between engine ticks.
  double taskStepSeconds = 1;  // Simulated seconds per task state step.
  ClockPtr clock;              // Overrides the scaled clock (tests).
  // Exec mode: tasks run as real processes in `<sandbox>/<taskId>` (see exec_driver.h).
  bool execMode = false;
  std::string sandbox;
};

class MarathonSim {
 public:
  static Result<std::unique_ptr<MarathonSim>> start(SimOptions options);
  ~MarathonSim();
  void stop();
  std::string baseUrl() const { return server_.baseUrl(); }
  int port() const { return server_.port(); }
  Engine& engine() { return *engine_; }
  sim::RequestLog& requests() { return requests_; }

 private:
  MarathonSim() = default;
  SimOptions options_;
  std::unique_ptr<Engine> engine_;
  sim::RequestLog requests_;
  sim::FaultInjector faults_;
  std::unique_ptr<MarathonApi> api_;
  sim::HttpServer server_;
  std::atomic<bool> running_{false};
  std::thread ticker_;
};

}  // namespace ceph_planner::marathon_sim
