#include "engine/reconciler.h"

#include <algorithm>

#include "engine/stored_inventory.h"
#include "planner/diff.h"
#include "planner/waves.h"
#include "store/secrets.h"
#include "topology/parse.h"

namespace ceph_planner::engine {

using planner::ActionKind;
using planner::PlanAction;

std::string Drift::describe() const {
  std::string out = "app '" + appId + "' ";
  if (kind == "deleted") return out + "was deleted by hand; recreating it";
  if (kind == "scaled") {
    return out + "was scaled by hand to " + std::to_string(observedInstances) +
           " instance(s); restoring " + std::to_string(desiredInstances);
  }
  out += "was edited by hand (";
  for (size_t i = 0; i < changes.size(); ++i) {
    if (i > 0) out += ", ";
    out += changes[i].field;
  }
  return out + "); restoring the topology's definition";
}

std::string_view passOutcomeName(PassOutcome outcome) {
  switch (outcome) {
    case PassOutcome::NoTopology:
      return "no-topology";
    case PassOutcome::Converged:
      return "converged";
    case PassOutcome::Acted:
      return "acted";
    case PassOutcome::Failed:
      return "failed";
  }
  return "unknown";
}

namespace {

const planner::ObservedApp* findApp(const planner::ObservedState& observed, const std::string& id) {
  auto it = std::lower_bound(
      observed.apps.begin(), observed.apps.end(), id,
      [](const planner::ObservedApp& app, const std::string& key) { return app.spec.id < key; });
  if (it != observed.apps.end() && it->spec.id == id) return &*it;
  return nullptr;
}

void recount(planner::Plan& plan) {
  planner::PlanSummary s;
  for (const auto& a : plan.actions) {
    switch (a.kind) {
      case ActionKind::Create:
        ++s.toAdd;
        break;
      case ActionKind::Update:
        ++s.toChange;
        break;
      case ActionKind::Scale:
        ++s.toScale;
        break;
      case ActionKind::Delete:
        ++s.toDestroy;
        break;
      case ActionKind::Unchanged:
        ++s.unchanged;
        break;
    }
  }
  plan.summary = s;
}

PassReport& fail(PassReport& report, Error error) {
  report.outcome = PassOutcome::Failed;
  report.error = std::move(error);
  return report;
}

}  // namespace

Reconciler::Reconciler(store::TopologyStore& store, marathon::MarathonApi& marathon, Clock& clock,
                       ReconcilerListener& listener, ReconcilerOptions options)
    : store_(store),
      marathon_(marathon),
      clock_(clock),
      listener_(listener),
      options_(std::move(options)) {}

Result<planner::DesiredState> Reconciler::renderDesired(const topology::Topology& topology,
                                                        const topology::Inventory& inventory,
                                                        int64_t version) {
  planner::RenderOptions render = options_.render;
  render.topologyVersion = std::to_string(version);
  const planner::TemplateSet& templates =
      options_.templates ? *options_.templates : planner::TemplateSet::builtin();
  return planner::render(topology, templates, inventory, render);
}

void Reconciler::findDrift(PassReport& report, int64_t version) const {
  const std::string versionText = std::to_string(version);
  for (const PlanAction& a : report.plan.actions) {
    if (a.kind == ActionKind::Unchanged || a.kind == ActionKind::Delete) continue;
    const planner::ObservedApp* app = findApp(*report.observed, a.appId);
    // The current version already produced this app when the last pass converged on it, or when
    // the app still carries the version's label: whatever differs now was changed in Marathon.
    bool producedByThisVersion = appliedVersion_ == version;
    if (!producedByThisVersion && app != nullptr) {
      const auto* label = planner::findKeyValue(app->spec.labels, planner::kLabelTopologyVersion);
      producedByThisVersion = label != nullptr && *label == versionText;
    }
    if (!producedByThisVersion) continue;
    Drift d;
    d.appId = a.appId;
    d.desiredInstances = a.kind == ActionKind::Scale ? a.toInstances : a.desired->instances;
    d.observedInstances = app ? app->spec.instances : 0;
    if (a.kind == ActionKind::Create) {
      d.kind = "deleted";
    } else if (a.kind == ActionKind::Scale) {
      d.kind = "scaled";
    } else {
      d.kind = "edited";
      d.changes = a.changes;
    }
    report.drift.push_back(std::move(d));
  }
}

PassReport Reconciler::runPass() {
  PassReport report;
  auto start = clock_.monotonic();
  struct Finish {
    PassReport& r;
    Clock& c;
    Clock::Duration s;
    ~Finish() { r.duration = c.monotonic() - s; }
  } finish{report, clock_, start};
  const std::string& cluster = options_.cluster;

  auto record = store_.getTopology(cluster);
  if (!record) {
    if (record.error().code == ErrorCode::NotFound) {
      report.outcome = PassOutcome::NoTopology;
      return report;
    }
    return fail(report, record.error().withContext("cannot read the topology of cluster '" +
                                                   cluster + "'"));
  }
  report.topologyVersion = record->version;
  // Hosts without inline devices resolve against their stored inventories (`inventory/<host>`).
  auto loaded = loadTopologyWithStoredInventory(record->yaml, &store_, &inventoryCache_);
  if (!loaded) return fail(report, loaded.error());
  topology::ParsedTopology& parsed = loaded->parsed;
  for (const auto& d : parsed.diagnostics) {
    if (d.severity != Severity::Error) continue;
    return fail(report,
                makeError(ErrorCode::InvalidInput,
                          "stored topology v" + std::to_string(record->version) + " of cluster '" +
                              cluster + "' is invalid: " + d.toString("topology")));
  }
  auto desired = renderDesired(parsed.topology, loaded->inventory, record->version);
  if (!desired) {
    return fail(report, desired.error().withContext("cannot render topology v" +
                                                    std::to_string(record->version)));
  }
  report.topology = std::move(parsed.topology);

  auto observed = marathon_.getGroup(desired->groupId);
  if (!observed) {
    return fail(report, observed.error().withContext("cannot read group '" + desired->groupId +
                                                     "' from Marathon"));
  }
  report.observed = std::move(observed).value();
  report.plan = planner::diff(*desired, *report.observed, planner::DiffOptions{cluster});
  report.status = planner::buildStatus(*desired, *report.observed, report.plan);
  findDrift(report, record->version);

  // What this pass may do: nothing on apps Marathon is still deploying, no stateful deletions.
  planner::Plan act = report.plan;
  act.actions.clear();
  bool monsObserved = false;
  for (const auto& app : report.observed->apps) {
    auto identity = planner::identityFromLabels(app.spec);
    if (identity && identity->role == planner::Role::Mon) monsObserved = true;
  }
  for (const PlanAction& a : report.plan.actions) {
    if (a.kind == ActionKind::Unchanged) continue;
    const planner::ObservedApp* app = findApp(*report.observed, a.appId);
    if (app != nullptr && !app->status.deploymentIds.empty()) {
      report.skippedInProgress.push_back(a.appId);
      listener_.skipped(a.appId,
                        "deployment '" + app->status.deploymentIds.front() + "' in progress");
      continue;
    }
    if (a.kind == ActionKind::Delete &&
        (a.role == planner::Role::Mon || a.role == planner::Role::Osd)) {
      report.refusedStateful.push_back(a.appId);
      listener_.skipped(a.appId,
                        "stateful daemon no longer in the topology; removing it needs "
                        "the safe drain");
      continue;
    }
    act.actions.push_back(a);
  }
  recount(act);
  for (const Drift& d : report.drift) {
    if (std::find(report.skippedInProgress.begin(), report.skippedInProgress.end(), d.appId) ==
        report.skippedInProgress.end()) {
      listener_.drift(d);
    }
  }
  std::erase_if(report.drift, [&](const Drift& d) {
    return std::find(report.skippedInProgress.begin(), report.skippedInProgress.end(), d.appId) !=
           report.skippedInProgress.end();
  });

  if (!act.hasChanges()) {
    report.outcome = PassOutcome::Converged;
    if (report.skippedInProgress.empty()) appliedVersion_ = record->version;
    return report;
  }
  if (Status applicable = planner::checkApplicable(act); !applicable) {
    return fail(report, applicable.error());
  }
  // Tasks fetch their keys when they start: the material must exist before the first create.
  if (!secretsEnsured_ && act.summary.toAdd > 0) {
    auto nowMs = clock_.now().time_since_epoch().count();
    auto secrets = store::ensureBootstrapSecrets(store_, cluster, nowMs);
    if (!secrets) {
      return fail(report, secrets.error().withContext("cannot prepare the bootstrap secrets of "
                                                      "cluster '" +
                                                      cluster + "'"));
    }
    secretsEnsured_ = true;
  }
  for (const PlanAction& a : act.actions) {
    ++report.actionsByKind[std::string(planner::actionKindName(a.kind))];
  }
  Applier applier(marathon_, clock_, listener_, options_.apply);
  auto applied = applier.apply(act, monsObserved);
  if (!applied) {
    // Writes that were made before the failure still count (the report is for metrics).
    return fail(report, applied.error());
  }
  report.marathonWrites = applied->writeCalls;
  report.outcome = PassOutcome::Acted;
  if (report.skippedInProgress.empty() && report.refusedStateful.empty()) {
    appliedVersion_ = record->version;
  }
  return report;
}

// ---- loop ---------------------------------------------------------------------------------------

ReconcileLoop::ReconcileLoop(Reconciler& reconciler, Clock& clock, LoopOptions options,
                             std::function<bool()> mayAct,
                             std::function<void(const PassReport&)> onPass)
    : reconciler_(reconciler),
      clock_(clock),
      options_(options),
      mayAct_(std::move(mayAct)),
      onPass_(std::move(onPass)),
      unavailable_(kRetryUnavailable, options.seed),
      waitDeployment_(kWaitForDeployment, options.seed + 1),
      permanent_(kRetryAfterPermanentError, options.seed + 2) {}

void ReconcileLoop::trigger(const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = true;
    ++triggers_;
    reasons_.insert(reason);
  }
  cv_.notify_all();
}

std::vector<std::string> ReconcileLoop::lastReasons() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lastReasons_;
}

Clock::Duration ReconcileLoop::step() {
  auto now = clock_.monotonic();
  if (!wakeAt_) wakeAt_ = now;  // The first step always passes.
  bool pending;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending = pending_;
  }
  if (!mayAct_()) {
    // Followers do nothing; whoever leads next starts with a pass of its own.
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = false;
    reasons_.clear();
    return now + options_.resyncInterval;
  }
  bool due = (pending || now >= *wakeAt_) && now >= holdUntil_;
  if (!due) return pending ? holdUntil_ : std::max(*wakeAt_, holdUntil_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = false;
    lastReasons_.assign(reasons_.begin(), reasons_.end());
    if (lastReasons_.empty()) lastReasons_.push_back("resync");
    reasons_.clear();
  }
  PassReport report = reconciler_.runPass();
  now = clock_.monotonic();
  if (report.outcome == PassOutcome::Failed) {
    bool retryable = report.error->isRetryable() || report.error->code == ErrorCode::Conflict;
    Backoff& backoff = retryable ? unavailable_ : permanent_;
    (retryable ? permanent_ : unavailable_).reset();
    holdUntil_ = now + backoff.next();
    wakeAt_ = holdUntil_;
  } else {
    unavailable_.reset();
    permanent_.reset();
    holdUntil_ = now;
    if (!report.skippedInProgress.empty()) {
      wakeAt_ = now + std::min(waitDeployment_.next(), options_.resyncInterval);
    } else {
      waitDeployment_.reset();
      wakeAt_ = now + options_.resyncInterval;
    }
  }
  if (onPass_) onPass_(report);
  return *wakeAt_;
}

void ReconcileLoop::run(std::stop_token stop) {
  std::stop_callback wake(stop, [this] { cv_.notify_all(); });
  while (!stop.stop_requested()) {
    uint64_t seen;
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen = triggers_;
    }
    Clock::Duration next = step();
    std::unique_lock<std::mutex> lock(mu_);
    auto wait = next - clock_.monotonic();
    if (wait <= Clock::Duration(0)) continue;
    // Wakes for the due time or for a trigger newer than this step (one that arrived while a
    // backoff holds is served once the hold ends).
    cv_.wait_for(lock, stop, std::chrono::milliseconds(wait),
                 [this, seen] { return triggers_ != seen; });
  }
}

}  // namespace ceph_planner::engine
