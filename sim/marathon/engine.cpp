// Engine construction, the change pipeline (prepare → plan → apply) and the app/task endpoints.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/marathon/app_validation.h"
#include "sim/marathon/engine_internal.h"
#include "sim/marathon/time_util.h"

namespace ceph_planner::marathon_sim {

namespace {

// Marathon keeps a bounded history per app and group (`--max_versions`); so do we.
constexpr size_t kMaxGroupVersions = 50;

std::string lowerCopy(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool isUnder(const std::string& id, const std::string& group) {
  if (group == "/") return true;
  return id.size() > group.size() && id.compare(0, group.size(), group) == 0 &&
         id[group.size()] == '/';
}

// Label selector: `k`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`; comma = AND (outside
// parentheses).
bool labelsMatch(const std::map<std::string, std::string>& labels, const std::string& selector) {
  std::vector<std::string> terms;
  std::string cur;
  int depth = 0;
  for (char c : selector) {
    if (c == '(') depth++;
    if (c == ')') depth--;
    if (c == ',' && depth == 0) {
      terms.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) terms.push_back(cur);
  auto trim = [](std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
  };
  for (auto term : terms) {
    term = trim(term);
    if (term.empty()) continue;
    size_t pos;
    if ((pos = term.find("==")) != std::string::npos) {
      auto it = labels.find(trim(term.substr(0, pos)));
      if (it == labels.end() || it->second != trim(term.substr(pos + 2))) return false;
    } else if ((pos = term.find("!=")) != std::string::npos) {
      auto it = labels.find(trim(term.substr(0, pos)));
      if (it != labels.end() && it->second == trim(term.substr(pos + 2))) return false;
    } else if ((pos = term.find(" notin ")) != std::string::npos ||
               (pos = term.find(" in ")) != std::string::npos) {
      bool notin = term.compare(pos, 7, " notin ") == 0;
      std::string key = trim(term.substr(0, pos));
      std::string rest = term.substr(pos + (notin ? 7 : 4));
      auto open = rest.find('('), close = rest.rfind(')');
      std::set<std::string> values;
      if (open != std::string::npos && close != std::string::npos) {
        std::string inner = rest.substr(open + 1, close - open - 1);
        size_t p = 0;
        while (p <= inner.size()) {
          size_t comma = inner.find(',', p);
          if (comma == std::string::npos) comma = inner.size();
          values.insert(trim(inner.substr(p, comma - p)));
          p = comma + 1;
        }
      }
      auto it = labels.find(key);
      bool in = it != labels.end() && values.count(it->second);
      if (notin ? in : !in) return false;
    } else {
      if (!labels.count(term)) return false;
    }
  }
  return true;
}

}  // namespace

AppEmbeds parseAppEmbeds(const std::vector<std::string>& embeds) {
  AppEmbeds e;
  for (auto v : embeds) {
    for (const char* prefix : {"group.apps.", "apps.", "app."}) {
      std::string p = prefix;
      if (v.compare(0, p.size(), p) == 0) {
        v = v.substr(p.size());
        break;
      }
    }
    if (v == "tasks") {
      e.tasks = true;
      e.deployments = true;
    } else if (v == "counts") {
      e.counts = true;
    } else if (v == "deployments") {
      e.deployments = true;
    } else if (v == "readiness") {
      e.readiness = true;
    } else if (v == "lastTaskFailure") {
      e.lastTaskFailure = true;
    } else if (v == "failures") {
      e.tasks = e.lastTaskFailure = e.deployments = true;
    } else if (v == "taskStats") {
      e.taskStats = true;
    }
  }
  return e;
}

Engine::Engine(ClockPtr clock, std::vector<Agent> agents, uint64_t seed,
               std::unique_ptr<TaskDriver> driver, bool execMode)
    : clock_(std::move(clock)),
      agents_(std::move(agents)),
      driver_(driver ? std::move(driver) : makeSimulatedDriver()),
      execMode_(execMode),
      rng_(seed) {
  for (size_t i = 0; i < agents_.size(); ++i) {
    if (agents_[i].id.empty()) {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%08llx-sim-agent-S%zu",
                    static_cast<unsigned long long>(rng_() & 0xffffffffULL), i);
      agents_[i].id = buf;
    }
    agentsByHost_[agents_[i].hostname].push_back(i);
  }
  placementCursor_ = agents_.empty() ? 0 : rng_() % agents_.size();
  auto root = std::make_unique<GroupRecord>();
  root->id = "/";
  root->version = nextVersion();
  groups_["/"] = std::move(root);
}

Engine::~Engine() = default;

std::string Engine::nextVersion() {
  TimePoint now = clock_->now();
  if (now <= lastVersion_) now = lastVersion_ + Millis(1);
  lastVersion_ = now;
  return isoTimestamp(now);
}

std::string Engine::newUuid() {
  uint64_t a = rng_(), b = rng_();
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

std::set<int> Engine::usedServicePorts(const std::string& exceptApp) const {
  std::set<int> out;
  for (const auto& [id, app] : apps_) {
    if (id == exceptApp) continue;
    for (int p : app->p.portNumbers) out.insert(p);
  }
  return out;
}

std::variant<Json, ApiError> Engine::normaliseFor(const Json& raw, const std::string& baseGroup,
                                                  const Json* previous) {
  if (!raw.is_object()) {
    return ApiError{
        422, Json{{"message", "Invalid JSON"},
                  {"details",
                   Json::array({Json{{"path", "/"}, {"errors", {"error.expected.jsobject"}}}})}}};
  }
  Json schemaInput = raw;
  if (schemaInput.contains("constraints") && schemaInput["constraints"].is_array()) {
    for (auto& c : schemaInput["constraints"])
      if (c.is_array() && c.size() >= 2 && c[1].is_string()) {
        std::string op = c[1].get<std::string>();
        for (auto& ch : op) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        c[1] = op;
      }
  }
  if (schemaInput.contains("id") && schemaInput["id"].is_string()) {
    // Relative ids are valid input; the schema's path pattern is checked on the resolved id.
    schemaInput["id"] = absolutePath(schemaInput["id"].get<std::string>(), baseGroup);
  }
  if (auto f = checkAppSchema(schemaInput)) return ApiError{422, f->toJson()};
  std::string id = absolutePath(raw.value("id", std::string()), baseGroup);
  // Only apps with a dynamic service port need the (O(apps)) set of ports in use.
  bool dynamicPort = !raw.contains("portDefinitions") && !raw.contains("ports");
  for (const char* key : {"portDefinitions", "ports"}) {
    if (!raw.contains(key) || !raw[key].is_array()) continue;
    for (const auto& p : raw[key]) {
      int port = p.is_object() ? p.value("port", 0) : (p.is_number_integer() ? p.get<int>() : 0);
      if (port == 0) dynamicPort = true;
    }
  }
  std::set<int> used;
  if (dynamicPort) {
    used = usedServicePorts(id);
    used.insert(requestServicePorts_.begin(), requestServicePorts_.end());
  }
  NormaliseOptions opts;
  opts.baseGroup = baseGroup;
  opts.execMode = execMode_;
  opts.usedServicePorts = &used;
  opts.previous = previous;
  auto r = normaliseApp(raw, opts);
  if (auto* f = std::get_if<ValidationFailure>(&r)) return ApiError{422, f->toJson()};
  for (const auto& pd : std::get<Json>(r)["portDefinitions"])
    requestServicePorts_.insert(pd.value("port", 0));
  return std::get<Json>(std::move(r));
}

std::vector<std::string> Engine::conflictsWith(const std::set<std::string>& apps) const {
  std::vector<std::string> out;
  for (const auto& d : deployments_) {
    for (const auto& a : d.affectedApps) {
      if (apps.count(a)) {
        out.push_back(d.id);
        break;
      }
    }
  }
  return out;
}

ApiError Engine::lockedError(const std::vector<std::string>& ids) const {
  Json deps = Json::array();
  for (const auto& id : ids) deps.push_back({{"id", id}});
  std::string msg =
      "App is locked by one or more deployments. Override with the option '?force=true'. View "
      "details at '/v2/deployments/" +
      (ids.empty() ? std::string() : ids.front()) + "'.";
  return ApiError{409, Json{{"message", msg}, {"deployments", deps}}};
}

ApiResult<Engine::Prepared> Engine::prepare(Change change, bool force) {
  requestServicePorts_.clear();
  Prepared p;
  std::string ts = nextVersion();
  Deployment& d = p.deployment;
  d.id = newUuid();
  d.version = ts;
  std::vector<std::string> stops, starts;
  std::map<std::string, ActionType> kinds;
  std::set<std::string> affected;
  std::set<std::string> ids;
  for (const auto& [id, _] : change.apps) ids.insert(id);
  for (const auto& id : change.restarts) ids.insert(id);
  for (const auto& id : ids) {
    auto it = apps_.find(id);
    const JsonPtr* beforePtr = it == apps_.end() ? nullptr : &it->second->def;
    const Json* before = beforePtr ? beforePtr->get() : nullptr;
    auto cit = change.apps.find(id);
    std::optional<Json> after;
    if (cit != change.apps.end()) {
      // Each id is visited once and `change.apps` is not read after this loop: move, not copy
      // (a 25,000-app PUT would otherwise hold every definition twice here).
      after = std::move(cit->second);
    } else if (before) {
      after = *before;
    }
    if (!before && !after) continue;
    if (!after) {
      stops.push_back(id);
      affected.insert(id);
      d.original[id] = *beforePtr;
      d.target[id] = nullptr;
      continue;
    }
    Json def = std::move(*after);
    if (!before) {
      def["version"] = ts;
      def["versionInfo"] = {{"lastScalingAt", ts}, {"lastConfigChangeAt", ts}};
      starts.push_back(id);
      kinds[id] = ActionType::ScaleApplication;
      p.configChanged.insert(id);
    } else if (change.restarts.count(id) || isUpgrade(*before, def)) {
      bool forced = change.restarts.count(id) && !isUpgrade(*before, def);
      def["version"] = ts;
      def["versionInfo"] = {
          {"lastScalingAt", forced ? (*before)["versionInfo"]["lastScalingAt"] : Json(ts)},
          {"lastConfigChangeAt", ts}};
      kinds[id] = ActionType::RestartApplication;
      p.configChanged.insert(id);
    } else if (def.value("instances", 1) != before->value("instances", 1)) {
      def["version"] = ts;
      def["versionInfo"] = {{"lastScalingAt", ts},
                            {"lastConfigChangeAt", (*before)["versionInfo"]["lastConfigChangeAt"]}};
      kinds[id] = ActionType::ScaleApplication;
    } else if (std::any_of(change.sentenced.begin(), change.sentenced.end(), [&](const auto& t) {
                 auto tt = tasks_.find(t);
                 return tt != tasks_.end() && tt->second.appId == id;
               })) {
      def["version"] = (*before)["version"];
      def["versionInfo"] = (*before)["versionInfo"];
      kinds[id] = ActionType::ScaleApplication;
    } else {
      continue;  // Unchanged: keeps its version and is not part of the plan.
    }
    affected.insert(id);
    d.original[id] = beforePtr ? *beforePtr : nullptr;
    auto shared = std::make_shared<const Json>(std::move(def));
    d.target[id] = shared;
    p.stamped[id] = shared;
  }

  // Dependency graph of the resulting root group: cycles are rejected, depth orders the steps.
  std::map<std::string, const Json*> world;
  for (const auto& [id, app] : apps_) world[id] = app->def.get();
  for (const auto& id : stops) world.erase(id);
  for (const auto& [id, def] : p.stamped) world[id] = def.get();
  std::map<std::string, std::vector<std::string>> groupDeps;
  for (const auto& [id, g] : groups_) groupDeps[id] = g->dependencies;
  for (const auto& [id, deps] : change.groupUpserts) groupDeps[id] = deps;
  auto expand = [&](const std::string& path, std::vector<std::string>& out) {
    if (world.count(path)) {
      out.push_back(path);
      return;
    }
    for (auto it = world.lower_bound(path + "/"); it != world.end() && isUnder(it->first, path);
         ++it)
      out.push_back(it->first);
  };
  bool anyDeps = false;
  for (const auto& [id, deps] : groupDeps) anyDeps = anyDeps || !deps.empty();
  for (const auto& [id, def] : world) anyDeps = anyDeps || !(*def)["dependencies"].empty();
  std::map<std::string, int> depth;
  if (anyDeps) {
    std::map<std::string, std::vector<std::string>> edges;
    for (const auto& [id, def] : world) {
      auto& e = edges[id];
      for (const auto& dep : (*def)["dependencies"]) expand(dep.get<std::string>(), e);
      for (std::string g = parentPath(id);; g = parentPath(g)) {
        auto git = groupDeps.find(g);
        if (git != groupDeps.end())
          for (const auto& dep : git->second) {
            std::vector<std::string> targets;
            expand(dep, targets);
            for (auto& t : targets)
              if (!isUnder(t, g)) e.push_back(t);
          }
        if (g == "/") break;
      }
    }
    std::map<std::string, int> color;  // 0 new, 1 visiting, 2 done
    bool cycle = false;
    std::function<int(const std::string&)> visit = [&](const std::string& id) -> int {
      if (color[id] == 1) {
        cycle = true;
        return 0;
      }
      if (color[id] == 2) return depth[id];
      color[id] = 1;
      int best = 0;
      for (const auto& dep : edges[id])
        if (dep != id) best = std::max(best, visit(dep) + 1);
      color[id] = 2;
      depth[id] = best;
      return best;
    };
    for (const auto& [id, _] : world) visit(id);
    if (cycle) return apiError(422, "Dependency graph has cyclic dependencies.");
  }

  auto conflicts = conflictsWith(affected);
  if (!conflicts.empty() && !force) return lockedError(conflicts);
  p.cancel = conflicts;

  if (!stops.empty()) {
    std::vector<DeploymentAction> step;
    for (const auto& id : stops) step.push_back({ActionType::StopApplication, id});
    d.steps.push_back(step);
  }
  if (!starts.empty()) {
    std::vector<DeploymentAction> step;
    for (const auto& id : starts) step.push_back({ActionType::StartApplication, id});
    d.steps.push_back(step);
  }
  std::map<int, std::vector<DeploymentAction>> byDepth;
  for (const auto& [id, kind] : kinds)
    byDepth[depth.count(id) ? depth[id] : 0].push_back({kind, id});
  for (auto& [_, step] : byDepth) d.steps.push_back(step);
  d.affectedApps.assign(affected.begin(), affected.end());
  d.sentencedTasks = change.sentenced;
  p.change = std::move(change);
  return p;
}

DeploymentRef Engine::apply(Prepared p) {
  TimePoint now = clock_->now();
  for (const auto& id : p.cancel) {
    auto it = std::find_if(deployments_.begin(), deployments_.end(),
                           [&](const Deployment& d) { return d.id == id; });
    if (it == deployments_.end()) continue;
    for (const auto& a : it->affectedApps) {
      auto ait = apps_.find(a);
      if (ait != apps_.end() && ait->second->restartingBy == id) ait->second->restartingBy.clear();
    }
    publishLocked("deployment_failed",
                  {{"id", id}, {"plan", planView(*it)}, {"reason", "canceled"}});
    deployments_.erase(it);
  }
  Deployment& d = p.deployment;
  for (const auto& [id, target] : d.target) {
    if (!target) {
      auto it = apps_.find(id);
      if (it != apps_.end()) {
        stopping_[id] = it->second->p;
        apps_.erase(it);
      }
      continue;
    }
    auto& rec = apps_[id];
    if (!rec) rec = std::make_unique<AppRecord>();
    stopping_.erase(id);
    std::string oldVersion = rec->def ? rec->def->value("version", std::string()) : "";
    rec->def = target;
    rec->p = appParamsFromJson(*rec->def);
    std::string v = rec->def->at("version").get<std::string>();
    if (v != oldVersion) {
      rec->versionOrder.push_back(v);
      rec->versions[v] = rec->def;
      if (rec->versionOrder.size() > kMaxGroupVersions) {
        rec->versions.erase(rec->versionOrder.front());
        rec->versionOrder.erase(rec->versionOrder.begin());
      }
    }
    if (p.configChanged.count(id)) {
      rec->delaySeconds = 0;
      rec->delayUntil = now;
    }
    // Ancestor groups exist implicitly.
    for (std::string g = parentPath(id); g != "/"; g = parentPath(g)) {
      auto& gr = groups_[g];
      if (!gr) {
        gr = std::make_unique<GroupRecord>();
        gr->id = g;
      }
      gr->version = d.version;
    }
  }
  for (const auto& id : p.change.groupRemovals) {
    for (auto it = groups_.begin(); it != groups_.end();) {
      if (it->first != "/" && (it->first == id || isUnder(it->first, id))) {
        it = groups_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const auto& [id, deps] : p.change.groupUpserts) {
    for (std::string g = id; g != "/"; g = parentPath(g)) {
      auto& gr = groups_[g];
      if (!gr) {
        gr = std::make_unique<GroupRecord>();
        gr->id = g;
      }
      gr->version = d.version;
    }
    groups_[id]->dependencies = deps;
  }
  groups_["/"]->version = d.version;
  for (const auto& g : p.change.snapshotGroups) {
    auto it = groups_.find(g);
    if (it == groups_.end()) continue;
    auto& versions = it->second->versions;
    versions.push_back({d.version, snapshotGroup(g)});
    if (versions.size() > kMaxGroupVersions) versions.erase(versions.begin());
  }
  DeploymentRef ref{d.id, d.version};
  if (d.steps.empty()) {
    publishLocked("deployment_success", {{"id", d.id}, {"plan", planView(d)}});
  } else {
    deployments_.push_back(std::move(d));
  }
  return ref;
}

ApiResult<DeploymentRef> Engine::commit(Change change, bool force) {
  auto p = prepare(std::move(change), force);
  if (!p.ok()) return p.error();
  return apply(std::move(p.value()));
}

// ---------------------------------------------------------------------------------------------
// Apps.

ApiResult<std::pair<Json, DeploymentRef>> Engine::createApp(const Json& body, bool force) {
  std::lock_guard<std::mutex> lock(mu_);
  auto n = normaliseFor(body, "/", nullptr);
  if (auto* e = std::get_if<ApiError>(&n)) return *e;
  Json def = std::get<Json>(std::move(n));
  std::string id = def["id"];
  if (apps_.count(id)) return apiError(409, "An app with id [" + id + "] already exists.");
  if (groups_.count(id)) return apiError(409, "A group with id [" + id + "] already exists.");
  Change c;
  c.apps[id] = def;
  auto ref = commit(std::move(c), force);
  if (!ref.ok()) return ref.error();
  Json view = *apps_[id]->def;
  view["tasksStaged"] = 0;
  view["tasksRunning"] = 0;
  view["tasksHealthy"] = 0;
  view["tasksUnhealthy"] = 0;
  view["deployments"] = Json::array({Json{{"id", ref.value().id}}});
  view["tasks"] = Json::array();
  return std::make_pair(view, ref.value());
}

ApiResult<DeploymentRef> Engine::updateApps(const std::vector<Json>& bodies,
                                            const std::string& pathId, bool partial, bool patch,
                                            bool force, bool* created) {
  std::lock_guard<std::mutex> lock(mu_);
  Change c;
  if (created) *created = false;
  for (const auto& body : bodies) {
    if (!body.is_object()) return apiError(422, "Invalid JSON");
    std::string id = pathId.empty() ? absolutePath(body.value("id", std::string()), "/") : pathId;
    if (id == "/") {
      return ApiError{
          422,
          Json{{"message", "Object is not valid"},
               {"details",
                Json::array({Json{{"path", "/id"},
                                  {"errors", {"Path must contain at least one path element"}}}})}}};
    }
    auto it = apps_.find(id);
    if (body.contains("version")) {
      for (const auto& [k, _] : body.items()) {
        if (k != "version" && k != "id")
          return ApiError{
              422,
              Json{{"message", "Object is not valid"},
                   {"details",
                    Json::array({Json{
                        {"path", "/"},
                        {"errors",
                         {"The 'version' field may only be combined with the 'id' field."}}}})}}};
      }
      if (it == apps_.end()) return apiError(404, "App '" + id + "' does not exist");
      std::string v = body["version"].get<std::string>();
      auto vit = it->second->versions.find(v);
      if (vit == it->second->versions.end())
        return apiError(404, "App '" + id + "' does not exist in version " + v);
      Json def = *vit->second;
      def.erase("version");
      def.erase("versionInfo");
      c.apps[id] = def;
      continue;
    }
    Json raw;
    const Json* previous = nullptr;
    if (it == apps_.end()) {
      if (patch) return apiError(404, "App '" + id + "' does not exist");
      raw = body;
    } else {
      previous = it->second->def.get();
      if (partial || patch) {
        raw = *it->second->def;
        raw.erase("version");
        raw.erase("versionInfo");
        for (const auto& [k, v] : body.items()) {
          if (k == "ports") raw.erase("portDefinitions");
          if (k == "uris") raw.erase("fetch");
          raw[k] = v;
        }
      } else {
        raw = body;
      }
    }
    raw["id"] = id;
    auto n = normaliseFor(raw, "/", previous);
    if (auto* e = std::get_if<ApiError>(&n)) return *e;
    c.apps[id] = std::get<Json>(std::move(n));
    if (it == apps_.end() && created && bodies.size() == 1) *created = true;
  }
  return commit(std::move(c), force);
}

ApiResult<DeploymentRef> Engine::deleteApp(const std::string& id, bool force) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!apps_.count(id)) return apiError(404, "App '" + id + "' does not exist");
  Change c;
  c.apps[id] = std::nullopt;
  return commit(std::move(c), force);
}

ApiResult<DeploymentRef> Engine::restartApp(const std::string& id, bool force) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!apps_.count(id)) return apiError(404, "App '" + id + "' does not exist");
  Change c;
  c.restarts.insert(id);
  return commit(std::move(c), force);
}

ApiResult<Json> Engine::getApp(const std::string& id, AppEmbeds embeds) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = apps_.find(id);
  if (it == apps_.end()) return apiError(404, "App '" + id + "' does not exist");
  embeds.tasks = embeds.counts = embeds.lastTaskFailure = embeds.deployments = true;
  return Json{{"app", appView(*it->second, embeds)}};
}

ApiResult<Json> Engine::appsUnder(const std::string& groupId, AppEmbeds embeds) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!groupExists(groupId)) return apiError(404, "Group '" + groupId + "' does not exist");
  Json arr = Json::array();
  for (const auto& [id, app] : apps_)
    if (isUnder(id, groupId)) arr.push_back(appView(*app, embeds));
  return Json{{"*", arr}};
}

Json Engine::listApps(const std::string& idFilter, const std::string& cmdFilter,
                      const std::string& labelSelector, AppEmbeds embeds) {
  std::lock_guard<std::mutex> lock(mu_);
  embeds.counts = embeds.deployments = true;
  Json arr = Json::array();
  std::string idf = lowerCopy(idFilter), cmdf = lowerCopy(cmdFilter);
  for (const auto& [id, app] : apps_) {
    if (!idf.empty() && lowerCopy(id).find(idf) == std::string::npos) continue;
    if (!cmdf.empty() && lowerCopy(app->p.cmd).find(cmdf) == std::string::npos) continue;
    if (!labelSelector.empty() && !labelsMatch(app->p.labels, labelSelector)) continue;
    arr.push_back(appView(*app, embeds));
  }
  return Json{{"apps", arr}};
}

ApiResult<Json> Engine::appVersions(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = apps_.find(id);
  if (it == apps_.end()) return apiError(404, "App '" + id + "' does not exist");
  Json arr = Json::array();
  for (auto v = it->second->versionOrder.rbegin(); v != it->second->versionOrder.rend(); ++v)
    arr.push_back(*v);
  return Json{{"versions", arr}};
}

ApiResult<Json> Engine::appVersion(const std::string& id, const std::string& ts) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = apps_.find(id);
  if (it == apps_.end()) return apiError(404, "App '" + id + "' does not exist");
  auto v = it->second->versions.find(ts);
  if (v == it->second->versions.end())
    return apiError(404, "App '" + id + "' does not exist in version " + ts);
  return *v->second;
}

// ---------------------------------------------------------------------------------------------
// Tasks.

ApiResult<Json> Engine::appTasks(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!apps_.count(id)) return apiError(404, "App '" + id + "' does not exist");
  Json arr = Json::array();
  for (const Task* t : tasksOf(id)) arr.push_back(taskView(*t, false));
  return Json{{"tasks", arr}};
}

ApiResult<Json> Engine::killAppTasks(const std::string& appId,
                                     const std::vector<std::string>& taskIds,
                                     const KillOptions& opts, bool single, DeploymentRef* ref) {
  if (opts.scale && opts.wipe)
    return apiError(400, "You cannot use scale and wipe at the same time.");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = apps_.find(appId);
  if (it == apps_.end()) return apiError(404, "App '" + appId + "' does not exist");
  std::vector<Task*> victims;
  if (!taskIds.empty()) {
    for (const auto& tid : taskIds) {
      auto t = tasks_.find(tid);
      if (t == tasks_.end() || t->second.appId != appId)
        return apiError(404, "Task '" + tid + "' does not exist");
      victims.push_back(&t->second);
    }
  } else {
    for (Task* t : tasksOf(appId))
      if (opts.host.empty() || opts.host == "*" || agents_[t->agent].hostname == opts.host)
        victims.push_back(t);
  }
  TimePoint now = clock_->now();
  if (opts.scale) {
    Change c;
    Json def = *it->second->def;
    def.erase("version");
    def.erase("versionInfo");
    int alive = 0;
    for (Task* t : victims)
      if (t->state != TaskState::Killing) ++alive;
    def["instances"] = std::max(0, def.value("instances", 1) - alive);
    c.apps[appId] = def;
    for (Task* t : victims) c.sentenced.insert(t->id);
    auto r = commit(std::move(c), opts.force);
    if (!r.ok()) return r.error();
    if (ref) *ref = r.value();
    return r.value().toJson();
  }
  Json arr = Json::array();
  for (Task* t : victims) {
    arr.push_back(taskView(*t, false));
    killTask(*t, "killed by request", now);
  }
  if (single) return Json{{"task", arr.empty() ? Json() : arr[0]}};
  return Json{{"tasks", arr}};
}

ApiResult<Json> Engine::killTasksById(const std::vector<std::string>& taskIds,
                                      const KillOptions& opts, DeploymentRef* ref) {
  if (opts.scale && opts.wipe)
    return apiError(400, "You cannot use scale and wipe at the same time.");
  std::map<std::string, std::vector<std::string>> byApp;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& tid : taskIds) {
      auto pos = tid.find(".instance-");
      if (pos == std::string::npos || pos == 0)
        return apiError(400, "Invalid task id '" + tid + "'. [" + tid + "]");
      auto t = tasks_.find(tid);
      if (t != tasks_.end()) byApp[t->second.appId].push_back(tid);
    }
  }
  if (opts.scale) {
    std::lock_guard<std::mutex> lock(mu_);
    Change c;
    for (const auto& [appId, ids] : byApp) {
      auto it = apps_.find(appId);
      if (it == apps_.end()) continue;
      Json def = *it->second->def;
      def.erase("version");
      def.erase("versionInfo");
      def["instances"] = std::max(0, def.value("instances", 1) - static_cast<int>(ids.size()));
      c.apps[appId] = def;
      for (const auto& tid : ids) c.sentenced.insert(tid);
    }
    auto r = commit(std::move(c), opts.force);
    if (!r.ok()) return r.error();
    if (ref) *ref = r.value();
    return r.value().toJson();
  }
  Json arr = Json::array();
  for (const auto& [appId, ids] : byApp) {
    KillOptions o = opts;
    auto r = killAppTasks(appId, ids, o, false, nullptr);
    if (r.ok())
      for (auto& t : r.value()["tasks"]) arr.push_back(t);
  }
  return Json{{"tasks", arr}};
}

Json Engine::listTasks(const std::vector<std::string>& statuses) {
  std::lock_guard<std::mutex> lock(mu_);
  Json arr = Json::array();
  for (const auto& [id, t] : tasks_) {
    if (!statuses.empty()) {
      bool match = false;
      for (const auto& s : statuses) {
        std::string l = lowerCopy(s);
        if (l == "running" && t.state == TaskState::Running) match = true;
        if (l == "staging" && t.state == TaskState::Staging) match = true;
      }
      if (!match) continue;
    }
    arr.push_back(taskView(t, true));
  }
  return Json{{"tasks", arr}};
}

void Engine::shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  driver_->shutdown();
}

size_t Engine::appCount() {
  std::lock_guard<std::mutex> lock(mu_);
  return apps_.size();
}

}  // namespace ceph_planner::marathon_sim
