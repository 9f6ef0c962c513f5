#include "engine/applier.h"

#include <algorithm>
#include <map>
#include <set>

namespace ceph_planner::engine {

using planner::ActionKind;
using planner::PlanAction;

std::string formatDuration(Clock::Duration d) {
  auto totalSeconds = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (totalSeconds < 60) {
    if (d < std::chrono::seconds(10) && d.count() % 1000 != 0) {
      return std::to_string(d.count() / 100 / 10.0).substr(0, 3) + "s";
    }
    return std::to_string(totalSeconds) + "s";
  }
  std::string out;
  if (totalSeconds >= 3600) out += std::to_string(totalSeconds / 3600) + "h";
  if (totalSeconds % 3600 >= 60) out += std::to_string(totalSeconds % 3600 / 60) + "m";
  if (totalSeconds % 60 != 0) out += std::to_string(totalSeconds % 60) + "s";
  return out;
}

namespace {

// While a step's deployments run, how often apply still reads the whole group to refresh the
// progress figures (see `waitForStep`).
constexpr Clock::Duration kProgressRefresh = std::chrono::seconds(5);

// Instances the action wants once it is done.
int wantedInstances(const PlanAction& a) {
  return a.kind == ActionKind::Scale ? a.toInstances : a.desired->instances;
}

std::string quotedList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += "'" + item + "'";
  }
  return out;
}

const planner::ObservedApp* findApp(const planner::ObservedState& observed, const std::string& id) {
  auto it = std::lower_bound(
      observed.apps.begin(), observed.apps.end(), id,
      [](const planner::ObservedApp& app, const std::string& key) { return app.spec.id < key; });
  if (it != observed.apps.end() && it->spec.id == id) return &*it;
  return nullptr;
}

bool actionDone(const PlanAction& a, const planner::ObservedApp* app) {
  if (a.kind == ActionKind::Delete) return app == nullptr;
  if (app == nullptr) return false;
  int want = wantedInstances(a);
  if (app->spec.instances != want) return false;
  if (!app->status.deploymentIds.empty()) return false;
  if (app->status.tasksRunning < want) return false;
  bool checked = !a.desired->healthChecks.empty();
  return !checked || app->status.tasksHealthy >= want;
}

}  // namespace

Applier::Applier(marathon::MarathonApi& marathon, Clock& clock, ApplyListener& listener,
                 ApplyOptions options)
    : marathon_(marathon), clock_(clock), listener_(listener), options_(options) {}

Result<ApplyReport> Applier::apply(const planner::Plan& plan, bool monsObserved) {
  ApplyReport report;
  std::vector<planner::ApplyStep> steps = planner::scheduleSteps(plan, monsObserved);
  for (size_t s = 0; s < steps.size(); ++s) {
    const auto& step = steps[s];
    StepProgress progress;
    progress.step = step.name;
    progress.stepNumber = s + 1;
    progress.stepCount = steps.size();
    progress.appsTotal = static_cast<int>(step.actionIndex.size());
    listener_.stepStarted(progress);
    auto submitted = submit(plan, step, report);
    if (!submitted) return submitted.error().withContext("step '" + step.name + "'");
    for (const auto& id : submitted->deploymentIds) report.deploymentIds.push_back(id);
    Status done = waitForStep(plan, step, submitted.value(), progress);
    if (!done) return done.error();
    ++report.stepsDone;
  }
  return report;
}

template <typename Call>
auto Applier::withLockWait(const std::string& what, const std::vector<std::string>& appIds,
                           Call call) -> decltype(call(false)) {
  auto result = call(options_.force);
  if (result || result.error().code != ErrorCode::Conflict || options_.force) return result;
  auto deployments = marathon_.listDeployments();
  if (!deployments) return deployments.error().withContext("cannot list deployments");
  // Only the deployments that hold one of our apps matter.
  std::vector<std::string> ids;
  for (const auto& d : deployments.value()) {
    for (const auto& app : d.affectedApps) {
      if (std::find(appIds.begin(), appIds.end(), app) != appIds.end()) {
        ids.push_back(d.id);
        break;
      }
    }
  }
  // The operator sees which deployment holds the apps, so that they can inspect or cancel it.
  listener_.note(what + " is held by a running Marathon deployment (" +
                 (ids.empty() ? std::string("finished meanwhile") : quotedList(ids)) +
                 "); waiting up to " + formatDuration(options_.lockTimeout) +
                 " for it (or re-run with --force)");
  Status waited = waitForDeployments(ids, options_.lockTimeout, what);
  if (!waited) return waited.error();
  return call(false);
}

Result<Applier::Submitted> Applier::submit(const planner::Plan& plan,
                                           const planner::ApplyStep& step, ApplyReport& report) {
  Submitted submitted;
  std::vector<planner::AppSpec> puts;
  for (size_t i : step.actionIndex) {
    const PlanAction& a = plan.actions[i];
    if (a.kind == ActionKind::Create || a.kind == ActionKind::Update) puts.push_back(*a.desired);
  }
  if (!puts.empty()) {
    std::vector<std::string> ids;
    for (const auto& app : puts) ids.push_back(app.id);
    auto put = withLockWait("apps " + quotedList(ids), ids, [&](bool force) {
      ++report.writeCalls;
      return marathon_.putApps(puts, force);
    });
    if (!put) return put.error().withContext("cannot submit " + quotedList(ids));
    submitted.deploymentIds.push_back(put->deploymentId);
  }
  for (size_t i : step.actionIndex) {
    const PlanAction& a = plan.actions[i];
    if (a.kind == ActionKind::Scale) {
      auto scaled = withLockWait("app '" + a.appId + "'", {a.appId}, [&](bool force) {
        ++report.writeCalls;
        return marathon_.scaleApp(a.appId, a.toInstances, force);
      });
      if (!scaled) return scaled.error().withContext("cannot scale '" + a.appId + "'");
      submitted.deploymentIds.push_back(scaled->deploymentId);
    } else if (a.kind == ActionKind::Delete) {
      auto deleted = withLockWait("app '" + a.appId + "'", {a.appId}, [&](bool force) {
        ++report.writeCalls;
        return marathon_.deleteApp(a.appId, force);
      });
      if (!deleted) return deleted.error().withContext("cannot delete '" + a.appId + "'");
      submitted.deploymentIds.push_back(deleted->deploymentId);
    }
  }
  return submitted;
}

Status Applier::waitForDeployments(const std::vector<std::string>& ids, Clock::Duration timeout,
                                   const std::string& what) {
  std::set<std::string> waitingFor(ids.begin(), ids.end());
  auto deadline = clock_.monotonic() + timeout;
  while (true) {
    auto deployments = marathon_.listDeployments();
    if (!deployments && !deployments.error().isRetryable()) {
      return deployments.error().withContext("cannot list deployments");
    }
    std::vector<std::string> open;
    if (deployments) {
      for (const auto& d : deployments.value()) {
        if (waitingFor.count(d.id)) open.push_back(d.id);
      }
      if (open.empty()) return okStatus();
    }
    if (clock_.monotonic() >= deadline) {
      return makeError(ErrorCode::Conflict,
                       what + " is still held by deployment(s) " + quotedList(open) + " after " +
                           formatDuration(timeout) +
                           "; wait for them to finish, or re-run with --force to override them");
    }
    clock_.sleepFor(options_.pollInterval);
  }
}

Status Applier::waitForStep(const planner::Plan& plan, const planner::ApplyStep& step,
                            const Submitted& submitted, StepProgress progress) {
  auto start = clock_.monotonic();
  auto deadline = start + options_.stepTimeout;
  // The group read is the expensive call (every app of the cluster with its tasks: megabytes for a
  // large cluster). A step cannot be done while one of its own deployments is still open, so while
  // that is so only the deployment list is read; the group is read once they are closed, at the
  // deadline (to explain what is missing), and every `kProgressRefresh` for the progress figures.
  auto lastObserved = start;
  Error lastError = makeError(ErrorCode::Timeout, "no answer from Marathon");
  while (true) {
    auto deployments = marathon_.listDeployments();
    if (deployments) {
      auto now = clock_.monotonic();
      bool ownOpen =
          std::any_of(deployments->begin(), deployments->end(), [&](const marathon::Deployment& d) {
            return std::find(submitted.deploymentIds.begin(), submitted.deploymentIds.end(),
                             d.id) != submitted.deploymentIds.end();
          });
      if (ownOpen && now < deadline && now - lastObserved < kProgressRefresh) {
        progress.elapsed = now - start;
        listener_.stepProgress(progress);
        clock_.sleepFor(options_.pollInterval);
        continue;
      }
    }
    auto observed = deployments ? marathon_.getGroup(plan.groupId)
                                : Result<planner::ObservedState>(deployments.error());
    if (observed) lastObserved = clock_.monotonic();
    if (!observed) {
      if (!observed.error().isRetryable()) {
        return observed.error().withContext("step '" + step.name + "': cannot observe Marathon");
      }
      lastError = observed.error();
    } else {
      std::vector<std::string> open;
      for (const auto& d : deployments.value()) {
        if (std::find(submitted.deploymentIds.begin(), submitted.deploymentIds.end(), d.id) !=
            submitted.deploymentIds.end()) {
          open.push_back(d.id);
        }
      }
      progress.appsDone = 0;
      progress.tasksHealthy = 0;
      progress.tasksWanted = 0;
      for (size_t i : step.actionIndex) {
        const PlanAction& a = plan.actions[i];
        const planner::ObservedApp* app = findApp(observed.value(), a.appId);
        if (actionDone(a, app)) ++progress.appsDone;
        if (a.kind == ActionKind::Delete) continue;
        progress.tasksWanted += wantedInstances(a);
        if (app != nullptr) {
          progress.tasksHealthy +=
              a.desired->healthChecks.empty() ? app->status.tasksRunning : app->status.tasksHealthy;
        }
      }
      progress.elapsed = clock_.monotonic() - start;
      if (open.empty() && progress.appsDone == progress.appsTotal) {
        listener_.stepFinished(progress);
        return okStatus();
      }
      listener_.stepProgress(progress);
      if (clock_.monotonic() >= deadline) {
        return makeError(ErrorCode::Timeout,
                         "step '" + step.name + "' did not finish within " +
                             formatDuration(options_.stepTimeout) + ": " +
                             explainUnfinished(plan, step, observed.value(), open));
      }
    }
    if (clock_.monotonic() >= deadline) {
      return lastError.withContext("step '" + step.name + "' did not finish within " +
                                   formatDuration(options_.stepTimeout) +
                                   "; Marathon did not answer");
    }
    clock_.sleepFor(options_.pollInterval);
  }
}

std::string Applier::explainUnfinished(const planner::Plan& plan, const planner::ApplyStep& step,
                                       const planner::ObservedState& observed,
                                       const std::vector<std::string>& openDeployments) {
  std::map<std::string, marathon::QueueEntry> queue;
  if (auto entries = marathon_.getQueue()) {
    for (auto& e : entries.value()) queue[e.appId] = e;
  }
  std::string out;
  for (size_t i : step.actionIndex) {
    const PlanAction& a = plan.actions[i];
    const planner::ObservedApp* app = findApp(observed, a.appId);
    if (actionDone(a, app)) continue;
    if (!out.empty()) out += "; ";
    if (a.kind == ActionKind::Delete) {
      out += "app '" + a.appId + "' is still being stopped";
      continue;
    }
    int want = wantedInstances(a);
    int running = app ? app->status.tasksRunning : 0;
    int healthy = app ? app->status.tasksHealthy : 0;
    out += "app '" + a.appId + "' has " + std::to_string(running) + "/" + std::to_string(want) +
           " tasks running";
    if (!a.desired->healthChecks.empty()) out += ", " + std::to_string(healthy) + " healthy";
    auto q = queue.find(a.appId);
    if (q != queue.end()) {
      const auto& e = q->second;
      if (!e.delayOverdue && e.delayTimeLeftSeconds > 0) {
        out += "; Marathon delays its next launch for " + std::to_string(e.delayTimeLeftSeconds) +
               "s after failures (reset with `DELETE /v2/queue" + a.appId + "/delay`)";
      } else if (!e.rejectReasons.empty()) {
        out += "; waiting for offers, declined for";
        for (size_t r = 0; r < e.rejectReasons.size(); ++r) {
          out += (r ? ", " : " ") + e.rejectReasons[r].reason + " (" +
                 std::to_string(e.rejectReasons[r].declined) + " of " +
                 std::to_string(e.rejectReasons[r].processed) + " offers)";
        }
      } else {
        out += "; waiting in Marathon's queue for " + std::to_string(e.count) + " launch(es)";
      }
    }
    if (app) {
      for (const auto& task : app->status.tasks) {
        if (task.healthy.has_value() && !task.healthy.value()) {
          out += "; health check failing on task '" + task.id + "' (host '" + task.host + "')";
          if (!task.lastFailureCause.empty()) out += ": " + task.lastFailureCause;
        }
      }
      if (!app->status.lastTaskFailureMessage.empty()) {
        out += "; last task failure: " + app->status.lastTaskFailureMessage;
      }
    }
  }
  if (!openDeployments.empty()) {
    out += ". Marathon keeps deployment(s) " + quotedList(openDeployments) +
           " open and will finish them by itself once the cause is fixed. Next: fix the cause and "
           "re-run apply (it continues from Marathon's current state), or roll the step back with "
           "`DELETE /v2/deployments/" +
           openDeployments.front() + "`";
  }
  return out;
}

}  // namespace ceph_planner::engine
