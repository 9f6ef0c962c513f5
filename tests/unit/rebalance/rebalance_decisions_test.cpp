// Tables of cluster states -> rebalance decisions (planner/rebalance.h), including the cases where
// the right decision is to do nothing or to skip.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "planner/rebalance.h"

namespace ceph_planner::planner {
namespace {

constexpr char kApp[] = "/ceph/box/rgw/main";

// Four hosts in two racks; RGW may run on all of them; failure domain `rack`.
topology::Topology makeTopology() {
  topology::Topology t;
  t.cluster.name = "box";
  t.crush.failureDomain = "rack";
  for (auto [name, rack] : std::vector<std::pair<std::string, std::string>>{
           {"h1", "r1"}, {"h2", "r1"}, {"h3", "r2"}, {"h4", "r2"}}) {
    topology::Host h;
    h.name = name;
    h.location["rack"] = rack;
    h.labels = {"rgw"};
    t.hosts.push_back(h);
  }
  t.hosts.back().labels = {};  // h4 is not eligible.
  topology::RgwService rgw;
  rgw.serviceId = "main";
  rgw.port = 7480;
  rgw.placement.label = "rgw";
  t.rgw.push_back(rgw);
  return t;
}

struct TaskRow {
  std::string id;
  std::string host;
  std::string state = "TASK_RUNNING";
  std::optional<bool> healthy = true;
};

ObservedState observe(int instances, const std::vector<TaskRow>& tasks,
                      std::vector<std::string> deployments = {}) {
  ObservedState o;
  o.groupId = "/ceph/box";
  o.groupExists = true;
  ObservedApp app;
  app.spec.id = kApp;
  app.spec.instances = instances;
  app.status.deploymentIds = std::move(deployments);
  for (const auto& row : tasks) {
    TaskStatus t;
    t.id = row.id;
    t.host = row.host;
    t.state = row.state;
    t.healthy = row.healthy;
    app.status.tasks.push_back(t);
  }
  o.apps.push_back(app);
  return o;
}

RebalanceSettings rgwOnly() {
  RebalanceSettings s;
  s.skipDataBalance = true;
  return s;
}

struct RgwCase {
  std::string name;
  ObservedState observed;
  RebalanceAction action;
  std::string taskId;         // Expected victim for KillRgwTask.
  std::string reasonExcerpt;  // Must appear in the reason.
};

TEST(RebalanceDecisionsTest, RgwSpreadTable) {
  ObservedState otherAppGone = observe(2, {{"a", "h1"}, {"b", "h3"}});
  {
    ObservedApp osd;
    osd.spec.id = "/ceph/box/osd/h3-0";
    TaskStatus t;
    t.id = "osd-task";
    t.host = "h3";
    t.state = "TASK_UNREACHABLE";
    osd.status.tasks.push_back(t);
    otherAppGone.apps.push_back(osd);
  }
  const std::vector<RgwCase> cases = {
      {"not deployed", ObservedState{}, RebalanceAction::None, "", "app not deployed"},
      {"deployment in progress", observe(2, {{"a", "h1"}}, {"d-1"}), RebalanceAction::Skip, "",
       "deployment 'd-1' in progress"},
      {"evenly spread over the racks", observe(2, {{"a", "h1"}, {"b", "h3"}}),
       RebalanceAction::None, "", "evenly spread (2/2 tasks healthy, 3 eligible hosts)"},
      {"single instance, nothing better", observe(1, {{"a", "h1"}}), RebalanceAction::None, "",
       "evenly spread"},
      {"unhealthy task moves", observe(2, {{"a", "h1"}, {"b", "h3", "TASK_RUNNING", false}}),
       RebalanceAction::KillRgwTask, "b", "unhealthy per Marathon"},
      {"unhealthy single instance moves too", observe(1, {{"a", "h1", "TASK_RUNNING", false}}),
       RebalanceAction::KillRgwTask, "a", "unhealthy"},
      {"agent gone beats unhealthy",
       observe(
           3,
           {{"a", "h1", "TASK_RUNNING", false}, {"b", "h2", "TASK_UNREACHABLE", {}}, {"c", "h3"}}),
       RebalanceAction::KillRgwTask, "b", "agent is gone (TASK_UNREACHABLE)"},
      {"agent gone seen on another app's task", otherAppGone, RebalanceAction::KillRgwTask, "b",
       "host 'h3' whose agent is gone"},
      {"task on a host the placement dropped", observe(2, {{"a", "h1"}, {"b", "h4"}}),
       RebalanceAction::KillRgwTask, "b", "placement no longer selects"},
      {"dropped host, but a single instance stays", observe(1, {{"a", "h4"}}),
       RebalanceAction::Skip, "", "all 1 (>= 2) instances run healthy"},
      {"uneven racks move one task from the full rack", observe(2, {{"b", "h2"}, {"a", "h1"}}),
       RebalanceAction::KillRgwTask, "a", "rack 'r1' has 2 tasks, rack 'r2' has 0"},
      {"uneven racks, but a task is still starting",
       observe(3, {{"a", "h1"}, {"b", "h2"}, {"c", "h3", "TASK_STAGING", {}}}),
       RebalanceAction::None, "", "evenly spread"},
      {"uneven racks, but fewer tasks than instances", observe(3, {{"a", "h1"}, {"b", "h2"}}),
       RebalanceAction::Skip, "", "a healthy task is moved only while"},
  };
  const auto topology = makeTopology();
  for (const auto& c : cases) {
    auto decisions = decideRebalance(topology, c.observed, {}, rgwOnly());
    ASSERT_EQ(decisions.size(), 2u) << c.name;
    const auto& d = decisions[0];
    EXPECT_EQ(d.part, RebalancePart::RgwSpread) << c.name;
    EXPECT_EQ(rebalanceActionName(d.action), rebalanceActionName(c.action))
        << c.name << ": " << d.reason;
    EXPECT_EQ(d.subject, kApp) << c.name;
    EXPECT_EQ(d.taskId, c.taskId) << c.name;
    EXPECT_NE(d.reason.find(c.reasonExcerpt), std::string::npos)
        << c.name << ": reason was: " << d.reason;
  }
}

TEST(RebalanceDecisionsTest, PerHostFailureDomainCountsHostsNotRacks) {
  auto topology = makeTopology();
  topology.crush.failureDomain = "host";
  auto decisions = decideRebalance(topology, observe(2, {{"a", "h1"}, {"b", "h2"}}), {}, rgwOnly());
  EXPECT_EQ(decisions[0].action, RebalanceAction::None) << decisions[0].reason;
}

TEST(RebalanceDecisionsTest, AtMostOneTaskMovesPerRun) {
  auto topology = makeTopology();
  topology::RgwService second = topology.rgw[0];
  second.serviceId = "second";
  topology.rgw.push_back(second);
  ObservedState observed = observe(1, {{"a", "h1", "TASK_RUNNING", false}});
  ObservedApp other = observed.apps[0];
  other.spec.id = "/ceph/box/rgw/second";
  other.status.tasks[0].id = "z";
  observed.apps.push_back(other);
  auto decisions = decideRebalance(topology, observed, {}, rgwOnly());
  ASSERT_EQ(decisions.size(), 3u);
  EXPECT_EQ(decisions[0].action, RebalanceAction::KillRgwTask);
  EXPECT_EQ(decisions[0].taskId, "a");
  EXPECT_EQ(decisions[1].action, RebalanceAction::Skip);
  EXPECT_NE(decisions[1].reason.find("one task moves per run"), std::string::npos);
  EXPECT_EQ(decisions[2].part, RebalancePart::DataBalance);
}

TEST(RebalanceDecisionsTest, SkipFlagsSkipTheirPartOnly) {
  RebalanceSettings settings;
  settings.skipRgwSpread = true;
  settings.skipDataBalance = true;
  auto decisions = decideRebalance(makeTopology(), observe(1, {{"a", "h1", "TASK_RUNNING", false}}),
                                   {}, settings);
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[0].action, RebalanceAction::Skip);
  EXPECT_EQ(decisions[0].reason, "skipped by --skip_rgw_spread");
  EXPECT_EQ(decisions[1].action, RebalanceAction::Skip);
  EXPECT_EQ(decisions[1].reason, "skipped by --skip_data_balance");
}

CephInput cleanCluster() {
  CephInput c;
  c.health = CephHealthInput{"HEALTH_OK", {}};
  PgInput pgs;
  pgs.numPgs = 81;
  pgs.activeClean = 81;
  pgs.pgsByState["active+clean"] = 81;
  c.pgs = pgs;
  c.balancer = BalancerInput{true, "", false, "upmap"};
  return c;
}

struct DataCase {
  std::string name;
  CephInput ceph;
  RebalanceAction action;
  std::string reasonExcerpt;
  bool setMode = false;
};

TEST(RebalanceDecisionsTest, DataBalanceTable) {
  auto with = [](auto change) {
    CephInput c = cleanCluster();
    change(c);
    return c;
  };
  const std::vector<DataCase> cases = {
      {"clean, balancer off in upmap: one plan", cleanCluster(), RebalanceAction::RunBalancer,
       "balancer off in mode 'upmap' (HEALTH_OK, 81 pgs active+clean, misplaced 0.00% (max "
       "5.00%))"},
      {"balancer off in another mode: set it first",
       with([](CephInput& c) { c.balancer->mode = "crush-compat"; }), RebalanceAction::RunBalancer,
       "mode 'crush-compat'", true},
      {"balancer on in upmap: the mgr does it",
       with([](CephInput& c) { c.balancer->active = true; }), RebalanceAction::None,
       "the mgr balances continuously"},
      {"balancer on in another mode: only the mode", with([](CephInput& c) {
         c.balancer->active = true;
         c.balancer->mode = "none";
       }),
       RebalanceAction::SetBalancerMode, "wanted 'upmap'"},
      {"HEALTH_WARN is a safe skip", with([](CephInput& c) {
         c.health = CephHealthInput{"HEALTH_WARN", {"OSD_DOWN: 1 osds down"}};
         c.pgs.reset();
       }),
       RebalanceAction::Skip, "ceph not healthy: HEALTH_WARN (OSD_DOWN: 1 osds down): skipped"},
      {"HEALTH_ERR is a safe skip", with([](CephInput& c) {
         c.health = CephHealthInput{"HEALTH_ERR", {}};
       }),
       RebalanceAction::Skip, "ceph not healthy: HEALTH_ERR: skipped"},
      {"recovery running", with([](CephInput& c) {
         c.pgs->activeClean = 79;
         c.pgs->pgsByState = {{"active+clean", 79}, {"active+recovering", 2}};
         c.pgs->recoveryOrBackfill = true;
       }),
       RebalanceAction::Skip,
       "recovery or backfill in progress (79 active+clean, 2 active+recovering)"},
      {"peering PGs (not clean) without recovery", with([](CephInput& c) {
         c.pgs->activeClean = 80;
         c.pgs->pgsByState = {{"active+clean", 80}, {"peering", 1}};
       }),
       RebalanceAction::Skip, "1 peering"},
      {"misplaced above the bound", with([](CephInput& c) { c.pgs->misplacedRatio = 0.051; }),
       RebalanceAction::Skip, "misplaced 5.10% (max 5.00%): skipped"},
      {"misplaced exactly at the bound is allowed",
       with([](CephInput& c) { c.pgs->misplacedRatio = 0.05; }), RebalanceAction::RunBalancer,
       "misplaced 5.00%"},
      {"no PGs at all", with([](CephInput& c) { c.pgs = PgInput{}; }), RebalanceAction::None,
       "no placement groups"},
      {"balancer unavailable: reweight what the dry run proposes", with([](CephInput& c) {
         c.balancer = BalancerInput{false, "'ceph balancer status' timed out", false, ""};
         c.reweight = ReweightInput{true, "", 56.4, {{0, 1.0, 0.95}, {1, 1.0, 0.95}}};
       }),
       RebalanceAction::ReweightByUtilization,
       "balancer unavailable ('ceph balancer status' timed out); dry run proposes osd.0 "
       "1.000->0.950, osd.1 1.000->0.950"},
      {"balancer unavailable, nothing over the threshold", with([](CephInput& c) {
         c.balancer = BalancerInput{};
         c.reweight = ReweightInput{true, "", 56.4, {}};
       }),
       RebalanceAction::None, "no osd above the reweight threshold (overload 120%"},
      {"balancer and reweight unavailable", with([](CephInput& c) {
         c.balancer = BalancerInput{};
         c.reweight = ReweightInput{false, "no mgr", 0, {}};
       }),
       RebalanceAction::Skip, "reweight-by-utilization unavailable (no mgr): skipped"},
      {"health not observed", CephInput{}, RebalanceAction::Skip, "ceph health unknown"},
  };
  RebalanceSettings settings;
  settings.skipRgwSpread = true;
  for (const auto& c : cases) {
    auto decisions = decideRebalance(makeTopology(), {}, c.ceph, settings);
    ASSERT_EQ(decisions.size(), 2u) << c.name;
    const auto& d = decisions[1];
    EXPECT_EQ(d.part, RebalancePart::DataBalance) << c.name;
    EXPECT_EQ(rebalanceActionName(d.action), rebalanceActionName(c.action))
        << c.name << ": " << d.reason;
    EXPECT_NE(d.reason.find(c.reasonExcerpt), std::string::npos)
        << c.name << ": reason was: " << d.reason;
    EXPECT_EQ(d.setMode, c.setMode) << c.name;
    if (d.action == RebalanceAction::RunBalancer || d.action == RebalanceAction::SetBalancerMode) {
      EXPECT_EQ(d.balancerMode, "upmap") << c.name;
    }
  }
}

TEST(RebalanceDecisionsTest, ModeNoneInTheTopologyNeverBalances) {
  RebalanceSettings settings;
  settings.skipRgwSpread = true;
  settings.balancerMode = "none";
  auto decisions = decideRebalance(makeTopology(), {}, cleanCluster(), settings);
  EXPECT_EQ(decisions[1].action, RebalanceAction::None);
}

TEST(RebalanceDecisionsTest, SettingsTakeTheTighterMisplacedBoundAndTheBalancerMode) {
  auto topology = makeTopology();
  topology.policies.maxMisplacedRatio = 0.05;
  EXPECT_DOUBLE_EQ(rebalanceSettings(topology).maxMisplacedRatio, 0.05);
  EXPECT_EQ(rebalanceSettings(topology).balancerMode, "upmap");
  topology::MaintenanceJob balancer;
  balancer.name = "balancer";
  balancer.params = {{"mode", "crush-compat"}, {"max_misplaced", "0.02"}};
  topology.maintenance.push_back(balancer);
  EXPECT_DOUBLE_EQ(rebalanceSettings(topology).maxMisplacedRatio, 0.02);
  EXPECT_EQ(rebalanceSettings(topology).balancerMode, "crush-compat");
  topology.maintenance[0].params["max_misplaced"] = "0.5";
  EXPECT_DOUBLE_EQ(rebalanceSettings(topology).maxMisplacedRatio, 0.05);
}

TEST(RebalanceDecisionsTest, DecisionLinesNameTheActionAndTheInputs) {
  auto decisions =
      decideRebalance(makeTopology(), observe(2, {{"a", "h1"}, {"b", "h3", "TASK_RUNNING", false}}),
                      cleanCluster(), RebalanceSettings{});
  EXPECT_EQ(formatDecision(decisions[0]),
            "rgw-spread /ceph/box/rgw/main: kill task 'b' on 'h3' (no scale): task on host 'h3' "
            "is unhealthy per Marathon");
  EXPECT_EQ(formatDecision(decisions[1]),
            "data-balance ceph: optimize and execute one balancer plan: balancer off in mode "
            "'upmap' (HEALTH_OK, 81 pgs active+clean, misplaced 0.00% (max 5.00%))");
}

}  // namespace
}  // namespace ceph_planner::planner
