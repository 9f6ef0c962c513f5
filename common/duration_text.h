#pragma once

#include <string>
#include <string_view>

namespace ceph_planner {

// Human durations as operators write them in topologies and flags: `90s`, `3m`, `1h30m`, `1d`, or
// a plain number of seconds. False on anything else (empty, unknown unit, overflow).
bool parseDurationSeconds(std::string_view text, int* seconds);

}  // namespace ceph_planner
