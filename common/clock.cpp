#include "common/clock.h"

#include <thread>

namespace ceph_planner {
namespace {

class SystemClock final : public Clock {
 public:
  TimePoint now() const override {
    return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  }
  Duration monotonic() const override {
    return std::chrono::duration_cast<Duration>(
        std::chrono::steady_clock::now().time_since_epoch());
  }
  void sleepFor(Duration d) override { std::this_thread::sleep_for(d); }
};

}  // namespace

ClockPtr systemClock() {
  static ClockPtr clock = std::make_shared<SystemClock>();
  return clock;
}

}  // namespace ceph_planner
