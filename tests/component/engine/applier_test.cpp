// The apply executor against FakeMarathon and a manual clock: step order, one deployment per step,
// deadlines with the queue reason, lock waits, retries of reads, and zero writes for no changes.

#include "engine/applier.h"

#include <gtest/gtest.h>

#include "common/manual_clock.h"
#include "common/testing.h"
#include "planner/diff.h"
#include "planner/waves.h"
#include "tests/fakes/fake_marathon.h"

namespace ceph_planner::engine {
namespace {

using marathon::FakeMarathon;
using planner::AppSpec;
using planner::Role;

AppSpec makeApp(const std::string& id, Role role, const std::string& host,
                const std::string& domain, int instances = 1) {
  AppSpec app;
  app.id = id;
  app.cmd = "sleep 1000";
  app.instances = instances;
  app.portDefinitions = {};
  planner::setKeyValue(app.labels, planner::kLabelManaged, "true");
  planner::setKeyValue(app.labels, planner::kLabelCluster, "box");
  planner::setKeyValue(app.labels, planner::kLabelRole, std::string(planner::roleName(role)));
  if (!host.empty()) planner::setKeyValue(app.labels, planner::kLabelHost, host);
  if (!domain.empty()) planner::setKeyValue(app.labels, planner::kLabelFailureDomain, domain);
  if (role == Role::Rgw) planner::setKeyValue(app.labels, planner::kLabelAutoscale, "min=1,max=3");
  return app;
}

planner::DesiredState smallCluster() {
  planner::DesiredState d;
  d.groupId = "/ceph/box";
  d.apps = {
      makeApp("/ceph/box/mgr/a", Role::Mgr, "a", ""),
      makeApp("/ceph/box/mon/a", Role::Mon, "a", ""),
      makeApp("/ceph/box/mon/b", Role::Mon, "b", ""),
      makeApp("/ceph/box/mon/c", Role::Mon, "c", ""),
      makeApp("/ceph/box/osd/a-d0", Role::Osd, "a", "r1"),
      makeApp("/ceph/box/osd/b-d0", Role::Osd, "b", "r2"),
      makeApp("/ceph/box/osd/c-d0", Role::Osd, "c", "r1"),
      makeApp("/ceph/box/rgw/main", Role::Rgw, "", "", 2),
  };
  return d;
}

class RecordingListener : public ApplyListener {
 public:
  void stepStarted(const StepProgress& p) override { started.push_back(p.step); }
  void stepFinished(const StepProgress& p) override { finished.push_back(p.step); }
  void note(const std::string& m) override { notes.push_back(m); }
  std::vector<std::string> started, finished, notes;
};

class ApplierTest : public ::testing::Test {
 protected:
  planner::Plan planFor(const planner::DesiredState& desired) {
    auto observed = fake_.getGroup(desired.groupId);
    EXPECT_TRUE(observed.has_value());
    return planner::diff(desired, observed.value(), {"box"});
  }

  Result<ApplyReport> run(const planner::Plan& plan, ApplyOptions options = {}) {
    options.pollInterval = std::chrono::seconds(1);
    Applier applier(fake_, clock_, listener_, options);
    bool monsObserved = false;
    for (const auto& a : plan.actions) {
      monsObserved |= a.role == Role::Mon && a.kind != planner::ActionKind::Create;
    }
    return applier.apply(plan, monsObserved);
  }

  std::vector<std::string> writeCalls() {
    std::vector<std::string> writes;
    for (const auto& c : fake_.calls()) {
      if (c.method == "putApp" || c.method == "putApps" || c.method == "scaleApp" ||
          c.method == "deleteApp" || c.method == "killTasks") {
        writes.push_back(c.method + " " + c.appId);
      }
    }
    return writes;
  }

  FakeMarathon fake_;
  ManualClock clock_;
  RecordingListener listener_;
};

TEST_F(ApplierTest, FreshClusterGoesWaveByWaveWithOneDeploymentPerStep) {
  auto plan = planFor(smallCluster());
  ASSERT_OK(planner::checkApplicable(plan));
  auto report = run(plan);
  ASSERT_OK(report);
  EXPECT_EQ(listener_.started, (std::vector<std::string>{"mon", "mgr", "osd r1", "osd r2", "rgw"}));
  EXPECT_EQ(listener_.finished, listener_.started);
  EXPECT_EQ(writeCalls(), (std::vector<std::string>{
                              "putApps /ceph/box/mon/a,/ceph/box/mon/b,/ceph/box/mon/c",
                              "putApps /ceph/box/mgr/a",
                              "putApps /ceph/box/osd/a-d0,/ceph/box/osd/c-d0",
                              "putApps /ceph/box/osd/b-d0",
                              "putApps /ceph/box/rgw/main",
                          }));
  EXPECT_EQ(report->writeCalls, 5);
  EXPECT_EQ(report->stepsDone, 5u);

  // Converged: the same topology plans to nothing and applying it writes nothing.
  auto again = planFor(smallCluster());
  EXPECT_FALSE(again.hasChanges());
  auto second = run(again);
  ASSERT_OK(second);
  EXPECT_EQ(second->writeCalls, 0);
  EXPECT_EQ(writeCalls().size(), 5u);
}

TEST_F(ApplierTest, ExistingMonsChangeOneAtATime) {
  ASSERT_OK(run(planFor(smallCluster())));
  auto changed = smallCluster();
  for (auto& app : changed.apps) app.cmd = "sleep 2000";
  auto plan = planFor(changed);
  listener_.started.clear();
  ASSERT_OK(run(plan));
  EXPECT_EQ(listener_.started,
            (std::vector<std::string>{"mon '/ceph/box/mon/a'", "mon '/ceph/box/mon/b'",
                                      "mon '/ceph/box/mon/c'", "mgr '/ceph/box/mgr/a'", "osd r1",
                                      "osd r2", "rgw"}));
}

TEST_F(ApplierTest, UnplaceableAppFailsItsStepAtTheDeadlineWithTheQueueReason) {
  fake_.markUnplaceable("/ceph/box/osd/b-d0", "UnfulfilledConstraint");
  ApplyOptions options;
  options.stepTimeout = std::chrono::minutes(2);
  auto start = clock_.monotonic();
  auto report = run(planFor(smallCluster()), options);
  EXPECT_ERROR_CODE(report, ErrorCode::Timeout);
  const std::string& message = report.error().message;
  EXPECT_NE(message.find("step 'osd r2' did not finish within 2m"), std::string::npos) << message;
  EXPECT_NE(message.find("app '/ceph/box/osd/b-d0' has 0/1 tasks running"), std::string::npos)
      << message;
  EXPECT_NE(message.find("UnfulfilledConstraint"), std::string::npos) << message;
  EXPECT_NE(message.find("DELETE /v2/deployments/"), std::string::npos) << message;
  EXPECT_GE(clock_.monotonic() - start, std::chrono::minutes(2));
  // Nothing after the failed step was submitted.
  for (const auto& w : writeCalls()) EXPECT_EQ(w.find("rgw"), std::string::npos) << w;
}

TEST_F(ApplierTest, ALockIsWaitedOutThenTheWriteGoesThrough) {
  ASSERT_OK(run(planFor(smallCluster())));
  fake_.setAutoComplete(false);
  // Somebody else's deployment holds the rgw app.
  auto other = smallCluster().apps.back();
  other.cmd = "sleep 3000";
  auto held = fake_.putApp(other, false);
  ASSERT_OK(held);
  fake_.setAutoComplete(true);

  auto changed = smallCluster();
  changed.apps.back().cmd = "sleep 4000";
  auto plan = planFor(changed);
  ApplyOptions options;
  options.lockTimeout = std::chrono::seconds(30);
  // The foreign deployment finishes while we wait: complete it from the listener's note.
  struct CompletingListener : RecordingListener {
    FakeMarathon* fake = nullptr;
    void note(const std::string& m) override {
      RecordingListener::note(m);
      fake->completeAllDeployments();
    }
  } listener;
  listener.fake = &fake_;
  Applier applier(fake_, clock_, listener, options);
  auto report = applier.apply(plan, true);
  ASSERT_OK(report);
  ASSERT_EQ(listener.notes.size(), 1u);
  EXPECT_NE(listener.notes[0].find("held by a running Marathon deployment"), std::string::npos);
}

TEST_F(ApplierTest, ALockThatOutlivesTheWaitFailsWithAHintToForce) {
  ASSERT_OK(run(planFor(smallCluster())));
  fake_.setAutoComplete(false);
  auto other = smallCluster().apps.back();
  other.cmd = "sleep 3000";
  ASSERT_OK(fake_.putApp(other, false));

  auto changed = smallCluster();
  changed.apps.back().cmd = "sleep 4000";
  ApplyOptions options;
  options.lockTimeout = std::chrono::seconds(20);
  auto report = run(planFor(changed), options);
  EXPECT_ERROR_CODE(report, ErrorCode::Conflict);
  EXPECT_NE(report.error().message.find("--force"), std::string::npos) << report.error().message;

  // With --force the write overrides the lock (and the deployment then completes).
  fake_.setAutoComplete(true);
  options.force = true;
  ASSERT_OK(run(planFor(changed), options));
}

TEST_F(ApplierTest, TransientReadErrorsWhileWaitingAreRetried) {
  fake_.failNext("getGroup", 3, makeError(ErrorCode::Unavailable, "HTTP 503"));
  auto plan =
      planner::diff(smallCluster(), planner::ObservedState{"/ceph/box", false, {}}, {"box"});
  ASSERT_OK(run(plan));
}

TEST_F(ApplierTest, APermanentWriteErrorStopsWithContext) {
  fake_.failNext("putApps", 1, makeError(ErrorCode::InvalidInput, "Object is not valid"));
  auto report = run(planFor(smallCluster()));
  EXPECT_ERROR_CODE(report, ErrorCode::InvalidInput);
  EXPECT_NE(report.error().message.find("step 'mon'"), std::string::npos);
  EXPECT_EQ(listener_.finished.size(), 0u);
}

TEST(WavesTest, StatefulDeletesAreRefusedStatelessAllowed) {
  planner::Plan plan;
  planner::PlanAction osd;
  osd.kind = planner::ActionKind::Delete;
  osd.role = Role::Osd;
  osd.appId = "/ceph/box/osd/a-d0";
  planner::PlanAction rgw = osd;
  rgw.role = Role::Rgw;
  rgw.appId = "/ceph/box/rgw/old";
  plan.actions = {rgw};
  EXPECT_OK(planner::checkApplicable(plan));
  plan.actions.push_back(osd);
  auto refused = planner::checkApplicable(plan);
  EXPECT_ERROR_CODE(refused, ErrorCode::InvalidInput);
  EXPECT_NE(refused.error().message.find("'/ceph/box/osd/a-d0'"), std::string::npos);
  EXPECT_NE(refused.error().message.find("safe drain"), std::string::npos);
}

TEST(FormatDurationTest, Renders) {
  EXPECT_EQ(formatDuration(std::chrono::minutes(10)), "10m");
  EXPECT_EQ(formatDuration(std::chrono::seconds(90)), "1m30s");
  EXPECT_EQ(formatDuration(std::chrono::seconds(45)), "45s");
  EXPECT_EQ(formatDuration(std::chrono::hours(1) + std::chrono::seconds(5)), "1h5s");
}

}  // namespace
}  // namespace ceph_planner::engine
