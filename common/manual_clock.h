#pragma once

// A `Clock` that moves only when told: `sleepFor` advances it instead of blocking. For tests of
// anything that waits, backs off or measures windows.

#include <mutex>

#include "common/clock.h"

namespace ceph_planner {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint(Duration(1'700'000'000'000))) : now_(start) {}

  TimePoint now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  Duration monotonic() const override { return now().time_since_epoch(); }
  void sleepFor(Duration d) override { advance(d); }

  void advance(Duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_;
};

}  // namespace ceph_planner
