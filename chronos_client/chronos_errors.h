#pragma once

// Chronos's HTTP error answers → `Error` (API.md §2). Pure. Used by the HTTP client and by
// `FakeChronos`, which builds Chronos-shaped bodies so that both report the same codes.

#include <string>
#include <string_view>

#include "common/result.h"

namespace ceph_planner::chronos {

// The code for a non-2xx answer: 400 → InvalidInput, except Chronos's unknown-name messages
// (`Job 'x' not found`, `JobSchedule 'x' not found`; `message` is the first line without the Java
// prefixes) → NotFound, because Chronos answers unknown names with 400; 401/403 → PermissionDenied;
// 404 → NotFound; 408/504 → Timeout; other 5xx → Unavailable; else Internal.
ErrorCode chronosErrorCode(int status, std::string_view message);

// `chronos answered <status>: "<message>"` from Chronos's `{"status","message"}` body (first line
// only, without the Java exception class and `requirement failed: `), or the body text (shortened)
// when it is not that JSON (2.x text bodies, Jetty HTML pages).
Error errorFromChronosResponse(int status, std::string_view body);

// The JSON body Chronos 3.x sends with an error (`status` is the HTTP reason phrase).
std::string chronosErrorBody(int status, std::string_view message);

}  // namespace ceph_planner::chronos
