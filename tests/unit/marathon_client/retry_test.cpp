#include "marathon_client/http_retry.h"

#include <gtest/gtest.h>

namespace ceph_planner::marathon {
namespace {

using std::chrono::milliseconds;

TEST(RetryTest, OnlyIdempotentMethodsAreRetried) {
  EXPECT_TRUE(isIdempotentMethod("GET"));
  EXPECT_TRUE(isIdempotentMethod("PUT"));
  EXPECT_TRUE(isIdempotentMethod("DELETE"));
  EXPECT_TRUE(isIdempotentMethod("HEAD"));
  EXPECT_FALSE(isIdempotentMethod("POST"));
  EXPECT_FALSE(isIdempotentMethod("PATCH"));
}

TEST(RetryTest, CeilingDoublesUpToTheCap) {
  Backoff backoff(RetryPolicy{10, milliseconds(100), milliseconds(1000), milliseconds(0)}, 1);
  EXPECT_EQ(backoff.ceiling(0), milliseconds(100));
  EXPECT_EQ(backoff.ceiling(1), milliseconds(200));
  EXPECT_EQ(backoff.ceiling(2), milliseconds(400));
  EXPECT_EQ(backoff.ceiling(3), milliseconds(800));
  EXPECT_EQ(backoff.ceiling(4), milliseconds(1000));
  EXPECT_EQ(backoff.ceiling(1000), milliseconds(1000));  // No overflow.
}

TEST(RetryTest, FullJitterStaysWithinCeilingAndSpreads) {
  Backoff backoff(RetryPolicy{10, milliseconds(100), milliseconds(1000), milliseconds(0)}, 7);
  for (int retry = 0; retry < 6; ++retry) {
    Clock::Duration lowest = backoff.ceiling(retry), highest(0);
    for (int i = 0; i < 200; ++i) {
      auto wait = backoff.next(retry);
      EXPECT_GE(wait.count(), 0);
      EXPECT_LE(wait, backoff.ceiling(retry));
      lowest = std::min(lowest, wait);
      highest = std::max(highest, wait);
    }
    // Full jitter: waits cover most of [0, ceiling], not a fixed value.
    EXPECT_LT(lowest, backoff.ceiling(retry) / 4) << "retry " << retry;
    EXPECT_GT(highest, backoff.ceiling(retry) * 3 / 4) << "retry " << retry;
  }
}

TEST(RetryTest, SameSeedSameSchedule) {
  RetryPolicy policy{5, milliseconds(50), milliseconds(800), milliseconds(0)};
  Backoff a(policy, 42), b(policy, 42);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next(i), b.next(i));
}

}  // namespace
}  // namespace ceph_planner::marathon
