#include "daemon/daemon.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <ostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "daemon/api.h"
#include "daemon/bootstrap_files.h"
#include "daemon/conditions.h"
#include "daemon/http_server.h"
#include "daemon/instrumented_marathon.h"
#include "daemon/metrics.h"
#include "daemon/osd_binding.h"
#include "daemon/osd_flexup.h"
#include "daemon/stored_topology.h"
#include "daemon/timed_store.h"
#include "planner/autoscale.h"
#include "planner/diff.h"
#include "planner/format.h"
#include "planner/render.h"

namespace ceph_planner::daemon {

namespace {

// Metric names (docs/daemon.md lists them).
constexpr char kLeader[] = "ceph_planner_leader";
constexpr char kPasses[] = "ceph_planner_passes_total";
constexpr char kActions[] = "ceph_planner_actions_total";
constexpr char kErrors[] = "ceph_planner_errors_total";
constexpr char kDrift[] = "ceph_planner_drift_repairs_total";
constexpr char kAutoscale[] = "ceph_planner_autoscale_decisions_total";
constexpr char kRgwInstances[] = "ceph_planner_rgw_instances";
constexpr char kLastPassSeconds[] = "ceph_planner_last_pass_duration_seconds";
constexpr char kTopologyVersion[] = "ceph_planner_topology_version";
constexpr char kCondition[] = "ceph_planner_condition";
constexpr char kLeaderChanges[] = "ceph_planner_leadership_changes_total";
constexpr char kFileRequests[] = "ceph_planner_bootstrap_file_requests_total";
constexpr char kFlexRequests[] = "ceph_planner_flex_requests_total";
constexpr char kOsdFlexups[] = "ceph_planner_osd_flexup_requests_total";

void declareDaemonMetrics(Metrics& m) {
  m.declareGauge(kLeader, "1 while this daemon is the leader of its cluster, else 0.");
  m.declareCounter(kPasses, "Reconcile passes by outcome.");
  m.declareCounter(kActions, "Changes submitted to Marathon by kind.");
  m.declareCounter(kErrors, "Errors by kind (source and error code).");
  m.declareCounter(kDrift, "Apps restored after a change by hand in Marathon, by kind.");
  m.declareCounter(kAutoscale, "RGW autoscaler decisions that changed instances.");
  m.declareGauge(kRgwInstances, "RGW instances the autoscaler or flex last set, by service.");
  m.declareGauge(kLastPassSeconds, "Duration of the last reconcile pass.");
  m.declareGauge(kTopologyVersion, "Topology version of the last pass.");
  m.declareGauge(kCondition, "Status conditions (1 = True) by type.");
  m.declareCounter(kLeaderChanges, "Leadership gained or lost.");
  m.declareCounter(kFileRequests, "Bootstrap file requests by result.");
  m.declareCounter(kFlexRequests, "Flexup/flexdown requests by direction and result.");
  m.declareCounter(kOsdFlexups, "OSD flexup requests by result (added, unchanged, refused).");
  declareMarathonMetrics(m);
  declareStoreMetrics(m);
}

std::string lowerCode(ErrorCode code) {
  std::string s(errorCodeName(code));
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string timestamp(const Clock& clock) {
  auto ms = clock.now().time_since_epoch().count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof(out), "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

// IPv4/IPv6 addresses `host` resolves to, as numeric text.
std::vector<std::string> resolve(const std::string& host) {
  std::vector<std::string> out;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) return out;
  for (addrinfo* p = res; p != nullptr; p = p->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {0};
    if (p->ai_family == AF_INET) {
      ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(p->ai_addr)->sin_addr, buf, sizeof(buf));
    } else if (p->ai_family == AF_INET6) {
      ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(p->ai_addr)->sin6_addr, buf,
                  sizeof(buf));
    } else {
      continue;
    }
    if (std::find(out.begin(), out.end(), buf) == out.end()) out.push_back(buf);
  }
  ::freeaddrinfo(res);
  return out;
}

}  // namespace

struct Daemon::Impl final : public ApiHandlers, public engine::ReconcilerListener {
  Impl(store::TopologyStore& rawStore, ElectionFactory electionFactory,
       marathon::MarathonApi& rawMarathon, engine::MetricSource* metricSource, Clock& clockRef,
       DaemonOptions opts, std::ostream& logStream)
      : elections(std::move(electionFactory)),
        clock(clockRef),
        options(std::move(opts)),
        log(logStream),
        store(rawStore, registry, clockRef),
        marathon(rawMarathon, registry, clockRef, [this] { return isLeader(); }),
        readMarathon(rawMarathon, registry, clockRef, [] { return true; }),
        reconciler(store, marathon, clockRef, *this, options.reconciler),
        loop(
            reconciler, clockRef, engine::LoopOptions{options.resyncInterval, options.seed},
            [this] { return isLeader(); }, [this](const engine::PassReport& r) { afterPass(r); }) {
    declareDaemonMetrics(registry);
    registry.set(kLeader, 0);
    if (options.autoscale && metricSource != nullptr) {
      autoscaler = std::make_unique<engine::RgwAutoscaler>(marathon, *metricSource, clockRef,
                                                           options.autoscaler);
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  void logLine(const std::string& line) {
    std::lock_guard<std::mutex> lock(logMu);
    log << timestamp(clock) << " " << line << "\n" << std::flush;
  }

  bool isLeader() const {
    if (!election) return noElection.load();
    return election->isLeader();
  }

  // ---- reconciler listener (pass thread) ----------------------------------------------------

  void drift(const engine::Drift& d) override {
    logLine("drift: " + d.describe());
    registry.increment(kDrift, {{"kind", d.kind}});
  }
  void skipped(const std::string& appId, const std::string& why) override {
    logLine("skip: app '" + appId + "': " + why);
  }
  void stepStarted(const engine::StepProgress& p) override {
    logLine("apply: step " + std::to_string(p.stepNumber) + "/" + std::to_string(p.stepCount) +
            " '" + p.step + "' started (" + std::to_string(p.appsTotal) + " app(s))");
  }
  void stepFinished(const engine::StepProgress& p) override {
    logLine("apply: step '" + p.step + "' finished in " + engine::formatDuration(p.elapsed));
  }
  void note(const std::string& message) override { logLine("apply: " + message); }

  void afterPass(const engine::PassReport& report) {
    std::string outcome(engine::passOutcomeName(report.outcome));
    registry.increment(kPasses, {{"outcome", outcome}});
    registry.set(kLastPassSeconds, std::chrono::duration<double>(report.duration).count());
    registry.set(kTopologyVersion, static_cast<double>(report.topologyVersion));
    for (const auto& [kind, n] : report.actionsByKind) {
      registry.increment(kActions, {{"kind", kind}}, n);
    }
    if (report.error) {
      registry.increment(kErrors, {{"kind", "pass_" + lowerCode(report.error->code)}});
      logLine("pass failed: " + report.error->message);
    } else if (report.outcome == engine::PassOutcome::Acted) {
      std::string kinds;
      for (const auto& [kind, n] : report.actionsByKind) {
        kinds += (kinds.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
      }
      logLine("pass acted on topology v" + std::to_string(report.topologyVersion) + ": " + kinds +
              " (" + std::to_string(report.marathonWrites) + " write(s), " +
              engine::formatDuration(report.duration) + ")");
    }
    runAutoscaler(report);
    publishStatus(report);
  }

  void runAutoscaler(const engine::PassReport& report) {
    if (!autoscaler || !report.topology || !report.observed || !isLeader()) return;
    std::vector<std::string> external;
    {
      std::lock_guard<std::mutex> lock(stateMu);
      external.swap(externalScales);
    }
    for (const auto& appId : external) autoscaler->noteExternalScale(appId);
    auto decisions = autoscaler->tick(*report.topology, *report.observed);
    if (!decisions) {
      registry.increment(kErrors, {{"kind", "autoscale_" + lowerCode(decisions.error().code)}});
      logLine("autoscale: " + decisions.error().message);
    } else {
      for (const auto& d : *decisions) {
        logLine("autoscale: " + planner::describeDecision(d));
        registry.increment(kAutoscale,
                           {{"service", d.service}, {"direction", d.to > d.from ? "up" : "down"}});
        registry.set(kRgwInstances, d.to, {{"service", d.service}});
      }
    }
    std::lock_guard<std::mutex> lock(stateMu);
    autoscaleEvaluations.clear();
    for (const auto& d : autoscaler->lastEvaluations()) {
      autoscaleEvaluations.push_back(planner::describeDecision(d));
    }
  }

  void publishStatus(const engine::PassReport& report) {
    int64_t nowMs = clock.now().time_since_epoch().count();
    ClusterStatusRecord record;
    bool write;
    {
      std::lock_guard<std::mutex> lock(stateMu);
      record.cluster = options.cluster;
      record.leader = options.candidateId;
      record.topologyVersion = report.topologyVersion;
      record.lastPassOutcome = std::string(engine::passOutcomeName(report.outcome));
      record.lastPassAtMs = nowMs;
      record.lastPassDurationMs = report.duration.count();
      record.summary = report.status ? report.status->summaryLine() : "";
      record.conditions = computeConditions(report, lastRecord.conditions, nowMs);
      // The store write is skipped when only the pass time moved (a converged daemon writes about
      // once a minute, not once per pass).
      write = !hasRecord || record.conditions != lastRecord.conditions ||
              record.summary != lastRecord.summary ||
              record.topologyVersion != lastRecord.topologyVersion ||
              record.lastPassOutcome != lastRecord.lastPassOutcome ||
              record.leader != lastRecord.leader || nowMs - lastWrittenMs >= 60000;
      for (const auto& c : record.conditions) {
        bool changed = !hasRecord;
        for (const auto& p : lastRecord.conditions) {
          if (p.type == c.type && (p.status != c.status || p.reason != c.reason)) changed = true;
        }
        if (changed) {
          logLine("condition " + c.type + "=" + (c.status ? "True" : "False") + " (" + c.reason +
                  "): " + c.message);
        }
        registry.set(kCondition, c.status ? 1 : 0, {{"type", c.type}});
      }
      lastRecord = record;
      hasRecord = true;
      if (report.status) lastStatusJson = planner::formatStatusJson(*report.status);
      lastPlanJson = planner::formatPlanJson(report.plan);
      if (write) lastWrittenMs = nowMs;
    }
    if (write && isLeader()) {
      if (Status s = store.putStatus(options.cluster, encodeStatusRecord(record)); !s) {
        logLine("cannot write the status of cluster '" + options.cluster +
                "': " + s.error().message);
      }
    }
  }

  // ---- HTTP API (cpprest threads) ------------------------------------------------------------

  HttpResponse health() override {
    nlohmann::json j = {{"status", "ok"},
                        {"role", isLeader() ? "leader" : "follower"},
                        {"cluster", options.cluster},
                        {"candidate", options.candidateId}};
    return HttpResponse{200, "application/json", j.dump() + "\n"};
  }

  HttpResponse status() override {
    nlohmann::json j = {
        {"cluster", options.cluster}, {"candidate", options.candidateId}, {"leader", isLeader()}};
    std::string recordJson, statusJson;
    std::vector<std::string> evaluations;
    {
      std::lock_guard<std::mutex> lock(stateMu);
      if (hasRecord && isLeader()) recordJson = encodeStatusRecord(lastRecord);
      statusJson = lastStatusJson;
      evaluations = autoscaleEvaluations;
    }
    if (recordJson.empty()) {
      // A follower reports what the leader last wrote.
      auto stored = store.getStatus(options.cluster);
      if (stored) recordJson = *stored;
    }
    if (!recordJson.empty()) {
      auto record = nlohmann::json::parse(recordJson, nullptr, false);
      if (!record.is_discarded()) {
        j["conditions"] = record.value("conditions", nlohmann::json::array());
        j["lastPass"] = record.value("lastPass", nlohmann::json::object());
        j["topologyVersion"] = record.value("topologyVersion", 0);
        j["summary"] = record.value("summary", "");
        j["statusWrittenBy"] = record.value("leader", "");
      }
    }
    if (!statusJson.empty() && isLeader()) {
      auto daemons = nlohmann::json::parse(statusJson, nullptr, false);
      if (!daemons.is_discarded()) j["daemons"] = daemons;
    }
    j["autoscale"] = evaluations;
    return HttpResponse{200, "application/json", j.dump(2) + "\n"};
  }

  HttpResponse metricsPage() {
    registry.set(kLeader, isLeader() ? 1 : 0);
    return HttpResponse{200, "text/plain; version=0.0.4", registry.render()};
  }
  HttpResponse metrics() override { return metricsPage(); }

  HttpResponse plan() override {
    if (!isLeader()) return errorResponse(503, "not the leader: ask the leader for its plan");
    std::lock_guard<std::mutex> lock(stateMu);
    if (lastPlanJson.empty()) return errorResponse(503, "no pass has run yet");
    return HttpResponse{200, "application/json", lastPlanJson + "\n"};
  }

  // The stored topology, validated with the stored inventories as the reconciler does it. The
  // parse cache is shared by the HTTP handlers, which run on several threads.
  Result<StoredTopology> storedTopology() {
    std::lock_guard<std::mutex> lock(inventoryMu);
    return loadStoredTopology(store, options.cluster, &inventoryCache);
  }

  HttpResponse flex(bool up, const FlexRequest& request) override {
    std::string direction = up ? "up" : "down";
    auto refuse = [&](int status, const std::string& message) {
      registry.increment(kFlexRequests, {{"direction", direction}, {"result", "refused"}});
      logLine("flex" + direction + " of rgw '" + request.service + "' refused: " + message);
      return errorResponse(status, message);
    };
    if (!isLeader()) return refuse(503, "not the leader: send writes to the leader");
    auto stored = storedTopology();
    if (!stored) return refuse(httpStatusFor(stored.error().code), stored.error().message);
    const topology::Topology* topo = &stored->topology;
    const topology::RgwService* rgw = nullptr;
    for (const auto& r : topo->rgw) {
      if (r.serviceId == request.service) rgw = &r;
    }
    if (rgw == nullptr) return refuse(404, "no rgw service '" + request.service + "'");
    if (!rgw->autoscale.present) {
      return refuse(409, "rgw service '" + request.service +
                             "' has a fixed count; change `count` in the topology instead");
    }
    std::string groupId = planner::clusterGroupId(*topo);
    std::string appId = groupId + "/rgw/" + rgw->serviceId;
    auto observed = marathon.getGroup(groupId);
    if (!observed) return refuse(httpStatusFor(observed.error().code), observed.error().message);
    const planner::ObservedApp* app = nullptr;
    for (const auto& a : observed->apps) {
      if (a.spec.id == appId) app = &a;
    }
    if (app == nullptr) return refuse(409, "app '" + appId + "' does not exist yet");
    int from = app->spec.instances;
    int to = from + (up ? request.count : -request.count);
    if (to < rgw->autoscale.min || to > rgw->autoscale.max) {
      return refuse(409, "rgw '" + request.service + "' would go from " + std::to_string(from) +
                             " to " + std::to_string(to) + " instances, outside [" +
                             std::to_string(rgw->autoscale.min) + ", " +
                             std::to_string(rgw->autoscale.max) + "]");
    }
    auto scaled = marathon.scaleApp(appId, to, false);
    if (!scaled) return refuse(httpStatusFor(scaled.error().code), scaled.error().message);
    {
      std::lock_guard<std::mutex> lock(stateMu);
      externalScales.push_back(appId);
    }
    registry.increment(kFlexRequests, {{"direction", direction}, {"result", "accepted"}});
    registry.increment(kActions, {{"kind", "flex" + direction}});
    registry.set(kRgwInstances, to, {{"service", rgw->serviceId}});
    logLine("flex" + direction + ": rgw '" + rgw->serviceId + "' " + std::to_string(from) + " -> " +
            std::to_string(to) + " instances (deployment '" + scaled->deploymentId + "')");
    nlohmann::json j = {{"kind", "rgw"},  {"service", rgw->serviceId},
                        {"appId", appId}, {"from", from},
                        {"to", to},       {"deploymentId", scaled->deploymentId}};
    return HttpResponse{202, "application/json", j.dump() + "\n"};
  }

  // OSD flexup (osd_flexup.h): a topology edit through the store's CAS; the watch then drives the
  // reconciler to deploy it. Leader only, so that one daemon serialises the edits it makes.
  HttpResponse osdFlexup(const OsdFlexRequest& request) override {
    const std::string what = "osd '" + request.host + ":" + request.device.path + "'";
    if (!isLeader()) {
      registry.increment(kOsdFlexups, {{"result", "refused"}});
      logLine("flexup of " + what + " refused: not the leader");
      return errorResponse(503, "not the leader: send writes to the leader");
    }
    OsdFlexOptions flexOptions;
    flexOptions.cluster = options.cluster;
    flexOptions.author = options.candidateId.empty() ? "ceph-planner-daemon" : options.candidateId;
    flexOptions.templates = options.reconciler.templates;
    flexOptions.render = options.reconciler.render;
    OsdFlexOutcome outcome = addOsd(store, request, flexOptions);
    if (!outcome.result) {
      registry.increment(kOsdFlexups, {{"result", "refused"}});
      logLine("flexup of " + what + " refused (" + std::to_string(outcome.error.httpStatus) +
              "): " + outcome.error.message);
    } else if (!outcome.result->changed) {
      registry.increment(kOsdFlexups, {{"result", "unchanged"}});
      logLine("flexup of " + what + ": already an osd (topology v" +
              std::to_string(outcome.result->fromVersion) + ")");
    } else {
      registry.increment(kOsdFlexups, {{"result", "added"}});
      registry.increment(kActions, {{"kind", "flexup"}});
      logLine("flexup: " + what + " added to group '" + outcome.result->group + "' (topology v" +
              std::to_string(outcome.result->fromVersion) + " -> v" +
              std::to_string(outcome.result->toVersion) + ", app '" +
              (outcome.result->appIds.empty() ? "" : outcome.result->appIds.front()) + "')");
    }
    return osdFlexResponse(outcome);
  }

  std::vector<std::string> hostAddresses(const topology::Topology& topo, const std::string& host) {
    std::vector<std::string> out;
    for (const auto& h : topo.hosts) {
      if (h.name != host) continue;
      if (!h.publicIp.empty()) out.push_back(h.publicIp);
      if (!h.clusterIp.empty()) out.push_back(h.clusterIp);
      for (const auto& a : h.addresses) out.push_back(a);
    }
    for (auto& a : resolve(host)) out.push_back(std::move(a));
    return out;
  }

  HttpResponse file(const std::string& cluster, const std::string& name,
                    const std::string& peer) override {
    auto notFound = [&](const std::string& why) {
      registry.increment(kFileRequests, {{"result", "refused"}});
      logLine("bootstrap file '" + name + "' refused to '" + peer + "': " + why);
      return errorResponse(404, "not found");
    };
    if (cluster != options.cluster) return notFound("unknown cluster '" + cluster + "'");
    if (!isBootstrapFileName(name)) return notFound("unknown file");
    auto stored = storedTopology();
    if (!stored) return notFound(stored.error().message);
    const topology::Topology* topo = &stored->topology;
    std::string groupId = planner::clusterGroupId(*topo);
    auto observed = readMarathon.getGroup(groupId);
    if (!observed) {
      registry.increment(kFileRequests, {{"result", "error"}});
      return errorResponse(503, "cannot check the requesting task: " + observed.error().message);
    }
    auto addressesOf = [&](const std::string& host) { return hostAddresses(*topo, host); };
    auto grant = authorizeFileRequest(*observed, options.cluster, name, peer, addressesOf);
    if (!grant) return notFound(grant.error().message);
    if (isOsdBindingFileName(name)) {
      // Created on the first fetch, by the leader only (osd_binding.h).
      auto binding =
          osdBindings.ensure(options.cluster, grant->osdHost, grant->osdSlot, isLeader());
      if (!binding) {
        registry.increment(kFileRequests, {{"result", "error"}});
        logLine("osd binding '" + name + "' for task '" + grant->taskId +
                "' unavailable: " + binding.error().message);
        return errorResponse(httpStatusFor(binding.error().code), "file unavailable");
      }
      registry.increment(kFileRequests, {{"result", "served"}});
      logLine("osd binding '" + name + "' (osd." + std::to_string(binding->osdId) +
              ") served to task '" + grant->taskId + "' on '" + grant->host + "'");
      return HttpResponse{200, "application/octet-stream", renderOsdBindingFile(*binding)};
    }
    // Mon addresses for ceph.conf: the hosts of the topology's mon apps.
    std::vector<std::string> mons;
    const planner::TemplateSet& templates = options.reconciler.templates
                                                ? *options.reconciler.templates
                                                : planner::TemplateSet::builtin();
    auto desired = planner::render(*topo, templates, stored->inventory, options.reconciler.render);
    if (!desired) return notFound(desired.error().message);
    for (const auto& app : desired->apps) {
      auto identity = planner::identityFromLabels(app);
      if (!identity || identity->role != planner::Role::Mon) continue;
      auto addresses = hostAddresses(*topo, identity->host);
      if (!addresses.empty()) mons.push_back(addresses.front());
    }
    auto content = bootstrapFileContent(store, *topo, mons, name);
    if (!content) {
      registry.increment(kFileRequests, {{"result", "error"}});
      logLine("bootstrap file '" + name + "' for task '" + grant->taskId +
              "' unavailable: " + content.error().message);
      return errorResponse(httpStatusFor(content.error().code), "file unavailable");
    }
    registry.increment(kFileRequests, {{"result", "served"}});
    logLine("bootstrap file '" + name + "' served to task '" + grant->taskId + "' of app '" +
            grant->appId + "' on '" + grant->host + "'");
    return HttpResponse{200, "application/octet-stream", std::move(content).value()};
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  Status start() {
    // The candidate exists (not yet joined) before any thread can ask `isLeader()`.
    if (elections) {
      store::LeaderCallbacks callbacks;
      callbacks.onGained = [this] {
        registry.set(kLeader, 1);
        registry.increment(kLeaderChanges, {{"change", "gained"}});
        logLine("leadership gained: this daemon now acts");
        loop.trigger("leadership gained");
      };
      callbacks.onLost = [this] {
        registry.set(kLeader, 0);
        registry.increment(kLeaderChanges, {{"change", "lost"}});
        logLine("leadership lost: this daemon stopped acting");
      };
      auto e = elections(std::move(callbacks));
      if (!e) return e.error().withContext("cannot create the election candidate");
      election = std::move(e).value();
    }
    auto server = HttpServer::start(
        options.listenHost, options.listenPort,
        [this](const HttpRequest& r) { return route(r, *this, options.apiToken); });
    if (!server) return server.error();
    http = std::move(server).value();
    logLine("listening on " + http->baseUrl() + " (cluster '" + options.cluster + "', candidate '" +
            options.candidateId + "')");

    auto w = store.watchTopology(options.cluster, [this] { loop.trigger("topology watch"); });
    if (!w) return w.error().withContext("cannot watch the topology");
    watchId = *w;

    loopThread = std::jthread([this](std::stop_token stop) { loop.run(stop); });
    eventsThread = std::jthread([this](std::stop_token stop) { followEvents(stop); });

    if (!election) {
      noElection = true;
      registry.set(kLeader, 1);
      logLine("no leader election (file store): this daemon acts alone");
      loop.trigger("started");
      return okStatus();
    }
    if (Status s = election->start(); !s) return s.error().withContext("cannot join the election");
    return okStatus();
  }

  void followEvents(std::stop_token stop) {
    marathon::EventFilter filter;
    filter.types = {"event_stream_attached", "deployment_success",
                    "deployment_failed",     "deployment_step_success",
                    "status_update_event",   "health_status_changed_event",
                    "app_terminated_event",  "unhealthy_instance_kill_event"};
    while (!stop.stop_requested()) {
      Status s = readMarathon.streamEvents(
          filter, [this](const marathon::MarathonEvent& e) { loop.trigger("marathon " + e.type); },
          stop);
      if (stop.stop_requested()) break;
      if (!s) logLine("marathon event stream: " + s.error().message + "; retrying in 5s");
      std::mutex m;
      std::unique_lock<std::mutex> lock(m);
      std::condition_variable_any cv;
      cv.wait_for(lock, stop, std::chrono::seconds(5), [] { return false; });
    }
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    if (election) election->stop();
    noElection = false;
    registry.set(kLeader, 0);
    if (watchId) store.unwatch(*watchId);
    loopThread.request_stop();
    eventsThread.request_stop();
    if (loopThread.joinable()) loopThread.join();
    if (eventsThread.joinable()) eventsThread.join();
    http.reset();
    election.reset();
    logLine("stopped");
  }

  ElectionFactory elections;
  Clock& clock;
  DaemonOptions options;
  std::ostream& log;
  std::mutex logMu;
  Metrics registry;
  TimedStore store;
  OsdBindings osdBindings{store};  // Slot bindings served to OSD tasks (after `store`).
  GuardedMarathon marathon;        // Guarded: fails once leadership is gone.
  GuardedMarathon readMarathon;    // Unguarded reads (file checks, events), timed.
  engine::Reconciler reconciler;
  engine::ReconcileLoop loop;
  std::unique_ptr<engine::RgwAutoscaler> autoscaler;
  store::LeaderElectionPtr election;
  std::atomic<bool> noElection{false};
  std::unique_ptr<HttpServer> http;
  std::optional<store::WatchId> watchId;
  std::jthread loopThread, eventsThread;
  bool stopped = false;

  // Guards the handlers' inventory parse cache (storedTopology()).
  std::mutex inventoryMu;
  engine::InventoryParseCache inventoryCache;

  std::mutex stateMu;
  ClusterStatusRecord lastRecord;
  bool hasRecord = false;
  int64_t lastWrittenMs = 0;
  std::string lastStatusJson, lastPlanJson;
  std::vector<std::string> autoscaleEvaluations;
  std::vector<std::string> externalScales;
};

Daemon::Daemon(store::TopologyStore& store, ElectionFactory elections,
               marathon::MarathonApi& marathon, engine::MetricSource* metricSource, Clock& clock,
               DaemonOptions options, std::ostream& log)
    : impl_(std::make_unique<Impl>(store, std::move(elections), marathon, metricSource, clock,
                                   std::move(options), log)) {}

Daemon::~Daemon() {
  impl_->stop();
}

Status Daemon::start() {
  return impl_->start();
}

void Daemon::stop() {
  impl_->stop();
}

bool Daemon::isLeader() const {
  return impl_->isLeader();
}

std::string Daemon::baseUrl() const {
  return impl_->http ? impl_->http->baseUrl() : "";
}

}  // namespace ceph_planner::daemon
