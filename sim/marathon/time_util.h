#pragma once

// Clocks for the simulator (scaled real time, manual time for tests) and Marathon timestamps.

#include <atomic>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/result.h"

namespace ceph_planner::marathon_sim {

// Real time sped up by `scale`: simulated time starts at the real time of construction and then
// advances `scale` times faster. `--time-scale 10` turns a 60 s health interval into 6 s.
ClockPtr makeScaledClock(double scale);

// A clock that moves only when told (unit tests).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint now() const override {
    std::lock_guard<std::mutex> l(mu_);
    return now_;
  }
  Duration monotonic() const override { return now().time_since_epoch(); }
  void sleepFor(Duration d) override { advance(d); }
  void advance(Duration d) {
    std::lock_guard<std::mutex> l(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_;
};

// `2015-09-29T15:59:51.164Z`.
std::string isoTimestamp(Clock::TimePoint t);
// Inverse of `isoTimestamp` (only that exact format).
Result<Clock::TimePoint> parseIsoTimestamp(const std::string& s);

}  // namespace ceph_planner::marathon_sim
