#include "sim/marathon/placement.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>

namespace ceph_planner::marathon_sim {

std::optional<std::string> fieldValue(const Agent& agent, const std::string& field) {
  if (field == "hostname" || field == "@hostname") return agent.hostname;
  if (field == "@region") {
    if (agent.region.empty()) return std::nullopt;
    return agent.region;
  }
  if (field == "@zone") {
    if (agent.zone.empty()) return std::nullopt;
    return agent.zone;
  }
  auto it = agent.attributes.find(field);
  if (it == agent.attributes.end()) return std::nullopt;
  return it->second;
}

namespace {

bool regexWhole(const std::string& pattern, const std::string& value) {
  try {
    return std::regex_match(value, std::regex(pattern));
  } catch (const std::regex_error&) {
    return false;
  }
}

int countEqual(const std::vector<const Agent*>& placed, const std::string& field,
               const std::string& value) {
  int n = 0;
  for (const Agent* a : placed) {
    auto v = fieldValue(*a, field);
    if (v && *v == value) ++n;
  }
  return n;
}

}  // namespace

bool constraintAccepts(const Constraint& c, const Agent& agent,
                       const std::vector<const Agent*>& placed, int targetInstances) {
  auto value = fieldValue(agent, c.field);
  if (!value) return c.op == ConstraintOp::Unlike;
  switch (c.op) {
    case ConstraintOp::Unique:
      return countEqual(placed, c.field, *value) == 0;
    case ConstraintOp::Cluster:
      if (c.value && !c.value->empty()) return *value == *c.value;
      for (const Agent* a : placed) {
        auto v = fieldValue(*a, c.field);
        if (v) return *v == *value;
      }
      return true;
    case ConstraintOp::GroupBy: {
      int groups = c.value ? std::max(1, std::atoi(c.value->c_str())) : 0;
      int mine = countEqual(placed, c.field, *value);
      if (groups == 0) {
        // Pre-1.10 behaviour without a value: a new group, or one of the smallest groups.
        std::map<std::string, int> counts;
        for (const Agent* a : placed)
          if (auto v = fieldValue(*a, c.field)) counts[*v]++;
        if (mine == 0) return true;
        int minCount = mine;
        for (auto& [k, n] : counts) minCount = std::min(minCount, n);
        return mine <= minCount;
      }
      // Spread: while fewer than N values are in use only a new value is accepted; then each
      // value takes at most ceil(instances / N). Like Marathon, N should not exceed the number of
      // values the agents offer.
      std::set<std::string> used;
      for (const Agent* a : placed)
        if (auto v = fieldValue(*a, c.field)) used.insert(*v);
      if (mine > 0 && static_cast<int>(used.size()) < groups) return false;
      int perGroup = (targetInstances + groups - 1) / groups;
      return mine < std::max(1, perGroup);
    }
    case ConstraintOp::Like:
      return c.value && regexWhole(*c.value, *value);
    case ConstraintOp::Unlike:
      return !(c.value && regexWhole(*c.value, *value));
    case ConstraintOp::MaxPer: {
      int max = c.value ? std::atoi(c.value->c_str()) : 0;
      return countEqual(placed, c.field, *value) < max;
    }
    case ConstraintOp::Is:
      return c.value && *value == stringifyAttribute(*c.value);
  }
  return false;
}

namespace {

bool portFree(const Agent& a, int port) {
  if (a.usedPorts.count(port)) return false;
  for (const auto& r : a.ports)
    if (port >= r.begin && port <= r.end) return true;
  return false;
}

std::optional<std::vector<int>> pickPorts(const Agent& a, const AppParams& app) {
  std::vector<int> out;
  std::set<int> chosen;
  if (app.requirePorts) {
    for (int p : app.portNumbers) {
      if (p == 0 || !portFree(a, p) || chosen.count(p)) return std::nullopt;
      chosen.insert(p);
      out.push_back(p);
    }
    return out;
  }
  for (size_t i = 0; i < app.portNumbers.size(); ++i) {
    bool found = false;
    for (const auto& r : a.ports) {
      for (int p = r.begin; p <= r.end && !found; ++p) {
        if (!a.usedPorts.count(p) && !chosen.count(p)) {
          chosen.insert(p);
          out.push_back(p);
          found = true;
        }
      }
      if (found) break;
    }
    if (!found) return std::nullopt;
  }
  return out;
}

}  // namespace

PlacementOutcome placeInstance(const AppParams& app, const std::vector<Agent>& agents,
                               const std::vector<const Agent*>& placed, size_t startIndex,
                               const std::vector<size_t>* candidates) {
  PlacementOutcome out;
  size_t n = candidates ? candidates->size() : agents.size();
  if (candidates) {
    size_t upOthers = 0;
    for (const auto& a : agents) upOthers += a.up ? 1 : 0;
    for (size_t idx : *candidates) upOthers -= agents[idx].up ? 1 : 0;
    if (upOthers > 0) out.rejects["UnfulfilledConstraint"] += static_cast<int>(upOthers);
    out.processed += static_cast<int>(upOthers);
  }
  const double eps = 1e-9;
  for (size_t k = 0; k < n; ++k) {
    size_t idx = candidates ? (*candidates)[(startIndex + k) % n] : (startIndex + k) % n;
    const Agent& a = agents[idx];
    if (!a.up) continue;
    out.processed++;
    bool ok = true;
    for (const auto& c : app.constraints) {
      if (!constraintAccepts(c, a, placed, app.instances)) {
        ok = false;
        break;
      }
    }
    if (!ok) {
      out.rejects["UnfulfilledConstraint"]++;
      continue;
    }
    if (a.cpus - a.usedCpus + eps < app.cpus) {
      out.rejects["InsufficientCpus"]++;
      continue;
    }
    if (a.mem - a.usedMem + eps < app.mem) {
      out.rejects["InsufficientMemory"]++;
      continue;
    }
    if (a.disk - a.usedDisk + eps < app.disk) {
      out.rejects["InsufficientDisk"]++;
      continue;
    }
    auto ports = pickPorts(a, app);
    if (!ports) {
      out.rejects["InsufficientPorts"]++;
      continue;
    }
    out.agent = idx;
    out.hostPorts = *ports;
    return out;
  }
  return out;
}

void allocate(Agent& agent, const AppParams& app, const std::vector<int>& hostPorts, int sign) {
  agent.usedCpus += sign * app.cpus;
  agent.usedMem += sign * app.mem;
  agent.usedDisk += sign * app.disk;
  for (int p : hostPorts) {
    if (sign > 0) {
      agent.usedPorts.insert(p);
    } else {
      agent.usedPorts.erase(p);
    }
  }
}

std::string stringifyAttribute(const std::string& raw) {
  static const std::regex number("^-?[0-9]+(\\.[0-9]+)?$");
  if (std::regex_match(raw, number)) {
    double v = std::strtod(raw.c_str(), nullptr);
    // Marathon formats scalars as `0.###` (half-even); plain rounding to 3 places is close enough
    // for attribute values people write by hand.
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.3f", std::nearbyint(v * 1000) / 1000);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  if (raw.size() > 2 && (raw.front() == '[' || raw.front() == '{')) {
    char close = raw.front() == '[' ? ']' : '}';
    std::string inner = raw.substr(1, raw.size() - 2);
    std::vector<std::string> parts;
    size_t pos = 0;
    while (pos <= inner.size()) {
      size_t comma = inner.find(',', pos);
      if (comma == std::string::npos) comma = inner.size();
      std::string part = inner.substr(pos, comma - pos);
      part.erase(0, part.find_first_not_of(' '));
      part.erase(part.find_last_not_of(' ') + 1);
      parts.push_back(part);
      pos = comma + 1;
    }
    std::sort(parts.begin(), parts.end());
    std::string out(1, raw.front());
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
    out.push_back(close);
    return out;
  }
  return raw;
}

}  // namespace ceph_planner::marathon_sim
