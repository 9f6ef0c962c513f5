#include "tests/contract/chronos_api/chronos_sim_process.h"

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "marathon_client/cpprest_marathon_client.h"

namespace ceph_planner::chronos::testing {
namespace {

Result<marathon::HttpReply> simCall(const std::string& url, const std::string& method) {
  auto transport = marathon::makeCppRestTransport("");
  marathon::HttpCall call{method, url, {}, "", std::chrono::seconds(5)};
  auto result = transport->send(call);
  if (auto* e = std::get_if<marathon::TransportError>(&result)) {
    return makeError(ErrorCode::Unavailable, method + " " + url + ": " + e->message);
  }
  return std::get<marathon::HttpReply>(std::move(result));
}

}  // namespace

std::string chronosSimPath() {
  if (const char* path = std::getenv("CP_CHRONOS_SIM"); path != nullptr && *path != '\0') {
    return path;
  }
  return std::string(CP_BINARY_DIR) + "/sim/chronos/chronos-sim";
}

Status ChronosSimProcess::start(double timeScale, const std::vector<std::string>& extraArgs) {
  std::vector<std::string> argv = {chronosSimPath(), "--listen", "127.0.0.1:0", "--time-scale",
                                   std::to_string(timeScale)};
  argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
  return process_.start(std::move(argv), "chronos-sim listening on ", "chronos-sim");
}

Result<std::vector<LoggedRequest>> ChronosSimProcess::requests() const {
  auto reply = simCall(url() + "/sim/requests", "GET");
  if (!reply) return reply.error();
  auto json = nlohmann::json::parse(reply->body, nullptr, false);
  if (!json.is_array()) return makeError(ErrorCode::Internal, "bad /sim/requests: " + reply->body);
  std::vector<LoggedRequest> out;
  for (const auto& r : json) {
    out.push_back({r.value("method", ""), r.value("path", ""), r.value("status", 0)});
  }
  return out;
}

Status ChronosSimProcess::clearRequests() const {
  auto reply = simCall(url() + "/sim/requests", "DELETE");
  if (!reply) return reply.error();
  return okStatus();
}

std::vector<LoggedRequest> writesIn(const std::vector<LoggedRequest>& requests) {
  std::vector<LoggedRequest> out;
  for (const auto& r : requests) {
    if (r.method != "GET" && r.method != "HEAD") out.push_back(r);
  }
  return out;
}

}  // namespace ceph_planner::chronos::testing
