#pragma once

// Status conditions of a cluster as the daemon sees it (`Ready`, `Progressing`, `Degraded`, each
// with a reason and a message, in the style of Kubernetes/Rook conditions), computed from a pass
// report, written by the leader to the store's `status` blob (JSON) and shown by
// `ceph-planner status` and `GET /status`.
//
// Meaning:
//   Ready        True when the last pass found nothing to do and every daemon runs healthy.
//   Progressing  True while changes are on their way (the pass acted, or Marathon is deploying).
//   Degraded     True when something needs attention: the pass failed, a daemon is unhealthy or
//                missing without a change on its way, an unowned app blocks an id, or a stateful
//                app waits for the drain.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/reconciler.h"

namespace ceph_planner::daemon {

struct Condition {
  std::string type;  // Ready | Progressing | Degraded
  bool status = false;
  std::string reason;  // UpperCamel, stable (for alerts).
  std::string message;
  int64_t lastTransitionMs = 0;  // When `status` last flipped (Unix epoch ms).
  bool operator==(const Condition&) const = default;
};

// What the leader writes to the store after every pass.
struct ClusterStatusRecord {
  std::string cluster;
  std::string leader;  // The candidate id of the daemon that wrote it.
  int64_t topologyVersion = 0;
  std::string lastPassOutcome;  // passOutcomeName()
  int64_t lastPassAtMs = 0;
  int64_t lastPassDurationMs = 0;
  std::string summary;  // `mon 3/3 · mgr 2/2 · ...` from the pass's observation ("" if none).
  std::vector<Condition> conditions;  // Ready, Progressing, Degraded (in that order).
};

// The three conditions after `report`. Transition times are carried over from `previous` for
// conditions whose status did not change.
std::vector<Condition> computeConditions(const engine::PassReport& report,
                                         const std::vector<Condition>& previous, int64_t nowMs);

std::string encodeStatusRecord(const ClusterStatusRecord& record);
// `InvalidInput` when `json` is not a status record.
Result<ClusterStatusRecord> decodeStatusRecord(std::string_view json);

// The block `ceph-planner status` prints under its table:
//   Conditions (daemon 'host-a:123', pass 'converged' 12s ago, topology v7):
//     Ready        True   Converged   every daemon runs the topology's definition
//     ...
std::string formatConditionsText(const ClusterStatusRecord& record, int64_t nowMs);

}  // namespace ceph_planner::daemon
