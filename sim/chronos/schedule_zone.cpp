#include "sim/chronos/schedule_zone.h"

#include <stdlib.h>
#include <time.h>

#include <array>
#include <cctype>
#include <fstream>
#include <mutex>
#include <utility>

namespace ceph_planner::chronos_sim {
namespace {

constexpr std::string_view kZoneInfoDir = "/usr/share/zoneinfo/";

// Java's legacy three-letter ids (`java.util.TimeZone`'s aliases). EST, MST and HST are fixed
// offsets in Java and in zoneinfo alike, so they resolve through their zoneinfo files.
constexpr std::array<std::pair<std::string_view, std::string_view>, 28> kJavaShortIds{{
    {"ACT", "Australia/Darwin"},
    {"AET", "Australia/Sydney"},
    {"AGT", "America/Argentina/Buenos_Aires"},
    {"ART", "Africa/Cairo"},
    {"AST", "America/Anchorage"},
    {"BET", "America/Sao_Paulo"},
    {"BST", "Asia/Dhaka"},
    {"CAT", "Africa/Harare"},
    {"CNT", "America/St_Johns"},
    {"CST", "America/Chicago"},
    {"CTT", "Asia/Shanghai"},
    {"EAT", "Africa/Addis_Ababa"},
    {"ECT", "Europe/Paris"},
    {"IET", "America/Indiana/Indianapolis"},
    {"IST", "Asia/Kolkata"},
    {"JST", "Asia/Tokyo"},
    {"MIT", "Pacific/Apia"},
    {"NET", "Asia/Yerevan"},
    {"NST", "Pacific/Auckland"},
    {"PLT", "Asia/Karachi"},
    {"PNT", "America/Phoenix"},
    {"PRT", "America/Puerto_Rico"},
    {"PST", "America/Los_Angeles"},
    {"SST", "Pacific/Guadalcanal"},
    {"VST", "Asia/Ho_Chi_Minh"},
    {"UTC", "UTC"},
    {"GMT", "UTC"},
    {"Z", "UTC"},
}};

// A zoneinfo id must name a TZif file below the zoneinfo directory (not `zone.tab`, not `../x`).
bool isZoneInfoId(std::string_view id) {
  if (id.empty() || id.front() == '/' || id.find("..") != std::string_view::npos) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+') {
      return false;
    }
  }
  std::ifstream in(std::string(kZoneInfoDir) + std::string(id), std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == "TZif";
}

// `GMT+5`, `GMT-05:30`, `GMT+0530` (Java custom ids).
std::optional<int> parseGmtOffset(std::string_view id) {
  if (id.size() < 5 || id.substr(0, 3) != "GMT" || (id[3] != '+' && id[3] != '-')) {
    return std::nullopt;
  }
  int sign = id[3] == '-' ? -1 : 1;
  std::string_view rest = id.substr(4);
  std::string digits;
  bool colon = false;
  for (char c : rest) {
    if (c == ':' && !colon && !digits.empty()) {
      colon = true;
      digits += ':';
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else {
      return std::nullopt;
    }
  }
  int hours = 0;
  int minutes = 0;
  size_t pos = digits.find(':');
  std::string h = pos == std::string::npos ? digits : digits.substr(0, pos);
  std::string m = pos == std::string::npos ? "" : digits.substr(pos + 1);
  if (pos == std::string::npos && h.size() > 2) {  // `GMT+0530`
    m = h.substr(h.size() - 2);
    h = h.substr(0, h.size() - 2);
  }
  if (h.empty() || h.size() > 2 || (pos != std::string::npos && m.size() != 2)) return std::nullopt;
  hours = std::stoi(h);
  minutes = m.empty() ? 0 : std::stoi(m);
  if (hours > 23 || minutes > 59) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

// `offsetAt` switches zones through the TZ variable. Adding a variable may reallocate the
// environment, which is unsafe while other threads read it; replacing an existing one only swaps a
// pointer. So make sure TZ exists before main() starts threads (`:/etc/localtime` is what glibc
// uses when TZ is unset, so nothing changes for anyone else).
const bool kTzPresent = [] {
  if (getenv("TZ") == nullptr) setenv("TZ", ":/etc/localtime", 0);
  return true;
}();

std::mutex& tzMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

Zone resolveZone(std::string_view javaId, bool* found) {
  if (found != nullptr) *found = true;
  for (const auto& [shortId, tzId] : kJavaShortIds) {
    if (javaId == shortId) return tzId == "UTC" ? Zone::utc() : Zone{std::string(tzId), 0};
  }
  if (auto offset = parseGmtOffset(javaId)) return Zone::fixed(*offset);
  if (isZoneInfoId(javaId)) return Zone{std::string(javaId), 0};
  if (found != nullptr) *found = false;
  return Zone::utc();
}

int offsetAt(const Zone& zone, int64_t epochSeconds) {
  if (zone.isFixed()) return zone.fixedOffset;
  std::lock_guard<std::mutex> lock(tzMutex());
  // Remember the zone glibc has loaded, so repeated calls skip re-reading the file.
  static std::string current;
  if (current != zone.tzId) {
    std::string value = ":" + zone.tzId;
    setenv("TZ", value.c_str(), 1);
    tzset();
    current = zone.tzId;
  }
  time_t t = static_cast<time_t>(epochSeconds);
  struct tm local {};
  if (localtime_r(&t, &local) == nullptr) return 0;
  return static_cast<int>(local.tm_gmtoff);
}

int64_t localToUtc(const Zone& zone, int64_t localSeconds, std::optional<int> preferredOffset) {
  if (zone.isFixed()) return localSeconds - zone.fixedOffset;
  // Offsets a day either side bracket any transition near this wall-clock time.
  int before = offsetAt(zone, localSeconds - 86400);
  int after = offsetAt(zone, localSeconds + 86400);
  std::optional<int64_t> first;
  std::optional<int64_t> second;
  for (int candidate : {before, after}) {
    int64_t t = localSeconds - candidate;
    if (offsetAt(zone, t) != candidate) continue;
    if (preferredOffset && *preferredOffset == candidate) return t;
    if (!first) {
      first = t;
    } else if (t != *first) {
      second = t;
    }
  }
  if (first && second) return std::min(*first, *second);
  if (first) return *first;
  return localSeconds - before;  // In a gap.
}

}  // namespace ceph_planner::chronos_sim
