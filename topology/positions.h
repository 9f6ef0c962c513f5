#pragma once

// Looking up the source position of a YAML path, for diagnostics. Internal to topology/.

#include <string>
#include <string_view>

#include "common/diagnostics.h"
#include "topology/model.h"

namespace ceph_planner::topology {

// The position of `path`, else of its nearest parent that has one (`a.b[2].c` → `a.b[2]` → `a.b`
// → `a`); {0,0} when none has.
SourcePos positionOf(const SourceMap& positions, std::string_view path);

// A diagnostic for `path` with its position filled in.
Diagnostic makeDiagnostic(const SourceMap& positions, Severity severity, std::string path,
                          std::string message);

// `base[index]` and `base.key` path builders.
std::string indexPath(std::string_view base, size_t index);
std::string keyPath(std::string_view base, std::string_view key);

}  // namespace ceph_planner::topology
