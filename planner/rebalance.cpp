#include "planner/rebalance.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "common/strings.h"
#include "planner/render.h"
#include "topology/placement.h"

namespace ceph_planner::planner {
namespace {

// Mesos states of a task whose agent is gone or unknown to the master.
bool agentGone(const std::string& state) {
  static const std::set<std::string> kGone = {"TASK_UNREACHABLE",      "TASK_LOST",
                                              "TASK_UNKNOWN",          "TASK_GONE",
                                              "TASK_GONE_BY_OPERATOR", "TASK_DROPPED"};
  return kGone.count(state) > 0;
}

std::string fixed(double value, int digits) {
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%.*f", digits, value);
  return buffer;
}

// Hosts on which some task (of any app) shows its agent as gone.
std::set<std::string> goneHosts(const ObservedState& observed) {
  std::set<std::string> hosts;
  for (const auto& app : observed.apps) {
    for (const auto& task : app.status.tasks) {
      if (agentGone(task.state)) hosts.insert(task.host);
    }
  }
  return hosts;
}

RebalanceDecision rgwDecision(std::string appId, RebalanceAction action, std::string reason) {
  RebalanceDecision d;
  d.part = RebalancePart::RgwSpread;
  d.action = action;
  d.subject = appId;
  d.appId = std::move(appId);
  d.reason = std::move(reason);
  return d;
}

RebalanceDecision kill(const std::string& appId, const TaskStatus& task, std::string reason) {
  RebalanceDecision d = rgwDecision(appId, RebalanceAction::KillRgwTask, std::move(reason));
  d.taskId = task.id;
  d.host = task.host;
  return d;
}

// The failure domain of a host: its `location[failureDomain]`, or the host itself.
std::string domainOf(const topology::Topology& topology, const std::string& host) {
  if (topology.crush.failureDomain == "host") return host;
  for (const auto& h : topology.hosts) {
    if (h.name != host) continue;
    auto it = h.location.find(topology.crush.failureDomain);
    return it == h.location.end() ? host : it->second;
  }
  return host;
}

// The uneven-spread candidate: a task in the fullest domain when it holds at least two more tasks
// than a domain that still has a free, reachable eligible host. nullptr when the spread is even.
const TaskStatus* unevenSpreadCandidate(const topology::Topology& topology,
                                        const std::vector<const TaskStatus*>& tasks,
                                        const std::vector<std::string>& eligible,
                                        const std::set<std::string>& gone, std::string* why) {
  std::map<std::string, int> perHost;
  for (const TaskStatus* t : tasks) ++perHost[t->host];
  std::map<std::string, int> perDomain;  // Every domain with a reachable eligible host.
  std::map<std::string, bool> domainHasRoom;
  for (const auto& host : eligible) {
    if (gone.count(host)) continue;
    std::string domain = domainOf(topology, host);
    perDomain.emplace(domain, 0);
    if (perHost[host] == 0) domainHasRoom[domain] = true;
  }
  for (const TaskStatus* t : tasks) {
    auto it = perDomain.find(domainOf(topology, t->host));
    if (it != perDomain.end()) ++it->second;
  }
  std::string fullest, emptiest;
  for (const auto& [domain, count] : perDomain) {
    if (fullest.empty() || count > perDomain[fullest]) fullest = domain;
    if (domainHasRoom[domain] && (emptiest.empty() || count < perDomain[emptiest])) {
      emptiest = domain;
    }
  }
  if (fullest.empty() || emptiest.empty() || perDomain[fullest] - perDomain[emptiest] < 2) {
    return nullptr;
  }
  // From the fullest domain, a task on its most loaded host; ties broken by task id.
  const TaskStatus* pick = nullptr;
  for (const TaskStatus* t : tasks) {
    if (domainOf(topology, t->host) != fullest) continue;
    if (pick == nullptr || perHost[t->host] > perHost[pick->host] ||
        (perHost[t->host] == perHost[pick->host] && t->id < pick->id)) {
      pick = t;
    }
  }
  *why = topology.crush.failureDomain + " " + quoted(fullest) + " has " +
         std::to_string(perDomain[fullest]) + " tasks, " + topology.crush.failureDomain + " " +
         quoted(emptiest) + " has " + std::to_string(perDomain[emptiest]) +
         " and a free eligible host";
  return pick;
}

RebalanceDecision decideRgwService(const topology::Topology& topology,
                                   const topology::RgwService& rgw, const ObservedState& observed,
                                   const std::set<std::string>& gone) {
  const std::string appId = clusterGroupId(topology) + "/rgw/" + rgw.serviceId;
  auto app = std::find_if(observed.apps.begin(), observed.apps.end(),
                          [&](const ObservedApp& a) { return a.spec.id == appId; });
  if (app == observed.apps.end()) {
    return rgwDecision(appId, RebalanceAction::None, "app not deployed");
  }
  if (!app->status.deploymentIds.empty()) {
    return rgwDecision(
        appId, RebalanceAction::Skip,
        "deployment " + quoted(app->status.deploymentIds.front()) + " in progress: skipped");
  }
  topology::Placement placement = rgw.placement;
  placement.count.reset();  // As rendered: the count is the number of instances, not of hosts.
  std::vector<std::string> eligible;
  for (const auto* host : topology::resolvePlacement(topology, placement)) {
    eligible.push_back(host->name);
  }
  std::vector<const TaskStatus*> tasks;
  for (const auto& t : app->status.tasks) tasks.push_back(&t);
  std::sort(tasks.begin(), tasks.end(),
            [](const TaskStatus* a, const TaskStatus* b) { return a->id < b->id; });

  // Broken tasks first: moving them costs no serving capacity.
  for (const TaskStatus* t : tasks) {
    if (agentGone(t->state) || gone.count(t->host)) {
      return kill(appId, *t,
                  "task on host " + quoted(t->host) + " whose agent is gone (" +
                      (agentGone(t->state) ? t->state : "other tasks there are unreachable") + ")");
    }
  }
  for (const TaskStatus* t : tasks) {
    if (t->healthy.has_value() && !*t->healthy) {
      return kill(appId, *t, "task on host " + quoted(t->host) + " is unhealthy per Marathon");
    }
  }
  auto isEligible = [&](const std::string& host) {
    return std::find(eligible.begin(), eligible.end(), host) != eligible.end();
  };

  int healthyRunning = 0;
  for (const TaskStatus* t : tasks) {
    if (t->state == "TASK_RUNNING" && t->healthy.value_or(true)) ++healthyRunning;
  }
  const int instances = app->spec.instances;
  const std::string counts = std::to_string(healthyRunning) + "/" + std::to_string(instances) +
                             " tasks healthy, " + std::to_string(eligible.size()) +
                             " eligible hosts";
  const TaskStatus* candidate = nullptr;
  std::string why;
  for (const TaskStatus* t : tasks) {
    if (!isEligible(t->host)) {
      candidate = t;
      why = "task on host " + quoted(t->host) + " that the placement no longer selects";
      break;
    }
  }
  if (candidate == nullptr) {
    candidate = unevenSpreadCandidate(topology, tasks, eligible, gone, &why);
    if (candidate == nullptr) {
      return rgwDecision(appId, RebalanceAction::None, "evenly spread (" + counts + ")");
    }
  }
  // Moving a healthy task: only with the app otherwise complete and healthy.
  if (instances < 2 || healthyRunning < instances || static_cast<int>(tasks.size()) != instances) {
    return rgwDecision(appId, RebalanceAction::Skip,
                       why + ", but a healthy task is moved only while all " +
                           std::to_string(instances) + " (>= 2) instances run healthy (" + counts +
                           "): skipped");
  }
  return kill(appId, *candidate, why + " (" + counts + ")");
}

RebalanceDecision dataDecision(RebalanceAction action, std::string reason) {
  RebalanceDecision d;
  d.part = RebalancePart::DataBalance;
  d.action = action;
  d.subject = "ceph";
  d.reason = std::move(reason);
  return d;
}

std::string pgStates(const PgInput& pgs) {
  std::vector<std::string> parts;
  for (const auto& [state, count] : pgs.pgsByState) {
    parts.push_back(std::to_string(count) + " " + state);
  }
  return joinStrings(parts, ", ");
}

RebalanceDecision decideDataBalance(const CephInput& ceph, const RebalanceSettings& settings) {
  if (settings.balancerMode == "none") {
    return dataDecision(RebalanceAction::None, "balancer mode 'none' in the topology");
  }
  if (!ceph.health) return dataDecision(RebalanceAction::Skip, "ceph health unknown: skipped");
  const CephHealthInput& health = *ceph.health;
  if (health.status != "HEALTH_OK") {
    std::string checks = health.checks.empty() ? "" : " (" + joinStrings(health.checks, "; ") + ")";
    return dataDecision(RebalanceAction::Skip,
                        "ceph not healthy: " + health.status + checks + ": skipped");
  }
  if (!ceph.pgs) return dataDecision(RebalanceAction::Skip, "pg state unknown: skipped");
  const PgInput& pgs = *ceph.pgs;
  if (pgs.numPgs == 0) return dataDecision(RebalanceAction::None, "no placement groups");
  if (pgs.recoveryOrBackfill || pgs.activeClean != pgs.numPgs) {
    return dataDecision(RebalanceAction::Skip,
                        "recovery or backfill in progress (" + pgStates(pgs) + "): skipped");
  }
  const std::string misplaced = "misplaced " + fixed(pgs.misplacedRatio * 100, 2) + "% (max " +
                                fixed(settings.maxMisplacedRatio * 100, 2) + "%)";
  if (pgs.misplacedRatio > settings.maxMisplacedRatio) {
    return dataDecision(RebalanceAction::Skip, misplaced + ": skipped");
  }
  const std::string state =
      "HEALTH_OK, " + std::to_string(pgs.numPgs) + " pgs active+clean, " + misplaced;
  if (ceph.balancer && ceph.balancer->available) {
    const BalancerInput& b = *ceph.balancer;
    const std::string balancer =
        "balancer " + std::string(b.active ? "on" : "off") + " in mode " + quoted(b.mode);
    if (b.active && b.mode == settings.balancerMode) {
      return dataDecision(RebalanceAction::None,
                          balancer + ": the mgr balances continuously (" + state + ")");
    }
    if (b.active) {
      RebalanceDecision d =
          dataDecision(RebalanceAction::SetBalancerMode,
                       balancer + ", wanted " + quoted(settings.balancerMode) + " (" + state + ")");
      d.balancerMode = settings.balancerMode;
      return d;
    }
    RebalanceDecision d = dataDecision(RebalanceAction::RunBalancer, balancer + " (" + state + ")");
    d.balancerMode = settings.balancerMode;
    d.setMode = b.mode != settings.balancerMode;
    return d;
  }
  const std::string unavailable =
      "balancer unavailable" + (ceph.balancer && !ceph.balancer->unavailableReason.empty()
                                    ? " (" + ceph.balancer->unavailableReason + ")"
                                    : std::string());
  if (!ceph.reweight || !ceph.reweight->available) {
    return dataDecision(RebalanceAction::Skip,
                        unavailable + " and reweight-by-utilization unavailable" +
                            (ceph.reweight && !ceph.reweight->unavailableReason.empty()
                                 ? " (" + ceph.reweight->unavailableReason + ")"
                                 : std::string()) +
                            ": skipped");
  }
  const ReweightInput& r = *ceph.reweight;
  const std::string limits = "overload " + std::to_string(settings.reweight.overloadPercent) +
                             "%, max change " + fixed(settings.reweight.maxChange, 2) + ", max " +
                             std::to_string(settings.reweight.maxOsds) + " osds";
  if (r.changes.empty()) {
    return dataDecision(RebalanceAction::None,
                        unavailable + "; no osd above the reweight threshold (" + limits +
                            ", average utilization " + fixed(r.averageUtilization, 1) + "%)");
  }
  std::vector<std::string> changes;
  for (const auto& c : r.changes) {
    changes.push_back("osd." + std::to_string(c.osd) + " " + fixed(c.oldWeight, 3) + "->" +
                      fixed(c.newWeight, 3));
  }
  RebalanceDecision d =
      dataDecision(RebalanceAction::ReweightByUtilization, unavailable + "; dry run proposes " +
                                                               joinStrings(changes, ", ") + " (" +
                                                               limits + "; " + state + ")");
  d.reweight = settings.reweight;
  d.reweightChanges = r.changes;
  return d;
}

}  // namespace

RebalanceSettings rebalanceSettings(const topology::Topology& topology) {
  RebalanceSettings settings;
  settings.maxMisplacedRatio = topology.policies.maxMisplacedRatio;
  for (const auto& job : topology.maintenance) {
    if (job.name != "balancer") continue;
    if (auto mode = job.params.find("mode"); mode != job.params.end() && !mode->second.empty()) {
      settings.balancerMode = mode->second;
    }
    if (auto max = job.params.find("max_misplaced"); max != job.params.end()) {
      // Validated as a ratio in (0, 1] by topology/validate; the tighter bound wins.
      char* end = nullptr;
      double value = std::strtod(max->second.c_str(), &end);
      if (end != max->second.c_str() && value > 0) {
        settings.maxMisplacedRatio = std::min(settings.maxMisplacedRatio, value);
      }
    }
  }
  return settings;
}

std::vector<RebalanceDecision> decideRebalance(const topology::Topology& topology,
                                               const ObservedState& observed, const CephInput& ceph,
                                               const RebalanceSettings& settings) {
  std::vector<RebalanceDecision> decisions;
  const std::set<std::string> gone = goneHosts(observed);
  bool moved = false;
  for (const auto& rgw : topology.rgw) {
    const std::string appId = clusterGroupId(topology) + "/rgw/" + rgw.serviceId;
    if (settings.skipRgwSpread) {
      decisions.push_back(
          rgwDecision(appId, RebalanceAction::Skip, "skipped by --skip_rgw_spread"));
      continue;
    }
    RebalanceDecision d = decideRgwService(topology, rgw, observed, gone);
    if (d.action == RebalanceAction::KillRgwTask && moved) {
      d = rgwDecision(appId, RebalanceAction::Skip,
                      "would move task " + quoted(d.taskId) + " (" + d.reason +
                          "), but one task moves per run: next run");
    }
    moved = moved || d.action == RebalanceAction::KillRgwTask;
    decisions.push_back(std::move(d));
  }
  if (settings.skipDataBalance) {
    decisions.push_back(dataDecision(RebalanceAction::Skip, "skipped by --skip_data_balance"));
  } else {
    decisions.push_back(decideDataBalance(ceph, settings));
  }
  return decisions;
}

std::string_view rebalancePartName(RebalancePart part) {
  return part == RebalancePart::RgwSpread ? "rgw-spread" : "data-balance";
}

std::string_view rebalanceActionName(RebalanceAction action) {
  switch (action) {
    case RebalanceAction::None:
      return "none";
    case RebalanceAction::Skip:
      return "skip";
    case RebalanceAction::KillRgwTask:
      return "kill-task";
    case RebalanceAction::SetBalancerMode:
      return "balancer-mode";
    case RebalanceAction::RunBalancer:
      return "balancer-run";
    case RebalanceAction::ReweightByUtilization:
      return "reweight-by-utilization";
  }
  return "unknown";
}

std::string formatDecision(const RebalanceDecision& d) {
  std::string what;
  switch (d.action) {
    case RebalanceAction::None:
      what = "nothing to do";
      break;
    case RebalanceAction::Skip:
      what = "skip";
      break;
    case RebalanceAction::KillRgwTask:
      what = "kill task " + quoted(d.taskId) + " on " + quoted(d.host) + " (no scale)";
      break;
    case RebalanceAction::SetBalancerMode:
      what = "set balancer mode " + quoted(d.balancerMode);
      break;
    case RebalanceAction::RunBalancer:
      what = std::string(d.setMode ? "set balancer mode " + quoted(d.balancerMode) + ", " : "") +
             "optimize and execute one balancer plan";
      break;
    case RebalanceAction::ReweightByUtilization:
      what = "reweight-by-utilization " + std::to_string(d.reweight.overloadPercent) + " " +
             fixed(d.reweight.maxChange, 2) + " " + std::to_string(d.reweight.maxOsds);
      break;
  }
  return std::string(rebalancePartName(d.part)) + " " + d.subject + ": " + what + ": " + d.reason;
}

}  // namespace ceph_planner::planner
