#pragma once

// `FakeMarathon`: an in-memory `MarathonApi` for component tests of apply/reconcile. It follows
// Marathon's rules where the planner can observe them (kept honest by running the same contract
// suite as `CppRestMarathonClient` against marathon-sim, tests/contract/marathon_api):
// - app definitions change at once; tasks move only when the deployment completes, which happens
//   immediately (`autoCompleteDeployments`, the default) or when the test says so;
// - an app held by a running deployment answers `Conflict` (naming the deployment ids) unless
//   `force`, which cancels the holding deployments; an unchanged definition gives a zero-step
//   deployment that finishes at once and never conflicts;
// - apps the test marks unplaceable (or whose `hostname` CLUSTER/IS/LIKE constraint matches none of
//   `agents`) never get tasks: their deployments stay open and `/v2/queue` lists them with a
//   reason;
// - errors can be injected per method (n failures, then normal service) and every call is logged.
// Errors are built from Marathon-shaped bodies by the same `errorFromResponse` the HTTP client
// uses, so codes and messages match. Thread-safe.

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "marathon_client/marathon_api.h"

namespace ceph_planner::marathon {

class FakeMarathon final : public MarathonApi {
 public:
  struct Options {
    bool autoCompleteDeployments = true;
    // Agent hostnames. When set, tasks are spread over them and hostname constraints are checked.
    std::vector<std::string> agents;
  };

  struct Call {
    std::string method;  // The `MarathonApi` method name, e.g. `putApp`.
    std::string appId;   // The app (several joined with ',' for `putApps`), "" when none.
    bool operator==(const Call&) const = default;
  };

  FakeMarathon();
  explicit FakeMarathon(Options options);

  // MarathonApi.
  Result<planner::ObservedState> getGroup(const std::string& groupId) override;
  Result<DeploymentRef> putApp(const planner::AppSpec& app, bool force) override;
  Result<DeploymentRef> putApps(const std::vector<planner::AppSpec>& apps, bool force) override;
  Result<DeploymentRef> scaleApp(const std::string& appId, int instances, bool force) override;
  Result<DeploymentRef> deleteApp(const std::string& appId, bool force) override;
  Result<KillResult> killTasks(const std::string& appId, const std::vector<std::string>& taskIds,
                               bool scale) override;
  Result<std::vector<Deployment>> listDeployments() override;
  Result<std::optional<DeploymentRef>> deleteDeployment(const std::string& id, bool force) override;
  Result<std::vector<QueueEntry>> getQueue() override;
  Result<MarathonInfo> info() override;
  Result<std::string> leader() override;
  Status streamEvents(const EventFilter& filter, const EventCallback& callback,
                      std::stop_token stop) override;

  // Test controls.
  void setAutoComplete(bool autoComplete);
  // Completes one open deployment; false when it is unknown or waits for an unplaceable app.
  bool completeDeployment(const std::string& id);
  // Completes every open deployment that can complete; returns how many did.
  int completeAllDeployments();
  // Marks an app as never placeable (`reason` as in `/v2/queue`, e.g. `InsufficientMemory`).
  void markUnplaceable(const std::string& appId, std::string reason = "UnfulfilledConstraint");
  // Makes it placeable again (its deployments can then complete).
  void clearUnplaceable(const std::string& appId);
  // The next `times` calls of `method` (a `MarathonApi` method name) fail with `error`.
  void failNext(const std::string& method, int times, Error error);
  // Sets the health result of every task of `appId` (apps with health checks start healthy).
  void setAppHealth(const std::string& appId, bool healthy);

  std::vector<Call> calls() const;
  // Calls that change Marathon (`putApp`, `putApps`, `scaleApp`, `deleteApp`, `killTasks`,
  // `deleteDeployment`), injected failures included.
  int writeCount() const;
  void clearCalls();
  std::optional<planner::AppSpec> app(const std::string& appId) const;
  std::vector<std::string> openDeploymentIds() const;

 private:
  struct App {
    planner::AppSpec spec;
    std::string version;
    std::string lastConfigChangeAt;
    std::string lastScalingAt;
    std::vector<planner::TaskStatus> tasks;
    bool healthy = true;
  };
  struct OpenDeployment {
    std::string id;
    std::string version;
    std::vector<std::string> affectedApps;
    std::vector<std::vector<DeploymentAction>> steps;
    std::map<std::string, std::optional<planner::AppSpec>> before;  // For a revert.
  };
  // What one requested change does to one app.
  struct Change {
    std::string appId;
    std::optional<planner::AppSpec> after;  // nullopt = delete.
    bool restart = false;                   // Config change: every task is replaced.
  };
  using Lock = std::unique_lock<std::mutex>;

  Status checkInjected(const std::string& method, const std::string& appId);
  void log(const std::string& method, const std::string& appId);
  std::string nextVersion();
  // Validates like Marathon (the subset the planner can trip over); 422-shaped error or ok.
  Status validate(const planner::AppSpec& app, const std::string& pathPrefix) const;
  // Applies `changes` as one deployment (409 unless `force` when a change touches a locked app).
  Result<DeploymentRef> deploy(std::vector<Change> changes, bool force);
  bool canComplete(const OpenDeployment& d) const;
  void complete(const OpenDeployment& d);
  void converge(App& app);  // Makes the app's tasks match its spec.
  bool placeable(const planner::AppSpec& spec, std::string* reason) const;
  std::string hostFor(const planner::AppSpec& spec, size_t index) const;
  void emit(const std::string& type, std::string json);
  std::vector<std::string> deploymentsOf(const std::string& appId) const;

  Options options_;
  mutable std::mutex mu_;
  std::condition_variable_any eventsChanged_;
  std::map<std::string, App> apps_;
  std::set<std::string> groups_;
  std::vector<OpenDeployment> deployments_;
  std::map<std::string, std::string> unplaceable_;  // app id → reason
  std::map<std::string, std::deque<Error>> injected_;
  std::vector<Call> calls_;
  std::vector<MarathonEvent> events_;
  long clockMs_ = 0;
  int deploymentCounter_ = 0;
  int taskCounter_ = 0;
};

}  // namespace ceph_planner::marathon
