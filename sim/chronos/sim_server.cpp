#include "sim/chronos/sim_server.h"

#include "sim/chronos/api.h"

namespace ceph_planner::chronos_sim {

ScaledClock::ScaledClock(double scale)
    : scale_(scale > 0 ? scale : 1.0),
      wallStart_(std::chrono::system_clock::now()),
      steadyStart_(std::chrono::steady_clock::now()) {}

Clock::TimePoint ScaledClock::now() const {
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - steadyStart_);
  auto scaled = std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed * scale_);
  return std::chrono::time_point_cast<Duration>(wallStart_ + scaled);
}

Clock::Duration ScaledClock::monotonic() const {
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - steadyStart_);
  return std::chrono::duration_cast<Duration>(elapsed * scale_);
}

void ScaledClock::sleepFor(Duration d) {
  std::this_thread::sleep_for(
      std::chrono::duration<double, std::milli>(static_cast<double>(d.count()) / scale_));
}

Result<std::unique_ptr<ChronosSim>> ChronosSim::start(ChronosSimOptions options) {
  std::unique_ptr<ChronosSim> sim(new ChronosSim());
  sim->options_ = std::move(options);
  sim->clock_ = sim->options_.clock ? sim->options_.clock
                                    : std::make_shared<ScaledClock>(sim->options_.timeScale);
  std::unique_ptr<JobExecutor> executor = sim->options_.makeExecutor
                                              ? sim->options_.makeExecutor()
                                              : std::make_unique<SimulatedExecutor>();
  sim->engine_ =
      std::make_unique<ChronosEngine>(sim->clock_, std::move(executor), sim->options_.engine);
  sim->faults_ = std::make_unique<sim::FaultInjector>(sim->options_.seed);
  int port = sim->options_.port;
  if (port == 0) {
    auto free = sim::pickFreePort(sim->options_.host);
    if (!free) return free.error().withContext("chronos-sim");
    port = *free;
  }
  std::string leader = sim->options_.host + ":" + std::to_string(port);
  Status started = sim->server_.start(
      sim->options_.host, port, makeChronosApi(*sim->engine_, sim->log_, *sim->faults_, leader));
  if (!started) return started.error().withContext("chronos-sim");
  sim->loop_ = std::thread([s = sim.get()] { s->loop(); });
  return sim;
}

ChronosSim::~ChronosSim() {
  stop();
}

void ChronosSim::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    engine_->tick();
    lock.lock();
    wake_.wait_for(lock, options_.tickInterval, [this] { return stopping_; });
  }
}

void ChronosSim::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  server_.stop();
  if (loop_.joinable()) loop_.join();
  if (engine_) engine_->shutdown();
}

}  // namespace ceph_planner::chronos_sim
