// /v2/groups, /v2/deployments and /v2/queue routes.

#include "sim/marathon/api.h"

namespace ceph_planner::marathon_sim {

using namespace api_detail;

namespace {

GroupEmbeds groupEmbeds(const sim::HttpRequest& req) {
  GroupEmbeds e;
  auto values = req.params("embed");
  if (values.empty()) return e;  // Default: groups + apps (+ pods).
  e.groups = e.apps = false;
  std::vector<std::string> appEmbeds;
  for (const auto& v : values) {
    if (v == "group.groups") e.groups = true;
    if (v == "group.apps") e.apps = true;
    if (v.rfind("group.apps.", 0) == 0) appEmbeds.push_back(v);
  }
  e.app = parseAppEmbeds(appEmbeds);
  return e;
}

}  // namespace

sim::HttpResponse MarathonApi::groups(const sim::HttpRequest& req, const std::string& rest) {
  auto segs = splitSegments(rest);
  bool force = req.flag("force", false);
  if (!segs.empty() && segs.back() == "versions" && req.method == "GET") {
    auto res = engine_.groupVersions(joinSegments(segs, 0, segs.size() - 1));
    return res.ok() ? json(200, res.value()) : error(res.error());
  }
  if (segs.size() >= 2 && segs[segs.size() - 2] == "versions" && req.method == "GET") {
    auto res = engine_.groupVersion(joinSegments(segs, 0, segs.size() - 2), segs.back());
    return res.ok() ? json(200, res.value()) : error(res.error());
  }
  if (!segs.empty() && segs.back() == "apps" && req.method == "GET") {
    GroupEmbeds e;
    e.groups = false;
    auto res = engine_.getGroup(joinSegments(segs, 0, segs.size() - 1), e);
    return res.ok() ? json(200, res.value()["apps"]) : error(res.error());
  }
  std::string id = joinSegments(segs, 0, segs.size());
  if (req.method == "GET") {
    auto res = engine_.getGroupText(id, groupEmbeds(req));
    return res.ok() ? sim::jsonText(200, std::move(res.value())) : error(res.error());
  }
  if (req.method == "POST" || req.method == "PUT") {
    auto body = parseBody(req.body);
    if (auto* r = std::get_if<sim::HttpResponse>(&body)) return *r;
    const Json& b = std::get<Json>(body);
    if (req.method == "POST") {
      auto res = engine_.createGroup(segs.empty() ? "" : id, b, force);
      if (!res.ok()) return error(res.error());
      auto r = deploymentReply(201, res.value());
      std::string gid = b.is_object() && b.contains("id") ? b.value("id", id) : id;
      if (!gid.empty() && gid[0] != '/') gid = (id == "/" ? "" : id) + "/" + gid;
      r.headers.push_back({"Location", "http://" + selfAddress_ + gid});
      return r;
    }
    Json steps;
    bool dryRun = req.flag("dryRun", false);
    auto res = engine_.updateGroup(segs.empty() ? "" : id, b, force, dryRun, &steps);
    if (!res.ok()) return error(res.error());
    if (dryRun) return json(200, steps);
    return deploymentReply(200, res.value());
  }
  if (req.method == "PATCH") {
    auto res = engine_.getGroup(id, GroupEmbeds{false, false, {}});
    if (!res.ok()) return error(res.error());
    return json(200, Json{{"enforceRole", res.value().value("enforceRole", false)}});
  }
  if (req.method == "DELETE") {
    auto res = engine_.deleteGroup(id, force);
    return res.ok() ? deploymentReply(200, res.value()) : error(res.error());
  }
  return methodNotAllowed();
}

sim::HttpResponse MarathonApi::deployments(const sim::HttpRequest& req, const std::string& rest) {
  auto segs = splitSegments(rest);
  if (segs.empty()) {
    if (req.method != "GET") return methodNotAllowed();
    return json(200, engine_.listDeployments());
  }
  if (segs.size() != 1) return uriNotFound();
  if (req.method != "DELETE") return methodNotAllowed();
  auto res = engine_.cancelDeployment(segs[0], req.flag("force", false));
  if (!res.ok()) return error(res.error());
  if (!res.value()) {
    sim::HttpResponse r;
    r.status = 202;
    return r;
  }
  return deploymentReply(200, *res.value());
}

sim::HttpResponse MarathonApi::queue(const sim::HttpRequest& req, const std::string& rest) {
  auto segs = splitSegments(rest);
  if (segs.empty()) {
    if (req.method != "GET") return methodNotAllowed();
    return json(200, engine_.queue());
  }
  if (segs.size() >= 2 && segs.back() == "delay") {
    if (req.method != "DELETE") return methodNotAllowed();
    auto res = engine_.resetDelay(joinSegments(segs, 0, segs.size() - 1));
    if (!res.ok()) return error(res.error());
    sim::HttpResponse r;
    r.status = 204;
    return r;
  }
  return uriNotFound();
}

}  // namespace ceph_planner::marathon_sim
