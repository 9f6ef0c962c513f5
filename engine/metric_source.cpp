#include "engine/metric_source.h"

namespace ceph_planner::engine {

std::optional<double> RateTracker::observe(const std::string& key, double value,
                                           Clock::Duration at) {
  auto it = last_.find(key);
  if (it == last_.end()) {
    last_.emplace(key, Reading{value, at});
    return std::nullopt;
  }
  const Reading previous = it->second;
  it->second = Reading{value, at};
  if (at <= previous.at) return std::nullopt;
  // A counter only goes down when its daemon restarted and counted from zero again.
  const double increase = value >= previous.value ? value - previous.value : value;
  const double elapsed = std::chrono::duration<double>(at - previous.at).count();
  return increase / elapsed;
}

void RateTracker::forgetOlderThan(Clock::Duration since) {
  std::erase_if(last_, [&](const auto& entry) { return entry.second.at < since; });
}

}  // namespace ceph_planner::engine
