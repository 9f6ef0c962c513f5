// Contract: system endpoints, the event stream and the /sim fault API.

#include <thread>

#include "contract_fixture.h"

namespace ceph_planner::marathon_contract {
namespace {

TEST_F(MarathonContract, SystemEndpoints) {
  Reply ping = get("/ping");
  EXPECT_EQ(ping.status, 200);
  EXPECT_EQ(ping.body, "pong");
  Json info = body(get("/v2/info"));
  EXPECT_EQ(info["name"], "marathon");
  EXPECT_TRUE(info.contains("version"));
  EXPECT_TRUE(info["marathon_config"].contains("local_port_min"));
  EXPECT_TRUE(info.contains("zookeeper_config"));
  EXPECT_TRUE(info.contains("frameworkId"));
  Json leader = body(get("/v2/leader"));
  EXPECT_EQ("http://" + leader["leader"].get<std::string>(), base_);
  EXPECT_EQ(body(get("/v2/plugins")), Json({{"plugins", Json::array()}}));
  Json metrics = body(get("/metrics"));
  for (const char* k : {"counters", "gauges", "histograms", "meters", "timers"})
    EXPECT_TRUE(metrics.contains(k)) << k;
  Reply unknown = get("/v2/nothing-here");
  EXPECT_EQ(unknown.status, 500);
  EXPECT_EQ(body(unknown)["message"], "URI not found");
  EXPECT_EQ(get("/v2//info").status, 200);
  Reply abdicate = del("/v2/leader");
  EXPECT_EQ(abdicate.status, 200);
  EXPECT_EQ(body(abdicate)["message"], "Leadership abdicated");
}

TEST_F(MarathonContract, EventStreamFramingAndEvents) {
  EXPECT_EQ(get("/v2/events").status, 405);  // Needs Accept: text/event-stream.
  testing_http::EventStream es(base_, "/v2/events");
  ASSERT_EQ(es.status(), 200);
  EXPECT_NE(es.contentType().find("text/event-stream"), std::string::npos);
  ASSERT_TRUE(es.readUntil("event: event_stream_attached\ndata: {", 5000)) << es.data();
  ASSERT_EQ(post("/v2/apps", simpleApp("/ev")).status, 201);
  for (const char* type : {"api_post_event", "deployment_info", "status_update_event",
                           "deployment_step_success", "deployment_success"}) {
    EXPECT_TRUE(es.readUntil(std::string("event: ") + type + "\ndata: {", 10000)) << type << "\n"
                                                                                  << es.data();
  }
  // Every frame is `event: <type>\ndata: <one-line json>\n\n`.
  std::string data = es.data();
  size_t pos = 0;
  int frames = 0;
  while ((pos = data.find("event: ", pos)) != std::string::npos) {
    size_t nl = data.find('\n', pos);
    ASSERT_EQ(data.compare(nl + 1, 6, "data: "), 0);
    size_t end = data.find("\n\n", nl + 1);
    ASSERT_NE(end, std::string::npos);
    Json payload = Json::parse(data.substr(nl + 7, end - nl - 7), nullptr, false);
    ASSERT_FALSE(payload.is_discarded());
    EXPECT_EQ(payload["eventType"], data.substr(pos + 7, nl - pos - 7));
    EXPECT_TRUE(payload.contains("timestamp"));
    ++frames;
    pos = end;
  }
  EXPECT_GE(frames, 5);
  ASSERT_EQ(del("/v2/apps/ev").status, 200);
  EXPECT_TRUE(es.readUntil("event: app_terminated_event", 10000));
}

TEST_F(MarathonContract, EventTypeFilter) {
  testing_http::EventStream es(base_, "/v2/events?event_type=deployment_success");
  ASSERT_TRUE(es.readUntil("event_stream_attached", 5000));
  ASSERT_EQ(post("/v2/apps", simpleApp("/f")).status, 201);
  ASSERT_TRUE(es.readUntil("event: deployment_success", 10000));
  EXPECT_EQ(es.data().find("status_update_event"), std::string::npos);
}

TEST_F(MarathonContract, SimRequestLogCountsReadsAndWrites) {
  ASSERT_EQ(del("/sim/requests").status, 204);
  get("/v2/apps");
  post("/v2/apps", simpleApp("/log"));
  get("/v2/apps//log");
  Json log = body(get("/sim/requests"));
  ASSERT_EQ(log.size(), 3u) << log.dump();
  EXPECT_EQ(log[0]["method"], "GET");
  EXPECT_EQ(log[0]["path"], "/v2/apps");
  EXPECT_EQ(log[0]["status"], 200);
  EXPECT_EQ(log[1]["method"], "POST");
  EXPECT_EQ(log[1]["status"], 201);
  EXPECT_EQ(log[2]["path"], "/v2/apps/log");
  EXPECT_TRUE(log[2]["ms"].is_number());
}

TEST_F(MarathonContract, SimFaultsLatencyErrorsAndLeaderWindow) {
  Json rule = {{"prefix", "/v2/apps"}, {"errorRate", 1.0}, {"status", 503}};
  ASSERT_EQ(put("/sim/faults", rule).status, 200);
  EXPECT_EQ(get("/v2/apps").status, 503);
  EXPECT_EQ(get("/v2/info").status, 200);
  ASSERT_EQ(del("/sim/faults").status, 204);
  EXPECT_EQ(get("/v2/apps").status, 200);
  ASSERT_EQ(put("/sim/faults", {{"prefix", "/v2/info"}, {"latencyMs", 150}}).status, 200);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(get("/v2/info").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(150));
  EXPECT_EQ(put("/sim/faults", {{"prefix", "/x"}, {"errorRate", 2}}).status, 422);

  ASSERT_EQ(post("/sim/leader", {{"windowSeconds", 0.3}, {"leader", "10.0.0.9:8080"}}).status, 200);
  EXPECT_EQ(get("/v2/apps").status, 503);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(body(get("/v2/leader"))["leader"], "10.0.0.9:8080");
}

TEST_F(MarathonContract, SimAgentDownReplacesTasksAndHistoryRecordsThem) {
  ASSERT_EQ(post("/v2/apps", simpleApp("/u", 3)).status, 201);
  ASSERT_TRUE(waitIdle());
  Json tasks = body(get("/v2/apps/u/tasks"))["tasks"];
  std::string host = tasks[0]["host"];
  ASSERT_EQ(call("POST", "/sim/agents/" + host + "/down").status, 200);
  ASSERT_TRUE(waitApp("/u", [&](const Json& a) {
    if (a["tasksRunning"] != 3) return false;
    for (const auto& t : a["tasks"])
      if (t["host"] == host) return false;
    return true;
  }));
  Json history = body(get("/sim/history"));
  EXPECT_GE(history.size(), 4u);
  bool ended = false;
  for (const auto& h : history) {
    EXPECT_TRUE(h.contains("id") && h.contains("appId") && h.contains("host") &&
                h.contains("startedAt"));
    if (h["host"] == host && !h["endedAt"].is_null()) ended = true;
  }
  EXPECT_TRUE(ended);
  EXPECT_EQ(call("POST", "/sim/agents/nope/down").status, 404);
  ASSERT_EQ(call("POST", "/sim/agents/" + host + "/up").status, 200);
}

TEST_F(MarathonContract, SimUnreachableDisabledIsNeverReplaced) {
  Json app = simpleApp("/pinned");
  app["unreachableStrategy"] = "disabled";
  app["constraints"] = {{"hostname", "CLUSTER", "h2.example"}};
  ASSERT_EQ(post("/v2/apps", app).status, 201);
  ASSERT_TRUE(waitIdle());
  ASSERT_EQ(call("POST", "/sim/agents/h2.example/down").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Json tasks = body(get("/v2/apps/pinned/tasks"))["tasks"];
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0]["state"], "TASK_UNREACHABLE");
  ASSERT_EQ(call("POST", "/sim/agents/h2.example/up").status, 200);
  ASSERT_TRUE(waitApp("/pinned", [](const Json& a) { return a["tasksRunning"] == 1; }));
}

TEST_F(MarathonContract, SimUnhealthyTaskIsKilledAndReplacedWithBackoff) {
  Json app = simpleApp("/hc");
  app["healthChecks"] = {{{"protocol", "HTTP"},
                          {"gracePeriodSeconds", 1},
                          {"intervalSeconds", 2},
                          {"maxConsecutiveFailures", 1}}};
  ASSERT_EQ(post("/v2/apps", app).status, 201);
  ASSERT_TRUE(waitIdle());
  Json a = body(get("/v2/apps/hc"))["app"];
  EXPECT_EQ(a["tasksHealthy"], 1);
  std::string id = a["tasks"][0]["id"];
  EXPECT_TRUE(a["tasks"][0]["healthCheckResults"][0]["alive"]);
  testing_http::EventStream es(base_, "/v2/events");
  ASSERT_TRUE(es.readUntil("event_stream_attached", 5000));
  ASSERT_EQ(call("POST", "/sim/tasks/" + id + "/unhealthy").status, 200);
  EXPECT_TRUE(es.readUntil("event: health_status_changed_event", 10000));
  EXPECT_TRUE(es.readUntil("event: unhealthy_instance_kill_event", 10000));
  ASSERT_TRUE(waitApp("/hc", [&](const Json& x) {
    return x["tasksHealthy"] == 1 && x["tasks"].size() == 1 && x["tasks"][0]["id"] != id;
  }));
  Json after = body(get("/v2/apps/hc"))["app"];
  ASSERT_TRUE(after.contains("lastTaskFailure"));
  EXPECT_EQ(after["lastTaskFailure"]["taskId"], id);
}

TEST_F(MarathonContract, SimCrashedTaskRecordsFailure) {
  ASSERT_EQ(post("/v2/apps", simpleApp("/crash")).status, 201);
  ASSERT_TRUE(waitIdle());
  std::string id = body(get("/v2/apps/crash/tasks"))["tasks"][0]["id"];
  ASSERT_EQ(call("POST", "/sim/tasks/" + id + "/kill").status, 200);
  Json a = body(get("/v2/apps/crash"))["app"];
  EXPECT_EQ(a["lastTaskFailure"]["state"], "TASK_FAILED");
  ASSERT_TRUE(waitApp("/crash", [](const Json& x) { return x["tasksRunning"] == 1; }));
  EXPECT_EQ(call("POST", "/sim/tasks/nope/kill").status, 404);
}

}  // namespace
}  // namespace ceph_planner::marathon_contract
