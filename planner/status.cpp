#include "planner/status.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "planner/diff.h"

namespace ceph_planner::planner {
namespace {

const ObservedApp* findObserved(const ObservedState& observed, const std::string& id) {
  auto it = std::lower_bound(
      observed.apps.begin(), observed.apps.end(), id,
      [](const ObservedApp& app, const std::string& key) { return app.spec.id < key; });
  if (it != observed.apps.end() && it->spec.id == id) return &*it;
  return nullptr;
}

std::string relativeName(const std::string& groupId, const std::string& appId) {
  if (appId.size() > groupId.size() + 1 && appId.compare(0, groupId.size(), groupId) == 0) {
    return appId.substr(groupId.size() + 1);
  }
  return appId;
}

std::string oldestStart(const AppStatus& status) {
  std::string oldest;
  for (const auto& t : status.tasks) {
    if (t.state != "TASK_RUNNING" || t.startedAt.empty()) continue;
    if (oldest.empty() || t.startedAt < oldest) oldest = t.startedAt;
  }
  return oldest.empty() ? status.version : oldest;
}

DaemonStatus describe(const PlanAction& action, const ObservedApp* app,
                      const std::string& groupId) {
  DaemonStatus d;
  d.role = action.role;
  d.appId = action.appId;
  d.name = relativeName(groupId, action.appId);
  d.host = action.host.str();
  if (!action.slot.empty()) {
    d.device = action.slot.str() + (action.device.empty() ? "" : " (" + action.device + ")");
  }
  const AppSpec& spec = action.kind == ActionKind::Delete || action.kind == ActionKind::Unchanged
                            ? (app ? app->spec : *action.desired)
                            : *action.desired;
  d.instances = action.kind == ActionKind::Delete ? 0 : action.toInstances;
  if (action.kind == ActionKind::Unchanged && app) d.instances = app->spec.instances;
  bool checked = !spec.healthChecks.empty();
  if (app == nullptr) {
    d.state = "missing";
    d.version = "missing";
    d.health = checked ? "unknown" : "none";
    return d;
  }
  d.tasksRunning = app->status.tasksRunning;
  d.tasksHealthy = app->status.tasksHealthy;
  d.since = oldestStart(app->status);
  if (action.kind == ActionKind::Delete) {
    d.state = "removed";
    d.version = "removed";
  } else {
    d.version = action.kind == ActionKind::Update ? "outdated" : "current";
    if (!app->status.deploymentIds.empty()) {
      d.state = "deploying";
    } else if (app->spec.instances == 0 && app->status.tasksRunning == 0) {
      d.state = "stopped";
    } else if (app->status.tasksRunning < app->spec.instances && app->status.tasksStaged > 0) {
      d.state = "staging";
    } else if (app->status.tasksRunning > 0) {
      d.state = "running";
    } else {
      d.state = "waiting";
    }
  }
  if (!checked) {
    d.health = "none";
  } else if (app->status.tasksUnhealthy > 0) {
    d.health = "unhealthy";
  } else if (app->status.tasksHealthy > 0 && app->status.tasksHealthy >= app->status.tasksRunning) {
    d.health = "healthy";
  } else {
    d.health = "unknown";
  }
  int want = std::max(d.instances, 1);
  d.ok = action.kind != ActionKind::Delete && d.version == "current" && d.tasksRunning >= want &&
         (!checked || d.tasksHealthy >= want);
  return d;
}

}  // namespace

std::string StatusReport::summaryLine() const {
  std::string out;
  for (const auto& r : roles) {
    if (!out.empty()) out += " · ";
    out +=
        std::string(roleName(r.role)) + " " + std::to_string(r.ok) + "/" + std::to_string(r.total);
    if (r.role == Role::Mon) out += " healthy";
  }
  if (!conflicts.empty()) out += " · " + std::to_string(conflicts.size()) + " foreign";
  return out.empty() ? "no daemons" : out;
}

StatusReport buildStatus(const DesiredState& desired, const ObservedState& observed,
                         const Plan& plan) {
  StatusReport report;
  report.groupId = desired.groupId;
  report.conflicts = plan.conflicts;
  std::map<Role, RoleSummary> roles;
  for (const auto& action : plan.actions) {
    const ObservedApp* app = findObserved(observed, action.appId);
    DaemonStatus d = describe(action, app, desired.groupId);
    if (action.kind != ActionKind::Delete) {
      auto& r = roles[action.role];
      r.role = action.role;
      ++r.total;
      r.ok += d.ok ? 1 : 0;
    }
    report.degraded |= !d.ok;
    report.daemons.push_back(std::move(d));
  }
  for (auto& [role, summary] : roles) report.roles.push_back(summary);
  report.degraded |= !report.conflicts.empty();
  return report;
}

std::string formatStatusText(const StatusReport& report) {
  struct Column {
    const char* title;
    std::string (*get)(const DaemonStatus&);
  };
  const Column columns[] = {
      {"ROLE", [](const DaemonStatus& d) { return std::string(roleName(d.role)); }},
      {"NAME", [](const DaemonStatus& d) { return d.name; }},
      {"HOST", [](const DaemonStatus& d) { return d.host.empty() ? std::string("-") : d.host; }},
      {"DEVICE",
       [](const DaemonStatus& d) { return d.device.empty() ? std::string("-") : d.device; }},
      {"STATE", [](const DaemonStatus& d) { return d.state; }},
      {"TASKS",
       [](const DaemonStatus& d) {
         return std::to_string(d.tasksRunning) + "/" + std::to_string(d.instances);
       }},
      {"HEALTH", [](const DaemonStatus& d) { return d.health; }},
      {"VERSION", [](const DaemonStatus& d) { return d.version; }},
      {"SINCE", [](const DaemonStatus& d) { return d.since.empty() ? std::string("-") : d.since; }},
  };
  std::vector<size_t> widths;
  for (const auto& c : columns) {
    size_t w = std::string(c.title).size();
    for (const auto& d : report.daemons) w = std::max(w, c.get(d).size());
    widths.push_back(w);
  }
  auto row = [&](auto cell) {
    std::string line;
    for (size_t i = 0; i < std::size(columns); ++i) {
      std::string text = cell(i);
      line += text;
      if (i + 1 < std::size(columns)) line += std::string(widths[i] - text.size() + 2, ' ');
    }
    return line + "\n";
  };
  std::string out = row([&](size_t i) { return std::string(columns[i].title); });
  for (const auto& d : report.daemons) out += row([&](size_t i) { return columns[i].get(d); });
  for (const auto& c : report.conflicts) {
    out += "foreign app '" + c.appId + "': " + c.message + "\n";
  }
  out += "\n" + report.summaryLine() + (report.degraded ? "  (degraded)" : "") + "\n";
  return out;
}

std::string formatStatusJson(const StatusReport& report) {
  using Json = nlohmann::ordered_json;
  Json roles = Json::array();
  for (const auto& r : report.roles) {
    roles.push_back({{"role", roleName(r.role)}, {"ok", r.ok}, {"total", r.total}});
  }
  Json daemons = Json::array();
  for (const auto& d : report.daemons) {
    daemons.push_back({{"role", roleName(d.role)},
                       {"app", d.appId},
                       {"host", d.host},
                       {"device", d.device},
                       {"state", d.state},
                       {"health", d.health},
                       {"version", d.version},
                       {"since", d.since},
                       {"instances", d.instances},
                       {"tasks_running", d.tasksRunning},
                       {"tasks_healthy", d.tasksHealthy},
                       {"ok", d.ok}});
  }
  Json conflicts = Json::array();
  for (const auto& c : report.conflicts) {
    conflicts.push_back({{"app", c.appId}, {"message", c.message}});
  }
  Json out = {
      {"group", report.groupId}, {"degraded", report.degraded}, {"summary", report.summaryLine()},
      {"roles", roles},          {"daemons", daemons},          {"conflicts", conflicts}};
  return out.dump();
}

}  // namespace ceph_planner::planner
