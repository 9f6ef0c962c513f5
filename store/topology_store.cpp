#include "store/topology_store.h"

namespace ceph_planner::store {

std::string casConflictMessage(int64_t expected, int64_t current, const std::string& author) {
  return "topology changed since you planned (v" + std::to_string(expected) + " → v" +
         std::to_string(current) + ") by " + author + "; re-run plan";
}

bool isValidStoreName(const std::string& name) {
  if (name.empty() || name.size() > 200 || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace ceph_planner::store
