// DesiredState × ObservedState → Plan (see diff.h for the rules).
//
// Performance contract (bench/: 120,000 OSD apps): both sides are merge-joined in id order, an app
// is first compared with `AppSpec ==` and only on inequality with the owned-field comparison; the
// FieldChange list (which encodes both apps to JSON) is built only for real updates, and Unchanged
// actions carry no AppSpec copy.

#include "planner/diff.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

#include "planner/app_json.h"

namespace ceph_planner::planner {
namespace {

constexpr std::string_view kLabelPrefix = "ceph-planner/";

std::optional<Role> roleFromName(std::string_view name) {
  if (name == "mon") return Role::Mon;
  if (name == "mgr") return Role::Mgr;
  if (name == "osd") return Role::Osd;
  if (name == "rgw") return Role::Rgw;
  return std::nullopt;
}

// `min=2,max=6` → (2, 6); false when malformed.
bool parseAutoscale(std::string_view text, int& min, int& max) {
  auto number = [](std::string_view part, std::string_view key, int& out) {
    if (part.substr(0, key.size()) != key) return false;
    part.remove_prefix(key.size());
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && ptr == part.data() + part.size() && out >= 0;
  };
  auto comma = text.find(',');
  if (comma == std::string_view::npos) return false;
  return number(text.substr(0, comma), "min=", min) &&
         number(text.substr(comma + 1), "max=", max) && min <= max;
}

// The role for waves when the role label is missing: the group segment after `groupId`
// (`/ceph/box/osd/...` → osd); apps of unknown kind go last (RGW wave).
Role fallbackRole(const std::string& appId, const std::string& groupId) {
  std::string_view rest = appId;
  if (rest.substr(0, groupId.size()) == groupId && rest.size() > groupId.size() &&
      rest[groupId.size()] == '/') {
    rest.remove_prefix(groupId.size() + 1);
    auto role = roleFromName(rest.substr(0, rest.find('/')));
    if (role) return *role;
  }
  return Role::Rgw;
}

bool isOwned(const AppSpec& app, const std::string& cluster) {
  const SharedText* managed = findKeyValue(app.labels, kLabelManaged);
  const SharedText* owner = findKeyValue(app.labels, kLabelCluster);
  return managed && *managed == "true" && owner && *owner == cluster;
}

std::string conflictMessage(const AppSpec& app, bool alsoDesired) {
  const SharedText* managed = findKeyValue(app.labels, kLabelManaged);
  const SharedText* owner = findKeyValue(app.labels, kLabelCluster);
  std::string message;
  if (!managed || *managed != "true") {
    message = std::string("not managed by ceph-planner (no label ") + kLabelManaged + "=true)";
  } else {
    message = "managed for cluster '" + (owner ? owner->str() : std::string()) + "', not this one";
  }
  message += alsoDesired ? "; the topology wants this id, so it cannot be created or updated"
                         : "; left untouched";
  return message;
}

// The identity of an app for its action: labels when they name a role, else the path (no labels).
// The values share the labels' storage and are moved into the action.
// `fromLabels` tells which (the autoscale bounds are only read from labels).
IdentityView identityOf(const AppSpec& app, const std::string& groupId, bool& fromLabels) {
  std::optional<IdentityView> id = identityViewFromLabels(app);
  fromLabels = id.has_value();
  if (id) return std::move(*id);
  IdentityView fallback;
  fallback.role = fallbackRole(app.id, groupId);
  return fallback;
}

// `action` is fresh; the identity's values are moved in (shared, never copied character by
// character: this runs for every app of every plan).
void fillIdentity(PlanAction& action, const AppSpec& app, IdentityView&& id) {
  action.role = id.role;
  action.wave = waveForRole(id.role);
  static_cast<AppIdentityText&>(action) = std::move(static_cast<AppIdentityText&>(id));
  action.appId = app.id;
}

// Owned-field equality: AppSpec == except `instances`, the topology-version label, and observed
// ports that Marathon assigned for a desired `port: 0`.
bool portsEquivalent(const std::vector<PortDefinition>& desired,
                     const std::vector<PortDefinition>& observed) {
  if (desired.size() != observed.size()) return false;
  for (std::size_t i = 0; i < desired.size(); ++i) {
    const PortDefinition& d = desired[i];
    const PortDefinition& o = observed[i];
    if (d.protocol != o.protocol || d.name != o.name) return false;
    if (d.port != 0 && d.port != o.port) return false;
  }
  return true;
}

// Two label values: slices at the same offset of two values blocks already found byte-identical
// (the apps' cmds compared them, TemplateText::Values::SameScope) are equal without reading them.
bool labelValuesEqual(const SharedText& d, const SharedText& o) {
  if (d.size() != o.size()) return false;
  if (d.owner() != nullptr && TemplateText::Values::SameScope::known(d.owner(), o.owner()) &&
      d.data() - static_cast<const char*>(d.owner()) ==
          o.data() - static_cast<const char*>(o.owner())) {
    return true;
  }
  return d == o;
}

bool labelsEquivalent(const Labels& desired, const Labels& observed) {
  auto skip = [](const Labels& kv, std::size_t i) {
    return i < kv.size() && kv[i].first == kLabelTopologyVersion;
  };
  std::size_t i = 0;
  std::size_t j = 0;
  while (true) {
    if (skip(desired, i)) ++i;
    if (skip(observed, j)) ++j;
    if (i == desired.size() || j == observed.size()) {
      return i == desired.size() && j == observed.size();
    }
    if (desired[i].first != observed[j].first ||
        !labelValuesEqual(desired[i].second, observed[j].second)) {
      return false;
    }
    ++i;
    ++j;
  }
}

// Remembers, per shared field, the last pair of payloads found equal. Rendered apps share their
// container and per-host constraints (shared_value.h), and so does an observed state kept from an
// earlier render, so one deep comparison per payload pair replaces one per app. Payloads are
// immutable while the diff reads the (const) states, so a remembered pair stays equal.
class SharedEqualityMemo {
 public:
  template <typename Holder>
  bool equal(const Holder& a, const Holder& b, std::size_t field) {
    const void* pa = a.payload();
    const void* pb = b.payload();
    if (pa == pb) return true;
    auto& last = last_[field];
    if (last.first == pa && last.second == pb && pa != nullptr) return true;
    if (!(a == b)) return false;
    last = {pa, pb};
    return true;
  }

 private:
  std::array<std::pair<const void*, const void*>, 4> last_{};
};

bool ownedFieldsEqual(const AppSpec& d, const AppSpec& o, SharedEqualityMemo& memo) {
  // Keep in step with AppSpec: every member except id, instances (scale), labels and ports
  // (compared with their rules below). diff_test's field-by-field test catches a missed member.
  // The cmd goes first: it reads most of the instance's values, and once those are found equal
  // the other texts and labels of the two apps compare without reading them (labelValuesEqual).
  return d.cmd == o.cmd && d.args == o.args && d.user == o.user && d.cpus == o.cpus &&
         d.mem == o.mem && d.disk == o.disk && memo.equal(d.constraints, o.constraints, 0) &&
         memo.equal(d.container, o.container, 1) && d.env == o.env &&
         memo.equal(d.fetch, o.fetch, 2) && d.requirePorts == o.requirePorts &&
         memo.equal(d.healthChecks, o.healthChecks, 3) && d.upgradeStrategy == o.upgradeStrategy &&
         d.unreachableStrategy == o.unreachableStrategy && d.killSelection == o.killSelection &&
         d.taskKillGracePeriodSeconds == o.taskKillGracePeriodSeconds &&
         d.backoffSeconds == o.backoffSeconds && d.backoffFactor == o.backoffFactor &&
         d.maxLaunchDelaySeconds == o.maxLaunchDelaySeconds && d.dependencies == o.dependencies &&
         labelsEquivalent(d.labels, o.labels) &&
         portsEquivalent(d.portDefinitions, o.portDefinitions);
}

bool ownedFieldsEqual(const AppSpec& d, const AppSpec& o) {
  SharedEqualityMemo memo;
  return ownedFieldsEqual(d, o, memo);
}

// The instance count to submit for an app present on both sides (diff.h's RGW rule). `identity`,
// when read from the desired app's labels, already holds the parsed autoscale bounds.
int targetInstances(const AppSpec& desired, const IdentityView* identity, int observed,
                    std::string& reason) {
  int min = -1;
  int max = -1;
  if (identity) {
    min = identity->minInstances;
    max = identity->maxInstances;
  } else if (const SharedText* bounds = findKeyValue(desired.labels, kLabelAutoscale)) {
    if (!parseAutoscale(*bounds, min, max)) min = max = -1;
  }
  if (min < 0 || max < 0) return desired.instances;
  if (observed >= min && observed <= max) return observed;
  int clamped = std::clamp(observed, min, max);
  reason = "instances " + std::to_string(observed) + " clamped into [" + std::to_string(min) + "," +
           std::to_string(max) + "]";
  return clamped;
}

// One matched id. Phase 1 (merge-join) compares the pair and records the outcome, so that each
// observed app is read once, while it is in cache; phase 2 builds the actions in place, wave by
// wave, so that no PlanAction is ever moved (they are large) and Unchanged ones copy no AppSpec.
struct Step {
  const AppSpec* desired = nullptr;
  const ObservedApp* observed = nullptr;
  IdentityView identity;  // Read once, copied into the action.
  bool identityFromLabels = false;
  ActionKind kind = ActionKind::Unchanged;
  int fromInstances = 0;
  int toInstances = 0;
  std::string reason;
  std::vector<FieldChange> changes;
};

class Differ {
 public:
  Differ(const DesiredState& desired, const DiffOptions& options)
      : groupId_(desired.groupId), options_(options) {}

  void reserve(std::size_t n) { steps_.reserve(n); }

  void add(const AppSpec* desired, const ObservedApp* observed) {
    if (observed && !isOwned(observed->spec, options_.clusterName)) {
      conflicts_.push_back(
          PlanConflict{observed->spec.id, conflictMessage(observed->spec, desired != nullptr)});
      return;
    }
    const AppSpec& app = desired ? *desired : observed->spec;
    Step& step = steps_.emplace_back();
    step.desired = desired;
    step.observed = observed;
    step.identity = identityOf(app, groupId_, step.identityFromLabels);
    ++perWave_[static_cast<int>(waveForRole(step.identity.role))];
    if (!observed) {
      step.kind = ActionKind::Create;
      step.toInstances = desired->instances;
      ++summary_.toAdd;
    } else if (!desired) {
      step.kind = ActionKind::Delete;
      step.fromInstances = observed->spec.instances;
      ++summary_.toDestroy;
    } else {
      compare(*desired, observed->spec, step);
    }
  }

  Plan finish() {
    Plan plan;
    plan.groupId = groupId_;
    plan.actions.reserve(steps_.size());
    for (int wave = 0; wave < 4; ++wave) {
      if (perWave_[wave] == 0) continue;
      for (Step& step : steps_) {
        if (static_cast<int>(waveForRole(step.identity.role)) != wave) continue;
        PlanAction& action = plan.actions.emplace_back();
        fillIdentity(action, step.desired ? *step.desired : step.observed->spec,
                     std::move(step.identity));
        action.kind = step.kind;
        action.fromInstances = step.fromInstances;
        action.toInstances = step.toInstances;
        action.reason = std::move(step.reason);
        action.changes = std::move(step.changes);
        if (step.kind == ActionKind::Create || step.kind == ActionKind::Update ||
            step.kind == ActionKind::Scale) {
          AppSpec& app = action.desired.mut();
          app = *step.desired;
          app.instances = step.toInstances;
        }
      }
    }
    plan.conflicts = std::move(conflicts_);
    plan.summary = summary_;
    return plan;
  }

 private:
  void compare(const AppSpec& desired, const AppSpec& current, Step& step) {
    step.fromInstances = current.instances;
    // Owned fields cover everything but the count, the topology-version label and the ports
    // Marathon assigned, so no second, exact comparison is needed: the count decides the rest.
    const bool owned = ownedFieldsEqual(desired, current, memo_);
    int target = targetInstances(desired, step.identityFromLabels ? &step.identity : nullptr,
                                 current.instances, step.reason);
    step.toInstances = target;
    if (!owned) {
      step.kind = ActionKind::Update;
      step.changes = compareApps(desired, current);
      ++summary_.toChange;
    } else if (target != current.instances) {
      step.kind = ActionKind::Scale;
      ++summary_.toScale;
    } else {
      step.kind = ActionKind::Unchanged;
      ++summary_.unchanged;
    }
  }

  const std::string& groupId_;
  const DiffOptions& options_;
  std::vector<Step> steps_;  // In id order.
  std::array<std::size_t, 4> perWave_{};
  std::vector<PlanConflict> conflicts_;
  PlanSummary summary_;
  SharedEqualityMemo memo_;
};

template <typename T, typename IdOf>
std::vector<const T*> sortedById(const std::vector<T>& items, IdOf idOf) {
  std::vector<const T*> out;
  out.reserve(items.size());
  for (const T& item : items) out.push_back(&item);
  if (!std::is_sorted(out.begin(), out.end(),
                      [&](const T* a, const T* b) { return idOf(*a) < idOf(*b); })) {
    std::stable_sort(out.begin(), out.end(),
                     [&](const T* a, const T* b) { return idOf(*a) < idOf(*b); });
  }
  return out;
}

}  // namespace

std::optional<AppIdentity> identityFromLabels(const AppSpec& app) {
  std::optional<IdentityView> view = identityViewFromLabels(app);
  if (!view) return std::nullopt;
  AppIdentity id;
  id.role = view->role;
  id.host = view->host.str();
  id.slot = view->slot.str();
  id.device = view->device.str();
  id.dbDevice = view->dbDevice.str();
  id.osdGroup = view->osdGroup.str();
  id.failureDomain = view->failureDomain.str();
  id.minInstances = view->minInstances;
  id.maxInstances = view->maxInstances;
  return id;
}

std::optional<IdentityView> identityViewFromLabels(const AppSpec& app) {
  IdentityView id;
  bool haveRole = false;
  // One pass over the labels; only `ceph-planner/<name>` keys matter. Dispatch on the name's first
  // character so that each label costs one comparison (this runs for every app in every plan).
  for (const auto& [key, value] : app.labels) {
    std::string_view k = key;
    if (k.size() <= kLabelPrefix.size() || k.compare(0, kLabelPrefix.size(), kLabelPrefix) != 0) {
      continue;
    }
    switch (k[kLabelPrefix.size()]) {
      case 'r':
        if (k == kLabelRole) {
          auto role = roleFromName(value);
          if (!role) return std::nullopt;
          id.role = *role;
          haveRole = true;
        }
        break;
      case 'h':
        if (k == kLabelHost) id.host = value;
        break;
      case 's':
        if (k == kLabelSlot) id.slot = value;
        break;
      case 'd':
        if (k == kLabelDevice) {
          id.device = value;
        } else if (k == kLabelDbDevice) {
          id.dbDevice = value;
        }
        break;
      case 'o':
        if (k == kLabelOsdGroup) id.osdGroup = value;
        break;
      case 'f':
        if (k == kLabelFailureDomain) id.failureDomain = value;
        break;
      case 'a':
        if (k == kLabelAutoscale) {
          int min = 0;
          int max = 0;
          if (parseAutoscale(value, min, max)) {
            id.minInstances = min;
            id.maxInstances = max;
          }
        }
        break;
      default:
        break;
    }
  }
  if (!haveRole) return std::nullopt;
  return id;
}

std::vector<FieldChange> compareApps(const AppSpec& desired, const AppSpec& observed) {
  if (ownedFieldsEqual(desired, observed)) return {};
  // Normalise a copy of the observed app so that only owned differences remain visible.
  AppSpec current = observed;
  current.id = desired.id;
  current.instances = desired.instances;
  if (const SharedText* version = findKeyValue(desired.labels, kLabelTopologyVersion)) {
    setKeyValue(current.labels, kLabelTopologyVersion, *version);
  } else {
    std::erase_if(current.labels, [](const auto& kv) { return kv.first == kLabelTopologyVersion; });
  }
  for (std::size_t i = 0; i < desired.portDefinitions.size() && i < current.portDefinitions.size();
       ++i) {
    if (desired.portDefinitions[i].port == 0) current.portDefinitions[i].port = 0;
  }
  std::vector<FieldChange> changes = appJsonFieldChanges(desired, current);
  if (changes.empty()) {
    // Unreachable while every AppSpec member is encoded; never report an update without a reason.
    changes.push_back(FieldChange{"app", appToJson(current), appToJson(desired)});
  }
  return changes;
}

Plan diff(const DesiredState& desired, const ObservedState& observed, const DiffOptions& options) {
  // Both states are const and alive for the whole diff: their values blocks may be remembered.
  TemplateText::Values::SameScope sameValues;
  auto desiredApps =
      sortedById(desired.apps, [](const AppSpec& a) -> const std::string& { return a.id; });
  auto observedApps = sortedById(
      observed.apps, [](const ObservedApp& a) -> const std::string& { return a.spec.id; });

  Differ differ(desired, options);
  differ.reserve(desiredApps.size() + observedApps.size());
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < desiredApps.size() || j < observedApps.size()) {
    const int order = j == observedApps.size() ? -1
                      : i == desiredApps.size()
                          ? 1
                          : desiredApps[i]->id.compare(observedApps[j]->spec.id);
    if (order < 0) {
      differ.add(desiredApps[i++], nullptr);
    } else if (order > 0) {
      differ.add(nullptr, observedApps[j++]);
    } else {
      differ.add(desiredApps[i++], observedApps[j++]);
    }
  }
  return differ.finish();
}

}  // namespace ceph_planner::planner
