#pragma once

// Shared by the app_json*.cpp files only (it includes nlohmann); never include it elsewhere.

#include <nlohmann/json.hpp>

#include "planner/app_spec.h"

namespace ceph_planner::planner {

using Json = nlohmann::ordered_json;

// The AppDefinition object `appToJson` serialises (fixed key order).
Json appToJsonValue(const AppSpec& app);

}  // namespace ceph_planner::planner
