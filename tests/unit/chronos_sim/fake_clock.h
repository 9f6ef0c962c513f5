#pragma once

// A clock the test moves by hand.

#include <memory>

#include "common/clock.h"

namespace ceph_planner::chronos_sim::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t epochMillis) : now_(epochMillis) {}
  TimePoint now() const override { return TimePoint(Duration(now_)); }
  Duration monotonic() const override { return Duration(now_); }
  void sleepFor(Duration d) override { now_ += d.count(); }
  void set(int64_t epochMillis) { now_ = epochMillis; }
  void advance(int64_t millis) { now_ += millis; }
  int64_t millis() const { return now_; }

 private:
  int64_t now_;
};

}  // namespace ceph_planner::chronos_sim::testing
