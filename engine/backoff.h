#pragma once

// Named retry policies and a deterministic exponential backoff with jitter.
//
// A `Backoff` hands out the delay before the next attempt: `initial × multiplier^(n-1)`, capped at
// `max`, then shortened by a random fraction of at most `jitter` (so that several planners that
// failed together do not retry together). The random numbers come from a seeded generator, so a
// given seed always produces the same schedule (tests pin it; the daemon seeds from its pid).
// `reset()` after a success starts the schedule over.

#include <cstdint>
#include <random>
#include <string>

#include "common/clock.h"

namespace ceph_planner::engine {

struct BackoffPolicy {
  std::string name;         // For logs and metrics, e.g. `marathon-unavailable`.
  Clock::Duration initial;  // Delay before the first retry (before jitter).
  Clock::Duration max;      // Cap on the un-jittered delay.
  double multiplier = 2.0;  // Growth per attempt (>= 1).
  double jitter = 0.2;      // Fraction in [0, 1): the delay is scaled by U(1 - jitter, 1].
};

// Marathon or ZooKeeper did not answer (5xx, connection loss, timeouts): retry soon, back off to a
// few seconds so that an outage is not hammered.
inline const BackoffPolicy kRetryUnavailable{"unavailable", std::chrono::milliseconds(200),
                                             std::chrono::seconds(10), 2.0, 0.2};
// An app we must change is held by a deployment: Marathon will finish it by itself; look again in
// a while (deployment events also enqueue a pass, so this is only the safety net).
inline const BackoffPolicy kWaitForDeployment{"deployment-in-progress", std::chrono::seconds(2),
                                              std::chrono::seconds(30), 2.0, 0.1};
// A write was refused for a reason retrying does not fix by itself (422, permission, invalid
// stored topology): keep the daemon alive and re-check rarely, in case an operator fixes it.
inline const BackoffPolicy kRetryAfterPermanentError{"permanent-error", std::chrono::seconds(30),
                                                     std::chrono::minutes(5), 2.0, 0.1};

class Backoff {
 public:
  Backoff(BackoffPolicy policy, uint64_t seed);

  // The delay before the next attempt; advances the schedule.
  Clock::Duration next();
  // Back to the first delay (after a success).
  void reset() { attempt_ = 0; }
  // Delays handed out since the last reset.
  int attempts() const { return attempt_; }
  const BackoffPolicy& policy() const { return policy_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 rng_;
  int attempt_ = 0;
};

}  // namespace ceph_planner::engine
