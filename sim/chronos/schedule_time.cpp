#include "sim/chronos/schedule_time.h"

#include <cstdio>
#include <cstdlib>

namespace ceph_planner::chronos_sim {
namespace {

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int daysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string formatLocal(int64_t localMillis, int offsetSeconds) {
  int64_t seconds = floorDiv(localMillis, 1000);
  int millis = static_cast<int>(localMillis - seconds * 1000);
  int64_t days = floorDiv(seconds, 86400);
  int64_t secondsOfDay = seconds - days * 86400;
  int64_t year = 0;
  int month = 0;
  int day = 0;
  iso8601::civilFromDays(days, &year, &month, &day);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02d-%02dT%02d:%02d:%02d.%03d",
                static_cast<long long>(year), month, day, static_cast<int>(secondsOfDay / 3600),
                static_cast<int>(secondsOfDay / 60 % 60), static_cast<int>(secondsOfDay % 60),
                millis);
  std::string out = buffer;
  if (offsetSeconds == 0) return out + "Z";
  int abs = std::abs(offsetSeconds);
  std::snprintf(buffer, sizeof(buffer), "%c%02d:%02d", offsetSeconds < 0 ? '-' : '+', abs / 3600,
                abs / 60 % 60);
  return out + buffer;
}

}  // namespace

Result<Schedule> parseSchedule(std::string_view text, std::string_view timeZone,
                               int64_t nowMillis) {
  auto parsed = iso8601::parseRepeatingInterval(text);
  if (!parsed) return parsed.error();
  Schedule out;
  out.repetitions = parsed->repetitions;
  out.period = parsed->period;
  if (!timeZone.empty()) out.zone = resolveZone(timeZone);
  if (!parsed->start) {
    out.startMillis = nowMillis - 1000;
    return out;
  }
  const iso8601::DateTime& start = *parsed->start;
  if (timeZone.empty()) {
    out.zone = start.hasOffset ? Zone::fixed(start.offsetSeconds) : Zone::utc();
    out.startMillis = start.epochSeconds * 1000 + start.milliseconds;
  } else {
    int64_t local = start.epochSeconds + start.offsetSeconds;  // The written wall clock.
    out.startMillis = localToUtc(out.zone, local) * 1000 + start.milliseconds;
  }
  return out;
}

std::string formatPeriod(const iso8601::Duration& p) {
  std::string out = "P";
  auto field = [&out](int64_t v, char unit) {
    if (v != 0) out += std::to_string(v) + unit;
  };
  field(p.years, 'Y');
  field(p.months, 'M');
  field(p.weeks, 'W');
  field(p.days, 'D');
  if (p.hours != 0 || p.minutes != 0 || p.seconds != 0 || p.milliseconds != 0) {
    out += 'T';
    field(p.hours, 'H');
    field(p.minutes, 'M');
    if (p.milliseconds != 0) {
      char buffer[48];
      std::snprintf(buffer, sizeof(buffer), "%lld.%03lldS", static_cast<long long>(p.seconds),
                    static_cast<long long>(std::llabs(p.milliseconds)));
      out += buffer;
    } else {
      field(p.seconds, 'S');
    }
  }
  return out == "P" ? "PT0S" : out;
}

std::string formatInstant(int64_t millis, const Zone& zone) {
  int offset = offsetAt(zone, floorDiv(millis, 1000));
  return formatLocal(millis + int64_t{offset} * 1000, offset);
}

std::string formatUtc(int64_t millis) {
  return formatLocal(millis, 0);
}

std::string formatSchedule(const Schedule& s) {
  std::string reps = s.repetitions < 0 ? "R" : "R" + std::to_string(s.repetitions);
  return reps + "/" + formatInstant(s.startMillis, s.zone) + "/" + formatPeriod(s.period);
}

int64_t addPeriod(int64_t instantMillis, const iso8601::Duration& p, const Zone& zone,
                  int64_t times) {
  int64_t result = instantMillis;
  int64_t months = (p.years * 12 + p.months) * times;
  int64_t days = (p.weeks * 7 + p.days) * times;
  if (months != 0 || days != 0) {
    int64_t seconds = floorDiv(result, 1000);
    int64_t millis = result - seconds * 1000;
    int offset = offsetAt(zone, seconds);
    int64_t local = seconds + offset;
    int64_t dayNumber = floorDiv(local, 86400);
    int64_t secondsOfDay = local - dayNumber * 86400;
    int64_t year = 0;
    int month = 0;
    int day = 0;
    iso8601::civilFromDays(dayNumber, &year, &month, &day);
    if (months != 0) {
      int64_t index = year * 12 + (month - 1) + months;
      year = floorDiv(index, 12);
      month = static_cast<int>(index - year * 12) + 1;
      day = std::min(day, daysInMonth(year, month));
    }
    int64_t newLocal = (iso8601::daysFromCivil(year, month, day) + days) * 86400 + secondsOfDay;
    result = localToUtc(zone, newLocal, offset) * 1000 + millis;
  }
  int64_t exact = ((p.hours * 60 + p.minutes) * 60 + p.seconds) * 1000 + p.milliseconds;
  return result + exact * times;
}

Schedule skipForward(Schedule s, int64_t nowMillis) {
  if (s.startMillis > nowMillis || s.period.isZero()) return s;
  int64_t approx = s.period.approximateSeconds() * 1000 + s.period.milliseconds;
  if (approx <= 0) return s;
  // Estimate k from the approximate length, then correct: months and years vary in length.
  int64_t k = std::max<int64_t>(1, (nowMillis - s.startMillis) / approx);
  while (k > 1 && addPeriod(s.startMillis, s.period, s.zone, k - 1) > nowMillis) --k;
  while (addPeriod(s.startMillis, s.period, s.zone, k) <= nowMillis) ++k;
  s.startMillis = addPeriod(s.startMillis, s.period, s.zone, k);
  return s;
}

}  // namespace ceph_planner::chronos_sim
