#pragma once

// `FakeMetricSource`: a `MetricSource` whose counters the test sets. Counters can also rise at a
// set rate with `advance`, the way a served `ceph_rgw_req` grows under steady load. Every read is
// recorded; a failure can be injected for a number of reads. Thread-safe.

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/metric_source.h"

namespace ceph_planner::engine {

class FakeMetricSource final : public MetricSource {
 public:
  Result<std::vector<InstanceCounter>> read(const MetricQuery& query) override {
    std::lock_guard<std::mutex> lock(mu_);
    queries_.push_back(query);
    if (!failures_.empty()) {
      Error e = failures_.front();
      failures_.pop_front();
      return e;
    }
    std::vector<InstanceCounter> out;
    for (const auto& [instance, counter] : counters_) out.push_back({instance, counter.value});
    return out;
  }

  // Sets `instance`'s counter (a lower value than before looks like a restarted daemon).
  void setCounter(const std::string& instance, double value) {
    std::lock_guard<std::mutex> lock(mu_);
    counters_[instance].value = value;
  }
  // Makes `instance`'s counter grow by `perSecond` on each `advance`.
  void setRate(const std::string& instance, double perSecond) {
    std::lock_guard<std::mutex> lock(mu_);
    counters_[instance].perSecond = perSecond;
  }
  void remove(const std::string& instance) {
    std::lock_guard<std::mutex> lock(mu_);
    counters_.erase(instance);
  }
  void advance(Clock::Duration elapsed) {
    std::lock_guard<std::mutex> lock(mu_);
    const double s = std::chrono::duration<double>(elapsed).count();
    for (auto& [instance, counter] : counters_) counter.value += counter.perSecond * s;
  }
  // The next `times` reads fail with `error`.
  void failNext(int times, Error error) {
    std::lock_guard<std::mutex> lock(mu_);
    for (int i = 0; i < times; ++i) failures_.push_back(error);
  }
  std::vector<MetricQuery> queries() const {
    std::lock_guard<std::mutex> lock(mu_);
    return queries_;
  }

 private:
  struct Counter {
    double value = 0;
    double perSecond = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, Counter> counters_;
  std::deque<Error> failures_;
  std::vector<MetricQuery> queries_;
};

}  // namespace ceph_planner::engine
