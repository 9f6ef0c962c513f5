// Exec mode: a real HTTP server task behind an HTTP health check, scaled 1→3→1, each instance
// answering on its agent's loopback address, and relaunched after a kill.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

#include "http_test_client.h"
#include "sim/marathon/agents.h"
#include "sim/marathon/sim_server.h"

namespace ceph_planner::marathon_contract {
namespace {

using Json = nlohmann::json;
namespace th = testing_http;

class ExecMode : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("python3 -c 'import http.server' >/dev/null 2>&1") != 0)
      GTEST_SKIP() << "python3 is not installed";
    sandbox_ = std::filesystem::temp_directory_path() /
               ("marathon-sim-exec-" + std::to_string(::getpid()));
    marathon_sim::SimOptions o;
    o.agents = marathon_sim::defaultAgents();  // 127.0.0.2..4, ports 31000-32000
    o.execMode = true;
    o.sandbox = sandbox_.string();
    o.tickMillis = 20;
    o.taskStepSeconds = 0.2;
    auto sim = marathon_sim::MarathonSim::start(o);
    ASSERT_TRUE(sim.has_value()) << sim.error().message;
    sim_ = std::move(*sim);
    base_ = sim_->baseUrl();
  }
  void TearDown() override {
    if (sim_) sim_->stop();
    sim_.reset();
    std::error_code ec;
    std::filesystem::remove_all(sandbox_, ec);
  }
  Json app() {
    return Json::parse(th::request(base_, "GET", "/v2/apps/web").body, nullptr, false)["app"];
  }
  // Waits until `n` tasks are healthy and returns them.
  Json waitHealthy(size_t n, int timeoutMs = 30000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
      Json a = app();
      if (a.is_object() && a["tasksHealthy"] == static_cast<int>(n) && a["tasks"].size() == n &&
          a["deployments"].empty())
        return a["tasks"];
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "not " << n << " healthy tasks: " << app().dump();
    return Json::array();
  }
  void expectAnswers(const Json& tasks) {
    for (const auto& t : tasks) {
      std::string ip = t["ipAddresses"][0]["ipAddress"];
      int port = t["ports"][0];
      auto r = th::request("http://" + ip + ":" + std::to_string(port), "GET", "/");
      EXPECT_EQ(r.status, 200) << ip << ":" << port;
    }
  }

  std::filesystem::path sandbox_;
  std::unique_ptr<marathon_sim::MarathonSim> sim_;
  std::string base_;
};

TEST_F(ExecMode, HttpServerScalesAndIsRelaunchedAfterKill) {
  Json web = {{"id", "/web"},
              {"cmd", "exec python3 -m http.server $PORT0 --bind $HOST"},
              {"cpus", 0.1},
              {"mem", 64},
              {"instances", 1},
              {"constraints", Json::array({Json::array({"hostname", "UNIQUE"})})},
              {"healthChecks",
               {{{"protocol", "HTTP"},
                 {"path", "/"},
                 {"gracePeriodSeconds", 20},
                 {"intervalSeconds", 1},
                 {"timeoutSeconds", 1},
                 {"maxConsecutiveFailures", 3}}}}};
  ASSERT_EQ(th::request(base_, "POST", "/v2/apps", web.dump()).status, 201);
  Json one = waitHealthy(1);
  expectAnswers(one);
  // The task's sandbox holds its output files.
  std::string id = one[0]["id"];
  EXPECT_TRUE(std::filesystem::exists(sandbox_ / id / "stderr"));

  ASSERT_EQ(th::request(base_, "PUT", "/v2/apps/web", Json{{"instances", 3}}.dump()).status, 200);
  Json three = waitHealthy(3);
  std::set<std::string> ips;
  for (const auto& t : three) ips.insert(t["ipAddresses"][0]["ipAddress"]);
  EXPECT_EQ(ips.size(), 3u);
  expectAnswers(three);

  ASSERT_EQ(th::request(base_, "PUT", "/v2/apps/web", Json{{"instances", 1}}.dump()).status, 200);
  Json back = waitHealthy(1);
  expectAnswers(back);

  std::string victim = back[0]["id"];
  auto k = th::request(base_, "DELETE", "/v2/apps/web/tasks/" + victim);
  ASSERT_EQ(k.status, 200);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  Json relaunched;
  while (std::chrono::steady_clock::now() < deadline) {
    Json a = app();
    if (a["tasksHealthy"] == 1 && a["tasks"].size() == 1 && a["tasks"][0]["id"] != victim) {
      relaunched = a["tasks"];
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(relaunched.is_null()) << app().dump();
  expectAnswers(relaunched);
}

TEST_F(ExecMode, DockerAppsAreRefused) {
  Json app = {{"id", "/d"}, {"container", {{"type", "DOCKER"}, {"docker", {{"image", "nginx"}}}}}};
  auto r = th::request(base_, "POST", "/v2/apps", app.dump());
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("exec mode"), std::string::npos) << r.body;
}

TEST_F(ExecMode, ExitedTaskIsRelaunchedWithBackoff) {
  Json app = {{"id", "/flaky"}, {"cmd", "exit 3"},     {"cpus", 0.1},
              {"mem", 16},      {"backoffSeconds", 1}, {"backoffFactor", 1}};
  ASSERT_EQ(th::request(base_, "POST", "/v2/apps", app.dump()).status, 201);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  size_t launched = 0;
  Json failure;
  while (std::chrono::steady_clock::now() < deadline) {
    Json h = Json::parse(th::request(base_, "GET", "/sim/history").body, nullptr, false);
    launched = h.size();
    Json a = Json::parse(th::request(base_, "GET", "/v2/apps/flaky").body, nullptr, false)["app"];
    if (a.contains("lastTaskFailure")) failure = a["lastTaskFailure"];
    if (launched >= 3 && !failure.is_null()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GE(launched, 3u);
  ASSERT_FALSE(failure.is_null());
  EXPECT_EQ(failure["state"], "TASK_FAILED");
  EXPECT_NE(failure["message"].get<std::string>().find("status 3"), std::string::npos)
      << failure.dump();
}

}  // namespace
}  // namespace ceph_planner::marathon_contract
