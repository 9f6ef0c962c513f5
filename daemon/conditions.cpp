#include "daemon/conditions.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace ceph_planner::daemon {

using engine::PassOutcome;

namespace {

Condition make(std::string type, bool status, std::string reason, std::string message) {
  return Condition{std::move(type), status, std::move(reason), std::move(message), 0};
}

std::string plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string listIds(const std::vector<std::string>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size() && i < 5; ++i) {
    if (i > 0) out += ", ";
    out += "'" + ids[i] + "'";
  }
  if (ids.size() > 5) out += " and " + std::to_string(ids.size() - 5) + " more";
  return out;
}

}  // namespace

std::vector<Condition> computeConditions(const engine::PassReport& report,
                                         const std::vector<Condition>& previous, int64_t nowMs) {
  std::vector<std::string> unhealthy, missing, pending;
  if (report.status) {
    for (const auto& d : report.status->daemons) {
      if (d.ok) continue;
      if (d.health == "unhealthy") {
        unhealthy.push_back(d.name);
      } else if (d.state == "missing" || d.state == "stopped") {
        missing.push_back(d.name);
      } else {
        pending.push_back(d.name);  // deploying, staging, outdated: on its way.
      }
    }
  }
  size_t conflicts = report.status ? report.status->conflicts.size() : 0;
  bool acted = report.outcome == PassOutcome::Acted;

  Condition ready, progressing, degraded;
  switch (report.outcome) {
    case PassOutcome::NoTopology:
      ready = make("Ready", false, "NoTopology", "no topology is stored for this cluster");
      progressing = make("Progressing", false, "Idle", "nothing to do");
      degraded = make("Degraded", false, "AsExpected", "no topology, nothing to run");
      break;
    case PassOutcome::Failed:
      ready = make("Ready", false, "PassFailed", report.error->message);
      progressing = make("Progressing", false, "PassFailed", "the last pass stopped; retrying");
      degraded = make("Degraded", true, "ReconcileError", report.error->message);
      break;
    case PassOutcome::Converged:
    case PassOutcome::Acted: {
      size_t submitted = 0;
      for (const auto& [kind, n] : report.actionsByKind) submitted += n;
      bool allOk = unhealthy.empty() && missing.empty() && pending.empty();
      if (!acted && report.skippedInProgress.empty() && allOk) {
        ready = make("Ready", true, "Converged",
                     "every daemon runs the definition of topology v" +
                         std::to_string(report.topologyVersion));
      } else if (acted || !report.skippedInProgress.empty() || !pending.empty()) {
        ready = make("Ready", false, "Reconciling", "changes are on their way");
      } else {
        ready = make("Ready", false, "DaemonsNotReady",
                     plural(unhealthy.size() + missing.size(), "daemon") + " not running healthy");
      }
      if (acted) {
        progressing = make("Progressing", true, "ChangesApplied",
                           "applied " + plural(submitted, "change") + " (" +
                               plural(report.drift.size(), "drift repair") + ")");
      } else if (!report.skippedInProgress.empty()) {
        progressing =
            make("Progressing", true, "DeploymentsInProgress",
                 "waiting for Marathon deployments of " + listIds(report.skippedInProgress));
      } else if (!pending.empty()) {
        progressing = make("Progressing", true, "DaemonsStarting", "starting " + listIds(pending));
      } else {
        progressing = make("Progressing", false, "Idle", "nothing to do");
      }
      if (!unhealthy.empty()) {
        degraded = make("Degraded", true, "DaemonsUnhealthy",
                        "health checks failing for " + listIds(unhealthy));
      } else if (!missing.empty() && !acted) {
        degraded = make("Degraded", true, "DaemonsMissing", "not running: " + listIds(missing));
      } else if (conflicts > 0) {
        degraded = make("Degraded", true, "Conflicts",
                        plural(conflicts, "app") + " under the group lack our ownership labels");
      } else if (!report.refusedStateful.empty()) {
        degraded = make("Degraded", true, "StatefulAppsPendingDrain",
                        listIds(report.refusedStateful) +
                            " left the topology; removing them needs the safe drain");
      } else {
        degraded = make("Degraded", false, "AsExpected", "no problem found");
      }
      break;
    }
  }
  std::vector<Condition> out = {ready, progressing, degraded};
  for (auto& c : out) {
    c.lastTransitionMs = nowMs;
    for (const auto& p : previous) {
      if (p.type == c.type && p.status == c.status) c.lastTransitionMs = p.lastTransitionMs;
    }
  }
  return out;
}

std::string encodeStatusRecord(const ClusterStatusRecord& r) {
  nlohmann::json conditions = nlohmann::json::array();
  for (const auto& c : r.conditions) {
    conditions.push_back({{"type", c.type},
                          {"status", c.status ? "True" : "False"},
                          {"reason", c.reason},
                          {"message", c.message},
                          {"lastTransitionMs", c.lastTransitionMs}});
  }
  nlohmann::json j = {{"kind", "ClusterStatus"},
                      {"cluster", r.cluster},
                      {"leader", r.leader},
                      {"topologyVersion", r.topologyVersion},
                      {"lastPass",
                       {{"outcome", r.lastPassOutcome},
                        {"atMs", r.lastPassAtMs},
                        {"durationMs", r.lastPassDurationMs}}},
                      {"summary", r.summary},
                      {"conditions", conditions}};
  return j.dump();
}

Result<ClusterStatusRecord> decodeStatusRecord(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("kind", "") != "ClusterStatus") {
    return makeError(ErrorCode::InvalidInput, "the status blob is not a cluster status record");
  }
  try {
    ClusterStatusRecord r;
    r.cluster = j.value("cluster", "");
    r.leader = j.value("leader", "");
    r.topologyVersion = j.value("topologyVersion", int64_t{0});
    if (j.contains("lastPass") && j["lastPass"].is_object()) {
      const auto& p = j["lastPass"];
      r.lastPassOutcome = p.value("outcome", "");
      r.lastPassAtMs = p.value("atMs", int64_t{0});
      r.lastPassDurationMs = p.value("durationMs", int64_t{0});
    }
    r.summary = j.value("summary", "");
    for (const auto& c : j.value("conditions", nlohmann::json::array())) {
      r.conditions.push_back(Condition{c.value("type", ""), c.value("status", "") == "True",
                                       c.value("reason", ""), c.value("message", ""),
                                       c.value("lastTransitionMs", int64_t{0})});
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    return makeError(ErrorCode::InvalidInput,
                     std::string("malformed cluster status record: ") + e.what());
  }
}

namespace {
std::string ago(int64_t thenMs, int64_t nowMs) {
  int64_t s = std::max<int64_t>(0, (nowMs - thenMs) / 1000);
  if (s < 120) return std::to_string(s) + "s ago";
  if (s < 7200) return std::to_string(s / 60) + "m ago";
  return std::to_string(s / 3600) + "h ago";
}

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}
}  // namespace

std::string formatConditionsText(const ClusterStatusRecord& r, int64_t nowMs) {
  std::string out = "Conditions (daemon '" + r.leader + "', pass '" + r.lastPassOutcome + "' " +
                    ago(r.lastPassAtMs, nowMs) + ", topology v" +
                    std::to_string(r.topologyVersion) + "):\n";
  for (const auto& c : r.conditions) {
    out += "  " + pad(c.type, 13) + pad(c.status ? "True" : "False", 7) + pad(c.reason, 26) +
           c.message + "\n";
  }
  return out;
}

}  // namespace ceph_planner::daemon
