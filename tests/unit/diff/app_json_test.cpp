// The Marathon JSON codec: round trips, Marathon defaults, echoed AppInfo responses, errors.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/testing.h"
#include "planner/app_json.h"
#include "tests/unit/diff/sample_apps.h"

namespace ceph_planner::planner {
namespace {

using namespace testing;  // NOLINT

std::string readFixture(const std::string& name) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/tests/testdata/diff/" + name);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void expectRoundTrip(const AppSpec& app) {
  for (bool pretty : {false, true}) {
    Result<AppSpec> back = appFromJson(appToJson(app, pretty));
    ASSERT_OK(back);
    EXPECT_EQ(*back, app) << appToJson(app, true) << "\nvs\n" << appToJson(*back, true);
  }
}

TEST(AppJson, RoundTripsEveryKindOfApp) {
  expectRoundTrip(monApp("stor01"));
  expectRoundTrip(mgrApp("stor02"));
  expectRoundTrip(osdApp("stor03", "s07", "/dev/sdh"));
  expectRoundTrip(osdApp("stor03", "s08", "/dev/sdi", ""));
  expectRoundTrip(rgwApp("main", 2, 2, 6));
}

TEST(AppJson, RoundTripsUnusualValues) {
  AppSpec app;
  app.id = "/ceph/box/x";
  app.cpus = 0.1;
  app.mem = 333.5;
  app.disk = 12;
  app.instances = 0;
  app.user = "ceph";
  app.unreachableStrategy = {false, 60, 120};
  app.upgradeStrategy = {0.5, 0.25};
  app.killSelection = "OLDEST_FIRST";
  app.backoffSeconds = 3;
  app.backoffFactor = 1.5;
  app.maxLaunchDelaySeconds = 3600;
  app.dependencies = {"/ceph/box/mon"};
  app.fetch = {{"http://x/a.tgz", true, true, true, "dest"}};
  app.portDefinitions = {{0, "udp", "metrics"}, {9283, "tcp", ""}};
  Container mesos;
  mesos.type = "MESOS";
  mesos.image = "busybox";
  app.container = mesos;
  HealthCheck tcp;
  tcp.protocol = "TCP";
  tcp.port = 9283;
  HealthCheck http;
  http.protocol = "HTTP";
  http.path = "/health";
  http.ignoreHttp1xx = true;
  app.healthChecks = {tcp, http};
  setKeyValue(app.env, "ÜNICODE", "välue \"quoted\"\n");
  expectRoundTrip(app);
}

TEST(AppJson, EncodesOwnedFieldsExplicitly) {
  nlohmann::json j = nlohmann::json::parse(appToJson(osdApp("stor01", "s01", "/dev/sdb")));
  EXPECT_EQ(j["portDefinitions"], nlohmann::json::array());
  EXPECT_EQ(j["unreachableStrategy"], "disabled");
  EXPECT_EQ(j["upgradeStrategy"]["minimumHealthCapacity"], 0.0);
  EXPECT_EQ(j["upgradeStrategy"]["maximumOverCapacity"], 0.0);
  EXPECT_EQ(j["container"]["docker"]["network"], "HOST");
  EXPECT_TRUE(j["container"]["volumes"].is_array());
  EXPECT_EQ(j["healthChecks"][0]["command"]["value"],
            "ceph --admin-daemon /var/run/ceph/ceph-osd.s01.asok status");
  EXPECT_EQ(j["labels"][kLabelManaged], "true");
  EXPECT_FALSE(j.contains("args"));
  EXPECT_FALSE(j.contains("ports"));
  EXPECT_FALSE(j.contains("uris"));
}

TEST(AppJson, EncodingIsDeterministicAndStartsWithId) {
  std::string a = appToJson(rgwApp("main", 2, 2, 6));
  EXPECT_EQ(a, appToJson(rgwApp("main", 2, 2, 6)));
  EXPECT_EQ(a.rfind("{\"id\":\"/ceph/box/rgw/main\"", 0), 0u) << a;
}

TEST(AppJson, AppliesMarathonDefaultsToAMinimalApp) {
  Result<AppSpec> app = appFromJson(R"({"id":"/a","cmd":"sleep 1"})");
  ASSERT_OK(app);
  EXPECT_EQ(app->cpus, 1.0);
  EXPECT_EQ(app->mem, 128.0);
  EXPECT_EQ(app->disk, 0.0);
  EXPECT_EQ(app->instances, 1);
  ASSERT_EQ(app->portDefinitions.size(), 1u);
  EXPECT_EQ(app->portDefinitions[0], (PortDefinition{0, "tcp", "default"}));
  EXPECT_EQ(app->upgradeStrategy, (UpgradeStrategy{1.0, 1.0}));
  EXPECT_FALSE(app->unreachableStrategy.disabled);
  EXPECT_EQ(app->killSelection, "YOUNGEST_FIRST");
  EXPECT_EQ(app->backoffSeconds, 1);
  EXPECT_EQ(app->backoffFactor, 1.15);
  EXPECT_EQ(app->maxLaunchDelaySeconds, 300);
  EXPECT_FALSE(app->requirePorts);
  EXPECT_FALSE(app->container.has_value());
}

TEST(AppJson, ExplicitEmptyPortDefinitionsStayEmpty) {
  Result<AppSpec> app = appFromJson(R"({"id":"/a","cmd":"x","portDefinitions":[]})");
  ASSERT_OK(app);
  EXPECT_TRUE(app->portDefinitions.empty());
}

TEST(AppJson, ConvertsDeprecatedPortsAndUris) {
  Result<AppSpec> app = appFromJson(
      R"({"id":"/a","cmd":"x","ports":[8080,0],"uris":["http://h/a.tar.gz","http://h/conf"]})");
  ASSERT_OK(app);
  ASSERT_EQ(app->portDefinitions.size(), 2u);
  EXPECT_EQ(app->portDefinitions[0], (PortDefinition{8080, "tcp", ""}));
  EXPECT_EQ(app->portDefinitions[1], (PortDefinition{0, "tcp", ""}));
  ASSERT_EQ(app->fetch.size(), 2u);
  EXPECT_TRUE(app->fetch[0].extract);
  EXPECT_FALSE(app->fetch[1].extract);
  EXPECT_EQ(app->fetch[1].uri, "http://h/conf");
}

TEST(AppJson, HealthCheckDefaultsAndNormalisation) {
  Result<AppSpec> app = appFromJson(
      R"({"id":"/a","cmd":"x","healthChecks":[{"protocol":"MESOS_HTTP","path":"status"},{}]})");
  ASSERT_OK(app);
  ASSERT_EQ(app->healthChecks.size(), 2u);
  EXPECT_EQ(app->healthChecks[0].path, "/status");
  const HealthCheck& h = app->healthChecks[1];
  EXPECT_EQ(h.protocol, "HTTP");
  EXPECT_EQ(h.gracePeriodSeconds, 300);
  EXPECT_EQ(h.intervalSeconds, 60);
  EXPECT_EQ(h.timeoutSeconds, 20);
  EXPECT_EQ(h.maxConsecutiveFailures, 3);
  EXPECT_EQ(h.delaySeconds, 15);
  EXPECT_FALSE(h.port.has_value());
  EXPECT_FALSE(h.portIndex.has_value());
}

TEST(AppJson, AcceptsIntegersWrittenAsFloatsAndSortsLabels) {
  Result<AppSpec> app = appFromJson(
      R"({"id":"/a","cmd":"x","instances":3.0,"cpus":2,"labels":{"z":"1","a":"2"},
          "constraints":[["hostname","unique"]]})");
  ASSERT_OK(app);
  EXPECT_EQ(app->instances, 3);
  EXPECT_EQ(app->cpus, 2.0);
  ASSERT_EQ(app->labels.size(), 2u);
  EXPECT_EQ(app->labels[0].first, "a");
  EXPECT_EQ(app->constraints[0], (Constraint{"hostname", "UNIQUE"}));
}

TEST(AppJson, ErrorsNameTheJsonPath) {
  Result<AppSpec> r = appFromJson(R"({"id":"/a","healthChecks":[{"gracePeriodSeconds":"x"}]})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(r.error().message,
            "app '/a': healthChecks[0].gracePeriodSeconds: expected an integer, got string");

  r = appFromJson(R"({"id":"/a","instances":1.5})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "app '/a': instances: expected an integer, got 1.5");

  r = appFromJson(R"({"id":"/a","labels":{"k":1}})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "app '/a': labels.k: expected a string");

  r = appFromJson(R"({"id":"/a","unreachableStrategy":"sometimes"})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "app '/a': unreachableStrategy: expected \"disabled\" or an object");

  EXPECT_ERROR_CODE(appFromJson("{not json"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(appFromJson(R"({"apps":[]})"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(appFromJson("[1,2]"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(observedFromGroupJson(R"({"message":"Group '/x' does not exist"})"),
                    ErrorCode::InvalidInput);
}

// A Marathon 1.10 `GET /v2/apps/<id>` response for an app we PUT: extra fields, defaults filled,
// `docker.network` moved to `networks`, `{"app": ...}` wrapper.
TEST(AppJson, EchoedOsdAppInfoDecodesEqualToDesired) {
  Result<ObservedApp> observed = observedAppFromJson(readFixture("app_info_osd.json"));
  ASSERT_OK(observed);
  EXPECT_EQ(observed->spec, osdApp("stor03", "s07", "/dev/sdh")) << appToJson(observed->spec, true);
  const AppStatus& s = observed->status;
  EXPECT_EQ(s.version, "2026-11-20T10:15:02.311Z");
  EXPECT_EQ(s.lastConfigChangeAt, "2026-11-20T10:15:02.311Z");
  EXPECT_EQ(s.lastScalingAt, "2026-11-20T10:15:02.311Z");
  EXPECT_EQ(s.tasksRunning, 1);
  EXPECT_EQ(s.tasksHealthy, 1);
  EXPECT_EQ(s.tasksStaged, 0);
  EXPECT_EQ(s.tasksUnhealthy, 0);
  ASSERT_EQ(s.tasks.size(), 1u);
  EXPECT_EQ(s.tasks[0].host, "stor03");
  EXPECT_EQ(s.tasks[0].state, "TASK_RUNNING");
  EXPECT_EQ(s.tasks[0].healthy, std::optional<bool>(true));
  EXPECT_TRUE(s.tasks[0].ports.empty());
  EXPECT_EQ(s.lastTaskFailureMessage, "Container exited with status 1");
  EXPECT_TRUE(s.deploymentIds.empty());
}

TEST(AppJson, EchoedRgwAppInfoDecodesEqualToDesired) {
  Result<ObservedApp> observed = observedAppFromJson(readFixture("app_info_rgw.json"));
  ASSERT_OK(observed);
  EXPECT_EQ(observed->spec, rgwApp("main", 3, 2, 6)) << appToJson(observed->spec, true);
  const AppStatus& s = observed->status;
  ASSERT_EQ(s.tasks.size(), 3u);
  EXPECT_EQ(s.tasks[0].healthy, std::optional<bool>(true));
  EXPECT_EQ(s.tasks[1].healthy, std::optional<bool>(false));
  EXPECT_EQ(s.tasks[1].lastFailureCause, "connection refused");
  EXPECT_EQ(s.tasks[2].healthy, std::nullopt);
  EXPECT_EQ(s.tasks[2].ports, std::vector<int>{8080});
  EXPECT_EQ(s.deploymentIds, std::vector<std::string>{"5ed4c0c5-9ff8-4a6f-a0cd-f57f67a34b1c"});
}

TEST(AppJson, ObservedGroupIsWalkedRecursivelyAndSorted) {
  Result<ObservedState> state = observedFromGroupJson(readFixture("observed_group.json"));
  ASSERT_OK(state);
  EXPECT_EQ(state->groupId, "/ceph/box");
  EXPECT_TRUE(state->groupExists);
  std::vector<std::string> ids;
  for (const auto& app : state->apps) ids.push_back(app.spec.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"/ceph/box/mgr/stor01", "/ceph/box/mon/stor01",
                                           "/ceph/box/osd/stor01-s01", "/ceph/box/rgw/main",
                                           "/ceph/box/tools/debug"}));
  EXPECT_EQ(state->apps[1].spec, monApp("stor01"));
  EXPECT_EQ(state->apps[0].spec, mgrApp("stor01"));
  EXPECT_EQ(state->apps[2].spec, osdApp("stor01", "s01", "/dev/sdb"));
  // A foreign app with Marathon's default port and no ownership labels.
  EXPECT_EQ(state->apps[4].spec.portDefinitions.size(), 1u);
  EXPECT_EQ(state->apps[4].spec.labels.size(), 0u);
}

TEST(AppJson, GroupJsonNestsAppsByPathAndDecodesBack) {
  DesiredState desired;
  desired.groupId = kGroup;
  desired.apps = {mgrApp("stor01"), monApp("stor01"), monApp("stor02"),
                  osdApp("stor01", "s01", "/dev/sdb"), rgwApp("main", 2, 2, 6)};
  nlohmann::json j = nlohmann::json::parse(groupToJson(desired));
  EXPECT_EQ(j["id"], "/ceph/box");
  EXPECT_TRUE(j["apps"].empty());
  ASSERT_EQ(j["groups"].size(), 4u);
  EXPECT_EQ(j["groups"][0]["id"], "/ceph/box/mgr");
  EXPECT_EQ(j["groups"][1]["id"], "/ceph/box/mon");
  EXPECT_EQ(j["groups"][1]["apps"].size(), 2u);
  EXPECT_EQ(j["groups"][2]["id"], "/ceph/box/osd");
  EXPECT_EQ(j["groups"][3]["id"], "/ceph/box/rgw");

  Result<ObservedState> back = observedFromGroupJson(groupToJson(desired, false));
  ASSERT_OK(back);
  ASSERT_EQ(back->apps.size(), desired.apps.size());
  for (std::size_t i = 0; i < desired.apps.size(); ++i) {
    EXPECT_EQ(back->apps[i].spec, desired.apps[i]);
  }
}

}  // namespace
}  // namespace ceph_planner::planner
