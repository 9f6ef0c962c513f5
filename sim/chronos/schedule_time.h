#pragma once

// Chronos schedules (`R[n]/<start>/<period>` plus `scheduleTimeZone`) and their time-zone-aware
// arithmetic, following Chronos 3.x (Joda-Time underneath):
// - a non-empty time zone keeps the start's wall-clock fields and re-reads them in that zone,
//   overriding any written offset; without one the written offset is kept (no offset = UTC, the
//   simulator's "JVM default zone");
// - years, months, weeks and days are calendar arithmetic in the zone (`P1D` keeps 03:00 local
//   across a DST change: 23 or 25 hours), hours, minutes and seconds are exact (`PT24H` = 24 h);
// - the server rewrites the schedule as the job runs: the start moves to the first occurrence after
//   now, `Rn` counts down.
// Times are epoch milliseconds (UTC).

#include <cstdint>
#include <string>
#include <string_view>

#include "common/iso8601.h"
#include "common/result.h"
#include "sim/chronos/schedule_zone.h"

namespace ceph_planner::chronos_sim {

struct Schedule {
  int64_t repetitions = -1;  // -1 = `R` (forever).
  int64_t startMillis = 0;
  iso8601::Duration period;
  Zone zone;  // Arithmetic and display zone.
};

// Parses `text` the way Chronos does. An empty start means `nowMillis` − 1 s. Errors are
// `InvalidInput` carrying the parser's reason.
Result<Schedule> parseSchedule(std::string_view text, std::string_view timeZone, int64_t nowMillis);

// `R[n]/yyyy-MM-ddTHH:mm:ss.SSS±hh:mm/period`, the start in the schedule's zone (`Z` for offset 0).
std::string formatSchedule(const Schedule& schedule);
// `PnYnMnWnDTnHnMnS` with zero fields left out; `PT0S` for the zero period.
std::string formatPeriod(const iso8601::Duration& period);
// `yyyy-MM-ddTHH:mm:ss.SSS±hh:mm` of `millis` in `zone`.
std::string formatInstant(int64_t millis, const Zone& zone);
// UTC `yyyy-MM-ddTHH:mm:ss.SSSZ` (lastSuccess/lastError).
std::string formatUtc(int64_t millis);

// `instantMillis` plus `times` × `period` in `zone` (calendar fields first, then exact ones).
int64_t addPeriod(int64_t instantMillis, const iso8601::Duration& period, const Zone& zone,
                  int64_t times = 1);

// Moves the start to the first occurrence strictly after `nowMillis` (start + k × period with the
// smallest such k) when it is at or before now. A zero period never moves. Repetitions untouched.
Schedule skipForward(Schedule schedule, int64_t nowMillis);

}  // namespace ceph_planner::chronos_sim
