#include "contract_fixture.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include "sim/marathon/agents.h"
#include "sim/marathon/sim_server.h"

namespace ceph_planner::marathon_contract {

struct MarathonContract::Server {
  std::unique_ptr<marathon_sim::MarathonSim> sim;
};

namespace {

const char* kAgents = R"(
agents:
  - hostname: h1.example
    ip: 127.0.0.2
    attributes: {rack: r1, disk_sdb: "true"}
    resources: {cpus: 4, mem: 8192, disk: 10000, ports: "[8080-8080, 31000-31099]"}
  - hostname: h2.example
    ip: 127.0.0.3
    attributes: "rack:r1;osd_slots:4"
    resources: {cpus: 4, mem: 8192, disk: 10000, ports: "[8080-8080, 31000-31099]"}
  - hostname: h3.example
    ip: 127.0.0.4
    attributes: {rack: r2}
    resources: {cpus: 4, mem: 8192, disk: 10000, ports: "[8080-8080, 31000-31099]"}
)";

}  // namespace

void MarathonContract::SetUp() {
  if (const char* url = std::getenv("CP_MARATHON_URL")) {
    base_ = url;
    return;
  }
  auto agents = marathon_sim::parseAgentsYaml(kAgents);
  ASSERT_TRUE(agents.has_value());
  marathon_sim::SimOptions o;
  o.agents = *agents;
  o.timeScale = 50;
  o.seed = 7;
  o.tickMillis = 5;
  auto sim = marathon_sim::MarathonSim::start(o);
  ASSERT_TRUE(sim.has_value()) << sim.error().message;
  server_ = std::make_shared<Server>();
  server_->sim = std::move(*sim);
  base_ = server_->sim->baseUrl();
}

void MarathonContract::TearDown() {
  if (server_) server_->sim->stop();
  server_.reset();
}

Reply MarathonContract::call(const std::string& method, const std::string& target,
                             const std::string& b, const std::map<std::string, std::string>& h) {
  return testing_http::request(base_, method, target, b, h);
}

Json MarathonContract::body(const Reply& r) {
  Json j = Json::parse(r.body, nullptr, false);
  return j;
}

bool MarathonContract::waitIdle(int timeoutMs) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    Json d = body(get("/v2/deployments"));
    if (d.is_array() && d.empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool MarathonContract::waitDeployment(const std::string& id, int timeoutMs) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    Json d = body(get("/v2/deployments"));
    bool found = false;
    for (const auto& x : d) found = found || x["id"] == id;
    if (!found) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool MarathonContract::waitApp(const std::string& id, const std::function<bool(const Json&)>& pred,
                               int timeoutMs) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    Json a = body(get("/v2/apps" + id));
    if (a.contains("app") && pred(a["app"])) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

Json simpleApp(const std::string& id, int instances) {
  return Json{
      {"id", id}, {"cmd", "sleep 1000"}, {"cpus", 0.1}, {"mem", 32}, {"instances", instances}};
}

}  // namespace ceph_planner::marathon_contract
