// HttpMarathonClient over a scripted transport: retries, failover, redirects, error mapping and
// request shapes, with a fake clock (no sockets, no sleeping).

#include "marathon_client/http_marathon_client.h"

#include <gtest/gtest.h>

#include "common/testing.h"
#include "marathon_client/error_mapping.h"
#include "tests/unit/marathon_client/test_doubles.h"

namespace ceph_planner::marathon {
namespace {

using std::chrono::milliseconds;
using testing::failure;
using testing::FakeClock;
using testing::reply;
using testing::ScriptedTransport;
using Kind = TransportError::Kind;

constexpr char kDeployment[] = R"({"deploymentId":"d-1","version":"2026-01-01T00:00:00.000Z"})";

struct Harness {
  explicit Harness(std::vector<std::string> urls = {"http://m1:8080"}, Credentials creds = {}) {
    auto t = std::make_unique<ScriptedTransport>();
    transport = t.get();
    clock = std::make_shared<FakeClock>();
    MarathonClientOptions options;
    options.baseUrls = std::move(urls);
    options.callTimeout = milliseconds(1500);
    options.retry = RetryPolicy{4, milliseconds(100), milliseconds(1000), milliseconds(10000)};
    options.credentials = std::move(creds);
    options.clock = clock;
    options.jitterSeed = 3;
    client = std::make_unique<HttpMarathonClient>(std::move(options), std::move(t));
  }
  ScriptedTransport* transport;
  std::shared_ptr<FakeClock> clock;
  std::unique_ptr<HttpMarathonClient> client;
};

planner::AppSpec app(const std::string& id) {
  planner::AppSpec a;
  a.id = id;
  a.cmd = "sleep 1000";
  return a;
}

TEST(HttpClientTest, GetGroupAsksForEveryEmbedAndDecodes) {
  Harness h;
  h.transport->push(reply(200, R"({"id":"/ceph/c1","apps":[{"id":"/ceph/c1/mon/a","cmd":"x",
      "instances":1,"tasksRunning":1,"deployments":[]}],"groups":[]})"));
  auto state = h.client->getGroup("/ceph/c1");
  ASSERT_OK(state);
  EXPECT_TRUE(state->groupExists);
  ASSERT_EQ(state->apps.size(), 1u);
  EXPECT_EQ(state->apps[0].spec.id, "/ceph/c1/mon/a");
  ASSERT_EQ(h.transport->calls.size(), 1u);
  EXPECT_EQ(h.transport->calls[0].method, "GET");
  EXPECT_EQ(h.transport->calls[0].url,
            "http://m1:8080/v2/groups/ceph/c1?embed=group.groups&embed=group.apps&embed=group."
            "apps.tasks&embed=group.apps.counts&embed=group.apps.deployments");
  EXPECT_EQ(h.transport->calls[0].timeout, milliseconds(1500));
}

TEST(HttpClientTest, MissingGroupIsAnEmptyStateNotAnError) {
  Harness h;
  h.transport->push(reply(404, R"({"message":"Group '/ceph/c1' does not exist"})"));
  auto state = h.client->getGroup("/ceph/c1");
  ASSERT_OK(state);
  EXPECT_FALSE(state->groupExists);
  EXPECT_EQ(state->groupId, "/ceph/c1");
  EXPECT_TRUE(state->apps.empty());
}

TEST(HttpClientTest, PutAppSendsFullDefinitionWithoutPartialUpdate) {
  Harness h;
  h.transport->push(reply(200, kDeployment));
  auto ref = h.client->putApp(app("/ceph/c1/mon/a"), /*force=*/true);
  ASSERT_OK(ref);
  EXPECT_EQ(ref->deploymentId, "d-1");
  const auto& call = h.transport->calls.at(0);
  EXPECT_EQ(call.method, "PUT");
  EXPECT_EQ(call.url, "http://m1:8080/v2/apps/ceph/c1/mon/a?force=true&partialUpdate=false");
  EXPECT_NE(call.body.find("\"id\":\"/ceph/c1/mon/a\""), std::string::npos) << call.body;
}

TEST(HttpClientTest, PutAppsIsOneArrayRequest) {
  Harness h;
  h.transport->push(reply(200, kDeployment));
  ASSERT_OK(h.client->putApps({app("/a/x"), app("/a/y")}, false));
  ASSERT_EQ(h.transport->calls.size(), 1u);
  EXPECT_EQ(h.transport->calls[0].url, "http://m1:8080/v2/apps?force=false&partialUpdate=false");
  EXPECT_EQ(h.transport->calls[0].body.front(), '[');
  EXPECT_ERROR_CODE(h.client->putApps({}, false), ErrorCode::InvalidInput);
  EXPECT_EQ(h.transport->calls.size(), 1u);
}

TEST(HttpClientTest, ScaleSendsOnlyInstances) {
  Harness h;
  h.transport->push(reply(200, kDeployment));
  ASSERT_OK(h.client->scaleApp("/ceph/c1/rgw/s3", 4, false));
  EXPECT_EQ(h.transport->calls[0].body, R"({"instances":4})");
  EXPECT_EQ(h.transport->calls[0].url,
            "http://m1:8080/v2/apps/ceph/c1/rgw/s3?force=false&partialUpdate=true");
}

TEST(HttpClientTest, RetriesIdempotentCallsWithJitteredBackoff) {
  Harness h;
  h.transport->push(reply(503, R"({"message":"leader election"})"));
  h.transport->push(failure(Kind::Failed, "connection reset"));
  h.transport->push(reply(200, kDeployment));
  ASSERT_OK(h.client->putApp(app("/a/x"), false));
  EXPECT_EQ(h.transport->calls.size(), 3u);
  ASSERT_EQ(h.clock->sleeps.size(), 2u);
  EXPECT_LE(h.clock->sleeps[0], milliseconds(100));
  EXPECT_LE(h.clock->sleeps[1], milliseconds(200));
}

TEST(HttpClientTest, GivesUpAfterMaxAttemptsWithTheLastError) {
  Harness h;
  for (int i = 0; i < 4; ++i) h.transport->push(reply(503, R"({"message":"busy"})"));
  auto r = h.client->info();
  EXPECT_ERROR_CODE(r, ErrorCode::Unavailable);
  EXPECT_NE(r.error().message.find("gave up after 4 attempts"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("\"busy\""), std::string::npos);
  EXPECT_EQ(h.transport->calls.size(), 4u);
}

TEST(HttpClientTest, RetryBudgetStopsEarly) {
  Harness h;
  auto t = std::make_unique<ScriptedTransport>();
  auto* transport = t.get();
  MarathonClientOptions options;
  options.baseUrls = {"http://m1:8080"};
  options.retry = RetryPolicy{100, milliseconds(1000), milliseconds(1000), milliseconds(2500)};
  options.clock = h.clock;
  options.jitterSeed = 5;
  HttpMarathonClient client(options, std::move(t));
  for (int i = 0; i < 100; ++i) transport->push(reply(502, ""));
  auto r = client.listDeployments();
  EXPECT_ERROR_CODE(r, ErrorCode::Unavailable);
  EXPECT_NE(r.error().message.find("retry budget"), std::string::npos) << r.error().message;
  Clock::Duration slept(0);
  for (auto s : h.clock->sleeps) slept += s;
  EXPECT_LE(slept, milliseconds(2500));
  EXPECT_LT(transport->calls.size(), 100u);
}

TEST(HttpClientTest, PostIsNeverRetried) {
  Harness h;
  h.transport->push(reply(503, ""));
  auto r = h.client->killTasks("/ceph/c1/rgw/s3", {"ceph_c1_rgw_s3.instance-1._app.1"}, true);
  EXPECT_ERROR_CODE(r, ErrorCode::Unavailable);
  ASSERT_EQ(h.transport->calls.size(), 1u);
  EXPECT_EQ(h.transport->calls[0].method, "POST");
  EXPECT_EQ(h.transport->calls[0].url, "http://m1:8080/v2/tasks/delete?scale=true");
  EXPECT_EQ(h.transport->calls[0].body, R"({"ids":["ceph_c1_rgw_s3.instance-1._app.1"]})");
  EXPECT_TRUE(h.clock->sleeps.empty());
}

TEST(HttpClientTest, KillRefusesTasksOfOtherApps) {
  Harness h;
  EXPECT_ERROR_CODE(h.client->killTasks("/ceph/c1/rgw/s3", {"ceph_c1_mon_a.instance-1"}, false),
                    ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(h.client->killTasks("/ceph/c1/rgw/s3", {}, false), ErrorCode::InvalidInput);
  EXPECT_TRUE(h.transport->calls.empty());
}

TEST(HttpClientTest, KillWithoutScaleReturnsKilledTasks) {
  Harness h;
  h.transport->push(reply(200, R"({"tasks":[{"id":"a_b.instance-1._app.1"}]})"));
  auto r = h.client->killTasks("/a/b", {"a_b.instance-1._app.1"}, false);
  ASSERT_OK(r);
  EXPECT_FALSE(r->deployment.has_value());
  EXPECT_EQ(r->killedTaskIds, std::vector<std::string>{"a_b.instance-1._app.1"});
}

TEST(HttpClientTest, NonRetryableErrorsAreNotRetried) {
  Harness h;
  h.transport->push(reply(409, R"({"message":"App is locked","deployments":[{"id":"d9"}]})"));
  auto r = h.client->putApp(app("/a/x"), false);
  EXPECT_ERROR_CODE(r, ErrorCode::Conflict);
  EXPECT_EQ(lockingDeploymentIds(r.error()), std::vector<std::string>{"d9"});
  EXPECT_NE(r.error().message.find("failed to put app '/a/x'"), std::string::npos);
  EXPECT_EQ(h.transport->calls.size(), 1u);
}

TEST(HttpClientTest, TimeoutsMapToTimeoutAndAreRetried) {
  Harness h;
  for (int i = 0; i < 4; ++i) h.transport->push(failure(Kind::Timeout, "timed out"));
  EXPECT_ERROR_CODE(h.client->getQueue(), ErrorCode::Timeout);
  EXPECT_EQ(h.transport->calls.size(), 4u);
}

TEST(HttpClientTest, FailsOverToTheNextUrlAndSticksToIt) {
  Harness h({"http://m1:8080", "http://m2:8080"});
  h.transport->push(failure(Kind::ConnectFailed, "refused"));
  h.transport->push(reply(200, R"({"leader":"m2:8080"})"));
  h.transport->push(reply(200, R"({"leader":"m2:8080"})"));
  ASSERT_EQ(h.client->leader().value(), "m2:8080");
  ASSERT_EQ(h.client->leader().value(), "m2:8080");
  ASSERT_EQ(h.transport->calls.size(), 3u);
  EXPECT_EQ(h.transport->calls[0].url, "http://m1:8080/v2/leader");
  EXPECT_EQ(h.transport->calls[1].url, "http://m2:8080/v2/leader");
  EXPECT_EQ(h.transport->calls[2].url, "http://m2:8080/v2/leader");
  EXPECT_TRUE(h.clock->sleeps.empty());  // Failover is not a retry.
}

TEST(HttpClientTest, AllUrlsUnreachableIsUnavailableNamingThem) {
  Harness h({"http://m1:8080", "http://m2:8080"});
  for (int i = 0; i < 8; ++i) h.transport->push(failure(Kind::ConnectFailed, "refused"));
  auto r = h.client->info();
  EXPECT_ERROR_CODE(r, ErrorCode::Unavailable);
  EXPECT_NE(r.error().message.find("'http://m1:8080/v2/info'"), std::string::npos);
  EXPECT_NE(r.error().message.find("'http://m2:8080/v2/info'"), std::string::npos);
}

TEST(HttpClientTest, FollowsLeaderRedirects) {
  Harness h;
  h.transport->push(reply(307, "", {{"location", "http://leader:8080/v2/deployments"}}));
  h.transport->push(reply(200, "[]"));
  ASSERT_OK(h.client->listDeployments());
  ASSERT_EQ(h.transport->calls.size(), 2u);
  EXPECT_EQ(h.transport->calls[1].url, "http://leader:8080/v2/deployments");
}

TEST(HttpClientTest, RedirectLoopsEnd) {
  Harness h;
  for (int i = 0; i < 20; ++i) h.transport->push(reply(302, "", {{"Location", "/v2/info"}}));
  auto r = h.client->info();
  EXPECT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("too many redirects"), std::string::npos) << r.error().message;
}

TEST(HttpClientTest, SendsAuthHeaderButNeverOverAnHttpsDowngrade) {
  Harness h({"https://m1:8443"}, Credentials{AuthKind::Bearer, "s3cret"});
  h.transport->push(reply(307, "", {{"Location", "http://m1:8080/v2/info"}}));
  h.transport->push(reply(200, R"({"name":"marathon","version":"1.10"})"));
  ASSERT_OK(h.client->info());
  auto authOf = [](const HttpCall& c) {
    for (const auto& [k, v] : c.headers) {
      if (k == "Authorization") return v;
    }
    return std::string();
  };
  EXPECT_EQ(authOf(h.transport->calls[0]), "Bearer s3cret");
  EXPECT_EQ(authOf(h.transport->calls[1]), "");
}

TEST(HttpClientTest, DeleteDeploymentWithAndWithoutForce) {
  Harness h;
  h.transport->push(reply(202, ""));
  auto forced = h.client->deleteDeployment("d-7", true);
  ASSERT_OK(forced);
  EXPECT_FALSE(forced->has_value());
  h.transport->push(reply(200, kDeployment));
  auto reverted = h.client->deleteDeployment("d-7", false);
  ASSERT_OK(reverted);
  ASSERT_TRUE(reverted->has_value());
  EXPECT_EQ((*reverted)->deploymentId, "d-1");
  EXPECT_EQ(h.transport->calls[0].url, "http://m1:8080/v2/deployments/d-7?force=true");
  h.transport->push(reply(404, R"({"message":"DeploymentPlan d-8 does not exist"})"));
  EXPECT_ERROR_CODE(h.client->deleteDeployment("d-8", false), ErrorCode::NotFound);
}

TEST(HttpClientTest, PermissionErrors) {
  Harness h;
  h.transport->push(reply(401, R"({"message":"not authenticated"})"));
  EXPECT_ERROR_CODE(h.client->info(), ErrorCode::PermissionDenied);
  EXPECT_EQ(h.transport->calls.size(), 1u);
}

TEST(HttpClientTest, EventStreamDeliversFilteredEventsAndReconnects) {
  Harness h;
  h.transport->push(reply(200,
                          "event: event_stream_attached\ndata: {}\n\n"
                          "event: status_update_event\ndata: {\"s\":1}\n\n"
                          "event: deployment_success\ndata: {\"id\":\"d1\"}\n\n"));
  h.transport->push(failure(Kind::ConnectFailed, "refused"));
  h.transport->push(reply(307, "", {{"Location", "http://leader:1/v2/events"}}));
  h.transport->push(reply(200,
                          "event: event_stream_attached\ndata: {}\n\n"
                          "event: deployment_success\ndata: {\"id\":\"d2\"}\n\n"));
  std::stop_source stop;
  std::vector<MarathonEvent> got;
  auto status = h.client->streamEvents(
      EventFilter{{"deployment_success"}},
      [&](const MarathonEvent& e) {
        got.push_back(e);
        if (e.json == "{\"id\":\"d2\"}") stop.request_stop();
      },
      stop.get_token());
  ASSERT_OK(status);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].type, "event_stream_attached");
  EXPECT_EQ(got[1].json, "{\"id\":\"d1\"}");
  EXPECT_EQ(got[2].type, "event_stream_attached");
  EXPECT_EQ(got[3].json, "{\"id\":\"d2\"}");
  EXPECT_EQ(h.transport->calls[0].url,
            "http://m1:8080/v2/events?event_type=deployment_success&event_type=event_stream_"
            "attached");
  EXPECT_EQ(h.transport->calls[3].url, "http://leader:1/v2/events");
  bool acceptsStream = false;
  for (const auto& [k, v] : h.transport->calls[0].headers) {
    acceptsStream = acceptsStream || (k == "Accept" && v == "text/event-stream");
  }
  EXPECT_TRUE(acceptsStream);
  EXPECT_FALSE(h.clock->sleeps.empty());  // Reconnects back off.
}

TEST(HttpClientTest, EventStreamStopsOnPermanentErrors) {
  Harness h;
  h.transport->push(reply(403, R"({"message":"forbidden"})"));
  std::stop_source stop;
  auto status = h.client->streamEvents(
      {}, [](const MarathonEvent&) {}, stop.get_token());
  EXPECT_ERROR_CODE(status, ErrorCode::PermissionDenied);
}

TEST(HttpClientTest, OptionsAreValidated) {
  MarathonClientOptions options;
  EXPECT_ERROR_CODE(validateOptions(options), ErrorCode::InvalidInput);
  options.baseUrls = {"m1:8080"};
  EXPECT_ERROR_CODE(validateOptions(options), ErrorCode::InvalidInput);
  options.baseUrls = {"https://m1:8443"};
  EXPECT_OK(validateOptions(options));
  options.callTimeout = Clock::Duration(0);
  EXPECT_ERROR_CODE(validateOptions(options), ErrorCode::InvalidInput);
}

}  // namespace
}  // namespace ceph_planner::marathon
