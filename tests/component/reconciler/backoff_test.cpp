// The named backoff policies: exponential growth, the cap, jitter bounds, determinism per seed.

#include "engine/backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace ceph_planner::engine {
namespace {

using std::chrono::milliseconds;

struct ScheduleRow {
  int attempt;
  int64_t baseMs;  // Un-jittered delay.
};

TEST(BackoffTest, UnavailableScheduleDoublesToTheCapWithinJitter) {
  // kRetryUnavailable: 200 ms doubling, capped at 10 s, jitter 20 % (delay in (0.8·base, base]).
  const std::vector<ScheduleRow> table = {{1, 200},   {2, 400},   {3, 800},   {4, 1600},
                                          {5, 3200},  {6, 6400},  {7, 10000}, {8, 10000},
                                          {9, 10000}, {10, 10000}};
  for (uint64_t seed : {1u, 2u, 42u, 1000u}) {
    Backoff backoff(kRetryUnavailable, seed);
    for (const auto& row : table) {
      auto delay = backoff.next().count();
      EXPECT_LE(delay, row.baseMs) << "seed " << seed << " attempt " << row.attempt;
      EXPECT_GE(delay, row.baseMs * 8 / 10) << "seed " << seed << " attempt " << row.attempt;
      EXPECT_EQ(backoff.attempts(), row.attempt);
    }
  }
}

TEST(BackoffTest, WaitForDeploymentAndPermanentPolicies) {
  Backoff wait(kWaitForDeployment, 7);
  const std::vector<int64_t> waitBase = {2000, 4000, 8000, 16000, 30000, 30000};
  for (int64_t base : waitBase) {
    auto d = wait.next().count();
    EXPECT_LE(d, base);
    EXPECT_GE(d, base * 9 / 10);
  }
  Backoff permanent(kRetryAfterPermanentError, 7);
  const std::vector<int64_t> permanentBase = {30000, 60000, 120000, 240000, 300000, 300000};
  for (int64_t base : permanentBase) {
    auto d = permanent.next().count();
    EXPECT_LE(d, base);
    EXPECT_GE(d, base * 9 / 10);
  }
}

TEST(BackoffTest, SameSeedSameScheduleOtherSeedOtherJitter) {
  Backoff a(kRetryUnavailable, 99), b(kRetryUnavailable, 99), c(kRetryUnavailable, 100);
  std::vector<int64_t> sa, sb, sc;
  for (int i = 0; i < 8; ++i) {
    sa.push_back(a.next().count());
    sb.push_back(b.next().count());
    sc.push_back(c.next().count());
  }
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);
}

TEST(BackoffTest, ResetStartsOver) {
  Backoff backoff(kRetryUnavailable, 3);
  for (int i = 0; i < 5; ++i) (void)backoff.next();
  backoff.reset();
  EXPECT_EQ(backoff.attempts(), 0);
  auto first = backoff.next().count();
  EXPECT_LE(first, 200);
  EXPECT_GE(first, 160);
}

TEST(BackoffTest, NoJitterIsExact) {
  BackoffPolicy exact{"exact", milliseconds(100), milliseconds(1000), 3.0, 0.0};
  Backoff backoff(exact, 1);
  std::vector<int64_t> got;
  for (int i = 0; i < 4; ++i) got.push_back(backoff.next().count());
  EXPECT_EQ(got, (std::vector<int64_t>{100, 300, 900, 1000}));
}

}  // namespace
}  // namespace ceph_planner::engine
