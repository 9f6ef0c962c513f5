// Engine behaviour with a manual clock: deployment stepping, upgrade strategies, health kills,
// backoff and the launch queue.

#include "sim/marathon/engine.h"

#include <gtest/gtest.h>

#include "sim/marathon/agents.h"
#include "sim/marathon/time_util.h"

namespace ceph_planner::marathon_sim {
namespace {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<ManualClock>(TimePoint(Millis(1'700'000'000'000)));
    auto agents = parseAgentsYaml(R"(
agents:
  - {hostname: h1, resources: {cpus: 4, mem: 4096, disk: 1000, ports: "[7480-7480, 31000-31010]"}}
  - {hostname: h2, resources: {cpus: 4, mem: 4096, disk: 1000, ports: "[7480-7480, 31000-31010]"}}
)");
    ASSERT_TRUE(agents.has_value());
    engine_ = std::make_unique<Engine>(clock_, *agents, 3);
  }
  // Advances simulated time in 100 ms ticks.
  void run(double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * 10); ++i) {
      clock_->advance(Millis(100));
      engine_->tick();
    }
  }
  Json app(const std::string& id) { return engine_->getApp(id, {}).value()["app"]; }
  size_t deployments() { return engine_->listDeployments().size(); }

  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<Engine> engine_;
};

Json basic(const std::string& id, int instances) {
  return {{"id", id}, {"cmd", "run"}, {"cpus", 1}, {"mem", 64}, {"instances", instances}};
}

TEST_F(EngineTest, NewAppStepsThroughStartAndScale) {
  auto r = engine_->createApp(basic("/a", 2), false);
  ASSERT_TRUE(r.ok());
  Json d = engine_->listDeployments()[0];
  EXPECT_EQ(d["currentStep"], 0);  // Stored, not started.
  engine_->tick();
  d = engine_->listDeployments()[0];
  EXPECT_EQ(d["currentStep"], 2);  // StartApplication completes at once.
  EXPECT_EQ(app("/a")["tasksStaged"], 2);
  run(1.0);
  EXPECT_EQ(app("/a")["tasksStaged"], 0);
  EXPECT_EQ(deployments(), 1u);  // Starting, not yet running.
  run(1.1);
  EXPECT_EQ(app("/a")["tasksRunning"], 2);
  EXPECT_EQ(deployments(), 0u);
}

TEST_F(EngineTest, KillFirstUpgradeNeverOverlapsOldAndNew) {
  Json a = basic("/rgw", 1);
  a["portDefinitions"] = {{{"port", 7480}, {"name", "http"}}};
  a["requirePorts"] = true;
  a["constraints"] = {{"hostname", "CLUSTER", "h1"}};
  a["upgradeStrategy"] = {{"minimumHealthCapacity", 0}, {"maximumOverCapacity", 0}};
  ASSERT_TRUE(engine_->createApp(a, false).ok());
  run(3);
  ASSERT_EQ(app("/rgw")["tasksRunning"], 1);
  std::string oldId = app("/rgw")["tasks"][0]["id"];
  ASSERT_TRUE(engine_->updateApps({{{"cmd", "run2"}}}, "/rgw", true, false, false, nullptr).ok());
  size_t maxAlive = 0;
  for (int i = 0; i < 60; ++i) {
    run(0.1);
    Json tasks = app("/rgw")["tasks"];
    maxAlive = std::max(maxAlive, tasks.size());
  }
  EXPECT_EQ(maxAlive, 1u);  // The old task was gone before the new one was staged.
  Json now = app("/rgw");
  ASSERT_EQ(now["tasks"].size(), 1u);
  EXPECT_NE(now["tasks"][0]["id"], oldId);
  EXPECT_EQ(now["tasks"][0]["ports"], Json::array({7480}));
  EXPECT_EQ(deployments(), 0u);
}

TEST_F(EngineTest, DefaultUpgradeWithPinnedPortHangsForever) {
  Json a = basic("/pin", 1);
  a["portDefinitions"] = {{{"port", 7480}, {"name", "http"}}};
  a["requirePorts"] = true;
  a["constraints"] = {{"hostname", "CLUSTER", "h1"}};
  ASSERT_TRUE(engine_->createApp(a, false).ok());
  run(3);
  ASSERT_TRUE(engine_->updateApps({{{"cmd", "v2"}}}, "/pin", true, false, false, nullptr).ok());
  run(600);
  EXPECT_EQ(deployments(), 1u);  // Never times out.
  Json q = engine_->queue()["queue"];
  ASSERT_EQ(q.size(), 1u);
  bool ports = false;
  for (const auto& r : q[0]["processedOffersSummary"]["rejectSummaryLastOffers"])
    if (r["reason"] == "InsufficientPorts" && r["declined"] == 1) ports = true;
  EXPECT_TRUE(ports) << q.dump();
  EXPECT_EQ(app("/pin")["tasksRunning"], 1);  // The old task keeps running.
  // A conflicting change is refused with the blocking deployment, unless forced.
  auto locked = engine_->updateApps({{{"instances", 0}}}, "/pin", true, false, false, nullptr);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().status, 409);
  EXPECT_TRUE(engine_->updateApps({{{"instances", 0}}}, "/pin", true, false, true, nullptr).ok());
  run(3);
  EXPECT_EQ(deployments(), 0u);
}

TEST_F(EngineTest, HealthKillAndBackoffShowInQueue) {
  Json a = basic("/h", 1);
  a["healthChecks"] = {{{"protocol", "TCP"},
                        {"gracePeriodSeconds", 5},
                        {"intervalSeconds", 10},
                        {"maxConsecutiveFailures", 2}}};
  a["backoffSeconds"] = 20;
  a["backoffFactor"] = 2;
  ASSERT_TRUE(engine_->createApp(a, false).ok());
  run(3);
  Json v = app("/h");
  EXPECT_EQ(v["tasksHealthy"], 1);
  std::string id = v["tasks"][0]["id"];
  ASSERT_TRUE(engine_->setTaskHealth(id, false).ok());
  // Failures at +10, +20 (count 2 = max), kill at the third (+30).
  run(25);
  EXPECT_EQ(app("/h")["tasks"][0]["id"], id);
  EXPECT_EQ(app("/h")["tasksUnhealthy"], 1);
  run(8);
  Json after = app("/h");
  EXPECT_EQ(after["lastTaskFailure"]["taskId"], id);
  EXPECT_TRUE(after["tasks"].empty());
  Json q = engine_->queue()["queue"];
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0]["delay"]["overdue"], false);
  EXPECT_GT(q[0]["delay"]["timeLeftSeconds"].get<int>(), 0);
  EXPECT_LE(q[0]["delay"]["timeLeftSeconds"].get<int>(), 20);
  ASSERT_TRUE(engine_->resetDelay("/h").ok());
  run(0.2);
  EXPECT_EQ(app("/h")["tasks"].size(), 1u);
}

TEST_F(EngineTest, ZeroMaxFailuresNeverKills) {
  Json a = basic("/z", 1);
  a["healthChecks"] = {{{"protocol", "HTTP"},
                        {"gracePeriodSeconds", 0},
                        {"intervalSeconds", 1},
                        {"maxConsecutiveFailures", 0}}};
  ASSERT_TRUE(engine_->createApp(a, false).ok());
  run(3);
  std::string id = app("/z")["tasks"][0]["id"];
  ASSERT_TRUE(engine_->setTaskHealth(id, false).ok());
  run(30);
  Json v = app("/z");
  EXPECT_EQ(v["tasks"][0]["id"], id);
  EXPECT_GE(v["tasks"][0]["healthCheckResults"][0]["consecutiveFailures"].get<int>(), 20);
}

TEST_F(EngineTest, DependenciesOrderStepsAndCyclesAreRejected) {
  Json body = {{"id", "/ceph"},
               {"apps",
                {{{"id", "osd"}, {"cmd", "x"}, {"cpus", 0.1}, {"dependencies", {"/ceph/mon"}}},
                 {{"id", "mon"}, {"cmd", "x"}, {"cpus", 0.1}},
                 {{"id", "rgw"}, {"cmd", "x"}, {"cpus", 0.1}, {"dependencies", {"osd"}}}}}};
  Json steps;
  auto dry = engine_->updateGroup("/ceph", body, false, true, &steps);
  ASSERT_TRUE(dry.ok()) << dry.error().body.dump();
  ASSERT_EQ(steps["steps"].size(), 4u) << steps.dump();
  EXPECT_EQ(steps["steps"][1]["actions"][0]["app"], "/ceph/mon");
  EXPECT_EQ(steps["steps"][2]["actions"][0]["app"], "/ceph/osd");
  EXPECT_EQ(steps["steps"][3]["actions"][0]["app"], "/ceph/rgw");
  body["apps"][1]["dependencies"] = {"/ceph/rgw"};
  auto cyc = engine_->updateGroup("/ceph", body, false, false, nullptr);
  ASSERT_FALSE(cyc.ok());
  EXPECT_EQ(cyc.error().status, 422);
}

TEST_F(EngineTest, ScaleDownKillsYoungestFirst) {
  ASSERT_TRUE(engine_->createApp(basic("/y", 1), false).ok());
  run(3);
  std::string first = app("/y")["tasks"][0]["id"];
  ASSERT_TRUE(engine_->updateApps({{{"instances", 3}}}, "/y", true, false, false, nullptr).ok());
  run(3);
  ASSERT_TRUE(engine_->updateApps({{{"instances", 1}}}, "/y", true, false, false, nullptr).ok());
  run(3);
  Json v = app("/y");
  ASSERT_EQ(v["tasks"].size(), 1u);
  EXPECT_EQ(v["tasks"][0]["id"], first);
}

}  // namespace
}  // namespace ceph_planner::marathon_sim
