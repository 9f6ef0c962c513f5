#pragma once

// JSON for Marathon's non-app shapes (deployments, queue, info, leader, kill results) and the small
// request bodies the client sends. Apps and groups go through planner/app_json.h: there is exactly
// one app codec. Pure: no I/O.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "marathon_client/marathon_api.h"
#include "planner/app_spec.h"

namespace ceph_planner::marathon {

// `{"deploymentId","version"}` (PUT/DELETE/scale answers).
Result<DeploymentRef> deploymentRefFromJson(std::string_view json);

// `GET /v2/deployments`: an array of DeploymentStepInfo.
Result<std::vector<Deployment>> deploymentsFromJson(std::string_view json);

// `GET /v2/queue`: `{"queue":[...]}`.
Result<std::vector<QueueEntry>> queueFromJson(std::string_view json);

// `GET /v2/info`.
Result<MarathonInfo> infoFromJson(std::string_view json);

// `GET /v2/leader`: `{"leader":"host:port"}`.
Result<std::string> leaderFromJson(std::string_view json);

// Kill answers without `scale`: `{"tasks":[{"id"...}]}` or `{"task":{"id"...}}` → task ids.
Result<std::vector<std::string>> killedTaskIdsFromJson(std::string_view json);

// Request bodies.
std::string scaleBodyJson(int instances);                              // `{"instances":N}`
std::string killBodyJson(const std::vector<std::string>& taskIds);     // `{"ids":[...]}`
std::string appsArrayJson(const std::vector<planner::AppSpec>& apps);  // `[app, app]` via appToJson

}  // namespace ceph_planner::marathon
