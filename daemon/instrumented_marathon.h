#pragma once

// `GuardedMarathon`: a `MarathonApi` decorator the daemon puts between its reconciler (and the
// autoscaler) and the real client. It
//   - refuses every call while `mayAct()` is false (`Unavailable` "not the leader"), so that a
//     daemon that lost leadership in the middle of a pass stops acting at once: the applier's next
//     write or poll fails and the pass ends;
//   - times every call into `ceph_planner_marathon_call_seconds{method}` and counts failures in
//     `ceph_planner_errors_total{kind="marathon_<code>"}`.
// `streamEvents` is passed through unguarded and untimed (it runs for the daemon's lifetime).

#include <functional>

#include "common/clock.h"
#include "daemon/metrics.h"
#include "marathon_client/marathon_api.h"

namespace ceph_planner::daemon {

class GuardedMarathon final : public marathon::MarathonApi {
 public:
  GuardedMarathon(marathon::MarathonApi& inner, Metrics& metrics, const Clock& clock,
                  std::function<bool()> mayAct);

  Result<planner::ObservedState> getGroup(const std::string& groupId) override;
  Result<marathon::DeploymentRef> putApp(const planner::AppSpec& app, bool force) override;
  Result<marathon::DeploymentRef> putApps(const std::vector<planner::AppSpec>& apps,
                                          bool force) override;
  Result<marathon::DeploymentRef> scaleApp(const std::string& appId, int instances,
                                           bool force) override;
  Result<marathon::DeploymentRef> deleteApp(const std::string& appId, bool force) override;
  Result<marathon::KillResult> killTasks(const std::string& appId,
                                         const std::vector<std::string>& taskIds,
                                         bool scale) override;
  Result<std::vector<marathon::Deployment>> listDeployments() override;
  Result<std::optional<marathon::DeploymentRef>> deleteDeployment(const std::string& id,
                                                                  bool force) override;
  Result<std::vector<marathon::QueueEntry>> getQueue() override;
  Result<marathon::MarathonInfo> info() override;
  Result<std::string> leader() override;
  Status streamEvents(const marathon::EventFilter& filter, const marathon::EventCallback& callback,
                      std::stop_token stop) override;

 private:
  template <typename Call>
  auto timed(const char* method, Call call) -> decltype(call());

  marathon::MarathonApi& inner_;
  Metrics& metrics_;
  const Clock& clock_;
  std::function<bool()> mayAct_;
};

// Declares the families this decorator writes (call once per registry).
void declareMarathonMetrics(Metrics& metrics);

}  // namespace ceph_planner::daemon
