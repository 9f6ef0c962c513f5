#pragma once

// URL building for Marathon requests. Pure.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace ceph_planner::marathon {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes everything except RFC 3986 unreserved characters (and `/` when `keepSlash`).
std::string percentEncode(std::string_view text, bool keepSlash);

// `/v2/apps` + `/ceph/a` → `/v2/apps/ceph/a` (id segments encoded, `/` kept; the root id `/` adds
// nothing), then `?k=v&k2=v2` in the given order (repeatable keys allowed).
std::string buildPath(std::string_view prefix, std::string_view id, const QueryParams& query = {});

// `http://h:1/` + `/v2/x` → `http://h:1/v2/x`.
std::string joinUrl(std::string_view base, std::string_view pathAndQuery);

// The URL a redirect's `Location` points at: absolute locations as they are, `/path` against the
// origin of `requestUrl`. `InvalidInput` for an empty or unsupported location.
Result<std::string> resolveLocation(std::string_view requestUrl, std::string_view location);

// `https://h:1/x` → `https://h:1`; "" when `url` has no scheme.
std::string originOf(std::string_view url);

// `https` or `http` (lower-cased scheme), "" when absent.
std::string schemeOf(std::string_view url);

}  // namespace ceph_planner::marathon
