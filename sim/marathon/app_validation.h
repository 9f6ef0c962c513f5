#pragma once

// Marathon's checks on app definitions: the JSON schema (AppDefinition.json, embedded at build
// time) and the semantic rules of API.md §3, plus normalisation (defaults, absolute ids, legacy
// `ports`/`uris` conversion) so that stored apps look like what Marathon 1.10 returns.

#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "sim/marathon/model.h"

namespace ceph_planner::marathon_sim {

struct Violation {
  std::string path;  // Marathon rendering: `/constraints(0)`, `/` for the whole object.
  std::vector<std::string> errors;
};

// A 422 body: `{"message", "details":[{"path","errors"}]}`.
struct ValidationFailure {
  std::string message;
  std::vector<Violation> details;
  Json toJson() const;
};

// Validates `app` against AppDefinition.json. Unknown top-level fields are tolerated (1.10 knows
// fields the last published schema lacks, e.g. `role`, `check`, `resourceLimits`, `tty`).
// Failures use the message `Invalid JSON` (type errors are 422 in Marathon).
std::optional<ValidationFailure> checkAppSchema(const Json& app);

// The path rules of `PathId`: returns an error text or nullopt.
std::optional<std::string> checkPathId(const std::string& absoluteId);

// `id` resolved against `base` (a group path, `/` for root); `..` and `.` are applied.
std::string absolutePath(const std::string& id, const std::string& base);

// Parent group path of an absolute app id (`/a/b` → `/a`, `/a` → `/`).
std::string parentPath(const std::string& id);

struct NormaliseOptions {
  std::string baseGroup = "/";
  bool execMode = false;
  // Service ports already taken by other apps (port:0 definitions get fresh ones).
  const std::set<int>* usedServicePorts = nullptr;
  // The app's current definition, to keep its assigned service ports across updates.
  const Json* previous = nullptr;
};

// Turns a raw app body into Marathon's normalised form and applies the semantic rules. On success
// the result has every default filled in (no `version`/`versionInfo` yet: the engine stamps them).
std::variant<Json, ValidationFailure> normaliseApp(const Json& raw, const NormaliseOptions& opts);

// Fields Marathon compares to decide between a scale and a restart: everything except `instances`,
// `version` and `versionInfo`.
bool isUpgrade(const Json& before, const Json& after);

}  // namespace ceph_planner::marathon_sim
