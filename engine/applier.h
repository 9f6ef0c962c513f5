#pragma once

// Executes a plan against Marathon, step by step (planner/waves.h): submit the step's changes
// (creates and updates of a step in ONE `putApps` deployment), then wait until its deployments are
// done and its tasks run and are healthy, then the next step. A step that does not finish within
// its deadline ends the run with a message naming each unfinished app, why Marathon could not place
// it (queue reasons) or why its health check fails, and what to do next. Nothing is rolled back:
// Marathon is left with the open deployment, a consistent state that the next `apply` (or the
// daemon) continues from.
//
// Depends only on interfaces (MarathonApi, Clock), so component tests drive it with FakeMarathon
// and a ManualClock.

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "marathon_client/marathon_api.h"
#include "planner/plan.h"
#include "planner/waves.h"

namespace ceph_planner::engine {

struct ApplyOptions {
  // Override deployments that hold our apps (Marathon `force=true`) instead of waiting for them.
  bool force = false;
  // How long one step may take from submission to healthy.
  Clock::Duration stepTimeout{std::chrono::minutes(10)};
  // How long to wait for a deployment we did not start that holds one of our apps.
  Clock::Duration lockTimeout{std::chrono::minutes(5)};
  Clock::Duration pollInterval{std::chrono::seconds(1)};
};

struct StepProgress {
  std::string step;
  size_t stepNumber = 0;  // 1-based.
  size_t stepCount = 0;
  int appsDone = 0;
  int appsTotal = 0;
  int tasksHealthy = 0;  // Tasks running (and healthy, for apps with health checks).
  int tasksWanted = 0;
  Clock::Duration elapsed{0};
};

// Receives progress; the CLI prints it (a live line on a TTY, log lines otherwise).
class ApplyListener {
 public:
  virtual ~ApplyListener() = default;
  virtual void stepStarted(const StepProgress&) {}
  virtual void stepProgress(const StepProgress&) {}
  virtual void stepFinished(const StepProgress&) {}
  virtual void note(const std::string&) {}
};

struct ApplyReport {
  size_t stepsDone = 0;
  int writeCalls = 0;
  std::vector<std::string> deploymentIds;
};

class Applier {
 public:
  Applier(marathon::MarathonApi& marathon, Clock& clock, ApplyListener& listener,
          ApplyOptions options);

  // Runs every step of `plan`. `plan` must pass `planner::checkApplicable`. `monsObserved`: at
  // least one mon app existed when the plan was made. Errors: `Timeout` (a step missed its
  // deadline; the message explains), `Conflict` (a lock outlived `lockTimeout`), or the Marathon
  // call's error with the step as context.
  Result<ApplyReport> apply(const planner::Plan& plan, bool monsObserved);

 private:
  struct Submitted {
    std::vector<std::string> deploymentIds;
  };

  Result<Submitted> submit(const planner::Plan& plan, const planner::ApplyStep& step,
                           ApplyReport& report);
  // A write that may meet a lock: waits for the blocking deployments (bounded) and retries once.
  template <typename Call>
  auto withLockWait(const std::string& what, const std::vector<std::string>& appIds, Call call)
      -> decltype(call(false));
  Status waitForDeployments(const std::vector<std::string>& ids, Clock::Duration timeout,
                            const std::string& what);
  Status waitForStep(const planner::Plan& plan, const planner::ApplyStep& step,
                     const Submitted& submitted, StepProgress progress);
  std::string explainUnfinished(const planner::Plan& plan, const planner::ApplyStep& step,
                                const planner::ObservedState& observed,
                                const std::vector<std::string>& openDeployments);

  marathon::MarathonApi& marathon_;
  Clock& clock_;
  ApplyListener& listener_;
  ApplyOptions options_;
};

// `1m30s`-style rendering of a duration for messages.
std::string formatDuration(Clock::Duration d);

}  // namespace ceph_planner::engine
