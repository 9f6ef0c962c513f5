#include "marathon_client/task_ids.h"

#include <algorithm>

#include "common/strings.h"

namespace ceph_planner::marathon {

std::string taskIdPrefix(const std::string& appId) {
  std::string prefix = appId;
  while (!prefix.empty() && prefix.front() == '/') prefix.erase(0, 1);
  std::replace(prefix.begin(), prefix.end(), '/', '_');
  return prefix + ".";
}

Status checkKillRequest(const std::string& appId, const std::vector<std::string>& taskIds) {
  if (taskIds.empty()) return makeError(ErrorCode::InvalidInput, "no task ids given");
  const std::string prefix = taskIdPrefix(appId);
  for (const auto& id : taskIds) {
    if (!startsWith(id, prefix)) {
      return makeError(ErrorCode::InvalidInput, "task " + ceph_planner::quoted(id) +
                                                    " does not belong to app " +
                                                    ceph_planner::quoted(appId));
    }
  }
  return okStatus();
}

}  // namespace ceph_planner::marathon
