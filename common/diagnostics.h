#pragma once

// Validation findings. Validation never stops at the first problem: it returns every `Diagnostic`,
// each with the YAML path of the offending node (`hosts[3].devices[1].path`) and its line:col.

#include <string>
#include <vector>

namespace ceph_planner {

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string path;  // YAML path, e.g. `osd_groups[0].db_slots`; empty for the whole document.
  int line = 0;      // 1-based; 0 when unknown.
  int col = 0;       // 1-based; 0 when unknown.
  std::string message;

  // `FILE:LINE:COL: error: PATH: MESSAGE` (file and position omitted when unknown).
  std::string toString(const std::string& file = "") const;
};

using Diagnostics = std::vector<Diagnostic>;

bool hasErrors(const Diagnostics& diagnostics);

}  // namespace ceph_planner
