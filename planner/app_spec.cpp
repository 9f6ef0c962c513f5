#include "planner/app_spec.h"

#include <algorithm>

namespace ceph_planner::planner {

void setKeyValue(KeyValues& kv, std::string key, std::string value) {
  auto it =
      std::lower_bound(kv.begin(), kv.end(), key,
                       [](const auto& entry, const std::string& k) { return entry.first < k; });
  if (it != kv.end() && it->first == key) {
    it->second = std::move(value);
  } else {
    kv.emplace(it, std::move(key), std::move(value));
  }
}

const std::string* findKeyValue(const KeyValues& kv, std::string_view key) {
  auto it = std::lower_bound(kv.begin(), kv.end(), key,
                             [](const auto& entry, std::string_view k) { return entry.first < k; });
  if (it != kv.end() && it->first == key) return &it->second;
  return nullptr;
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
