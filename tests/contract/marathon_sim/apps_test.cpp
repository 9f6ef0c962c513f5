// Contract: /v2/apps and /v2/tasks.

#include "contract_fixture.h"

namespace ceph_planner::marathon_contract {
namespace {

TEST_F(MarathonContract, CreateAppReturns201WithAppLocationAndDeploymentHeader) {
  Reply r = post("/v2/apps", simpleApp("/ceph/rgw", 2));
  ASSERT_EQ(r.status, 201) << r.body;
  Json app = body(r);
  EXPECT_EQ(app["id"], "/ceph/rgw");
  EXPECT_EQ(app["instances"], 2);
  EXPECT_EQ(app["tasksRunning"], 0);
  ASSERT_EQ(app["deployments"].size(), 1u);
  EXPECT_EQ(r.header("marathon-deployment-id"), app["deployments"][0]["id"]);
  EXPECT_EQ(r.header("location"), base_ + "/ceph/rgw");
  EXPECT_FALSE(r.header("x-marathon-leader").empty());
  // Normalised: defaults and the default port definition with an assigned service port.
  EXPECT_EQ(app["upgradeStrategy"]["minimumHealthCapacity"], 1);
  EXPECT_EQ(app["portDefinitions"][0]["name"], "default");
  EXPECT_GE(app["portDefinitions"][0]["port"].get<int>(), 10000);
  EXPECT_FALSE(app.contains("ports"));
  EXPECT_EQ(app["version"], app["versionInfo"]["lastConfigChangeAt"]);

  Reply again = post("/v2/apps", simpleApp("/ceph/rgw"));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(body(again)["message"], "An app with id [/ceph/rgw] already exists.");
}

TEST_F(MarathonContract, RelativeIdIsResolvedAgainstRoot) {
  Reply r = post("/v2/apps", simpleApp("web"));
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(body(r)["id"], "/web");
}

TEST_F(MarathonContract, UnparseableJsonIs400WithStringDetails) {
  Reply r = call("POST", "/v2/apps", "{not json");
  EXPECT_EQ(r.status, 400);
  Json b = body(r);
  EXPECT_EQ(b["message"], "Invalid JSON");
  EXPECT_TRUE(b["details"].is_string());
}

TEST_F(MarathonContract, TypeErrorsAre422InvalidJson) {
  Json app = simpleApp("/x");
  app["cpus"] = "lots";
  Reply r = post("/v2/apps", app);
  EXPECT_EQ(r.status, 422);
  Json b = body(r);
  EXPECT_EQ(b["message"], "Invalid JSON");
  ASSERT_TRUE(b["details"].is_array());
  EXPECT_EQ(b["details"][0]["path"], "/cpus");
}

TEST_F(MarathonContract, SemanticRulesAre422ObjectIsNotValid) {
  struct Case {
    Json patch;
    std::string path;
    std::string error;
  };
  std::vector<Case> cases = {
      {{{"id", "/Bad_Id"}}, "/id", "must fully match regular expression"},
      {{{"id", "/a/tasks"}}, "/id", "must not end with"},
      {{{"args", {"x"}}}, "/", "AppDefinition must either contain one of 'cmd' or 'args'"},
      {{{"constraints", {{"hostname", "UNIQUE", ""}}}},
       "/constraints(0)",
       "UNIQUE does not accept a value"},
      {{{"constraints", {{"rack", "GROUP_BY", "x"}}}},
       "/constraints(0)",
       "GROUP BY must define an integer"},
      {{{"constraints", {{"rack", "LIKE", "("}}}},
       "/constraints(0)",
       "is not a valid regular expression"},
      {{{"constraints", Json::array({Json::array({"rack", "MAX_PER"})})}},
       "/constraints(0)",
       "MAX_PER requires an integer value"},
      {{{"constraints", {{"rack", "IS", "a b"}}}}, "/constraints(0)", "IS only supports"},
      {{{"portDefinitions", {{{"port", 8080}, {"name", "a"}}, {{"port", 8080}, {"name", "b"}}}}},
       "/portDefinitions",
       "Ports must be unique."},
      {{{"portDefinitions", {{{"port", 0}, {"name", "a"}}, {{"port", 0}, {"name", "a"}}}}},
       "/portDefinitions",
       "Port names must be unique."},
      {{{"portDefinitions", Json::array()}, {"healthChecks", {{{"protocol", "HTTP"}}}}},
       "/healthChecks(0)",
       "Health check port indices"},
      {{{"healthChecks", {{{"protocol", "MESOS_TCP"}}, {{"protocol", "MESOS_HTTP"}}}}},
       "/",
       "at most one Mesos health check"},
      {{{"upgradeStrategy", {{"minimumHealthCapacity", 1.5}}}},
       "/upgradeStrategy/minimumHealthCapacity",
       ""},
  };
  for (const auto& c : cases) {
    Json app = simpleApp("/v");
    for (const auto& [k, v] : c.patch.items()) app[k] = v;
    Reply r = post("/v2/apps", app);
    EXPECT_EQ(r.status, 422) << c.patch.dump() << " → " << r.body;
    Json b = body(r);
    bool found = false;
    for (const auto& d : b["details"])
      if (d["path"] == c.path)
        for (const auto& e : d["errors"])
          found = found || e.get<std::string>().find(c.error) != std::string::npos;
    EXPECT_TRUE(found) << c.patch.dump() << " → " << r.body;
  }
  Json both = simpleApp("/v");
  both["args"] = {"a"};
  Reply r = post("/v2/apps", both);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(body(r)["message"], "Object is not valid");
}

TEST_F(MarathonContract, AppBecomesRunningAndListEmbedsCountsAndDeployments) {
  ASSERT_EQ(post("/v2/apps", simpleApp("/a", 2)).status, 201);
  ASSERT_TRUE(waitIdle());
  Json list = body(get("/v2/apps"));
  ASSERT_EQ(list["apps"].size(), 1u);
  const Json& a = list["apps"][0];
  EXPECT_EQ(a["tasksRunning"], 2);
  EXPECT_EQ(a["tasksStaged"], 0);
  EXPECT_EQ(a["tasksHealthy"], 0);  // No health checks: neither healthy nor unhealthy.
  EXPECT_EQ(a["deployments"], Json::array());
  EXPECT_FALSE(a.contains("tasks"));
  Json withTasks = body(get("/v2/apps?embed=apps.tasks&embed=apps.taskStats"));
  ASSERT_EQ(withTasks["apps"][0]["tasks"].size(), 2u);
  const Json& t = withTasks["apps"][0]["tasks"][0];
  EXPECT_EQ(t["state"], "TASK_RUNNING");
  EXPECT_TRUE(t.contains("startedAt"));
  EXPECT_TRUE(t.contains("slaveId"));
  EXPECT_EQ(t["ipAddresses"][0]["protocol"], "IPv4");
  EXPECT_NE(t["id"].get<std::string>().find("a.instance-"), std::string::npos);
  EXPECT_TRUE(withTasks["apps"][0]["taskStats"].contains("totalSummary"));

  Json single = body(get("/v2/apps//a"));  // The UI's doubled slash.
  ASSERT_TRUE(single.contains("app"));
  EXPECT_EQ(single["app"]["tasks"].size(), 2u);
  EXPECT_TRUE(single["app"].contains("deployments"));
  EXPECT_EQ(get("/v2/apps/nope").status, 404);
  EXPECT_EQ(body(get("/v2/apps/nope"))["message"], "App '/nope' does not exist");
}

TEST_F(MarathonContract, ListFilters) {
  Json a = simpleApp("/ceph/mon");
  a["labels"] = {{"role", "mon"}, {"tier", "core"}};
  Json b = simpleApp("/web/nginx");
  b["cmd"] = "nginx -g daemon";
  b["labels"] = {{"role", "web"}};
  ASSERT_EQ(post("/v2/apps", a).status, 201);
  ASSERT_EQ(post("/v2/apps", b).status, 201);
  EXPECT_EQ(body(get("/v2/apps?id=CEPH"))["apps"].size(), 1u);
  EXPECT_EQ(body(get("/v2/apps?cmd=nginx"))["apps"][0]["id"], "/web/nginx");
  EXPECT_EQ(body(get("/v2/apps?label=role==mon"))["apps"][0]["id"], "/ceph/mon");
  EXPECT_EQ(body(get("/v2/apps?label=role!=mon"))["apps"][0]["id"], "/web/nginx");
  EXPECT_EQ(body(get("/v2/apps?label=tier"))["apps"].size(), 1u);
  EXPECT_EQ(body(get("/v2/apps?label=role%20in%20(mon,web)"))["apps"].size(), 2u);
  Json under = body(get("/v2/apps/ceph/*"));
  ASSERT_EQ(under["*"].size(), 1u);
}

TEST_F(MarathonContract, PutInstancesOnlyScalesOtherwiseRestarts) {
  ASSERT_EQ(post("/v2/apps", simpleApp("/s", 1)).status, 201);
  ASSERT_TRUE(waitIdle());
  std::string v1 = body(get("/v2/apps/s"))["app"]["version"];
  Reply scale = put("/v2/apps/s", {{"instances", 3}});
  ASSERT_EQ(scale.status, 200) << scale.body;
  Json ref = body(scale);
  EXPECT_TRUE(ref.contains("deploymentId"));
  EXPECT_TRUE(ref.contains("version"));
  EXPECT_EQ(scale.header("marathon-deployment-id"), ref["deploymentId"]);
  Json deps = body(get("/v2/deployments"));
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0]["steps"][0]["actions"][0]["action"], "ScaleApplication");
  ASSERT_TRUE(waitIdle());
  Json app = body(get("/v2/apps/s"))["app"];
  EXPECT_EQ(app["tasksRunning"], 3);
  EXPECT_EQ(app["cmd"], "sleep 1000");  // Partial update kept the rest.
  EXPECT_EQ(app["versionInfo"]["lastConfigChangeAt"], v1);
  EXPECT_NE(app["versionInfo"]["lastScalingAt"], v1);

  Reply restart = put("/v2/apps/s", {{"cmd", "sleep 2000"}});
  ASSERT_EQ(restart.status, 200);
  deps = body(get("/v2/deployments"));
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0]["steps"][0]["actions"][0]["action"], "RestartApplication");
  EXPECT_EQ(deps[0]["affectedApps"], Json::array({"/s"}));
  EXPECT_EQ(deps[0]["totalSteps"], 1);
  ASSERT_TRUE(waitIdle());
  Json after = body(get("/v2/apps/s"))["app"];
  EXPECT_EQ(after["tasksRunning"], 3);
  for (const auto& t : after["tasks"]) EXPECT_EQ(t["version"], after["version"]);

  // A no-op update still yields a deployment id and finishes at once.
  Reply noop = put("/v2/apps/s", {{"cmd", "sleep 2000"}});
  EXPECT_EQ(noop.status, 200);
  EXPECT_TRUE(body(noop).contains("deploymentId"));
  EXPECT_TRUE(body(get("/v2/deployments")).empty());

  Json versions = body(get("/v2/apps/s/versions"));
  ASSERT_GE(versions["versions"].size(), 3u);
  Reply old = get("/v2/apps/s/versions/" + v1);
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(body(old)["instances"], 1);
  EXPECT_EQ(get("/v2/apps/s/versions/2000-01-01T00:00:00.000Z").status, 404);
}

TEST_F(MarathonContract, PutCreatesWith201PatchNeverCreatesFullReplaceResetsFields) {
  Reply created = put("/v2/apps/new", simpleApp("/new"));
  EXPECT_EQ(created.status, 201);
  EXPECT_TRUE(body(created).contains("deploymentId"));
  EXPECT_EQ(patch("/v2/apps/missing", {{"instances", 2}}).status, 404);
  ASSERT_TRUE(waitIdle());
  EXPECT_EQ(patch("/v2/apps/new", {{"labels", {{"k", "v"}}}}).status, 200);
  ASSERT_TRUE(waitIdle());
  EXPECT_EQ(body(get("/v2/apps/new"))["app"]["labels"]["k"], "v");
  Json full = {{"cmd", "sleep 5"}};
  EXPECT_EQ(call("PUT", "/v2/apps/new?partialUpdate=false", full.dump()).status, 200);
  ASSERT_TRUE(waitIdle());
  Json app = body(get("/v2/apps/new"))["app"];
  EXPECT_EQ(app["labels"], Json::object());
  EXPECT_EQ(app["mem"], 128);
  // Rollback: version may only be combined with id.
  Reply bad = put("/v2/apps/new", {{"version", app["version"]}, {"cmd", "x"}});
  EXPECT_EQ(bad.status, 422);
}

TEST_F(MarathonContract, LockedAppIs409UnlessForce) {
  Json app = simpleApp("/stuck");
  app["constraints"] = {{"hostname", "CLUSTER", "nowhere.example"}};
  ASSERT_EQ(post("/v2/apps", app).status, 201);
  Reply locked = put("/v2/apps/stuck", {{"instances", 2}});
  ASSERT_EQ(locked.status, 409);
  Json b = body(locked);
  EXPECT_NE(b["message"].get<std::string>().find("App is locked by one or more deployments"),
            std::string::npos);
  ASSERT_EQ(b["deployments"].size(), 1u);
  Reply forced = call("PUT", "/v2/apps/stuck?force=true", Json{{"instances", 0}}.dump());
  EXPECT_EQ(forced.status, 200);
  ASSERT_TRUE(waitIdle());
  Reply restartLocked = call("POST", "/v2/apps/stuck/restart");
  EXPECT_EQ(restartLocked.status, 200);
}

TEST_F(MarathonContract, DeleteDefaultsToForceAnd404sAfterwards) {
  Json app = simpleApp("/gone");
  app["constraints"] = {{"hostname", "CLUSTER", "nowhere.example"}};
  ASSERT_EQ(post("/v2/apps", app).status, 201);
  Reply d = del("/v2/apps/gone");  // Locked, but DELETE defaults to force=true.
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_FALSE(d.header("marathon-deployment-id").empty());
  EXPECT_EQ(get("/v2/apps/gone").status, 404);
  EXPECT_EQ(del("/v2/apps/gone").status, 404);
  ASSERT_TRUE(waitIdle());
}

TEST_F(MarathonContract, RestartReplacesEveryTask) {
  ASSERT_EQ(post("/v2/apps", simpleApp("/r", 2)).status, 201);
  ASSERT_TRUE(waitIdle());
  Json before = body(get("/v2/apps/r/tasks"))["tasks"];
  Reply r = call("POST", "/v2/apps/r/restart");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(body(r).contains("deploymentId"));
  ASSERT_TRUE(waitIdle());
  Json after = body(get("/v2/apps/r/tasks"))["tasks"];
  ASSERT_EQ(after.size(), 2u);
  for (const auto& t : after)
    for (const auto& o : before) EXPECT_NE(t["id"], o["id"]);
  EXPECT_EQ(call("POST", "/v2/apps/none/restart").status, 404);
}

TEST_F(MarathonContract, KillTasksWithAndWithoutScale) {
  ASSERT_EQ(post("/v2/apps", simpleApp("/k", 3)).status, 201);
  ASSERT_TRUE(waitIdle());
  Json tasks = body(get("/v2/apps/k/tasks"))["tasks"];
  ASSERT_EQ(tasks.size(), 3u);
  std::string t0 = tasks[0]["id"];
  EXPECT_EQ(del("/v2/apps/k/tasks?scale=true&wipe=true").status, 400);
  EXPECT_EQ(body(del("/v2/apps/k/tasks?scale=true&wipe=true"))["message"],
            "You cannot use scale and wipe at the same time.");
  EXPECT_EQ(del("/v2/apps/k/tasks/k.instance-nope._app.1").status, 404);

  // Without scale: replaced.
  Reply one = del("/v2/apps/k/tasks/" + t0);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(body(one)["task"]["id"], t0);
  ASSERT_TRUE(waitApp("/k", [&](const Json& a) {
    if (a["tasksRunning"] != 3) return false;
    for (const auto& t : a["tasks"])
      if (t["id"] == t0) return false;
    return true;
  }));
  EXPECT_EQ(body(get("/v2/apps/k"))["app"]["instances"], 3);

  // With scale: instances drop.
  std::string t1 = body(get("/v2/apps/k/tasks"))["tasks"][0]["id"];
  Reply scaled = del("/v2/apps/k/tasks/" + t1 + "?scale=true");
  ASSERT_EQ(scaled.status, 200);
  EXPECT_TRUE(body(scaled).contains("deploymentId"));
  ASSERT_TRUE(waitIdle());
  Json app = body(get("/v2/apps/k"))["app"];
  EXPECT_EQ(app["instances"], 2);
  EXPECT_EQ(app["tasksRunning"], 2);
  for (const auto& t : app["tasks"]) EXPECT_NE(t["id"], t1);

  // Kill all on one host.
  std::string host = app["tasks"][0]["host"];
  Reply byHost = del("/v2/apps/k/tasks?host=" + host);
  ASSERT_EQ(byHost.status, 200);
  Json killed = body(byHost);
  ASSERT_FALSE(killed["tasks"].empty());
  for (const auto& t : killed["tasks"]) EXPECT_EQ(t["host"], host);
}

TEST_F(MarathonContract, TasksEndpointAndBulkDelete) {
  ASSERT_EQ(post("/v2/apps", simpleApp("/t", 2)).status, 201);
  ASSERT_TRUE(waitIdle());
  Json all = body(get("/v2/tasks"));
  ASSERT_EQ(all["tasks"].size(), 2u);
  EXPECT_TRUE(all["tasks"][0].contains("servicePorts"));
  EXPECT_EQ(body(get("/v2/tasks?status=running"))["tasks"].size(), 2u);
  EXPECT_EQ(body(get("/v2/tasks?status=staging"))["tasks"].size(), 0u);
  EXPECT_EQ(post("/v2/tasks/delete", {{"ids", {"garbage"}}}).status, 400);
  std::string id = all["tasks"][0]["id"];
  Reply scaled = post("/v2/tasks/delete?scale=true", {{"ids", {id}}});
  ASSERT_EQ(scaled.status, 200);
  EXPECT_TRUE(body(scaled).contains("deploymentId"));
  ASSERT_TRUE(waitIdle());
  EXPECT_EQ(body(get("/v2/apps/t"))["app"]["instances"], 1);
  std::string other = body(get("/v2/tasks"))["tasks"][0]["id"];
  Reply killed = post("/v2/tasks/delete", {{"ids", {other}}});
  ASSERT_EQ(killed.status, 200);
  EXPECT_EQ(body(killed)["tasks"][0]["id"], other);
}

TEST_F(MarathonContract, BulkPutAndPatch) {
  Reply r = put("/v2/apps", Json::array({simpleApp("/b1"), simpleApp("/b2")}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(body(r).contains("deploymentId"));
  ASSERT_TRUE(waitIdle());
  EXPECT_EQ(body(get("/v2/apps"))["apps"].size(), 2u);
  Reply p = patch("/v2/apps", Json::array({{{"id", "/b1"}, {"instances", 2}}}));
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(patch("/v2/apps", Json::array({{{"id", "/zz"}, {"instances", 2}}})).status, 404);
}

TEST_F(MarathonContract, DependencyCycleIs422) {
  Json a = simpleApp("/c/a");
  a["dependencies"] = {"/c/b"};
  Json b = simpleApp("/c/b");
  b["dependencies"] = {"/c/a"};
  ASSERT_EQ(post("/v2/apps", a).status, 201);
  Reply r = post("/v2/apps", b);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(body(r)["message"], "Dependency graph has cyclic dependencies.");
}

}  // namespace
}  // namespace ceph_planner::marathon_contract
