#include "marathon_client/http_retry.h"

#include <algorithm>

namespace ceph_planner::marathon {

bool isIdempotentMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE";
}

Backoff::Backoff(RetryPolicy policy, uint64_t seed) : policy_(policy), rng_(seed) {}

Clock::Duration Backoff::ceiling(int retry) const {
  const auto cap = policy_.maxBackoff.count();
  auto wait = policy_.initialBackoff.count();
  // Doubling stops at the cap, so large retry numbers cannot overflow.
  for (int i = 0; i < retry && wait < cap; ++i) wait *= 2;
  return Clock::Duration(std::min(wait, cap));
}

Clock::Duration Backoff::next(int retry) {
  const auto top = ceiling(retry).count();
  if (top <= 0) return Clock::Duration(0);
  std::lock_guard lock(mu_);
  std::uniform_int_distribution<Clock::Duration::rep> dist(0, top);
  return Clock::Duration(dist(rng_));
}

}  // namespace ceph_planner::marathon
