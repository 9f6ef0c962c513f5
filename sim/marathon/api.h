#pragma once

// The HTTP face of the engine: routes Marathon's v2 API plus the `/sim/...` fault API onto
// `Engine`. Works on plain request/response structs (no cpprest here).

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "sim/common/http_types.h"
#include "sim/common/http_util.h"
#include "sim/marathon/engine.h"

namespace ceph_planner::marathon_sim {

class MarathonApi {
 public:
  // `requests` and `faults` are exposed under /sim; `selfAddress` is `host:port` for /v2/leader.
  MarathonApi(Engine& engine, sim::RequestLog& requests, sim::FaultInjector& faults,
              std::string selfAddress);
  ~MarathonApi();
  MarathonApi(const MarathonApi&) = delete;
  MarathonApi& operator=(const MarathonApi&) = delete;

  sim::HttpResponse handle(const sim::HttpRequest& req);
  // Closes every event stream (shutdown).
  void closeStreams();

 private:
  sim::HttpResponse route(const sim::HttpRequest& req);
  sim::HttpResponse apps(const sim::HttpRequest& req, const std::string& rest);
  sim::HttpResponse tasks(const sim::HttpRequest& req, const std::string& rest);
  sim::HttpResponse groups(const sim::HttpRequest& req, const std::string& rest);
  sim::HttpResponse deployments(const sim::HttpRequest& req, const std::string& rest);
  sim::HttpResponse queue(const sim::HttpRequest& req, const std::string& rest);
  sim::HttpResponse misc(const sim::HttpRequest& req);
  sim::HttpResponse events(const sim::HttpRequest& req);
  sim::HttpResponse simControl(const sim::HttpRequest& req, const std::string& rest);
  void postEvent(const sim::HttpRequest& req, const Json& appDefinition);
  std::string leader();
  bool inLeaderWindow();

  struct Stream {
    sim::SseChannelPtr channel;
    std::vector<std::string> types;  // Empty = all.
  };

  Engine& engine_;
  sim::RequestLog& requests_;
  sim::FaultInjector& faults_;
  std::string selfAddress_;
  std::mutex mu_;
  std::vector<Stream> streams_;
  int listenerId_ = 0;
  std::string leader_;
  std::chrono::steady_clock::time_point leaderWindowEnd_{};
  std::string nextLeader_;
};

// Helpers shared by the route files.
namespace api_detail {
sim::HttpResponse json(int status, const Json& body);
sim::HttpResponse error(const ApiError& e);
sim::HttpResponse uriNotFound();
sim::HttpResponse methodNotAllowed();
// Parses a request body: 400 `{"message":"Invalid JSON","details":"<parser message>"}` on failure.
std::variant<Json, sim::HttpResponse> parseBody(const std::string& body);
sim::HttpResponse deploymentReply(int status, const DeploymentRef& ref);
std::vector<std::string> splitSegments(const std::string& path);
std::string joinSegments(const std::vector<std::string>& segs, size_t from, size_t to);
}  // namespace api_detail

}  // namespace ceph_planner::marathon_sim
