#pragma once

// Time zones for Chronos schedules, resolved like `java.util.TimeZone.getTimeZone` and backed by
// the system zoneinfo (/usr/share/zoneinfo, Debian package tzdata). No tz library: offsets come
// from glibc's localtime_r under a process-wide mutex (it reads the zone from the TZ variable).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ceph_planner::chronos_sim {

// A zone is either a zoneinfo id (`America/New_York`) or a fixed UTC offset.
struct Zone {
  std::string tzId;     // Empty for a fixed offset.
  int fixedOffset = 0;  // Seconds east of UTC, when `tzId` is empty.

  bool isFixed() const { return tzId.empty(); }
  static Zone utc() { return Zone{}; }
  static Zone fixed(int offsetSeconds) { return Zone{"", offsetSeconds}; }
  bool operator==(const Zone&) const = default;
};

// Chronos semantics for `scheduleTimeZone`: a zoneinfo id, one of Java's legacy three-letter ids
// (`PST` → America/Los_Angeles, `BST` → Asia/Dhaka, …) or `GMT±hh[:mm]`. Anything else silently
// becomes GMT, as Java does. `found` (optional) reports whether the id was recognised.
Zone resolveZone(std::string_view javaId, bool* found = nullptr);

// Offset of `zone` from UTC at the instant `epochSeconds`, in seconds.
int offsetAt(const Zone& zone, int64_t epochSeconds);

// The instant whose wall-clock time in `zone` is `localSeconds` (local fields counted as if they
// were UTC seconds since 1970). Ambiguous times (the repeated hour when clocks go back) take
// `preferredOffset` when it is one of the two candidates, else the earlier instant. Times in a gap
// (clocks go forward) are read with the offset in force before the gap, i.e. they move forward by
// the gap's length (02:30 on a spring-forward night in New York becomes 03:30 EDT).
int64_t localToUtc(const Zone& zone, int64_t localSeconds,
                   std::optional<int> preferredOffset = std::nullopt);

}  // namespace ceph_planner::chronos_sim
