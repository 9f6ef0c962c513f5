#include "common/iso8601.h"

#include <cctype>
#include <cstdio>

namespace ceph_planner::iso8601 {
namespace {

constexpr int kMaxDigits = 9;  // Keeps every intermediate value far inside int64_t.

Error invalid(std::string_view what, std::string_view text, std::string_view why) {
  return makeError(ErrorCode::InvalidInput,
                   std::string(what) + " '" + std::string(text) + "': " + std::string(why));
}

// Reads 1..kMaxDigits decimal digits at `*pos`; false when there are none or too many.
bool readNumber(std::string_view text, size_t* pos, int64_t* value, size_t* digits = nullptr) {
  size_t start = *pos;
  int64_t v = 0;
  while (*pos < text.size() && std::isdigit(static_cast<unsigned char>(text[*pos]))) {
    if (*pos - start >= kMaxDigits) return false;
    v = v * 10 + (text[*pos] - '0');
    ++*pos;
  }
  if (*pos == start) return false;
  if (digits != nullptr) *digits = *pos - start;
  *value = v;
  return true;
}

// Exactly `n` digits.
bool readFixed(std::string_view text, size_t* pos, int n, int* value) {
  if (*pos + static_cast<size_t>(n) > text.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = text[*pos + static_cast<size_t>(i)];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  *pos += static_cast<size_t>(n);
  *value = v;
  return true;
}

bool isLeap(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeap(year) ? 29 : kDays[month - 1];
}

int64_t floorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

bool Duration::isZero() const {
  return approximateSeconds() == 0 && milliseconds == 0;
}

int64_t Duration::approximateSeconds() const {
  return years * 365 * 86400 + months * 30 * 86400 + weeks * 7 * 86400 + days * 86400 +
         hours * 3600 + minutes * 60 + seconds;
}

int64_t daysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = floorDiv(year, 400);
  const int64_t yoe = year - era * 400;
  const int64_t mp = (month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civilFromDays(int64_t days, int64_t* year, int* month, int* day) {
  days += 719468;
  const int64_t era = floorDiv(days, 146097);
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2 ? 1 : 0);
}

Result<Duration> parseDuration(std::string_view text) {
  constexpr std::string_view kWhat = "invalid duration";
  if (text.empty() || text[0] != 'P') return invalid(kWhat, text, "must start with 'P'");
  Duration d;
  size_t pos = 1;
  bool inTime = false;
  bool any = false;
  // Designators must appear in this order; `order` is the index of the last one seen.
  constexpr std::string_view kDateOrder = "YMWD";
  constexpr std::string_view kTimeOrder = "HMS";
  int last = -1;
  while (pos < text.size()) {
    if (text[pos] == 'T') {
      if (inTime) return invalid(kWhat, text, "'T' given twice");
      inTime = true;
      last = -1;
      ++pos;
      if (pos == text.size()) return invalid(kWhat, text, "'T' must be followed by a time part");
      continue;
    }
    int64_t value = 0;
    if (!readNumber(text, &pos, &value)) {
      return invalid(kWhat, text, "expected a number of at most 9 digits");
    }
    int64_t millis = 0;
    bool fraction = false;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      int64_t frac = 0;
      size_t digits = 0;
      if (!readNumber(text, &pos, &frac, &digits)) {
        return invalid(kWhat, text, "expected digits after the decimal mark");
      }
      // Keep milliseconds: scale the fraction to 3 digits.
      while (digits > 3) {
        frac /= 10;
        --digits;
      }
      while (digits < 3) {
        frac *= 10;
        ++digits;
      }
      millis = frac;
      fraction = true;
    }
    if (pos == text.size())
      return invalid(kWhat, text, "a number must be followed by a designator");
    const char unit = text[pos++];
    std::string_view order = inTime ? kTimeOrder : kDateOrder;
    size_t index = order.find(unit);
    if (index == std::string_view::npos) {
      return invalid(kWhat, text,
                     std::string("unexpected designator '") + unit + "'" +
                         (!inTime && (unit == 'H' || unit == 'S') ? " (missing 'T')" : ""));
    }
    if (static_cast<int>(index) <= last) return invalid(kWhat, text, "designators out of order");
    last = static_cast<int>(index);
    if (fraction && !(inTime && unit == 'S')) {
      return invalid(kWhat, text, "only seconds may have a fraction");
    }
    any = true;
    if (!inTime) {
      if (unit == 'Y') d.years = value;
      if (unit == 'M') d.months = value;
      if (unit == 'W') d.weeks = value;
      if (unit == 'D') d.days = value;
    } else {
      if (unit == 'H') d.hours = value;
      if (unit == 'M') d.minutes = value;
      if (unit == 'S') {
        d.seconds = value;
        d.milliseconds = millis;
      }
    }
  }
  if (inTime && !any) return invalid(kWhat, text, "'T' must be followed by a time part");
  return d;
}

Result<DateTime> parseDateTime(std::string_view text) {
  constexpr std::string_view kWhat = "invalid date-time";
  size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  if (!readFixed(text, &pos, 4, &year) || pos >= text.size() || text[pos++] != '-' ||
      !readFixed(text, &pos, 2, &month) || pos >= text.size() || text[pos++] != '-' ||
      !readFixed(text, &pos, 2, &day)) {
    return invalid(kWhat, text, "expected YYYY-MM-DD");
  }
  if (month < 1 || month > 12) return invalid(kWhat, text, "month out of range");
  if (day < 1 || day > daysInMonth(year, month)) return invalid(kWhat, text, "day out of range");
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millis = 0;
  DateTime out;
  if (pos < text.size()) {
    if (text[pos++] != 'T') return invalid(kWhat, text, "expected 'T' after the date");
    if (!readFixed(text, &pos, 2, &hour) || pos >= text.size() || text[pos++] != ':' ||
        !readFixed(text, &pos, 2, &minute)) {
      return invalid(kWhat, text, "expected hh:mm after 'T'");
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!readFixed(text, &pos, 2, &second)) return invalid(kWhat, text, "expected ss");
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        int64_t frac = 0;
        size_t digits = 0;
        if (!readNumber(text, &pos, &frac, &digits)) {
          return invalid(kWhat, text, "expected digits after the decimal mark");
        }
        while (digits > 3) {
          frac /= 10;
          --digits;
        }
        while (digits < 3) {
          frac *= 10;
          ++digits;
        }
        millis = static_cast<int>(frac);
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return invalid(kWhat, text, "time out of range");
    if (pos < text.size()) {
      char sign = text[pos++];
      if (sign == 'Z') {
        out.hasOffset = true;
      } else if (sign == '+' || sign == '-') {
        int oh = 0;
        int om = 0;
        if (!readFixed(text, &pos, 2, &oh)) return invalid(kWhat, text, "expected an offset hh:mm");
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (!readFixed(text, &pos, 2, &om)) return invalid(kWhat, text, "expected an offset hh:mm");
        if (oh > 23 || om > 59) return invalid(kWhat, text, "offset out of range");
        out.hasOffset = true;
        out.offsetSeconds = (sign == '+' ? 1 : -1) * (oh * 3600 + om * 60);
      } else {
        return invalid(kWhat, text, "expected 'Z' or an offset");
      }
      if (pos != text.size()) return invalid(kWhat, text, "unexpected text after the offset");
    }
  }
  out.epochSeconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                     out.offsetSeconds;
  out.milliseconds = millis;
  return out;
}

Result<RepeatingInterval> parseRepeatingInterval(std::string_view text) {
  constexpr std::string_view kWhat = "invalid repeating interval";
  if (text.empty() || text[0] != 'R') return invalid(kWhat, text, "must start with 'R'");
  size_t first = text.find('/');
  if (first == std::string_view::npos) return invalid(kWhat, text, "expected R[n]/start/period");
  size_t second = text.find('/', first + 1);
  if (second == std::string_view::npos) return invalid(kWhat, text, "expected R[n]/start/period");
  RepeatingInterval out;
  std::string_view reps = text.substr(1, first - 1);
  if (!reps.empty()) {
    size_t pos = 0;
    int64_t n = 0;
    if (!readNumber(reps, &pos, &n) || pos != reps.size()) {
      return invalid(kWhat, text, "repetitions must be a number of at most 9 digits");
    }
    out.repetitions = n;
  }
  std::string_view start = text.substr(first + 1, second - first - 1);
  if (!start.empty()) {
    auto dt = parseDateTime(start);
    if (!dt) return invalid(kWhat, text, dt.error().message);
    out.start = *dt;
  }
  auto period = parseDuration(text.substr(second + 1));
  if (!period) return invalid(kWhat, text, period.error().message);
  out.period = *period;
  return out;
}

int64_t addDuration(int64_t epochSeconds, const Duration& d) {
  if (d.years != 0 || d.months != 0) {
    int64_t days = floorDiv(epochSeconds, 86400);
    int64_t secondsOfDay = epochSeconds - days * 86400;
    int64_t year = 0;
    int month = 0;
    int day = 0;
    civilFromDays(days, &year, &month, &day);
    int64_t monthIndex = year * 12 + (month - 1) + d.years * 12 + d.months;
    year = floorDiv(monthIndex, 12);
    month = static_cast<int>(monthIndex - year * 12) + 1;
    if (day > daysInMonth(year, month)) day = daysInMonth(year, month);
    epochSeconds = daysFromCivil(year, month, day) * 86400 + secondsOfDay;
  }
  return epochSeconds + d.weeks * 7 * 86400 + d.days * 86400 + d.hours * 3600 + d.minutes * 60 +
         d.seconds;
}

std::string formatDateTime(int64_t epochSeconds, int milliseconds) {
  int64_t days = floorDiv(epochSeconds, 86400);
  int64_t secondsOfDay = epochSeconds - days * 86400;
  int64_t year = 0;
  int month = 0;
  int day = 0;
  civilFromDays(days, &year, &month, &day);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(year), month, day, static_cast<int>(secondsOfDay / 3600),
                static_cast<int>(secondsOfDay / 60 % 60), static_cast<int>(secondsOfDay % 60),
                milliseconds);
  return buffer;
}

}  // namespace ceph_planner::iso8601
