#include "chronos_client/chronos_errors.h"

#include <nlohmann/json.hpp>

namespace ceph_planner::chronos {
namespace {

constexpr size_t kMaxQuoted = 200;

std::string firstLine(std::string_view text) {
  std::string line(text.substr(0, text.find('\n')));
  for (std::string_view prefix :
       {"java.lang.IllegalArgumentException: ", "java.lang.Exception: ", "requirement failed: "}) {
    if (line.rfind(prefix, 0) == 0) line.erase(0, prefix.size());
  }
  if (line.size() > kMaxQuoted) line = line.substr(0, kMaxQuoted) + "...";
  for (char& c : line) {
    if (c == '\r') c = ' ';
  }
  return line;
}

std::string reasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    default:
      return "Error";
  }
}

// Chronos's words for a name it does not know (API.md §2): `Job 'x' not found` (get, run, stat)
// and `JobSchedule 'x' not found` (delete, kill). Other 400s that mention "not found" (such as a
// missing parent) are invalid input, not a missing job.
bool isUnknownJob(std::string_view message) {
  bool prefixed = message.rfind("Job '", 0) == 0 || message.rfind("JobSchedule '", 0) == 0;
  std::string_view suffix = "' not found";
  return prefixed && message.size() > suffix.size() &&
         message.substr(message.size() - suffix.size()) == suffix;
}

}  // namespace

ErrorCode chronosErrorCode(int status, std::string_view message) {
  switch (status) {
    case 400:
      return isUnknownJob(message) ? ErrorCode::NotFound : ErrorCode::InvalidInput;
    case 401:
    case 403:
      return ErrorCode::PermissionDenied;
    case 404:
      return ErrorCode::NotFound;
    case 405:
    case 415:
      return ErrorCode::InvalidInput;
    case 408:
    case 504:
      return ErrorCode::Timeout;
    default:
      return status >= 500 && status <= 599 ? ErrorCode::Unavailable : ErrorCode::Internal;
  }
}

Error errorFromChronosResponse(int status, std::string_view body) {
  std::string message;
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object() && json.contains("message") && json["message"].is_string()) {
    message = firstLine(json["message"].get<std::string>());
  } else {
    std::string text(body.substr(0, kMaxQuoted));
    for (char& c : text) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    message = text + (body.size() > kMaxQuoted ? "..." : "");
  }
  std::string full = "chronos answered " + std::to_string(status);
  if (!message.empty()) full += ": \"" + message + "\"";
  return makeError(chronosErrorCode(status, message), std::move(full));
}

std::string chronosErrorBody(int status, std::string_view message) {
  return nlohmann::json{{"status", reasonPhrase(status)}, {"message", std::string(message)}}.dump();
}

}  // namespace ceph_planner::chronos
