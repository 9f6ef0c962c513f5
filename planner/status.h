#pragma once

// `ceph-planner status`: the state of every daemon (an `orch ls`/`orch ps`-style table) from the
// desired state, one observation of Marathon, and the plan between them. Pure.

#include <string>
#include <vector>

#include "planner/app_spec.h"
#include "planner/plan.h"

namespace ceph_planner::planner {

struct DaemonStatus {
  Role role = Role::Mon;
  std::string appId;
  std::string name;     // The id below the cluster group, e.g. `osd/stor01-s00`.
  std::string host;     // "" for RGW (spread over hosts).
  std::string device;   // `slot (device)` for OSDs, "" otherwise.
  std::string state;    // running | deploying | staging | stopped | missing | removed
  std::string health;   // healthy | unhealthy | unknown | none (no health check)
  std::string version;  // current | outdated | missing | removed
  std::string since;    // Oldest running task's start, else the app version; "" when missing.
  int instances = 0;    // Wanted.
  int tasksRunning = 0;
  int tasksHealthy = 0;
  bool ok = false;  // Running every wanted task, healthy (if checked), current.
};

struct RoleSummary {
  Role role = Role::Mon;
  int ok = 0;
  int total = 0;
};

struct StatusReport {
  std::string groupId;
  std::vector<DaemonStatus> daemons;  // By wave, then id.
  std::vector<RoleSummary> roles;     // Roles with at least one daemon, in wave order.
  std::vector<PlanConflict> conflicts;
  bool degraded = false;  // Any daemon not ok, or a conflict.

  // `mon 3/3 healthy · mgr 2/2 · osd 118/120 · rgw 2/2`.
  std::string summaryLine() const;
};

StatusReport buildStatus(const DesiredState& desired, const ObservedState& observed,
                         const Plan& plan);

std::string formatStatusText(const StatusReport& report);
std::string formatStatusJson(const StatusReport& report);

}  // namespace ceph_planner::planner
