#pragma once

// The daemon's reconciler (DESIGN.md §6, style guide §7.5): level-triggered passes over the
// `TopologyStore`, `MarathonApi` and `Clock` interfaces.
//
// `Reconciler::runPass` is one pass: read the desired topology from the store, render it, observe
// Marathon with ONE `getGroup`, diff, and act through the same `Applier` as `ceph-planner apply`.
// Before acting it removes from the plan
//   - every action on an app that has a Marathon deployment in progress (left alone until the
//     deployment ends; a later pass looks again), and
//   - every deletion of a stateful daemon (mon, osd): those go only through the safe drain.
// Changes to apps that the current topology version had already put in place are drift (an app
// deleted, scaled or edited by hand in Marathon); they are repaired like any other change and
// reported with the fields that differed. A converged pass costs one Marathon read and no write.
//
// `ReconcileLoop` decides WHEN passes run: topology watches, Marathon events and the periodic
// resync only call `trigger` (requests coalesce into one pending pass); failures back off with the
// named policies of backoff.h. `step` is the deterministic core (tests drive it with a manual
// clock); `run` is the thread body that sleeps between steps.

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "engine/applier.h"
#include "engine/backoff.h"
#include "engine/stored_inventory.h"
#include "marathon_client/marathon_api.h"
#include "planner/plan.h"
#include "planner/render.h"
#include "planner/status.h"
#include "planner/templates.h"
#include "store/topology_store.h"
#include "topology/model.h"

namespace ceph_planner::engine {

struct ReconcilerOptions {
  std::string cluster;
  // Render settings (bootstrap URL); `topologyVersion` is set per pass from the store.
  planner::RenderOptions render;
  // Templates to render with; the built-in set when null. Must outlive the reconciler.
  const planner::TemplateSet* templates = nullptr;
  // The applier's deadlines. A daemon pass should not wait as long as an interactive apply: an
  // unfinished step ends the pass (`Timeout`) and the next pass continues from Marathon's state.
  ApplyOptions apply;
};

// One app that Marathon no longer runs the way the current topology version put it.
struct Drift {
  std::string appId;
  std::string kind;                           // `deleted` | `scaled` | `edited`
  std::vector<planner::FieldChange> changes;  // `edited`: the fields that differed.
  int observedInstances = 0;
  int desiredInstances = 0;

  // `app '/ceph/box/mon/a' edited by hand: cmd, cpus` and similar, for the log.
  std::string describe() const;
};

enum class PassOutcome {
  NoTopology,  // The cluster has no stored topology: nothing to do.
  Converged,   // Nothing to change (apps with deployments in progress may have been skipped).
  Acted,       // Changes were submitted and every step finished.
  Failed,      // See `PassReport::error`.
};
std::string_view passOutcomeName(PassOutcome outcome);

struct PassReport {
  PassOutcome outcome = PassOutcome::Converged;
  int64_t topologyVersion = 0;                     // 0 when none is stored.
  std::optional<topology::Topology> topology;      // Set once the stored topology parsed.
  std::optional<planner::ObservedState> observed;  // The pass's one observation.
  planner::Plan plan;                              // As diffed (before skipping anything).
  std::optional<planner::StatusReport> status;     // Per-daemon state from that observation.
  std::vector<std::string> skippedInProgress;      // Apps left alone: deployment in progress.
  std::vector<std::string> refusedStateful;        // Stateful deletions left to the drain.
  std::vector<Drift> drift;
  std::map<std::string, int> actionsByKind;  // `create` → n, ... (what was submitted)
  int marathonWrites = 0;
  Clock::Duration duration{0};
  std::optional<Error> error;  // Set when `outcome == Failed`.
};

// Where passes report what they do (log lines); called on the pass's thread.
class ReconcilerListener : public ApplyListener {
 public:
  virtual void drift(const Drift&) {}
  virtual void skipped(const std::string& /*appId*/, const std::string& /*why*/) {}
};

class Reconciler {
 public:
  Reconciler(store::TopologyStore& store, marathon::MarathonApi& marathon, Clock& clock,
             ReconcilerListener& listener, ReconcilerOptions options);

  // One pass (see the file comment). Never throws; failures are in the report (`Failed`): store
  // and Marathon errors with their codes (retryable or not), an invalid stored topology
  // (`InvalidInput`), an applier step that did not finish (`Timeout`).
  PassReport runPass();

  const ReconcilerOptions& options() const { return options_; }

 private:
  Result<planner::DesiredState> renderDesired(const topology::Topology& topology,
                                              const topology::Inventory& inventory,
                                              int64_t version);
  void findDrift(PassReport& report, int64_t version) const;

  store::TopologyStore& store_;
  marathon::MarathonApi& marathon_;
  Clock& clock_;
  ReconcilerListener& listener_;
  ReconcilerOptions options_;
  // The topology version the last successful pass left Marathon at (0: none yet). Changes to apps
  // this version already produced are drift.
  int64_t appliedVersion_ = 0;
  bool secretsEnsured_ = false;
  // Stored inventories parsed by earlier passes (reparsed only when a host's text changes).
  InventoryParseCache inventoryCache_;
};

struct LoopOptions {
  Clock::Duration resyncInterval{std::chrono::seconds(30)};
  uint64_t seed = 1;  // Jitter of the backoff policies.
};

// Runs passes when they are due. Thread-safe: `trigger` may be called from any thread (watch and
// event callbacks); `step`/`run` from one thread only.
class ReconcileLoop {
 public:
  // `mayAct`: whether this process may act now (the leader flag); when false, triggers are
  // dropped and no pass runs. `onPass` gets every report (metrics, status).
  ReconcileLoop(Reconciler& reconciler, Clock& clock, LoopOptions options,
                std::function<bool()> mayAct, std::function<void(const PassReport&)> onPass);

  // Requests a pass; coalesces with any request not yet served. `reason` is kept for the log.
  void trigger(const std::string& reason);

  // Runs one pass if one is due at the clock's monotonic time, and returns when the next one will
  // be due without a trigger (resync, or the retry of a backoff). Passes are due when triggered
  // (unless an error backoff still holds) or when that time has come.
  Clock::Duration step();

  // The reasons coalesced into the last pass `step` ran (for tests and logs).
  std::vector<std::string> lastReasons() const;

  // Calls `step` until `stop` is requested, sleeping (real time) until the next due time or a
  // trigger.
  void run(std::stop_token stop);

 private:
  Reconciler& reconciler_;
  Clock& clock_;
  LoopOptions options_;
  std::function<bool()> mayAct_;
  std::function<void(const PassReport&)> onPass_;

  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  bool pending_ = false;
  uint64_t triggers_ = 0;
  std::set<std::string> reasons_;
  std::vector<std::string> lastReasons_;

  // Owned by the stepping thread.
  Clock::Duration holdUntil_{0};           // Error backoff: no pass before this.
  std::optional<Clock::Duration> wakeAt_;  // Next pass without a trigger.
  Backoff unavailable_;
  Backoff waitDeployment_;
  Backoff permanent_;
};

}  // namespace ceph_planner::engine
