// Time-driven behaviour: task state progression, health checks, launching and killing to reach
// each app's target, and deployment stepping.

#include <algorithm>
#include <cmath>

#include "sim/marathon/engine_internal.h"
#include "sim/marathon/placement.h"
#include "sim/marathon/time_util.h"

namespace ceph_planner::marathon_sim {

namespace {

class SimulatedDriver final : public TaskDriver {
 public:
  explicit SimulatedDriver(double step) : step_(secondsToMillis(step)) {}
  void launch(Task&, const AppParams&, const Agent&, TimePoint) override {}
  void kill(Task&, const AppParams&, TimePoint) override {}
  std::optional<TaskState> advance(Task& t, TimePoint now) override {
    if (now < t.stateSince + step_) return std::nullopt;
    switch (t.state) {
      case TaskState::Staging:
        return TaskState::Starting;
      case TaskState::Starting:
        return TaskState::Running;
      case TaskState::Killing:
        return t.failOnExit ? TaskState::Failed : TaskState::Killed;
      default:
        return std::nullopt;
    }
  }
  CheckOutcome probe(const Task& t, const AppParams&, const HealthCheckSpec& hc, const Agent&,
                     std::string& cause) override {
    if (t.forcedUnhealthy) {
      cause = hc.protocol == "TCP" || hc.protocol == "MESOS_TCP"
                  ? "connection refused (marked unhealthy by /sim)"
                  : "503 Service Unavailable (marked unhealthy by /sim)";
      return CheckOutcome::Unhealthy;
    }
    return CheckOutcome::Healthy;
  }

 private:
  Millis step_;
};

}  // namespace

std::unique_ptr<TaskDriver> makeSimulatedDriver(double stepSeconds) {
  return std::make_unique<SimulatedDriver>(stepSeconds);
}

std::vector<Task*> Engine::tasksOf(const std::string& appId) {
  std::vector<Task*> out;
  auto it = tasksByApp_.find(appId);
  if (it == tasksByApp_.end()) return out;
  out.reserve(it->second.size());
  for (const auto& [id, t] : it->second) out.push_back(t);
  return out;
}

std::vector<const Task*> Engine::tasksOf(const std::string& appId) const {
  std::vector<const Task*> out;
  auto it = tasksByApp_.find(appId);
  if (it == tasksByApp_.end()) return out;
  out.reserve(it->second.size());
  for (const auto& [id, t] : it->second) out.push_back(t);
  return out;
}

const AppParams* Engine::paramsFor(const std::string& appId) const {
  auto it = apps_.find(appId);
  if (it != apps_.end()) return &it->second->p;
  auto s = stopping_.find(appId);
  if (s != stopping_.end()) return &s->second;
  return nullptr;
}

bool Engine::taskHealthy(const Task& t, const AppParams& p) const {
  if (t.state != TaskState::Running) return false;
  if (p.healthChecks.empty()) return true;
  if (t.health.size() != p.healthChecks.size()) return false;
  for (const auto& h : t.health)
    if (!h.alive()) return false;
  return true;
}

bool Engine::taskCountsAsActive(const Task& t, const AppParams& p, TimePoint now) const {
  switch (t.state) {
    case TaskState::Staging:
    case TaskState::Starting:
    case TaskState::Running:
      return true;
    case TaskState::Unreachable:
      if (p.unreachableDisabled) return true;
      return t.unreachableSince &&
             now < *t.unreachableSince + secondsToMillis(p.inactiveAfterSeconds);
    default:
      return false;
  }
}

void Engine::statusEvent(const Task& t, const std::string& message) {
  const Agent& a = agents_[t.agent];
  publishLocked("status_update_event",
                {{"slaveId", a.id},
                 {"taskId", t.id},
                 {"taskStatus", taskStateName(t.state)},
                 {"message", message},
                 {"appId", t.appId},
                 {"host", a.hostname},
                 {"ipAddresses", Json::array({Json{{"ipAddress", a.ip}, {"protocol", "IPv4"}}})},
                 {"ports", t.ports},
                 {"version", t.version}});
}

void Engine::killTask(Task& t, const std::string& reason, TimePoint now) {
  if (isTerminal(t.state) || t.state == TaskState::Killing) return;
  if (t.state == TaskState::Unreachable) {
    finishTask(t.id, TaskState::Gone, now);
    return;
  }
  t.state = TaskState::Killing;
  t.stateSince = now;
  t.killReason = reason;
  if (const AppParams* p = paramsFor(t.appId)) driver_->kill(t, *p, now);
  statusEvent(t, reason);
}

void Engine::recordFailure(AppRecord* app, const Task& t, const std::string& message, TimePoint now,
                           bool bumpBackoff) {
  if (!app) return;
  const Agent& a = agents_[t.agent];
  app->lastTaskFailure = Json{{"appId", t.appId},     {"host", a.hostname},
                              {"message", message},   {"state", taskStateName(t.state)},
                              {"taskId", t.id},       {"timestamp", isoTimestamp(now)},
                              {"version", t.version}, {"slaveId", a.id}};
  if (bumpBackoff) {
    app->delaySeconds = launchDelaySeconds(app->p, app->delaySeconds);
    app->delayUntil = now + secondsToMillis(app->delaySeconds);
  }
}

void Engine::finishTask(const std::string& taskId, TaskState finalState, TimePoint now) {
  auto it = tasks_.find(taskId);
  if (it == tasks_.end()) return;
  Task& t = it->second;
  t.state = finalState;
  t.stateSince = now;
  auto appIt = apps_.find(t.appId);
  AppRecord* app = appIt == apps_.end() ? nullptr : appIt->second.get();
  if (const AppParams* p = paramsFor(t.appId)) allocate(agents_[t.agent], *p, t.ports, -1);
  if (finalState == TaskState::Failed || finalState == TaskState::Finished) {
    // An exit (exec mode) or a crash: the replacement waits for the launch backoff.
    recordFailure(app, t, t.killReason.empty() ? taskStateName(finalState) : t.killReason, now,
                  true);
  } else if (t.killReason.rfind("health", 0) == 0) {
    // The backoff was already applied when the kill was decided.
    recordFailure(app, t, t.killReason, now, false);
  }
  statusEvent(t, t.killReason.empty() ? taskStateName(finalState) : t.killReason);
  auto h = historyIndex_.find(taskId);
  if (h != historyIndex_.end()) {
    history_[h->second].endedAt = now;
    history_[h->second].finalState = taskStateName(finalState);
    historyIndex_.erase(h);
  }
  auto& byApp = tasksByApp_[t.appId];
  byApp.erase(taskId);
  if (byApp.empty()) tasksByApp_.erase(t.appId);
  tasks_.erase(it);
}

void Engine::advanceTasks(TimePoint now) {
  std::vector<std::pair<std::string, TaskState>> finished;
  for (auto& [id, t] : tasks_) {
    // The app's params are looked up only for the few tasks that need them (an idle tick visits
    // every task).
    if (t.state == TaskState::Unreachable) {
      const AppParams* p = paramsFor(t.appId);
      if (p && !p->unreachableDisabled && t.unreachableSince &&
          now >= *t.unreachableSince +
                     secondsToMillis(std::max(p->expungeAfterSeconds, p->inactiveAfterSeconds)) &&
          t.replacedWhileUnreachable) {
        finished.push_back({id, TaskState::Gone});
      }
      continue;
    }
    auto next = driver_->advance(t, now);
    if (!next) continue;
    if (isTerminal(*next)) {
      finished.push_back({id, *next});
      continue;
    }
    t.state = *next;
    t.stateSince = now;
    if (t.state == TaskState::Running) {
      t.startedAt = now;
      if (const AppParams* p = paramsFor(t.appId)) {
        t.health.assign(p->healthChecks.size(), HealthResult{});
        for (size_t i = 0; i < p->healthChecks.size(); ++i)
          t.health[i].nextCheckAt = firstCheckAt(p->healthChecks[i], now);
      }
    }
    statusEvent(t, taskStateName(t.state));
  }
  for (const auto& [id, st] : finished) finishTask(id, st, now);
}

void Engine::runHealthChecks(TimePoint now) {
  std::vector<std::string> toKill;
  for (auto& [id, t] : tasks_) {
    if (t.state != TaskState::Running || t.health.empty()) continue;
    auto appIt = apps_.find(t.appId);
    if (appIt == apps_.end()) continue;
    const AppParams& p = appIt->second->p;
    if (t.health.size() != p.healthChecks.size()) continue;
    bool kill = false;
    for (size_t i = 0; i < p.healthChecks.size(); ++i) {
      HealthResult& r = t.health[i];
      if (now < r.nextCheckAt) continue;
      const HealthCheckSpec& hc = p.healthChecks[i];
      std::string cause;
      CheckOutcome o = driver_->probe(t, p, hc, agents_[t.agent], cause);
      HealthUpdate u = applyHealthOutcome(hc, r, o, cause, now, t.startedAt.value_or(now));
      r.nextCheckAt = now + secondsToMillis(std::max(0.001, hc.intervalSeconds));
      if (u.kill) kill = true;
    }
    bool alive = taskHealthy(t, p);
    bool anyResult = std::any_of(t.health.begin(), t.health.end(),
                                 [](const HealthResult& r) { return r.hasResult(); });
    if (anyResult && (!t.reportedHealth || alive != t.lastHealthAlive)) {
      t.reportedHealth = true;
      t.lastHealthAlive = alive;
      publishLocked("health_status_changed_event", {{"appId", t.appId},
                                                    {"instanceId", t.instanceId},
                                                    {"version", t.version},
                                                    {"alive", alive}});
    }
    if (kill) toKill.push_back(id);
  }
  for (const auto& id : toKill) {
    Task& t = tasks_.at(id);
    const Agent& a = agents_[t.agent];
    publishLocked("unhealthy_instance_kill_event", {{"appId", t.appId},
                                                    {"taskId", t.id},
                                                    {"instanceId", t.instanceId},
                                                    {"version", t.version},
                                                    {"reason", "health check failed"},
                                                    {"host", a.hostname},
                                                    {"slaveId", a.id}});
    // The replacement is subject to the launch backoff, starting now (the kill is in progress).
    auto appIt = apps_.find(t.appId);
    if (appIt != apps_.end()) {
      AppRecord& app = *appIt->second;
      app.delaySeconds = launchDelaySeconds(app.p, app.delaySeconds);
      app.delayUntil = now + secondsToMillis(app.delaySeconds);
    }
    killTask(t, "health check failed", now);
  }
}

void Engine::launchInstances(AppRecord& app, int count, TimePoint now) {
  app.pendingLaunch = count;
  if (count <= 0) {
    app.queuedSince.reset();
    return;
  }
  if (!app.queuedSince) app.queuedSince = now;
  if (now < app.delayUntil) return;
  const AppParams& p = app.p;
  // A hostname pin (CLUSTER/IS with a value) only needs to look at that host's agents.
  const std::vector<size_t>* candidates = nullptr;
  static const std::vector<size_t> kNone;
  for (const auto& c : p.constraints) {
    if ((c.field == "hostname" || c.field == "@hostname") && c.value &&
        (c.op == ConstraintOp::Cluster || c.op == ConstraintOp::Is)) {
      auto it = agentsByHost_.find(*c.value);
      candidates = it == agentsByHost_.end() ? &kNone : &it->second;
    }
  }
  for (int i = 0; i < count; ++i) {
    std::vector<const Agent*> placed;
    for (const Task* t : tasksOf(p.id))
      if (!isTerminal(t->state) && t->configVersion == p.lastConfigChangeAt)
        placed.push_back(&agents_[t->agent]);
    size_t start = agents_.empty() ? 0 : placementCursor_++ % std::max<size_t>(1, agents_.size());
    PlacementOutcome out = placeInstance(p, agents_, placed, start, candidates);
    app.processedOffers += out.processed;
    if (!out.agent) {
      app.rejects = out.rejects;
      app.unusedOffers += out.processed;
      app.lastUnusedOfferAt = now;
      return;
    }
    app.lastUsedOfferAt = now;
    Agent& agent = agents_[*out.agent];
    allocate(agent, p, out.hostPorts, +1);
    Task t;
    std::string safe = p.id.substr(1);
    std::replace(safe.begin(), safe.end(), '/', '_');
    t.instanceId = safe + ".instance-" + newUuid();
    t.id = t.instanceId + "._app.1";
    t.appId = p.id;
    t.agent = *out.agent;
    t.state = TaskState::Staging;
    t.stagedAt = now;
    t.stateSince = now;
    t.version = p.version;
    t.configVersion = p.lastConfigChangeAt;
    t.ports = out.hostPorts;
    t.servicePorts = p.portNumbers;
    t.exec = execMode_;
    driver_->launch(t, p, agent, now);
    history_.push_back({t.id, t.appId, agent.hostname, now, std::nullopt, ""});
    historyIndex_[t.id] = history_.size() - 1;
    auto [it, _] = tasks_.emplace(t.id, std::move(t));
    tasksByApp_[p.id][it->first] = &it->second;
    statusEvent(it->second, "TASK_STAGING");
    app.pendingLaunch--;
  }
  if (app.pendingLaunch == 0) app.queuedSince.reset();
}

void Engine::reconcileScale(AppRecord& app, TimePoint now) {
  const AppParams& p = app.p;
  std::vector<Task*> active;
  for (Task* t : tasksOf(p.id)) {
    if (taskCountsAsActive(*t, p, now)) {
      active.push_back(t);
    } else if (t->state == TaskState::Unreachable) {
      t->replacedWhileUnreachable = true;
    }
  }
  int surplus = static_cast<int>(active.size()) - p.instances;
  if (surplus > 0) {
    // Tasks sentenced by kill-and-scale go first (only needed when there is something to kill).
    std::set<std::string> sentenced;
    for (const auto& d : deployments_)
      for (const auto& s : d.sentencedTasks) sentenced.insert(s);
    std::stable_sort(active.begin(), active.end(), [&](const Task* a, const Task* b) {
      bool sa = sentenced.count(a->id), sb = sentenced.count(b->id);
      if (sa != sb) return sa;
      if (a->state != b->state) {
        // Not yet running instances go first.
        if (a->state != TaskState::Running) return true;
        if (b->state != TaskState::Running) return false;
      }
      return p.killOldestFirst ? a->stagedAt < b->stagedAt : a->stagedAt > b->stagedAt;
    });
    for (int i = 0; i < surplus; ++i) killTask(*active[i], "killed to scale down", now);
    app.pendingLaunch = 0;
    app.queuedSince.reset();
    return;
  }
  launchInstances(app, -surplus, now);
}

void Engine::reconcileRestart(AppRecord& app, TimePoint now) {
  const AppParams& p = app.p;
  int n = p.instances;
  int minHealthy = static_cast<int>(std::ceil(n * p.minimumHealthCapacity - 1e-9));
  int maxCapacity = static_cast<int>(std::floor(n * (1 + p.maximumOverCapacity) + 1e-9));
  if (minHealthy == maxCapacity && maxCapacity > 0) maxCapacity += 1;
  std::vector<Task*> oldActive, newActive;
  int oldKilling = 0, newReady = 0;
  for (Task* t : tasksOf(p.id)) {
    bool isNew = t->configVersion == p.lastConfigChangeAt;
    if (t->state == TaskState::Killing) {
      if (!isNew) ++oldKilling;
      continue;
    }
    if (!taskCountsAsActive(*t, p, now)) continue;
    if (isNew) {
      newActive.push_back(t);
      if (taskHealthy(*t, p)) ++newReady;
    } else {
      oldActive.push_back(t);
    }
  }
  int keepOld = std::max(0, minHealthy - newReady);
  int killOld = static_cast<int>(oldActive.size()) - keepOld;
  if (killOld > 0) {
    std::stable_sort(oldActive.begin(), oldActive.end(), [&](const Task* a, const Task* b) {
      if ((a->state == TaskState::Running) != (b->state == TaskState::Running))
        return a->state != TaskState::Running;
      return p.killOldestFirst ? a->stagedAt < b->stagedAt : a->stagedAt > b->stagedAt;
    });
    for (int i = 0; i < killOld; ++i)
      killTask(*oldActive[i], "killed to replace with new version", now);
  }
  // Killed old instances hold their capacity until they are terminal (kill first, then start).
  int oldAlive = static_cast<int>(oldActive.size()) + oldKilling;
  int room = maxCapacity - oldAlive - static_cast<int>(newActive.size());
  int want = n - static_cast<int>(newActive.size());
  launchInstances(app, std::max(0, std::min(room, want)), now);
  if (want > 0 && room <= 0) app.pendingLaunch = 0;
}

void Engine::reconcileApps(TimePoint now) {
  for (auto& [id, app] : apps_) {
    if (!app->restartingBy.empty()) {
      reconcileRestart(*app, now);
    } else {
      reconcileScale(*app, now);
    }
  }
  // Tasks of removed apps are stopped (in task id order). Both maps are ordered by app id, so one
  // merged walk finds the removed apps without a lookup per task.
  std::vector<Task*> orphans;
  auto appIt = apps_.begin();
  for (const auto& [appId, byId] : tasksByApp_) {
    while (appIt != apps_.end() && appIt->first < appId) ++appIt;
    if (appIt != apps_.end() && appIt->first == appId) continue;
    for (const auto& [_, t] : byId)
      if (t->state != TaskState::Killing) orphans.push_back(t);
  }
  std::sort(orphans.begin(), orphans.end(),
            [](const Task* a, const Task* b) { return a->id < b->id; });
  for (Task* t : orphans) killTask(*t, "app removed", now);
}

void Engine::stepDeployments(TimePoint /*now*/) {
  for (size_t di = 0; di < deployments_.size();) {
    Deployment& d = deployments_[di];
    if (d.currentStep == 0) {
      d.currentStep = 1;
      for (const auto& a : d.steps[0])
        if (a.type == ActionType::RestartApplication && apps_.count(a.appId))
          apps_[a.appId]->restartingBy = d.id;
      Json actions = Json::array();
      for (const auto& a : d.steps[0])
        actions.push_back({{"action", actionName(a.type)}, {"app", a.appId}});
      publishLocked("deployment_info",
                    {{"plan", planView(d)}, {"currentStep", {{"actions", actions}}}});
    }
    bool done = true;
    for (const auto& a : d.steps[d.currentStep - 1]) {
      auto appIt = apps_.find(a.appId);
      switch (a.type) {
        case ActionType::StartApplication:
          break;
        case ActionType::StopApplication:
          if (tasksByApp_.count(a.appId)) done = false;
          break;
        case ActionType::ScaleApplication: {
          if (appIt == apps_.end()) break;
          const AppParams& p = appIt->second->p;
          int ready = 0, others = 0;
          for (const Task* t : tasksOf(a.appId)) {
            if (taskHealthy(*t, p)) {
              ++ready;
            } else if (!isTerminal(t->state)) {
              ++others;
            }
          }
          if (ready != p.instances || others > 0) done = false;
          break;
        }
        case ActionType::RestartApplication: {
          if (appIt == apps_.end()) break;
          const AppParams& p = appIt->second->p;
          int ready = 0;
          bool oldLeft = false;
          for (const Task* t : tasksOf(a.appId)) {
            if (t->configVersion != p.lastConfigChangeAt) {
              oldLeft = true;
            } else if (taskHealthy(*t, p)) {
              ++ready;
            }
          }
          if (oldLeft || ready < p.instances) done = false;
          break;
        }
      }
    }
    if (!done) {
      ++di;
      continue;
    }
    Json actions = Json::array();
    for (const auto& a : d.steps[d.currentStep - 1]) {
      actions.push_back({{"action", actionName(a.type)}, {"app", a.appId}});
      if (a.type == ActionType::RestartApplication && apps_.count(a.appId) &&
          apps_[a.appId]->restartingBy == d.id)
        apps_[a.appId]->restartingBy.clear();
      if (a.type == ActionType::StopApplication) {
        stopping_.erase(a.appId);
        publishLocked("app_terminated_event", {{"appId", a.appId}});
      }
    }
    publishLocked("deployment_step_success",
                  {{"plan", planView(d)}, {"currentStep", {{"actions", actions}}}});
    if (d.currentStep >= d.steps.size()) {
      publishLocked("deployment_success", {{"id", d.id}, {"plan", planView(d)}});
      deployments_.erase(deployments_.begin() + static_cast<long>(di));
      continue;
    }
    d.currentStep++;
    Json next = Json::array();
    for (const auto& a : d.steps[d.currentStep - 1]) {
      next.push_back({{"action", actionName(a.type)}, {"app", a.appId}});
      if (a.type == ActionType::RestartApplication && apps_.count(a.appId))
        apps_[a.appId]->restartingBy = d.id;
    }
    publishLocked("deployment_info", {{"plan", planView(d)}, {"currentStep", {{"actions", next}}}});
    ++di;
  }
}

void Engine::tick() {
  std::lock_guard<std::mutex> lock(mu_);
  TimePoint now = clock_->now();
  advanceTasks(now);
  runHealthChecks(now);
  stepDeployments(now);
  reconcileApps(now);
}

}  // namespace ceph_planner::marathon_sim
