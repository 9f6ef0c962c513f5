// engine::Rebalancer over FakeMarathon and FakeCephAdmin (replaying the recorded Ceph 16.2 states
// of tests/testdata/ceph16) with a ManualClock: what is read, what is written, what is printed.

#include "engine/rebalancer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ceph/fake_ceph_admin.h"
#include "common/manual_clock.h"
#include "common/testing.h"
#include "tests/fakes/fake_marathon.h"

namespace ceph_planner::engine {
namespace {

constexpr char kApp[] = "/ceph/box/rgw/main";

std::string state(const std::string& name) {
  return std::string(CP_SOURCE_DIR) + "/tests/testdata/ceph16/" + name;
}

topology::Topology makeTopology() {
  topology::Topology t;
  t.cluster.name = "box";
  for (const char* name : {"h1", "h2", "h3"}) {
    topology::Host h;
    h.name = name;
    h.labels = {"rgw"};
    t.hosts.push_back(h);
  }
  topology::RgwService rgw;
  rgw.serviceId = "main";
  rgw.port = 7480;
  rgw.placement.label = "rgw";
  t.rgw.push_back(rgw);
  return t;
}

class RebalancerTest : public ::testing::Test {
 protected:
  RebalancerTest() : marathon_(marathon::FakeMarathon::Options{true, {"h1", "h2", "h3"}}) {
    planner::AppSpec app;
    app.id = kApp;
    app.cmd = "radosgw -f";
    app.instances = 2;
    app.healthChecks.push_back(planner::HealthCheck{});
    EXPECT_OK(marathon_.putApp(app, false));
    marathon_.clearCalls();
  }

  Result<RebalanceOutcome> run(ceph::CephAdmin& ceph, RebalanceRunOptions options = {}) {
    options.pollInterval = std::chrono::seconds(2);
    options.rgwWaitTimeout = std::chrono::seconds(60);
    Rebalancer rebalancer(
        &marathon_, ceph, clock_,
        [this](const std::string& line) {
          lines_.push_back(line);
          if (onLine_) onLine_(line);
        },
        options);
    return rebalancer.run(topology_);
  }

  bool printed(const std::string& excerpt) const {
    for (const auto& line : lines_) {
      if (line.find(excerpt) != std::string::npos) return true;
    }
    return false;
  }
  std::string output() const {
    std::string all;
    for (const auto& line : lines_) all += line + "\n";
    return all;
  }

  topology::Topology topology_ = makeTopology();
  marathon::FakeMarathon marathon_;
  ManualClock clock_;
  std::vector<std::string> lines_;
  std::function<void(const std::string&)> onLine_;
};

TEST_F(RebalancerTest, BalancerOffRunsOnePlanAndTouchesNoRgw) {
  ceph::FakeCephAdmin ceph(state("balancer_off"));
  auto outcome = run(ceph);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->stepsTaken, 1);
  EXPECT_EQ(ceph.writes(), (std::vector<std::string>{"balancer_optimize_ceph-planner-rebalance",
                                                     "balancer_execute_ceph-planner-rebalance"}));
  EXPECT_EQ(marathon_.writeCount(), 0);
  EXPECT_TRUE(printed("rgw-spread /ceph/box/rgw/main: nothing to do: evenly spread")) << output();
  EXPECT_TRUE(printed("data-balance ceph: executed balancer plan 'ceph-planner-rebalance'"))
      << output();
  EXPECT_TRUE(printed("rebalance: 1 step(s) taken")) << output();
}

TEST_F(RebalancerTest, BalancerAlreadyOnChangesNothing) {
  ceph::FakeCephAdmin ceph(state("clean"));
  auto outcome = run(ceph);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->stepsTaken, 0);
  EXPECT_TRUE(ceph.writes().empty());
  EXPECT_TRUE(printed("balancer on in mode 'upmap': the mgr balances continuously")) << output();
  EXPECT_TRUE(printed("rebalance: nothing changed")) << output();
}

TEST_F(RebalancerTest, UnhealthyCephIsASafeSkipThatAsksNothingMore) {
  for (const char* name : {"osd_down", "backfilling"}) {
    ceph::FakeCephAdmin ceph(state(name));
    lines_.clear();
    auto outcome = run(ceph);
    ASSERT_OK(outcome);
    EXPECT_EQ(outcome->stepsTaken, 0) << name;
    EXPECT_EQ(ceph.calls(), std::vector<std::string>{"health_detail"}) << name;
    EXPECT_EQ(marathon_.writeCount(), 0) << name;
    EXPECT_TRUE(printed("data-balance ceph: skip: ceph not healthy: HEALTH_WARN")) << output();
    if (std::string(name) == "osd_down") {
      EXPECT_TRUE(printed("(OSD_DOWN: 1 osds down; PG_DEGRADED: Degraded data redundancy"))
          << output();
    } else {
      EXPECT_TRUE(printed("(PG_AVAILABILITY: Reduced data availability: 4 pgs inactive"))
          << output();
    }
  }
}

TEST_F(RebalancerTest, NoHealthWarningButPgsNotCleanIsASkip) {
  ceph::FakeCephAdmin ceph(state("backfilling"));
  // The health recorded a moment earlier still warned; replay an OK health over the recovering PGs.
  ceph.override("health_detail",
                ceph::CommandOutput{0, R"({"status":"HEALTH_OK","checks":{}})", ""});
  auto outcome = run(ceph);
  ASSERT_OK(outcome);
  EXPECT_TRUE(ceph.writes().empty());
  EXPECT_TRUE(
      printed("skip: recovery or backfill in progress (45 active+clean, 2 active+recovering, 34 "
              "active+recovery_wait+degraded): skipped"))
      << output();
}

TEST_F(RebalancerTest, DryRunWritesNothing) {
  ceph::FakeCephAdmin ceph(state("balancer_off"));
  marathon_.setAppHealth(kApp, false);
  RebalanceRunOptions options;
  options.dryRun = true;
  auto outcome = run(ceph, options);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->stepsTaken, 0);
  EXPECT_TRUE(ceph.writes().empty());
  EXPECT_EQ(marathon_.writeCount(), 0);
  EXPECT_TRUE(printed("kill task")) << output();
  EXPECT_TRUE(printed("dry run: 2 step(s) would be taken; nothing changed")) << output();
}

TEST_F(RebalancerTest, UnhealthyRgwTaskIsKilledWithoutScaleAndItsReplacementAwaited) {
  ceph::FakeCephAdmin ceph(state("clean"));
  marathon_.setAppHealth(kApp, false);
  // Marathon's health check passes for the replacement once the old task is gone.
  onLine_ = [this](const std::string& line) {
    if (line.find("killed task") != std::string::npos) marathon_.setAppHealth(kApp, true);
  };
  RebalanceRunOptions options;
  options.settings.skipDataBalance = true;
  auto outcome = run(ceph, options);
  ASSERT_OK(outcome);
  EXPECT_EQ(outcome->stepsTaken, 1);
  EXPECT_EQ(outcome->marathonWrites, 1);
  auto calls = marathon_.calls();
  EXPECT_EQ(std::count_if(calls.begin(), calls.end(),
                          [](const auto& c) { return c.method == "killTasks"; }),
            1);
  EXPECT_EQ(marathon_.app(kApp)->instances, 2);  // Not scaled.
  EXPECT_TRUE(printed("replacement healthy after 2s (2/2 healthy, 2 running)")) << output();
  EXPECT_TRUE(ceph.calls().empty());  // Data balance skipped by flag: Ceph is not even asked.
}

TEST_F(RebalancerTest, ReplacementThatStaysUnhealthyFailsAtTheDeadline) {
  ceph::FakeCephAdmin ceph(state("clean"));
  marathon_.setAppHealth(kApp, false);
  RebalanceRunOptions options;
  options.settings.skipDataBalance = true;
  auto outcome = run(ceph, options);
  EXPECT_ERROR_CODE(outcome, ErrorCode::Timeout);
  EXPECT_NE(outcome.error().message.find("was not healthy within 60s (0/2 healthy, 2 running)"),
            std::string::npos)
      << outcome.error().message;
  EXPECT_EQ(marathon_.writeCount(), 1);  // One kill, never a second.
}

TEST_F(RebalancerTest, WithoutABalancerTheBoundedReweightRuns) {
  ceph::FakeCephAdmin ceph(state("balancer_off"));
  ceph.override("balancer_status",
                ceph::CommandOutput{110, "", "Error ETIMEDOUT: no active mgr\n"});
  RebalanceRunOptions options;
  options.settings.reweight.overloadPercent = 101;
  auto outcome = run(ceph, options);
  ASSERT_OK(outcome);
  EXPECT_EQ(ceph.writes(), std::vector<std::string>{"osd_reweight-by-utilization_101_0.05_4"});
  EXPECT_TRUE(
      printed("balancer unavailable ('ceph balancer status' failed with exit code 110: "
              "no active mgr); dry run proposes osd.0 1.000->0.950, osd.1 1.000->0.950"))
      << output();
  EXPECT_TRUE(printed("reweighted osd.0 1.000->0.950, osd.1 0.950->0.921")) << output();
}

TEST_F(RebalancerTest, WithoutABalancerAndNothingOverloadedNothingRuns) {
  ceph::FakeCephAdmin ceph(state("clean"));
  ceph.override("balancer_status", ceph::CommandOutput{110, "", "Error ETIMEDOUT: no mgr\n"});
  auto outcome = run(ceph);
  ASSERT_OK(outcome);
  EXPECT_TRUE(ceph.writes().empty());
  EXPECT_TRUE(printed("no osd above the reweight threshold (overload 120%")) << output();
}

TEST_F(RebalancerTest, UnreachableCephOrMarathonIsAnError) {
  ceph::FakeCephAdmin ceph(state("clean"));
  ceph.override("health_detail", ceph::CommandOutput{110, "", "Error ETIMEDOUT: timed out\n"});
  auto outcome = run(ceph);
  EXPECT_ERROR_CODE(outcome, ErrorCode::Unavailable);
  EXPECT_NE(outcome.error().message.find("cannot read ceph health"), std::string::npos);

  ceph::FakeCephAdmin healthy(state("clean"));
  marathon_.failNext("getGroup", 1, makeError(ErrorCode::Unavailable, "connection refused"));
  auto failed = run(healthy);
  EXPECT_ERROR_CODE(failed, ErrorCode::Unavailable);
  EXPECT_NE(failed.error().message.find("cannot read group '/ceph/box' from Marathon"),
            std::string::npos);
  EXPECT_EQ(marathon_.writeCount(), 0);
}

}  // namespace
}  // namespace ceph_planner::engine
