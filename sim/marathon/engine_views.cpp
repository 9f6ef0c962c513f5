// JSON views of apps, tasks, groups and deployments (API.md §2, §4).

#include <algorithm>

#include "sim/marathon/app_validation.h"
#include "sim/marathon/engine_internal.h"
#include "sim/marathon/time_util.h"

namespace ceph_planner::marathon_sim {

namespace {

Json optTime(const std::optional<TimePoint>& t) {
  return t ? Json(isoTimestamp(*t)) : Json();
}

struct Counts {
  int staged = 0, running = 0, healthy = 0, unhealthy = 0;
  std::vector<double> lifetimes;
};

void countTask(Counts& c, const Task& t, TimePoint now) {
  if (t.state == TaskState::Staging) c.staged++;
  if (t.state == TaskState::Running) c.running++;
  bool any = false, allAlive = true;
  for (const auto& h : t.health) {
    if (!h.hasResult()) continue;
    any = true;
    if (!h.alive()) allAlive = false;
  }
  if (any && allAlive && t.health.size() > 0 &&
      std::all_of(t.health.begin(), t.health.end(),
                  [](const HealthResult& h) { return h.hasResult(); }))
    c.healthy++;
  else if (any && !allAlive)
    c.unhealthy++;
  if (t.startedAt) c.lifetimes.push_back(std::chrono::duration<double>(now - *t.startedAt).count());
}

Json statsJson(Counts c) {
  Json stats = {{"counts",
                 {{"staged", c.staged},
                  {"running", c.running},
                  {"healthy", c.healthy},
                  {"unhealthy", c.unhealthy}}}};
  if (!c.lifetimes.empty()) {
    std::sort(c.lifetimes.begin(), c.lifetimes.end());
    double sum = 0;
    for (double v : c.lifetimes) sum += v;
    stats["lifeTime"] = {{"averageSeconds", sum / c.lifetimes.size()},
                         {"medianSeconds", c.lifetimes[c.lifetimes.size() / 2]}};
  }
  return {{"stats", stats}};
}

}  // namespace

std::vector<std::string> Engine::deploymentsOf(const std::string& appId) const {
  std::vector<std::string> out;
  for (const auto& d : deployments_)
    if (std::find(d.affectedApps.begin(), d.affectedApps.end(), appId) != d.affectedApps.end())
      out.push_back(d.id);
  return out;
}

Json Engine::taskView(const Task& t, bool withServicePorts) const {
  const Agent& a = agents_[t.agent];
  Json j = {{"id", t.id},
            {"appId", t.appId},
            {"host", a.hostname},
            {"slaveId", a.id},
            {"state", taskStateName(t.state)},
            {"ipAddresses", Json::array({Json{{"ipAddress", a.ip}, {"protocol", "IPv4"}}})},
            {"localVolumes", Json::array()},
            {"role", "*"}};
  if (!isTerminal(t.state)) {
    j["stagedAt"] = isoTimestamp(t.stagedAt);
    if (t.startedAt) j["startedAt"] = isoTimestamp(*t.startedAt);
    j["ports"] = t.ports;
    j["version"] = t.version;
  }
  if (!a.region.empty()) j["region"] = a.region;
  if (!a.zone.empty()) j["zone"] = a.zone;
  if (withServicePorts) j["servicePorts"] = t.servicePorts;
  bool any = std::any_of(t.health.begin(), t.health.end(),
                         [](const HealthResult& h) { return h.hasResult(); });
  if (any) {
    Json hr = Json::array();
    for (const auto& h : t.health) {
      hr.push_back(
          {{"alive", h.alive()},
           {"consecutiveFailures", h.consecutiveFailures},
           {"firstSuccess", optTime(h.firstSuccess)},
           {"lastSuccess", optTime(h.lastSuccess)},
           {"lastFailure", optTime(h.lastFailure)},
           {"lastFailureCause", h.lastFailureCause.empty() ? Json() : Json(h.lastFailureCause)},
           {"instanceId", t.instanceId}});
    }
    j["healthCheckResults"] = hr;
  }
  return j;
}

Json Engine::appView(const AppRecord& app, AppEmbeds embeds) const {
  Json j = *app.def;
  Json extras = appViewExtras(app, embeds);
  for (auto& [k, v] : extras.get_ref<Json::object_t&>()) j[k] = std::move(v);
  return j;
}

Json Engine::appViewExtras(const AppRecord& app, AppEmbeds embeds) const {
  Json j = Json::object();
  TimePoint now = clock_->now();
  auto tasks = tasksOf(app.p.id);
  if (embeds.counts) {
    Counts c;
    for (const Task* t : tasks) countTask(c, *t, now);
    j["tasksStaged"] = c.staged;
    j["tasksRunning"] = c.running;
    j["tasksHealthy"] = c.healthy;
    j["tasksUnhealthy"] = c.unhealthy;
  }
  if (embeds.deployments) {
    Json d = Json::array();
    for (const auto& id : deploymentsOf(app.p.id)) d.push_back({{"id", id}});
    j["deployments"] = d;
  }
  if (embeds.tasks) {
    Json arr = Json::array();
    for (const Task* t : tasks) arr.push_back(taskView(*t, false));
    j["tasks"] = arr;
  }
  if (embeds.readiness) j["readinessCheckResults"] = Json::array();
  if (embeds.lastTaskFailure && app.lastTaskFailure) j["lastTaskFailure"] = *app.lastTaskFailure;
  if (embeds.taskStats) {
    Counts all, latest, outdated, afterScaling;
    std::string lastScaling = (*app.def)["versionInfo"].value("lastScalingAt", std::string());
    for (const Task* t : tasks) {
      countTask(all, *t, now);
      if (t->configVersion == app.p.lastConfigChangeAt) {
        countTask(latest, *t, now);
      } else {
        countTask(outdated, *t, now);
      }
      if (isoTimestamp(t->stagedAt) >= lastScaling) countTask(afterScaling, *t, now);
    }
    Json ts = Json::object();
    if (all.staged + all.running + all.healthy + all.unhealthy + all.lifetimes.size() > 0)
      ts["totalSummary"] = statsJson(all);
    if (!latest.lifetimes.empty() || latest.staged + latest.running > 0)
      ts["withLatestConfig"] = statsJson(latest);
    if (!outdated.lifetimes.empty() || outdated.staged + outdated.running > 0)
      ts["withOutdatedConfig"] = statsJson(outdated);
    if (!afterScaling.lifetimes.empty() || afterScaling.staged + afterScaling.running > 0)
      ts["startedAfterLastScaling"] = statsJson(afterScaling);
    j["taskStats"] = ts;
  }
  return j;
}

namespace {

// `"key":` as nlohmann's serializer writes it (keys needing escapes go through the serializer).
void writeKey(std::string& out, const std::string& key) {
  bool plain = std::all_of(key.begin(), key.end(), [](char c) {
    return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
  });
  if (plain) {
    out += '"';
    out += key;
    out += '"';
  } else {
    out += Json(key).dump();
  }
  out += ':';
}

using Serializer = nlohmann::detail::serializer<Json>;

// Writes `v` exactly as `dump()` would, appending to the string `s` was made for (no temporary
// string per value).
void writeValue(Serializer& s, const Json& v) {
  s.dump(v, false, false, 0);
}

void writeValue(std::string& out, const Json& v) {
  Serializer s(nlohmann::detail::output_adapter<char>(out), ' ');
  writeValue(s, v);
}

// Appends `{...}` with the members of `base` and `extra` in key order (as a std::map-backed
// document would be dumped); on equal keys `extra` wins. Both must be objects.
void writeMerged(std::string& out, const Json& base, const Json& extra) {
  // One serializer per object: it appends to `out` directly, between our own appends.
  Serializer s(nlohmann::detail::output_adapter<char>(out), ' ');
  out += '{';
  bool first = true;
  auto put = [&](const std::string& k, const Json& v) {
    if (!first) out += ',';
    first = false;
    writeKey(out, k);
    writeValue(s, v);
  };
  const auto& bm = base.get_ref<const Json::object_t&>();
  const auto& em = extra.get_ref<const Json::object_t&>();
  auto b = bm.begin(), e = em.begin();
  while (b != bm.end() || e != em.end()) {
    if (e == em.end() || (b != bm.end() && b->first < e->first)) {
      put(b->first, b->second);
      ++b;
    } else {
      if (b != bm.end() && b->first == e->first) ++b;
      put(e->first, e->second);
      ++e;
    }
  }
  out += '}';
}

}  // namespace

void Engine::writeGroupView(
    std::string& out, const std::string& id, const GroupEmbeds& embeds,
    const std::map<std::string, std::vector<std::string>>& childGroups,
    const std::map<std::string, std::vector<std::string>>& childApps) const {
  const GroupRecord& g = *groups_.at(id);
  // Members in key order: apps, dependencies, enforceRole, groups, id, pods, version.
  out += '{';
  if (embeds.apps) {
    out += "\"apps\":[";
    auto it = childApps.find(id);
    if (it != childApps.end()) {
      bool first = true;
      for (const auto& a : it->second) {
        if (!first) out += ',';
        first = false;
        const AppRecord& app = *apps_.at(a);
        writeMerged(out, *app.def, appViewExtras(app, embeds.app));
      }
    }
    out += "],";
  }
  out += "\"dependencies\":";
  writeValue(out, Json(g.dependencies));
  out += ",\"enforceRole\":";
  out += g.enforceRole ? "true" : "false";
  if (embeds.groups) {
    out += ",\"groups\":[";
    auto it = childGroups.find(id);
    if (it != childGroups.end()) {
      bool first = true;
      for (const auto& c : it->second) {
        if (!first) out += ',';
        first = false;
        writeGroupView(out, c, embeds, childGroups, childApps);
      }
    }
    out += ']';
  }
  out += ",\"id\":";
  writeValue(out, Json(id));
  out += ",\"pods\":[],\"version\":";
  writeValue(out, Json(g.version));
  out += '}';
}

std::string Engine::groupViewText(const std::string& id, const GroupEmbeds& embeds) const {
  // Children of the groups under `id` only.
  std::map<std::string, std::vector<std::string>> childGroups, childApps;
  auto inTree = [&](const std::string& x) {
    return id == "/" || x == id ||
           (x.size() > id.size() && x.compare(0, id.size(), id) == 0 && x[id.size()] == '/');
  };
  if (embeds.groups) {
    // Ids under `id` are contiguous in the ordered map, from `id + "/"` on.
    auto begin = id == "/" ? groups_.begin() : groups_.lower_bound(id + "/");
    for (auto it = begin; it != groups_.end() && inTree(it->first); ++it)
      if (it->first != "/") childGroups[parentPath(it->first)].push_back(it->first);
  }
  if (embeds.apps) {
    auto begin = id == "/" ? apps_.begin() : apps_.lower_bound(id + "/");
    for (auto it = begin; it != apps_.end() && inTree(it->first); ++it) {
      std::string parent = parentPath(it->first);
      if (embeds.groups || parent == id) childApps[parent].push_back(it->first);
    }
  }
  std::string out;
  writeGroupView(out, id, embeds, childGroups, childApps);
  return out;
}

Json Engine::planView(const Deployment& d) const {
  Json steps = Json::array();
  for (const auto& step : d.steps) {
    Json actions = Json::array();
    for (const auto& a : step)
      actions.push_back({{"action", actionName(a.type)}, {"app", a.appId}});
    steps.push_back({{"actions", actions}});
  }
  return {{"id", d.id}, {"steps", steps}, {"version", d.version}};
}

Json Engine::deploymentView(const Deployment& d) const {
  Json plan = planView(d);
  Json current = Json::array();
  if (d.currentStep > 0) {
    for (const auto& a : d.steps[d.currentStep - 1])
      current.push_back({{"action", actionName(a.type)},
                         {"app", a.appId},
                         {"readinessCheckResults", Json::array()}});
  }
  return {{"id", d.id},
          {"version", d.version},
          {"affectedApps", d.affectedApps},
          {"affectedPods", Json::array()},
          {"steps", plan["steps"]},
          {"currentActions", current},
          {"currentStep", d.currentStep},
          {"totalSteps", d.steps.size()}};
}

}  // namespace ceph_planner::marathon_sim
