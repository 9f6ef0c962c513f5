#pragma once

// The simulated Marathon: root group tree, apps and their versions, deployments, tasks on agents,
// health checks and the launch queue. Thread-safe: every public method takes the engine lock.
// Time comes from the injected clock; `tick()` advances tasks, health checks and deployments to
// the clock's current time (the server calls it periodically, unit tests call it after moving a
// manual clock).

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "sim/marathon/health.h"
#include "sim/marathon/model.h"

namespace ceph_planner::marathon_sim {

// An HTTP-level failure: status and Marathon's JSON body.
struct ApiError {
  int status = 500;
  Json body;
};

inline ApiError apiError(int status, const std::string& message) {
  return ApiError{status, Json{{"message", message}}};
}

template <typename T>
class ApiResult {
 public:
  ApiResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  ApiResult(ApiError e) : v_(std::in_place_index<1>, std::move(e)) {}   // NOLINT
  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const ApiError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ApiError> v_;
};

struct DeploymentRef {
  std::string id;
  std::string version;
  Json toJson() const { return {{"deploymentId", id}, {"version", version}}; }
};

// How tasks actually run. The simulated driver moves states by (simulated) time; an exec driver
// would run real processes. Called with the engine lock held.
class TaskDriver {
 public:
  virtual ~TaskDriver() = default;
  virtual void launch(Task& task, const AppParams& app, const Agent& agent, TimePoint now) = 0;
  virtual void kill(Task& task, const AppParams& app, TimePoint now) = 0;
  // The task's next state if it changed by `now`.
  virtual std::optional<TaskState> advance(Task& task, TimePoint now) = 0;
  virtual CheckOutcome probe(const Task& task, const AppParams& app, const HealthCheckSpec& check,
                             const Agent& agent, std::string& cause) = 0;
  // Stops whatever still runs (simulator shutdown).
  virtual void shutdown() {}
};

// Simulated tasks: staging → starting → running after `stepSeconds` each; a kill takes
// `stepSeconds`; checks pass unless the task was marked unhealthy.
std::unique_ptr<TaskDriver> makeSimulatedDriver(double stepSeconds = 1.0);

// Which optional fields an app view carries (`embed=` values).
struct AppEmbeds {
  bool tasks = false;
  bool counts = false;
  bool deployments = false;
  bool readiness = false;
  bool lastTaskFailure = false;
  bool taskStats = false;
};

// Parses `embed` values with any of the prefixes `apps.`, `app.`, `group.apps.` or none.
AppEmbeds parseAppEmbeds(const std::vector<std::string>& embeds);

struct GroupEmbeds {
  bool groups = true;
  bool apps = true;
  AppEmbeds app;
};

struct KillOptions {
  bool scale = false;
  bool wipe = false;
  bool force = false;
  std::string host;  // Empty or `*` = any host.
};

using EventListener = std::function<void(const std::string& type, const Json& payload)>;

class Engine {
 public:
  Engine(ClockPtr clock, std::vector<Agent> agents, uint64_t seed,
         std::unique_ptr<TaskDriver> driver = nullptr, bool execMode = false);
  ~Engine();

  // --- apps ---
  // POST /v2/apps: the created app view and its deployment.
  ApiResult<std::pair<Json, DeploymentRef>> createApp(const Json& body, bool force);
  // PUT/PATCH of one or more apps. `created` reports whether a single PUT created the app.
  ApiResult<DeploymentRef> updateApps(const std::vector<Json>& bodies, const std::string& pathId,
                                      bool partial, bool patch, bool force, bool* created);
  ApiResult<DeploymentRef> deleteApp(const std::string& id, bool force);
  ApiResult<DeploymentRef> restartApp(const std::string& id, bool force);
  ApiResult<Json> getApp(const std::string& id, AppEmbeds embeds);
  // Apps under group `groupId` (recursively), for `GET /v2/apps/{group}/*`.
  ApiResult<Json> appsUnder(const std::string& groupId, AppEmbeds embeds);
  Json listApps(const std::string& idFilter, const std::string& cmdFilter,
                const std::string& labelSelector, AppEmbeds embeds);
  ApiResult<Json> appVersions(const std::string& id);
  ApiResult<Json> appVersion(const std::string& id, const std::string& ts);

  // --- tasks ---
  ApiResult<Json> appTasks(const std::string& id);
  // Kill tasks of one app (`taskIds` empty = all on `host`). Without scale: `{"tasks":[...]}`
  // (or `{"task":...}` when `single`); with scale: a DeploymentResult.
  ApiResult<Json> killAppTasks(const std::string& appId, const std::vector<std::string>& taskIds,
                               const KillOptions& opts, bool single, DeploymentRef* ref);
  ApiResult<Json> killTasksById(const std::vector<std::string>& taskIds, const KillOptions& opts,
                                DeploymentRef* ref);
  Json listTasks(const std::vector<std::string>& statuses);

  // --- groups ---
  ApiResult<Json> getGroup(const std::string& id, const GroupEmbeds& embeds);
  // The same group view already serialised (what `GET /v2/groups` sends): written straight from
  // the engine's records, so a 25,000-app tree is never copied into a JSON document first.
  ApiResult<std::string> getGroupText(const std::string& id, const GroupEmbeds& embeds);
  ApiResult<DeploymentRef> createGroup(const std::string& pathId, const Json& body, bool force);
  // PUT; with `dryRun` the plan steps are returned in `dryRunSteps` and nothing changes.
  ApiResult<DeploymentRef> updateGroup(const std::string& pathId, const Json& body, bool force,
                                       bool dryRun, Json* dryRunSteps);
  ApiResult<DeploymentRef> deleteGroup(const std::string& id, bool force);
  ApiResult<Json> groupVersions(const std::string& id);
  ApiResult<Json> groupVersion(const std::string& id, const std::string& ts);

  // --- deployments and queue ---
  Json listDeployments();
  // Without force: revert (a new deployment). With force: just stop it (nullopt ref).
  ApiResult<std::optional<DeploymentRef>> cancelDeployment(const std::string& id, bool force);
  Json queue();
  ApiResult<bool> resetDelay(const std::string& appId);

  // --- fault injection ---
  ApiResult<Json> setAgentUp(const std::string& hostname, bool up);
  ApiResult<Json> setTaskHealth(const std::string& taskId, bool healthy);
  ApiResult<Json> crashTask(const std::string& taskId);
  Json history();
  Json agentsJson();

  // Advances everything to the clock's now.
  void tick();
  // Listeners receive every event (payload already has eventType and timestamp).
  int addListener(EventListener l);
  void removeListener(int id);
  void publish(const std::string& type, Json payload);

  // Stable snapshot for `--state` (apps and groups only; tasks are relaunched on load).
  Json saveState();
  Status loadState(const Json& state);

  size_t appCount();
  // Stops every task process (exec mode) before the simulator exits.
  void shutdown();
  ClockPtr clock() const { return clock_; }

 private:
  struct AppRecord;
  struct GroupRecord;
  struct GroupSnapshot;
  struct Change;
  struct Prepared;

  ApiResult<Prepared> prepare(Change change, bool force);
  DeploymentRef apply(Prepared p);
  ApiResult<DeploymentRef> commit(Change change, bool force);
  std::vector<std::string> conflictsWith(const std::set<std::string>& apps) const;
  ApiError lockedError(const std::vector<std::string>& ids) const;
  std::string nextVersion();
  std::string newUuid();
  std::set<int> usedServicePorts(const std::string& exceptApp) const;
  std::variant<Json, ApiError> normaliseFor(const Json& raw, const std::string& baseGroup,
                                            const Json* previous);
  void collectGroupApps(const std::string& groupId, std::vector<std::string>& out) const;
  GroupSnapshot snapshotGroup(const std::string& groupId) const;
  bool groupExists(const std::string& id) const;
  std::variant<bool, ApiError> collectGroupBody(const Json& body, const std::string& groupId,
                                                Change& change, std::set<std::string>& keptApps,
                                                std::set<std::string>& keptGroups);

  // Views.
  Json appView(const AppRecord& app, AppEmbeds embeds) const;
  Json taskView(const Task& t, bool withServicePorts) const;
  // What `appView` adds to the definition for `embeds` (an object; its keys win over the def's).
  Json appViewExtras(const AppRecord& app, AppEmbeds embeds) const;
  // Appends the group's view, serialised exactly as `dump()` of the equivalent document would be.
  void writeGroupView(std::string& out, const std::string& id, const GroupEmbeds& embeds,
                      const std::map<std::string, std::vector<std::string>>& childGroups,
                      const std::map<std::string, std::vector<std::string>>& childApps) const;
  std::string groupViewText(const std::string& id, const GroupEmbeds& embeds) const;
  Json deploymentView(const Deployment& d) const;
  Json planView(const Deployment& d) const;
  std::vector<std::string> deploymentsOf(const std::string& appId) const;

  // Tick phases.
  void advanceTasks(TimePoint now);
  void runHealthChecks(TimePoint now);
  void reconcileApps(TimePoint now);
  void stepDeployments(TimePoint now);
  void reconcileScale(AppRecord& app, TimePoint now);
  void reconcileRestart(AppRecord& app, TimePoint now);
  void launchInstances(AppRecord& app, int count, TimePoint now);
  void killTask(Task& t, const std::string& reason, TimePoint now);
  void finishTask(const std::string& taskId, TaskState finalState, TimePoint now);
  void recordFailure(AppRecord* app, const Task& t, const std::string& message, TimePoint now,
                     bool bumpBackoff);
  bool taskHealthy(const Task& t, const AppParams& p) const;
  bool taskCountsAsActive(const Task& t, const AppParams& p, TimePoint now) const;
  std::vector<Task*> tasksOf(const std::string& appId);
  std::vector<const Task*> tasksOf(const std::string& appId) const;
  const AppParams* paramsFor(const std::string& appId) const;
  void statusEvent(const Task& t, const std::string& message);
  void publishLocked(const std::string& type, Json payload);

  mutable std::mutex mu_;
  ClockPtr clock_;
  std::vector<Agent> agents_;
  std::map<std::string, std::vector<size_t>> agentsByHost_;
  std::unique_ptr<TaskDriver> driver_;
  bool execMode_;
  std::mt19937_64 rng_;
  std::map<std::string, std::unique_ptr<AppRecord>> apps_;
  std::map<std::string, std::unique_ptr<GroupRecord>> groups_;
  std::map<std::string, Task> tasks_;
  // Per app: its tasks by id (pointers into `tasks_`, whose nodes are stable), so the tick and
  // the views reach an app's tasks without looking each id up again.
  std::map<std::string, std::map<std::string, Task*>> tasksByApp_;
  std::vector<Deployment> deployments_;
  // Params of apps removed by a running deployment (their tasks are still being stopped).
  std::map<std::string, AppParams> stopping_;
  std::vector<HistoryEntry> history_;
  std::map<std::string, size_t> historyIndex_;
  std::map<int, EventListener> listeners_;
  int nextListener_ = 1;
  TimePoint lastVersion_{};
  size_t placementCursor_ = 0;
  // Service ports handed out while normalising the apps of the request being prepared (they are
  // not in `apps_` yet); cleared by `prepare`.
  std::set<int> requestServicePorts_;
};

}  // namespace ceph_planner::marathon_sim
