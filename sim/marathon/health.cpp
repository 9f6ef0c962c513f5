#include "sim/marathon/health.h"

#include <algorithm>

namespace ceph_planner::marathon_sim {

namespace {
Millis seconds(double s) {
  return Millis(static_cast<int64_t>(s * 1000));
}
}  // namespace

HealthUpdate applyHealthOutcome(const HealthCheckSpec& spec, HealthResult& r, CheckOutcome outcome,
                                const std::string& cause, TimePoint now, TimePoint runningSince) {
  HealthUpdate u;
  if (outcome == CheckOutcome::Ignored) return u;
  if (outcome == CheckOutcome::Healthy) {
    if (!r.firstSuccess) r.firstSuccess = now;
    r.lastSuccess = now;
    r.consecutiveFailures = 0;
    u.recorded = true;
    return u;
  }
  bool inGrace = !r.firstSuccess && now < runningSince + seconds(spec.gracePeriodSeconds);
  if (inGrace) return u;
  if (spec.mesosLevel()) {
    r.consecutiveFailures++;
    r.lastFailure = now;
    r.lastFailureCause = cause;
    u.recorded = true;
    u.kill = r.consecutiveFailures >= std::max(1, spec.maxConsecutiveFailures);
    return u;
  }
  u.kill = spec.maxConsecutiveFailures > 0 && r.consecutiveFailures >= spec.maxConsecutiveFailures;
  r.consecutiveFailures++;
  r.lastFailure = now;
  r.lastFailureCause = cause;
  u.recorded = true;
  return u;
}

TimePoint firstCheckAt(const HealthCheckSpec& spec, TimePoint runningSince) {
  if (spec.mesosLevel()) return runningSince + seconds(spec.delaySeconds);
  return runningSince;
}

double launchDelaySeconds(const AppParams& app, double previousDelay) {
  if (previousDelay <= 0) return std::min(app.backoffSeconds, app.maxLaunchDelaySeconds);
  return std::min(previousDelay * app.backoffFactor, app.maxLaunchDelaySeconds);
}

}  // namespace ceph_planner::marathon_sim
