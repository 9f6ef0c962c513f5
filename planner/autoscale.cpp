#include "planner/autoscale.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/strings.h"

namespace ceph_planner::planner {
namespace {

using Duration = AutoscaleDuration;

std::string seconds(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + "s";
}

std::string number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  return buf;
}

// The measured load of one evaluation.
struct Load {
  int measured = 0;  // Tasks with a rate.
  double total = 0;  // Requests per second over the measured tasks.
};

Load measure(const AutoscaleInput& in) {
  Load load;
  for (const InstanceLoad& t : in.tasks) {
    if (!t.requestsPerSecond) continue;
    ++load.measured;
    load.total += *t.requestsPerSecond;
  }
  return load;
}

// Instances the load asks for, before clamping. Inside the hysteresis band it is the current
// count, so that small wobbles around the target never start a window.
int wanted(const AutoscaleInput& in, const Load& load) {
  const AutoscaleParams& p = in.params;
  const double capacity = in.instances * p.target;
  if (in.instances > 0 && load.total >= capacity * (1 - p.tolerance) &&
      load.total <= capacity * (1 + p.tolerance)) {
    return in.instances;
  }
  // The small slack keeps an exact multiple of the target (400 req/s at 100) from rounding up
  // through floating-point noise.
  return static_cast<int>(std::ceil(load.total / p.target - 1e-9));
}

// Drops recommendations no window can need: keeps everything younger than the longest window plus
// the newest older one (the value in effect when that window opened).
void prune(AutoscaleHistory& h, Duration now, Duration longest) {
  auto& recs = h.recommendations;
  while (recs.size() >= 2 && recs[1].at <= now - longest) recs.pop_front();
}

// The recommendation that has held over the whole of `[now - window, now]`: the lowest (for a
// scale-up) or highest (for a scale-down) value in effect during it. nullopt when the history does
// not reach back to the window's start.
std::optional<int> heldOver(const AutoscaleHistory& h, Duration now, Duration window, bool lowest) {
  const auto& recs = h.recommendations;
  if (recs.empty() || recs.front().at > now - window) return std::nullopt;
  std::optional<int> held;
  for (size_t i = 0; i < recs.size(); ++i) {
    // Entry i is in effect from its time until the next entry's; skip those that ended before the
    // window opened.
    if (i + 1 < recs.size() && recs[i + 1].at <= now - window) continue;
    const int v = recs[i].instances;
    held = !held ? v : (lowest ? std::min(*held, v) : std::max(*held, v));
  }
  return held;
}

// Best victims first: failed health checks, then the least loaded (no rate counts as idle), then
// task id for a stable order.
std::vector<std::string> victims(const AutoscaleInput& in, int count) {
  std::vector<const InstanceLoad*> order;
  for (const InstanceLoad& t : in.tasks) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](const InstanceLoad* a, const InstanceLoad* b) {
    const bool aBad = a->healthy == false;
    const bool bBad = b->healthy == false;
    if (aBad != bBad) return aBad;
    const double aLoad = a->requestsPerSecond.value_or(0);
    const double bLoad = b->requestsPerSecond.value_or(0);
    if (aLoad != bLoad) return aLoad < bLoad;
    return a->taskId < b->taskId;
  });
  std::vector<std::string> ids;
  for (int i = 0; i < count && i < static_cast<int>(order.size()); ++i) {
    ids.push_back(order[i]->taskId);
  }
  return ids;
}

void scaleTo(const AutoscaleInput& in, AutoscaleDecision& d, int to, AutoscaleReason reason,
             AutoscaleHistory& h) {
  d.to = to;
  d.reason = reason;
  d.action = to > d.from ? AutoscaleAction::ScaleUp : AutoscaleAction::ScaleDown;
  h.lastChangeAt = in.now;
  // Kill chosen tasks only when every planned instance is running; otherwise the excess is still
  // waiting to launch and lowering `instances` removes it without touching a serving task.
  if (d.action == AutoscaleAction::ScaleDown && static_cast<int>(in.tasks.size()) >= d.from) {
    d.victimTaskIds = victims(in, d.from - to);
  }
}

}  // namespace

AutoscaleParams autoscaleParams(const topology::Autoscale& a) {
  AutoscaleParams p;
  p.min = a.min;
  p.max = a.max;
  p.target = a.target;
  p.tolerance = a.tolerance;
  p.upWindow = std::chrono::seconds(a.scaleUp.windowSeconds);
  p.upStep = a.scaleUp.step;
  p.downWindow = std::chrono::seconds(a.scaleDown.windowSeconds);
  p.downStep = a.scaleDown.step;
  p.cooldown = std::chrono::seconds(a.cooldownSeconds);
  return p;
}

std::string_view autoscaleActionName(AutoscaleAction action) {
  switch (action) {
    case AutoscaleAction::None:
      return "none";
    case AutoscaleAction::ScaleUp:
      return "scale_up";
    case AutoscaleAction::ScaleDown:
      return "scale_down";
  }
  return "none";
}

std::string_view autoscaleReasonName(AutoscaleReason reason) {
  switch (reason) {
    case AutoscaleReason::Steady:
      return "steady";
    case AutoscaleReason::Bounds:
      return "bounds";
    case AutoscaleReason::Capacity:
      return "capacity";
    case AutoscaleReason::Load:
      return "load";
    case AutoscaleReason::WindowPending:
      return "window_pending";
    case AutoscaleReason::Cooldown:
      return "cooldown";
    case AutoscaleReason::Deploying:
      return "deploying";
    case AutoscaleReason::MetricsUnavailable:
      return "metrics_unavailable";
    case AutoscaleReason::AtLimit:
      return "at_limit";
  }
  return "steady";
}

AutoscaleDecision decideAutoscale(const AutoscaleInput& in, AutoscaleHistory& h) {
  const AutoscaleParams& p = in.params;
  AutoscaleDecision d;
  d.service = in.service;
  d.appId = in.appId;
  d.from = d.to = in.instances;

  int unhealthy = 0;
  int healthy = 0;
  for (const InstanceLoad& t : in.tasks) {
    if (t.healthy == false) ++unhealthy;
    if (t.healthy == true) ++healthy;
  }
  // Planned instances minus failed ones: a task still starting (or queued) is expected capacity,
  // so it must not trigger another capacity scale-up while it comes up.
  const int alive = in.instances - unhealthy;

  const Load load = measure(in);
  const bool measurable = !in.metricsUnavailable && load.measured > 0;
  std::optional<int> want;
  std::optional<int> recommended;
  if (measurable) {
    want = wanted(in, load);
    recommended = std::clamp(*want, p.min, p.max);
    h.recommendations.push_back({in.now, *recommended});
    prune(h, in.now, std::max(p.upWindow, p.downWindow));
  } else {
    // Stale numbers must not complete a window later: start over once the load is known again.
    h.recommendations.clear();
  }
  const Duration cooldownLeft =
      h.lastChangeAt ? std::max(Duration(0), *h.lastChangeAt + p.cooldown - in.now) : Duration(0);

  std::string& s = d.inputs;
  s = "instances=" + std::to_string(in.instances) + " tasks=" + std::to_string(in.tasks.size()) +
      " healthy=" + std::to_string(healthy) + " unhealthy=" + std::to_string(unhealthy) +
      " min=" + std::to_string(p.min) + " max=" + std::to_string(p.max);
  if (measurable) {
    s += " measured=" + std::to_string(load.measured) + " load=" + number(load.total) +
         "req/s per_instance=" + number(load.total / load.measured) +
         " target=" + number(p.target) + " tolerance=" + number(p.tolerance * 100) + "%" +
         " wanted=" + std::to_string(*want) + " recommended=" + std::to_string(*recommended);
  } else {
    s += " load=unknown (" +
         (in.metricsUnavailable ? *in.metricsUnavailable : std::string("no task has a rate yet")) +
         ")";
  }
  s += " up_window=" + seconds(p.upWindow) + " down_window=" + seconds(p.downWindow) +
       " cooldown_left=" + seconds(cooldownLeft);
  if (in.deploymentInProgress) s += " deploying";

  if (in.deploymentInProgress) {
    d.reason = AutoscaleReason::Deploying;
    return d;
  }
  if (in.instances < p.min || in.instances > p.max) {
    scaleTo(in, d, std::clamp(in.instances, p.min, p.max), AutoscaleReason::Bounds, h);
    return d;
  }
  if (alive < p.min) {
    const int to = std::min(p.max, in.instances + (p.min - alive));
    if (to > in.instances) {
      scaleTo(in, d, to, AutoscaleReason::Capacity, h);
    } else {
      d.reason = AutoscaleReason::AtLimit;
    }
    return d;
  }
  if (!measurable) {
    d.reason = AutoscaleReason::MetricsUnavailable;
    return d;
  }
  if (*recommended == in.instances) {
    const bool limited =
        (*want > p.max && in.instances == p.max) || (*want < p.min && in.instances == p.min);
    d.reason = limited ? AutoscaleReason::AtLimit : AutoscaleReason::Steady;
    return d;
  }
  const bool up = *recommended > in.instances;
  const std::optional<int> held =
      heldOver(h, in.now, up ? p.upWindow : p.downWindow, /*lowest=*/up);
  if (!held || (up ? *held <= in.instances : *held >= in.instances)) {
    d.reason = AutoscaleReason::WindowPending;
    return d;
  }
  if (cooldownLeft > Duration(0)) {
    d.reason = AutoscaleReason::Cooldown;
    return d;
  }
  const int to =
      up ? std::min(*held, in.instances + p.upStep) : std::max(*held, in.instances - p.downStep);
  scaleTo(in, d, to, AutoscaleReason::Load, h);
  return d;
}

std::string describeDecision(const AutoscaleDecision& d) {
  std::string line = "rgw " + quoted(d.service) + ": " + std::string(autoscaleActionName(d.action));
  if (d.changes()) line += " " + std::to_string(d.from) + " -> " + std::to_string(d.to);
  line += " (" + std::string(autoscaleReasonName(d.reason)) + "): " + d.inputs;
  if (!d.victimTaskIds.empty()) line += " victims=" + joinStrings(d.victimTaskIds, ",");
  return line;
}

}  // namespace ceph_planner::planner
