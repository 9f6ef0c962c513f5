#include "daemon/api.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace ceph_planner::daemon {

HttpResponse errorResponse(int status, const std::string& message) {
  return HttpResponse{status, "application/json", nlohmann::json{{"error", message}}.dump() + "\n"};
}

int httpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput:
      return 400;
    case ErrorCode::NotFound:
      return 404;
    case ErrorCode::Conflict:
      return 409;
    case ErrorCode::Unavailable:
      return 503;
    case ErrorCode::Timeout:
      return 504;
    case ErrorCode::PermissionDenied:
      return 403;
    case ErrorCode::Internal:
      return 500;
  }
  return 500;
}

bool constantTimeEquals(const std::string& a, const std::string& b) {
  if (a.empty()) return false;
  unsigned diff = a.size() != b.size() ? 1u : 0u;
  size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned>(x ^ y);
  }
  return diff == 0;
}

Result<FlexRequest> parseFlexRequest(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return makeError(ErrorCode::InvalidInput, "the body must be a JSON object");
  }
  FlexRequest r;
  for (const auto& [key, value] : j.items()) {
    if (key == "kind") {
      if (!value.is_string()) return makeError(ErrorCode::InvalidInput, "'kind' must be a string");
      r.kind = value.get<std::string>();
    } else if (key == "service") {
      if (!value.is_string()) {
        return makeError(ErrorCode::InvalidInput, "'service' must be a string");
      }
      r.service = value.get<std::string>();
    } else if (key == "count") {
      if (!value.is_number_integer()) {
        return makeError(ErrorCode::InvalidInput, "'count' must be an integer");
      }
      auto n = value.get<int64_t>();
      if (n < 1 || n > 100) return makeError(ErrorCode::InvalidInput, "'count' must be 1..100");
      r.count = static_cast<int>(n);
    } else {
      return makeError(ErrorCode::InvalidInput,
                       "unknown field '" + key + "' (known: kind, service, count)");
    }
  }
  if (r.kind != "rgw") {
    return makeError(ErrorCode::InvalidInput,
                     "unsupported kind '" + r.kind + "': the daemon flexes 'rgw' services");
  }
  if (r.service.empty()) return makeError(ErrorCode::InvalidInput, "'service' is required");
  return r;
}

HttpResponse route(const HttpRequest& request, ApiHandlers& handlers, const std::string& apiToken) {
  const std::string& p = request.path;
  auto only = [&](const std::string& method) { return request.method == method; };
  auto notAllowed = [&] { return errorResponse(405, "method not allowed on '" + p + "'"); };

  if (p == "/health") return only("GET") ? handlers.health() : notAllowed();
  if (p == "/status") return only("GET") ? handlers.status() : notAllowed();
  if (p == "/metrics") return only("GET") ? handlers.metrics() : notAllowed();
  if (p == "/plan") return only("GET") ? handlers.plan() : notAllowed();
  if (p == "/flexup" || p == "/flexdown") {
    if (!only("POST")) return notAllowed();
    const std::string prefix = "Bearer ";
    if (request.authorization.rfind(prefix, 0) != 0) {
      return errorResponse(401, "writes need 'Authorization: Bearer <token>'");
    }
    if (apiToken.empty() ||
        !constantTimeEquals(apiToken, request.authorization.substr(prefix.size()))) {
      return errorResponse(403, "invalid token");
    }
    auto flex = parseFlexRequest(request.body);
    if (!flex) return errorResponse(400, flex.error().message);
    return handlers.flex(p == "/flexup", *flex);
  }
  // /v1/clusters/<cluster>/files/<name>
  auto parts = splitNonEmpty(p, '/');
  if (parts.size() == 5 && parts[0] == "v1" && parts[1] == "clusters" && parts[3] == "files") {
    if (!only("GET") && !only("HEAD")) return notAllowed();
    return handlers.file(std::string(parts[2]), std::string(parts[4]), request.peerAddress);
  }
  return errorResponse(404, "not found");
}

}  // namespace ceph_planner::daemon
