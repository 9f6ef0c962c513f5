// `RateTracker`: counter readings → per-second rates, as Prometheus' `rate()` over two points.

#include <gtest/gtest.h>

#include "engine/metric_source.h"

namespace ceph_planner::engine {
namespace {

using std::chrono::seconds;

TEST(RateTracker, RateBetweenSuccessiveReadings) {
  RateTracker r;
  EXPECT_FALSE(r.observe("a", 100, seconds(0)).has_value());
  EXPECT_DOUBLE_EQ(r.observe("a", 600, seconds(10)).value(), 50);
  EXPECT_DOUBLE_EQ(r.observe("a", 600, seconds(15)).value(), 0);
  EXPECT_FALSE(r.observe("b", 5, seconds(15)).has_value()) << "keys are independent";
}

TEST(RateTracker, ACounterThatWentDownRestartedFromZero) {
  RateTracker r;
  (void)r.observe("a", 10'000, seconds(0));
  EXPECT_DOUBLE_EQ(r.observe("a", 300, seconds(10)).value(), 30);
}

TEST(RateTracker, NoTimePassedGivesNoRate) {
  RateTracker r;
  (void)r.observe("a", 1, seconds(5));
  EXPECT_FALSE(r.observe("a", 2, seconds(5)).has_value());
}

TEST(RateTracker, ForgottenKeysStartOver) {
  RateTracker r;
  (void)r.observe("old", 1, seconds(0));
  (void)r.observe("new", 1, seconds(100));
  r.forgetOlderThan(seconds(50));
  EXPECT_FALSE(r.observe("old", 2, seconds(110)).has_value());
  EXPECT_TRUE(r.observe("new", 2, seconds(110)).has_value());
}

}  // namespace
}  // namespace ceph_planner::engine
