// The ChronosApi contract, run against every implementation: CppRestChronosClient talking to a
// chronos-sim subprocess, and FakeChronos. Same assertions for both, so the fake that the jobs
// wave's tests rely on behaves like (simulated) Chronos.

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "chronos_client/cpprest_chronos_client.h"
#include "common/testing.h"
#include "planner/jobs.h"
#include "tests/contract/chronos_api/chronos_sim_process.h"
#include "tests/fakes/fake_chronos.h"

namespace ceph_planner::chronos {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class Target {
 public:
  virtual ~Target() = default;
  virtual ChronosApi& api() = 0;
};

class SimTarget final : public Target {
 public:
  Status start() {
    if (auto s = sim_.start(/*timeScale=*/1); !s) return s;
    ChronosClientOptions options;
    options.baseUrls = {sim_.url()};
    options.callTimeout = seconds(5);
    options.retry = marathon::RetryPolicy{3, milliseconds(20), milliseconds(200), seconds(5)};
    auto client = CppRestChronosClient::create(options);
    if (!client) return client.error();
    client_ = std::move(client.value());
    return okStatus();
  }
  ChronosApi& api() override { return *client_; }

 private:
  testing::ChronosSimProcess sim_;
  std::unique_ptr<CppRestChronosClient> client_;
};

class FakeTarget final : public Target {
 public:
  ChronosApi& api() override { return fake_; }

 private:
  FakeChronos fake_;
};

struct TargetParam {
  std::string name;
  std::function<Result<std::unique_ptr<Target>>()> make;
};

class ChronosApiContract : public ::testing::TestWithParam<TargetParam> {
 protected:
  void SetUp() override {
    auto target = GetParam().make();
    ASSERT_OK(target);
    target_ = std::move(target.value());
  }
  ChronosApi& api() { return target_->api(); }

  std::unique_ptr<Target> target_;
};

planner::JobSpec scheduledJob(const std::string& name, const std::string& schedule) {
  planner::JobSpec job;
  job.name = name;
  job.command = "echo maintenance";
  job.schedule = schedule;
  job.ownerName = planner::jobOwnerName("c1");
  job.description = "contract test job";
  job.cpus = 0.2;
  job.mem = 64;
  job.disk = 32;
  job.retries = 1;
  return job;
}

planner::JobSpec dependentJob(const std::string& name, std::vector<std::string> parents) {
  planner::JobSpec job = scheduledJob(name, "");
  job.parents = std::move(parents);
  return job;
}

bool listed(const std::vector<planner::JobSpec>& jobs, const std::string& name) {
  for (const auto& j : jobs) {
    if (j.name == name) return true;
  }
  return false;
}

TEST_P(ChronosApiContract, CreateThenGetAndListWithEveryOwnedFieldIntact) {
  planner::JobSpec job = scheduledJob("ceph-planner-c1-rebalance", "R/2030-01-01T02:00:00Z/PT6H");
  job.scheduleTimeZone = "Europe/Paris";
  job.constraints = {{"hostname", "EQUALS", "ceph-box-1"}};
  job.environmentVariables = {{"CEPH_PLANNER_CLUSTER", "c1"}};
  job.container = planner::JobContainer{
      "DOCKER", "quay.io/ceph/ceph:v18", "HOST", {{"/etc/ceph", "/etc/ceph", "RO"}}, false};
  ASSERT_OK(api().putJob(job));

  auto got = api().getJob(job.name);
  ASSERT_OK(got);
  EXPECT_EQ(got->name, job.name);
  EXPECT_EQ(got->ownerName, job.ownerName);
  EXPECT_EQ(got->description, job.description);
  EXPECT_TRUE(planner::compareJobs(job, got.value()).empty())
      << planner::compareJobs(job, got.value()).front().field;
  auto parts = planner::parseSchedule(got->schedule);
  ASSERT_OK(parts);
  EXPECT_EQ(parts->period, "PT6H");
  EXPECT_EQ(got->successCount, 0);

  auto all = api().listJobs();
  ASSERT_OK(all);
  EXPECT_TRUE(listed(all.value(), job.name));
}

TEST_P(ChronosApiContract, PutReplacesByNameAndTakesCountersAsGiven) {
  planner::JobSpec job = scheduledJob("ceph-planner-c1-x", "R/2099-01-01T00:00:00Z/PT1H");
  ASSERT_OK(api().putJob(job));
  job.command = "echo changed";
  job.schedule = "R/2099-01-01T00:00:00Z/PT2H";
  job.successCount = 5;
  job.lastSuccess = "2026-11-22T01:02:03.000Z";
  ASSERT_OK(api().putJob(job));
  auto all = api().listJobs();
  ASSERT_OK(all);
  int count = 0;
  for (const auto& j : all.value()) count += j.name == job.name;
  EXPECT_EQ(count, 1);
  auto got = api().getJob(job.name);
  ASSERT_OK(got);
  EXPECT_EQ(got->command, "echo changed");
  EXPECT_EQ(planner::parseSchedule(got->schedule)->period, "PT2H");
  EXPECT_EQ(got->successCount, 5);
  EXPECT_EQ(got->lastSuccess, "2026-11-22T01:02:03.000Z");
}

TEST_P(ChronosApiContract, UnknownNamesAreNotFound) {
  EXPECT_ERROR_CODE(api().getJob("no-such-job"), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(api().deleteJob("no-such-job"), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(api().runJob("no-such-job"), ErrorCode::NotFound);
}

TEST_P(ChronosApiContract, DeleteIsNotRepeatable) {
  ASSERT_OK(api().putJob(scheduledJob("ceph-planner-c1-gone", "R/2099-01-01T00:00:00Z/PT1H")));
  ASSERT_OK(api().deleteJob("ceph-planner-c1-gone"));
  EXPECT_ERROR_CODE(api().getJob("ceph-planner-c1-gone"), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(api().deleteJob("ceph-planner-c1-gone"), ErrorCode::NotFound);
  auto all = api().listJobs();
  ASSERT_OK(all);
  EXPECT_FALSE(listed(all.value(), "ceph-planner-c1-gone"));
}

TEST_P(ChronosApiContract, InvalidJobsAreRefused) {
  EXPECT_ERROR_CODE(api().putJob(scheduledJob("bad name", "R/2099-01-01T00:00:00Z/PT1H")),
                    ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(api().putJob(scheduledJob("bad:name", "R/2099-01-01T00:00:00Z/PT1H")),
                    ErrorCode::InvalidInput);
  auto unparsable = api().putJob(scheduledJob("ceph-planner-c1-bad", "every hour"));
  EXPECT_ERROR_CODE(unparsable, ErrorCode::InvalidInput);
  EXPECT_NE(unparsable.error().message.find("every hour"), std::string::npos)
      << unparsable.error().message;
  EXPECT_ERROR_CODE(api().putJob(scheduledJob("ceph-planner-c1-none", "")),
                    ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(api().getJob("ceph-planner-c1-bad"), ErrorCode::NotFound);
}

TEST_P(ChronosApiContract, DependentJobsKeepTheirParentsAsASet) {
  ASSERT_OK(api().putJob(scheduledJob("ceph-planner-c1-a", "R/2099-01-01T00:00:00Z/PT1H")));
  ASSERT_OK(api().putJob(scheduledJob("ceph-planner-c1-b", "R/2099-01-01T00:00:00Z/PT1H")));
  ASSERT_OK(api().putJob(dependentJob(
      "ceph-planner-c1-child", {"ceph-planner-c1-b", "ceph-planner-c1-a", "ceph-planner-c1-b"})));
  auto got = api().getJob("ceph-planner-c1-child");
  ASSERT_OK(got);
  std::vector<std::string> parents = got->parents;
  std::sort(parents.begin(), parents.end());
  EXPECT_EQ(parents, (std::vector<std::string>{"ceph-planner-c1-a", "ceph-planner-c1-b"}));
  EXPECT_TRUE(got->schedule.empty()) << got->schedule;
  // A replace that names a parent that does not exist is refused.
  EXPECT_ERROR_CODE(api().putJob(dependentJob("ceph-planner-c1-child", {"ceph-planner-c1-zz"})),
                    ErrorCode::InvalidInput);
}

TEST_P(ChronosApiContract, NewDependentWithMissingParentIsAcceptedButInvisibleUntilItExists) {
  ASSERT_OK(api().putJob(dependentJob("ceph-planner-c1-orphan", {"ceph-planner-c1-later"})));
  EXPECT_ERROR_CODE(api().getJob("ceph-planner-c1-orphan"), ErrorCode::NotFound);
  auto all = api().listJobs();
  ASSERT_OK(all);
  EXPECT_FALSE(listed(all.value(), "ceph-planner-c1-orphan"));
  ASSERT_OK(api().putJob(scheduledJob("ceph-planner-c1-later", "R/2099-01-01T00:00:00Z/PT1H")));
  // It joins the graph on Chronos's next loop pass (chronos-sim: 10 ms; the fake: at once).
  bool visible = false;
  for (int i = 0; i < 200 && !visible; ++i) {
    visible = api().getJob("ceph-planner-c1-orphan").has_value();
    if (!visible) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_TRUE(visible);
}

TEST_P(ChronosApiContract, DeletingAScheduledParentMakesItsOnlyChildScheduled) {
  ASSERT_OK(api().putJob(scheduledJob("ceph-planner-c1-p", "R/2030-01-01T00:00:00Z/PT3H")));
  ASSERT_OK(api().putJob(dependentJob("ceph-planner-c1-c", {"ceph-planner-c1-p"})));
  ASSERT_OK(api().deleteJob("ceph-planner-c1-p"));
  auto child = api().getJob("ceph-planner-c1-c");
  ASSERT_OK(child);
  EXPECT_TRUE(child->parents.empty());
  auto parts = planner::parseSchedule(child->schedule);
  ASSERT_OK(parts);
  EXPECT_EQ(parts->period, "PT3H");
}

TEST_P(ChronosApiContract, ManualRunIsCountedAsASuccess) {
  ASSERT_OK(api().putJob(scheduledJob("ceph-planner-c1-run", "R/2099-01-01T00:00:00Z/P1D")));
  ASSERT_OK(api().runJob("ceph-planner-c1-run"));
  // chronos-sim runs it on its next loop pass (10 ms); the fake at once.
  int64_t successes = 0;
  for (int i = 0; i < 200 && successes == 0; ++i) {
    auto got = api().getJob("ceph-planner-c1-run");
    ASSERT_OK(got);
    successes = got->successCount;
    if (successes == 0) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(successes, 1);
}

TEST_P(ChronosApiContract, LeaderIsKnown) {
  auto leader = api().leader();
  ASSERT_OK(leader);
  EXPECT_NE(leader->find(':'), std::string::npos) << leader.value();
}

INSTANTIATE_TEST_SUITE_P(Implementations, ChronosApiContract,
                         ::testing::Values(TargetParam{"CppRestClientOnChronosSim",
                                                       []() -> Result<std::unique_ptr<Target>> {
                                                         auto t = std::make_unique<SimTarget>();
                                                         if (auto s = t->start(); !s)
                                                           return s.error();
                                                         return std::unique_ptr<Target>(
                                                             std::move(t));
                                                       }},
                                           TargetParam{"FakeChronos",
                                                       []() -> Result<std::unique_ptr<Target>> {
                                                         return std::unique_ptr<Target>(
                                                             std::make_unique<FakeTarget>());
                                                       }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ceph_planner::chronos
