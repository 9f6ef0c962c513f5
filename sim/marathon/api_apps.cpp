// /v2/apps and /v2/tasks routes.

#include "sim/marathon/api.h"
#include "sim/marathon/app_validation.h"

namespace ceph_planner::marathon_sim {

using namespace api_detail;

namespace {

KillOptions killOptions(const sim::HttpRequest& req) {
  KillOptions o;
  o.scale = req.flag("scale", false);
  o.wipe = req.flag("wipe", false);
  o.force = req.flag("force", false);
  o.host = req.param("host");
  return o;
}

}  // namespace

sim::HttpResponse MarathonApi::apps(const sim::HttpRequest& req, const std::string& rest) {
  auto segs = splitSegments(rest);
  bool force = req.flag("force", false);
  AppEmbeds embeds = parseAppEmbeds(req.params("embed"));
  if (segs.empty()) {
    if (req.method == "GET") {
      return json(200,
                  engine_.listApps(req.param("id"), req.param("cmd"), req.param("label"), embeds));
    }
    if (req.method == "POST") {
      auto body = parseBody(req.body);
      if (auto* r = std::get_if<sim::HttpResponse>(&body)) return *r;
      const Json& app = std::get<Json>(body);
      auto res = engine_.createApp(app, force);
      if (!res.ok()) return error(res.error());
      postEvent(req, res.value().first);
      auto r = json(201, res.value().first);
      r.headers.push_back(
          {"Location", "http://" + selfAddress_ + res.value().first["id"].get<std::string>()});
      r.headers.push_back({"Marathon-Deployment-Id", res.value().second.id});
      return r;
    }
    if (req.method == "PUT" || req.method == "PATCH") {
      auto body = parseBody(req.body);
      if (auto* r = std::get_if<sim::HttpResponse>(&body)) return *r;
      const Json& arr = std::get<Json>(body);
      if (!arr.is_array())
        return json(
            422,
            Json{{"message", "Invalid JSON"},
                 {"details",
                  Json::array({Json{{"path", "/"}, {"errors", {"error.expected.jsarray"}}}})}});
      std::vector<Json> bodies(arr.begin(), arr.end());
      if (req.method == "PATCH") {
        for (const auto& b : bodies) {
          std::string id = absolutePath(b.value("id", std::string()), "/");
          if (!engine_.getApp(id, {}).ok())
            return json(404, Json{{"message", "App '" + id + "' does not exist"}});
        }
      }
      auto res = engine_.updateApps(bodies, "", req.flag("partialUpdate", true),
                                    req.method == "PATCH", force, nullptr);
      if (!res.ok()) return error(res.error());
      for (const auto& b : bodies) postEvent(req, b);
      return deploymentReply(200, res.value());
    }
    return methodNotAllowed();
  }

  const std::string& last = segs.back();
  if (last == "*") {
    if (req.method != "GET") return methodNotAllowed();
    auto res = engine_.appsUnder(joinSegments(segs, 0, segs.size() - 1), embeds);
    return res.ok() ? json(200, res.value()) : error(res.error());
  }
  if (last == "restart" && segs.size() > 1) {
    if (req.method != "POST") return methodNotAllowed();
    if (!req.body.empty()) {
      auto body = parseBody(req.body);
      if (auto* r = std::get_if<sim::HttpResponse>(&body)) return *r;
      const Json& b = std::get<Json>(body);
      if (b.is_object() && b.value("force", false)) force = true;
    }
    auto res = engine_.restartApp(joinSegments(segs, 0, segs.size() - 1), force);
    return res.ok() ? deploymentReply(200, res.value()) : error(res.error());
  }
  if (last == "versions" && segs.size() > 1) {
    if (req.method != "GET") return methodNotAllowed();
    auto res = engine_.appVersions(joinSegments(segs, 0, segs.size() - 1));
    return res.ok() ? json(200, res.value()) : error(res.error());
  }
  if (segs.size() > 2 && segs[segs.size() - 2] == "versions") {
    if (req.method != "GET") return methodNotAllowed();
    auto res = engine_.appVersion(joinSegments(segs, 0, segs.size() - 2), last);
    return res.ok() ? json(200, res.value()) : error(res.error());
  }
  if (last == "tasks" && segs.size() > 1) {
    std::string id = joinSegments(segs, 0, segs.size() - 1);
    if (req.method == "GET") {
      auto res = engine_.appTasks(id);
      return res.ok() ? json(200, res.value()) : error(res.error());
    }
    if (req.method == "DELETE") {
      DeploymentRef ref;
      auto res = engine_.killAppTasks(id, {}, killOptions(req), false, &ref);
      if (!res.ok()) return error(res.error());
      return req.flag("scale", false) ? deploymentReply(200, ref) : json(200, res.value());
    }
    return methodNotAllowed();
  }
  if (segs.size() > 2 && segs[segs.size() - 2] == "tasks") {
    if (req.method != "DELETE") return methodNotAllowed();
    DeploymentRef ref;
    auto res = engine_.killAppTasks(joinSegments(segs, 0, segs.size() - 2), {last},
                                    killOptions(req), true, &ref);
    if (!res.ok()) return error(res.error());
    return req.flag("scale", false) ? deploymentReply(200, ref) : json(200, res.value());
  }

  std::string id = joinSegments(segs, 0, segs.size());
  if (req.method == "GET") {
    auto res = engine_.getApp(id, embeds);
    return res.ok() ? json(200, res.value()) : error(res.error());
  }
  if (req.method == "PUT" || req.method == "PATCH") {
    auto body = parseBody(req.body);
    if (auto* r = std::get_if<sim::HttpResponse>(&body)) return *r;
    Json b = std::get<Json>(body);
    // The path names the app; an `id` in the body is ignored.
    bool created = false;
    auto res = engine_.updateApps({b}, id, req.flag("partialUpdate", true), req.method == "PATCH",
                                  force, &created);
    if (!res.ok()) return error(res.error());
    postEvent(req, b);
    auto r = deploymentReply(created ? 201 : 200, res.value());
    if (created) r.headers.push_back({"Location", "http://" + selfAddress_ + id});
    return r;
  }
  if (req.method == "DELETE") {
    auto res = engine_.deleteApp(id, req.flag("force", true));
    return res.ok() ? deploymentReply(200, res.value()) : error(res.error());
  }
  return methodNotAllowed();
}

sim::HttpResponse MarathonApi::tasks(const sim::HttpRequest& req, const std::string& rest) {
  if (rest.empty() || rest == "/") {
    if (req.method != "GET") return methodNotAllowed();
    std::vector<std::string> statuses = req.params("status");
    for (const auto& s : req.params("status[]")) statuses.push_back(s);
    return json(200, engine_.listTasks(statuses));
  }
  if (rest == "/delete") {
    if (req.method != "POST") return methodNotAllowed();
    auto body = parseBody(req.body);
    if (auto* r = std::get_if<sim::HttpResponse>(&body)) return *r;
    const Json& b = std::get<Json>(body);
    if (!b.is_object() || !b.contains("ids") || !b["ids"].is_array())
      return json(
          422, Json{{"message", "Invalid JSON"},
                    {"details",
                     Json::array({Json{{"path", "/ids"}, {"errors", {"error.path.missing"}}}})}});
    std::vector<std::string> ids;
    for (const auto& i : b["ids"])
      if (i.is_string()) ids.push_back(i.get<std::string>());
    DeploymentRef ref;
    auto res = engine_.killTasksById(ids, killOptions(req), &ref);
    if (!res.ok()) return error(res.error());
    return req.flag("scale", false) ? deploymentReply(200, ref) : json(200, res.value());
  }
  return uriNotFound();
}

}  // namespace ceph_planner::marathon_sim
