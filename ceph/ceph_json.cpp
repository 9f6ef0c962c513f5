// The one nlohmann_json user of cp_ceph: every exception of the library is caught in `parseAs`.

#include "ceph/ceph_json.h"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

namespace ceph_planner::ceph {
namespace {

using nlohmann::json;

// Parses `text` and hands the document to `fill`; any JSON or type error becomes `Internal`
// naming `command`. Ceph 16 ends some documents with a stray newline inside the object, and the
// balancer module prints a leading blank line: both are plain whitespace to the parser.
template <typename T>
Result<T> parseAs(const std::string& text, const std::string& command,
                  const std::function<void(const json&, T&)>& fill) {
  try {
    json doc = json::parse(text);
    if (!doc.is_object()) {
      return makeError(ErrorCode::Internal, "'ceph " + command + "' did not print a JSON object");
    }
    T value;
    fill(doc, value);
    return value;
  } catch (const json::exception& e) {
    return makeError(ErrorCode::Internal,
                     "cannot parse the output of 'ceph " + command + "': " + e.what());
  }
}

template <typename T>
T get(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return it->get<T>();
}

std::vector<int> intList(const json& j, const char* key) {
  std::vector<int> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) out.push_back(v.get<int>());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> stringList(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace

Result<HealthReport> parseHealth(const std::string& text) {
  return parseAs<HealthReport>(text, "health detail", [](const json& j, HealthReport& h) {
    h.status = j.at("status").get<std::string>();
    // `checks` is an object keyed by code (`{"OSD_DOWN": {"severity": ..., "summary":
    // {"message": ...}}}`); std::map-ordered, so the list is sorted by code.
    const json checks = j.value("checks", json::object());  // Named: items() must not dangle.
    for (const auto& [code, check] : checks.items()) {
      HealthCheck c;
      c.code = code;
      c.severity = get<std::string>(check, "severity", "");
      if (auto s = check.find("summary"); s != check.end() && s->is_object()) {
        c.summary = get<std::string>(*s, "message", "");
      }
      c.muted = get<bool>(check, "muted", false);
      h.checks.push_back(std::move(c));
    }
  });
}

Result<PgStat> parsePgStat(const std::string& text) {
  return parseAs<PgStat>(text, "pg stat", [](const json& j, PgStat& p) {
    const json& s = j.at("pg_summary");
    p.numPgs = s.at("num_pgs").get<int>();
    for (const auto& row : s.value("num_pg_by_state", json::array())) {
      p.pgsByState[row.at("name").get<std::string>()] += row.at("num").get<int>();
    }
    p.numObjects = get<int64_t>(s, "num_objects", 0);
    p.degradedObjects = get<int64_t>(s, "degraded_objects", 0);
    p.degradedTotal = get<int64_t>(s, "degraded_total", 0);
    p.misplacedObjects = get<int64_t>(s, "misplaced_objects", 0);
    p.misplacedTotal = get<int64_t>(s, "misplaced_total", 0);
    p.unfoundObjects = get<int64_t>(s, "unfound_objects", 0);
    p.recoveringBytesPerSec = get<int64_t>(s, "recovering_bytes_per_sec", 0);
  });
}

Result<OsdDf> parseOsdDf(const std::string& text) {
  return parseAs<OsdDf>(text, "osd df", [](const json& j, OsdDf& df) {
    for (const auto& n : j.at("nodes")) {
      if (get<std::string>(n, "type", "osd") != "osd") continue;
      OsdUsage u;
      u.id = n.at("id").get<int>();
      u.name = get<std::string>(n, "name", "osd." + std::to_string(u.id));
      u.deviceClass = get<std::string>(n, "device_class", "");
      u.crushWeight = get<double>(n, "crush_weight", 0);
      u.reweight = get<double>(n, "reweight", 0);
      u.kb = get<int64_t>(n, "kb", 0);
      u.kbUsed = get<int64_t>(n, "kb_used", 0);
      u.utilization = get<double>(n, "utilization", 0);
      u.var = get<double>(n, "var", 0);
      u.pgs = get<int>(n, "pgs", 0);
      u.status = get<std::string>(n, "status", "");
      df.osds.push_back(std::move(u));
    }
    std::sort(df.osds.begin(), df.osds.end(),
              [](const OsdUsage& a, const OsdUsage& b) { return a.id < b.id; });
    const json& s = j.at("summary");
    df.averageUtilization = get<double>(s, "average_utilization", 0);
    df.minVar = get<double>(s, "min_var", 0);
    df.maxVar = get<double>(s, "max_var", 0);
    df.dev = get<double>(s, "dev", 0);
  });
}

Result<BalancerStatus> parseBalancerStatus(const std::string& text) {
  return parseAs<BalancerStatus>(text, "balancer status", [](const json& j, BalancerStatus& b) {
    b.active = j.at("active").get<bool>();
    b.mode = j.at("mode").get<std::string>();
    b.plans = stringList(j, "plans");
    b.lastOptimizeStarted = get<std::string>(j, "last_optimize_started", "");
    b.optimizeResult = get<std::string>(j, "optimize_result", "");
  });
}

Result<QuorumStatus> parseQuorumStatus(const std::string& text) {
  return parseAs<QuorumStatus>(text, "quorum_status", [](const json& j, QuorumStatus& q) {
    q.electionEpoch = get<int>(j, "election_epoch", 0);
    q.quorumNames = stringList(j, "quorum_names");
    q.leaderName = get<std::string>(j, "quorum_leader_name", "");
    for (const auto& mon : j.at("monmap").at("mons")) {
      q.monNames.push_back(mon.at("name").get<std::string>());
    }
  });
}

Result<OkToStop> parseOkToStop(const std::string& text) {
  return parseAs<OkToStop>(text, "osd ok-to-stop", [](const json& j, OkToStop& o) {
    o.ok = j.at("ok_to_stop").get<bool>();
    o.osds = intList(j, "osds");
    o.numOkPgs = get<int>(j, "num_ok_pgs", 0);
    o.numNotOkPgs = get<int>(j, "num_not_ok_pgs", 0);
    o.badBecomeInactive = stringList(j, "bad_become_inactive");
  });
}

Result<SafeToDestroy> parseSafeToDestroy(const std::string& text) {
  return parseAs<SafeToDestroy>(text, "osd safe-to-destroy", [](const json& j, SafeToDestroy& s) {
    s.safeToDestroy = intList(j, "safe_to_destroy");
    s.active = intList(j, "active");
    s.missingStats = intList(j, "missing_stats");
    s.storedPgs = intList(j, "stored_pgs");
    s.safe = !s.safeToDestroy.empty() && s.active.empty() && s.missingStats.empty() &&
             s.storedPgs.empty();
  });
}

Result<ReweightResult> parseReweightByUtilization(const std::string& text) {
  return parseAs<ReweightResult>(
      text, "osd reweight-by-utilization", [](const json& j, ReweightResult& r) {
        // Percent fractions (0.56 = 56 %), unlike `osd df`.
        r.averageUtilization = get<double>(j, "average_utilization", 0) * 100.0;
        r.overloadUtilization = get<double>(j, "overload_utilization", 0) * 100.0;
        for (const auto& row : j.value("reweights", json::array())) {
          r.reweights.push_back(Reweight{row.at("osd").get<int>(), row.at("weight").get<double>(),
                                         row.at("new_weight").get<double>()});
        }
        r.changed = !r.reweights.empty();
      });
}

}  // namespace ceph_planner::ceph
