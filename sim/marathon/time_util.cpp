#include "sim/marathon/time_util.h"

#include <cstdio>
#include <ctime>
#include <thread>

namespace ceph_planner::marathon_sim {

namespace {

class ScaledClock final : public Clock {
 public:
  explicit ScaledClock(double scale)
      : scale_(scale),
        wallStart_(systemClock()->now()),
        realStart_(std::chrono::steady_clock::now()) {}
  TimePoint now() const override { return wallStart_ + elapsed(); }
  Duration monotonic() const override { return wallStart_.time_since_epoch() + elapsed(); }
  void sleepFor(Duration d) override {
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(d.count() / scale_));
  }

 private:
  Duration elapsed() const {
    auto real =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - realStart_);
    return Duration(static_cast<int64_t>(real.count() * scale_));
  }
  double scale_;
  TimePoint wallStart_;
  std::chrono::steady_clock::time_point realStart_;
};

}  // namespace

ClockPtr makeScaledClock(double scale) {
  if (scale <= 0) scale = 1;
  return std::make_shared<ScaledClock>(scale);
}

std::string isoTimestamp(Clock::TimePoint t) {
  int64_t ms = t.time_since_epoch().count();
  time_t secs = static_cast<time_t>(ms / 1000);
  int frac = static_cast<int>(ms % 1000);
  if (frac < 0) {
    frac += 1000;
    secs -= 1;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

Result<Clock::TimePoint> parseIsoTimestamp(const std::string& s) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7) {
    return makeError(ErrorCode::InvalidInput, "not a timestamp: '" + s + "'");
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  time_t secs = timegm(&tm);
  return Clock::TimePoint(Clock::Duration(static_cast<int64_t>(secs) * 1000 + ms));
}

}  // namespace ceph_planner::marathon_sim
