// `RgwAutoscaler` over FakeMarathon, FakeMetricSource and a ManualClock: the daemon's view. Each
// "pass" advances the clock by 10 s, lets the served counters grow at the set rates, reads the
// group (as the reconciler does) and ticks.

#include "engine/rgw_autoscaler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "common/manual_clock.h"
#include "common/testing.h"
#include "tests/fakes/fake_marathon.h"
#include "tests/fakes/fake_metric_source.h"

namespace ceph_planner::engine {
namespace {

using marathon::FakeMarathon;
using planner::AutoscaleAction;
using planner::AutoscaleReason;
using std::chrono::seconds;

constexpr char kApp[] = "/ceph/box/rgw/gw";
constexpr char kUrl[] = "http://127.0.0.1:9283/metrics";

topology::Topology topologyWith(int min, int max) {
  topology::Topology t;
  t.cluster.name = "box";
  topology::RgwService rgw;
  rgw.serviceId = "gw";
  rgw.port = 7480;
  rgw.autoscale.present = true;
  rgw.autoscale.min = min;
  rgw.autoscale.max = max;
  rgw.autoscale.target = 100;
  rgw.autoscale.scaleUp = {60, 1, 0};
  rgw.autoscale.scaleDown = {180, 1, 0};
  rgw.autoscale.cooldownSeconds = 120;
  t.rgw.push_back(rgw);
  // A fixed-count service: never touched by the autoscaler.
  topology::RgwService fixed;
  fixed.serviceId = "fixed";
  fixed.port = 7481;
  fixed.count = 1;
  t.rgw.push_back(fixed);
  return t;
}

planner::AppSpec rgwApp(const std::string& id, int instances) {
  planner::AppSpec app;
  app.id = id;
  app.cmd = "radosgw -f";
  app.instances = instances;
  app.portDefinitions = {};
  planner::HealthCheck check;
  check.protocol = "MESOS_HTTP";
  check.path = "/";
  check.maxConsecutiveFailures = 0;
  app.healthChecks = {check};
  return app;
}

class RgwAutoscalerTest : public ::testing::Test {
 protected:
  RgwAutoscalerTest()
      : marathon_(FakeMarathon::Options{true, {"h1", "h2", "h3", "h4", "h5", "h6"}}),
        autoscaler_(marathon_, metrics_, clock_, options()) {
    EXPECT_OK(marathon_.putApp(rgwApp(kApp, 2), false));
    EXPECT_OK(marathon_.putApp(rgwApp("/ceph/box/rgw/fixed", 1), false));
    marathon_.clearCalls();
  }

  static RgwAutoscalerOptions options() {
    RgwAutoscalerOptions o;
    o.metricsUrl = kUrl;
    return o;
  }

  // Spreads `total` req/s over the app's running tasks (by host, as the metric's instance label);
  // hosts in `pinned_` serve their pinned rate out of that total.
  void setLoad(double total) {
    auto app = appState();
    double rest = total;
    size_t shared = 0;
    for (const auto& t : app.status.tasks) {
      if (pinned_.count(t.host)) {
        rest -= pinned_.at(t.host);
      } else {
        ++shared;
      }
    }
    for (const auto& t : app.status.tasks) {
      metrics_.setRate(t.host, pinned_.count(t.host) ? pinned_.at(t.host) : rest / shared);
    }
    for (const char* h : {"h1", "h2", "h3", "h4", "h5", "h6"}) {
      if (std::none_of(app.status.tasks.begin(), app.status.tasks.end(),
                       [&](const planner::TaskStatus& t) { return t.host == h; })) {
        metrics_.remove(h);
      }
    }
  }

  planner::ObservedApp appState() {
    auto group = marathon_.getGroup("/ceph/box");
    EXPECT_TRUE(group.has_value());
    for (const auto& a : group->apps) {
      if (a.spec.id == kApp) return a;
    }
    ADD_FAILURE() << "no app " << kApp;
    return {};
  }

  Result<std::vector<planner::AutoscaleDecision>> pass() {
    clock_.advance(seconds(10));
    metrics_.advance(seconds(10));
    now_ += 10;
    auto group = marathon_.getGroup("/ceph/box");
    EXPECT_TRUE(group.has_value());
    return autoscaler_.tick(topology_, group.value());
  }

  // Runs passes for `duration` seconds at a steady total load, re-spreading it after each change;
  // returns the times (seconds since the test start) and targets of the changes.
  std::vector<std::pair<int, int>> runFor(int duration, double total) {
    std::vector<std::pair<int, int>> changes;
    setLoad(total);
    for (int elapsed = 0; elapsed < duration; elapsed += 10) {
      auto decisions = pass();
      EXPECT_TRUE(decisions.has_value()) << decisions.error().toString();
      if (!decisions) break;
      for (const auto& d : *decisions) {
        changes.emplace_back(now_, d.to);
        setLoad(total);
      }
    }
    return changes;
  }

  ManualClock clock_;
  FakeMarathon marathon_;
  FakeMetricSource metrics_;
  topology::Topology topology_ = topologyWith(2, 5);
  RgwAutoscaler autoscaler_;
  int now_ = 0;
  std::map<std::string, double> pinned_;
};

TEST_F(RgwAutoscalerTest, SteadyLoadMakesNoWrites) {
  EXPECT_TRUE(runFor(1800, 200).empty());
  EXPECT_EQ(marathon_.writeCount(), 0);
  ASSERT_EQ(autoscaler_.lastEvaluations().size(), 1u);  // The fixed service is not evaluated.
  EXPECT_EQ(autoscaler_.lastEvaluations()[0].reason, AutoscaleReason::Steady);
}

TEST_F(RgwAutoscalerTest, FirstPassHasNoRateYet) {
  setLoad(200);
  auto decisions = pass();
  ASSERT_OK(decisions);
  EXPECT_TRUE(decisions->empty());
  EXPECT_EQ(autoscaler_.lastEvaluations()[0].reason, AutoscaleReason::MetricsUnavailable);
  ASSERT_FALSE(metrics_.queries().empty());
  EXPECT_EQ(metrics_.queries()[0].url, kUrl);
  EXPECT_EQ(metrics_.queries()[0].metric, "ceph_rgw_req");
}

TEST_F(RgwAutoscalerTest, RiseScalesUpThroughMarathonStepByStepThenFallScalesDownByKilling) {
  runFor(60, 200);  // Baseline: windows filled at 2.
  // 450 req/s wants 5: +1 once the 60 s window holds, then +1 per 120 s cooldown.
  auto up = runFor(600, 450);
  const std::vector<std::pair<int, int>> expectedUp = {{130, 3}, {250, 4}, {370, 5}};
  EXPECT_EQ(up, expectedUp);
  EXPECT_EQ(appState().spec.instances, 5);
  EXPECT_EQ(appState().status.tasks.size(), 5u);
  auto calls = marathon_.calls();
  const int scaleCalls =
      std::count(calls.begin(), calls.end(), FakeMarathon::Call{"scaleApp", kApp});
  EXPECT_EQ(scaleCalls, 3);

  // One task is hardly loaded: it is the scale-down victim.
  marathon_.clearCalls();
  auto tasks = appState().status.tasks;
  pinned_[tasks[3].host] = 1;
  auto down = runFor(900, 150);
  ASSERT_FALSE(down.empty());
  EXPECT_EQ(down.front().second, 4);
  EXPECT_EQ(down.back().second, 2);
  EXPECT_EQ(appState().spec.instances, 2);
  calls = marathon_.calls();
  EXPECT_EQ(std::count(calls.begin(), calls.end(), FakeMarathon::Call{"killTasks", kApp}), 3);
  EXPECT_EQ(std::count(calls.begin(), calls.end(), FakeMarathon::Call{"scaleApp", kApp}), 0);
  auto remaining = appState().status.tasks;
  EXPECT_TRUE(std::none_of(remaining.begin(), remaining.end(), [&](const planner::TaskStatus& t) {
    return t.id == tasks[3].id;
  })) << "the least loaded task survived";
}

TEST_F(RgwAutoscalerTest, SpikeShorterThanTheWindowMakesNoWrites) {
  runFor(60, 200);
  EXPECT_TRUE(runFor(50, 450).empty());
  EXPECT_TRUE(runFor(600, 200).empty());
  EXPECT_EQ(marathon_.writeCount(), 0);
}

TEST_F(RgwAutoscalerTest, UnhealthyInstancesAreReplacedRegardlessOfLoad) {
  runFor(30, 50);
  marathon_.setAppHealth(kApp, false);
  auto decisions = pass();
  ASSERT_OK(decisions);
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_EQ((*decisions)[0].reason, AutoscaleReason::Capacity);
  EXPECT_EQ((*decisions)[0].to, 4);  // Two failed: two more to get back to min=2 alive.
  EXPECT_EQ(appState().spec.instances, 4);
}

TEST_F(RgwAutoscalerTest, OutOfBoundsInstancesAreClamped) {
  topology_ = topologyWith(3, 5);
  auto decisions = pass();
  ASSERT_OK(decisions);
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_EQ((*decisions)[0].reason, AutoscaleReason::Bounds);
  EXPECT_EQ(appState().spec.instances, 3);
}

TEST_F(RgwAutoscalerTest, DeploymentInProgressIsLeftAlone) {
  topology_ = topologyWith(3, 5);  // Out of bounds, yet nothing may happen while deploying.
  marathon_.setAutoComplete(false);
  planner::AppSpec changed = rgwApp(kApp, 2);
  changed.cmd = "radosgw -f -d";
  ASSERT_OK(marathon_.putApp(changed, false));  // A restart, held open.
  ASSERT_FALSE(appState().status.deploymentIds.empty());
  marathon_.clearCalls();
  auto decisions = pass();
  ASSERT_OK(decisions);
  EXPECT_TRUE(decisions->empty());
  EXPECT_EQ(autoscaler_.lastEvaluations()[0].reason, AutoscaleReason::Deploying);
  EXPECT_EQ(marathon_.writeCount(), 0);
}

TEST_F(RgwAutoscalerTest, MetricFailuresAreNotErrorsAndRestartTheWindow) {
  runFor(50, 450);
  metrics_.failNext(1, makeError(ErrorCode::Unavailable, "failed to read metrics: refused"));
  auto decisions = pass();
  ASSERT_OK(decisions);
  EXPECT_EQ(autoscaler_.lastEvaluations()[0].reason, AutoscaleReason::MetricsUnavailable);
  EXPECT_NE(autoscaler_.lastEvaluations()[0].inputs.find("refused"), std::string::npos);
  // The 60 s window starts again with the first pass after the gap (t=70).
  auto changes = runFor(80, 450);
  EXPECT_EQ(changes, (std::vector<std::pair<int, int>>{{130, 3}}));
}

TEST_F(RgwAutoscalerTest, CounterResetCountsFromZero) {
  metrics_.setCounter("h1", 1'000'000);
  metrics_.setCounter("h2", 1'000'000);
  runFor(20, 200);
  metrics_.setCounter("h1", 0);  // Restarted daemon.
  metrics_.setCounter("h2", 0);
  auto decisions = pass();
  ASSERT_OK(decisions);
  EXPECT_NE(autoscaler_.lastEvaluations()[0].inputs.find("load=200.0req/s"), std::string::npos)
      << autoscaler_.lastEvaluations()[0].inputs;
}

TEST_F(RgwAutoscalerTest, TopologyMetricUrlOverridesTheDefault) {
  topology_.rgw[0].autoscale.metricUrl = "http://127.0.0.1:1/other";
  (void)pass();
  ASSERT_FALSE(metrics_.queries().empty());
  EXPECT_EQ(metrics_.queries().back().url, "http://127.0.0.1:1/other");
}

TEST_F(RgwAutoscalerTest, ServicesSharingAnEndpointReadItOncePerTickAndBothGetRates) {
  topology::RgwService second = topology_.rgw[0];
  second.serviceId = "gw2";
  topology_.rgw.push_back(second);
  ASSERT_OK(marathon_.putApp(rgwApp("/ceph/box/rgw/gw2", 2), false));
  setLoad(200);
  (void)pass();
  ASSERT_OK(pass());
  EXPECT_EQ(metrics_.queries().size(), 2u) << "one read per tick";
  ASSERT_EQ(autoscaler_.lastEvaluations().size(), 2u);
  for (const auto& e : autoscaler_.lastEvaluations()) {
    EXPECT_NE(e.inputs.find("measured=2"), std::string::npos) << e.service << ": " << e.inputs;
  }
}

TEST_F(RgwAutoscalerTest, HostAndPortInstancesMatchTasksByHost) {
  // FakeMarathon gives tasks no ports, so only a bare-host label can match; a `host:port` label
  // for a port the task does not have must not count.
  auto tasks = appState().status.tasks;
  metrics_.setRate(tasks[0].host + ":7480", 500);
  metrics_.setRate(tasks[1].host, 100);
  (void)pass();
  (void)pass();
  EXPECT_NE(autoscaler_.lastEvaluations()[0].inputs.find("measured=1 load=100.0req/s"),
            std::string::npos)
      << autoscaler_.lastEvaluations()[0].inputs;
}

TEST_F(RgwAutoscalerTest, MarathonErrorsAreReturnedWithTheDecisionAndNoCooldownStarts) {
  topology_ = topologyWith(3, 5);
  marathon_.failNext("scaleApp", 1, makeError(ErrorCode::Unavailable, "http 503"));
  auto failed = pass();
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::Unavailable);
  EXPECT_EQ(failed.error().message,
            "failed to scale_up rgw 'gw' from 2 to 3: failed to scale app '/ceph/box/rgw/gw' to 3: "
            "http 503");
  auto retried = pass();
  ASSERT_OK(retried);
  ASSERT_EQ(retried->size(), 1u);
  EXPECT_EQ(appState().spec.instances, 3);
}

TEST_F(RgwAutoscalerTest, ExternalScaleStartsTheCooldown) {
  topology_.rgw[0].autoscale.scaleDown.windowSeconds = 30;
  runFor(60, 200);
  ASSERT_OK(marathon_.scaleApp(kApp, 3, false));  // The daemon's /flexup at t=60.
  autoscaler_.noteExternalScale(kApp);
  // 200 req/s at 3 wants 2: the 30 s window holds by t=100, the cooldown lasts until t=180.
  auto changes = runFor(300, 200);
  EXPECT_EQ(changes, (std::vector<std::pair<int, int>>{{180, 2}}));
}

}  // namespace
}  // namespace ceph_planner::engine
