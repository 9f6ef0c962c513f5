// Shared reply helpers and the one place that catches nlohmann's parse exceptions.

#include "sim/marathon/api.h"

#include "common/strings.h"

namespace ceph_planner::marathon_sim::api_detail {

sim::HttpResponse json(int status, const Json& body) {
  return sim::jsonText(status, body.dump());
}

sim::HttpResponse error(const ApiError& e) {
  return json(e.status, e.body);
}

sim::HttpResponse uriNotFound() {
  return json(500, Json{{"message", "URI not found"}});
}

sim::HttpResponse methodNotAllowed() {
  return json(405, Json{{"message", "HTTP 405 Method Not Allowed"}});
}

std::variant<Json, sim::HttpResponse> parseBody(const std::string& body) {
  try {
    return Json::parse(body.empty() ? std::string("{}") : body);
  } catch (const Json::exception& e) {
    return json(400, Json{{"message", "Invalid JSON"}, {"details", std::string(e.what())}});
  }
}

sim::HttpResponse deploymentReply(int status, const DeploymentRef& ref) {
  auto r = json(status, ref.toJson());
  r.headers.push_back({"Marathon-Deployment-Id", ref.id});
  return r;
}

std::vector<std::string> splitSegments(const std::string& path) {
  return splitNonEmpty(path, '/');
}

std::string joinSegments(const std::vector<std::string>& segs, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < segs.size(); ++i) out += "/" + segs[i];
  return out.empty() ? "/" : out;
}

}  // namespace ceph_planner::marathon_sim::api_detail
