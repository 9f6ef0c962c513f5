// Contract: /v2/groups, /v2/deployments, /v2/queue.

#include <set>
#include <thread>

#include "contract_fixture.h"

namespace ceph_planner::marathon_contract {
namespace {

Json cephGroup() {
  Json osd = simpleApp("osd-h1-sdb");
  osd["constraints"] = {{"hostname", "CLUSTER", "h1.example"}, {"disk_sdb", "CLUSTER", "true"}};
  osd["upgradeStrategy"] = {{"minimumHealthCapacity", 0}, {"maximumOverCapacity", 0}};
  Json mon = simpleApp("mon", 3);
  mon["constraints"] = Json::array({Json::array({"hostname", "UNIQUE"})});
  return {{"id", "/ceph"}, {"groups", {{{"id", "/ceph/osds"}, {"apps", {osd}}}}}, {"apps", {mon}}};
}

TEST_F(MarathonContract, GroupCreateGetAndEmbeds) {
  Reply r = post("/v2/groups", cephGroup());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(body(r).contains("deploymentId"));
  EXPECT_FALSE(r.header("marathon-deployment-id").empty());
  EXPECT_EQ(r.header("location"), base_ + "/ceph");
  EXPECT_EQ(post("/v2/groups", cephGroup()).status, 409);
  EXPECT_EQ(body(post("/v2/groups", cephGroup()))["message"],
            "Group /ceph is already created. Use PUT to change this group.");
  ASSERT_TRUE(waitIdle());

  Json root = body(get(
      "/v2/"
      "groups?embed=group.groups&embed=group.apps&embed=group.apps.deployments&embed=group.apps."
      "counts&embed=group.apps.readiness"));
  EXPECT_EQ(root["id"], "/");
  ASSERT_EQ(root["groups"].size(), 1u);
  const Json& ceph = root["groups"][0];
  EXPECT_EQ(ceph["id"], "/ceph");
  ASSERT_EQ(ceph["apps"].size(), 1u);
  EXPECT_EQ(ceph["apps"][0]["id"], "/ceph/mon");
  EXPECT_EQ(ceph["apps"][0]["tasksRunning"], 3);
  EXPECT_TRUE(ceph["apps"][0].contains("deployments"));
  EXPECT_TRUE(ceph["apps"][0].contains("readinessCheckResults"));
  EXPECT_FALSE(ceph["apps"][0].contains("tasks"));
  EXPECT_EQ(ceph["groups"][0]["apps"][0]["id"], "/ceph/osds/osd-h1-sdb");

  Json osds = body(get("/v2/groups/ceph/osds?embed=group.apps&embed=group.apps.tasks"));
  EXPECT_EQ(osds["apps"][0]["tasks"][0]["host"], "h1.example");
  EXPECT_FALSE(osds.contains("groups"));
  EXPECT_EQ(get("/v2/groups/nope").status, 404);
  EXPECT_EQ(body(get("/v2/groups/nope"))["message"], "Group '/nope' does not exist");
  // The mon hosts are all different (hostname:UNIQUE).
  std::set<std::string> hosts;
  Json mon = body(get("/v2/apps/ceph/mon"));
  for (const auto& t : mon["app"]["tasks"]) hosts.insert(t["host"]);
  EXPECT_EQ(hosts.size(), 3u);
}

TEST_F(MarathonContract, GroupPutReplacesScalesDryRunsAndRollsBack) {
  ASSERT_EQ(post("/v2/groups", cephGroup()).status, 201);
  ASSERT_TRUE(waitIdle());
  std::string v1 = body(get("/v2/groups/ceph/versions"))[0];

  Json dry = {{"id", "/ceph"}, {"apps", {simpleApp("mon", 3)}}};
  Reply dr = call("PUT", "/v2/groups/ceph?dryRun=true", dry.dump());
  ASSERT_EQ(dr.status, 200) << dr.body;
  ASSERT_TRUE(body(dr).contains("steps"));
  EXPECT_TRUE(body(get("/v2/deployments")).empty());
  EXPECT_EQ(get("/v2/apps/ceph/osds/osd-h1-sdb").status, 200);

  Reply scaled = put("/v2/groups/ceph", {{"scaleBy", 2}});
  ASSERT_EQ(scaled.status, 200) << scaled.body;
  EXPECT_EQ(body(get("/v2/apps/ceph/osds/osd-h1-sdb"))["app"]["instances"], 2);
  Reply cancel = call("PUT", "/v2/groups/ceph?force=true", Json{{"scaleBy", 0.5}}.dump());
  ASSERT_EQ(cancel.status, 200);
  ASSERT_TRUE(waitIdle());

  // Replace: only mon remains, the osds group goes away.
  Json mon = simpleApp("mon", 3);
  mon["constraints"] = Json::array({Json::array({"hostname", "UNIQUE"})});
  Reply rep = put("/v2/groups/ceph", {{"id", "/ceph"}, {"apps", {mon}}});
  ASSERT_EQ(rep.status, 200) << rep.body;
  ASSERT_TRUE(waitIdle());
  EXPECT_EQ(get("/v2/apps/ceph/osds/osd-h1-sdb").status, 404);
  EXPECT_EQ(get("/v2/groups/ceph/osds").status, 404);

  // Rollback to the first version brings it back.
  Reply back = put("/v2/groups/ceph", {{"version", v1}});
  ASSERT_EQ(back.status, 200) << back.body;
  ASSERT_TRUE(waitIdle());
  EXPECT_EQ(get("/v2/apps/ceph/osds/osd-h1-sdb").status, 200);
  EXPECT_EQ(put("/v2/groups/ceph", {{"version", "1999-01-01T00:00:00.000Z"}}).status, 422);

  // Nested ids must be children of the group.
  Reply bad = put("/v2/groups/ceph", {{"groups", {{{"id", "/elsewhere"}}}}});
  EXPECT_EQ(bad.status, 422);
}

TEST_F(MarathonContract, GroupDeleteStopsEverythingBeneath) {
  ASSERT_EQ(post("/v2/groups", cephGroup()).status, 201);
  ASSERT_TRUE(waitIdle());
  Reply d = del("/v2/groups/ceph");
  ASSERT_EQ(d.status, 200);
  EXPECT_TRUE(body(d).contains("deploymentId"));
  ASSERT_TRUE(waitIdle());
  EXPECT_EQ(get("/v2/groups/ceph").status, 404);
  EXPECT_EQ(body(get("/v2/tasks"))["tasks"].size(), 0u);
  EXPECT_EQ(del("/v2/groups/ceph").status, 404);
}

TEST_F(MarathonContract, DeploymentsListShapeRollbackAndForceCancel) {
  Json app = simpleApp("/w");
  app["constraints"] = {{"hostname", "CLUSTER", "nowhere.example"}};
  ASSERT_EQ(post("/v2/apps", app).status, 201);
  Json deps = body(get("/v2/deployments"));
  ASSERT_EQ(deps.size(), 1u);
  const Json& d = deps[0];
  for (const char* k :
       {"id", "version", "affectedApps", "steps", "currentActions", "currentStep", "totalSteps"})
    EXPECT_TRUE(d.contains(k)) << k;
  EXPECT_EQ(d["totalSteps"], 2);
  EXPECT_EQ(d["steps"][0]["actions"][0]["action"], "StartApplication");
  EXPECT_EQ(d["steps"][1]["actions"][0]["action"], "ScaleApplication");

  // Never times out: still there later, waiting in the queue with its reason.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(body(get("/v2/deployments")).size(), 1u);
  Json q = body(get("/v2/queue"));
  ASSERT_EQ(q["queue"].size(), 1u);
  EXPECT_EQ(q["queue"][0]["app"]["id"], "/w");
  EXPECT_EQ(q["queue"][0]["count"], 1);
  EXPECT_EQ(q["queue"][0]["delay"]["overdue"], true);
  bool constraintRejects = false;
  for (const auto& r : q["queue"][0]["processedOffersSummary"]["rejectSummaryLastOffers"])
    if (r["reason"] == "UnfulfilledConstraint" && r["declined"].get<int>() == 3)
      constraintRejects = true;
  EXPECT_TRUE(constraintRejects) << q.dump();

  // Rollback (no force): a new deployment reverting the creation → the app goes away.
  Reply rb = del("/v2/deployments/" + d["id"].get<std::string>());
  ASSERT_EQ(rb.status, 200) << rb.body;
  EXPECT_TRUE(body(rb).contains("deploymentId"));
  EXPECT_FALSE(rb.header("marathon-deployment-id").empty());
  ASSERT_TRUE(waitIdle());
  EXPECT_EQ(get("/v2/apps/w").status, 404);
  EXPECT_EQ(del("/v2/deployments/nope").status, 404);
  EXPECT_EQ(body(del("/v2/deployments/nope"))["message"], "DeploymentPlan nope does not exist");

  // Force: just stop it (202, empty body); the app stays.
  ASSERT_EQ(post("/v2/apps", app).status, 201);
  std::string id = body(get("/v2/deployments"))[0]["id"];
  Reply f = del("/v2/deployments/" + id + "?force=true");
  EXPECT_EQ(f.status, 202);
  EXPECT_TRUE(f.body.empty());
  EXPECT_TRUE(body(get("/v2/deployments")).empty());
  EXPECT_EQ(get("/v2/apps/w").status, 200);
}

TEST_F(MarathonContract, QueueDelayResetAnd404) {
  EXPECT_EQ(del("/v2/queue/nothing/delay").status, 404);
  EXPECT_EQ(body(del("/v2/queue/nothing/delay"))["message"],
            "Application /nothing not found in tasks queue.");
  Json app = simpleApp("/q");
  app["cpus"] = 100;  // No agent has that much.
  ASSERT_EQ(post("/v2/apps", app).status, 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Json q = body(get("/v2/queue"));
  ASSERT_EQ(q["queue"].size(), 1u);
  bool cpus = false;
  for (const auto& r : q["queue"][0]["processedOffersSummary"]["rejectSummaryLastOffers"])
    if (r["reason"] == "InsufficientCpus" && r["declined"].get<int>() > 0) cpus = true;
  EXPECT_TRUE(cpus);
  EXPECT_EQ(del("/v2/queue/q/delay").status, 204);
}

}  // namespace
}  // namespace ceph_planner::marathon_contract
