// The serialised group view (`getGroupText`, written without building a JSON document) and the
// tick's handling of tasks whose app was removed.

#include <gtest/gtest.h>

#include "sim/marathon/agents.h"
#include "sim/marathon/engine.h"
#include "sim/marathon/time_util.h"

namespace ceph_planner::marathon_sim {
namespace {

class GroupViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<ManualClock>(TimePoint(Millis(1'700'000'000'000)));
    auto agents = parseAgentsYaml(R"(
agents:
  - {hostname: h1, resources: {cpus: 16, mem: 16384, disk: 1000, ports: "[31000-31100]"}}
)");
    ASSERT_TRUE(agents.has_value());
    engine_ = std::make_unique<Engine>(clock_, *agents, 5);
  }
  void run(double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * 10); ++i) {
      clock_->advance(Millis(100));
      engine_->tick();
    }
  }
  static Json app(const std::string& id) {
    return {{"id", id},  {"cmd", "run \"x\"\\n"}, {"cpus", 0.5},
            {"mem", 64}, {"instances", 1},        {"labels", {{"a\"b", "c"}}}};
  }
  std::vector<std::string> appIds(const Json& group) {
    std::vector<std::string> out;
    for (const auto& a : group["apps"]) out.push_back(a["id"]);
    return out;
  }

  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(GroupViewTest, TextIsCanonicalDumpAndAppsMatchTheAppView) {
  // Sibling ids sharing a prefix ("/a" and "/a-b") must not leak into each other's subtree.
  Json body = {{"id", "/a"},
               {"apps", Json::array({app("x")})},
               {"groups", Json::array({Json{{"id", "/a/b"}, {"apps", Json::array({app("y")})}}})}};
  ASSERT_TRUE(engine_->createGroup("", body, false).ok());
  ASSERT_TRUE(
      engine_->createGroup("", {{"id", "/a-b"}, {"apps", Json::array({app("z")})}}, false).ok());
  run(3);
  GroupEmbeds all;
  all.app = parseAppEmbeds({"group.apps.counts", "group.apps.tasks", "group.apps.deployments"});
  auto text = engine_->getGroupText("/a", all);
  ASSERT_TRUE(text.ok());
  Json g = Json::parse(text.value());
  // Same bytes as nlohmann would write for the document (sorted keys, same escapes).
  EXPECT_EQ(g.dump(), text.value());
  EXPECT_EQ(appIds(g), std::vector<std::string>{"/a/x"});
  ASSERT_EQ(g["groups"].size(), 1u);
  EXPECT_EQ(g["groups"][0]["id"], "/a/b");
  EXPECT_EQ(appIds(g["groups"][0]), std::vector<std::string>{"/a/b/y"});
  EXPECT_EQ(g["groups"][0]["groups"], Json::array());
  EXPECT_EQ(g["pods"], Json::array());
  // Each app is its app view with the same embeds.
  Json x = engine_->getApp("/a/x", all.app).value()["app"];
  EXPECT_EQ(g["apps"][0], x);
  EXPECT_EQ(x["tasksRunning"], 1);
  EXPECT_EQ(x["tasks"].size(), 1u);

  // Root without group.groups: only the root's own apps (none), no "groups" member.
  GroupEmbeds rootOnly;
  rootOnly.groups = false;
  auto root = Json::parse(engine_->getGroupText("/", rootOnly).value());
  EXPECT_EQ(root["apps"], Json::array());
  EXPECT_FALSE(root.contains("groups"));
  // Whole tree: /a, /a-b in id order.
  auto tree = Json::parse(engine_->getGroupText("/", GroupEmbeds{}).value());
  ASSERT_EQ(tree["groups"].size(), 2u);
  EXPECT_EQ(tree["groups"][1]["id"], "/a-b");
  EXPECT_EQ(appIds(tree["groups"][1]), std::vector<std::string>{"/a-b/z"});
  EXPECT_EQ(engine_->getGroupText("/nope", GroupEmbeds{}).error().status, 404);
}

TEST_F(GroupViewTest, TasksOfADeletedAppAreKilledAndRemoved) {
  ASSERT_TRUE(engine_->createApp(app("/keep"), false).ok());
  ASSERT_TRUE(engine_->createApp(app("/gone"), false).ok());
  run(3);
  ASSERT_EQ(engine_->listTasks({}).at("tasks").size(), 2u);
  ASSERT_TRUE(engine_->deleteApp("/gone", false).ok());
  run(0.1);
  Json tasks = engine_->listTasks({})["tasks"];
  ASSERT_EQ(tasks.size(), 2u);
  for (const auto& t : tasks)
    EXPECT_EQ(t["state"], t["appId"] == "/gone" ? "TASK_KILLING" : "TASK_RUNNING");
  run(2);
  tasks = engine_->listTasks({})["tasks"];
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0]["appId"], "/keep");
  EXPECT_EQ(engine_->listDeployments().size(), 0u);
}

}  // namespace
}  // namespace ceph_planner::marathon_sim
