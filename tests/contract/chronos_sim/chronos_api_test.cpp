// Contract tests for chronos-sim's HTTP API, server in-process on 127.0.0.1 (free port), time from
// a hand-stepped clock and the main loop ticked by the test (the background loop is parked).

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/iso8601.h"
#include "common/testing.h"
#include "sim/chronos/sim_server.h"
#include "tests/contract/chronos_sim/test_http.h"

namespace ceph_planner::chronos_sim {
namespace {

using nlohmann::json;
using testing::request;

constexpr int64_t kHour = 3600 * 1000;

int64_t utc(const char* text) {
  auto dt = iso8601::parseDateTime(text);
  EXPECT_TRUE(dt.has_value()) << text;
  return dt->epochSeconds * 1000 + dt->milliseconds;
}

class SteppedClock final : public Clock {
 public:
  explicit SteppedClock(int64_t ms) : now_(ms) {}
  TimePoint now() const override { return TimePoint(Duration(now_.load())); }
  Duration monotonic() const override { return Duration(now_.load()); }
  void sleepFor(Duration d) override { now_ += d.count(); }
  void set(int64_t ms) { now_ = ms; }
  void advance(int64_t ms) { now_ += ms; }

 private:
  std::atomic<int64_t> now_;
};

class ChronosApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<SteppedClock>(utc("2026-01-01T00:00:00Z"));
    ChronosSimOptions options;
    options.clock = clock_;
    options.tickInterval = std::chrono::hours(1);
    auto sim = ChronosSim::start(options);
    ASSERT_OK(sim);
    sim_ = std::move(*sim);
    base_ = sim_->baseUrl();
  }
  void TearDown() override {
    if (sim_) sim_->stop();
  }

  testing::Reply post(const std::string& endpoint, const std::string& body) {
    return request("POST", base_ + "/v1/scheduler/" + endpoint, body);
  }
  testing::Reply get(const std::string& path) { return request("GET", base_ + path); }
  json getJson(const std::string& path) {
    auto r = get(path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  json job(const std::string& name) { return getJson("/v1/scheduler/job/" + name); }
  void tick() { sim_->engine().tick(); }
  void expectChronosError(const testing::Reply& r, int status, const std::string& messageStart) {
    EXPECT_EQ(r.status, status) << r.body;
    json body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body["status"], status == 400 ? "Bad Request" : "Internal Server Error");
    EXPECT_EQ(body["message"].get<std::string>().rfind(messageStart, 0), 0u) << r.body;
    EXPECT_EQ(r.body.find("\"status\""), 1u) << "status comes first, as in Chronos: " << r.body;
  }

  std::shared_ptr<SteppedClock> clock_;
  std::unique_ptr<ChronosSim> sim_;
  std::string base_;
};

constexpr const char* kRequirement = "java.lang.IllegalArgumentException: requirement failed: ";

TEST_F(ChronosApiTest, CreateScheduledJobReturns204AndGetShowsEveryField) {
  auto r = post("iso8601", R"({"name":"rebalance","command":"ceph-planner rebalance",
      "schedule":"R/2026-01-02T03:00:00Z/P1D","owner":"ops@example.com","cpus":"0.5",
      "epsilon":"PT30S","async":true})");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  auto g = get("/v1/scheduler/job/rebalance");
  ASSERT_EQ(g.status, 200);
  EXPECT_EQ(g.contentType, "application/json");
  EXPECT_EQ(
      g.body.rfind(R"({"name":"rebalance","command":"ceph-planner rebalance","shell":true)", 0), 0u)
      << "serializer order: " << g.body;
  json j = json::parse(g.body);
  EXPECT_EQ(j["schedule"], "R/2026-01-02T03:00:00.000Z/P1D");
  EXPECT_EQ(j["scheduleTimeZone"], "");
  EXPECT_EQ(j["cpus"], 0.5);
  EXPECT_EQ(j["mem"], 128.0);
  EXPECT_EQ(j["disk"], 256.0);
  EXPECT_EQ(j["retries"], 2);
  EXPECT_EQ(j["runAsUser"], "root");
  EXPECT_EQ(j["owner"], "ops@example.com");
  for (const char* key : {"successCount", "errorCount", "errorsSinceLastSuccess"}) {
    EXPECT_EQ(j[key], 0) << key;
  }
  EXPECT_EQ(j["lastSuccess"], "");
  EXPECT_EQ(j["disabled"], false);
  EXPECT_FALSE(j.contains("epsilon")) << "2.x fields are ignored by 3.x";
  EXPECT_FALSE(j.contains("async"));
  EXPECT_FALSE(j.contains("parents"));
  EXPECT_FALSE(j.contains("container"));
  EXPECT_EQ(r.headers.count("Access-Control-Allow-Origin"), 1u);
}

TEST_F(ChronosApiTest, ValidationErrorsUseChronosBodies) {
  expectChronosError(
      post("iso8601", R"({"name":"bad name","command":"x"})"), 400,
      std::string(kRequirement) + "the job's name is invalid. Allowed names: '([\\w\\.-]+)'");
  expectChronosError(post("iso8601", R"({"name":"j","schedule":"every day"})"), 400,
                     "Cannot parse schedule 'every day' (wtf bro)");
  expectChronosError(post("iso8601", R"({"name":"j","schedule":""})"), 400,
                     "Cannot parse schedule '' (wtf bro)");
  expectChronosError(post("iso8601", R"({"name":"j","schedule":"R/1960-01-01T00:00:00Z/P1D"})"),
                     400, "Scheduled start date '1960-01-01T00:00:00.000Z' is before 1970!");
  expectChronosError(
      post("iso8601", R"({"name":"j","uris":["http://a"],"fetch":[{"uri":"http://b"}]})"), 400,
      "Tried to add both uri (deprecated) and fetch parameters on j");
  expectChronosError(post("dependency", R"({"name":"d","command":"x"})"), 500,
                     "java.lang.Exception: Error, parent does not exist");
  EXPECT_EQ(getJson("/v1/scheduler/jobs"), json::array());
}

TEST_F(ChronosApiTest, MalformedBodiesFailBeforeChronosCode) {
  auto r = post("iso8601", "{not json");
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(json::parse(r.body, nullptr, false).is_discarded()) << "not a JSON body";
  EXPECT_EQ(post("iso8601", R"({"command":"no name"})").status, 500);
  EXPECT_EQ(post("iso8601", R"({"name":"e","environmentVariables":[{"name":"A"}]})").status, 500);
}

TEST_F(ChronosApiTest, PutOnCreateEndpointsIsNotMapped) {
  EXPECT_EQ(request("PUT", base_ + "/v1/scheduler/iso8601", R"({"name":"x"})").status, 405);
  EXPECT_EQ(request("PUT", base_ + "/v1/scheduler/dependency", R"({"name":"x"})").status, 405);
  EXPECT_EQ(get("/scheduler/jobs").status, 404) << "2.x prefix is not served";
}

TEST_F(ChronosApiTest, UpsertReplacesByNameAndResetsCounters) {
  ASSERT_EQ(post("iso8601", R"({"name":"j","command":"a","schedule":"R//PT1H"})").status, 204);
  tick();
  EXPECT_EQ(job("j")["successCount"], 1);
  ASSERT_EQ(
      post("iso8601", R"({"name":"j","command":"b","schedule":"R/2026-02-01T00:00:00Z/PT1H"})")
          .status,
      204);
  json j = job("j");
  EXPECT_EQ(j["command"], "b");
  EXPECT_EQ(j["successCount"], 0) << "mesos/chronos#702";
  EXPECT_EQ(getJson("/v1/scheduler/jobs").size(), 1u);
}

TEST_F(ChronosApiTest, ListFillsFetchFromUrisOnlyInTheListing) {
  ASSERT_EQ(post("iso8601", R"({"name":"u","command":"x","uris":["http://h/f.tgz"],
                                "schedule":"R/2026-02-01T00:00:00Z/P1D"})")
                .status,
            204);
  json listed = getJson("/v1/scheduler/jobs")[0];
  ASSERT_EQ(listed["fetch"].size(), 1u);
  EXPECT_EQ(
      listed["fetch"][0],
      json(
          {{"uri", "http://h/f.tgz"}, {"executable", false}, {"cache", false}, {"extract", true}}));
  EXPECT_EQ(job("u")["fetch"], json::array());
}

TEST_F(ChronosApiTest, GetUnknownJobIs400) {
  expectChronosError(get("/v1/scheduler/job/nope"), 400,
                     std::string(kRequirement) + "Job 'nope' not found");
}

TEST_F(ChronosApiTest, SearchIsCaseInsensitiveSubstringWithDefaultLimit10) {
  for (int i = 0; i < 12; ++i) {
    std::string name = "ceph-planner-c1-job" + std::to_string(i);
    ASSERT_EQ(post("iso8601", R"({"name":")" + name +
                                  R"(","command":"run","schedule":"R/2026-02-01T00:00:00Z/P1D"})")
                  .status,
              204);
  }
  ASSERT_EQ(post("iso8601", R"({"name":"other","command":"Ceph-Planner status",
                                "schedule":"R/2026-02-01T00:00:00Z/P1D"})")
                .status,
            204);
  EXPECT_EQ(getJson("/v1/scheduler/jobs/search?name=CEPH-planner").size(), 10u);
  EXPECT_EQ(getJson("/v1/scheduler/jobs/search?name=ceph-planner&limit=100").size(), 12u);
  EXPECT_EQ(getJson("/v1/scheduler/jobs/search?name=ceph-planner&offset=10").size(), 2u);
  json byCommand = getJson("/v1/scheduler/jobs/search?command=planner");
  ASSERT_EQ(byCommand.size(), 1u);
  EXPECT_EQ(byCommand[0]["name"], "other");
  EXPECT_EQ(getJson("/v1/scheduler/jobs/search?any=ceph-planner&limit=50").size(), 13u);
  EXPECT_EQ(getJson("/v1/scheduler/jobs/search?name=job1").size(), 3u);  // job1, job10, job11
}

TEST_F(ChronosApiTest, DeleteReturns204ThenUnknown) {
  ASSERT_EQ(post("iso8601", R"({"name":"d","command":"x","schedule":"R//P1D"})").status, 204);
  EXPECT_EQ(request("DELETE", base_ + "/v1/scheduler/job/d").status, 204);
  expectChronosError(request("DELETE", base_ + "/v1/scheduler/job/d"), 400,
                     std::string(kRequirement) + "JobSchedule 'd' not found");
}

TEST_F(ChronosApiTest, ManualRunMarkSuccessAndKill) {
  ASSERT_EQ(post("iso8601", R"({"name":"m","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})")
                .status,
            204);
  ASSERT_EQ(post("dependency", R"({"name":"child","command":"x","parents":["m"]})").status, 204);
  auto run = request("PUT", base_ + "/v1/scheduler/job/m?arguments=--fast");
  EXPECT_EQ(run.status, 204);
  EXPECT_EQ(run.body, "");
  tick();
  EXPECT_EQ(job("m")["successCount"], 1);
  EXPECT_EQ(job("m")["lastSuccess"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(job("child")["successCount"], 1);
  EXPECT_EQ(job("m")["schedule"], "R/2026-02-01T00:00:00.000Z/P1D") << "future start unchanged";
  expectChronosError(request("PUT", base_ + "/v1/scheduler/job/nope"), 400,
                     std::string(kRequirement) + "Job 'nope' not found");

  auto marked = request("PUT", base_ + "/v1/scheduler/job/success/m");
  EXPECT_EQ(marked.status, 200);
  EXPECT_EQ(marked.body, "marked job m as successful: true");
  EXPECT_EQ(request("PUT", base_ + "/v1/scheduler/job/success/nope").body,
            "marked job nope as successful: false");
  tick();
  EXPECT_EQ(job("m")["successCount"], 2);
  EXPECT_EQ(job("child")["successCount"], 2);

  EXPECT_EQ(request("DELETE", base_ + "/v1/scheduler/task/kill/m").status, 204);
  expectChronosError(request("DELETE", base_ + "/v1/scheduler/task/kill/nope"), 400,
                     std::string(kRequirement) + "JobSchedule 'nope' not found");
}

TEST_F(ChronosApiTest, ScheduleIsRewrittenAsTheJobRuns) {
  ASSERT_EQ(
      post("iso8601", R"({"name":"r","command":"x","schedule":"R2/2026-01-01T01:00:00Z/PT1H"})")
          .status,
      204);
  tick();
  EXPECT_EQ(job("r")["schedule"], "R2/2026-01-01T01:00:00.000Z/PT1H");
  clock_->set(utc("2026-01-01T01:00:00Z"));
  tick();
  EXPECT_EQ(job("r")["schedule"], "R1/2026-01-01T02:00:00.000Z/PT1H");
  clock_->set(utc("2026-01-01T05:30:00Z"));  // Missed runs coalesce into one.
  tick();
  json j = job("r");
  EXPECT_EQ(j["schedule"], "R0/2026-01-01T06:00:00.000Z/PT1H");
  EXPECT_EQ(j["successCount"], 2);
  EXPECT_EQ(j["disabled"], true);
  EXPECT_EQ(j["lastSuccess"], "2026-01-01T05:30:00.000Z");
}

TEST_F(ChronosApiTest, DependentFiresWhenAllParentsSucceeded) {
  for (const char* p : {"a", "b"}) {
    ASSERT_EQ(post("iso8601", std::string(R"({"name":")") + p +
                                  R"(","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})")
                  .status,
              204);
  }
  ASSERT_EQ(post("dependency", R"({"name":"c","command":"x","parents":["b","a","a"]})").status,
            204);
  EXPECT_EQ(job("c")["parents"], json({"a", "b"})) << "a set";
  EXPECT_FALSE(job("c").contains("schedule"));
  ASSERT_EQ(request("PUT", base_ + "/v1/scheduler/job/a").status, 204);
  tick();
  EXPECT_EQ(job("c")["successCount"], 0);
  ASSERT_EQ(request("PUT", base_ + "/v1/scheduler/job/b").status, 204);
  tick();
  EXPECT_EQ(job("c")["successCount"], 1);
}

TEST_F(ChronosApiTest, DependentWithUnknownParentIsAcceptedThenHidden) {
  EXPECT_EQ(post("dependency", R"({"name":"lost","command":"x","parents":["ghost"]})").status, 204);
  tick();
  EXPECT_EQ(get("/v1/scheduler/job/lost").status, 400);
  EXPECT_EQ(getJson("/v1/scheduler/jobs"), json::array());
  EXPECT_EQ(getJson("/sim/pending"), json({"lost"}));
  ASSERT_EQ(
      post("iso8601", R"({"name":"ghost","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})")
          .status,
      204);
  ASSERT_EQ(post("iso8601", R"({"name":"p","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})")
                .status,
            204);
  tick();
  EXPECT_EQ(job("lost")["parents"], json({"ghost"})) << "registered once its parent exists";
  ASSERT_EQ(post("dependency", R"({"name":"p2","command":"x","parents":["p"]})").status, 204);
  expectChronosError(post("dependency", R"({"name":"p2","command":"x","parents":["zzz"]})"), 400,
                     kRequirement);
}

TEST_F(ChronosApiTest, TimeZoneP1DKeepsLocalTimeAcrossDstButPT24HDoesNot) {
  clock_->set(utc("2026-03-06T12:00:00Z"));
  ASSERT_EQ(
      post("iso8601", R"({"name":"daily","command":"x","schedule":"R/2026-03-07T03:00:00Z/P1D",
                                "scheduleTimeZone":"America/New_York"})")
          .status,
      204);
  ASSERT_EQ(
      post("iso8601", R"({"name":"exact","command":"x","schedule":"R/2026-03-07T03:00:00Z/PT24H",
                                "scheduleTimeZone":"America/New_York"})")
          .status,
      204);
  EXPECT_EQ(job("daily")["schedule"], "R/2026-03-07T03:00:00.000-05:00/P1D")
      << "the zone overrides the written Z and keeps the wall clock";
  EXPECT_EQ(job("daily")["scheduleTimeZone"], "America/New_York");
  clock_->set(utc("2026-03-07T08:00:00Z"));
  tick();
  EXPECT_EQ(job("daily")["schedule"], "R/2026-03-08T03:00:00.000-04:00/P1D");
  EXPECT_EQ(job("exact")["schedule"], "R/2026-03-08T04:00:00.000-04:00/PT24H");
  EXPECT_EQ(job("daily")["lastSuccess"], "2026-03-07T08:00:00.000Z") << "always UTC";
  clock_->set(utc("2026-03-08T07:00:00Z"));  // 03:00 EDT: 23 hours later.
  tick();
  EXPECT_EQ(job("daily")["successCount"], 2);
  EXPECT_EQ(job("exact")["successCount"], 1);
  EXPECT_EQ(job("daily")["schedule"], "R/2026-03-09T03:00:00.000-04:00/P1D");
}

TEST_F(ChronosApiTest, SummaryGraphLeaderPing) {
  ASSERT_EQ(post("iso8601", R"({"name":"p","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})")
                .status,
            204);
  ASSERT_EQ(post("dependency", R"({"name":"c","command":"x","parents":["p"]})").status, 204);
  ASSERT_EQ(request("PUT", base_ + "/v1/scheduler/job/p").status, 204);
  tick();
  json summary = getJson("/v1/scheduler/jobs/summary");
  ASSERT_EQ(summary["jobs"].size(), 2u);
  EXPECT_EQ(summary["jobs"][0], json({{"name", "p"},
                                      {"status", "success"},
                                      {"state", "idle"},
                                      {"schedule", "R/2026-02-01T00:00:00.000Z/P1D"},
                                      {"parents", json::array()},
                                      {"disabled", false}}));
  EXPECT_EQ(summary["jobs"][1]["schedule"], "");
  EXPECT_EQ(summary["jobs"][1]["parents"], json({"p"}));

  auto csv = get("/v1/scheduler/graph/csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.contentType, "text/plain");
  EXPECT_EQ(csv.body, "node,p,success,idle\nnode,c,success,idle\nlink,p,c\n");
  auto dot = get("/v1/scheduler/graph/dot");
  EXPECT_EQ(dot.status, 200);
  EXPECT_NE(dot.body.find("digraph"), std::string::npos);
  EXPECT_NE(dot.body.find("\"p\" -> \"c\";"), std::string::npos) << dot.body;

  EXPECT_EQ(getJson("/v1/scheduler/leader"),
            json({{"leader", "127.0.0.1:" + std::to_string(sim_->port())}}));
  auto ping = get("/ping");
  EXPECT_EQ(ping.status, 200);
  EXPECT_EQ(ping.body, "pong\n");

  json stat = getJson("/v1/scheduler/job/stat/p");
  EXPECT_EQ(stat["histogram"]["count"], 1);
  EXPECT_EQ(stat["taskStatHistory"].size(), 1u);
}

TEST_F(ChronosApiTest, RequestLogListsRequestsOldestFirst) {
  get("/v1/scheduler/jobs");
  post("iso8601", R"({"name":"x y"})");
  json log = getJson("/sim/requests");
  ASSERT_EQ(log.size(), 2u) << log.dump();
  EXPECT_EQ(log[0]["method"], "GET");
  EXPECT_EQ(log[0]["path"], "/v1/scheduler/jobs");
  EXPECT_EQ(log[0]["status"], 200);
  EXPECT_TRUE(log[0]["ms"].is_number());
  EXPECT_EQ(log[1]["method"], "POST");
  EXPECT_EQ(log[1]["status"], 400);
  EXPECT_EQ(request("DELETE", base_ + "/sim/requests").status, 204);
  EXPECT_EQ(getJson("/sim/requests"), json::array());
}

TEST_F(ChronosApiTest, FaultRulesInjectErrorsAndLatencyPerEndpoint) {
  auto set = request("POST", base_ + "/sim/faults",
                     R"({"prefix":"/v1/scheduler/jobs","errorRate":1.0,"status":503})");
  EXPECT_EQ(set.status, 200);
  EXPECT_EQ(get("/v1/scheduler/jobs").status, 503);
  EXPECT_EQ(get("/v1/scheduler/leader").status, 200) << "other endpoints unaffected";
  EXPECT_EQ(getJson("/sim/faults").size(), 1u);
  EXPECT_EQ(request("POST", base_ + "/sim/faults", R"({"errorRate":2})").status, 422);
  EXPECT_EQ(request("PUT", base_ + "/sim/faults", R"({"prefix":"/","status":200})").status, 422);
  EXPECT_EQ(request("DELETE", base_ + "/sim/faults").status, 204);
  EXPECT_EQ(get("/v1/scheduler/jobs").status, 200);

  ASSERT_EQ(
      request("POST", base_ + "/sim/faults", R"({"prefix":"/v1/scheduler/leader","latencyMs":150})")
          .status,
      200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(get("/v1/scheduler/leader").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
  json log = getJson("/sim/requests");
  EXPECT_EQ(log[0]["status"], 503) << "injected failures are logged too";
  EXPECT_GE(log.back()["ms"].get<double>(), 150.0);
}

TEST_F(ChronosApiTest, LeaderChangeAnswers503DuringTheWindow) {
  ASSERT_EQ(
      request("POST", base_ + "/sim/leader", R"({"windowSeconds":0.3,"leader":"10.0.0.2:4400"})")
          .status,
      204);
  EXPECT_EQ(get("/v1/scheduler/jobs").status, 503);
  EXPECT_EQ(get("/sim/requests").status, 200) << "/sim is never affected";
  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  EXPECT_EQ(getJson("/v1/scheduler/leader"), json({{"leader", "10.0.0.2:4400"}}));
}

}  // namespace
}  // namespace ceph_planner::chronos_sim
