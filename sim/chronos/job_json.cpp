#include "sim/chronos/job_json.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace ceph_planner::chronos_sim {
namespace {

using nlohmann::json;

Error invalid(std::string message) {
  return makeError(ErrorCode::InvalidInput, std::move(message));
}

// Jackson `asText`: strings as-is, scalars printed, null as "null", containers as "".
std::string asText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "null";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) return v.dump();
  return "";
}

// Jackson `asLong`/`asInt`: numbers truncated, numeric text parsed, anything else 0.
int64_t asLong(const json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return v.get<int64_t>();
  if (v.is_number_float()) return static_cast<int64_t>(v.get<double>());
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    char* end = nullptr;
    long long n = std::strtoll(s.c_str(), &end, 10);
    return (end != nullptr && *end == '\0' && !s.empty()) ? n : 0;
  }
  return 0;
}

double asDouble(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    return (end != nullptr && *end == '\0' && !s.empty()) ? d : 0.0;
  }
  return 0.0;
}

// Jackson `asBoolean`: booleans, non-zero numbers, the text "true".
bool asBool(const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string()) return v.get<std::string>() == "true";
  return false;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> textArray(const json& v) {
  std::vector<std::string> out;
  if (!v.is_array()) return out;
  for (const auto& item : v) out.push_back(asText(item));
  return out;
}

json keyValues(const json& v, const char* keyName, const char* valueName) {
  json out = json::array();
  if (!v.is_array()) return out;
  for (const auto& item : v) {
    if (!item.is_object()) continue;
    out.push_back({{keyName, item.contains(keyName) ? asText(item[keyName]) : ""},
                   {valueName, item.contains(valueName) ? asText(item[valueName]) : ""}});
  }
  return out;
}

json decodeFetch(const json& v) {
  json out = json::array();
  if (!v.is_array()) return out;
  for (const auto& item : v) {
    if (!item.is_object()) continue;
    json f = {{"uri", item.contains("uri") ? asText(item["uri"]) : ""},
              {"executable", item.contains("executable") && asBool(item["executable"])},
              {"cache", item.contains("cache") && asBool(item["cache"])},
              {"extract", !item.contains("extract") || asBool(item["extract"])}};
    if (item.contains("output_file") && !asText(item["output_file"]).empty()) {
      f["output_file"] = asText(item["output_file"]);
    }
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::optional<json>> decodeContainer(const json& v) {
  if (!v.is_object() || !v.contains("image")) return std::optional<json>{};
  json c = json::object();
  c["type"] = v.contains("type") ? upper(asText(v["type"])) : "DOCKER";
  c["image"] = asText(v["image"]);
  std::string network = v.contains("network") ? asText(v["network"]) : "HOST";
  if (network != "HOST" && network != "BRIDGE" && network != "USER") {
    return invalid("container network '" + network + "' is not one of HOST, BRIDGE, USER");
  }
  c["network"] = network;
  if (v.contains("networkName")) c["networkName"] = asText(v["networkName"]);
  c["networkInfos"] = v.contains("networkInfos") && v["networkInfos"].is_array() ? v["networkInfos"]
                                                                                 : json::array();
  json volumes = json::array();
  if (v.contains("volumes") && v["volumes"].is_array()) {
    for (const auto& vol : v["volumes"]) {
      if (!vol.is_object() || !vol.contains("containerPath")) {
        return invalid("container volume without 'containerPath'");
      }
      json out = {{"containerPath", asText(vol["containerPath"])}};
      if (vol.contains("hostPath")) out["hostPath"] = asText(vol["hostPath"]);
      if (vol.contains("mode")) out["mode"] = upper(asText(vol["mode"]));
      if (vol.contains("external")) out["external"] = vol["external"];
      volumes.push_back(std::move(out));
    }
  }
  c["volumes"] = volumes;
  c["forcePullImage"] = v.contains("forcePullImage") && asBool(v["forcePullImage"]);
  c["parameters"] = keyValues(v.contains("parameters") ? v["parameters"] : json(), "key", "value");
  return std::optional<json>(std::move(c));
}

// `[[attribute, OPERATOR, value]]`; unknown operators are dropped, as in Chronos.
json decodeConstraints(const json& v) {
  json out = json::array();
  if (!v.is_array()) return out;
  for (const auto& c : v) {
    if (!c.is_array() || c.size() < 3) continue;
    std::string op = asText(c[1]);
    if (op != "EQUALS" && op != "LIKE" && op != "UNLIKE") continue;
    out.push_back(json::array({asText(c[0]), op, asText(c[2])}));
  }
  return out;
}

}  // namespace

Result<ChronosJob> decodeJob(std::string_view body) {
  json in;
  try {
    in = json::parse(body);
  } catch (const json::exception& e) {
    return invalid(std::string("malformed json: ") + e.what());
  }
  if (!in.is_object()) return invalid("job must be a json object");
  if (!in.contains("name")) return invalid("job has no 'name'");

  ChronosJob job;
  auto text = [&in](const char* key, std::string* out) {
    if (in.contains(key)) *out = asText(in[key]);
  };
  auto flag = [&in](const char* key, bool* out) {
    if (in.contains(key)) *out = asBool(in[key]);
  };
  auto number = [&in](const char* key, int64_t* out) {
    if (in.contains(key)) *out = asLong(in[key]);
  };
  auto resource = [&in](const char* key, double* out, double fallback) {
    double v = in.contains(key) ? asDouble(in[key]) : 0.0;
    *out = v == 0.0 ? fallback : v;
  };
  job.name = asText(in["name"]);
  text("command", &job.command);
  flag("shell", &job.shell);
  text("executor", &job.executor);
  text("executorFlags", &job.executorFlags);
  text("taskInfoData", &job.taskInfoData);
  number("retries", &job.retries);
  text("owner", &job.owner);
  text("ownerName", &job.ownerName);
  text("description", &job.description);
  number("successCount", &job.successCount);
  number("errorCount", &job.errorCount);
  text("lastSuccess", &job.lastSuccess);
  text("lastError", &job.lastError);
  resource("cpus", &job.cpus, kDefaultCpus);
  resource("disk", &job.disk, kDefaultDiskMb);
  resource("mem", &job.mem, kDefaultMemMb);
  flag("disabled", &job.disabled);
  flag("softError", &job.softError);
  flag("dataProcessingJobType", &job.dataProcessingJobType);
  number("errorsSinceLastSuccess", &job.errorsSinceLastSuccess);
  if (in.contains("fetch")) job.fetch = decodeFetch(in["fetch"]);
  if (in.contains("uris")) job.uris = textArray(in["uris"]);
  if (in.contains("environmentVariables") && in["environmentVariables"].is_array()) {
    for (const auto& e : in["environmentVariables"]) {
      if (!e.is_object() || !e.contains("name") || !e.contains("value")) {
        return invalid("environment variable without 'name' and 'value'");
      }
      job.environmentVariables.emplace_back(asText(e["name"]), asText(e["value"]));
    }
  }
  if (in.contains("arguments")) job.arguments = textArray(in["arguments"]);
  flag("highPriority", &job.highPriority);
  if (in.contains("runAsUser") && !in["runAsUser"].is_null())
    job.runAsUser = asText(in["runAsUser"]);
  flag("concurrent", &job.concurrent);
  number("maxCompletionTime", &job.maxCompletionTime);
  if (in.contains("container")) {
    auto container = decodeContainer(in["container"]);
    if (!container) return container.error();
    job.container = *container;
  }
  if (in.contains("constraints")) job.constraints = decodeConstraints(in["constraints"]);
  if (in.contains("parents")) {
    job.dependent = true;
    for (const auto& p : textArray(in["parents"])) job.parents.insert(p);
  } else {
    job.hasSchedule = in.contains("schedule");
    if (job.hasSchedule) job.scheduleText = asText(in["schedule"]);
    text("scheduleTimeZone", &job.scheduleTimeZone);
  }
  return job;
}

nlohmann::ordered_json encodeJob(const ChronosJob& job, bool forListing) {
  nlohmann::ordered_json out;
  out["name"] = job.name;
  out["command"] = job.command;
  out["shell"] = job.shell;
  out["executor"] = job.executor;
  out["executorFlags"] = job.executorFlags;
  out["taskInfoData"] = job.taskInfoData;
  out["retries"] = job.retries;
  out["owner"] = job.owner;
  out["ownerName"] = job.ownerName;
  out["description"] = job.description;
  out["successCount"] = job.successCount;
  out["errorCount"] = job.errorCount;
  out["lastSuccess"] = job.lastSuccess;
  out["lastError"] = job.lastError;
  out["cpus"] = job.cpus;
  out["disk"] = job.disk;
  out["mem"] = job.mem;
  out["disabled"] = job.disabled;
  out["softError"] = job.softError;
  out["dataProcessingJobType"] = job.dataProcessingJobType;
  out["errorsSinceLastSuccess"] = job.errorsSinceLastSuccess;
  json fetch = job.fetch;
  std::vector<std::string> uris = job.uris;
  if (forListing && fetch.empty() && !uris.empty()) {
    for (const auto& u : uris) {
      fetch.push_back({{"uri", u}, {"executable", false}, {"cache", false}, {"extract", true}});
    }
  } else if (forListing && uris.empty() && !fetch.empty()) {
    for (const auto& f : fetch) uris.push_back(f.value("uri", ""));
  }
  out["fetch"] = fetch;
  out["uris"] = uris;
  auto env = nlohmann::ordered_json::array();
  for (const auto& [name, value] : job.environmentVariables) {
    env.push_back({{"name", name}, {"value", value}});
  }
  out["environmentVariables"] = env;
  out["arguments"] = job.arguments;
  out["highPriority"] = job.highPriority;
  out["runAsUser"] = job.runAsUser;
  out["concurrent"] = job.concurrent;
  out["maxCompletionTime"] = job.maxCompletionTime;
  if (job.container) out["container"] = *job.container;
  out["constraints"] = job.constraints;
  if (job.dependent) {
    out["parents"] = std::vector<std::string>(job.parents.begin(), job.parents.end());
  } else {
    out["schedule"] = formatSchedule(job.schedule);
    out["scheduleTimeZone"] = job.scheduleTimeZone;
  }
  return out;
}

}  // namespace ceph_planner::chronos_sim
