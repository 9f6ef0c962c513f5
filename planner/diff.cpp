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
// immutable while the diff reads the (const) states, so a remembered pair stays equal. Not for
// the fetch and health-check lists: theirs are late texts (app_spec.h), equal only with values.
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
  std::array<std::pair<const void*, const void*>, 2> last_{};
};

bool ownedFieldsEqual(const AppSpec& d, const AppSpec& o, SharedEqualityMemo& memo) {
  // Keep in step with AppSpec: every member except id, instances (scale), labels and ports
  // (compared with their rules below). diff_test's field-by-field test catches a missed member.
  // The cmd goes first: it reads most of the instance's values, and once those are found equal
  // the other texts and labels of the two apps compare without reading them (labelValuesEqual).
  return d.cmd == o.cmd && d.args == o.args && d.user == o.user && d.cpus == o.cpus &&
         d.mem == o.mem && d.disk == o.disk && memo.equal(d.constraints, o.constraints, 0) &&
         memo.equal(d.container, o.container, 1) && d.env == o.env && sameFetch(d, o) &&
         d.requirePorts == o.requirePorts && sameHealthChecks(d, o) &&
         d.upgradeStrategy == o.upgradeStrategy && d.unreachableStrategy == o.unreachableStrategy &&
         d.killSelection == o.killSelection &&
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

// The instance count to submit for an app present on both sides (diff.h's RGW rule), with the
// autoscale bounds `min`/`max` (negative: none).
int clampedInstances(int instances, int min, int max, int observed, std::string& reason) {
  if (min < 0 || max < 0) return instances;
  if (observed >= min && observed <= max) return observed;
  int clamped = std::clamp(observed, min, max);
  reason = "instances " + std::to_string(observed) + " clamped into [" + std::to_string(min) + "," +
           std::to_string(max) + "]";
  return clamped;
}

// The autoscale bounds of `app`'s label into `min`/`max` (left alone when absent or malformed).
void readAutoscaleLabel(const AppSpec& app, int& min, int& max) {
  int labelMin = -1;
  int labelMax = -1;
  const SharedText* bounds = findKeyValue(app.labels, kLabelAutoscale);
  if (bounds && parseAutoscale(*bounds, labelMin, labelMax)) {
    min = labelMin;
    max = labelMax;
  }
}

// Builds the plan's actions in place, in id order, as the merge-join meets them (each app is read
// once, while it is in cache, and nothing is staged per app: at 120,000 apps a staging copy of
// every identity was megabytes written and read again). `finish()` then puts the actions in wave
// order by moving only those out of place: ids sort mgr before mon, so a rendered plan moves a
// handful of actions.
class Differ {
 public:
  Differ(const DesiredState& desired, const DiffOptions& options)
      : groupId_(desired.groupId), options_(options) {}

  void reserve(std::size_t n) { plan_.actions.reserve(n); }

  void add(const AppSpec* desired, const ObservedApp* observed) {
    if (observed && !isOwned(observed->spec, options_.clusterName)) {
      plan_.conflicts.push_back(
          PlanConflict{observed->spec.id, conflictMessage(observed->spec, desired != nullptr)});
      return;
    }
    const AppSpec& app = desired ? *desired : observed->spec;
    bool identityFromLabels = false;
    IdentityView identity = identityOf(app, groupId_, identityFromLabels);
    const int minInstances = identity.minInstances;
    const int maxInstances = identity.maxInstances;
    PlanAction& action = plan_.actions.emplace_back();
    fillIdentity(action, app, std::move(identity));
    if (!observed) {
      action.kind = ActionKind::Create;
      action.toInstances = desired->instances;
      ++plan_.summary.toAdd;
    } else if (!desired) {
      action.kind = ActionKind::Delete;
      action.fromInstances = observed->spec.instances;
      ++plan_.summary.toDestroy;
    } else {
      compare(*desired, observed->spec, identityFromLabels, minInstances, maxInstances, action);
    }
    if (action.kind == ActionKind::Create || action.kind == ActionKind::Update ||
        action.kind == ActionKind::Scale) {
      AppSpec& submit = action.desired.mut();
      submit = *desired;
      submit.instances = action.toInstances;
    }
  }

  Plan finish() {
    sortByWave(plan_.actions);
    plan_.groupId = groupId_;
    return std::move(plan_);
  }

 private:
  void compare(const AppSpec& desired, const AppSpec& current, bool identityFromLabels,
               int minInstances, int maxInstances, PlanAction& action) {
    action.fromInstances = current.instances;
    // Owned fields cover everything but the count, the topology-version label and the ports
    // Marathon assigned, so no second, exact comparison is needed: the count decides the rest.
    const bool owned = ownedFieldsEqual(desired, current, memo_);
    // The bounds come with an identity read from labels; otherwise from the label alone.
    if (!identityFromLabels) readAutoscaleLabel(desired, minInstances, maxInstances);
    const int target = clampedInstances(desired.instances, minInstances, maxInstances,
                                        current.instances, action.reason);
    action.toInstances = target;
    if (!owned) {
      action.kind = ActionKind::Update;
      action.changes = compareApps(desired, current);
      ++plan_.summary.toChange;
    } else if (target != current.instances) {
      action.kind = ActionKind::Scale;
      ++plan_.summary.toScale;
    } else {
      action.kind = ActionKind::Unchanged;
      ++plan_.summary.unchanged;
    }
  }

  // A stable sort by wave that moves each out-of-place action once into its final position
  // (a counting sort's positions, applied as a permutation by following its cycles).
  static void sortByWave(std::vector<PlanAction>& actions) {
    auto waveOf = [](const PlanAction& a) { return static_cast<std::size_t>(a.wave); };
    if (std::is_sorted(
            actions.begin(), actions.end(),
            [&](const PlanAction& a, const PlanAction& b) { return waveOf(a) < waveOf(b); })) {
      return;
    }
    std::array<std::size_t, 5> next{};
    for (const PlanAction& a : actions) ++next[waveOf(a) + 1];
    for (std::size_t w = 1; w < next.size(); ++w) next[w] += next[w - 1];
    std::vector<std::size_t> target(actions.size());
    for (std::size_t i = 0; i < actions.size(); ++i) target[i] = next[waveOf(actions[i])]++;
    for (std::size_t i = 0; i < actions.size(); ++i) {
      while (target[i] != i) {
        const std::size_t t = target[i];
        std::swap(actions[i], actions[t]);
        std::swap(target[i], target[t]);
      }
    }
  }

  const std::string& groupId_;
  const DiffOptions& options_;
  Plan plan_;
  SharedEqualityMemo memo_;
};

template <typename T, typename IdOf>
std::vector<const T*> sortedById(const std::vector<T>& items, IdOf idOf) {
  std::vector<const T*> out;
  out.reserve(items.size());
  for (const T& item : items) out.push_back(&item);
  std::stable_sort(out.begin(), out.end(),
                   [&](const T* a, const T* b) { return idOf(*a) < idOf(*b); });
  return out;
}

// Merge-joins the desired apps (`desiredAt(i)`, i < `nd`) and the observed ones with `differ`,
// by id. With `checkOrder`, returns false at the first app found out of id order on either side
// (the caller sorts and merges again): both states are sorted when they come from render and
// from Marathon, and checking while merging reads each id once, while it is in cache, instead
// of in a pass of its own.
template <typename DesiredAt, typename ObservedAt>
bool mergeById(Differ& differ, std::size_t nd, DesiredAt desiredAt, std::size_t no,
               ObservedAt observedAt, bool checkOrder) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < nd || j < no) {
    const AppSpec* d = i < nd ? desiredAt(i) : nullptr;
    const ObservedApp* o = j < no ? observedAt(j) : nullptr;
    const int order = !o ? -1 : !d ? 1 : d->id.compare(o->spec.id);
    if (checkOrder) {
      if (order <= 0 && i > 0 && d->id < desiredAt(i - 1)->id) return false;
      if (order >= 0 && j > 0 && o->spec.id < observedAt(j - 1)->spec.id) return false;
    }
    if (order < 0) {
      differ.add(d, nullptr);
      ++i;
    } else if (order > 0) {
      differ.add(nullptr, o);
      ++j;
    } else {
      differ.add(d, o);
      ++i;
      ++j;
    }
  }
  return true;
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
  {
    Differ differ(desired, options);
    differ.reserve(desired.apps.size() + observed.apps.size());
    if (mergeById(
            differ, desired.apps.size(), [&](std::size_t i) { return &desired.apps[i]; },
            observed.apps.size(), [&](std::size_t j) { return &observed.apps[j]; },
            /*checkOrder=*/true)) {
      return differ.finish();
    }
  }
  auto desiredApps =
      sortedById(desired.apps, [](const AppSpec& a) -> const std::string& { return a.id; });
  auto observedApps = sortedById(
      observed.apps, [](const ObservedApp& a) -> const std::string& { return a.spec.id; });
  Differ differ(desired, options);
  differ.reserve(desiredApps.size() + observedApps.size());
  mergeById(
      differ, desiredApps.size(), [&](std::size_t i) { return desiredApps[i]; },
      observedApps.size(), [&](std::size_t j) { return observedApps[j]; }, /*checkOrder=*/false);
  return differ.finish();
}

}  // namespace ceph_planner::planner
