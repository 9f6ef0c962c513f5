#pragma once

// The RGW autoscaling policy (DESIGN.md §6), as a pure function: observed load per instance and the
// service's `autoscale` settings in, a decision out. No clock, no I/O: the caller passes the time
// and keeps the per-service `AutoscaleHistory` between calls. engine/rgw_autoscaler.h feeds it
// with metrics and acts on Marathon.
//
// The rules, in the order they are applied (docs/autoscale.md has the worked table):
// 1. a deployment in progress on the app: wait (the recommendation is still recorded);
// 2. bounds: an app whose `instances` is outside [min, max] is clamped at once;
// 3. capacity: when fewer than `min` instances are alive (planned minus unhealthy), scale up to
//    restore capacity regardless of load and cooldown;
// 4. load: desired = ceil(total req/s / target), kept at the current count while the load per
//    instance stays within `target × (1 ± tolerance)` (hysteresis), clamped to [min, max];
// 5. windows: a scale-up needs every recommendation of the last `scale_up.window` above the
//    current count and goes to the lowest of them; a scale-down needs every recommendation of the
//    (longer) `scale_down.window` below it and goes to the highest; a window only counts once the
//    history covers it;
// 6. cooldown: no load-driven change within `cooldown` of the previous change;
// 7. steps: at most `scale_up.step` / `scale_down.step` instances per change.
// Scale-down victims: unhealthy tasks first, then the least loaded (ties by task id).

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "topology/model.h"

namespace ceph_planner::planner {

// Monotonic milliseconds, the same unit as `Clock::Duration` (common/clock.h), which the pure core
// must not include: the caller reads its clock and passes plain durations in.
using AutoscaleDuration = std::chrono::milliseconds;

// The policy's knobs, in plain numbers (from `topology::Autoscale`).
struct AutoscaleParams {
  int min = 1;
  int max = 1;
  double target = 0;       // Requests per second per instance; > 0.
  double tolerance = 0.1;  // Hysteresis band around `target`, as a fraction.
  AutoscaleDuration upWindow{std::chrono::minutes(3)};
  int upStep = 1;
  AutoscaleDuration downWindow{std::chrono::minutes(15)};
  int downStep = 1;
  AutoscaleDuration cooldown{std::chrono::minutes(10)};
};

AutoscaleParams autoscaleParams(const topology::Autoscale& autoscale);

// One running task of the app, with its measured load.
struct InstanceLoad {
  std::string taskId;
  std::string host;
  // Marathon's health result; nullopt while the task has none yet (starting), which counts as
  // alive: only a failed check makes a task unhealthy.
  std::optional<bool> healthy;
  // Requests per second; nullopt when the metric source had no rate for this task.
  std::optional<double> requestsPerSecond;
};

struct AutoscaleInput {
  std::string service;  // `service_id`.
  std::string appId;
  AutoscaleParams params;
  int instances = 0;  // The app's `instances` as observed.
  std::vector<InstanceLoad> tasks;
  bool deploymentInProgress = false;
  // Set when the load could not be measured (metric source failed, or no task has a rate yet);
  // the text says why. Load-driven scaling then waits and the windows start over.
  std::optional<std::string> metricsUnavailable;
  AutoscaleDuration now{0};  // Monotonic time of this evaluation.
};

// Remembered per service between evaluations; start with a default-constructed one.
struct AutoscaleHistory {
  struct Recommendation {
    AutoscaleDuration at{0};
    int instances = 0;
  };
  std::deque<Recommendation> recommendations;  // Oldest first.
  std::optional<AutoscaleDuration> lastChangeAt;
};

enum class AutoscaleAction { None, ScaleUp, ScaleDown };
std::string_view autoscaleActionName(AutoscaleAction action);  // none, scale_up, scale_down

// Why the policy chose what it chose. Stable names (logs and the daemon's /metrics use them).
enum class AutoscaleReason {
  Steady,              // Load within the band or no change recommended.
  Bounds,              // `instances` was outside [min, max].
  Capacity,            // Fewer than `min` alive instances.
  Load,                // A recommendation held for its whole window.
  WindowPending,       // A change is recommended but has not held for its window yet.
  Cooldown,            // A change is due but the previous one was too recent.
  Deploying,           // A deployment holds the app.
  MetricsUnavailable,  // No load measurement.
  AtLimit,             // A change is needed but min/max forbids it.
};
std::string_view autoscaleReasonName(AutoscaleReason reason);  // e.g. `window_pending`

struct AutoscaleDecision {
  std::string service;
  std::string appId;
  AutoscaleAction action = AutoscaleAction::None;
  int from = 0;
  int to = 0;
  AutoscaleReason reason = AutoscaleReason::Steady;
  // Every input the decision rests on, as one human-readable line, e.g.
  // `instances=2 healthy=2 unhealthy=0 load=412.0 req/s target=100 recommended=5 up_window=3m0s
  // held=3m0s cooldown_left=0s`. Logged as is.
  std::string inputs;
  // Scale-down only: the tasks to kill with `scale=true`, best victim first. Empty for a
  // scale-down means "lower `instances`" (the excess is not running, e.g. still queued).
  std::vector<std::string> victimTaskIds;

  bool changes() const { return action != AutoscaleAction::None; }
};

// Decides for one service. Updates `history` (records the recommendation, prunes what no window
// can need any more, and sets `lastChangeAt` when the decision changes `instances`). Pure and
// deterministic.
AutoscaleDecision decideAutoscale(const AutoscaleInput& input, AutoscaleHistory& history);

// `decision` as one log line: `rgw 'gw': scale_up 2 -> 3 (load): <inputs>`.
std::string describeDecision(const AutoscaleDecision& decision);

}  // namespace ceph_planner::planner
