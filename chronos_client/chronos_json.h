#pragma once

// Chronos 3.x job JSON ↔ `planner::JobSpec` (API.md §3). Pure. The body written always carries
// every owned field explicitly (never JSON null, which Chronos would store as the text "null") and
// the counters, so that a replace keeps them when the caller copied them over.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "planner/jobs_spec.h"

namespace ceph_planner::chronos {

// The POST body for `/iso8601` (scheduled) or `/dependency` (dependent).
std::string jobToJson(const planner::JobSpec& job);

// One job object as Chronos prints it. Missing keys take Chronos's defaults; numbers and booleans
// written as strings are read like Chronos reads them. `InvalidInput` for non-JSON or a non-object.
Result<planner::JobSpec> jobFromJson(std::string_view text);

// `GET /v1/scheduler/jobs`: a JSON array of job objects.
Result<std::vector<planner::JobSpec>> jobsFromJson(std::string_view text);

}  // namespace ceph_planner::chronos
