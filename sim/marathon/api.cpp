// Dispatch, info/leader/ping/metrics/plugins, the event stream and the /sim fault API.

#include "sim/marathon/api.h"

#include <thread>

#include "sim/marathon/time_util.h"

namespace ceph_planner::marathon_sim {

using namespace api_detail;

namespace {
bool startsWith(const std::string& s, const std::string& p) {
  return s.compare(0, p.size(), p) == 0;
}
}  // namespace

MarathonApi::MarathonApi(Engine& engine, sim::RequestLog& requests, sim::FaultInjector& faults,
                         std::string selfAddress)
    : engine_(engine),
      requests_(requests),
      faults_(faults),
      selfAddress_(std::move(selfAddress)),
      leader_(selfAddress_) {
  listenerId_ = engine_.addListener([this](const std::string& type, const Json& payload) {
    std::lock_guard<std::mutex> lock(mu_);
    std::string data = payload.dump();
    for (auto it = streams_.begin(); it != streams_.end();) {
      bool wanted = it->types.empty() ||
                    std::find(it->types.begin(), it->types.end(), type) != it->types.end();
      if (wanted && !it->channel->send(type, data)) {
        it = streams_.erase(it);
        continue;
      }
      if (!it->channel->open()) {
        it = streams_.erase(it);
        continue;
      }
      ++it;
    }
  });
}

MarathonApi::~MarathonApi() {
  engine_.removeListener(listenerId_);
  closeStreams();
}

void MarathonApi::closeStreams() {
  std::vector<Stream> streams;
  {
    std::lock_guard<std::mutex> lock(mu_);
    streams.swap(streams_);
  }
  for (auto& s : streams) s.channel->close();
}

std::string MarathonApi::leader() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!nextLeader_.empty() && std::chrono::steady_clock::now() >= leaderWindowEnd_) {
    leader_ = nextLeader_;
    nextLeader_.clear();
  }
  return leader_;
}

bool MarathonApi::inLeaderWindow() {
  std::lock_guard<std::mutex> lock(mu_);
  return !nextLeader_.empty() && std::chrono::steady_clock::now() < leaderWindowEnd_;
}

void MarathonApi::postEvent(const sim::HttpRequest& req, const Json& appDefinition) {
  engine_.publish(
      "api_post_event",
      {{"clientIp", req.remoteAddress}, {"uri", req.path}, {"appDefinition", appDefinition}});
}

sim::HttpResponse MarathonApi::handle(const sim::HttpRequest& req) {
  if (startsWith(req.path, "/sim/") || req.path == "/sim") {
    return simControl(req, req.path.size() > 4 ? req.path.substr(4) : "");
  }
  if (inLeaderWindow()) {
    return json(503, Json{{"message", "Could not determine the current leader"}});
  }
  sim::HttpResponse r = route(req);
  if (startsWith(req.path, "/v2/"))
    r.headers.push_back({"X-Marathon-Leader", "http://" + leader()});
  return r;
}

sim::HttpResponse MarathonApi::route(const sim::HttpRequest& req) {
  const std::string& p = req.path;
  auto under = [&](const std::string& prefix, std::string& rest) {
    if (p == prefix) {
      rest.clear();
      return true;
    }
    if (startsWith(p, prefix + "/")) {
      rest = p.substr(prefix.size());
      return true;
    }
    return false;
  };
  std::string rest;
  if (under("/v2/apps", rest)) return apps(req, rest);
  if (under("/v2/tasks", rest)) return tasks(req, rest);
  if (under("/v2/groups", rest)) return groups(req, rest);
  if (under("/v2/deployments", rest)) return deployments(req, rest);
  if (under("/v2/queue", rest)) return queue(req, rest);
  if (p == "/v2/events") return events(req);
  return misc(req);
}

sim::HttpResponse MarathonApi::misc(const sim::HttpRequest& req) {
  const std::string& p = req.path;
  if (p == "/ping") {
    if (req.method != "GET") return methodNotAllowed();
    std::string accept = req.header("accept");
    if (!accept.empty() && accept.find("text/plain") == std::string::npos &&
        accept.find("*/*") == std::string::npos &&
        accept.find("application/json") != std::string::npos)
      return sim::jsonText(200, "\"pong\"");
    return sim::textReply(200, "pong");
  }
  if (p == "/metrics") {
    if (req.method != "GET") return methodNotAllowed();
    size_t apps = engine_.appCount();
    size_t requests = requests_.snapshot().size();
    return json(200, Json{{"version", "4.0.0"},
                          {"counters", {{"marathon.http.requests", {{"count", requests}}}}},
                          {"gauges", {{"marathon.apps.active.gauge", {{"value", apps}}}}},
                          {"histograms", Json::object()},
                          {"meters", Json::object()},
                          {"timers", Json::object()}});
  }
  if (p == "/v2/info") {
    if (req.method != "GET") return methodNotAllowed();
    std::string l = leader();
    auto colon = selfAddress_.rfind(':');
    int port = colon == std::string::npos ? 0 : std::atoi(selfAddress_.c_str() + colon + 1);
    return json(200, Json{{"name", "marathon"},
                          {"version", "1.10.26"},
                          {"buildref", "marathon-sim"},
                          {"elected", l == selfAddress_},
                          {"leader", l},
                          {"frameworkId", "marathon-sim-framework-0000"},
                          {"marathon_config",
                           {{"master", "local"},
                            {"mesos_role", "*"},
                            {"mesos_user", "root"},
                            {"local_port_min", 10000},
                            {"local_port_max", 20000},
                            {"max_running_deployments", 100},
                            {"features", Json::array()},
                            {"hostname", "127.0.0.1"},
                            {"mesos_leader_ui_url", ""}}},
                          {"zookeeper_config",
                           {{"zk", "zk://localhost:2181/marathon"}, {"zk_timeout", 10000}}},
                          {"http_config", {{"http_port", port}, {"https_port", 8443}}}});
  }
  if (p == "/v2/leader") {
    if (req.method == "GET") return json(200, Json{{"leader", leader()}});
    if (req.method == "DELETE") {
      {
        std::lock_guard<std::mutex> lock(mu_);
        nextLeader_ = leader_;
        leaderWindowEnd_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
      }
      return json(200, Json{{"message", "Leadership abdicated"}});
    }
    return methodNotAllowed();
  }
  if (p == "/v2/plugins") {
    if (req.method != "GET") return methodNotAllowed();
    return json(200, Json{{"plugins", Json::array()}});
  }
  return uriNotFound();
}

sim::HttpResponse MarathonApi::events(const sim::HttpRequest& req) {
  if (req.method != "GET") return methodNotAllowed();
  if (req.header("accept").find("text/event-stream") == std::string::npos)
    return json(405,
                Json{{"message", "HTTP 405 Method Not Allowed: send 'Accept: text/event-stream'"}});
  std::vector<std::string> types = req.params("event_type");
  std::string remote = req.remoteAddress;
  sim::HttpResponse r;
  r.status = 200;
  r.onStreamOpen = [this, types, remote](sim::SseChannelPtr channel) {
    Json attached = {{"remoteAddress", remote},
                     {"eventType", "event_stream_attached"},
                     {"timestamp", isoTimestamp(engine_.clock()->now())}};
    // Registered before the first frame goes out, so a client that reacts to
    // `event_stream_attached` cannot miss the events its own requests cause.
    std::lock_guard<std::mutex> lock(mu_);
    streams_.push_back({channel, types});
    channel->send("event_stream_attached", attached.dump());
  };
  return r;
}

sim::HttpResponse MarathonApi::simControl(const sim::HttpRequest& req, const std::string& rest) {
  auto segs = splitSegments(rest);
  if (segs.empty()) return uriNotFound();
  if (segs[0] == "requests" && segs.size() == 1) {
    if (req.method == "GET") return sim::jsonText(200, requests_.toJson());
    if (req.method == "DELETE") {
      requests_.clear();
      sim::HttpResponse r;
      r.status = 204;
      return r;
    }
    return methodNotAllowed();
  }
  if (segs[0] == "history" && segs.size() == 1 && req.method == "GET")
    return json(200, engine_.history());
  if (segs[0] == "agents") {
    if (segs.size() == 1 && req.method == "GET") return json(200, engine_.agentsJson());
    if (segs.size() == 3 && req.method == "POST" && (segs[2] == "down" || segs[2] == "up")) {
      auto res = engine_.setAgentUp(segs[1], segs[2] == "up");
      return res.ok() ? json(200, res.value()) : error(res.error());
    }
    return uriNotFound();
  }
  if (segs[0] == "tasks" && segs.size() == 3 && req.method == "POST") {
    if (segs[2] == "unhealthy" || segs[2] == "healthy") {
      auto res = engine_.setTaskHealth(segs[1], segs[2] == "healthy");
      return res.ok() ? json(200, res.value()) : error(res.error());
    }
    if (segs[2] == "kill") {
      auto res = engine_.crashTask(segs[1]);
      return res.ok() ? json(200, res.value()) : error(res.error());
    }
    return uriNotFound();
  }
  if (segs[0] == "faults" && segs.size() == 1) {
    if (req.method == "GET") {
      Json arr = Json::array();
      for (const auto& f : faults_.rules())
        arr.push_back({{"method", f.method},
                       {"prefix", f.prefix},
                       {"latencyMs", f.latency.count()},
                       {"errorRate", f.errorRate},
                       {"status", f.errorStatus}});
      return json(200, arr);
    }
    if (req.method == "DELETE") {
      faults_.clear();
      sim::HttpResponse r;
      r.status = 204;
      return r;
    }
    if (req.method == "PUT" || req.method == "POST") {
      auto body = parseBody(req.body);
      if (auto* r = std::get_if<sim::HttpResponse>(&body)) return *r;
      const Json& b = std::get<Json>(body);
      if (!b.is_object() || !b.contains("prefix") || !b["prefix"].is_string())
        return json(422, Json{{"message", "a fault needs a 'prefix' string"}});
      sim::FaultRule rule;
      rule.prefix = b["prefix"].get<std::string>();
      rule.method = b.value("method", std::string());
      rule.latency = std::chrono::milliseconds(b.value("latencyMs", 0));
      rule.errorRate = b.value("errorRate", 0.0);
      rule.errorStatus = b.value("status", 503);
      if (rule.errorRate < 0 || rule.errorRate > 1 || rule.errorStatus < 500 ||
          rule.errorStatus > 599)
        return json(422,
                    Json{{"message", "errorRate must be within 0..1 and status within 500..599"}});
      faults_.set(rule);
      return json(200, b);
    }
    return methodNotAllowed();
  }
  if (segs[0] == "leader" && segs.size() == 1 && req.method == "POST") {
    auto body = parseBody(req.body);
    if (auto* r = std::get_if<sim::HttpResponse>(&body)) return *r;
    const Json& b = std::get<Json>(body);
    double window = b.value("windowSeconds", 1.0);
    std::lock_guard<std::mutex> lock(mu_);
    nextLeader_ = b.value("leader", leader_);
    if (nextLeader_.empty()) nextLeader_ = leader_;
    leaderWindowEnd_ = std::chrono::steady_clock::now() +
                       std::chrono::milliseconds(static_cast<int64_t>(window * 1000));
    return json(200, Json{{"windowSeconds", window}, {"nextLeader", nextLeader_}});
  }
  return uriNotFound();
}

}  // namespace ceph_planner::marathon_sim
