// Status conditions from pass reports, their transitions and their stored JSON form.

#include "daemon/conditions.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace ceph_planner::daemon {
namespace {

using engine::PassOutcome;
using engine::PassReport;

planner::DaemonStatus daemonState(const std::string& name, bool ok, const std::string& state,
                                  const std::string& health) {
  planner::DaemonStatus d;
  d.name = name;
  d.ok = ok;
  d.state = state;
  d.health = health;
  return d;
}

PassReport withDaemons(PassOutcome outcome, std::vector<planner::DaemonStatus> daemons) {
  PassReport r;
  r.outcome = outcome;
  r.topologyVersion = 4;
  planner::StatusReport s;
  s.daemons = std::move(daemons);
  r.status = s;
  return r;
}

const Condition& get(const std::vector<Condition>& cs, const std::string& type) {
  for (const auto& c : cs) {
    if (c.type == type) return c;
  }
  static Condition none;
  ADD_FAILURE() << "no condition " << type;
  return none;
}

TEST(ConditionsTest, ConvergedAndHealthyIsReady) {
  auto cs = computeConditions(
      withDaemons(PassOutcome::Converged, {daemonState("mon/a", true, "running", "healthy")}), {},
      1000);
  ASSERT_EQ(cs.size(), 3u);
  EXPECT_TRUE(get(cs, "Ready").status);
  EXPECT_EQ(get(cs, "Ready").reason, "Converged");
  EXPECT_FALSE(get(cs, "Progressing").status);
  EXPECT_FALSE(get(cs, "Degraded").status);
  EXPECT_EQ(get(cs, "Ready").lastTransitionMs, 1000);
}

TEST(ConditionsTest, ActingIsProgressingNotDegraded) {
  auto r = withDaemons(PassOutcome::Acted, {daemonState("mon/a", false, "missing", "none")});
  r.actionsByKind["create"] = 1;
  r.drift.push_back(engine::Drift{"/ceph/box/mon/a", "deleted", {}, 0, 1});
  auto cs = computeConditions(r, {}, 1000);
  EXPECT_FALSE(get(cs, "Ready").status);
  EXPECT_EQ(get(cs, "Ready").reason, "Reconciling");
  EXPECT_TRUE(get(cs, "Progressing").status);
  EXPECT_EQ(get(cs, "Progressing").message, "applied 1 change (1 drift repair)");
  EXPECT_FALSE(get(cs, "Degraded").status);
}

TEST(ConditionsTest, UnhealthyDaemonsAreDegraded) {
  auto cs = computeConditions(
      withDaemons(PassOutcome::Converged, {daemonState("osd/b-s00", false, "running", "unhealthy"),
                                           daemonState("mon/a", true, "running", "healthy")}),
      {}, 1000);
  EXPECT_FALSE(get(cs, "Ready").status);
  EXPECT_EQ(get(cs, "Ready").reason, "DaemonsNotReady");
  EXPECT_TRUE(get(cs, "Degraded").status);
  EXPECT_EQ(get(cs, "Degraded").reason, "DaemonsUnhealthy");
  EXPECT_NE(get(cs, "Degraded").message.find("'osd/b-s00'"), std::string::npos);
}

TEST(ConditionsTest, DeploymentsInProgressAndFailures) {
  auto r = withDaemons(PassOutcome::Converged, {});
  r.skippedInProgress = {"/ceph/box/osd/a-s00"};
  auto cs = computeConditions(r, {}, 1000);
  EXPECT_TRUE(get(cs, "Progressing").status);
  EXPECT_EQ(get(cs, "Progressing").reason, "DeploymentsInProgress");

  PassReport failed;
  failed.outcome = PassOutcome::Failed;
  failed.error = makeError(ErrorCode::Unavailable, "cannot read group '/ceph/box'");
  cs = computeConditions(failed, {}, 1000);
  EXPECT_TRUE(get(cs, "Degraded").status);
  EXPECT_EQ(get(cs, "Degraded").reason, "ReconcileError");
  EXPECT_EQ(get(cs, "Degraded").message, "cannot read group '/ceph/box'");
  EXPECT_FALSE(get(cs, "Ready").status);
}

TEST(ConditionsTest, StatefulLeftoversAreDegraded) {
  auto r = withDaemons(PassOutcome::Converged, {});
  r.refusedStateful = {"/ceph/box/osd/c-s09"};
  auto cs = computeConditions(r, {}, 1000);
  EXPECT_TRUE(get(cs, "Degraded").status);
  EXPECT_EQ(get(cs, "Degraded").reason, "StatefulAppsPendingDrain");
}

TEST(ConditionsTest, TransitionTimesOnlyMoveWhenStatusFlips) {
  auto first = computeConditions(withDaemons(PassOutcome::Converged, {}), {}, 1000);
  auto again = computeConditions(withDaemons(PassOutcome::Converged, {}), first, 5000);
  EXPECT_EQ(get(again, "Ready").lastTransitionMs, 1000);
  PassReport failed;
  failed.outcome = PassOutcome::Failed;
  failed.error = makeError(ErrorCode::Timeout, "slow");
  auto flipped = computeConditions(failed, again, 9000);
  EXPECT_EQ(get(flipped, "Ready").lastTransitionMs, 9000);
  EXPECT_EQ(get(flipped, "Degraded").lastTransitionMs, 9000);
  EXPECT_EQ(get(flipped, "Progressing").lastTransitionMs, 1000) << "still False";
}

TEST(ConditionsTest, RecordRoundTripsAndFormats) {
  ClusterStatusRecord r;
  r.cluster = "box";
  r.leader = "host-a:42@127.0.0.1:8888";
  r.topologyVersion = 7;
  r.lastPassOutcome = "converged";
  r.lastPassAtMs = 100000;
  r.lastPassDurationMs = 12;
  r.summary = "mon 3/3";
  r.conditions = computeConditions(withDaemons(PassOutcome::Converged, {}), {}, 100000);
  auto decoded = decodeStatusRecord(encodeStatusRecord(r));
  ASSERT_OK(decoded);
  EXPECT_EQ(decoded->conditions, r.conditions);
  EXPECT_EQ(decoded->leader, r.leader);
  EXPECT_EQ(decoded->topologyVersion, 7);
  EXPECT_EQ(decoded->lastPassDurationMs, 12);
  std::string text = formatConditionsText(*decoded, 112000);
  EXPECT_NE(text.find("pass 'converged' 12s ago, topology v7"), std::string::npos) << text;
  EXPECT_NE(text.find("Ready        True   Converged"), std::string::npos) << text;
  EXPECT_ERROR_CODE(decodeStatusRecord("{\"kind\":\"Other\"}"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(decodeStatusRecord("not json"), ErrorCode::InvalidInput);
}

}  // namespace
}  // namespace ceph_planner::daemon
