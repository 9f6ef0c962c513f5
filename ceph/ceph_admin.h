#pragma once

// `CephAdmin`: the cluster-level Ceph questions and commands the planner needs (health, placement
// group state, OSD utilisation, the mgr balancer, reweighting, the safety checks before stopping
// or destroying an OSD, mon quorum), as typed values. Implementations: `CliCephAdmin` (runs the
// `ceph` CLI with `-f json`, cli_ceph_admin.h) and `FakeCephAdmin` (replays outputs recorded from
// a real Ceph 16.2 cluster, fake_ceph_admin.h). The types keep what the planner decides on, not
// every field Ceph prints.
//
// Error codes shared by every method:
// - `Timeout`: the command did not answer within the configured deadline (no quorum, no active
//   mgr for mgr commands). Retryable.
// - `Unavailable`: the cluster could not be reached (`ETIMEDOUT`/`ECONNREFUSED` from the CLI) or
//   the CLI could not be run. Retryable.
// - `PermissionDenied`: the key is refused (`EACCES`/`EPERM`).
// - `InvalidInput`: Ceph rejected the arguments (`EINVAL`, unknown OSD id).
// - `NotFound`: the command or module does not exist (`ENOENT`, `EOPNOTSUPP`).
// - `Internal`: the output could not be parsed (the message names the command).
// Messages name the command in quotes (`'ceph pg stat'`).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace ceph_planner::ceph {

// One `checks` entry of `ceph health detail`.
struct HealthCheck {
  std::string code;      // e.g. `OSD_DOWN`, `PG_DEGRADED`.
  std::string severity;  // `HEALTH_WARN` | `HEALTH_ERR`.
  std::string summary;   // `1 osds down`.
  bool muted = false;
};

struct HealthReport {
  std::string status;               // `HEALTH_OK` | `HEALTH_WARN` | `HEALTH_ERR`.
  std::vector<HealthCheck> checks;  // Sorted by code.

  bool ok() const { return status == "HEALTH_OK"; }
};

// `ceph pg stat`: PG counts by state and the object counters the rebalance bound is checked on.
struct PgStat {
  int numPgs = 0;
  std::map<std::string, int> pgsByState;  // `active+clean` -> 33.
  int64_t numObjects = 0;
  int64_t degradedObjects = 0;
  int64_t degradedTotal = 0;  // Object copies the degraded ratio is relative to.
  int64_t misplacedObjects = 0;
  int64_t misplacedTotal = 0;
  int64_t unfoundObjects = 0;
  int64_t recoveringBytesPerSec = 0;

  // misplaced / total object copies (0 when Ceph reports none).
  double misplacedRatio() const;
  double degradedRatio() const;
  // PGs whose state is exactly `active+clean`.
  int activeClean() const;
  // True when some PG is recovering, backfilling or waiting for either (any state containing
  // `recover` or `backfill`). The recovery rate is NOT used: Ceph keeps reporting it for a few
  // seconds after every PG is active+clean again (recorded in `osd_out_drained`).
  bool recoveryOrBackfill() const;
};

// One OSD row of `ceph osd df`.
struct OsdUsage {
  int id = -1;
  std::string name;         // `osd.3`.
  std::string deviceClass;  // `hdd`, `ssd`, or empty.
  double crushWeight = 0;
  double reweight = 0;  // The override weight in [0, 1] (`osd reweight`).
  int64_t kb = 0;
  int64_t kbUsed = 0;
  double utilization = 0;  // Percent.
  double var = 0;          // utilization / average.
  int pgs = 0;
  std::string status;  // `up` | `down` | `destroyed`.
};

struct OsdDf {
  std::vector<OsdUsage> osds;  // Sorted by id.
  double averageUtilization = 0;
  double minVar = 0;
  double maxVar = 0;
  double dev = 0;  // Standard deviation of the utilisation.
};

// `ceph balancer status`.
struct BalancerStatus {
  bool active = false;  // Automatic balancing (`balancer on`).
  std::string mode;     // `upmap`, `crush-compat`, `none`, ...
  std::vector<std::string> plans;
  std::string lastOptimizeStarted;
  std::string optimizeResult;  // The mgr's text about its last automatic attempt.
};

// What `ceph balancer optimize PLAN` answered. Ceph answers "nothing to do" with an error code
// (`EALREADY`), which is a normal outcome here, not an error.
struct BalancerOptimizeResult {
  bool planCreated = false;
  std::string message;  // Ceph's explanation, e.g. "Unable to find further optimization, ...".
};

// One row of `osd [test-]reweight-by-utilization`.
struct Reweight {
  int osd = -1;
  double oldWeight = 0;
  double newWeight = 0;
};

struct ReweightResult {
  bool changed = false;  // False: Ceph found no OSD over the threshold ("no change").
  double averageUtilization = 0;
  double overloadUtilization = 0;
  std::vector<Reweight> reweights;
  std::string message;  // Ceph's text, for the decision line.
};

// Bounds of `osd reweight-by-utilization` (Ceph's own argument names).
struct ReweightBounds {
  int overloadPercent = 120;  // Only OSDs above average * overload / 100 are reweighted.
  double maxChange = 0.05;    // Largest change of one OSD's reweight.
  int maxOsds = 4;            // At most this many OSDs per run.
};

// `ceph osd ok-to-stop IDS`.
struct OkToStop {
  bool ok = false;
  std::vector<int> osds;  // The OSDs asked about (when ok: the ones that may stop).
  int numOkPgs = 0;
  int numNotOkPgs = 0;
  std::vector<std::string> badBecomeInactive;  // PG ids that would become inactive.
  std::string message;                         // Ceph's refusal text when not ok.
};

// `ceph osd safe-to-destroy IDS`.
struct SafeToDestroy {
  bool safe = false;  // Every asked OSD is safe.
  std::vector<int> safeToDestroy;
  std::vector<int> active;        // Still holding PGs.
  std::vector<int> missingStats;  // No statistics yet: cannot tell.
  std::vector<int> storedPgs;     // Still storing PG data.
  std::string message;            // Ceph's refusal text when not safe.
};

// `ceph quorum_status`.
struct QuorumStatus {
  int electionEpoch = 0;
  std::vector<std::string> quorumNames;
  std::string leaderName;
  std::vector<std::string> monNames;  // Every mon in the monmap.

  // True when more than half of the monmap is in quorum.
  bool hasQuorum() const { return quorumNames.size() * 2 > monNames.size(); }
};

class CephAdmin {
 public:
  virtual ~CephAdmin() = default;

  // Read-only; safe to retry.
  virtual Result<HealthReport> health() = 0;
  virtual Result<PgStat> pgStat() = 0;
  virtual Result<OsdDf> osdDf() = 0;
  virtual Result<BalancerStatus> balancerStatus() = 0;
  virtual Result<QuorumStatus> quorumStatus() = 0;
  // "No" is a value (`ok == false` / `safe == false`), not an error. `ids` must not be empty
  // (`InvalidInput`).
  virtual Result<OkToStop> okToStop(const std::vector<int>& ids) = 0;
  virtual Result<SafeToDestroy> safeToDestroy(const std::vector<int>& ids) = 0;
  // The dry-run form (`osd test-reweight-by-utilization`): changes nothing.
  virtual Result<ReweightResult> testReweightByUtilization(const ReweightBounds& bounds) = 0;

  // Writes. Idempotent unless noted.
  // `ceph balancer mode MODE`.
  virtual Status setBalancerMode(const std::string& mode) = 0;
  // `ceph balancer on|off`.
  virtual Status setBalancerActive(bool active) = 0;
  // `ceph balancer optimize PLAN`: computes a plan in the mgr (changes no data placement yet).
  virtual Result<BalancerOptimizeResult> balancerOptimize(const std::string& plan) = 0;
  // `ceph balancer execute PLAN`: applies the plan (upmap entries; data starts moving) and
  // drops it. NOT idempotent: the plan is gone afterwards (`NotFound` on a repeat).
  virtual Status balancerExecute(const std::string& plan) = 0;
  // `ceph balancer rm PLAN`.
  virtual Status balancerRemove(const std::string& plan) = 0;
  // `ceph osd reweight ID WEIGHT` (weight in [0, 1]).
  virtual Status reweight(int osd, double weight) = 0;
  // `ceph osd reweight-by-utilization`: moves data. NOT idempotent (each call lowers further).
  virtual Result<ReweightResult> reweightByUtilization(const ReweightBounds& bounds) = 0;
};

using CephAdminPtr = std::unique_ptr<CephAdmin>;

}  // namespace ceph_planner::ceph
