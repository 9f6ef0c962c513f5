// ISO 8601 durations, date-times and repeating intervals (common/iso8601.h).

#include "common/iso8601.h"

#include <gtest/gtest.h>

namespace ceph_planner::iso8601 {
namespace {

constexpr int64_t k2026 = 1767225600;  // 2026-01-01T00:00:00Z

TEST(Iso8601, Durations) {
  auto d = parseDuration("P1Y2M10DT2H30M");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->years, 1);
  EXPECT_EQ(d->months, 2);
  EXPECT_EQ(d->days, 10);
  EXPECT_EQ(d->hours, 2);
  EXPECT_EQ(d->minutes, 30);
  EXPECT_EQ(parseDuration("PT24H")->approximateSeconds(), 86400);
  EXPECT_EQ(parseDuration("P1W")->weeks, 1);
  EXPECT_EQ(parseDuration("PT1.5S")->milliseconds, 500);
  EXPECT_EQ(parseDuration("PT2,25S")->milliseconds, 250);
  EXPECT_TRUE(parseDuration("P")->isZero());
  EXPECT_TRUE(parseDuration("PT0S")->isZero());
  EXPECT_FALSE(parseDuration("P1D")->isZero());
  for (const char* bad : {"", "1D", "P1H", "PT", "P1DT", "PT1D", "P1M1Y", "P1.5D", "PT1H1H", "P1",
                          "PTT1H", "P1234567890D", "P-1D"}) {
    auto r = parseDuration(bad);
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
    }
  }
  EXPECT_EQ(parseDuration("P1H").error().message,
            "invalid duration 'P1H': unexpected designator 'H' (missing 'T')");
}

TEST(Iso8601, DateTimes) {
  EXPECT_EQ(parseDateTime("2026-01-01T00:00:00Z")->epochSeconds, k2026);
  EXPECT_EQ(parseDateTime("2026-01-01")->epochSeconds, k2026);
  EXPECT_FALSE(parseDateTime("2026-01-01")->hasOffset);
  EXPECT_EQ(parseDateTime("2026-01-01T02:00")->epochSeconds, k2026 + 7200);
  auto withOffset = parseDateTime("2026-01-01T02:00:00.250+02:00");
  ASSERT_TRUE(withOffset.has_value());
  EXPECT_EQ(withOffset->epochSeconds, k2026);
  EXPECT_EQ(withOffset->milliseconds, 250);
  EXPECT_TRUE(withOffset->hasOffset);
  EXPECT_EQ(withOffset->offsetSeconds, 7200);
  EXPECT_EQ(parseDateTime("2025-12-31T19:00:00-0500")->epochSeconds, k2026);
  EXPECT_EQ(parseDateTime("2024-02-29T00:00:00Z")->epochSeconds, 1709164800);
  EXPECT_EQ(parseDateTime("1969-12-31T23:59:59Z")->epochSeconds, -1);
  for (const char* bad : {"2026-13-01", "2026-02-29", "2026-01-32", "2026-1-1", "2026-01-01T24:00",
                          "2026-01-01T00:00:00X", "2026-01-01 00:00", "2026-01-01T00:00:00+2",
                          "2026-01-01T00:00:00Zjunk"}) {
    EXPECT_FALSE(parseDateTime(bad).has_value()) << bad;
  }
}

TEST(Iso8601, RepeatingIntervals) {
  auto r = parseRepeatingInterval("R5/2026-01-01T02:00:00Z/PT6H");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->repetitions, 5);
  ASSERT_TRUE(r->start.has_value());
  EXPECT_EQ(r->start->epochSeconds, k2026 + 7200);
  EXPECT_EQ(r->period.hours, 6);
  auto forever = parseRepeatingInterval("R/2026-01-01T00:00:00.000Z/P1D");
  ASSERT_TRUE(forever.has_value());
  EXPECT_EQ(forever->repetitions, -1);
  EXPECT_EQ(forever->period.days, 1);
  auto noStart = parseRepeatingInterval("R0//PT1H");
  ASSERT_TRUE(noStart.has_value());
  EXPECT_EQ(noStart->repetitions, 0);
  EXPECT_FALSE(noStart->start.has_value());
  for (const char* bad :
       {"", "R", "R/2026-01-01T00:00:00Z", "5/2026-01-01T00:00:00Z/PT1H",
        "Rx/2026-01-01T00:00:00Z/PT1H", "R/2026-01-01T00:00:00Z/1H", "R/yesterday/PT1H"}) {
    EXPECT_FALSE(parseRepeatingInterval(bad).has_value()) << bad;
  }
}

TEST(Iso8601, CalendarArithmeticAndFormatting) {
  Duration month;
  month.months = 1;
  const int64_t jan31 = parseDateTime("2026-01-31T10:00:00Z")->epochSeconds;
  EXPECT_EQ(formatDateTime(addDuration(jan31, month)), "2026-02-28T10:00:00.000Z");
  Duration mixed = *parseDuration("P1Y1DT1H");
  EXPECT_EQ(formatDateTime(addDuration(k2026, mixed)), "2027-01-02T01:00:00.000Z");
  EXPECT_EQ(formatDateTime(k2026, 7), "2026-01-01T00:00:00.007Z");
  EXPECT_EQ(formatDateTime(-1), "1969-12-31T23:59:59.000Z");
  for (int64_t days : {-800000, -1, 0, 1, 10957, 20454, 2932896}) {
    int64_t y = 0;
    int m = 0;
    int d = 0;
    civilFromDays(days, &y, &m, &d);
    EXPECT_EQ(daysFromCivil(y, m, d), days);
  }
}

}  // namespace
}  // namespace ceph_planner::iso8601
