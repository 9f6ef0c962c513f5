#pragma once

// Retry policy for Marathon calls: exponential backoff with full jitter (a random wait in
// [0, min(maxBackoff, initialBackoff * 2^retry)]), bounded by an attempt count and a time budget.
// Only idempotent methods are retried (GET, PUT of a full definition, DELETE; never POST/PATCH).
// Pure except for the random source, which is seeded so tests are deterministic.

#include <cstdint>
#include <mutex>
#include <random>
#include <string_view>

#include "common/clock.h"

namespace ceph_planner::marathon {

struct RetryPolicy {
  int maxAttempts = 5;  // Including the first; 1 = never retry.
  Clock::Duration initialBackoff{std::chrono::milliseconds(200)};
  Clock::Duration maxBackoff{std::chrono::seconds(5)};
  // Total time from the first attempt after which no further attempt starts (0 = no budget).
  Clock::Duration budget{std::chrono::seconds(30)};
};

// True for the HTTP methods the client may repeat: GET, HEAD, PUT, DELETE.
bool isIdempotentMethod(std::string_view method);

// The jittered wait before each retry. Thread-safe.
class Backoff {
 public:
  Backoff(RetryPolicy policy, uint64_t seed);

  // The upper bound of the wait before retry number `retry` (0 = the first retry).
  Clock::Duration ceiling(int retry) const;
  // A uniformly random wait in [0, ceiling(retry)].
  Clock::Duration next(int retry);

  const RetryPolicy& policy() const { return policy_; }

 private:
  RetryPolicy policy_;
  std::mutex mu_;
  std::mt19937_64 rng_;
};

}  // namespace ceph_planner::marathon
