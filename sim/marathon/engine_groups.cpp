// Groups, deployments, the queue, fault injection, events and state snapshots.

#include <algorithm>
#include <cmath>

#include "sim/marathon/app_validation.h"
#include "sim/marathon/engine_internal.h"
#include "sim/marathon/time_util.h"

namespace ceph_planner::marathon_sim {

namespace {
bool under(const std::string& id, const std::string& group) {
  if (group == "/") return id != "/";
  return id.size() > group.size() && id.compare(0, group.size(), group) == 0 &&
         id[group.size()] == '/';
}
}  // namespace

bool Engine::groupExists(const std::string& id) const {
  return groups_.count(id) > 0;
}

void Engine::collectGroupApps(const std::string& groupId, std::vector<std::string>& out) const {
  for (const auto& [id, _] : apps_)
    if (under(id, groupId)) out.push_back(id);
}

Engine::GroupSnapshot Engine::snapshotGroup(const std::string& groupId) const {
  GroupSnapshot s;
  s.groups = Json::array();
  for (const auto& [id, app] : apps_)
    if (under(id, groupId)) s.apps.push_back(app->def);
  for (const auto& [id, g] : groups_)
    if (id == groupId || under(id, groupId))
      s.groups.push_back({{"id", id}, {"dependencies", g->dependencies}});
  return s;
}

// Reads a GroupUpdate body for `groupId` into `change`: apps and nested groups named by the body.
std::variant<bool, ApiError> Engine::collectGroupBody(const Json& body, const std::string& groupId,
                                                      Change& change,
                                                      std::set<std::string>& keptApps,
                                                      std::set<std::string>& keptGroups) {
  if (!body.is_object()) return apiError(422, "Invalid JSON");
  std::vector<std::string> deps;
  if (body.contains("dependencies") && body["dependencies"].is_array())
    for (const auto& d : body["dependencies"])
      if (d.is_string()) deps.push_back(absolutePath(d.get<std::string>(), parentPath(groupId)));
  change.groupUpserts[groupId] = deps;
  keptGroups.insert(groupId);
  if (body.contains("apps")) {
    if (!body["apps"].is_array()) return apiError(422, "Invalid JSON");
    for (const auto& a : body["apps"]) {
      if (!a.is_object()) return apiError(422, "Invalid JSON");
      std::string id = absolutePath(a.value("id", std::string()), groupId);
      auto it = apps_.find(id);
      auto n = normaliseFor(a, groupId, it == apps_.end() ? nullptr : it->second->def.get());
      if (auto* e = std::get_if<ApiError>(&n)) return *e;
      Json def = std::get<Json>(std::move(n));
      if (change.apps.count(def["id"]))
        return apiError(422, "app '" + def["id"].get<std::string>() + "' is defined twice");
      std::string appId = def["id"];
      keptApps.insert(appId);
      change.apps[appId] = std::move(def);
    }
  }
  if (body.contains("groups")) {
    if (!body["groups"].is_array()) return apiError(422, "Invalid JSON");
    for (const auto& g : body["groups"]) {
      std::string gid = absolutePath(g.value("id", std::string()), groupId);
      if (!under(gid, groupId)) {
        return ApiError{
            422,
            Json{{"message", "Object is not valid"},
                 {"details", Json::array({Json{
                                 {"path", "/groups"},
                                 {"errors", {"Identifier is not child of '" + groupId + "'"}}}})}}};
      }
      auto r = collectGroupBody(g, gid, change, keptApps, keptGroups);
      if (auto* e = std::get_if<ApiError>(&r)) return *e;
    }
  }
  return true;
}

ApiResult<Json> Engine::getGroup(const std::string& id, const GroupEmbeds& embeds) {
  auto text = getGroupText(id, embeds);
  if (!text.ok()) return text.error();
  return Json::parse(text.value());
}

ApiResult<std::string> Engine::getGroupText(const std::string& id, const GroupEmbeds& embeds) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!groups_.count(id)) return apiError(404, "Group '" + id + "' does not exist");
  return groupViewText(id, embeds);
}

ApiResult<DeploymentRef> Engine::createGroup(const std::string& pathId, const Json& body,
                                             bool force) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!body.is_object()) return apiError(422, "Invalid JSON");
  std::string id = absolutePath(body.value("id", std::string()), pathId.empty() ? "/" : pathId);
  if (id == "/" && !pathId.empty() && pathId != "/") id = pathId;
  if (id != "/") {
    if (auto err = checkPathId(id)) {
      return ApiError{422,
                      Json{{"message", "Object is not valid"},
                           {"details", Json::array({Json{{"path", "/id"}, {"errors", {*err}}}})}}};
    }
  }
  if (apps_.count(id)) return apiError(409, "An app with the path " + id + " already exists.");
  if (groups_.count(id))
    return apiError(409, "Group " + id + " is already created. Use PUT to change this group.");
  Change c;
  std::set<std::string> keptApps, keptGroups;
  auto r = collectGroupBody(body, id, c, keptApps, keptGroups);
  if (auto* e = std::get_if<ApiError>(&r)) return *e;
  for (const auto& [aid, _] : c.apps)
    if (apps_.count(aid)) return apiError(409, "An app with id [" + aid + "] already exists.");
  c.snapshotGroups.insert(id);
  return commit(std::move(c), force);
}

ApiResult<DeploymentRef> Engine::updateGroup(const std::string& pathId, const Json& body,
                                             bool force, bool dryRun, Json* dryRunSteps) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!body.is_object()) return apiError(422, "Invalid JSON");
  std::string id = pathId.empty() ? "/" : pathId;
  if (body.contains("id") && body["id"].is_string() && (pathId.empty() || pathId == "/"))
    id = absolutePath(body["id"].get<std::string>(), "/");
  if (id != "/") {
    if (auto err = checkPathId(id)) {
      return ApiError{422,
                      Json{{"message", "Object is not valid"},
                           {"details", Json::array({Json{{"path", "/id"}, {"errors", {*err}}}})}}};
    }
  }
  Change c;
  if (body.contains("version") && body["version"].is_string()) {
    auto git = groups_.find(id);
    if (git == groups_.end()) return apiError(404, "Group '" + id + "' does not exist");
    std::string v = body["version"].get<std::string>();
    const GroupSnapshot* snap = nullptr;
    for (const auto& [ts, s] : git->second->versions)
      if (ts == v) snap = &s;
    if (!snap) return apiError(422, "Group " + id + " does not exist in version " + v);
    std::vector<std::string> current;
    collectGroupApps(id, current);
    for (const auto& a : current) c.apps[a] = std::nullopt;
    for (const auto& shared : snap->apps) {
      Json def = *shared;
      def.erase("version");
      def.erase("versionInfo");
      c.apps[def["id"]] = def;
    }
    for (const auto& g : snap->groups)
      c.groupUpserts[g["id"]] = g["dependencies"].get<std::vector<std::string>>();
  } else if (body.contains("scaleBy")) {
    if (!body["scaleBy"].is_number() || body["scaleBy"].get<double>() < 0)
      return apiError(422, "scaleBy must be a number >= 0");
    if (!groups_.count(id)) return apiError(404, "Group '" + id + "' does not exist");
    double f = body["scaleBy"].get<double>();
    std::vector<std::string> current;
    collectGroupApps(id, current);
    for (const auto& a : current) {
      Json def = *apps_[a]->def;
      def.erase("version");
      def.erase("versionInfo");
      def["instances"] = static_cast<int>(std::ceil(def.value("instances", 1) * f - 1e-9));
      c.apps[a] = def;
    }
  } else {
    std::set<std::string> keptApps, keptGroups;
    auto r = collectGroupBody(body, id, c, keptApps, keptGroups);
    if (auto* e = std::get_if<ApiError>(&r)) return *e;
    // Replace semantics: what the body does not name beneath the group goes away.
    if (body.contains("apps") || body.contains("groups")) {
      for (const auto& [aid, _] : apps_)
        if (under(aid, id) && !keptApps.count(aid)) c.apps[aid] = std::nullopt;
      for (const auto& [gid, _] : groups_)
        if (under(gid, id) && !keptGroups.count(gid)) c.groupRemovals.insert(gid);
    }
    c.snapshotGroups.insert(id);
  }
  if (dryRun) {
    auto p = prepare(std::move(c), true);
    if (!p.ok()) return p.error();
    Json steps = Json::array();
    for (const auto& step : p.value().deployment.steps) {
      Json actions = Json::array();
      for (const auto& a : step)
        actions.push_back({{"action", actionName(a.type)}, {"app", a.appId}});
      steps.push_back({{"actions", actions}});
    }
    if (dryRunSteps) *dryRunSteps = Json{{"steps", steps}};
    return DeploymentRef{p.value().deployment.id, p.value().deployment.version};
  }
  return commit(std::move(c), force);
}

ApiResult<DeploymentRef> Engine::deleteGroup(const std::string& id, bool force) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!groups_.count(id)) return apiError(404, "Group '" + id + "' does not exist");
  Change c;
  std::vector<std::string> current;
  collectGroupApps(id, current);
  for (const auto& a : current) c.apps[a] = std::nullopt;
  if (id != "/") c.groupRemovals.insert(id);
  for (const auto& [gid, _] : groups_)
    if (id == "/" && gid != "/") c.groupRemovals.insert(gid);
  return commit(std::move(c), force);
}

ApiResult<Json> Engine::groupVersions(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = groups_.find(id);
  if (it == groups_.end()) return apiError(404, "Group '" + id + "' does not exist");
  Json arr = Json::array();
  for (auto v = it->second->versions.rbegin(); v != it->second->versions.rend(); ++v)
    arr.push_back(v->first);
  return arr;
}

ApiResult<Json> Engine::groupVersion(const std::string& id, const std::string& ts) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = groups_.find(id);
  if (it == groups_.end()) return apiError(404, "Group '" + id + "' does not exist");
  for (const auto& [v, snap] : it->second->versions) {
    if (v != ts) continue;
    // Rebuild a GroupInfo-shaped tree from the snapshot.
    std::map<std::string, Json> groups;
    for (const auto& g : snap.groups)
      groups[g["id"]] = {{"id", g["id"]},
                         {"apps", Json::array()},
                         {"groups", Json::array()},
                         {"pods", Json::array()},
                         {"dependencies", g["dependencies"]},
                         {"version", v}};
    for (const auto& shared : snap.apps) {
      const Json& a = *shared;
      std::string parent = parentPath(a["id"]);
      if (groups.count(parent)) groups[parent]["apps"].push_back(a);
    }
    std::vector<std::string> ids;
    for (const auto& [gid, _] : groups) ids.push_back(gid);
    std::sort(ids.begin(), ids.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& gid : ids) {
      if (gid == id) continue;
      std::string parent = parentPath(gid);
      if (groups.count(parent)) groups[parent]["groups"].push_back(groups[gid]);
    }
    return groups[id];
  }
  return apiError(404, "Group '" + id + "' does not exist in version " + ts);
}

// ---------------------------------------------------------------------------------------------
// Deployments and queue.

Json Engine::listDeployments() {
  std::lock_guard<std::mutex> lock(mu_);
  Json arr = Json::array();
  for (const auto& d : deployments_) arr.push_back(deploymentView(d));
  return arr;
}

ApiResult<std::optional<DeploymentRef>> Engine::cancelDeployment(const std::string& id,
                                                                 bool force) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find_if(deployments_.begin(), deployments_.end(),
                         [&](const Deployment& d) { return d.id == id; });
  if (it == deployments_.end()) return apiError(404, "DeploymentPlan " + id + " does not exist");
  if (force) {
    for (const auto& a : it->affectedApps) {
      auto ait = apps_.find(a);
      if (ait != apps_.end() && ait->second->restartingBy == id) ait->second->restartingBy.clear();
    }
    publishLocked("deployment_failed",
                  {{"id", id}, {"plan", planView(*it)}, {"reason", "canceled"}});
    deployments_.erase(it);
    return std::optional<DeploymentRef>();
  }
  Change c;
  for (const auto& [appId, orig] : it->original) {
    if (orig) {
      Json def = *orig;
      def.erase("version");
      def.erase("versionInfo");
      c.apps[appId] = def;
    } else {
      c.apps[appId] = std::nullopt;
    }
  }
  auto r = commit(std::move(c), true);
  if (!r.ok()) return r.error();
  return std::optional<DeploymentRef>(r.value());
}

Json Engine::queue() {
  std::lock_guard<std::mutex> lock(mu_);
  TimePoint now = clock_->now();
  Json arr = Json::array();
  for (const auto& [id, app] : apps_) {
    if (app->pendingLaunch <= 0) continue;
    double left = std::max<double>(
        0, std::ceil(std::chrono::duration<double>(app->delayUntil - now).count()));
    Json rejects = Json::array();
    for (const char* reason :
         {"UnfulfilledRole", "UnfulfilledConstraint", "NoCorrespondingReservationFound",
          "AgentMaintenance", "InsufficientCpus", "InsufficientMemory", "InsufficientDisk",
          "InsufficientGpus", "InsufficientPorts", "DeclinedScarceResources"}) {
      auto r = app->rejects.find(reason);
      int n = r == app->rejects.end() ? 0 : r->second;
      rejects.push_back({{"reason", reason}, {"declined", n}, {"processed", app->processedOffers}});
    }
    Json summary = {{"processedOffersCount", app->processedOffers},
                    {"unusedOffersCount", app->unusedOffers},
                    {"rejectSummaryLastOffers", rejects},
                    {"rejectSummaryLaunchAttempt", rejects}};
    if (app->lastUnusedOfferAt)
      summary["lastUnusedOfferAt"] = isoTimestamp(*app->lastUnusedOfferAt);
    if (app->lastUsedOfferAt) summary["lastUsedOfferAt"] = isoTimestamp(*app->lastUsedOfferAt);
    arr.push_back({{"app", *app->def},
                   {"count", app->pendingLaunch},
                   {"role", "*"},
                   {"delay", {{"timeLeftSeconds", static_cast<int>(left)}, {"overdue", left <= 0}}},
                   {"since", isoTimestamp(app->queuedSince.value_or(now))},
                   {"processedOffersSummary", summary}});
  }
  return Json{{"queue", arr}};
}

ApiResult<bool> Engine::resetDelay(const std::string& appId) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = apps_.find(appId);
  if (it == apps_.end() || it->second->pendingLaunch <= 0)
    return apiError(404, "Application " + appId + " not found in tasks queue.");
  it->second->delaySeconds = 0;
  it->second->delayUntil = clock_->now();
  return true;
}

// ---------------------------------------------------------------------------------------------
// Fault injection.

ApiResult<Json> Engine::setAgentUp(const std::string& hostname, bool up) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = agentsByHost_.find(hostname);
  if (it == agentsByHost_.end()) return apiError(404, "agent '" + hostname + "' does not exist");
  TimePoint now = clock_->now();
  for (size_t idx : it->second) {
    agents_[idx].up = up;
    for (auto& [tid, t] : tasks_) {
      if (t.agent != idx) continue;
      if (!up && !isTerminal(t.state) && t.state != TaskState::Unreachable) {
        t.state = TaskState::Unreachable;
        t.unreachableSince = now;
        t.stateSince = now;
        statusEvent(t, "agent '" + hostname + "' is unreachable");
      } else if (up && t.state == TaskState::Unreachable) {
        t.state = TaskState::Running;
        t.unreachableSince.reset();
        t.stateSince = now;
        statusEvent(t, "agent '" + hostname + "' is back");
      }
    }
  }
  return Json{{"hostname", hostname}, {"up", up}};
}

ApiResult<Json> Engine::setTaskHealth(const std::string& taskId, bool healthy) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tasks_.find(taskId);
  if (it == tasks_.end()) return apiError(404, "Task '" + taskId + "' does not exist");
  it->second.forcedUnhealthy = !healthy;
  return Json{{"taskId", taskId}, {"healthy", healthy}};
}

ApiResult<Json> Engine::crashTask(const std::string& taskId) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tasks_.find(taskId);
  if (it == tasks_.end()) return apiError(404, "Task '" + taskId + "' does not exist");
  Json view = taskView(it->second, false);
  finishTask(taskId, TaskState::Failed, clock_->now());
  return view;
}

Json Engine::history() {
  std::lock_guard<std::mutex> lock(mu_);
  Json arr = Json::array();
  for (const auto& h : history_) {
    Json e = {{"id", h.taskId},
              {"appId", h.appId},
              {"host", h.host},
              {"startedAt", isoTimestamp(h.startedAt)}};
    e["endedAt"] = h.endedAt ? Json(isoTimestamp(*h.endedAt)) : Json();
    e["state"] = h.finalState.empty() ? Json() : Json(h.finalState);
    arr.push_back(e);
  }
  return arr;
}

Json Engine::agentsJson() {
  std::lock_guard<std::mutex> lock(mu_);
  Json arr = Json::array();
  for (const auto& a : agents_) {
    Json ranges = Json::array();
    for (const auto& r : a.ports) ranges.push_back({r.begin, r.end});
    arr.push_back(
        {{"hostname", a.hostname},
         {"id", a.id},
         {"ip", a.ip},
         {"up", a.up},
         {"attributes", a.attributes},
         {"resources", {{"cpus", a.cpus}, {"mem", a.mem}, {"disk", a.disk}, {"ports", ranges}}},
         {"used",
          {{"cpus", a.usedCpus},
           {"mem", a.usedMem},
           {"disk", a.usedDisk},
           {"ports", a.usedPorts}}}});
  }
  return arr;
}

// ---------------------------------------------------------------------------------------------
// Events and state.

int Engine::addListener(EventListener l) {
  std::lock_guard<std::mutex> lock(mu_);
  int id = nextListener_++;
  listeners_[id] = std::move(l);
  return id;
}

void Engine::removeListener(int id) {
  std::lock_guard<std::mutex> lock(mu_);
  listeners_.erase(id);
}

void Engine::publish(const std::string& type, Json payload) {
  std::lock_guard<std::mutex> lock(mu_);
  publishLocked(type, std::move(payload));
}

void Engine::publishLocked(const std::string& type, Json payload) {
  if (listeners_.empty()) return;
  payload["eventType"] = type;
  payload["timestamp"] = isoTimestamp(clock_->now());
  for (auto& [_, l] : listeners_) l(type, payload);
}

Json Engine::saveState() {
  std::lock_guard<std::mutex> lock(mu_);
  Json apps = Json::array(), groups = Json::array();
  for (const auto& [id, app] : apps_) apps.push_back(*app->def);
  for (const auto& [id, g] : groups_)
    groups.push_back({{"id", id}, {"dependencies", g->dependencies}});
  return {{"apps", apps}, {"groups", groups}};
}

Status Engine::loadState(const Json& state) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!state.is_object() || !state.contains("apps") || !state["apps"].is_array())
    return makeError(ErrorCode::InvalidInput, "state file has no 'apps' array");
  Change c;
  for (const auto& g : state.value("groups", Json::array()))
    if (g.value("id", std::string()) != "/")
      c.groupUpserts[g["id"]] = g.value("dependencies", std::vector<std::string>());
  for (Json def : state["apps"]) {
    std::string version = def.value("version", std::string());
    def.erase("version");
    def.erase("versionInfo");
    auto n = normaliseFor(def, "/", nullptr);
    if (auto* e = std::get_if<ApiError>(&n))
      return makeError(ErrorCode::InvalidInput, "state file app is invalid: " + e->body.dump());
    c.apps[std::get<Json>(n)["id"]] = std::get<Json>(n);
  }
  auto r = commit(std::move(c), true);
  if (!r.ok())
    return makeError(ErrorCode::InvalidInput, "cannot load state: " + r.error().body.dump());
  return okStatus();
}

}  // namespace ceph_planner::marathon_sim
