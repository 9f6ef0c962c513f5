// Reconciler passes and the loop against FakeMarathon, a file store and a ManualClock.

#include "engine/reconciler.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/manual_clock.h"
#include "common/testing.h"
#include "planner/diff.h"
#include "store/file_topology_store.h"
#include "tests/fakes/fake_marathon.h"

namespace ceph_planner::engine {
namespace {

using marathon::FakeMarathon;

std::string readExample(const std::string& name) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/examples/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class RecordingListener : public ReconcilerListener {
 public:
  void drift(const Drift& d) override { drifts.push_back(d.describe()); }
  void skipped(const std::string& appId, const std::string& why) override {
    skips.push_back(appId + ": " + why);
  }
  std::vector<std::string> drifts, skips;
};

class ReconcilerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-reconciler-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = store::FileTopologyStore::open({dir_.string(), std::chrono::milliseconds(50), {}});
    ASSERT_OK(store);
    store_ = std::move(store).value();
    yaml_ = readExample("local.yaml");
    ASSERT_FALSE(yaml_.empty());
    ASSERT_OK(store_->putTopology("box", {yaml_, "test", "v1", {0}}));
    ReconcilerOptions options;
    options.cluster = "box";
    options.apply.pollInterval = std::chrono::seconds(1);
    options.apply.stepTimeout = std::chrono::seconds(60);
    reconciler_ = std::make_unique<Reconciler>(*store_, fake_, clock_, listener_, options);
  }
  void TearDown() override {
    reconciler_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs a pass that must converge Marathon on the stored topology.
  void converge() {
    PassReport first = reconciler_->runPass();
    ASSERT_NE(first.outcome, PassOutcome::Failed) << first.error->toString();
    PassReport second = reconciler_->runPass();
    ASSERT_EQ(second.outcome, PassOutcome::Converged);
    fake_.clearCalls();
  }

  std::vector<std::string> writes() const {
    std::vector<std::string> out;
    for (const auto& c : fake_.calls()) {
      if (c.method != "getGroup" && c.method != "listDeployments" && c.method != "getQueue") {
        out.push_back(c.method + " " + c.appId);
      }
    }
    return out;
  }

  std::filesystem::path dir_;
  store::TopologyStorePtr store_;
  FakeMarathon fake_;
  ManualClock clock_;
  RecordingListener listener_;
  std::string yaml_;
  std::unique_ptr<Reconciler> reconciler_;
};

TEST_F(ReconcilerTest, FirstPassCreatesEverythingAndStoresSecrets) {
  PassReport report = reconciler_->runPass();
  ASSERT_EQ(report.outcome, PassOutcome::Acted) << (report.error ? report.error->toString() : "");
  EXPECT_EQ(report.topologyVersion, 1);
  EXPECT_GT(report.actionsByKind["create"], 5);
  EXPECT_GT(report.marathonWrites, 0);
  EXPECT_TRUE(report.drift.empty()) << "a fresh cluster is not drift";
  EXPECT_TRUE(fake_.app("/ceph/box/mon/ceph-box-1").has_value());
  auto secrets = store_->listSecrets("box");
  ASSERT_OK(secrets);
  EXPECT_FALSE(secrets->empty());
}

TEST_F(ReconcilerTest, ConvergedPassIsOneMarathonReadAndNoWrites) {
  converge();
  PassReport report = reconciler_->runPass();
  EXPECT_EQ(report.outcome, PassOutcome::Converged);
  std::vector<std::string> calls;
  for (const auto& c : fake_.calls()) calls.push_back(c.method);
  EXPECT_EQ(calls, (std::vector<std::string>{"getGroup"}));
  EXPECT_EQ(fake_.writeCount(), 0);
  EXPECT_EQ(report.marathonWrites, 0);
  EXPECT_TRUE(report.drift.empty());
  ASSERT_TRUE(report.status.has_value());
}

TEST_F(ReconcilerTest, RepairsHandDeletedScaledAndEditedAppsAndReportsDrift) {
  converge();
  ASSERT_OK(fake_.deleteApp("/ceph/box/mon/ceph-box-2", false));
  ASSERT_OK(fake_.scaleApp("/ceph/box/osd/ceph-box-1-osd0", 0, false));
  auto mgr = fake_.app("/ceph/box/mgr/ceph-box-1");
  ASSERT_TRUE(mgr.has_value());
  planner::AppSpec edited = *mgr;
  edited.cpus = 3;
  edited.cmd = "sleep 1";
  ASSERT_OK(fake_.putApp(edited, false));
  fake_.clearCalls();

  PassReport report = reconciler_->runPass();
  ASSERT_EQ(report.outcome, PassOutcome::Acted) << (report.error ? report.error->toString() : "");
  ASSERT_EQ(report.drift.size(), 3u);
  std::map<std::string, Drift> byApp;
  for (const auto& d : report.drift) byApp[d.appId] = d;
  EXPECT_EQ(byApp["/ceph/box/mon/ceph-box-2"].kind, "deleted");
  EXPECT_EQ(byApp["/ceph/box/osd/ceph-box-1-osd0"].kind, "scaled");
  EXPECT_EQ(byApp["/ceph/box/osd/ceph-box-1-osd0"].observedInstances, 0);
  EXPECT_EQ(byApp["/ceph/box/osd/ceph-box-1-osd0"].desiredInstances, 1);
  const Drift& e = byApp["/ceph/box/mgr/ceph-box-1"];
  EXPECT_EQ(e.kind, "edited");
  std::vector<std::string> fields;
  for (const auto& c : e.changes) fields.push_back(c.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "cpus"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "cmd"), fields.end());
  EXPECT_EQ(listener_.drifts.size(), 3u);
  EXPECT_NE(listener_.drifts[0].find("by hand"), std::string::npos);

  // Restored: the next pass is converged again.
  EXPECT_EQ(fake_.app("/ceph/box/mgr/ceph-box-1")->cpus, mgr->cpus);
  EXPECT_EQ(fake_.app("/ceph/box/osd/ceph-box-1-osd0")->instances, 1);
  EXPECT_TRUE(fake_.app("/ceph/box/mon/ceph-box-2").has_value());
  fake_.clearCalls();
  EXPECT_EQ(reconciler_->runPass().outcome, PassOutcome::Converged);
  EXPECT_EQ(fake_.writeCount(), 0);
}

TEST_F(ReconcilerTest, TopologyChangeIsNotDrift) {
  converge();
  std::string v2 = yaml_;
  auto at = v2.find("mons:\n  placement: { label: mon }\n  resources: { cpus: 0.5");
  ASSERT_NE(at, std::string::npos);
  v2.replace(v2.find("cpus: 0.5", at), 9, "cpus: 0.7");
  ASSERT_OK(store_->putTopology("box", {v2, "test", "bigger mons", {1}}));
  PassReport report = reconciler_->runPass();
  ASSERT_EQ(report.outcome, PassOutcome::Acted) << (report.error ? report.error->toString() : "");
  EXPECT_EQ(report.topologyVersion, 2);
  EXPECT_EQ(report.actionsByKind["update"], 3);
  EXPECT_TRUE(report.drift.empty());
  EXPECT_DOUBLE_EQ(fake_.app("/ceph/box/mon/ceph-box-3")->cpus, 0.7);
}

TEST_F(ReconcilerTest, LeavesAppsWithADeploymentInProgressAlone) {
  converge();
  fake_.setAutoComplete(false);
  // A hand-made scale that Marathon is still deploying.
  ASSERT_OK(fake_.scaleApp("/ceph/box/osd/ceph-box-2-osd0", 0, false));
  fake_.setAutoComplete(true);
  ASSERT_OK(fake_.deleteApp("/ceph/box/mon/ceph-box-1", false));
  fake_.clearCalls();

  PassReport report = reconciler_->runPass();
  EXPECT_EQ(report.skippedInProgress, (std::vector<std::string>{"/ceph/box/osd/ceph-box-2-osd0"}));
  // The app Marathon no longer has is repaired; the one being deployed is not touched.
  for (const auto& w : writes()) {
    EXPECT_EQ(w.find("osd/ceph-box-2-osd0"), std::string::npos) << w;
  }
  EXPECT_TRUE(fake_.app("/ceph/box/mon/ceph-box-1").has_value());
  ASSERT_EQ(report.drift.size(), 1u);
  EXPECT_EQ(report.drift[0].appId, "/ceph/box/mon/ceph-box-1");
  ASSERT_FALSE(listener_.skips.empty());
  EXPECT_NE(listener_.skips[0].find("in progress"), std::string::npos);

  // Once the deployment ends, the next pass repairs it.
  EXPECT_GT(fake_.completeAllDeployments(), 0);
  PassReport after = reconciler_->runPass();
  EXPECT_EQ(after.outcome, PassOutcome::Acted);
  EXPECT_EQ(fake_.app("/ceph/box/osd/ceph-box-2-osd0")->instances, 1);
}

TEST_F(ReconcilerTest, NeverDeletesStatefulApps) {
  converge();
  auto osd = fake_.app("/ceph/box/osd/ceph-box-3-osd0");
  ASSERT_TRUE(osd.has_value());
  planner::AppSpec stray = *osd;
  stray.id = "/ceph/box/osd/ceph-box-3-osd9";
  planner::setKeyValue(stray.labels, planner::kLabelSlot, "osd9");
  ASSERT_OK(fake_.putApp(stray, false));
  auto rgw = fake_.app("/ceph/box/rgw/main");
  ASSERT_TRUE(rgw.has_value());
  planner::AppSpec extraRgw = *rgw;
  extraRgw.id = "/ceph/box/rgw/old";
  ASSERT_OK(fake_.putApp(extraRgw, false));
  fake_.clearCalls();

  PassReport report = reconciler_->runPass();
  EXPECT_EQ(report.refusedStateful, (std::vector<std::string>{"/ceph/box/osd/ceph-box-3-osd9"}));
  EXPECT_TRUE(fake_.app("/ceph/box/osd/ceph-box-3-osd9").has_value());
  EXPECT_FALSE(fake_.app("/ceph/box/rgw/old").has_value()) << "stateless apps are removed";
  EXPECT_EQ(report.actionsByKind["delete"], 1);
}

TEST_F(ReconcilerTest, NoStoredTopologyIsNothingToDo) {
  ReconcilerOptions options;
  options.cluster = "other";
  Reconciler other(*store_, fake_, clock_, listener_, options);
  PassReport report = other.runPass();
  EXPECT_EQ(report.outcome, PassOutcome::NoTopology);
  EXPECT_TRUE(fake_.calls().empty());
}

TEST_F(ReconcilerTest, MarathonErrorsFailThePassWithTheirCode) {
  fake_.failNext("getGroup", 1, makeError(ErrorCode::Unavailable, "503"));
  PassReport report = reconciler_->runPass();
  ASSERT_EQ(report.outcome, PassOutcome::Failed);
  EXPECT_EQ(report.error->code, ErrorCode::Unavailable);
  EXPECT_NE(report.error->message.find("cannot read group '/ceph/box'"), std::string::npos);
}

// ---- loop
// ----------------------------------------------------------------------------------------

class LoopTest : public ReconcilerTest {
 protected:
  std::unique_ptr<ReconcileLoop> makeLoop(bool* leader) {
    LoopOptions options;
    options.resyncInterval = std::chrono::seconds(30);
    options.seed = 5;
    return std::make_unique<ReconcileLoop>(
        *reconciler_, clock_, options, [leader] { return *leader; },
        [this](const PassReport& r) { passes_.push_back(r.outcome); });
  }
  std::vector<PassOutcome> passes_;
};

TEST_F(LoopTest, TriggersCoalesceIntoOnePass) {
  bool leader = true;
  auto loop = makeLoop(&leader);
  loop->step();  // The first step always runs a pass.
  ASSERT_EQ(passes_.size(), 1u);
  loop->trigger("topology watch");
  loop->trigger("marathon event deployment_success");
  loop->trigger("topology watch");
  auto next = loop->step();
  ASSERT_EQ(passes_.size(), 2u);
  EXPECT_EQ(loop->lastReasons(),
            (std::vector<std::string>{"marathon event deployment_success", "topology watch"}));
  EXPECT_EQ(next, clock_.monotonic() + std::chrono::seconds(30)) << "next: the periodic resync";
  loop->step();
  EXPECT_EQ(passes_.size(), 2u) << "nothing pending, resync not due";
  clock_.advance(std::chrono::seconds(30));
  loop->step();
  EXPECT_EQ(passes_.size(), 3u);
  EXPECT_EQ(loop->lastReasons(), (std::vector<std::string>{"resync"}));
}

TEST_F(LoopTest, FollowersNeverPass) {
  bool leader = false;
  auto loop = makeLoop(&leader);
  loop->trigger("topology watch");
  loop->step();
  clock_.advance(std::chrono::minutes(5));
  loop->step();
  EXPECT_TRUE(passes_.empty());
  EXPECT_TRUE(fake_.calls().empty());
  leader = true;
  loop->trigger("leadership gained");
  loop->step();
  EXPECT_EQ(passes_.size(), 1u);
}

TEST_F(LoopTest, RetryableFailuresBackOffOnTheUnavailableSchedule) {
  bool leader = true;
  auto loop = makeLoop(&leader);
  fake_.failNext("getGroup", 4, makeError(ErrorCode::Unavailable, "503"));
  Backoff expected(kRetryUnavailable, 5);  // The loop's seed.
  std::vector<Clock::Duration> gaps, want;
  for (int i = 0; i < 4; ++i) {
    auto before = clock_.monotonic();
    auto next = loop->step();
    ASSERT_EQ(passes_.back(), PassOutcome::Failed);
    gaps.push_back(next - before);
    want.push_back(expected.next());
    // A trigger during the hold does not run a pass early.
    loop->trigger("marathon event");
    size_t n = passes_.size();
    EXPECT_EQ(loop->step(), next);
    EXPECT_EQ(passes_.size(), n);
    clock_.advance(next - clock_.monotonic());
  }
  EXPECT_EQ(gaps, want);
  loop->step();
  EXPECT_EQ(passes_.back(), PassOutcome::Acted);
  // Success resets the schedule: the next failure waits the first delay again.
  fake_.failNext("getGroup", 1, makeError(ErrorCode::Unavailable, "503"));
  loop->trigger("again");
  auto before = clock_.monotonic();
  auto next = loop->step();
  EXPECT_LE(next - before, std::chrono::milliseconds(200));
}

TEST_F(LoopTest, PermanentErrorsUseTheSlowPolicy) {
  bool leader = true;
  auto loop = makeLoop(&leader);
  ASSERT_OK(store_->putTopology("box", {"apiVersion: nonsense\n", "test", "bad", {1}}));
  auto before = clock_.monotonic();
  auto next = loop->step();
  ASSERT_EQ(passes_.back(), PassOutcome::Failed);
  EXPECT_GE(next - before, std::chrono::seconds(27));
  EXPECT_LE(next - before, std::chrono::seconds(30));
}

}  // namespace
}  // namespace ceph_planner::engine
