// appJsonFieldChanges: where two apps' JSON encodings differ, as FieldChanges for `plan`.
//
// Working on the encoding (rather than on AppSpec members) means the before/after text is exactly
// what Marathon sees, and a field added to AppSpec and to the encoder is compared automatically.

#include <algorithm>
#include <string>
#include <vector>

#include "planner/app_json.h"
#include "planner/app_json_internal.h"

namespace ceph_planner::planner {
namespace {

std::string compact(const Json* value) {
  if (!value) return "";
  return value->dump(-1, ' ', false, Json::error_handler_t::replace);
}

const Json* find(const Json& object, const std::string& key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

void compareValue(const std::string& field, const Json* before, const Json* after,
                  std::vector<FieldChange>& out) {
  if (!before && !after) return;
  if (before && after && *before == *after) return;
  out.push_back(FieldChange{field, compact(before), compact(after)});
}

// One entry per key of either map (string→string objects), in sorted key order.
void compareMap(const std::string& prefix, const Json* observed, const Json* desired,
                std::vector<FieldChange>& out) {
  std::vector<std::string> keys;
  for (const Json* side : {observed, desired}) {
    if (!side || !side->is_object()) continue;
    for (auto it = side->begin(); it != side->end(); ++it) keys.push_back(it.key());
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const std::string& key : keys) {
    const Json* before = observed ? find(*observed, key) : nullptr;
    const Json* after = desired ? find(*desired, key) : nullptr;
    compareValue(prefix + "." + key, before, after, out);
  }
}

void compareContainer(const Json* observed, const Json* desired, std::vector<FieldChange>& out) {
  if (!observed || !desired) return compareValue("container", observed, desired, out);
  compareValue("container.type", find(*observed, "type"), find(*desired, "type"), out);
  const Json* od = find(*observed, "docker");
  const Json* dd = find(*desired, "docker");
  static const char* const kDockerFields[] = {"image", "network", "privileged", "forcePullImage",
                                              "parameters"};
  for (const char* field : kDockerFields) {
    compareValue(std::string("container.docker.") + field, od ? find(*od, field) : nullptr,
                 dd ? find(*dd, field) : nullptr, out);
  }
  compareValue("container.volumes", find(*observed, "volumes"), find(*desired, "volumes"), out);
}

}  // namespace

std::vector<FieldChange> appJsonFieldChanges(const AppSpec& desired, const AppSpec& observed) {
  const Json after = appToJsonValue(desired);
  const Json before = appToJsonValue(observed);
  // Every key the encoder can emit, in its order (id and instances are not compared here).
  static const char* const kFields[] = {"cmd",
                                        "args",
                                        "user",
                                        "cpus",
                                        "mem",
                                        "disk",
                                        "constraints",
                                        "container",
                                        "env",
                                        "labels",
                                        "fetch",
                                        "portDefinitions",
                                        "requirePorts",
                                        "healthChecks",
                                        "upgradeStrategy",
                                        "unreachableStrategy",
                                        "killSelection",
                                        "taskKillGracePeriodSeconds",
                                        "backoffSeconds",
                                        "backoffFactor",
                                        "maxLaunchDelaySeconds",
                                        "dependencies"};
  std::vector<FieldChange> out;
  for (const char* field : kFields) {
    const std::string key = field;
    const Json* b = find(before, key);
    const Json* a = find(after, key);
    if (key == "container") {
      compareContainer(b, a, out);
    } else if (key == "env" || key == "labels") {
      compareMap(key, b, a, out);
    } else {
      compareValue(key, b, a, out);
    }
  }
  return out;
}

}  // namespace ceph_planner::planner
