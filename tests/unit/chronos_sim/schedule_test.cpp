#include <gtest/gtest.h>

#include "common/testing.h"
#include "sim/chronos/schedule_time.h"

namespace ceph_planner::chronos_sim {
namespace {

constexpr int64_t kHour = 3600 * 1000;

int64_t utc(const char* text) {
  auto dt = iso8601::parseDateTime(text);
  EXPECT_TRUE(dt.has_value()) << text;
  return dt->epochSeconds * 1000 + dt->milliseconds;
}

Schedule parse(const char* text, const char* tz = "", int64_t now = 0) {
  auto s = parseSchedule(text, tz, now);
  EXPECT_TRUE(s.has_value()) << text << ": " << (s ? "" : s.error().message);
  return s.has_value() ? *s : Schedule{};
}

TEST(ChronosSchedule, KeepsWrittenOffsetWithoutTimeZone) {
  Schedule s = parse("R5/2026-01-01T00:00:00+02:00/PT6H");
  EXPECT_EQ(s.repetitions, 5);
  EXPECT_EQ(s.startMillis, utc("2025-12-31T22:00:00Z"));
  EXPECT_EQ(formatSchedule(s), "R5/2026-01-01T00:00:00.000+02:00/PT6H");
}

TEST(ChronosSchedule, UtcPrintsZAndInfiniteHasNoCount) {
  EXPECT_EQ(formatSchedule(parse("R/2014-03-08T20:00:00Z/PT2H")),
            "R/2014-03-08T20:00:00.000Z/PT2H");
  EXPECT_EQ(formatSchedule(parse("R/2014-03-08T20:00:00/P1D")), "R/2014-03-08T20:00:00.000Z/P1D");
}

TEST(ChronosSchedule, TimeZoneOverridesWrittenOffset) {
  // API.md §4.3: `R/2008-03-01T13:00:00-04:00/P1D` + PST ⇒ 13:00 −08:00.
  Schedule s = parse("R/2008-03-01T13:00:00-04:00/P1D", "PST");
  EXPECT_EQ(s.startMillis, utc("2008-03-01T21:00:00Z"));
  EXPECT_EQ(formatSchedule(s), "R/2008-03-01T13:00:00.000-08:00/P1D");
}

TEST(ChronosSchedule, UnknownTimeZoneFallsBackToGmt) {
  bool found = true;
  EXPECT_EQ(resolveZone("Mars/Olympus_Mons", &found), Zone::utc());
  EXPECT_FALSE(found);
  EXPECT_EQ(resolveZone("zone.tab", &found), Zone::utc());
  EXPECT_FALSE(found);
  EXPECT_EQ(resolveZone("../../etc/passwd", &found), Zone::utc());
  Schedule s = parse("R/2026-01-01T03:00:00/P1D", "Mars/Olympus_Mons");
  EXPECT_EQ(s.startMillis, utc("2026-01-01T03:00:00Z"));
}

TEST(ChronosSchedule, GmtOffsetIds) {
  EXPECT_EQ(resolveZone("GMT+05:30"), Zone::fixed(5 * 3600 + 1800));
  EXPECT_EQ(resolveZone("GMT-8"), Zone::fixed(-8 * 3600));
  EXPECT_EQ(resolveZone("Europe/Paris").tzId, "Europe/Paris");
  EXPECT_EQ(resolveZone("ECT").tzId, "Europe/Paris");
}

TEST(ChronosSchedule, EmptyStartIsOneSecondAgo) {
  int64_t now = utc("2026-05-01T12:00:00Z");
  Schedule s = parse("R3//PT1H", "", now);
  EXPECT_EQ(s.startMillis, now - 1000);
  EXPECT_EQ(s.repetitions, 3);
}

TEST(ChronosSchedule, RejectsWhatChronosRejects) {
  for (const char* bad : {"", "R/2008-03-01T13:00:00Z", "R/2008-03-01T13:00:00Z/", "X/2008/P1D",
                          "R/not-a-date/P1D", "R/2008-03-01T13:00:00Z/1D", "Rx//P1D"}) {
    EXPECT_FALSE(parseSchedule(bad, "", 0).has_value()) << bad;
  }
}

TEST(ChronosSchedule, PeriodFormatting) {
  for (const char* p : {"PT24H", "P1D", "P1W", "P1M", "PT2S", "P1Y2M3DT4H5M6S"}) {
    auto d = iso8601::parseDuration(p);
    ASSERT_OK(d);
    EXPECT_EQ(formatPeriod(*d), p);
  }
  EXPECT_EQ(formatPeriod(iso8601::Duration{}), "PT0S");
}

// 2026-03-08 is the US spring-forward day (02:00 EST → 03:00 EDT); 2026-11-01 falls back.
TEST(ChronosSchedule, P1DKeepsWallClockAcrossSpringForward) {
  Zone ny = resolveZone("America/New_York");
  int64_t start = utc("2026-03-07T08:00:00Z");  // 03:00 EST
  auto p1d = iso8601::parseDuration("P1D");
  ASSERT_OK(p1d);
  int64_t next = addPeriod(start, *p1d, ny);
  EXPECT_EQ(next - start, 23 * kHour);
  EXPECT_EQ(formatInstant(next, ny), "2026-03-08T03:00:00.000-04:00");
}

TEST(ChronosSchedule, PT24HIsExactlyOneDayAcrossSpringForward) {
  Zone ny = resolveZone("America/New_York");
  int64_t start = utc("2026-03-07T08:00:00Z");
  auto pt24h = iso8601::parseDuration("PT24H");
  ASSERT_OK(pt24h);
  int64_t next = addPeriod(start, *pt24h, ny);
  EXPECT_EQ(next - start, 24 * kHour);
  EXPECT_EQ(formatInstant(next, ny), "2026-03-08T04:00:00.000-04:00");
}

TEST(ChronosSchedule, P1DIs25HoursAcrossFallBack) {
  Zone ny = resolveZone("America/New_York");
  int64_t start = utc("2026-10-31T07:00:00Z");  // 03:00 EDT
  auto p1d = iso8601::parseDuration("P1D");
  ASSERT_OK(p1d);
  int64_t next = addPeriod(start, *p1d, ny);
  EXPECT_EQ(next - start, 25 * kHour);
  EXPECT_EQ(formatInstant(next, ny), "2026-11-01T03:00:00.000-05:00");
}

TEST(ChronosSchedule, AmbiguousAndGapLocalTimes) {
  Zone ny = resolveZone("America/New_York");
  // 01:30 on 2026-11-01 happens twice: the earlier (EDT) instant unless told otherwise.
  int64_t local = utc("2026-11-01T01:30:00Z") / 1000;
  EXPECT_EQ(localToUtc(ny, local) * 1000, utc("2026-11-01T05:30:00Z"));
  EXPECT_EQ(localToUtc(ny, local, -5 * 3600) * 1000, utc("2026-11-01T06:30:00Z"));
  // 02:30 on 2026-03-08 does not exist: it moves forward by the gap (to 03:30 EDT).
  int64_t gap = utc("2026-03-08T02:30:00Z") / 1000;
  EXPECT_EQ(localToUtc(ny, gap) * 1000, utc("2026-03-08T07:30:00Z"));
}

TEST(ChronosSchedule, MonthsClampToMonthEnd) {
  auto p1m = iso8601::parseDuration("P1M");
  ASSERT_OK(p1m);
  EXPECT_EQ(addPeriod(utc("2026-01-31T10:00:00Z"), *p1m, Zone::utc()), utc("2026-02-28T10:00:00Z"));
  EXPECT_EQ(addPeriod(utc("2026-01-31T10:00:00Z"), *p1m, Zone::utc(), 2),
            utc("2026-03-31T10:00:00Z"));
}

TEST(ChronosSchedule, SkipForwardMovesPastNow) {
  Schedule s = parse("R/2026-01-01T00:00:00Z/PT1H");
  Schedule moved = skipForward(s, utc("2026-01-01T05:30:00Z"));
  EXPECT_EQ(moved.startMillis, utc("2026-01-01T06:00:00Z"));
  // Exactly on an occurrence: the next one.
  EXPECT_EQ(skipForward(s, utc("2026-01-01T05:00:00Z")).startMillis, utc("2026-01-01T06:00:00Z"));
  // A future start does not move; a zero period never moves.
  EXPECT_EQ(skipForward(s, utc("2025-12-31T00:00:00Z")).startMillis, s.startMillis);
  Schedule zero = parse("R1/2026-01-01T00:00:00Z/PT0S");
  EXPECT_EQ(skipForward(zero, utc("2026-02-01T00:00:00Z")).startMillis, zero.startMillis);
}

TEST(ChronosSchedule, SkipForwardOverLongSpansAndMonths) {
  Schedule s = parse("R/1970-01-01T00:00:01Z/PT1S");
  EXPECT_EQ(skipForward(s, utc("2026-01-01T00:00:00.500Z")).startMillis,
            utc("2026-01-01T00:00:01Z"));
  Schedule monthly = parse("R/2016-01-31T00:00:00Z/P1M");
  // Chronos multiplies the period: 2016-01-31 + P123M = 2026-04-30 (clamped).
  EXPECT_EQ(skipForward(monthly, utc("2026-04-15T00:00:00Z")).startMillis,
            utc("2026-04-30T00:00:00Z"));
}

TEST(ChronosSchedule, SkipForwardInZoneKeepsLocalTime) {
  Schedule s = parse("R/2026-03-01T03:00:00/P1D", "America/New_York");
  Schedule moved = skipForward(s, utc("2026-03-10T00:00:00Z"));
  EXPECT_EQ(formatSchedule(moved), "R/2026-03-10T03:00:00.000-04:00/P1D");
}

}  // namespace
}  // namespace ceph_planner::chronos_sim
