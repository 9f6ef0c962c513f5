#include "common/duration_text.h"

#include <cstdint>
#include <limits>

namespace ceph_planner {

bool parseDurationSeconds(std::string_view text, int* out) {
  if (text.empty()) return false;
  int64_t total = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    int64_t value = 0;
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (pos - start >= 9) return false;
      value = value * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos == start) return false;
    int64_t unit = 1;
    if (pos < text.size()) {
      switch (text[pos]) {
        case 's':
          unit = 1;
          break;
        case 'm':
          unit = 60;
          break;
        case 'h':
          unit = 3600;
          break;
        case 'd':
          unit = 86400;
          break;
        default:
          return false;
      }
      ++pos;
    } else if (start != 0) {
      return false;  // `1h30` is ambiguous.
    }
    total += value * unit;
    if (total > std::numeric_limits<int>::max()) return false;
  }
  *out = static_cast<int>(total);
  return true;
}

}  // namespace ceph_planner
