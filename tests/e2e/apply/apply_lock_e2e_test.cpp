// End to end: a Marathon deployment that someone else started on one of our apps (409 on apply's
// write) is waited out, bounded by `--lock_timeout`, or overridden with `--force`.
//
// The lock: a foreign app outside the cluster's group holds port 31999 on ceph-box-1; then the
// mgr app on ceph-box-1 is changed directly in Marathon to require that port. Its deployment kills
// the old mgr task and cannot place the new one, so it stays open until the foreign app lets the
// port go. The changed mgr also differs from the topology, so apply wants to write it back.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "common/testing.h"
#include "tests/e2e/apply/apply_harness.h"

namespace ceph_planner::e2e {
namespace {

constexpr char kMgr[] = "/ceph/box/mgr/ceph-box-1";

class ApplyLockE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(sim_.start(sourcePath("examples/local.agents.yaml"), 50.0));
    ShellRun fresh = cli_.run("apply --yes --step_timeout 60s " + topology_);
    ASSERT_EQ(fresh.exitCode, 0) << fresh.output;

    ShellRun blocker = sim_.call("POST", "/v2/apps",
                                 R"({"id":"/tools/blocker","cmd":"sleep 1000","instances":1,)"
                                 R"("cpus":0.1,"mem":32,"requirePorts":true,)"
                                 R"("portDefinitions":[{"port":31999}],)"
                                 R"("constraints":[["hostname","CLUSTER","ceph-box-1"]]})");
    ASSERT_EQ(blocker.exitCode, 0) << blocker.output;
    ASSERT_TRUE(waitFor([&] { return sim_.getJson("/v2/deployments").empty(); }))
        << "the blocker app did not start";

    ShellRun changed =
        sim_.call("PUT", std::string("/v2/apps") + kMgr,
                  R"({"portDefinitions":[{"port":31999,"protocol":"tcp"}],"requirePorts":true})");
    nlohmann::json reply = nlohmann::json::parse(changed.output, nullptr, false);
    ASSERT_TRUE(reply.is_object() && reply.contains("deploymentId")) << changed.output;
    lockId_ = reply["deploymentId"];
    // The lock holds: well after the mgr's old task was killed, the deployment is still open.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ASSERT_TRUE(deploymentOpen(lockId_)) << "the mgr deployment finished on its own";
    ASSERT_TRUE(sim_.clearRequests());
  }

  // Polls `done` every 50 ms for up to 20 s.
  template <typename Done>
  static bool waitFor(Done done) {
    for (int i = 0; i < 400; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  bool deploymentOpen(const std::string& id) const {
    for (const auto& d : sim_.getJson("/v2/deployments")) {
      if (d.value("id", "") == id) return true;
    }
    return false;
  }

  // The apply's writes (not the test's own to the blocker), as `METHOD path status`.
  std::vector<std::string> writes() const {
    std::vector<std::string> out;
    for (const auto& r : sim_.requests()) {
      if (r.isWrite() && r.path.rfind("/v2/apps/tools/", 0) != 0)
        out.push_back(r.method + " " + r.path + " " + std::to_string(r.status));
    }
    return out;
  }

  Simulator sim_;
  TempDir dir_;
  PlannerCli cli_{sim_, dir_.path()};
  const std::string topology_ = sourcePath("examples/local.yaml");
  std::string lockId_;
};

TEST_F(ApplyLockE2eTest, ALockIsWaitedOutAndTheApplyCompletesOnceTheDeploymentFinishes) {
  auto running = cli_.runAsync("apply --yes --lock_timeout 60s --step_timeout 60s " + topology_);
  // Apply met the lock (its PUT answered 409) and keeps waiting.
  ASSERT_TRUE(waitFor([&] {
    for (const auto& r : sim_.requests()) {
      if (r.isWrite() && r.status == 409) return true;
    }
    return false;
  })) << "apply never met the lock";
  EXPECT_EQ(running.wait_for(std::chrono::seconds(2)), std::future_status::timeout)
      << running.get().output;
  EXPECT_TRUE(deploymentOpen(lockId_));

  // Let the deployment finish: the blocker gives port 31999 back, the changed mgr is placed.
  ShellRun release = sim_.call("PUT", "/v2/apps/tools/blocker", R"({"instances":0})");
  ASSERT_EQ(release.exitCode, 0) << release.output;
  ASSERT_EQ(running.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  ShellRun apply = running.get();
  ASSERT_EQ(apply.exitCode, 0) << apply.output;
  EXPECT_NE(apply.output.find("'" + lockId_ + "'"), std::string::npos)
      << "the wait does not name the deployment:\n"
      << apply.output;
  EXPECT_NE(apply.output.find("Apply complete: 0 added, 1 changed"), std::string::npos)
      << apply.output;
  // First the refused write, then (after the wait) the accepted one.
  std::vector<std::string> log = writes();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0], "PUT /v2/apps 409");
  EXPECT_EQ(log[1].rfind("PUT /v2/apps 20", 0), 0u) << log[1];

  // The mgr is back to its rendered definition: nothing left to do.
  ShellRun plan = cli_.run("plan --detailed-exitcode " + topology_);
  EXPECT_EQ(plan.exitCode, 0) << plan.output;
}

TEST_F(ApplyLockE2eTest, AShortLockTimeoutFailsClearlyAndChangesNothing) {
  ShellRun apply = cli_.run("apply --yes --lock_timeout 2s --step_timeout 60s " + topology_);
  EXPECT_EQ(apply.exitCode, 1) << apply.output;
  EXPECT_NE(apply.output.find("apps '" + std::string(kMgr) + "' is still held by deployment(s) '" +
                              lockId_ + "' after 2s"),
            std::string::npos)
      << apply.output;
  EXPECT_NE(apply.output.find("re-run with --force"), std::string::npos) << apply.output;
  // The only write was the refused one; the foreign deployment goes on.
  EXPECT_EQ(writes(), std::vector<std::string>{"PUT /v2/apps 409"});
  EXPECT_TRUE(deploymentOpen(lockId_));
}

TEST_F(ApplyLockE2eTest, ForceOverridesTheLock) {
  ShellRun apply =
      cli_.run("apply --yes --force --lock_timeout 60s --step_timeout 60s " + topology_);
  ASSERT_EQ(apply.exitCode, 0) << apply.output;
  EXPECT_NE(apply.output.find("Apply complete: 0 added, 1 changed"), std::string::npos)
      << apply.output;
  // One forced write replaced the foreign deployment, which is gone; the blocker app still runs.
  std::vector<std::string> log = writes();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].rfind("PUT /v2/apps 20", 0), 0u) << log[0];
  EXPECT_FALSE(deploymentOpen(lockId_));
  EXPECT_EQ(sim_.getJson("/v2/apps/tools/blocker?embed=app.counts")["app"]["tasksRunning"], 1);
  ShellRun plan = cli_.run("plan --detailed-exitcode " + topology_);
  EXPECT_EQ(plan.exitCode, 0) << plan.output;
}

}  // namespace
}  // namespace ceph_planner::e2e
