#include "tests/fakes/fake_marathon.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <regex>

#include "common/strings.h"
#include "marathon_client/error_mapping.h"
#include "marathon_client/task_ids.h"
#include "planner/app_json.h"

namespace ceph_planner::marathon {
namespace {

using nlohmann::json;
using planner::AppSpec;

constexpr char kIdSegmentRegex[] =
    R"(^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])|(\.|\.\.)$)";

Error marathonError(int status, const json& body) {
  return errorFromResponse(status, body.dump());
}

Error appNotFound(const std::string& id) {
  return marathonError(404, {{"message", "App '" + id + "' does not exist"}});
}

// Everything but `instances` equal: a scale, not a restart (API.md §5.2).
bool sameConfig(AppSpec a, AppSpec b) {
  a.instances = b.instances = 0;
  return a == b;
}

void addAncestors(std::set<std::string>& groups, const std::string& appId) {
  for (size_t pos = appId.find('/', 1); pos != std::string::npos; pos = appId.find('/', pos + 1)) {
    groups.insert(appId.substr(0, pos));
  }
}

bool isHostnameField(const std::string& field) {
  return field == "hostname" || field == "@hostname";
}

}  // namespace

FakeMarathon::FakeMarathon() : FakeMarathon(Options{}) {}

FakeMarathon::FakeMarathon(Options options) : options_(std::move(options)) {}

void FakeMarathon::log(const std::string& method, const std::string& appId) {
  calls_.push_back(Call{method, appId});
}

Status FakeMarathon::checkInjected(const std::string& method, const std::string& appId) {
  log(method, appId);
  auto it = injected_.find(method);
  if (it == injected_.end() || it->second.empty()) return okStatus();
  Error error = it->second.front();
  it->second.pop_front();
  return error;
}

std::string FakeMarathon::nextVersion() {
  // Strictly increasing, so versions compare as strings like Marathon's timestamps do.
  ++clockMs_;
  char text[40];
  long ms = clockMs_;
  std::snprintf(text, sizeof text, "2026-01-01T%02ld:%02ld:%02ld.%03ldZ", (ms / 3600000) % 24,
                (ms / 60000) % 60, (ms / 1000) % 60, ms % 1000);
  return text;
}

Status FakeMarathon::validate(const AppSpec& app, const std::string& pathPrefix) const {
  json details = json::array();
  auto add = [&](const std::string& path, const std::string& error) {
    details.push_back({{"path", pathPrefix + path}, {"errors", {error}}});
  };
  static const std::regex kSegment(kIdSegmentRegex);
  if (app.id.empty() || app.id.front() != '/' || app.id == "/") {
    add("/id", "Path must contain at least one path element and must not be root");
  } else {
    for (const auto& segment : splitString(app.id.substr(1), '/')) {
      if (!std::regex_match(segment, kSegment)) {
        add("/id", std::string("must fully match regular expression '") + kIdSegmentRegex + "'");
        break;
      }
    }
  }
  if (app.instances < 0)
    add("/instances", "got " + std::to_string(app.instances) + ", expected 0 or more");
  if (app.cpus < 0) add("/cpus", "got " + std::to_string(app.cpus) + ", expected 0.0 or more");
  if (app.mem < 0) add("/mem", "got " + std::to_string(app.mem) + ", expected 0.0 or more");
  if (app.disk < 0) add("/disk", "got " + std::to_string(app.disk) + ", expected 0.0 or more");
  if (app.cmd && app.cmd->empty()) add("/cmd", "must not be empty");
  if (app.cmd && !app.args.empty())
    add("/", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
  if (!app.cmd && app.args.empty() && !app.container) {
    add("/", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
  }
  for (double v :
       {app.upgradeStrategy.minimumHealthCapacity, app.upgradeStrategy.maximumOverCapacity}) {
    if (v < 0 || v > 1) {
      add("/upgradeStrategy", "is not between 0 and 1");
      break;
    }
  }
  if (details.empty()) return okStatus();
  return marathonError(422, {{"message", "Object is not valid"}, {"details", details}});
}

std::vector<std::string> FakeMarathon::deploymentsOf(const std::string& appId) const {
  std::vector<std::string> ids;
  for (const auto& d : deployments_) {
    if (std::find(d.affectedApps.begin(), d.affectedApps.end(), appId) != d.affectedApps.end()) {
      ids.push_back(d.id);
    }
  }
  return ids;
}

void FakeMarathon::emit(const std::string& type, std::string text) {
  events_.push_back(MarathonEvent{type, std::move(text)});
  eventsChanged_.notify_all();
}

bool FakeMarathon::placeable(const AppSpec& spec, std::string* reason) const {
  if (auto it = unplaceable_.find(spec.id); it != unplaceable_.end()) {
    *reason = it->second;
    return false;
  }
  if (options_.agents.empty()) return true;
  for (const auto& c : spec.constraints) {
    if (c.size() != 3 || !isHostnameField(c[0])) continue;
    const std::string op = c[1];
    bool any = false;
    for (const auto& agent : options_.agents) {
      if (op == "CLUSTER" || op == "IS")
        any = any || agent == c[2];
      else if (op == "LIKE")
        any = any || std::regex_match(agent, std::regex(c[2]));
      else
        any = true;
    }
    if (!any) {
      *reason = "UnfulfilledConstraint";
      return false;
    }
  }
  return true;
}

std::string FakeMarathon::hostFor(const AppSpec& spec, size_t index) const {
  for (const auto& c : spec.constraints) {
    if (c.size() == 3 && isHostnameField(c[0]) && (c[1] == "CLUSTER" || c[1] == "IS")) return c[2];
  }
  if (options_.agents.empty()) return "fake-agent-" + std::to_string(index % 3 + 1);
  return options_.agents[index % options_.agents.size()];
}

void FakeMarathon::converge(App& app) {
  // Restart: tasks launched before the last config change are replaced.
  std::erase_if(app.tasks,
                [&](const planner::TaskStatus& t) { return t.version < app.lastConfigChangeAt; });
  while (static_cast<int>(app.tasks.size()) > app.spec.instances) app.tasks.pop_back();
  while (static_cast<int>(app.tasks.size()) < app.spec.instances) {
    planner::TaskStatus task;
    task.id =
        taskIdPrefix(app.spec.id) + "instance-fake" + std::to_string(++taskCounter_) + "._app.1";
    task.host = hostFor(app.spec, app.tasks.size());
    task.state = "TASK_RUNNING";
    task.startedAt = app.version;
    task.version = app.version;
    if (!app.spec.healthChecks.empty()) task.healthy = app.healthy;
    app.tasks.push_back(std::move(task));
  }
}

bool FakeMarathon::canComplete(const OpenDeployment& d) const {
  std::string reason;
  for (const auto& id : d.affectedApps) {
    auto it = apps_.find(id);
    if (it != apps_.end() && it->second.spec.instances > 0 &&
        !placeable(it->second.spec, &reason)) {
      return false;
    }
  }
  return true;
}

void FakeMarathon::complete(const OpenDeployment& d) {
  for (const auto& id : d.affectedApps) {
    if (auto it = apps_.find(id); it != apps_.end()) converge(it->second);
  }
  json plan = {{"id", d.id}, {"version", d.version}, {"steps", json::array()}};
  std::erase_if(deployments_, [&](const OpenDeployment& o) { return o.id == d.id; });
  emit("deployment_success", json{{"eventType", "deployment_success"},
                                  {"id", d.id},
                                  {"plan", plan},
                                  {"timestamp", d.version}}
                                 .dump());
}

Result<DeploymentRef> FakeMarathon::deploy(std::vector<Change> changes, bool force) {
  std::erase_if(changes, [&](const Change& c) {
    auto it = apps_.find(c.appId);
    return c.after && it != apps_.end() && it->second.spec == *c.after;
  });
  const std::string version = nextVersion();
  const std::string id = "fake-deployment-" + std::to_string(++deploymentCounter_);
  if (changes.empty()) {
    // Zero-step plan: finishes at once and never conflicts (API.md §5.1).
    emit("deployment_success",
         json{{"eventType", "deployment_success"},
              {"id", id},
              {"plan", {{"id", id}, {"version", version}, {"steps", json::array()}}},
              {"timestamp", version}}
             .dump());
    return DeploymentRef{id, version};
  }
  std::vector<std::string> blocking;
  for (const auto& c : changes) {
    for (const auto& d : deploymentsOf(c.appId)) {
      if (std::find(blocking.begin(), blocking.end(), d) == blocking.end()) blocking.push_back(d);
    }
  }
  if (!blocking.empty() && !force) {
    json ids = json::array();
    for (const auto& b : blocking) ids.push_back({{"id", b}});
    return marathonError(409,
                         {{"message",
                           "App is locked by one or more deployments. Override with the option "
                           "'?force=true'. View details at '/v2/deployments/" +
                               blocking.front() + "'."},
                          {"deployments", ids}});
  }
  std::erase_if(deployments_, [&](const OpenDeployment& d) {
    return std::find(blocking.begin(), blocking.end(), d.id) != blocking.end();
  });

  OpenDeployment d{id, version, {}, {}, {}};
  std::vector<DeploymentAction> stops, starts, updates;
  for (auto& c : changes) {
    auto it = apps_.find(c.appId);
    d.before[c.appId] = it == apps_.end() ? std::nullopt : std::optional<AppSpec>(it->second.spec);
    d.affectedApps.push_back(c.appId);
    if (!c.after) {
      apps_.erase(c.appId);
      stops.push_back({"StopApplication", c.appId});
      emit("app_terminated_event",
           json{{"eventType", "app_terminated_event"}, {"appId", c.appId}, {"timestamp", version}}
               .dump());
      continue;
    }
    if (it == apps_.end()) {
      App app;
      app.spec = std::move(*c.after);
      app.version = app.lastConfigChangeAt = app.lastScalingAt = version;
      addAncestors(groups_, c.appId);
      apps_.emplace(c.appId, std::move(app));
      starts.push_back({"StartApplication", c.appId});
      updates.push_back({"ScaleApplication", c.appId});
      continue;
    }
    App& app = it->second;
    bool restart = c.restart || !sameConfig(app.spec, *c.after);
    app.spec = std::move(*c.after);
    app.version = app.lastScalingAt = version;
    if (restart) app.lastConfigChangeAt = version;
    updates.push_back({restart ? "RestartApplication" : "ScaleApplication", c.appId});
  }
  for (auto* step : {&stops, &starts, &updates}) {
    if (!step->empty()) d.steps.push_back(*step);
  }
  deployments_.push_back(d);
  emit("deployment_info", json{{"eventType", "deployment_info"},
                               {"plan", {{"id", id}, {"version", version}}},
                               {"currentStep", {{"actions", json::array()}}},
                               {"timestamp", version}}
                              .dump());
  if (options_.autoCompleteDeployments && canComplete(d)) complete(d);
  return DeploymentRef{id, version};
}

Result<planner::ObservedState> FakeMarathon::getGroup(const std::string& groupId) {
  Lock lock(mu_);
  if (auto s = checkInjected("getGroup", ""); !s) return s.error();
  planner::ObservedState state;
  state.groupId = groupId;
  state.groupExists = groupId == "/" || groups_.count(groupId) > 0;
  const std::string prefix = groupId == "/" ? "/" : groupId + "/";
  for (const auto& [id, app] : apps_) {
    if (!startsWith(id, prefix)) continue;
    planner::ObservedApp observed;
    observed.spec = app.spec;
    auto& st = observed.status;
    st.version = app.version;
    st.lastConfigChangeAt = app.lastConfigChangeAt;
    st.lastScalingAt = app.lastScalingAt;
    st.tasks = app.tasks;
    for (const auto& t : app.tasks) {
      st.tasksRunning += t.state == "TASK_RUNNING";
      st.tasksHealthy += t.healthy.has_value() && *t.healthy;
      st.tasksUnhealthy += t.healthy.has_value() && !*t.healthy;
    }
    st.deploymentIds = deploymentsOf(id);
    state.apps.push_back(std::move(observed));
  }
  return state;
}

Result<DeploymentRef> FakeMarathon::putApp(const AppSpec& app, bool force) {
  Lock lock(mu_);
  const std::string what = "failed to put app " + ceph_planner::quoted(app.id);
  if (auto s = checkInjected("putApp", app.id); !s) return s.error().withContext(what);
  if (auto s = validate(app, ""); !s) return s.error().withContext(what);
  // Store what Marathon would report back: the spec as the codec round-trips it.
  auto stored = planner::appFromJson(planner::appToJson(app));
  if (!stored) return stored.error().withContext(what + ": app codec round trip");
  auto ref = deploy({Change{app.id, std::move(stored.value()), false}}, force);
  if (!ref) return ref.error().withContext(what);
  return ref;
}

Result<DeploymentRef> FakeMarathon::putApps(const std::vector<AppSpec>& apps, bool force) {
  Lock lock(mu_);
  std::vector<std::string> ids;
  for (const auto& a : apps) ids.push_back(a.id);
  if (auto s = checkInjected("putApps", joinStrings(ids, ",")); !s) return s.error();
  if (apps.empty()) return makeError(ErrorCode::InvalidInput, "put apps: no apps given");
  const std::string what = "failed to put " + std::to_string(apps.size()) + " apps (" +
                           ceph_planner::quoted(apps.front().id) +
                           (apps.size() > 1 ? ", ...)" : ")");
  std::vector<Change> changes;
  for (size_t i = 0; i < apps.size(); ++i) {
    if (auto s = validate(apps[i], "(" + std::to_string(i) + ")"); !s) {
      return s.error().withContext(what);
    }
    auto stored = planner::appFromJson(planner::appToJson(apps[i]));
    if (!stored) return stored.error().withContext(what + ": app codec round trip");
    changes.push_back(Change{apps[i].id, std::move(stored.value()), false});
  }
  auto ref = deploy(std::move(changes), force);
  if (!ref) return ref.error().withContext(what);
  return ref;
}

Result<DeploymentRef> FakeMarathon::scaleApp(const std::string& appId, int instances, bool force) {
  Lock lock(mu_);
  std::string what =
      "failed to scale app " + ceph_planner::quoted(appId) + " to " + std::to_string(instances);
  if (auto s = checkInjected("scaleApp", appId); !s) return s.error().withContext(what);
  if (instances < 0) return makeError(ErrorCode::InvalidInput, what + ": negative instances");
  auto it = apps_.find(appId);
  if (it == apps_.end()) {
    // Marathon validates `{"instances":N}` as a new app definition (API.md §2.1).
    return marathonError(422,
                         {{"message", "Object is not valid"},
                          {"details",
                           {{{"path", "/"},
                             {"errors",
                              {"AppDefinition must either contain one of 'cmd' or 'args', and/or a "
                               "'container'."}}}}}})
        .withContext(what);
  }
  AppSpec after = it->second.spec;
  after.instances = instances;
  auto ref = deploy({Change{appId, std::move(after), false}}, force);
  if (!ref) return ref.error().withContext(what);
  return ref;
}

Result<DeploymentRef> FakeMarathon::deleteApp(const std::string& appId, bool force) {
  Lock lock(mu_);
  const std::string what = "failed to delete app " + ceph_planner::quoted(appId);
  if (auto s = checkInjected("deleteApp", appId); !s) return s.error().withContext(what);
  if (!apps_.count(appId)) return appNotFound(appId).withContext(what);
  auto ref = deploy({Change{appId, std::nullopt, false}}, force);
  if (!ref) return ref.error().withContext(what);
  return ref;
}

Result<KillResult> FakeMarathon::killTasks(const std::string& appId,
                                           const std::vector<std::string>& taskIds, bool scale) {
  Lock lock(mu_);
  const std::string what = "failed to kill " + std::to_string(taskIds.size()) + " tasks of app " +
                           ceph_planner::quoted(appId);
  if (auto s = checkInjected("killTasks", appId); !s) return s.error().withContext(what);
  if (auto s = checkKillRequest(appId, taskIds); !s) return s.error().withContext(what);
  // Like Marathon, task ids it does not know (already gone) are skipped without an error.
  auto it = apps_.find(appId);
  std::vector<std::string> known;
  if (it != apps_.end()) {
    for (const auto& id : taskIds) {
      if (std::any_of(it->second.tasks.begin(), it->second.tasks.end(),
                      [&](const planner::TaskStatus& t) { return t.id == id; })) {
        known.push_back(id);
      }
    }
  }
  auto isKnown = [&](const planner::TaskStatus& t) {
    return std::find(known.begin(), known.end(), t.id) != known.end();
  };
  KillResult result;
  if (scale) {
    std::vector<Change> changes;
    std::vector<planner::TaskStatus> removed;
    if (!known.empty()) {
      App& app = it->second;
      AppSpec after = app.spec;
      after.instances = std::max(0, after.instances - static_cast<int>(known.size()));
      // Those exact tasks go: remove them first so converging does not pick others.
      removed = app.tasks;
      std::erase_if(app.tasks, isKnown);
      changes.push_back(Change{appId, std::move(after), false});
    }
    auto ref = deploy(std::move(changes), /*force=*/false);
    if (!ref) {
      apps_[appId].tasks = std::move(removed);
      return ref.error().withContext(what);
    }
    result.deployment = std::move(ref.value());
    return result;
  }
  if (it == apps_.end()) return result;
  App& app = it->second;
  std::erase_if(app.tasks, isKnown);
  result.killedTaskIds = known;
  std::string reason;
  if (placeable(app.spec, &reason)) converge(app);  // Marathon replaces them right away.
  return result;
}

Result<std::vector<Deployment>> FakeMarathon::listDeployments() {
  Lock lock(mu_);
  if (auto s = checkInjected("listDeployments", ""); !s) return s.error();
  std::vector<Deployment> out;
  for (const auto& d : deployments_) {
    Deployment dep;
    dep.id = d.id;
    dep.version = d.version;
    dep.affectedApps = d.affectedApps;
    dep.totalSteps = static_cast<int>(d.steps.size());
    dep.currentStep = d.steps.empty() ? 0 : static_cast<int>(d.steps.size());
    if (!d.steps.empty()) dep.currentActions = d.steps.back();
    out.push_back(std::move(dep));
  }
  return out;
}

Result<std::optional<DeploymentRef>> FakeMarathon::deleteDeployment(const std::string& id,
                                                                    bool force) {
  Lock lock(mu_);
  const std::string what = "failed to cancel deployment " + ceph_planner::quoted(id);
  if (auto s = checkInjected("deleteDeployment", ""); !s) return s.error().withContext(what);
  auto it = std::find_if(deployments_.begin(), deployments_.end(),
                         [&](const OpenDeployment& d) { return d.id == id; });
  if (it == deployments_.end()) {
    return marathonError(404, {{"message", "DeploymentPlan " + id + " does not exist"}})
        .withContext(what);
  }
  OpenDeployment cancelled = *it;
  deployments_.erase(it);
  if (force) return std::optional<DeploymentRef>();
  // Revert: put every affected app back as it was before (a deployment of its own).
  std::vector<Change> revert;
  for (const auto& [appId, before] : cancelled.before)
    revert.push_back(Change{appId, before, false});
  auto ref = deploy(std::move(revert), /*force=*/true);
  if (!ref) return ref.error().withContext(what);
  return std::optional<DeploymentRef>(std::move(ref.value()));
}

Result<std::vector<QueueEntry>> FakeMarathon::getQueue() {
  Lock lock(mu_);
  if (auto s = checkInjected("getQueue", ""); !s) return s.error();
  std::vector<QueueEntry> out;
  for (const auto& [id, app] : apps_) {
    int missing = app.spec.instances - static_cast<int>(app.tasks.size());
    if (missing <= 0 || deploymentsOf(id).empty()) continue;
    QueueEntry e;
    e.appId = id;
    e.count = missing;
    e.delayOverdue = true;
    e.since = app.version;
    e.processedOffers = std::max<int>(1, options_.agents.size());
    std::string reason;
    if (!placeable(app.spec, &reason)) {
      e.unusedOffers = e.processedOffers;
      e.rejectReasons.push_back(RejectReason{reason, e.processedOffers, e.processedOffers});
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<MarathonInfo> FakeMarathon::info() {
  Lock lock(mu_);
  if (auto s = checkInjected("info", ""); !s) return s.error();
  return MarathonInfo{"marathon", "1.10.26-fake", "fake-marathon:8080", true, "fake-framework"};
}

Result<std::string> FakeMarathon::leader() {
  Lock lock(mu_);
  if (auto s = checkInjected("leader", ""); !s) return s.error();
  return std::string("fake-marathon:8080");
}

Status FakeMarathon::streamEvents(const EventFilter& filter, const EventCallback& callback,
                                  std::stop_token stop) {
  Lock lock(mu_);
  if (auto s = checkInjected("streamEvents", ""); !s) return s.error();
  size_t next = events_.size();
  lock.unlock();
  callback(MarathonEvent{
      "event_stream_attached",
      json{{"eventType", "event_stream_attached"}, {"remoteAddress", "127.0.0.1"}}.dump()});
  lock.lock();
  while (!stop.stop_requested()) {
    eventsChanged_.wait(lock, stop, [&] { return events_.size() > next; });
    std::vector<MarathonEvent> batch(events_.begin() + next, events_.end());
    next = events_.size();
    lock.unlock();
    for (const auto& e : batch) {
      if (filter.types.empty() ||
          std::find(filter.types.begin(), filter.types.end(), e.type) != filter.types.end()) {
        callback(e);
      }
    }
    lock.lock();
  }
  return okStatus();
}

void FakeMarathon::setAutoComplete(bool autoComplete) {
  Lock lock(mu_);
  options_.autoCompleteDeployments = autoComplete;
}

bool FakeMarathon::completeDeployment(const std::string& id) {
  Lock lock(mu_);
  for (const auto& d : deployments_) {
    if (d.id == id) {
      if (!canComplete(d)) return false;
      OpenDeployment copy = d;
      complete(copy);
      return true;
    }
  }
  return false;
}

int FakeMarathon::completeAllDeployments() {
  Lock lock(mu_);
  int done = 0;
  for (auto copy = deployments_; const auto& d : copy) {
    if (canComplete(d)) {
      complete(d);
      ++done;
    }
  }
  return done;
}

void FakeMarathon::markUnplaceable(const std::string& appId, std::string reason) {
  Lock lock(mu_);
  unplaceable_[appId] = std::move(reason);
}

void FakeMarathon::clearUnplaceable(const std::string& appId) {
  Lock lock(mu_);
  unplaceable_.erase(appId);
  if (!options_.autoCompleteDeployments) return;
  for (auto copy = deployments_; const auto& d : copy) {
    if (canComplete(d)) complete(d);
  }
}

void FakeMarathon::failNext(const std::string& method, int times, Error error) {
  Lock lock(mu_);
  for (int i = 0; i < times; ++i) injected_[method].push_back(error);
}

void FakeMarathon::setAppHealth(const std::string& appId, bool healthy) {
  Lock lock(mu_);
  auto it = apps_.find(appId);
  if (it == apps_.end()) return;
  it->second.healthy = healthy;
  for (auto& t : it->second.tasks) {
    if (t.healthy.has_value()) t.healthy = healthy;
  }
}

std::vector<FakeMarathon::Call> FakeMarathon::calls() const {
  Lock lock(mu_);
  return calls_;
}

int FakeMarathon::writeCount() const {
  static const std::set<std::string> kWrites = {"putApp",    "putApps",   "scaleApp",
                                                "deleteApp", "killTasks", "deleteDeployment"};
  Lock lock(mu_);
  return static_cast<int>(std::count_if(calls_.begin(), calls_.end(),
                                        [](const Call& c) { return kWrites.count(c.method) > 0; }));
}

void FakeMarathon::clearCalls() {
  Lock lock(mu_);
  calls_.clear();
}

std::optional<AppSpec> FakeMarathon::app(const std::string& appId) const {
  Lock lock(mu_);
  auto it = apps_.find(appId);
  if (it == apps_.end()) return std::nullopt;
  return it->second.spec;
}

std::vector<std::string> FakeMarathon::openDeploymentIds() const {
  Lock lock(mu_);
  std::vector<std::string> ids;
  for (const auto& d : deployments_) ids.push_back(d.id);
  return ids;
}

}  // namespace ceph_planner::marathon
