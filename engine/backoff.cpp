#include "engine/backoff.h"

#include <algorithm>
#include <cmath>

namespace ceph_planner::engine {

Backoff::Backoff(BackoffPolicy policy, uint64_t seed) : policy_(std::move(policy)), rng_(seed) {}

Clock::Duration Backoff::next() {
  double base = static_cast<double>(policy_.initial.count()) *
                std::pow(std::max(1.0, policy_.multiplier), attempt_);
  base = std::min(base, static_cast<double>(policy_.max.count()));
  ++attempt_;
  // A uniform draw in [0, 1) from the raw generator output (53 bits), identical on every platform,
  // unlike std::uniform_real_distribution whose algorithm is implementation-defined.
  double u = static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0);
  double scaled = base * (1.0 - policy_.jitter * u);
  return Clock::Duration(static_cast<int64_t>(std::llround(scaled)));
}

}  // namespace ceph_planner::engine
