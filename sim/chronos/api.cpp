#include "sim/chronos/api.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "sim/chronos/job_json.h"

namespace ceph_planner::chronos_sim {
namespace {

using nlohmann::json;
using sim::HttpRequest;
using sim::HttpResponse;

constexpr std::string_view kPrefix = "/v1/scheduler/";

HttpResponse noContent() {
  HttpResponse r;
  r.status = 204;
  return r;
}

// Chronos 3.x `ApiResult`: `{"status": <reason phrase>, "message": …}`.
HttpResponse apiError(const Error& error) {
  bool bad = error.code == ErrorCode::InvalidInput || error.code == ErrorCode::NotFound;
  nlohmann::ordered_json body = {{"status", bad ? "Bad Request" : "Internal Server Error"},
                                 {"message", error.message}};
  return sim::jsonText(bad ? 400 : 500, body.dump());
}

HttpResponse fromStatus(const Status& s) {
  return s ? noContent() : apiError(s.error());
}

// What Jersey answers when Jackson cannot build the job (before Chronos code runs).
HttpResponse deserializationError(const Error& error) {
  return sim::textReply(500,
                        "<html><head><title>Error 500</title></head><body><h2>HTTP ERROR 500</h2>"
                        "<p>Problem accessing the job body: " +
                            error.message + "</p></body></html>",
                        "text/html");
}

HttpResponse methodNotAllowed() {
  return sim::textReply(405, "");
}

HttpResponse notFound() {
  return sim::textReply(404, "");
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool containsIgnoreCase(const std::string& haystack, const std::string& needle) {
  return lower(haystack).find(lower(needle)) != std::string::npos;
}

int64_t intParam(const HttpRequest& req, const std::string& key, int64_t fallback) {
  std::string v = req.param(key);
  if (v.empty()) return fallback;
  try {
    return std::stoll(v);
  } catch (...) {
    return fallback;
  }
}

// The job JSON keeps Chronos's field order, so it is serialised as ordered JSON.
std::string orderedArray(const std::vector<ChronosJob>& jobs, bool forListing) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& job : jobs) out.push_back(encodeJob(job, forListing));
  return out.dump();
}

HttpResponse search(ChronosEngine& engine, const HttpRequest& req) {
  std::string name = req.param("name");
  std::string command = req.param("command");
  std::string any = req.param("any");
  int64_t limit = intParam(req, "limit", 10);
  int64_t offset = intParam(req, "offset", 0);
  std::vector<ChronosJob> matches;
  for (auto& job : engine.list()) {
    if (!name.empty() && !containsIgnoreCase(job.name, name)) continue;
    if (!command.empty() && !containsIgnoreCase(job.command, command)) continue;
    if (!any.empty() && !containsIgnoreCase(job.name, any) &&
        !containsIgnoreCase(job.command, any)) {
      continue;
    }
    matches.push_back(std::move(job));
  }
  std::vector<ChronosJob> page;
  for (int64_t i = std::max<int64_t>(0, offset);
       i < static_cast<int64_t>(matches.size()) && static_cast<int64_t>(page.size()) < limit; ++i) {
    page.push_back(matches[i]);
  }
  return sim::jsonText(200, orderedArray(page, false));
}

HttpResponse summary(ChronosEngine& engine) {
  json jobs = json::array();
  for (const auto& s : engine.summaries()) {
    jobs.push_back({{"name", s.name},
                    {"status", s.status},
                    {"state", s.state},
                    {"schedule", s.schedule},
                    {"parents", s.parents},
                    {"disabled", s.disabled}});
  }
  return sim::jsonText(200, json{{"jobs", jobs}}.dump());
}

json percentiles(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  auto at = [&values](double q) {
    if (values.empty()) return 0.0;
    size_t i = static_cast<size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(i, values.size() - 1)];
  };
  double mean = 0;
  for (double v : values) mean += v;
  if (!values.empty()) mean /= static_cast<double>(values.size());
  return {{"75thPercentile", at(0.75)}, {"95thPercentile", at(0.95)}, {"98thPercentile", at(0.98)},
          {"99thPercentile", at(0.99)}, {"median", at(0.5)},          {"mean", mean},
          {"count", values.size()}};
}

std::string durationText(int64_t millis) {
  iso8601::Duration d;
  d.seconds = millis / 1000;
  d.milliseconds = millis % 1000;
  return formatPeriod(d);
}

HttpResponse jobStat(ChronosEngine& engine, const std::string& name) {
  auto job = engine.get(name);
  if (!job) return apiError(job.error());
  std::vector<double> durations;
  json tasks = json::array();
  for (const auto& t : engine.history()) {
    if (t.jobName != name) continue;
    if (t.endMillis > 0 && t.status == "finished") {
      durations.push_back(static_cast<double>(t.endMillis - t.startMillis) / 1000.0);
    }
    tasks.push_back({{"taskId", t.taskId},
                     {"jobName", t.jobName},
                     {"slaveId", "chronos-sim"},
                     {"startTime", formatUtc(t.startMillis)},
                     {"endTime", t.endMillis > 0 ? formatUtc(t.endMillis) : ""},
                     {"duration", t.endMillis > 0 ? durationText(t.endMillis - t.startMillis) : ""},
                     {"status", t.status},
                     {"numElementsProcessed", 0}});
  }
  return sim::jsonText(
      200, json{{"histogram", percentiles(durations)}, {"taskStatHistory", tasks}}.dump());
}

// `POST /sim/leader`: every non-/sim request answers 503 for a window (real time), then the
// leader endpoint reports the new leader.
class LeaderState {
 public:
  explicit LeaderState(std::string leader) : leader_(std::move(leader)) {}
  std::string leader() {
    std::lock_guard<std::mutex> lock(mu_);
    settleLocked();
    return leader_;
  }
  bool inElection() {
    std::lock_guard<std::mutex> lock(mu_);
    settleLocked();
    return next_.has_value();
  }
  void elect(std::string next, std::chrono::milliseconds window) {
    std::lock_guard<std::mutex> lock(mu_);
    next_ = next.empty() ? leader_ : std::move(next);
    windowEnd_ = std::chrono::steady_clock::now() + window;
  }

 private:
  void settleLocked() {
    if (next_ && std::chrono::steady_clock::now() >= windowEnd_) {
      leader_ = *next_;
      next_.reset();
    }
  }
  std::mutex mu_;
  std::string leader_;
  std::optional<std::string> next_;
  std::chrono::steady_clock::time_point windowEnd_;
};

HttpResponse simRoutes(ChronosEngine& engine, sim::RequestLog& log, sim::FaultInjector& faults,
                       LeaderState& leader, const HttpRequest& req) {
  const std::string& path = req.path;
  if (path == "/sim/leader" && req.method == "POST") {
    json in = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
    if (!in.is_object())
      return sim::jsonText(422, json{{"message", "expected a json object"}}.dump());
    double window = in.value("windowSeconds", 1.0);
    if (window < 0)
      return sim::jsonText(422, json{{"message", "windowSeconds must be >= 0"}}.dump());
    leader.elect(in.value("leader", ""),
                 std::chrono::milliseconds(static_cast<int64_t>(window * 1000)));
    return noContent();
  }
  if (path == "/sim/requests") {
    if (req.method == "GET") return sim::jsonText(200, log.toJson());
    if (req.method == "DELETE") {
      log.clear();
      return noContent();
    }
    return methodNotAllowed();
  }
  if (path == "/sim/faults") {
    if (req.method == "GET") {
      json out = json::array();
      for (const auto& r : faults.rules()) {
        out.push_back({{"method", r.method},
                       {"prefix", r.prefix},
                       {"latencyMs", r.latency.count()},
                       {"errorRate", r.errorRate},
                       {"status", r.errorStatus}});
      }
      return sim::jsonText(200, out.dump());
    }
    if (req.method == "DELETE") {
      faults.clear();
      return noContent();
    }
    if (req.method == "PUT" || req.method == "POST") {
      json in = json::parse(req.body, nullptr, false);
      if (!in.is_object() || !in.contains("prefix") || !in["prefix"].is_string()) {
        return sim::jsonText(422, json{{"message", "a fault needs a 'prefix' string"}}.dump());
      }
      sim::FaultRule rule;
      rule.prefix = in["prefix"].get<std::string>();
      rule.method = in.value("method", "");
      rule.latency = std::chrono::milliseconds(in.value("latencyMs", int64_t{0}));
      rule.errorRate = in.value("errorRate", 0.0);
      rule.errorStatus = in.value("status", 503);
      if (rule.errorRate < 0 || rule.errorRate > 1 || rule.latency.count() < 0 ||
          rule.errorStatus < 500 || rule.errorStatus > 599) {
        return sim::jsonText(
            422,
            json{{"message", "errorRate must be within 0..1 and status within 500..599"}}.dump());
      }
      faults.set(rule);
      return sim::jsonText(200, in.dump());
    }
    return methodNotAllowed();
  }
  if (path == "/sim/runs" && req.method == "GET") {
    json out = json::array();
    for (const auto& t : engine.history()) {
      out.push_back({{"taskId", t.taskId},
                     {"job", t.jobName},
                     {"attempt", t.attempt},
                     {"start", formatUtc(t.startMillis)},
                     {"end", t.endMillis > 0 ? formatUtc(t.endMillis) : ""},
                     {"status", t.status}});
    }
    return sim::jsonText(200, out.dump());
  }
  if (path == "/sim/pending" && req.method == "GET") {
    return sim::jsonText(200, json(engine.pendingNames()).dump());
  }
  return notFound();
}

HttpResponse schedulerRoutes(ChronosEngine& engine, LeaderState& leader, const HttpRequest& req) {
  std::vector<std::string> seg = splitString(req.path.substr(kPrefix.size()), '/');
  const std::string& m = req.method;
  if (seg.empty()) return notFound();
  if (seg.size() == 1 && (seg[0] == "iso8601" || seg[0] == "dependency")) {
    if (m != "POST") return methodNotAllowed();
    auto job = decodeJob(req.body);
    if (!job) return deserializationError(job.error());
    return fromStatus(engine.upsert(std::move(*job), seg[0] == "dependency"));
  }
  if (seg[0] == "jobs") {
    if (m != "GET") return methodNotAllowed();
    if (seg.size() == 1) return sim::jsonText(200, orderedArray(engine.list(), true));
    if (seg.size() == 2 && seg[1] == "summary") return summary(engine);
    if (seg.size() == 2 && seg[1] == "search") return search(engine, req);
    return notFound();
  }
  if (seg[0] == "job") {
    if (seg.size() == 3 && seg[1] == "stat" && m == "GET") return jobStat(engine, seg[2]);
    if (seg.size() == 3 && seg[1] == "success" && m == "PUT") {
      bool ok = engine.markSuccess(seg[2]);
      return sim::textReply(200,
                            "marked job " + seg[2] + " as successful: " + (ok ? "true" : "false"));
    }
    if (seg.size() != 2) return notFound();
    if (m == "GET") {
      auto job = engine.get(seg[1]);
      if (!job) return apiError(job.error());
      return sim::jsonText(200, encodeJob(*job).dump());
    }
    if (m == "PUT") return fromStatus(engine.run(seg[1], req.param("arguments")));
    if (m == "DELETE") return fromStatus(engine.remove(seg[1]));
    return methodNotAllowed();
  }
  if (seg.size() == 3 && seg[0] == "task" && seg[1] == "kill") {
    if (m != "DELETE") return methodNotAllowed();
    return fromStatus(engine.killTasks(seg[2]));
  }
  if (seg.size() == 2 && seg[0] == "graph" && (seg[1] == "csv" || seg[1] == "dot")) {
    if (m != "GET") return methodNotAllowed();
    return sim::textReply(200, seg[1] == "csv" ? engine.graphCsv() : engine.graphDot());
  }
  if (seg.size() == 1 && seg[0] == "leader") {
    if (m != "GET") return methodNotAllowed();
    return sim::jsonText(200, json{{"leader", leader.leader()}}.dump());
  }
  return notFound();
}

}  // namespace

sim::HttpHandler makeChronosApi(ChronosEngine& engine, sim::RequestLog& log,
                                sim::FaultInjector& faults, std::string leader) {
  auto leaderState = std::make_shared<LeaderState>(std::move(leader));
  sim::HttpHandler inner = [&engine, &log, &faults, leaderState](const HttpRequest& req) {
    HttpResponse resp;
    if (req.path.rfind("/sim/", 0) == 0) {
      resp = simRoutes(engine, log, faults, *leaderState, req);
    } else if (leaderState->inElection()) {
      resp = sim::textReply(503, "leader election in progress");
    } else if (req.path.rfind(kPrefix, 0) == 0) {
      resp = schedulerRoutes(engine, *leaderState, req);
    } else if (req.path == "/ping" && req.method == "GET") {
      resp = sim::textReply(200, "pong\n");
    } else {
      resp = notFound();
    }
    return resp;
  };
  sim::HttpHandler logged = sim::withLogAndFaults(std::move(inner), log, faults, "/sim/");
  return [logged = std::move(logged)](const HttpRequest& req) {
    HttpResponse resp = logged(req);
    resp.headers.emplace_back("Access-Control-Allow-Origin", "*");
    return resp;
  };
}

}  // namespace ceph_planner::chronos_sim
