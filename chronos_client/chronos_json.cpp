#include "chronos_client/chronos_json.h"

#include <nlohmann/json.hpp>

namespace ceph_planner::chronos {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

std::string text(const Json& j, const char* key, std::string fallback = "") {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

double number(const Json& j, const char* key, double fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_number()) return it->get<double>();
  if (it->is_string()) {
    try {
      return std::stod(it->get<std::string>());
    } catch (const std::exception&) {
      return 0;  // Jackson's asDouble on a non-number text.
    }
  }
  return fallback;
}

bool boolean(const Json& j, const char* key, bool fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) return it->get<std::string>() == "true";
  return fallback;
}

std::vector<std::string> strings(const Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

planner::JobContainer containerFrom(const Json& c) {
  planner::JobContainer out;
  out.type = text(c, "type", "DOCKER");
  out.image = text(c, "image");
  out.network = text(c, "network", "HOST");
  out.forcePullImage = boolean(c, "forcePullImage", false);
  if (auto it = c.find("volumes"); it != c.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (!v.is_object()) continue;
      out.volumes.push_back({text(v, "containerPath"), text(v, "hostPath"), text(v, "mode", "RW")});
    }
  }
  return out;
}

planner::JobSpec jobFrom(const Json& j) {
  planner::JobSpec job;
  job.name = text(j, "name");
  job.command = text(j, "command");
  job.shell = boolean(j, "shell", true);
  job.schedule = text(j, "schedule");
  job.scheduleTimeZone = text(j, "scheduleTimeZone");
  job.parents = strings(j, "parents");
  job.cpus = number(j, "cpus", 0);
  job.mem = number(j, "mem", 0);
  job.disk = number(j, "disk", 0);
  job.retries = static_cast<int>(number(j, "retries", 2));
  job.owner = text(j, "owner");
  job.ownerName = text(j, "ownerName");
  job.description = text(j, "description");
  job.disabled = boolean(j, "disabled", false);
  job.successCount = static_cast<int64_t>(number(j, "successCount", 0));
  job.errorCount = static_cast<int64_t>(number(j, "errorCount", 0));
  job.errorsSinceLastSuccess = static_cast<int64_t>(number(j, "errorsSinceLastSuccess", 0));
  job.lastSuccess = text(j, "lastSuccess");
  job.lastError = text(j, "lastError");
  if (auto it = j.find("constraints"); it != j.end() && it->is_array()) {
    for (const auto& c : *it) {
      if (!c.is_array()) continue;
      std::vector<std::string> row;
      for (const auto& v : c) row.push_back(v.is_string() ? v.get<std::string>() : v.dump());
      job.constraints.push_back(std::move(row));
    }
  }
  if (auto it = j.find("environmentVariables"); it != j.end() && it->is_array()) {
    for (const auto& e : *it) {
      if (e.is_object()) job.environmentVariables.emplace_back(text(e, "name"), text(e, "value"));
    }
  }
  if (auto it = j.find("container"); it != j.end() && it->is_object() && it->contains("image")) {
    job.container = containerFrom(*it);
  }
  return job;
}

}  // namespace

std::string jobToJson(const planner::JobSpec& job) {
  OrderedJson out = OrderedJson::object();
  out["name"] = job.name;
  out["command"] = job.command;
  out["shell"] = job.shell;
  out["retries"] = job.retries;
  out["owner"] = job.owner;
  out["ownerName"] = job.ownerName;
  out["description"] = job.description;
  out["successCount"] = job.successCount;
  out["errorCount"] = job.errorCount;
  out["lastSuccess"] = job.lastSuccess;
  out["lastError"] = job.lastError;
  out["errorsSinceLastSuccess"] = job.errorsSinceLastSuccess;
  out["cpus"] = job.cpus;
  out["mem"] = job.mem;
  out["disk"] = job.disk;
  out["disabled"] = job.disabled;
  OrderedJson env = OrderedJson::array();
  for (const auto& [name, value] : job.environmentVariables) {
    env.push_back(OrderedJson{{"name", name}, {"value", value}});
  }
  out["environmentVariables"] = std::move(env);
  out["constraints"] = job.constraints;
  if (job.container) {
    const auto& c = *job.container;
    OrderedJson volumes = OrderedJson::array();
    for (const auto& v : c.volumes) {
      OrderedJson vol = OrderedJson{{"containerPath", v.containerPath}};
      if (!v.hostPath.empty()) vol["hostPath"] = v.hostPath;
      vol["mode"] = v.mode;
      volumes.push_back(std::move(vol));
    }
    out["container"] = OrderedJson{{"type", c.type},
                                   {"image", c.image},
                                   {"network", c.network},
                                   {"volumes", std::move(volumes)},
                                   {"forcePullImage", c.forcePullImage}};
  }
  if (job.isDependent()) {
    out["parents"] = job.parents;
  } else {
    out["schedule"] = job.schedule;
    out["scheduleTimeZone"] = job.scheduleTimeZone;
  }
  return out.dump();
}

Result<planner::JobSpec> jobFromJson(std::string_view body) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return makeError(ErrorCode::InvalidInput, "chronos job is not a JSON object");
  }
  return jobFrom(j);
}

Result<std::vector<planner::JobSpec>> jobsFromJson(std::string_view body) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) {
    return makeError(ErrorCode::InvalidInput, "chronos job list is not a JSON array");
  }
  std::vector<planner::JobSpec> jobs;
  for (const auto& item : j) {
    if (item.is_object()) jobs.push_back(jobFrom(item));
  }
  return jobs;
}

}  // namespace ceph_planner::chronos
