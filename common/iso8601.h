#pragma once

// ISO 8601 durations, date-times and repeating intervals (`R5/2026-01-01T02:00:00Z/PT6H`), as
// Chronos accepts them in a job's `schedule`. Pure: no time zone database; a start without an
// offset is read as UTC and flagged, so callers (the Chronos simulator, validation) can decide what
// it means.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ceph_planner::iso8601 {

// `PnYnMnWnDTnHnMnS`. Calendar components (years, months) have no fixed length, so they are kept
// apart; `addDuration` applies them with calendar arithmetic.
struct Duration {
  int64_t years = 0;
  int64_t months = 0;
  int64_t weeks = 0;
  int64_t days = 0;
  int64_t hours = 0;
  int64_t minutes = 0;
  int64_t seconds = 0;
  int64_t milliseconds = 0;  // The fractional part of the seconds field.

  bool isZero() const;
  // Length in seconds with fixed-length months (30 days) and years (365 days): good for ordering
  // and bounds, not for scheduling.
  int64_t approximateSeconds() const;
  bool operator==(const Duration&) const = default;
};

struct DateTime {
  int64_t epochSeconds = 0;  // UTC.
  int milliseconds = 0;      // 0..999.
  bool hasOffset = false;    // False: no `Z`/`±hh:mm` was written; the value was read as UTC.
  int offsetSeconds = 0;     // The written offset (already applied to epochSeconds).
};

struct RepeatingInterval {
  int64_t repetitions = -1;       // -1 = `R` (forever); otherwise `Rn`.
  std::optional<DateTime> start;  // nullopt: empty start (Chronos: "now").
  Duration period;
};

// `P1Y2M10DT2H30M`, `PT24H`, `P1W`, `PT1.5S`. `P` alone is the zero duration (as in Chronos).
Result<Duration> parseDuration(std::string_view text);

// `2026-01-01`, `2026-01-01T02:00`, `2026-01-01T02:00:00Z`, `2026-01-01T02:00:00.000+02:00`.
Result<DateTime> parseDateTime(std::string_view text);

// `R[n]/[start]/period`.
Result<RepeatingInterval> parseRepeatingInterval(std::string_view text);

// `epochSeconds` plus `duration`, in UTC: years and months move the calendar date (the day is
// clamped to the month's length), the other components add fixed seconds.
int64_t addDuration(int64_t epochSeconds, const Duration& duration);

// `2026-01-01T02:00:00.000Z` (the form Chronos returns).
std::string formatDateTime(int64_t epochSeconds, int milliseconds = 0);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
int64_t daysFromCivil(int64_t year, int month, int day);
void civilFromDays(int64_t days, int64_t* year, int* month, int* day);

}  // namespace ceph_planner::iso8601
