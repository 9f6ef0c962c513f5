#include "marathon_client/urls.h"

#include "common/strings.h"

namespace ceph_planner::marathon {

std::string percentEncode(std::string_view text, bool keepSlash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/');
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string buildPath(std::string_view prefix, std::string_view id, const QueryParams& query) {
  std::string out(prefix);
  while (!id.empty() && id.front() == '/') id.remove_prefix(1);
  if (!id.empty()) out += "/" + percentEncode(id, /*keepSlash=*/true);
  for (size_t i = 0; i < query.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += percentEncode(query[i].first, false) + "=" + percentEncode(query[i].second, false);
  }
  return out;
}

std::string joinUrl(std::string_view base, std::string_view pathAndQuery) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  std::string out(base);
  if (pathAndQuery.empty() || pathAndQuery.front() != '/') out += '/';
  out += pathAndQuery;
  return out;
}

std::string schemeOf(std::string_view url) {
  auto pos = url.find("://");
  if (pos == std::string_view::npos) return "";
  return toLower(url.substr(0, pos));
}

std::string originOf(std::string_view url) {
  auto pos = url.find("://");
  if (pos == std::string_view::npos) return "";
  auto end = url.find_first_of("/?#", pos + 3);
  return std::string(url.substr(0, end));
}

Result<std::string> resolveLocation(std::string_view requestUrl, std::string_view location) {
  std::string loc = trim(location);
  if (loc.empty()) return makeError(ErrorCode::InvalidInput, "redirect without a location");
  std::string scheme = schemeOf(loc);
  if (scheme == "http" || scheme == "https") return loc;
  if (!scheme.empty()) {
    return makeError(ErrorCode::InvalidInput,
                     "redirect to unsupported location " + ceph_planner::quoted(loc));
  }
  if (loc.front() != '/') {
    return makeError(ErrorCode::InvalidInput,
                     "redirect to relative location " + ceph_planner::quoted(loc));
  }
  std::string origin = originOf(requestUrl);
  if (origin.empty()) {
    return makeError(ErrorCode::InvalidInput,
                     "cannot resolve redirect from " + ceph_planner::quoted(requestUrl));
  }
  return origin + loc;
}

}  // namespace ceph_planner::marathon
