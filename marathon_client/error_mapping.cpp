#include "marathon_client/error_mapping.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace ceph_planner::marathon {
namespace {

constexpr std::string_view kBlockedPrefix = "; blocked by deployments ";
constexpr size_t kMaxQuotedBody = 200;

std::string shortened(std::string_view text) {
  std::string s(text.substr(0, kMaxQuotedBody));
  if (text.size() > kMaxQuotedBody) s += "...";
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// `/id must fully match ...; /cpus is less than 0` from `details: [{path, errors: [...]}]`.
std::string describeDetails(const nlohmann::json& details) {
  if (details.is_string()) return details.get<std::string>();
  if (!details.is_array()) return "";
  std::vector<std::string> parts;
  for (const auto& d : details) {
    if (!d.is_object()) continue;
    std::string path = d.value("path", std::string("/"));
    std::vector<std::string> errors;
    if (auto it = d.find("errors"); it != d.end() && it->is_array()) {
      for (const auto& e : *it) {
        if (e.is_string()) errors.push_back(e.get<std::string>());
      }
    }
    parts.push_back(path + " " + joinStrings(errors, ", "));
  }
  return joinStrings(parts, "; ");
}

}  // namespace

ErrorCode errorCodeForStatus(int status) {
  switch (status) {
    case 400:
    case 422:
      return ErrorCode::InvalidInput;
    case 401:
    case 403:
      return ErrorCode::PermissionDenied;
    case 404:
      return ErrorCode::NotFound;
    case 409:
      return ErrorCode::Conflict;
    case 408:
    case 504:
      return ErrorCode::Timeout;
    default:
      return status >= 500 && status <= 599 ? ErrorCode::Unavailable : ErrorCode::Internal;
  }
}

Error errorFromResponse(int status, std::string_view body) {
  std::string message = "marathon answered " + std::to_string(status);
  std::vector<std::string> blocking;
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object()) {
    if (auto it = json.find("message"); it != json.end() && it->is_string()) {
      message += ": \"" + it->get<std::string>() + "\"";
    }
    if (auto it = json.find("details"); it != json.end()) {
      std::string details = describeDetails(*it);
      if (!details.empty()) message += ": " + details;
    }
    if (auto it = json.find("deployments"); it != json.end() && it->is_array()) {
      for (const auto& d : *it) {
        if (d.is_object() && d.contains("id") && d["id"].is_string()) {
          blocking.push_back(d["id"].get<std::string>());
        }
      }
    }
  } else if (!body.empty()) {
    message += ": \"" + shortened(body) + "\"";
  }
  if (!blocking.empty()) {
    std::vector<std::string> quotedIds;
    for (const auto& id : blocking) quotedIds.push_back("'" + id + "'");
    message += std::string(kBlockedPrefix) + joinStrings(quotedIds, ", ");
  }
  return makeError(errorCodeForStatus(status), std::move(message));
}

std::vector<std::string> lockingDeploymentIds(const Error& error) {
  std::vector<std::string> ids;
  if (error.code != ErrorCode::Conflict) return ids;
  auto pos = error.message.rfind(kBlockedPrefix);
  if (pos == std::string::npos) return ids;
  std::string_view rest = std::string_view(error.message).substr(pos + kBlockedPrefix.size());
  while (true) {
    auto open = rest.find('\'');
    if (open == std::string_view::npos) break;
    auto close = rest.find('\'', open + 1);
    if (close == std::string_view::npos) break;
    ids.emplace_back(rest.substr(open + 1, close - open - 1));
    rest = rest.substr(close + 1);
  }
  return ids;
}

}  // namespace ceph_planner::marathon
