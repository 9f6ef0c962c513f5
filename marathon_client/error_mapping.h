#pragma once

// Marathon's HTTP error answers → `Error`, with Marathon's own words quoted (API.md §1.1). Pure:
// no I/O. Used by the HTTP client and by `FakeMarathon`, which builds Marathon-shaped bodies so
// that both report the same codes and message shapes.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ceph_planner::marathon {

// The `ErrorCode` for a non-2xx/3xx HTTP status: 400/422 → InvalidInput, 401/403 →
// PermissionDenied, 404 → NotFound, 409 → Conflict, 408/504 → Timeout, 5xx → Unavailable;
// anything else → Internal.
ErrorCode errorCodeForStatus(int status);

// Builds the error for an answer with `status` and JSON `body` (Marathon's `{"message", "details",
// "deployments"}`; a non-JSON body is quoted as text, shortened). The message reads
// `marathon answered <status>: "<message>"` followed by, when present, `: <path> <errors>; ...`
// (422 `details`), `: <details>` (400 string details) and `; blocked by deployments 'a', 'b'`
// (409). Callers add their own context with `withContext`.
Error errorFromResponse(int status, std::string_view body);

// The deployment ids named in a `Conflict` built by `errorFromResponse` (empty for other errors),
// so that callers can wait for exactly those deployments.
std::vector<std::string> lockingDeploymentIds(const Error& error);

}  // namespace ceph_planner::marathon
