#include "sim/marathon/model.h"

namespace ceph_planner::marathon_sim {

namespace {
ConstraintOp parseOp(const std::string& s) {
  if (s == "CLUSTER") return ConstraintOp::Cluster;
  if (s == "GROUP_BY") return ConstraintOp::GroupBy;
  if (s == "LIKE") return ConstraintOp::Like;
  if (s == "UNLIKE") return ConstraintOp::Unlike;
  if (s == "MAX_PER") return ConstraintOp::MaxPer;
  if (s == "IS") return ConstraintOp::Is;
  return ConstraintOp::Unique;
}
}  // namespace

AppParams appParamsFromJson(const Json& d) {
  AppParams p;
  p.id = d.value("id", std::string());
  p.version = d.value("version", std::string());
  if (d.contains("versionInfo"))
    p.lastConfigChangeAt = d["versionInfo"].value("lastConfigChangeAt", std::string());
  p.instances = d.value("instances", 1);
  p.cpus = d.value("cpus", 1.0);
  p.mem = d.value("mem", 128.0);
  p.disk = d.value("disk", 0.0);
  if (d.contains("portDefinitions")) {
    for (const auto& pd : d["portDefinitions"]) {
      p.portNumbers.push_back(pd.value("port", 0));
      p.portNames.push_back(pd.value("name", std::string()));
    }
  }
  p.requirePorts = d.value("requirePorts", false);
  if (d.contains("constraints")) {
    for (const auto& c : d["constraints"]) {
      Constraint con;
      con.field = c[0].get<std::string>();
      con.op = parseOp(c[1].get<std::string>());
      if (c.size() > 2) con.value = c[2].get<std::string>();
      p.constraints.push_back(con);
    }
  }
  if (d.contains("healthChecks")) {
    for (const auto& h : d["healthChecks"]) {
      HealthCheckSpec hc;
      hc.protocol = h.value("protocol", std::string("HTTP"));
      hc.path = h.value("path", std::string("/"));
      if (h.contains("portIndex")) hc.portIndex = h["portIndex"].get<int>();
      if (h.contains("port")) hc.port = h["port"].get<int>();
      if (h.contains("command") && h["command"].is_object())
        hc.command = h["command"].value("value", std::string());
      hc.gracePeriodSeconds = h.value("gracePeriodSeconds", 300.0);
      hc.intervalSeconds = h.value("intervalSeconds", 60.0);
      hc.timeoutSeconds = h.value("timeoutSeconds", 20.0);
      hc.maxConsecutiveFailures = h.value("maxConsecutiveFailures", 3);
      hc.delaySeconds = h.value("delaySeconds", 15.0);
      hc.ignoreHttp1xx = h.value("ignoreHttp1xx", false);
      p.healthChecks.push_back(hc);
    }
  }
  if (d.contains("upgradeStrategy")) {
    p.minimumHealthCapacity = d["upgradeStrategy"].value("minimumHealthCapacity", 1.0);
    p.maximumOverCapacity = d["upgradeStrategy"].value("maximumOverCapacity", 1.0);
  }
  p.backoffSeconds = d.value("backoffSeconds", 1.0);
  p.backoffFactor = d.value("backoffFactor", 1.15);
  p.maxLaunchDelaySeconds = d.value("maxLaunchDelaySeconds", 300.0);
  p.killOldestFirst = d.value("killSelection", std::string()) == "OLDEST_FIRST";
  if (d.contains("unreachableStrategy")) {
    const Json& u = d["unreachableStrategy"];
    if (u.is_string()) {
      p.unreachableDisabled = true;
    } else {
      p.inactiveAfterSeconds = u.value("inactiveAfterSeconds", 0.0);
      p.expungeAfterSeconds = u.value("expungeAfterSeconds", 0.0);
    }
  }
  if (d.contains("dependencies"))
    for (const auto& x : d["dependencies"]) p.dependencies.push_back(x.get<std::string>());
  p.taskKillGracePeriodSeconds = d.value("taskKillGracePeriodSeconds", 3.0);
  p.cmd = d.contains("cmd") && d["cmd"].is_string() ? d["cmd"].get<std::string>() : "";
  if (d.contains("args") && d["args"].is_array())
    for (const auto& a : d["args"]) p.args.push_back(a.get<std::string>());
  if (d.contains("fetch") && d["fetch"].is_array())
    for (const auto& f : d["fetch"]) {
      if (!f.is_object() || !f.contains("uri") || !f["uri"].is_string()) continue;
      FetchSpec spec;
      spec.uri = f["uri"].get<std::string>();
      spec.executable = f.value("executable", false);
      spec.extract = f.value("extract", true);
      spec.cache = f.value("cache", false);
      spec.destPath = f.value("destPath", std::string());
      p.fetch.push_back(std::move(spec));
    }
  if (d.contains("env"))
    for (const auto& [k, v] : d["env"].items())
      if (v.is_string()) p.env[k] = v.get<std::string>();
  if (d.contains("labels"))
    for (const auto& [k, v] : d["labels"].items())
      if (v.is_string()) p.labels[k] = v.get<std::string>();
  p.docker = d.contains("container") && d["container"].is_object() &&
             d["container"].value("type", std::string()) == "DOCKER";
  return p;
}

std::string taskStateName(TaskState s) {
  switch (s) {
    case TaskState::Staging:
      return "TASK_STAGING";
    case TaskState::Starting:
      return "TASK_STARTING";
    case TaskState::Running:
      return "TASK_RUNNING";
    case TaskState::Killing:
      return "TASK_KILLING";
    case TaskState::Killed:
      return "TASK_KILLED";
    case TaskState::Finished:
      return "TASK_FINISHED";
    case TaskState::Failed:
      return "TASK_FAILED";
    case TaskState::Unreachable:
      return "TASK_UNREACHABLE";
    case TaskState::Gone:
      return "TASK_GONE";
  }
  return "TASK_UNKNOWN";
}

bool isTerminal(TaskState s) {
  return s == TaskState::Killed || s == TaskState::Finished || s == TaskState::Failed ||
         s == TaskState::Gone;
}

std::string actionName(ActionType t) {
  switch (t) {
    case ActionType::StartApplication:
      return "StartApplication";
    case ActionType::ScaleApplication:
      return "ScaleApplication";
    case ActionType::RestartApplication:
      return "RestartApplication";
    case ActionType::StopApplication:
      return "StopApplication";
  }
  return "";
}

}  // namespace ceph_planner::marathon_sim
