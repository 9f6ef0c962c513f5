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
