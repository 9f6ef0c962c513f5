#pragma once

// Time behind an interface so that backoff, deadlines and autoscaling windows are testable with a
// fake clock. The pure core never reads a clock: callers pass times in.

#include <chrono>
#include <memory>

namespace ceph_planner {

class Clock {
 public:
  using Duration = std::chrono::milliseconds;
  using TimePoint = std::chrono::time_point<std::chrono::system_clock, Duration>;

  virtual ~Clock() = default;

  // Wall-clock time (for timestamps shown to people and stored in history).
  virtual TimePoint now() const = 0;

  // Monotonic time for deadlines and intervals.
  virtual Duration monotonic() const = 0;

  // Blocks for `d` (a fake clock advances instead).
  virtual void sleepFor(Duration d) = 0;
};

using ClockPtr = std::shared_ptr<Clock>;

// The real clock.
ClockPtr systemClock();

}  // namespace ceph_planner
