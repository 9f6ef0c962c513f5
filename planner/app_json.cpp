// Encoding side of app_json.h: AppSpec → Marathon AppDefinition JSON, DesiredState → Group JSON.
//
// Key order is fixed (insertion order of `ordered_json`), so the same AppSpec always gives the same
// bytes. Fields we own are emitted explicitly even when they equal Marathon's default where leaving
// them out would let Marathon keep or invent a different value: `portDefinitions: []` (absent means
// "one dynamic port"), `upgradeStrategy`, `unreachableStrategy`, `healthChecks`, `constraints`,
// `env`, `labels`, `fetch`, `dependencies`, `requirePorts` (a partial-update PUT keeps absent
// fields).

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "planner/app_json.h"
#include "planner/app_json_internal.h"

namespace ceph_planner::planner {
namespace {

template <typename Entries>
Json keyValuesToJson(const Entries& kv) {
  Json out = Json::object();
  for (const auto& [key, value] : kv) out[key.str()] = std::string_view(value);
  return out;
}

Json containerToJson(const Container& c) {
  Json docker = Json::object();
  docker["image"] = c.image;
  if (!c.network.empty()) docker["network"] = c.network;
  docker["privileged"] = c.privileged;
  docker["forcePullImage"] = c.forcePullImage;
  Json params = Json::array();
  for (const auto& p : c.parameters) params.push_back(Json{{"key", p.key}, {"value", p.value}});
  docker["parameters"] = std::move(params);

  Json volumes = Json::array();
  for (const auto& v : c.volumes) {
    volumes.push_back(
        Json{{"containerPath", v.containerPath}, {"hostPath", v.hostPath}, {"mode", v.mode}});
  }
  Json out = Json::object();
  out["type"] = c.type;
  out["docker"] = std::move(docker);
  out["volumes"] = std::move(volumes);
  return out;
}

// `app`'s health check `h` (its command read with the app's values).
Json healthCheckToJson(const AppSpec& app, const HealthCheck& h) {
  Json out = Json::object();
  out["protocol"] = h.protocol;
  const TemplateText command = app.text(h.command);
  if (h.protocol == "COMMAND" || !command.empty()) out["command"] = Json{{"value", command.str()}};
  if (!h.path.empty()) out["path"] = h.path;
  if (h.port) out["port"] = *h.port;
  if (h.portIndex) out["portIndex"] = *h.portIndex;
  out["gracePeriodSeconds"] = h.gracePeriodSeconds;
  out["intervalSeconds"] = h.intervalSeconds;
  out["timeoutSeconds"] = h.timeoutSeconds;
  out["maxConsecutiveFailures"] = h.maxConsecutiveFailures;
  out["delaySeconds"] = h.delaySeconds;
  // Only meaningful for HTTP checks; emitted whenever set so that no AppSpec field is invisible.
  if (h.ignoreHttp1xx) out["ignoreHttp1xx"] = true;
  return out;
}

}  // namespace

Json appToJsonValue(const AppSpec& app) {
  Json out = Json::object();
  out["id"] = app.id;
  if (app.cmd) out["cmd"] = app.cmd->str();
  if (!app.args.empty()) out["args"] = app.args;
  if (!app.user.empty()) out["user"] = app.user;
  out["cpus"] = app.cpus;
  out["mem"] = app.mem;
  out["disk"] = app.disk;
  out["instances"] = app.instances;
  out["constraints"] = app.constraints;
  if (app.container) out["container"] = containerToJson(*app.container);
  out["env"] = keyValuesToJson(app.env);
  out["labels"] = keyValuesToJson(app.labels);

  Json fetch = Json::array();
  for (const auto& f : app.fetch) {
    Json entry{{"uri", app.text(f.uri).str()},
               {"extract", f.extract},
               {"executable", f.executable},
               {"cache", f.cache}};
    if (!f.destPath.empty()) entry["destPath"] = f.destPath;
    fetch.push_back(std::move(entry));
  }
  out["fetch"] = std::move(fetch);

  Json ports = Json::array();
  for (const auto& p : app.portDefinitions) {
    Json entry{{"port", p.port}, {"protocol", p.protocol}};
    if (!p.name.empty()) entry["name"] = p.name;
    ports.push_back(std::move(entry));
  }
  out["portDefinitions"] = std::move(ports);
  out["requirePorts"] = app.requirePorts;

  Json checks = Json::array();
  for (const auto& h : app.healthChecks) checks.push_back(healthCheckToJson(app, h));
  out["healthChecks"] = std::move(checks);

  out["upgradeStrategy"] =
      Json{{"minimumHealthCapacity", app.upgradeStrategy.minimumHealthCapacity},
           {"maximumOverCapacity", app.upgradeStrategy.maximumOverCapacity}};
  if (app.unreachableStrategy.disabled) {
    out["unreachableStrategy"] = "disabled";
  } else {
    out["unreachableStrategy"] =
        Json{{"inactiveAfterSeconds", app.unreachableStrategy.inactiveAfterSeconds},
             {"expungeAfterSeconds", app.unreachableStrategy.expungeAfterSeconds}};
  }
  out["killSelection"] = app.killSelection;
  if (app.taskKillGracePeriodSeconds > 0) {
    out["taskKillGracePeriodSeconds"] = app.taskKillGracePeriodSeconds;
  }
  out["backoffSeconds"] = app.backoffSeconds;
  out["backoffFactor"] = app.backoffFactor;
  out["maxLaunchDelaySeconds"] = app.maxLaunchDelaySeconds;
  out["dependencies"] = app.dependencies;
  return out;
}

namespace {

std::string dump(const Json& j, bool pretty) {
  // `replace`: never throw on invalid UTF-8 coming from a topology string.
  return j.dump(pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace);
}

std::string parentPath(const std::string& id) {
  auto slash = id.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return id.substr(0, slash);
}

// The group tree under the root, built from the apps' parent paths.
struct GroupNode {
  std::vector<const AppSpec*> apps;
  std::map<std::string, GroupNode> children;  // Keyed by absolute group id, sorted.
};

Json groupNodeToJson(const std::string& id, const GroupNode& node) {
  Json out = Json::object();
  out["id"] = id;
  Json apps = Json::array();
  for (const AppSpec* app : node.apps) apps.push_back(appToJsonValue(*app));
  out["apps"] = std::move(apps);
  Json groups = Json::array();
  for (const auto& [childId, child] : node.children)
    groups.push_back(groupNodeToJson(childId, child));
  out["groups"] = std::move(groups);
  return out;
}

}  // namespace

std::string appToJson(const AppSpec& app, bool pretty) {
  return dump(appToJsonValue(app), pretty);
}

std::string groupToJson(const DesiredState& desired, bool pretty) {
  const std::string& root = desired.groupId;
  GroupNode tree;
  for (const AppSpec& app : desired.apps) {
    std::string parent = parentPath(app.id);
    // Apps outside the root group are placed in the root, where Marathon rejects them by id rule
    // ("Identifier is not child of ..."); render never produces them.
    if (parent == root || parent.size() < root.size() ||
        parent.compare(0, root.size(), root) != 0 || parent[root.size()] != '/') {
      tree.apps.push_back(&app);
      continue;
    }
    // Walk down from the root, creating each intermediate group.
    GroupNode* node = &tree;
    std::size_t pos = root.size();
    while (pos < parent.size()) {
      std::size_t next = parent.find('/', pos + 1);
      if (next == std::string::npos) next = parent.size();
      node = &node->children[parent.substr(0, next)];
      pos = next;
    }
    node->apps.push_back(&app);
  }
  return dump(groupNodeToJson(root, tree), pretty);
}

}  // namespace ceph_planner::planner
