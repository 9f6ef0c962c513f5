#pragma once

// Checks on task ids shared by the HTTP client and FakeMarathon. Pure.

#include <string>
#include <vector>

#include "common/result.h"

namespace ceph_planner::marathon {

// The prefix every task id of `appId` starts with: the id's segments joined by '_' and a '.'
// (`/ceph/osd/a` → `ceph_osd_a.`; API.md §3.1).
std::string taskIdPrefix(const std::string& appId);

// `InvalidInput` when `taskIds` is empty or holds a task of another app, so that a typo never
// kills someone else's task.
Status checkKillRequest(const std::string& appId, const std::vector<std::string>& taskIds);

}  // namespace ceph_planner::marathon
