// The one file of marathon-sim that includes yaml-cpp.

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "sim/marathon/agents.h"
#include "sim/marathon/placement.h"

namespace ceph_planner::marathon_sim {

namespace {

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  return s;
}

Status addAttribute(Agent& a, const std::string& key, const std::string& value) {
  if (key.empty()) return makeError(ErrorCode::InvalidInput, "empty attribute name");
  // Only the first attribute with a given name counts (as in Marathon).
  a.attributes.emplace(key, stringifyAttribute(value));
  return okStatus();
}

Result<Agent> parseAgent(const YAML::Node& n, size_t index) {
  Agent a;
  std::string where = "agents[" + std::to_string(index) + "]";
  if (!n.IsMap()) return makeError(ErrorCode::InvalidInput, where + ": must be a map");
  if (!n["hostname"]) return makeError(ErrorCode::InvalidInput, where + ": 'hostname' is required");
  a.hostname = n["hostname"].as<std::string>();
  a.ip = n["ip"] ? n["ip"].as<std::string>() : "127.0.0.1";
  if (n["id"]) a.id = n["id"].as<std::string>();
  if (n["region"]) a.region = n["region"].as<std::string>();
  if (n["zone"]) a.zone = n["zone"].as<std::string>();
  if (auto attrs = n["attributes"]) {
    if (attrs.IsMap()) {
      for (const auto& kv : attrs) {
        auto s = addAttribute(a, kv.first.as<std::string>(), kv.second.as<std::string>());
        if (!s) return s.error().withContext(where);
      }
    } else if (attrs.IsScalar()) {
      std::stringstream ss(attrs.as<std::string>());
      std::string part;
      while (std::getline(ss, part, ';')) {
        auto colon = part.find(':');
        if (colon == std::string::npos)
          return makeError(ErrorCode::InvalidInput,
                           where + ": attribute '" + part + "' is not 'name:value'");
        auto s = addAttribute(a, trim(part.substr(0, colon)), trim(part.substr(colon + 1)));
        if (!s) return s.error().withContext(where);
      }
    } else {
      return makeError(ErrorCode::InvalidInput, where + ": 'attributes' must be a map or a string");
    }
  }
  auto r = n["resources"];
  if (!r || !r.IsMap())
    return makeError(ErrorCode::InvalidInput, where + ": 'resources' is required");
  a.cpus = r["cpus"] ? r["cpus"].as<double>() : 0;
  a.mem = r["mem"] ? r["mem"].as<double>() : 0;
  a.disk = r["disk"] ? r["disk"].as<double>() : 0;
  if (auto p = r["ports"]) {
    std::string text;
    if (p.IsSequence()) {
      text = "[";
      for (size_t i = 0; i < p.size(); ++i) text += (i ? "," : "") + p[i].as<std::string>();
      text += "]";
    } else {
      text = p.as<std::string>();
    }
    auto ranges = parsePortRanges(text);
    if (!ranges) return ranges.error().withContext(where + ".resources.ports");
    a.ports = *ranges;
  }
  return a;
}

}  // namespace

Result<std::vector<PortRange>> parsePortRanges(const std::string& raw) {
  std::string text = trim(raw);
  if (!text.empty() && text.front() == '[') text = text.substr(1);
  if (!text.empty() && text.back() == ']') text.pop_back();
  std::vector<PortRange> out;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    part = trim(part);
    if (part.empty()) continue;
    auto dash = part.find('-');
    try {
      PortRange r;
      r.begin = std::stoi(part.substr(0, dash));
      r.end = dash == std::string::npos ? r.begin : std::stoi(part.substr(dash + 1));
      if (r.begin < 1 || r.end > 65535 || r.begin > r.end)
        return makeError(ErrorCode::InvalidInput, "bad port range '" + part + "'");
      out.push_back(r);
    } catch (const std::exception&) {
      return makeError(ErrorCode::InvalidInput, "bad port range '" + part + "'");
    }
  }
  return out;
}

Result<std::vector<Agent>> parseAgentsYaml(std::string_view text) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    YAML::Node list = root.IsMap() ? root["agents"] : root;
    if (!list || !list.IsSequence())
      return makeError(ErrorCode::InvalidInput, "agents file needs an 'agents' list");
    std::vector<Agent> out;
    for (size_t i = 0; i < list.size(); ++i) {
      auto a = parseAgent(list[i], i);
      if (!a) return a.error();
      out.push_back(*a);
    }
    if (out.empty()) return makeError(ErrorCode::InvalidInput, "agents file lists no agents");
    return out;
  } catch (const YAML::Exception& e) {
    return makeError(ErrorCode::InvalidInput,
                     std::string("agents file is not valid YAML: ") + e.what());
  }
}

Result<std::vector<Agent>> loadAgentsFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return makeError(ErrorCode::NotFound, "cannot read agents file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = parseAgentsYaml(ss.str());
  if (!r) return r.error().withContext("agents file '" + path + "'");
  return r;
}

std::vector<Agent> defaultAgents() {
  std::vector<Agent> out;
  for (int i = 1; i <= 3; ++i) {
    Agent a;
    a.hostname = "agent-" + std::to_string(i);
    a.ip = "127.0.0." + std::to_string(i + 1);
    a.cpus = 8;
    a.mem = 16384;
    a.disk = 100000;
    a.ports = {{31000, 32000}};
    out.push_back(a);
  }
  return out;
}

}  // namespace ceph_planner::marathon_sim
