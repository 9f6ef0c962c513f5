#pragma once

// The JSON boundary for Marathon apps and groups (the only nlohmann users in planner/ are the .cpp
// files behind this header and format_json.cpp). Decoding applies Marathon's defaults so that a
// decoded observed app and a rendered desired app compare equal when Marathon changed nothing we
// own.

#include <string>
#include <string_view>

#include "common/result.h"
#include "planner/app_spec.h"
#include "planner/plan.h"

namespace ceph_planner::planner {

// AppSpec → Marathon AppDefinition JSON (what we PUT/POST). Deterministic key order.
std::string appToJson(const AppSpec& app, bool pretty = false);

// One app object (an AppDefinition or an AppInfo with extra fields) → AppSpec, Marathon defaults
// applied. `InvalidInput` when it is not an app object.
Result<AppSpec> appFromJson(std::string_view json);

// Same, also reading the status fields (counts, tasks, deployments, version).
Result<ObservedApp> observedAppFromJson(std::string_view json);

// A `GET /v2/groups/<groupId>?embed=group.groups&embed=group.apps...` response → every app beneath,
// recursively, sorted by id. A 404 body is not accepted here: callers map 404 to an empty state.
Result<ObservedState> observedFromGroupJson(std::string_view json);

// The desired group tree as one Marathon group JSON document (`render` to stdout).
std::string groupToJson(const DesiredState& desired, bool pretty = true);

// The fields in which the JSON encodings (`appToJson`) of two apps differ, in encoding order, as
// dotted paths with compact JSON values ("" when absent on that side): top-level fields whole,
// `container.docker.<field>` and `container.volumes`, `env.<NAME>` and `labels.<key>` one key at a
// time. `id` and `instances` are skipped. No normalisation: diff's compareApps does that first.
std::vector<FieldChange> appJsonFieldChanges(const AppSpec& desired, const AppSpec& observed);

}  // namespace ceph_planner::planner
