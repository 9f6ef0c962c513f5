#pragma once

// Where the RGW autoscaler reads load from: a Prometheus text endpoint (the mgr's prometheus
// module, or any URL serving the same format). A `MetricSource` returns raw counter values per
// instance; turning successive readings into rates is `RateTracker`'s job, so a fake source only
// has to set counters.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace ceph_planner::engine {

struct MetricQuery {
  std::string url;     // e.g. `http://mgr.example:9283/metrics`.
  std::string metric;  // Counter name, e.g. `ceph_rgw_req`.
  // Label whose value names the instance: `host` or `host:port` (e.g. `instance`).
  std::string instanceLabel = "instance";
};

// One instance's counter. Several series with the same instance label value are summed.
struct InstanceCounter {
  std::string instance;  // The label value as served.
  double value = 0;
};

class MetricSource {
 public:
  virtual ~MetricSource() = default;

  // Reads `query.metric` from `query.url` once. Series without `query.instanceLabel` are
  // ignored; a metric absent from the page gives an empty list (not an error). Errors:
  // `Unavailable`/`Timeout` (the endpoint could not be read; retryable), `InvalidInput` (the page
  // is not Prometheus text, or a non-2xx status), each naming the URL. Read-only.
  virtual Result<std::vector<InstanceCounter>> read(const MetricQuery& query) = 0;
};

using MetricSourcePtr = std::unique_ptr<MetricSource>;

// The HTTP implementation (cpprest underneath, via marathon_client's transport). `timeout` bounds
// each read.
MetricSourcePtr makeHttpMetricSource(Clock::Duration timeout = std::chrono::seconds(5));

// Rates from successive counter readings, per key (the caller's choice, e.g. url + instance).
// A counter that went down was reset (a restarted daemon): the rate counts from zero, as
// Prometheus' `rate()` does. Not thread-safe.
class RateTracker {
 public:
  // Records `value` at `at` and returns the rate per second since the previous reading of `key`;
  // nullopt for the first reading or when no time has passed.
  std::optional<double> observe(const std::string& key, double value, Clock::Duration at);

  // Forgets keys not observed at or after `since` (instances that went away).
  void forgetOlderThan(Clock::Duration since);

 private:
  struct Reading {
    double value = 0;
    Clock::Duration at{0};
  };
  std::map<std::string, Reading> last_;
};

}  // namespace ceph_planner::engine
