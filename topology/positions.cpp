#include "topology/positions.h"

namespace ceph_planner::topology {

SourcePos positionOf(const SourceMap& positions, std::string_view path) {
  std::string current(path);
  while (!current.empty()) {
    auto it = positions.find(current);
    if (it != positions.end()) return it->second;
    size_t cut = current.find_last_of(".[");
    if (cut == std::string::npos) break;
    current.resize(cut);
  }
  auto root = positions.find("");
  return root == positions.end() ? SourcePos{} : root->second;
}

Diagnostic makeDiagnostic(const SourceMap& positions, Severity severity, std::string path,
                          std::string message) {
  SourcePos pos = positionOf(positions, path);
  Diagnostic d;
  d.severity = severity;
  d.path = std::move(path);
  d.line = pos.line;
  d.col = pos.col;
  d.message = std::move(message);
  return d;
}

std::string indexPath(std::string_view base, size_t index) {
  std::string out(base);
  out += '[';
  out += std::to_string(index);
  out += ']';
  return out;
}

std::string keyPath(std::string_view base, std::string_view key) {
  std::string out(base);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

}  // namespace ceph_planner::topology
