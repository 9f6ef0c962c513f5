#include "marathon_client/marathon_json.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace ceph_planner::marathon {
namespace {

TEST(MarathonJsonTest, Deployments) {
  auto list = deploymentsFromJson(R"([{"id":"d1","version":"v","affectedApps":["/a","/b"],
    "affectedPods":[],"steps":[{"actions":[{"action":"StartApplication","app":"/a"}]}],
    "currentActions":[{"action":"ScaleApplication","app":"/a","readinessCheckResults":[]}],
    "currentStep":2,"totalSteps":3}])");
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  const auto& d = (*list)[0];
  EXPECT_EQ(d.id, "d1");
  EXPECT_EQ(d.affectedApps, (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(d.currentStep, 2);
  EXPECT_EQ(d.totalSteps, 3);
  EXPECT_EQ(d.currentActions, (std::vector<DeploymentAction>{{"ScaleApplication", "/a"}}));
  EXPECT_ERROR_CODE(deploymentsFromJson("{}"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(deploymentsFromJson("not json"), ErrorCode::InvalidInput);
}

TEST(MarathonJsonTest, QueueKeepsDeclinedReasonsInOrder) {
  auto queue = queueFromJson(R"({"queue":[{"app":{"id":"/ceph/c/osd/h-1"},"count":1,
    "delay":{"timeLeftSeconds":0,"overdue":true},"since":"t",
    "processedOffersSummary":{"processedOffersCount":9,"unusedOffersCount":9,
      "rejectSummaryLastOffers":[{"reason":"UnfulfilledRole","declined":0,"processed":9},
        {"reason":"UnfulfilledConstraint","declined":9,"processed":9},
        {"reason":"InsufficientCpus","declined":0,"processed":0}]}}]})");
  ASSERT_OK(queue);
  ASSERT_EQ(queue->size(), 1u);
  const auto& e = (*queue)[0];
  EXPECT_EQ(e.appId, "/ceph/c/osd/h-1");
  EXPECT_EQ(e.count, 1);
  EXPECT_TRUE(e.delayOverdue);
  EXPECT_EQ(e.processedOffers, 9);
  ASSERT_EQ(e.rejectReasons.size(), 1u);
  EXPECT_EQ(e.rejectReasons[0].reason, "UnfulfilledConstraint");
  EXPECT_EQ(e.rejectReasons[0].declined, 9);
}

TEST(MarathonJsonTest, InfoLeaderAndRefs) {
  auto info = infoFromJson(R"({"name":"marathon","version":"1.10.26","elected":true,
    "leader":"m1:8080","frameworkId":"f-1","marathon_config":{}})");
  ASSERT_OK(info);
  EXPECT_EQ(info->leader, "m1:8080");
  EXPECT_TRUE(info->elected);
  EXPECT_EQ(leaderFromJson(R"({"leader":"m2:8080"})").value(), "m2:8080");
  EXPECT_ERROR_CODE(leaderFromJson("{}"), ErrorCode::InvalidInput);
  auto ref = deploymentRefFromJson(R"({"deploymentId":"x","version":"v"})");
  ASSERT_OK(ref);
  EXPECT_EQ(ref->deploymentId, "x");
  EXPECT_ERROR_CODE(deploymentRefFromJson(R"({"id":"/app"})"), ErrorCode::InvalidInput);
}

TEST(MarathonJsonTest, KillAnswersAndBodies) {
  EXPECT_EQ(killedTaskIdsFromJson(R"({"tasks":[{"id":"a"},{"id":"b"}]})").value(),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(killedTaskIdsFromJson(R"({"task":{"id":"c"}})").value(), std::vector<std::string>{"c"});
  EXPECT_EQ(scaleBodyJson(3), R"({"instances":3})");
  EXPECT_EQ(killBodyJson({"a", "b"}), R"({"ids":["a","b"]})");
  planner::AppSpec a;
  a.id = "/x";
  a.cmd = "true";
  std::string arr = appsArrayJson({a, a});
  EXPECT_EQ(arr.front(), '[');
  EXPECT_EQ(arr.back(), ']');
  EXPECT_EQ(appsArrayJson({}), "[]");
}

}  // namespace
}  // namespace ceph_planner::marathon
