#pragma once

// `RgwAutoscaler`: the only writer of RGW apps' `instances` (DESIGN.md §4, §6). Once per daemon
// pass (leader only) `tick` reads each autoscaled service's load from its metric source, consults
// the pure policy (planner/autoscale.h) and acts on Marathon: a scale-up with `scaleApp`, a
// scale-down by killing the chosen victim tasks with `scale=true` (or `scaleApp` when the excess
// instances are not running). It keeps per-service windows and cooldowns in memory: a new leader
// starts with empty windows, so it waits a full window before its first load-driven change (safe:
// it can only delay scaling, never cause a flap).
//
// Instances are matched to tasks by the metric's instance label: `host:port` matches the task on
// that host listening on that port, `host` alone the task on that host.
//
// Depends only on interfaces (MarathonApi, MetricSource, Clock).

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "engine/metric_source.h"
#include "marathon_client/marathon_api.h"
#include "planner/app_spec.h"
#include "planner/autoscale.h"
#include "topology/model.h"

namespace ceph_planner::engine {

struct RgwAutoscalerOptions {
  // Default endpoint; a service's `autoscale.metric_url` overrides it. Empty and no override: that
  // service's load is unavailable (only bounds and capacity rules act).
  std::string metricsUrl;
  std::string metric = "ceph_rgw_req";  // A counter of requests.
  std::string instanceLabel = "instance";
  // Pass Marathon `force=true` on scale calls (never needed normally: a locked app waits).
  bool force = false;
};

class RgwAutoscaler {
 public:
  // The references must outlive the autoscaler.
  RgwAutoscaler(marathon::MarathonApi& marathon, MetricSource& metrics, const Clock& clock,
                RgwAutoscalerOptions options);

  // Evaluates every RGW service of `topology` that has `autoscale`, against `observed` (the
  // cluster group as just read by the caller), and acts on the decisions that change `instances`.
  // Returns exactly those decisions (an empty vector on a steady pass). Services whose app is not
  // observed yet are skipped (apply creates it). Metric failures are not errors: they show up as
  // `MetricsUnavailable` in `lastEvaluations()`. Errors: the failed Marathon call's error, with the
  // decision as context; the services after it are left for the next tick, and the changes made
  // before it are still listed in `lastEvaluations()` (every entry there but the last that
  // `changes()` was carried out). Not thread-safe: call from the daemon's pass thread.
  Result<std::vector<planner::AutoscaleDecision>> tick(const topology::Topology& topology,
                                                       const planner::ObservedState& observed);

  // Every service's decision from the latest `tick`, acting or not (for /status and debugging).
  const std::vector<planner::AutoscaleDecision>& lastEvaluations() const { return evaluations_; }

  // Tells the autoscaler someone else changed `appId`'s instances (the daemon's `/flexup`):
  // restarts its cooldown so that load-driven scaling does not undo the change at once.
  void noteExternalScale(const std::string& appId);

 private:
  struct Loads {
    std::vector<planner::InstanceLoad> tasks;
    std::optional<std::string> unavailable;
  };

  // Rates per instance label value from one endpoint, read once per tick however many services
  // share it (a second read in the same tick would see no time pass and give no rates).
  struct EndpointRates {
    std::optional<std::string> error;
    std::vector<std::pair<std::string, double>> rates;
  };

  const EndpointRates& ratesFrom(const std::string& url, Clock::Duration now);
  Loads measure(const topology::RgwService& rgw, const planner::ObservedApp& app,
                Clock::Duration now);
  Status act(const planner::AutoscaleDecision& decision);

  marathon::MarathonApi& marathon_;
  MetricSource& metrics_;
  const Clock& clock_;
  RgwAutoscalerOptions options_;
  std::map<std::string, planner::AutoscaleHistory> history_;  // By app id.
  RateTracker rates_;
  std::map<std::string, EndpointRates> tickRates_;  // By url; cleared at the start of each tick.
  std::vector<planner::AutoscaleDecision> evaluations_;
};

}  // namespace ceph_planner::engine
