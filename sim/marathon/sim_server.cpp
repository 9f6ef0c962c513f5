#include "sim/marathon/sim_server.h"

#include <fstream>
#include <sstream>

#include "sim/marathon/agents.h"
#include "sim/marathon/exec_driver.h"
#include "sim/marathon/time_util.h"

namespace ceph_planner::marathon_sim {

namespace {

Result<Json> readJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return makeError(ErrorCode::NotFound, "cannot read '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  Json j = Json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return makeError(ErrorCode::InvalidInput, "'" + path + "' is not JSON");
  return j;
}

}  // namespace

Result<std::unique_ptr<MarathonSim>> MarathonSim::start(SimOptions options) {
  std::unique_ptr<MarathonSim> sim(new MarathonSim());
  if (options.agents.empty()) options.agents = defaultAgents();
  ClockPtr clock = options.clock ? options.clock : makeScaledClock(options.timeScale);
  if (options.execMode && options.sandbox.empty())
    return makeError(ErrorCode::InvalidInput, "exec mode needs a sandbox directory");
  auto driver = options.execMode ? makeExecDriver(options.sandbox)
                                 : makeSimulatedDriver(options.taskStepSeconds);
  sim->engine_ = std::make_unique<Engine>(clock, options.agents, options.seed, std::move(driver),
                                          options.execMode);
  if (!options.statePath.empty()) {
    std::ifstream probe(options.statePath);
    if (probe.good()) {
      auto state = readJsonFile(options.statePath);
      if (!state) return state.error().withContext("cannot load state");
      auto s = sim->engine_->loadState(*state);
      if (!s) return s.error();
    }
  }
  int port = options.port;
  if (port == 0) {
    auto p = sim::pickFreePort(options.host);
    if (!p) return p.error();
    port = *p;
  }
  sim->api_ = std::make_unique<MarathonApi>(*sim->engine_, sim->requests_, sim->faults_,
                                            options.host + ":" + std::to_string(port));
  MarathonApi* api = sim->api_.get();
  auto handler = sim::withLogAndFaults([api](const sim::HttpRequest& r) { return api->handle(r); },
                                       sim->requests_, sim->faults_, "/sim/");
  auto s = sim->server_.start(options.host, port, handler);
  if (!s) return s.error();
  sim->options_ = options;
  sim->running_ = true;
  MarathonSim* raw = sim.get();
  sim->ticker_ = std::thread([raw] {
    while (raw->running_) {
      raw->engine_->tick();
      std::this_thread::sleep_for(std::chrono::milliseconds(raw->options_.tickMillis));
    }
  });
  return sim;
}

MarathonSim::~MarathonSim() {
  stop();
}

void MarathonSim::stop() {
  if (!running_.exchange(false)) return;
  if (ticker_.joinable()) ticker_.join();
  if (api_) api_->closeStreams();
  server_.stop();
  engine_->shutdown();
  if (!options_.statePath.empty()) {
    std::ofstream out(options_.statePath);
    out << engine_->saveState().dump(2) << "\n";
  }
}

}  // namespace ceph_planner::marathon_sim
