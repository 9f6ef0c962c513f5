// The RGW autoscaling policy table (issue 6): a service is driven with a load profile, one
// evaluation every 10 s, and each change it makes is applied before the next evaluation, as the
// daemon does. Settings: min 2, max 6, target 100 req/s per instance, tolerance 10 %, scale-up
// window 60 s, scale-down window 180 s, cooldown 120 s, steps of 1.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "planner/autoscale.h"

namespace ceph_planner::planner {
namespace {

using std::chrono::seconds;

constexpr int kTick = 10;  // Seconds between evaluations.

AutoscaleParams params() {
  AutoscaleParams p;
  p.min = 2;
  p.max = 6;
  p.target = 100;
  p.tolerance = 0.1;
  p.upWindow = seconds(60);
  p.downWindow = seconds(180);
  p.cooldown = seconds(120);
  p.upStep = 1;
  p.downStep = 1;
  return p;
}

struct Change {
  int at;  // Seconds.
  int to;
  AutoscaleReason reason;
  bool operator==(const Change&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Change& c) {
  return os << "{t=" << c.at << "s to=" << c.to << " " << autoscaleReasonName(c.reason) << "}";
}

// Runs the policy over time; the load profile gives the total req/s at each second.
class Service {
 public:
  explicit Service(int instances, AutoscaleParams p = params()) : p_(p), instances_(instances) {}

  // Evaluates at 0, 10, ... up to and including `untilSeconds` (continuing from the last run).
  void run(int untilSeconds, const std::function<double(int)>& load) {
    for (; t_ <= untilSeconds; t_ += kTick) last_ = evaluate(load(t_));
  }

  AutoscaleDecision evaluate(double totalLoad) {
    AutoscaleInput in = input(totalLoad);
    AutoscaleDecision d = decideAutoscale(in, history_);
    if (d.changes()) {
      changes_.push_back({t_, d.to, d.reason});
      instances_ = d.to;
    }
    return d;
  }

  AutoscaleInput input(double totalLoad) const {
    AutoscaleInput in;
    in.service = "gw";
    in.appId = "/ceph/c1/rgw/gw";
    in.params = p_;
    in.instances = instances_;
    for (int i = 0; i < instances_; ++i) {
      in.tasks.push_back(
          {"gw.t" + std::to_string(i), "host" + std::to_string(i), true, totalLoad / instances_});
    }
    in.now = seconds(t_);
    return in;
  }

  int instances() const { return instances_; }
  const std::vector<Change>& changes() const { return changes_; }
  const AutoscaleDecision& last() const { return last_; }
  AutoscaleHistory& history() { return history_; }
  int now() const { return t_; }

 private:
  AutoscaleParams p_;
  int instances_;
  int t_ = 0;
  AutoscaleHistory history_;
  std::vector<Change> changes_;
  AutoscaleDecision last_;
};

TEST(AutoscalePolicy, SteadyLoadChangesNothing) {
  Service s(2);
  s.run(3600, [](int) { return 200.0; });
  EXPECT_TRUE(s.changes().empty());
  EXPECT_EQ(s.last().reason, AutoscaleReason::Steady);
  EXPECT_EQ(s.instances(), 2);
}

TEST(AutoscalePolicy, SustainedRiseScalesUpByStepAfterTheWindowThenEachCooldown) {
  Service s(2);
  // 450 req/s from t=60 wants 5 instances.
  s.run(900, [](int t) { return t < 60 ? 200.0 : 450.0; });
  const std::vector<Change> expected = {{120, 3, AutoscaleReason::Load},
                                        {240, 4, AutoscaleReason::Load},
                                        {360, 5, AutoscaleReason::Load}};
  EXPECT_EQ(s.changes(), expected);
  EXPECT_EQ(s.instances(), 5);
  EXPECT_EQ(s.last().reason, AutoscaleReason::Steady);
}

TEST(AutoscalePolicy, NoScaleUpBeforeTheWindowHasHeld) {
  Service s(2);
  s.run(110, [](int t) { return t < 60 ? 200.0 : 450.0; });
  EXPECT_TRUE(s.changes().empty());
  EXPECT_EQ(s.last().reason, AutoscaleReason::WindowPending);
}

TEST(AutoscalePolicy, SpikeShorterThanTheWindowChangesNothing) {
  Service s(2);
  // 50 s of 450 req/s (five evaluations), then back to 200.
  s.run(1200, [](int t) { return t >= 60 && t < 110 ? 450.0 : 200.0; });
  EXPECT_TRUE(s.changes().empty());
}

TEST(AutoscalePolicy, RepeatedSpikesWithDipsInBetweenChangeNothing) {
  Service s(2);
  // 40 s high, 10 s normal, over and over: never a whole window of high load.
  s.run(1200, [](int t) { return (t / 10) % 5 == 4 ? 200.0 : 450.0; });
  EXPECT_TRUE(s.changes().empty());
}

TEST(AutoscalePolicy, FallScalesDownAfterTheLongerWindow) {
  Service s(4);
  // 400 req/s holds 4; from t=300 the load falls to 150, which wants 2.
  s.run(470, [](int t) { return t < 300 ? 400.0 : 150.0; });
  EXPECT_TRUE(s.changes().empty()) << "scaled down before the 180 s window";
  EXPECT_EQ(s.last().reason, AutoscaleReason::WindowPending);
  s.run(1200, [](int t) { return t < 300 ? 400.0 : 150.0; });
  const std::vector<Change> expected = {{480, 3, AutoscaleReason::Load},
                                        {600, 2, AutoscaleReason::Load}};
  EXPECT_EQ(s.changes(), expected);
}

TEST(AutoscalePolicy, ShortDipDoesNotScaleDown) {
  Service s(4);
  s.run(1800, [](int t) { return t >= 300 && t < 450 ? 150.0 : 400.0; });
  EXPECT_TRUE(s.changes().empty());
}

TEST(AutoscalePolicy, CooldownHoldsBackADueChange) {
  Service s(2);
  s.history().lastChangeAt = seconds(-10);  // Someone scaled 10 s before the run started.
  s.run(100, [](int) { return 450.0; });
  // The window held at t=60, but the cooldown runs until t=110.
  EXPECT_TRUE(s.changes().empty());
  EXPECT_EQ(s.last().reason, AutoscaleReason::Cooldown);
  EXPECT_NE(s.last().inputs.find("cooldown_left=10s"), std::string::npos) << s.last().inputs;
  s.run(110, [](int) { return 450.0; });
  const std::vector<Change> expected = {{110, 3, AutoscaleReason::Load}};
  EXPECT_EQ(s.changes(), expected);
}

TEST(AutoscalePolicy, CooldownAlsoHoldsScaleDownAfterAScaleUp) {
  // Up at t=60; the load drops from t=70 and a 30 s scale-down window holds by t=100, but the
  // 300 s cooldown from t=60 keeps the count until t=360.
  AutoscaleParams p = params();
  p.downWindow = seconds(30);
  p.cooldown = seconds(300);
  Service fast(2, p);
  fast.run(600, [](int t) { return t <= 60 ? 450.0 : 150.0; });
  const std::vector<Change> expected = {{60, 3, AutoscaleReason::Load},
                                        {360, 2, AutoscaleReason::Load}};
  EXPECT_EQ(fast.changes(), expected);
}

TEST(AutoscalePolicy, LoadBeyondMaxStaysAtMax) {
  Service s(6);
  s.run(600, [](int) { return 5000.0; });
  EXPECT_TRUE(s.changes().empty());
  EXPECT_EQ(s.last().reason, AutoscaleReason::AtLimit);
  EXPECT_NE(s.last().inputs.find("wanted=50 recommended=6"), std::string::npos) << s.last().inputs;
}

TEST(AutoscalePolicy, NoLoadStaysAtMin) {
  Service s(2);
  s.run(1200, [](int) { return 0.0; });
  EXPECT_TRUE(s.changes().empty());
  EXPECT_EQ(s.last().reason, AutoscaleReason::AtLimit);
}

TEST(AutoscalePolicy, InstancesOutsideTheBoundsAreClampedAtOnce) {
  Service below(1);
  below.run(0, [](int) { return 0.0; });
  EXPECT_EQ(below.changes(), (std::vector<Change>{{0, 2, AutoscaleReason::Bounds}}));

  Service above(8);
  above.history().lastChangeAt = seconds(0);  // Bounds ignore the cooldown.
  AutoscaleDecision d = above.evaluate(800.0);
  EXPECT_EQ(d.action, AutoscaleAction::ScaleDown);
  EXPECT_EQ(d.to, 6);
  EXPECT_EQ(d.reason, AutoscaleReason::Bounds);
  EXPECT_EQ(d.victimTaskIds.size(), 2u);
}

TEST(AutoscalePolicy, StepLimitsEachChange) {
  AutoscaleParams p = params();
  p.upStep = 2;
  p.cooldown = seconds(0);
  Service s(2, p);
  s.run(200, [](int) { return 600.0; });
  // Wants 6: +2 after the window, then +2 at the next evaluation (no cooldown).
  const std::vector<Change> expected = {{60, 4, AutoscaleReason::Load},
                                        {70, 6, AutoscaleReason::Load}};
  EXPECT_EQ(s.changes(), expected);
}

TEST(AutoscalePolicy, ScaleUpGoesToTheLowestRecommendationOfTheWindow) {
  AutoscaleParams p = params();
  p.upStep = 10;
  Service s(2, p);
  // 350 (wants 4) then 550 (wants 6) within the same window: the window only supports 4.
  s.run(60, [](int t) { return t < 30 ? 350.0 : 550.0; });
  EXPECT_EQ(s.changes(), (std::vector<Change>{{60, 4, AutoscaleReason::Load}}));
}

// Hysteresis: within target × (1 ± 10 %) per instance nothing is recommended, even when
// ceil(load / target) differs.
TEST(AutoscalePolicy, LoadInsideTheBandKeepsTheCount) {
  Service s(2);
  s.run(1200, [](int t) { return t % 20 == 0 ? 215.0 : 190.0; });  // 95..107.5 per instance.
  EXPECT_TRUE(s.changes().empty());
  EXPECT_NE(s.last().inputs.find("wanted=2"), std::string::npos) << s.last().inputs;
}

TEST(AutoscalePolicy, LoadJustOutsideTheBandScalesAfterTheWindow) {
  Service s(2);
  s.run(60, [](int) { return 225.0; });  // 112.5 per instance.
  EXPECT_EQ(s.changes(), (std::vector<Change>{{60, 3, AutoscaleReason::Load}}));
}

TEST(AutoscalePolicy, ZeroToleranceReactsToAnyExcess) {
  AutoscaleParams p = params();
  p.tolerance = 0;
  Service s(2, p);
  s.run(60, [](int) { return 201.0; });
  EXPECT_EQ(s.changes(), (std::vector<Change>{{60, 3, AutoscaleReason::Load}}));
}

TEST(AutoscalePolicy, BelowMinHealthyRestoresCapacityRegardlessOfLoadAndCooldown) {
  Service s(2);
  AutoscaleInput in = s.input(10.0);
  in.tasks[1].healthy = false;
  s.history().lastChangeAt = in.now;  // Just scaled: the cooldown does not apply.
  AutoscaleDecision d = decideAutoscale(in, s.history());
  EXPECT_EQ(d.action, AutoscaleAction::ScaleUp);
  EXPECT_EQ(d.to, 3);
  EXPECT_EQ(d.reason, AutoscaleReason::Capacity);
  EXPECT_NE(d.inputs.find("unhealthy=1"), std::string::npos) << d.inputs;
}

TEST(AutoscalePolicy, CapacityRestoreCountsEveryFailedInstance) {
  AutoscaleParams p = params();
  p.min = 3;
  Service s(3, p);
  AutoscaleInput in = s.input(0.0);
  in.tasks[0].healthy = false;
  in.tasks[2].healthy = false;
  AutoscaleDecision d = decideAutoscale(in, s.history());
  EXPECT_EQ(d.to, 5);
  EXPECT_EQ(d.reason, AutoscaleReason::Capacity);
}

TEST(AutoscalePolicy, StartingTasksAndRestoredInstancesDoNotScaleAgain) {
  Service s(2);
  AutoscaleInput starting = s.input(0.0);
  starting.tasks[1].healthy = std::nullopt;  // No health result yet.
  EXPECT_FALSE(decideAutoscale(starting, s.history()).changes());

  // After a capacity scale-up 2 -> 3 the failed task is still there: 3 planned - 1 = 2 alive.
  Service t(3);
  AutoscaleInput restored = t.input(0.0);
  restored.tasks[0].healthy = false;
  AutoscaleDecision d = decideAutoscale(restored, t.history());
  EXPECT_NE(d.reason, AutoscaleReason::Capacity);
}

TEST(AutoscalePolicy, CapacityRestoreAtMaxCannotScale) {
  AutoscaleParams p = params();
  p.max = 2;
  Service s(2, p);
  AutoscaleInput in = s.input(100.0);
  in.tasks[0].healthy = false;
  AutoscaleDecision d = decideAutoscale(in, s.history());
  EXPECT_FALSE(d.changes());
  EXPECT_EQ(d.reason, AutoscaleReason::AtLimit);
}

TEST(AutoscalePolicy, ScaleDownVictimIsAnUnhealthyTaskElseTheLeastLoaded) {
  AutoscaleParams p = params();
  p.downWindow = seconds(10);
  p.min = 1;
  auto build = [&](bool oneUnhealthy) {
    AutoscaleInput in;
    in.service = "gw";
    in.appId = "/ceph/c1/rgw/gw";
    in.params = p;
    in.instances = 3;
    in.tasks = {{"gw.a", "h1", true, 40.0}, {"gw.b", "h2", true, 10.0}, {"gw.c", "h3", true, 30.0}};
    if (oneUnhealthy) in.tasks[0].healthy = false;
    return in;
  };
  for (bool unhealthy : {false, true}) {
    AutoscaleHistory h;
    AutoscaleInput in = build(unhealthy);
    in.now = seconds(0);
    EXPECT_FALSE(decideAutoscale(in, h).changes());
    in.now = seconds(10);
    AutoscaleDecision d = decideAutoscale(in, h);
    ASSERT_EQ(d.action, AutoscaleAction::ScaleDown) << d.inputs;
    EXPECT_EQ(d.to, 2);
    EXPECT_EQ(d.victimTaskIds, std::vector<std::string>{unhealthy ? "gw.a" : "gw.b"});
  }
}

TEST(AutoscalePolicy, VictimTiesAreBrokenByTaskIdAndUnmeasuredTasksCountAsIdle) {
  AutoscaleParams p = params();
  p.min = 1;
  p.downWindow = seconds(10);
  p.downStep = 2;
  AutoscaleInput in;
  in.params = p;
  in.instances = 4;
  in.tasks = {{"gw.d", "h4", true, 20.0},
              {"gw.c", "h3", true, std::nullopt},
              {"gw.b", "h2", true, 20.0},
              {"gw.a", "h1", true, 50.0}};
  AutoscaleHistory h;
  in.now = seconds(0);
  (void)decideAutoscale(in, h);
  in.now = seconds(10);
  AutoscaleDecision d = decideAutoscale(in, h);
  ASSERT_EQ(d.action, AutoscaleAction::ScaleDown) << d.inputs;
  EXPECT_EQ(d.to, 2);
  EXPECT_EQ(d.victimTaskIds, (std::vector<std::string>{"gw.c", "gw.b"}));
}

TEST(AutoscalePolicy, ScaleDownOfInstancesNotRunningNamesNoVictim) {
  Service s(8);
  AutoscaleInput in = s.input(100.0);
  in.tasks.resize(5);  // Three instances are still waiting to launch.
  AutoscaleDecision d = decideAutoscale(in, s.history());
  EXPECT_EQ(d.to, 6);
  EXPECT_TRUE(d.victimTaskIds.empty());
}

TEST(AutoscalePolicy, DeploymentInProgressWaitsButTheWindowKeepsCounting) {
  Service s(2);
  for (int t = 0; t <= 100; t += kTick) {
    AutoscaleInput in = s.input(450.0);
    in.now = seconds(t);
    in.deploymentInProgress = true;
    AutoscaleDecision d = decideAutoscale(in, s.history());
    EXPECT_FALSE(d.changes());
    EXPECT_EQ(d.reason, AutoscaleReason::Deploying);
  }
  AutoscaleInput done = s.input(450.0);
  done.now = seconds(110);
  AutoscaleDecision d = decideAutoscale(done, s.history());
  EXPECT_EQ(d.action, AutoscaleAction::ScaleUp);
  EXPECT_EQ(d.to, 3);
}

TEST(AutoscalePolicy, MissingMetricsRestartTheWindow) {
  Service s(2);
  s.run(50, [](int) { return 450.0; });
  AutoscaleInput gap = s.input(450.0);
  gap.now = seconds(60);
  gap.metricsUnavailable = "connection refused";
  AutoscaleDecision d = decideAutoscale(gap, s.history());
  EXPECT_FALSE(d.changes());
  EXPECT_EQ(d.reason, AutoscaleReason::MetricsUnavailable);
  EXPECT_NE(d.inputs.find("connection refused"), std::string::npos);
  // Back from t=70: the 60 s window must be seen whole again.
  for (int t = 70; t <= 130; t += kTick) {
    AutoscaleInput in = s.input(450.0);
    in.now = seconds(t);
    AutoscaleDecision e = decideAutoscale(in, s.history());
    EXPECT_EQ(e.changes(), t == 130) << "t=" << t << " " << e.inputs;
  }
}

TEST(AutoscalePolicy, NoTaskWithARateIsUnavailable) {
  Service s(2);
  AutoscaleInput in = s.input(0.0);
  for (auto& t : in.tasks) t.requestsPerSecond.reset();
  AutoscaleDecision d = decideAutoscale(in, s.history());
  EXPECT_EQ(d.reason, AutoscaleReason::MetricsUnavailable);
  EXPECT_NE(d.inputs.find("no task has a rate yet"), std::string::npos);
}

TEST(AutoscalePolicy, HistoryIsPrunedToTheLongestWindow) {
  Service s(2);
  s.run(7200, [](int) { return 200.0; });
  // 180 s / 10 s, plus the entry in effect when the window opened.
  EXPECT_LE(s.history().recommendations.size(), 19u);
}

TEST(AutoscalePolicy, DecisionsCarryTheirInputsAsText) {
  Service s(2);
  s.run(60, [](int) { return 450.0; });
  ASSERT_EQ(s.changes().size(), 1u);
  const std::string line = describeDecision(s.last());
  EXPECT_EQ(line.rfind("rgw 'gw': scale_up 2 -> 3 (load): instances=2 tasks=2 healthy=2", 0), 0u)
      << line;
  for (const char* part : {"load=450.0req/s", "per_instance=225.0", "target=100.0", "wanted=5",
                           "recommended=5", "up_window=60s", "down_window=180s"}) {
    EXPECT_NE(line.find(part), std::string::npos) << part << " in " << line;
  }
}

TEST(AutoscalePolicy, ParamsComeFromTheTopology) {
  topology::Autoscale a;
  a.min = 2;
  a.max = 5;
  a.target = 250;
  a.tolerance = 0.2;
  a.scaleUp = {120, 2, 0};
  a.scaleDown = {600, 1, 30};
  a.cooldownSeconds = 300;
  AutoscaleParams p = autoscaleParams(a);
  EXPECT_EQ(p.min, 2);
  EXPECT_EQ(p.max, 5);
  EXPECT_DOUBLE_EQ(p.target, 250);
  EXPECT_DOUBLE_EQ(p.tolerance, 0.2);
  EXPECT_EQ(p.upWindow, seconds(120));
  EXPECT_EQ(p.upStep, 2);
  EXPECT_EQ(p.downWindow, seconds(600));
  EXPECT_EQ(p.downStep, 1);
  EXPECT_EQ(p.cooldown, seconds(300));
}

}  // namespace
}  // namespace ceph_planner::planner
