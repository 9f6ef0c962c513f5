#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/testing.h"
#include "sim/chronos/engine.h"
#include "sim/chronos/job_json.h"
#include "tests/unit/chronos_sim/fake_clock.h"

namespace ceph_planner::chronos_sim {
namespace {

using testing::FakeClock;

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;

int64_t utc(const char* text) {
  auto dt = iso8601::parseDateTime(text);
  EXPECT_TRUE(dt.has_value()) << text;
  return dt->epochSeconds * 1000 + dt->milliseconds;
}

// Runs nothing: each launch is recorded and ends as scripted per job (default: success at the
// next poll); `hold` keeps a job's tasks running until `finish`.
class ScriptedExecutor final : public JobExecutor {
 public:
  struct Shared {
    std::vector<TaskLaunch> launches;
    std::map<std::string, std::vector<TaskOutcome::Kind>> script;  // Consumed front first.
    std::set<std::string> hold;
    std::vector<std::string> running;
    std::vector<TaskOutcome> done;
    std::vector<std::string> killed;
  };
  explicit ScriptedExecutor(std::shared_ptr<Shared> s) : s_(std::move(s)) {}
  Status launch(const TaskLaunch& task) override {
    s_->launches.push_back(task);
    if (s_->hold.count(task.jobName) > 0) {
      s_->running.push_back(task.taskId);
      return okStatus();
    }
    auto kind = TaskOutcome::Kind::Finished;
    auto& queue = s_->script[task.jobName];
    if (!queue.empty()) {
      kind = queue.front();
      queue.erase(queue.begin());
    }
    s_->done.push_back({task.taskId, kind, ""});
    return okStatus();
  }
  void kill(const std::string& taskId) override {
    s_->killed.push_back(taskId);
    if (std::erase(s_->running, taskId) > 0) {
      s_->done.push_back({taskId, TaskOutcome::Kind::Killed, ""});
    }
  }
  std::vector<TaskOutcome> poll() override {
    std::vector<TaskOutcome> out;
    out.swap(s_->done);
    return out;
  }

 private:
  std::shared_ptr<Shared> s_;
};

class ChronosEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<FakeClock>(utc("2026-01-01T00:00:00Z"));
    exec_ = std::make_shared<ScriptedExecutor::Shared>();
    EngineOptions options;
    options.failureRetryMillis = kMinute;
    engine_ =
        std::make_unique<ChronosEngine>(clock_, std::make_unique<ScriptedExecutor>(exec_), options);
  }

  Status post(const std::string& body, bool dependency = false) {
    auto job = decodeJob(body);
    EXPECT_TRUE(job.has_value()) << body;
    if (!job) return job.error();
    return engine_->upsert(std::move(*job), dependency);
  }
  ChronosJob job(const std::string& name) {
    auto j = engine_->get(name);
    EXPECT_TRUE(j.has_value()) << name;
    return j.has_value() ? *j : ChronosJob{};
  }
  int launches(const std::string& name) {
    int n = 0;
    for (const auto& l : exec_->launches) n += l.jobName == name ? 1 : 0;
    return n;
  }
  void advanceAndTick(int64_t millis) {
    clock_->advance(millis);
    engine_->tick();
  }

  std::shared_ptr<FakeClock> clock_;
  std::shared_ptr<ScriptedExecutor::Shared> exec_;
  std::unique_ptr<ChronosEngine> engine_;
};

TEST_F(ChronosEngineTest, RunsWhenDueAndRewritesTheSchedule) {
  ASSERT_OK(
      post(R"({"name":"hourly","command":"true","schedule":"R3/2026-01-01T01:00:00Z/PT1H"})"));
  engine_->tick();
  EXPECT_EQ(launches("hourly"), 0);
  EXPECT_EQ(job("hourly").scheduleText, "R3/2026-01-01T01:00:00.000Z/PT1H");
  advanceAndTick(kHour);
  EXPECT_EQ(launches("hourly"), 1);
  ChronosJob j = job("hourly");
  EXPECT_EQ(j.scheduleText, "R2/2026-01-01T02:00:00.000Z/PT1H");
  EXPECT_EQ(j.successCount, 1);
  EXPECT_EQ(j.lastSuccess, "2026-01-01T01:00:00.000Z");
  advanceAndTick(30 * kMinute);
  EXPECT_EQ(launches("hourly"), 1);
  advanceAndTick(30 * kMinute);
  advanceAndTick(kHour);
  EXPECT_EQ(launches("hourly"), 3);
  j = job("hourly");
  EXPECT_EQ(j.scheduleText, "R0/2026-01-01T04:00:00.000Z/PT1H");
  EXPECT_TRUE(j.disabled) << "an exhausted schedule disables the job";
  advanceAndTick(5 * kHour);
  EXPECT_EQ(launches("hourly"), 3);
}

TEST_F(ChronosEngineTest, MissedRunsCoalesceIntoOne) {
  ASSERT_OK(post(R"({"name":"j","command":"x","schedule":"R/2025-12-31T00:00:00Z/PT1H"})"));
  engine_->tick();
  EXPECT_EQ(launches("j"), 1);
  EXPECT_EQ(job("j").scheduleText, "R/2026-01-01T01:00:00.000Z/PT1H");
}

TEST_F(ChronosEngineTest, NoScheduleRunsOnceNow) {
  ASSERT_OK(post(R"({"name":"once","command":"x"})"));
  EXPECT_EQ(job("once").scheduleText, "R1/2026-01-01T00:00:00.000Z/PT24H");
  advanceAndTick(1);
  EXPECT_EQ(launches("once"), 1);
  EXPECT_TRUE(job("once").disabled);
}

TEST_F(ChronosEngineTest, DailyJobKeepsLocalTimeAcrossDst) {
  clock_->set(utc("2026-03-06T12:00:00Z"));
  ASSERT_OK(post(R"({"name":"d","command":"x","schedule":"R/2026-03-07T03:00:00/P1D",
                     "scheduleTimeZone":"America/New_York"})"));
  std::vector<int64_t> runs;
  for (int i = 0; i < 4 * 24 * 4; ++i) {
    advanceAndTick(15 * kMinute);
    if (launches("d") > static_cast<int>(runs.size())) runs.push_back(clock_->millis());
  }
  ASSERT_GE(runs.size(), 3u);
  EXPECT_EQ(runs[0], utc("2026-03-07T08:00:00Z"));  // 03:00 EST
  EXPECT_EQ(runs[1], utc("2026-03-08T07:00:00Z"));  // 03:00 EDT, 23 h later
  EXPECT_EQ(runs[2], utc("2026-03-09T07:00:00Z"));
}

TEST_F(ChronosEngineTest, Pt24hShiftsLocalTimeAcrossDst) {
  clock_->set(utc("2026-03-06T12:00:00Z"));
  ASSERT_OK(post(R"({"name":"d","command":"x","schedule":"R/2026-03-07T03:00:00/PT24H",
                     "scheduleTimeZone":"America/New_York"})"));
  clock_->set(utc("2026-03-07T08:00:00Z"));
  engine_->tick();
  EXPECT_EQ(job("d").scheduleText, "R/2026-03-08T04:00:00.000-04:00/PT24H");
}

TEST_F(ChronosEngineTest, SingleParentFiresChildEveryTime) {
  ASSERT_OK(post(R"({"name":"p","command":"x","schedule":"R/2026-01-01T01:00:00Z/PT1H"})"));
  ASSERT_OK(post(R"({"name":"c","command":"x","parents":["p"]})", true));
  advanceAndTick(kHour);
  EXPECT_EQ(launches("c"), 1);
  advanceAndTick(kHour);
  EXPECT_EQ(launches("c"), 2);
  EXPECT_EQ(job("c").successCount, 2);
}

TEST_F(ChronosEngineTest, ChildWaitsForAllParents) {
  ASSERT_OK(post(R"({"name":"a","command":"x","schedule":"R/2026-01-02T00:00:00Z/PT24H"})"));
  ASSERT_OK(post(R"({"name":"b","command":"x","schedule":"R/2026-01-02T00:00:00Z/PT24H"})"));
  ASSERT_OK(post(R"({"name":"c","command":"x","parents":["a","b"]})", true));
  ASSERT_OK(engine_->run("a", ""));
  engine_->tick();
  ASSERT_OK(engine_->run("a", ""));
  engine_->tick();
  EXPECT_EQ(launches("c"), 0) << "b has not completed yet";
  ASSERT_OK(engine_->run("b", ""));
  engine_->tick();
  EXPECT_EQ(launches("c"), 1);
  ASSERT_OK(engine_->run("b", ""));
  engine_->tick();
  EXPECT_EQ(launches("c"), 1) << "counts were reset when c started; a has not run since";
  ASSERT_OK(engine_->run("a", ""));
  engine_->tick();
  EXPECT_EQ(launches("c"), 2);
}

TEST_F(ChronosEngineTest, DisabledChildIsSkipped) {
  ASSERT_OK(post(R"({"name":"p","command":"x","schedule":"R/2026-01-02T00:00:00Z/PT24H"})"));
  ASSERT_OK(post(R"({"name":"c","command":"x","parents":["p"],"disabled":true})", true));
  ASSERT_OK(engine_->run("p", ""));
  engine_->tick();
  EXPECT_EQ(launches("c"), 0);
}

TEST_F(ChronosEngineTest, RetriesThenCountsOneError) {
  exec_->script["f"] = {TaskOutcome::Kind::Failed, TaskOutcome::Kind::Failed,
                        TaskOutcome::Kind::Failed, TaskOutcome::Kind::Failed};
  ASSERT_OK(post(R"({"name":"f","command":"x","retries":2,"schedule":"R1//PT1H"})"));
  ASSERT_OK(post(R"({"name":"c","command":"x","parents":["f"]})", true));
  engine_->tick();
  EXPECT_EQ(launches("f"), 1);
  advanceAndTick(kMinute - 1);
  EXPECT_EQ(launches("f"), 1) << "a retry waits --failure_retry";
  advanceAndTick(1);
  EXPECT_EQ(launches("f"), 2);
  advanceAndTick(kMinute);
  EXPECT_EQ(launches("f"), 3);
  ChronosJob j = job("f");
  EXPECT_EQ(j.errorCount, 1);
  EXPECT_EQ(j.errorsSinceLastSuccess, 1);
  EXPECT_EQ(j.lastError, "2026-01-01T00:02:00.000Z");
  EXPECT_EQ(j.successCount, 0);
  EXPECT_EQ(launches("c"), 0) << "children fire on failure only with softError";
  // Failed since its last success: the next run gets no retries.
  ASSERT_OK(engine_->run("f", ""));
  advanceAndTick(1);
  advanceAndTick(5 * kMinute);
  EXPECT_EQ(launches("f"), 4);
  EXPECT_EQ(job("f").errorCount, 2);
}

TEST_F(ChronosEngineTest, SoftErrorFiresChildrenAfterFinalFailure) {
  exec_->script["f"] = {TaskOutcome::Kind::Failed};
  ASSERT_OK(post(R"({"name":"f","command":"x","retries":0,"softError":true,
                     "schedule":"R1//PT1H"})"));
  ASSERT_OK(post(R"({"name":"c","command":"x","parents":["f"]})", true));
  engine_->tick();
  EXPECT_EQ(job("f").errorCount, 1);
  EXPECT_EQ(launches("c"), 1);
}

TEST_F(ChronosEngineTest, SuccessResetsErrorsSinceLastSuccess) {
  exec_->script["f"] = {TaskOutcome::Kind::Failed, TaskOutcome::Kind::Finished};
  ASSERT_OK(post(R"({"name":"f","command":"x","retries":0,"schedule":"R//PT1H"})"));
  engine_->tick();
  EXPECT_EQ(job("f").errorsSinceLastSuccess, 1);
  advanceAndTick(kHour);
  ChronosJob j = job("f");
  EXPECT_EQ(j.errorsSinceLastSuccess, 0);
  EXPECT_EQ(j.successCount, 1);
  EXPECT_EQ(j.errorCount, 1);
}

TEST_F(ChronosEngineTest, KillStopsRunningTasksWithoutCountingAnError) {
  exec_->hold.insert("long");
  ASSERT_OK(post(R"({"name":"long","command":"sleep 100","schedule":"R1//PT1H"})"));
  engine_->tick();
  ASSERT_EQ(exec_->running.size(), 1u);
  EXPECT_EQ(engine_->summaries()[0].state, "1 running");
  ASSERT_OK(engine_->killTasks("long"));
  engine_->tick();
  EXPECT_EQ(exec_->killed.size(), 1u);
  ChronosJob j = job("long");
  EXPECT_EQ(j.errorCount, 0);
  EXPECT_EQ(j.successCount, 0);
  EXPECT_EQ(engine_->summaries()[0].state, "idle");
  EXPECT_ERROR_CODE(engine_->killTasks("nope"), ErrorCode::InvalidInput);
}

TEST_F(ChronosEngineTest, MaxCompletionTimeKillsAndCountsAFailure) {
  exec_->hold.insert("slow");
  ASSERT_OK(post(R"({"name":"slow","command":"x","retries":0,"maxCompletionTime":30,
                     "schedule":"R1//PT1H"})"));
  engine_->tick();
  advanceAndTick(29 * 1000);
  EXPECT_TRUE(exec_->killed.empty());
  advanceAndTick(1000);
  EXPECT_EQ(exec_->killed.size(), 1u);
  engine_->tick();
  EXPECT_EQ(job("slow").errorCount, 1);
}

TEST_F(ChronosEngineTest, NonConcurrentJobWaitsForItsRunningTask) {
  exec_->hold.insert("slow");
  ASSERT_OK(post(R"({"name":"slow","command":"x","schedule":"R//PT1M"})"));
  engine_->tick();
  advanceAndTick(kMinute);
  advanceAndTick(kMinute);
  EXPECT_EQ(launches("slow"), 1);
  EXPECT_EQ(engine_->summaries()[0].state, "1 running");
}

TEST_F(ChronosEngineTest, DeleteConvertsOnlyChildOfScheduledParent) {
  ASSERT_OK(post(R"({"name":"p","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})"));
  ASSERT_OK(post(R"({"name":"q","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})"));
  ASSERT_OK(post(R"({"name":"only","command":"x","parents":["p"]})", true));
  ASSERT_OK(post(R"({"name":"both","command":"x","parents":["p","q"]})", true));
  ASSERT_OK(engine_->remove("p"));
  ChronosJob only = job("only");
  EXPECT_FALSE(only.dependent);
  EXPECT_EQ(only.scheduleText, "R/2026-02-01T00:00:00.000Z/P1D");
  ChronosJob both = job("both");
  EXPECT_TRUE(both.dependent);
  EXPECT_EQ(both.parents, (std::set<std::string>{"q"}));
  EXPECT_ERROR_CODE(engine_->remove("p"), ErrorCode::InvalidInput);
}

TEST_F(ChronosEngineTest, DeleteDependentParentHandsDownItsParents) {
  ASSERT_OK(post(R"({"name":"root","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})"));
  ASSERT_OK(post(R"({"name":"mid","command":"x","parents":["root"]})", true));
  ASSERT_OK(post(R"({"name":"leaf","command":"x","parents":["mid"]})", true));
  ASSERT_OK(engine_->remove("mid"));
  EXPECT_EQ(job("leaf").parents, (std::set<std::string>{"root"}));
  ASSERT_OK(engine_->run("root", ""));
  engine_->tick();
  EXPECT_EQ(launches("leaf"), 1);
}

TEST_F(ChronosEngineTest, UnknownParentOnCreateIsAcceptedButInvisible) {
  ASSERT_OK(post(R"({"name":"orphan","command":"x","parents":["later"]})", true));
  EXPECT_FALSE(engine_->get("orphan").has_value());
  EXPECT_EQ(engine_->pendingNames(), std::vector<std::string>{"orphan"});
  engine_->tick();
  EXPECT_TRUE(engine_->list().empty());
  ASSERT_OK(post(R"({"name":"later","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})"));
  engine_->tick();
  EXPECT_TRUE(engine_->get("orphan").has_value());
}

TEST_F(ChronosEngineTest, ReplaceValidatesParentsAndCycles) {
  ASSERT_OK(post(R"({"name":"a","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})"));
  ASSERT_OK(post(R"({"name":"b","command":"x","parents":["a"]})", true));
  ASSERT_OK(post(R"({"name":"c","command":"x","parents":["b"]})", true));
  EXPECT_ERROR_CODE(post(R"({"name":"b","command":"x","parents":["ghost"]})", true),
                    ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(post(R"({"name":"b","command":"x","parents":["c"]})", true),
                    ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(post(R"({"name":"d","command":"x","parents":[]})", true), ErrorCode::Internal);
  EXPECT_ERROR_CODE(post(R"({"name":"d","command":"x","schedule":"R//P1D"})", true),
                    ErrorCode::Internal);
}

TEST_F(ChronosEngineTest, ReplaceTakesTheBodyAsIsIncludingCounters) {
  ASSERT_OK(post(R"({"name":"j","command":"x","schedule":"R//PT1H"})"));
  engine_->tick();
  EXPECT_EQ(job("j").successCount, 1);
  ASSERT_OK(post(R"({"name":"j","command":"y","schedule":"R/2026-02-01T00:00:00Z/PT1H"})"));
  ChronosJob j = job("j");
  EXPECT_EQ(j.successCount, 0);
  EXPECT_EQ(j.lastSuccess, "");
  EXPECT_EQ(j.command, "y");
}

TEST_F(ChronosEngineTest, ValidatesNewJobs) {
  EXPECT_ERROR_CODE(post(R"({"name":"has space","command":"x"})"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(post(R"({"name":"a:b","command":"x"})"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(post(R"({"name":"s","schedule":""})"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(post(R"({"name":"old","schedule":"R/1969-12-31T00:00:00Z/P1D"})"),
                    ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(post(R"({"name":"u","uris":["http://x"],"fetch":[{"uri":"http://y"}]})"),
                    ErrorCode::InvalidInput);
  EXPECT_TRUE(engine_->list().empty());
}

TEST_F(ChronosEngineTest, ManualRunOfExhaustedJobRevivesRepetitions) {
  ASSERT_OK(post(R"({"name":"once","command":"x","schedule":"R1//PT1H"})"));
  engine_->tick();
  EXPECT_TRUE(job("once").disabled);
  ASSERT_OK(engine_->run("once", "--flag;rm"));
  engine_->tick();
  EXPECT_EQ(launches("once"), 2);
  EXPECT_EQ(job("once").schedule.repetitions, -1) << "Chronos skipForward quirk: R0 -> R";
  EXPECT_EQ(exec_->launches.back().taskId.substr(exec_->launches.back().taskId.rfind(':') + 1),
            "--flagrm");
  EXPECT_ERROR_CODE(engine_->run("nope", ""), ErrorCode::InvalidInput);
}

TEST_F(ChronosEngineTest, MarkSuccessFiresChildren) {
  ASSERT_OK(post(R"({"name":"p","command":"x","schedule":"R/2026-02-01T00:00:00Z/P1D"})"));
  ASSERT_OK(post(R"({"name":"c","command":"x","parents":["p"]})", true));
  EXPECT_TRUE(engine_->markSuccess("p"));
  EXPECT_FALSE(engine_->markSuccess("nope"));
  engine_->tick();
  EXPECT_EQ(launches("p"), 0);
  EXPECT_EQ(launches("c"), 1);
  EXPECT_EQ(job("p").successCount, 1);
}

}  // namespace
}  // namespace ceph_planner::chronos_sim
