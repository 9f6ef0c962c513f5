// Health bookkeeping and launch backoff.

#include "sim/marathon/health.h"

#include <gtest/gtest.h>

namespace ceph_planner::marathon_sim {
namespace {

TimePoint at(int seconds) {
  return TimePoint(Millis(1'000'000'000) + Millis(seconds * 1000));
}

TEST(Health, MarathonLevelKillsOnFailureMaxPlusOne) {
  HealthCheckSpec hc;
  hc.protocol = "HTTP";
  hc.gracePeriodSeconds = 10;
  hc.maxConsecutiveFailures = 3;
  HealthResult r;
  EXPECT_TRUE(applyHealthOutcome(hc, r, CheckOutcome::Healthy, "", at(1), at(0)).recorded);
  EXPECT_TRUE(r.alive());
  for (int i = 1; i <= 3; ++i) {
    auto u = applyHealthOutcome(hc, r, CheckOutcome::Unhealthy, "503", at(1 + i), at(0));
    EXPECT_FALSE(u.kill) << i;
  }
  EXPECT_FALSE(r.alive());
  EXPECT_EQ(r.consecutiveFailures, 3);
  EXPECT_TRUE(applyHealthOutcome(hc, r, CheckOutcome::Unhealthy, "503", at(5), at(0)).kill);
}

TEST(Health, ZeroMaxNeverKillsMarathonLevel) {
  HealthCheckSpec hc;
  hc.protocol = "TCP";
  hc.gracePeriodSeconds = 0;
  hc.maxConsecutiveFailures = 0;
  HealthResult r;
  for (int i = 0; i < 20; ++i)
    EXPECT_FALSE(applyHealthOutcome(hc, r, CheckOutcome::Unhealthy, "refused", at(i), at(0)).kill);
}

TEST(Health, GraceIgnoresFailuresUntilFirstSuccess) {
  HealthCheckSpec hc;
  hc.gracePeriodSeconds = 30;
  hc.maxConsecutiveFailures = 1;
  HealthResult r;
  auto u = applyHealthOutcome(hc, r, CheckOutcome::Unhealthy, "x", at(10), at(0));
  EXPECT_FALSE(u.recorded);
  EXPECT_EQ(r.consecutiveFailures, 0);
  // After the grace period failures count.
  EXPECT_TRUE(applyHealthOutcome(hc, r, CheckOutcome::Unhealthy, "x", at(31), at(0)).recorded);
  // A success ends the grace period early: later failures count even inside the window.
  HealthResult s;
  applyHealthOutcome(hc, s, CheckOutcome::Healthy, "", at(1), at(0));
  EXPECT_TRUE(applyHealthOutcome(hc, s, CheckOutcome::Unhealthy, "x", at(2), at(0)).recorded);
  EXPECT_TRUE(applyHealthOutcome(hc, s, CheckOutcome::Unhealthy, "x", at(3), at(0)).kill);
}

TEST(Health, MesosLevelKillsAtMaxAndZeroMeansFirstFailure) {
  HealthCheckSpec hc;
  hc.protocol = "MESOS_HTTP";
  hc.gracePeriodSeconds = 0;
  hc.maxConsecutiveFailures = 2;
  HealthResult r;
  EXPECT_FALSE(applyHealthOutcome(hc, r, CheckOutcome::Unhealthy, "x", at(1), at(0)).kill);
  EXPECT_TRUE(applyHealthOutcome(hc, r, CheckOutcome::Unhealthy, "x", at(2), at(0)).kill);
  hc.maxConsecutiveFailures = 0;
  HealthResult z;
  EXPECT_TRUE(applyHealthOutcome(hc, z, CheckOutcome::Unhealthy, "x", at(1), at(0)).kill);
  EXPECT_EQ(firstCheckAt(hc, at(0)), at(15));  // delaySeconds default
  HealthCheckSpec http;
  EXPECT_EQ(firstCheckAt(http, at(0)), at(0));
}

TEST(Backoff, GrowsByFactorAndIsCapped) {
  AppParams p;
  p.backoffSeconds = 1;
  p.backoffFactor = 2;
  p.maxLaunchDelaySeconds = 5;
  double d = 0;
  std::vector<double> seen;
  for (int i = 0; i < 5; ++i) seen.push_back(d = launchDelaySeconds(p, d));
  EXPECT_EQ(seen, (std::vector<double>{1, 2, 4, 5, 5}));
}

}  // namespace
}  // namespace ceph_planner::marathon_sim
