#include "common/diagnostics.h"

#include <algorithm>

namespace ceph_planner {

std::string Diagnostic::toString(const std::string& file) const {
  std::string out;
  if (!file.empty()) out += file + ":";
  if (line > 0) out += std::to_string(line) + ":" + std::to_string(col) + ":";
  if (!out.empty()) out += " ";
  out += severity == Severity::Error ? "error: " : "warning: ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

bool hasErrors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

}  // namespace ceph_planner
