#include "planner/app_spec.h"

#include <algorithm>

namespace ceph_planner::planner {

Key internKey(std::string_view key) {
  static constexpr std::string_view kKnown[] = {
      kLabelManaged,       kLabelCluster,     kLabelRole,      kLabelHost,
      kLabelSlot,          kLabelDevice,      kLabelDbDevice,  kLabelOsdGroup,
      kLabelFailureDomain, kLabelRgwService,  kLabelAutoscale, kLabelTopologyVersion,
      kLabelHaproxyVhost,  kLabelHaproxyGroup};
  for (std::string_view known : kKnown) {
    if (key == known) return Key::literal(known);
  }
  return Key(key);
}

namespace {

template <typename Entries, typename Value>
void setSorted(Entries& kv, Key key, Value value) {
  auto it = std::lower_bound(kv.begin(), kv.end(), key,
                             [](const auto& entry, const Key& k) { return entry.first < k; });
  if (it != kv.end() && it->first == key) {
    it->second = std::move(value);
  } else {
    kv.emplace(it, std::move(key), std::move(value));
  }
}

template <typename Entries>
auto findValue(const Entries& kv, std::string_view key) -> decltype(&kv.front().second) {
  // A linear scan: apps carry a dozen labels, most keys share the `ceph-planner/` prefix (which a
  // binary search would compare again at every step), and a key passed as one of the kLabel*
  // constants matches an interned key (Key::literal) by its address.
  for (const auto& entry : kv) {
    const std::string_view k = entry.first.view();
    if (k.size() == key.size() && (k.data() == key.data() || k == key)) return &entry.second;
  }
  return nullptr;
}

}  // namespace

void setKeyValue(KeyValues& kv, Key key, std::string value) {
  setSorted(kv, std::move(key), std::move(value));
}

void setKeyValue(Labels& kv, Key key, SharedText value) {
  setSorted(kv, std::move(key), std::move(value));
}

const std::string* findKeyValue(const KeyValues& kv, std::string_view key) {
  return findValue(kv, key);
}

const SharedText* findKeyValue(const Labels& kv, std::string_view key) {
  return findValue(kv, key);
}

namespace {

// Whether two lists are equal element by element, `same(x, y)` comparing two elements whose late
// texts read `av` and `bv`. One payload (the template's) read with the same values is one list:
// a diff that has compared the two apps' cmds knows already whether their values are the same
// (TemplateText::Values::SameScope).
template <typename T, typename Same>
bool sameLists(const SharedVector<T>& a, const TemplateText::Values& av, const SharedVector<T>& b,
               const TemplateText::Values& bv, Same same) {
  if (a.size() != b.size()) return false;
  if (a.payload() == b.payload() && (a.empty() || av.sameAs(bv))) return true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!same(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace

bool sameFetch(const AppSpec& a, const AppSpec& b) {
  const TemplateText::Values& av = a.templateValues;
  const TemplateText::Values& bv = b.templateValues;
  return sameLists(a.fetch, av, b.fetch, bv, [&](const FetchUri& x, const FetchUri& y) {
    return x.extract == y.extract && x.executable == y.executable && x.cache == y.cache &&
           x.destPath == y.destPath && TemplateText::equalBound(x.uri, av, y.uri, bv);
  });
}

bool sameHealthChecks(const AppSpec& a, const AppSpec& b) {
  const TemplateText::Values& av = a.templateValues;
  const TemplateText::Values& bv = b.templateValues;
  return sameLists(
      a.healthChecks, av, b.healthChecks, bv, [&](const HealthCheck& x, const HealthCheck& y) {
        return x.protocol == y.protocol && x.path == y.path && x.port == y.port &&
               x.portIndex == y.portIndex && x.gracePeriodSeconds == y.gracePeriodSeconds &&
               x.intervalSeconds == y.intervalSeconds && x.timeoutSeconds == y.timeoutSeconds &&
               x.maxConsecutiveFailures == y.maxConsecutiveFailures &&
               x.delaySeconds == y.delaySeconds && x.ignoreHttp1xx == y.ignoreHttp1xx &&
               TemplateText::equalBound(x.command, av, y.command, bv);
      });
}

// Keep in step with the members of AppSpec, HealthCheck and FetchUri: a new member changes a size
// below, which stops the build here as a reminder to compare it.
static_assert(sizeof(AppSpec) == 400 && sizeof(FetchUri) == 72 && sizeof(HealthCheck) == 136);
bool operator==(const AppSpec& a, const AppSpec& b) {
  return a.id == b.id && a.cmd == b.cmd && a.args == b.args && a.user == b.user &&
         a.cpus == b.cpus && a.mem == b.mem && a.disk == b.disk && a.instances == b.instances &&
         a.constraints == b.constraints && a.container == b.container && a.env == b.env &&
         a.labels == b.labels && sameFetch(a, b) && a.portDefinitions == b.portDefinitions &&
         a.requirePorts == b.requirePorts && sameHealthChecks(a, b) &&
         a.upgradeStrategy == b.upgradeStrategy && a.unreachableStrategy == b.unreachableStrategy &&
         a.killSelection == b.killSelection &&
         a.taskKillGracePeriodSeconds == b.taskKillGracePeriodSeconds &&
         a.backoffSeconds == b.backoffSeconds && a.backoffFactor == b.backoffFactor &&
         a.maxLaunchDelaySeconds == b.maxLaunchDelaySeconds && a.dependencies == b.dependencies;
}

std::string_view roleName(Role role) {
  switch (role) {
    case Role::Mon:
      return "mon";
    case Role::Mgr:
      return "mgr";
    case Role::Osd:
      return "osd";
    case Role::Rgw:
      return "rgw";
  }
  return "unknown";
}

}  // namespace ceph_planner::planner
