#pragma once

// YAML → `Topology`. The only user of yaml-cpp in the project (parse.cpp); yaml-cpp exceptions are
// caught there. Structural problems (YAML syntax, wrong types, unknown keys with a "did you mean"
// hint, missing required keys) are reported here; semantic checks live in validate.h.

#include <string_view>

#include "common/diagnostics.h"
#include "topology/inventory.h"
#include "topology/model.h"

namespace ceph_planner::topology {

struct ParsedTopology {
  Topology topology;        // Best effort when diagnostics has errors; never use it then.
  Diagnostics diagnostics;  // Every structural problem found, each with path and line:col.
  bool ok() const { return !hasErrors(diagnostics); }
};

// Parses one topology document. Never throws.
ParsedTopology parseTopology(std::string_view yamlText);

// parseTopology, then (when the structure is sound) validateTopology; all diagnostics together.
// "Sound" means the YAML parsed and its root is a mapping: validation then runs even after type or
// key errors, and drops its findings on paths the parser already reported (or above/below them),
// so one run shows every independent problem once.
ParsedTopology loadTopology(std::string_view yamlText);

// loadTopology with an inventory for the hosts that have no inline `devices:` (the store's
// `inventory/<host>` texts, already parsed).
ParsedTopology loadTopology(std::string_view yamlText, const Inventory& inventory);

// The second half of loadTopology: validates an already parsed document against `inventory` and
// appends the findings to its diagnostics (dropping echoes of structural errors). For callers that
// need the parsed model (cluster name, hosts) to know which inventories to fetch before validating.
ParsedTopology validateParsed(ParsedTopology parsed, const Inventory& inventory = {});

}  // namespace ceph_planner::topology
