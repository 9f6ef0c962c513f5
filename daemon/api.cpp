#include "daemon/api.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "topology/devices.h"

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
                     "unsupported kind '" + r.kind + "': the daemon flexes 'rgw' and 'osd'");
  }
  if (r.service.empty()) return makeError(ErrorCode::InvalidInput, "'service' is required");
  return r;
}

Result<OsdFlexRequest> parseOsdFlexRequest(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return makeError(ErrorCode::InvalidInput, "the body must be a JSON object");
  }
  OsdFlexRequest r;
  auto text = [](const nlohmann::json& v, const std::string& name, std::string* out) -> Status {
    if (!v.is_string())
      return makeError(ErrorCode::InvalidInput, ceph_planner::quoted(name) + " must be a string");
    *out = v.get<std::string>();
    return okStatus();
  };
  bool hasDevice = false;
  for (const auto& [key, value] : j.items()) {
    Status s = okStatus();
    if (key == "kind") {
      std::string kind;
      s = text(value, "kind", &kind);
      if (s && kind != "osd") return makeError(ErrorCode::InvalidInput, "'kind' must be 'osd'");
    } else if (key == "host") {
      s = text(value, "host", &r.host);
    } else if (key == "group") {
      s = text(value, "group", &r.group);
    } else if (key == "device") {
      if (!value.is_object())
        return makeError(ErrorCode::InvalidInput, "'device' must be an object");
      hasDevice = true;
      for (const auto& [field, v] : value.items()) {
        const std::string name = "device." + field;
        if (field == "path") {
          s = text(v, name, &r.device.path);
        } else if (field == "model") {
          s = text(v, name, &r.device.model);
        } else if (field == "vendor") {
          s = text(v, name, &r.device.vendor);
        } else if (field == "serial") {
          s = text(v, name, &r.device.serial);
        } else if (field == "rotational") {
          if (!v.is_boolean())
            return makeError(ErrorCode::InvalidInput,
                             ceph_planner::quoted(name) + " must be a boolean");
          r.device.rotational = v.get<bool>();
        } else if (field == "size") {
          std::string size;
          s = text(v, name, &size);
          if (s && !topology::parseSize(size, &r.device.sizeBytes)) {
            return makeError(ErrorCode::InvalidInput, ceph_planner::quoted(name) +
                                                          " must be a size such as '8T', got " +
                                                          ceph_planner::quoted(size));
          }
        } else {
          return makeError(ErrorCode::InvalidInput,
                           "unknown field " + ceph_planner::quoted(name) +
                               " (known: path, size, rotational, model, vendor, serial)");
        }
        if (!s) return s.error();
      }
    } else {
      return makeError(ErrorCode::InvalidInput, "unknown field " + ceph_planner::quoted(key) +
                                                    " (known: kind, host, device, group)");
    }
    if (!s) return s.error();
  }
  if (r.host.empty()) return makeError(ErrorCode::InvalidInput, "'host' is required");
  if (!hasDevice || r.device.path.empty()) {
    return makeError(ErrorCode::InvalidInput, "'device.path' is required");
  }
  if (r.device.path[0] != '/') {
    return makeError(ErrorCode::InvalidInput,
                     "'device.path' must be absolute, got " + ceph_planner::quoted(r.device.path));
  }
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
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_object() && body.value("kind", "") == "osd") {
      if (p == "/flexdown") return errorResponse(400, kOsdFlexdownRefusal);
      auto osd = parseOsdFlexRequest(request.body);
      if (!osd) return errorResponse(400, osd.error().message);
      return handlers.osdFlexup(*osd);
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
