#pragma once

// chronos-sim as an object: engine + HTTP server + the main-loop thread that ticks the engine.
// Used by main.cpp and, in-process, by the contract tests.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/result.h"
#include "sim/chronos/engine.h"
#include "sim/common/http_server.h"
#include "sim/common/http_util.h"

namespace ceph_planner::chronos_sim {

// Wall-clock time that runs `scale` times faster than real time from the moment it is created
// (so `PT1H` at scale 3600 passes in one real second). `sleepFor` sleeps the scaled-down time.
class ScaledClock final : public Clock {
 public:
  explicit ScaledClock(double scale);
  TimePoint now() const override;
  Duration monotonic() const override;
  void sleepFor(Duration d) override;

 private:
  double scale_;
  std::chrono::system_clock::time_point wallStart_;
  std::chrono::steady_clock::time_point steadyStart_;
};

struct ChronosSimOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = a free port.
  double timeScale = 1.0;
  uint64_t seed = 1;  // Fault injection dice.
  EngineOptions engine;
  // Real time between main-loop passes.
  std::chrono::milliseconds tickInterval{10};
  // Builds the executor; default: `SimulatedExecutor` (every run succeeds).
  std::function<std::unique_ptr<JobExecutor>()> makeExecutor;
  // Overrides the scaled clock (tests).
  ClockPtr clock;
};

class ChronosSim {
 public:
  static Result<std::unique_ptr<ChronosSim>> start(ChronosSimOptions options);
  ~ChronosSim();
  ChronosSim(const ChronosSim&) = delete;
  ChronosSim& operator=(const ChronosSim&) = delete;

  // Stops the loop and the listener, kills running tasks. Idempotent.
  void stop();
  int port() const { return server_.port(); }
  std::string baseUrl() const { return server_.baseUrl(); }
  ChronosEngine& engine() { return *engine_; }

 private:
  ChronosSim() = default;
  void loop();

  ChronosSimOptions options_;
  ClockPtr clock_;
  std::unique_ptr<ChronosEngine> engine_;
  sim::RequestLog log_;
  std::unique_ptr<sim::FaultInjector> faults_;
  sim::HttpServer server_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread loop_;
};

}  // namespace ceph_planner::chronos_sim
