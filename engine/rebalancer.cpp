#include "engine/rebalancer.h"

#include <algorithm>
#include <cstdio>

#include "common/strings.h"
#include "planner/render.h"

namespace ceph_planner::engine {
namespace {

using planner::RebalanceAction;
using planner::RebalanceDecision;

std::string seconds(Clock::Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + "s";
}

std::string fixed(double value, int digits) {
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%.*f", digits, value);
  return buffer;
}

std::string prefix(const RebalanceDecision& d) {
  return std::string(planner::rebalancePartName(d.part)) + " " + d.subject + ": ";
}

// Complete again after a kill: no deployment, `instances` tasks all running and healthy (a task
// of an app with health checks counts only once Marathon reports it healthy), the killed task gone.
bool appRecovered(const planner::ObservedApp& app, const std::string& killedTaskId,
                  std::string* state) {
  int running = 0, healthy = 0;
  bool killedPresent = false;
  const bool checked = !app.spec.healthChecks.empty();
  for (const auto& t : app.status.tasks) {
    if (t.id == killedTaskId) killedPresent = true;
    if (t.state != "TASK_RUNNING") continue;
    ++running;
    if (checked ? t.healthy.value_or(false) : t.healthy.value_or(true)) ++healthy;
  }
  *state = std::to_string(healthy) + "/" + std::to_string(app.spec.instances) + " healthy, " +
           std::to_string(running) + " running" +
           (app.status.deploymentIds.empty() ? "" : ", deployment in progress") +
           (killedPresent ? ", killed task still listed" : "");
  return !killedPresent && app.status.deploymentIds.empty() && running == app.spec.instances &&
         healthy == app.spec.instances;
}

}  // namespace

planner::CephHealthInput toHealthInput(const ceph::HealthReport& report) {
  planner::CephHealthInput input;
  input.status = report.status;
  for (const auto& check : report.checks) {
    if (check.muted) continue;
    input.checks.push_back(check.code + ": " + check.summary);
  }
  return input;
}

planner::PgInput toPgInput(const ceph::PgStat& stat) {
  planner::PgInput input;
  input.numPgs = stat.numPgs;
  input.activeClean = stat.activeClean();
  input.pgsByState = stat.pgsByState;
  input.misplacedRatio = stat.misplacedRatio();
  input.recoveryOrBackfill = stat.recoveryOrBackfill();
  return input;
}

Rebalancer::Rebalancer(marathon::MarathonApi* marathon, ceph::CephAdmin& ceph, Clock& clock,
                       LinePrinter print, RebalanceRunOptions options)
    : marathon_(marathon),
      ceph_(ceph),
      clock_(clock),
      print_(std::move(print)),
      options_(std::move(options)) {}

Result<planner::CephInput> Rebalancer::observeCeph() {
  planner::CephInput input;
  auto health = ceph_.health();
  if (!health) return health.error().withContext("cannot read ceph health");
  input.health = toHealthInput(health.value());
  // Unhealthy: the decision is a skip; asking more would only cost time on a struggling cluster.
  if (!health->ok()) return input;
  auto pgs = ceph_.pgStat();
  if (!pgs) return pgs.error().withContext("cannot read the pg state");
  input.pgs = toPgInput(pgs.value());
  planner::BalancerInput balancer;
  auto status = ceph_.balancerStatus();
  if (status) {
    balancer.available = true;
    balancer.active = status->active;
    balancer.mode = status->mode;
  } else {
    // No active mgr, or a Ceph without the module: fall back to reweight-by-utilization.
    balancer.unavailableReason = status.error().message;
  }
  input.balancer = balancer;
  if (!balancer.available) {
    planner::ReweightInput reweight;
    const auto& limits = options_.settings.reweight;
    auto dry = ceph_.testReweightByUtilization(
        ceph::ReweightBounds{limits.overloadPercent, limits.maxChange, limits.maxOsds});
    if (dry) {
      reweight.available = true;
      reweight.averageUtilization = dry->averageUtilization;
      for (const auto& r : dry->reweights) {
        reweight.changes.push_back({r.osd, r.oldWeight, r.newWeight});
      }
    } else {
      reweight.unavailableReason = dry.error().message;
    }
    input.reweight = reweight;
  }
  return input;
}

Result<RebalanceOutcome> Rebalancer::run(const topology::Topology& topology) {
  groupId_ = planner::clusterGroupId(topology);
  const auto& settings = options_.settings;
  planner::ObservedState observed;
  if (!settings.skipRgwSpread && !topology.rgw.empty()) {
    if (marathon_ == nullptr) {
      return makeError(ErrorCode::InvalidInput,
                       "the rgw spread needs Marathon: pass --marathon URL or --skip_rgw_spread");
    }
    auto group = marathon_->getGroup(groupId_);
    if (!group) {
      return group.error().withContext("cannot read group " + quoted(groupId_) + " from Marathon");
    }
    observed = std::move(group).value();
  }
  planner::CephInput ceph;
  if (!settings.skipDataBalance && settings.balancerMode != "none") {
    auto observedCeph = observeCeph();
    if (!observedCeph) return observedCeph.error();
    ceph = std::move(observedCeph).value();
  }

  RebalanceOutcome outcome;
  outcome.decisions = planner::decideRebalance(topology, observed, ceph, settings);
  for (const auto& d : outcome.decisions) print_(planner::formatDecision(d));
  if (options_.dryRun) {
    int wouldChange = static_cast<int>(
        std::count_if(outcome.decisions.begin(), outcome.decisions.end(),
                      [](const RebalanceDecision& d) { return d.changesSomething(); }));
    print_("dry run: " + std::to_string(wouldChange) + " step(s) would be taken; nothing changed");
    return outcome;
  }
  for (const auto& d : outcome.decisions) {
    if (!d.changesSomething()) continue;
    Status done = execute(d, outcome);
    if (!done) return done.error();
    ++outcome.stepsTaken;
  }
  print_(outcome.stepsTaken == 0
             ? "rebalance: nothing changed"
             : "rebalance: " + std::to_string(outcome.stepsTaken) + " step(s) taken");
  return outcome;
}

Status Rebalancer::execute(const RebalanceDecision& d, RebalanceOutcome& outcome) {
  switch (d.action) {
    case RebalanceAction::KillRgwTask:
      return moveRgwTask(d, outcome);
    case RebalanceAction::SetBalancerMode: {
      ++outcome.cephWrites;
      Status set = ceph_.setBalancerMode(d.balancerMode);
      if (!set) return set.error().withContext("cannot set the balancer mode");
      print_(prefix(d) + "balancer mode set to " + quoted(d.balancerMode));
      return okStatus();
    }
    case RebalanceAction::RunBalancer:
      return runBalancer(d, outcome);
    case RebalanceAction::ReweightByUtilization:
      return reweightByUtilization(d, outcome);
    case RebalanceAction::None:
    case RebalanceAction::Skip:
      break;
  }
  return okStatus();
}

Status Rebalancer::moveRgwTask(const RebalanceDecision& d, RebalanceOutcome& outcome) {
  ++outcome.marathonWrites;
  auto killed = marathon_->killTasks(d.appId, {d.taskId}, /*scale=*/false);
  if (!killed) {
    return killed.error().withContext("cannot kill task " + quoted(d.taskId) + " of app " +
                                      quoted(d.appId));
  }
  print_(prefix(d) + "killed task " + quoted(d.taskId) + "; waiting up to " +
         seconds(options_.rgwWaitTimeout) + " for a healthy replacement");
  const auto start = clock_.monotonic();
  std::string state = "not observed yet";
  while (true) {
    clock_.sleepFor(options_.pollInterval);
    auto group = marathon_->getGroup(groupId_);
    if (group) {
      auto app = std::find_if(group->apps.begin(), group->apps.end(),
                              [&](const planner::ObservedApp& a) { return a.spec.id == d.appId; });
      if (app == group->apps.end()) {
        return makeError(ErrorCode::NotFound,
                         "app " + quoted(d.appId) + " disappeared while its task was replaced");
      }
      if (appRecovered(*app, d.taskId, &state)) {
        print_(prefix(d) + "replacement healthy after " + seconds(clock_.monotonic() - start) +
               " (" + state + ")");
        return okStatus();
      }
    } else if (!group.error().isRetryable()) {
      return group.error().withContext("cannot observe app " + quoted(d.appId));
    } else {
      state = group.error().message;
    }
    if (clock_.monotonic() - start >= options_.rgwWaitTimeout) {
      return makeError(ErrorCode::Timeout,
                       "the replacement of task " + quoted(d.taskId) + " of app " +
                           quoted(d.appId) + " was not healthy within " +
                           seconds(options_.rgwWaitTimeout) + " (" + state + ")");
    }
  }
}

Status Rebalancer::runBalancer(const RebalanceDecision& d, RebalanceOutcome& outcome) {
  if (d.setMode) {
    ++outcome.cephWrites;
    Status set = ceph_.setBalancerMode(d.balancerMode);
    if (!set) return set.error().withContext("cannot set the balancer mode");
    print_(prefix(d) + "balancer mode set to " + quoted(d.balancerMode));
  }
  ++outcome.cephWrites;
  auto optimized = ceph_.balancerOptimize(options_.balancerPlan);
  if (!optimized) return optimized.error().withContext("balancer optimize failed");
  if (!optimized->planCreated) {
    print_(prefix(d) + "no plan: " + optimized->message);
    return okStatus();
  }
  ++outcome.cephWrites;
  Status executed = ceph_.balancerExecute(options_.balancerPlan);
  if (!executed) {
    return executed.error().withContext("balancer execute of plan " +
                                        quoted(options_.balancerPlan) + " failed");
  }
  print_(prefix(d) + "executed balancer plan " + quoted(options_.balancerPlan));
  return okStatus();
}

Status Rebalancer::reweightByUtilization(const RebalanceDecision& d, RebalanceOutcome& outcome) {
  ++outcome.cephWrites;
  auto done = ceph_.reweightByUtilization(
      ceph::ReweightBounds{d.reweight.overloadPercent, d.reweight.maxChange, d.reweight.maxOsds});
  if (!done) return done.error().withContext("reweight-by-utilization failed");
  std::vector<std::string> changes;
  for (const auto& r : done->reweights) {
    changes.push_back("osd." + std::to_string(r.osd) + " " + fixed(r.oldWeight, 3) + "->" +
                      fixed(r.newWeight, 3));
  }
  print_(prefix(d) + (changes.empty() ? "reweight-by-utilization changed nothing"
                                      : "reweighted " + joinStrings(changes, ", ")));
  return okStatus();
}

}  // namespace ceph_planner::engine
