#pragma once

// The result of diffing desired against observed state. `plan` prints it; `apply` executes it wave
// by wave. Actions are in a stable order: by wave (mon, mgr, osd, rgw), then by app id.

#include <memory>
#include <string>
#include <vector>

#include "planner/app_spec.h"
#include "planner/jobs_spec.h"

namespace ceph_planner::planner {

enum class ActionKind {
  Create,     // App missing in Marathon.
  Update,     // Owned fields differ (restarts the app's tasks in Marathon).
  Scale,      // Only `instances` differs (no restart).
  Delete,     // Owned app no longer wanted.
  Unchanged,  // Listed so that formats can show counts; never executed.
};
std::string_view actionKindName(ActionKind kind);

// Waves in apply order.
enum class Wave { Mon = 0, Mgr = 1, Osd = 2, Rgw = 3 };
Wave waveForRole(Role role);
std::string_view waveName(Wave wave);

struct FieldChange {
  std::string field;   // Dotted path: `cmd`, `container.docker.image`, `labels.ceph-planner/slot`.
  std::string before;  // Compact JSON of the observed value ("" when absent).
  std::string after;   // Compact JSON of the desired value ("" when absent).
};

// A value kept out of line, and only once set: reads of an empty box see a default T. A plan of
// 120,000 actions holds an AppSpec only for the few it creates, updates or scales, instead of
// 120,000 mostly empty ones inline (400 bytes each, built, read and freed per plan).
template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(const T& value) : value_(std::make_unique<T>(value)) {}        // NOLINT: a T.
  Boxed(T&& value) : value_(std::make_unique<T>(std::move(value))) {}  // NOLINT: a T.
  Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(Boxed other) noexcept {
    value_.swap(other.value_);
    return *this;
  }

  const T& operator*() const { return value_ ? *value_ : empty(); }
  const T* operator->() const { return &**this; }
  // The value to change (a default T is set first when the box is empty).
  T& mut() {
    if (!value_) value_ = std::make_unique<T>();
    return *value_;
  }

 private:
  static const T& empty() {
    static const T kEmpty;
    return kEmpty;
  }
  std::unique_ptr<T> value_;
};

// Who an app is, for the operator: read from its labels, whose storage these share (shared_text.h).
struct AppIdentityText {
  SharedText host;
  SharedText slot;
  SharedText device;
  SharedText dbDevice;
  SharedText osdGroup;
  SharedText failureDomain;
};

struct PlanAction : AppIdentityText {
  ActionKind kind = ActionKind::Unchanged;
  Role role = Role::Mon;
  Wave wave = Wave::Mon;
  std::string appId;
  // The identity shown to the operator (host, slot, device, ...) is the base AppIdentityText.
  std::vector<FieldChange> changes;  // Update only.
  int fromInstances = 0;             // Observed (0 for Create).
  int toInstances = 0;               // Desired (0 for Delete).
  std::string reason;                // Why, when not obvious (e.g. "clamped into [2,6]").
  Boxed<AppSpec> desired;            // Create/Update/Scale: the full app to submit.
};

// An app the planner must not touch (no ownership label, or another cluster's), found in the tree.
struct PlanConflict {
  std::string appId;
  std::string message;
};

struct PlanSummary {
  int toAdd = 0;
  int toChange = 0;  // Updates.
  int toScale = 0;
  int toDestroy = 0;
  int unchanged = 0;
};

struct Plan {
  std::string groupId;
  std::vector<PlanAction> actions;  // Stable order: wave, then app id.
  std::vector<PlanConflict> conflicts;
  PlanSummary summary;
  // The Chronos wave (after rgw); `jobs.planned` is false when no Chronos URL was given.
  JobsWave jobs;

  // Marathon changes or Chronos job changes (what `--detailed-exitcode` reports).
  bool hasChanges() const { return hasAppChanges() || jobs.hasChanges(); }
  bool hasAppChanges() const {
    return summary.toAdd + summary.toChange + summary.toScale + summary.toDestroy > 0;
  }
};

}  // namespace ceph_planner::planner
