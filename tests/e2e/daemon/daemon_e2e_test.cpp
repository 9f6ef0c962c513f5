// Two `ceph-planner daemon` processes against real ZooKeeper and marathon-sim: one leader acts,
// drift is repaired, a converged pass costs one Marathon read and no write (from the simulator's
// request log), the follower takes over when the leader is killed, flexup/flexdown need the token
// and stay in bounds, bootstrap files are served only to the agents running a task that needs them.

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "common/testing.h"
#include "tests/e2e/daemon/daemon_harness.h"

namespace ceph_planner::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Polls `check` every 100 ms until it holds or `timeout` passes.
template <typename Check>
bool eventually(std::chrono::milliseconds timeout, Check check) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return check();
}

double metric(const std::string& url, const std::string& series) {
  auto page = httpCall("GET", url + "/metrics");
  return metricValue(page.body, series).value_or(0);
}

int instancesOf(DaemonCluster& c, const std::string& appId) {
  auto app = c.marathonApp(appId);
  if (!app) return -1;
  auto pos = app->find("\"instances\":");
  if (pos == std::string::npos) return -1;
  return std::atoi(app->c_str() + pos + 12);
}

bool ready(const std::string& url) {
  auto status = httpCall("GET", url + "/status");
  return status.body.find("\"reason\": \"Converged\"") != std::string::npos;
}

// Shorter than the 10 s default, so the takeover test also shows the flag reaching ZooKeeper.
constexpr char kSessionTimeout[] = "4s";

class DaemonE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DaemonClusterOptions options;
    options.timeScale = 20.0;
    options.zkSessionTimeout = kSessionTimeout;
    auto c = DaemonCluster::start(options);
    ASSERT_OK(c);
    cluster_ = std::move(c).value();
    ASSERT_OK(cluster_->startDaemon(0));
    ASSERT_OK(cluster_->startDaemon(1));
    leader_ = cluster_->waitForLeader(std::chrono::seconds(15));
    ASSERT_GE(leader_, 0) << readAll(cluster_->daemonLog(0)) << readAll(cluster_->daemonLog(1));
    follower_ = 1 - leader_;
    ASSERT_TRUE(
        eventually(std::chrono::seconds(60), [&] { return ready(cluster_->daemonUrl(leader_)); }))
        << httpCall("GET", cluster_->daemonUrl(leader_) + "/status").body
        << readAll(cluster_->daemonLog(leader_));
  }
  void TearDown() override {
    if (HasFailure() && cluster_) {
      std::cerr << "---- daemon 0 ----\n" << readAll(cluster_->daemonLog(0)) << "\n";
      std::cerr << "---- daemon 1 ----\n" << readAll(cluster_->daemonLog(1)) << "\n";
    }
    cluster_.reset();
  }

  std::unique_ptr<DaemonCluster> cluster_;
  int leader_ = -1;
  int follower_ = -1;
};

TEST_F(DaemonE2eTest, OnlyTheLeaderActsAndAConvergedPassIsOneReadNoWrite) {
  std::string leaderUrl = cluster_->daemonUrl(leader_);
  std::string followerUrl = cluster_->daemonUrl(follower_);
  EXPECT_EQ(metric(leaderUrl, "ceph_planner_leader"), 1);
  EXPECT_EQ(metric(followerUrl, "ceph_planner_leader"), 0);
  EXPECT_GT(metric(leaderUrl, "ceph_planner_actions_total{kind=\"create\"}"), 0);
  EXPECT_EQ(metric(followerUrl, "ceph_planner_actions_total{kind=\"create\"}"), 0);
  EXPECT_EQ(metric(followerUrl, "ceph_planner_passes_total{outcome=\"converged\"}"), 0);
  auto health = httpCall("GET", followerUrl + "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_NE(health.body.find("\"role\":\"follower\""), std::string::npos) << health.body;
  // The follower shows the conditions the leader stored.
  auto status = httpCall("GET", followerUrl + "/status");
  EXPECT_NE(status.body.find("\"Converged\""), std::string::npos) << status.body;

  // Quiet: let the resync timer (2 s) run passes; every pass is exactly one group GET.
  ASSERT_TRUE(eventually(std::chrono::seconds(10), [&] {
    return metric(leaderUrl, "ceph_planner_passes_total{outcome=\"converged\"}") >= 1;
  }));
  double before = metric(leaderUrl, "ceph_planner_passes_total{outcome=\"converged\"}");
  cluster_->clearSimRequests();
  std::this_thread::sleep_for(std::chrono::milliseconds(5000));
  auto log = cluster_->simRequests();
  double after = metric(leaderUrl, "ceph_planner_passes_total{outcome=\"converged\"}");
  int reads = 0, writes = 0;
  for (const auto& r : log) {
    if (r == "GET /v2/groups/ceph/box") {
      ++reads;
    } else if (r.rfind("GET ", 0) != 0) {
      ++writes;
      ADD_FAILURE() << "write while converged: " << r;
    }
  }
  EXPECT_EQ(writes, 0);
  EXPECT_GE(after - before, 2) << "resync passes ran";
  // Passes counted in the window (a pass may straddle its edges by one).
  EXPECT_LE(std::abs(reads - static_cast<int>(after - before)), 1)
      << reads << " reads for " << (after - before) << " passes";
  for (const auto& r : log) {
    EXPECT_TRUE(r == "GET /v2/groups/ceph/box" || r == "GET /v2/events") << r;
  }
}

TEST_F(DaemonE2eTest, HandDeletedAndHandScaledAppsAreRepaired) {
  std::string leaderUrl = cluster_->daemonUrl(leader_);
  ASSERT_EQ(httpCall("DELETE", cluster_->simUrl() + "/v2/apps/ceph/box/mon/ceph-box-2").status,
            200);
  ASSERT_EQ(httpCall("PUT", cluster_->simUrl() + "/v2/apps/ceph/box/osd/ceph-box-1-osd0",
                     R"({"instances":0})")
                .status,
            200);
  EXPECT_TRUE(eventually(std::chrono::seconds(30), [&] {
    return instancesOf(*cluster_, "/ceph/box/mon/ceph-box-2") == 1 &&
           instancesOf(*cluster_, "/ceph/box/osd/ceph-box-1-osd0") == 1;
  }));
  EXPECT_GE(metric(leaderUrl, "ceph_planner_drift_repairs_total{kind=\"deleted\"}"), 1);
  EXPECT_GE(metric(leaderUrl, "ceph_planner_drift_repairs_total{kind=\"scaled\"}"), 1);
  std::string log = readAll(cluster_->daemonLog(leader_));
  EXPECT_NE(log.find("drift: app '/ceph/box/mon/ceph-box-2' was deleted by hand"),
            std::string::npos);
  EXPECT_NE(log.find("drift: app '/ceph/box/osd/ceph-box-1-osd0' was scaled by hand to 0"),
            std::string::npos);
  EXPECT_TRUE(eventually(std::chrono::seconds(30), [&] { return ready(leaderUrl); }));
}

TEST_F(DaemonE2eTest, KillingTheLeaderHandsOverWithinTheSessionTimeout) {
  auto killedAt = Clock::now();
  cluster_->killDaemon(leader_, SIGKILL);
  int next = cluster_->waitForLeader(std::chrono::seconds(20));
  auto takeover = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killedAt);
  ASSERT_EQ(next, follower_);
  // The daemons ask for a 4 s session (--zk_session_timeout); the follower's watch on its
  // predecessor fires when the server expires the dead leader's session. Allow 2 s more.
  EXPECT_LT(takeover.count(), 6000);
  std::cerr << "takeover after " << takeover.count() << " ms\n";
  // The new leader converges a topology change.
  std::string v2 = cluster_->topologyYaml();
  auto at = v2.find(
      "mgrs:\n  placement: { label: mgr, count: 2 }\n  modules: [prometheus]\n"
      "  resources: { cpus: 0.5");
  ASSERT_NE(at, std::string::npos);
  v2.replace(v2.find("cpus: 0.5", at), 9, "cpus: 0.6");
  ASSERT_OK(cluster_->putTopology(v2, "bigger mgrs"));
  EXPECT_TRUE(eventually(std::chrono::seconds(30), [&] {
    auto app = cluster_->marathonApp("/ceph/box/mgr/ceph-box-1");
    return app && app->find("\"cpus\":0.6") != std::string::npos;
  }));
  EXPECT_EQ(metric(cluster_->daemonUrl(next), "ceph_planner_leader"), 1);
}

TEST_F(DaemonE2eTest, FlexupAndFlexdownNeedTheTokenAndStayInBounds) {
  std::string url = cluster_->daemonUrl(leader_);
  std::string auth = "Authorization: Bearer " + cluster_->token();
  const std::string rgw = "/ceph/box/rgw/main";
  int start = instancesOf(*cluster_, rgw);
  ASSERT_EQ(start, 1);
  EXPECT_EQ(httpCall("POST", url + "/flexup", R"({"service":"main"})").status, 401);
  EXPECT_EQ(httpCall("POST", url + "/flexup", R"({"service":"main"})", {"Authorization: Bearer x"})
                .status,
            403);
  EXPECT_EQ(
      httpCall("POST", cluster_->daemonUrl(follower_) + "/flexup", R"({"service":"main"})", {auth})
          .status,
      503);
  auto up = httpCall("POST", url + "/flexup", R"({"service":"main","count":2})", {auth});
  EXPECT_EQ(up.status, 202) << up.body;
  EXPECT_NE(up.body.find("\"to\":3"), std::string::npos) << up.body;
  EXPECT_TRUE(
      eventually(std::chrono::seconds(10), [&] { return instancesOf(*cluster_, rgw) == 3; }));
  // Max is 3: one more is refused and nothing changes.
  auto over = httpCall("POST", url + "/flexup", R"({"service":"main"})", {auth});
  EXPECT_EQ(over.status, 409) << over.body;
  EXPECT_TRUE(eventually(std::chrono::seconds(10), [&] {
    return httpCall("POST", url + "/flexdown", R"({"service":"main","count":2})", {auth}).status ==
           202;
  }));
  EXPECT_TRUE(
      eventually(std::chrono::seconds(10), [&] { return instancesOf(*cluster_, rgw) == 1; }));
  EXPECT_EQ(httpCall("POST", url + "/flexup", R"({"service":"nope"})", {auth}).status, 404);
  // The reconciler keeps the flexed value (inside [min, max]) instead of resetting it.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(instancesOf(*cluster_, rgw), 1);
  EXPECT_EQ(metric(url, "ceph_planner_flex_requests_total{direction=\"up\",result=\"accepted\"}"),
            1);
}

// OSD flexup: the device lands in the stored topology (CAS, history message), the leader's watch
// deploys the new OSD app, and it runs healthy; a repeat changes nothing; followers refuse.
TEST_F(DaemonE2eTest, OsdFlexupAddsTheDeviceAndTheOsdAppRunsHealthy) {
  std::string url = cluster_->daemonUrl(leader_);
  std::string auth = "Authorization: Bearer " + cluster_->token();
  const std::string body =
      R"({"kind":"osd","host":"ceph-box-2","group":"files",)"
      R"("device":{"path":"/var/tmp/ceph-planner-box/ceph-box-2/osd1","size":"4G"}})";
  const std::string appId = "/ceph/box/osd/ceph-box-2-osd1";
  ASSERT_FALSE(cluster_->marathonApp(appId));
  EXPECT_EQ(httpCall("POST", cluster_->daemonUrl(follower_) + "/flexup", body, {auth}).status, 503);
  EXPECT_EQ(httpCall("POST", url + "/flexup", body).status, 401);
  auto started = Clock::now();
  auto up = httpCall("POST", url + "/flexup", body, {auth});
  ASSERT_EQ(up.status, 202) << up.body;
  EXPECT_NE(up.body.find("\"appId\":\"" + appId + "\""), std::string::npos) << up.body;
  EXPECT_NE(up.body.find("\"fromVersion\":1"), std::string::npos) << up.body;
  EXPECT_NE(up.body.find("\"toVersion\":2"), std::string::npos) << up.body;
  auto healthy = [&] {
    auto app = cluster_->marathonApp(appId);
    return app && app->find("\"tasksHealthy\":1") != std::string::npos;
  };
  ASSERT_TRUE(eventually(std::chrono::seconds(20), healthy))
      << cluster_->marathonApp(appId).value_or("(no app)") << readAll(cluster_->daemonLog(leader_));
  std::cout << "osd flexup -> healthy OSD app in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()
            << " ms\n";
  auto history = cluster_->store().listHistory("box");
  ASSERT_OK(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->back().message,
            "flexup: osd ceph-box-2:/var/tmp/ceph-planner-box/ceph-box-2/osd1 (api)");
  auto again = httpCall("POST", url + "/flexup", body, {auth});
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.body.find("\"changed\":false"), std::string::npos) << again.body;
  EXPECT_EQ(cluster_->store().listHistory("box")->size(), 2u);
  auto down = httpCall("POST", url + "/flexdown", body, {auth});
  EXPECT_EQ(down.status, 400) << down.body;
  EXPECT_EQ(metric(url, "ceph_planner_osd_flexup_requests_total{result=\"added\"}"), 1);
  EXPECT_EQ(metric(url, "ceph_planner_actions_total{kind=\"flexup\"}"), 1);
}

TEST_F(DaemonE2eTest, BootstrapFilesOnlyForAgentsRunningATaskThatNeedsThem) {
  std::string files = cluster_->daemonUrl(follower_) + "/v1/clusters/box/files/";
  // ceph-box-1 (127.0.0.2) runs a mon: ceph.conf and the mon keyring.
  auto conf = httpCall("GET", files + "ceph.conf", "", {}, "127.0.0.2");
  ASSERT_EQ(conf.status, 200) << conf.body;
  EXPECT_NE(conf.body.find("fsid = "), std::string::npos);
  EXPECT_NE(conf.body.find("[v2:127.0.0.2:3300,v1:127.0.0.2:6789]"), std::string::npos)
      << conf.body;
  auto mon = httpCall("GET", files + "ceph.mon.keyring", "", {}, "127.0.0.2");
  ASSERT_EQ(mon.status, 200);
  EXPECT_NE(mon.body.find("[mon.]"), std::string::npos);
  // ceph-box-3 (127.0.0.4) runs no mgr: no bootstrap-mgr keyring; never the admin keyring.
  EXPECT_EQ(
      httpCall("GET", files + "ceph.client.bootstrap-mgr.keyring", "", {}, "127.0.0.4").status,
      404);
  EXPECT_EQ(httpCall("GET", files + "ceph.client.admin.keyring", "", {}, "127.0.0.2").status, 404);
  // A machine with no task of the cluster gets nothing, and nothing is listed.
  EXPECT_EQ(httpCall("GET", files + "ceph.conf", "", {}, "127.0.0.1").status, 404);
  EXPECT_EQ(httpCall("GET", cluster_->daemonUrl(follower_) + "/v1/clusters/box/files").status, 404);
  // No key material in the logs.
  auto keyStart = mon.body.find("key = ");
  ASSERT_NE(keyStart, std::string::npos);
  std::string key = mon.body.substr(keyStart + 6, 40);
  EXPECT_EQ(readAll(cluster_->daemonLog(follower_)).find(key), std::string::npos);
  EXPECT_EQ(readAll(cluster_->daemonLog(leader_)).find(key), std::string::npos);
}

}  // namespace
}  // namespace ceph_planner::testing
