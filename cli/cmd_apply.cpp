#include <iostream>
#include <ostream>

#include "cli/commands.h"
#include "cli/live.h"
#include "cli/progress.h"
#include "engine/applier.h"
#include "planner/format.h"
#include "planner/waves.h"
#include "store/secrets.h"

namespace ceph_planner::cli {
namespace {

int countDeletes(const planner::Plan& plan) {
  int n = 0;
  for (const auto& a : plan.actions) n += a.kind == planner::ActionKind::Delete;
  return n;
}

bool confirmDeletes(int deletes, std::ostream& err) {
  err << "\nThis apply deletes " << deletes << (deletes == 1 ? " app" : " apps")
      << " (listed with '-' above).\nType 'yes' to go on: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "yes";
}

}  // namespace

int runApply(const ApplyOptions& options, std::ostream& out, std::ostream& err) {
  LiveOptions liveOptions{options.common, options.marathon, options.store, options.file,
                          options.text};
  auto live = prepareLivePlan(liveOptions, err);
  if (!live) return kExitError;
  const std::string& cluster = live->loaded.topology.cluster.name;
  // The Chronos wave is planned like the Marathon waves, before anything is written.
  JobsContext jobs;
  if (!planJobsWave(options.chronos, options.marathon, options.store, live->loaded.topology,
                    live->plan, jobs, err)) {
    return kExitError;
  }

  if (options.plannedVersion && *options.plannedVersion != live->storedVersion) {
    err << "error: "
        << store::casConflictMessage(*options.plannedVersion, live->storedVersion,
                                     live->storedAuthor)
        << "\n";
    return kExitError;
  }

  planner::TextFormatOptions format;
  format.color = options.common.color;
  out << planner::formatPlanText(live->plan, format);
  err << describeStoreChange(*live) << "\n";
  if (options.dryRun) return kExitOk;

  if (!live->plan.hasChanges() && !live->topologyChanged) {
    out << "Apply complete: nothing to do.\n";
    return kExitOk;
  }
  if (Status applicable = planner::checkApplicable(live->plan); !applicable) {
    err << "error: " << applicable.error().message << "\nnothing was changed\n";
    return kExitError;
  }
  int deletes = countDeletes(live->plan);
  if (deletes > 0 && !options.yes) {
    if (!options.interactive) {
      err << "error: this apply deletes " << deletes
          << " app(s); re-run with --yes to confirm (nothing was changed)\n";
      return kExitError;
    }
    if (!confirmDeletes(deletes, err)) {
      err << "apply cancelled; nothing was changed\n";
      return kExitError;
    }
  }

  // Bootstrap material exists before the first daemon starts, and is never regenerated.
  auto now = systemClock()->now().time_since_epoch().count();
  if (auto secrets = store::ensureBootstrapSecrets(*live->store, cluster, now); !secrets) {
    err << "error: cannot prepare the bootstrap secrets of cluster '" << cluster
        << "': " << secrets.error().message << "\nnothing was changed in Marathon\n";
    return kExitError;
  }
  // The compare-and-set comes before any Marathon write: of two concurrent applies of different
  // topologies exactly one gets here, and the other changes nothing.
  if (live->topologyChanged) {
    store::PutRequest put{live->loaded.text, currentAuthor(), options.message,
                          store::ExpectedVersion{live->storedVersion}};
    auto stored = live->store->putTopology(cluster, put);
    if (!stored) {
      err << "error: " << stored.error().message << "\nnothing was changed in Marathon\n";
      return kExitError;
    }
    err << "stored the topology as v" << stored->version << " in " << live->storeDescription
        << "\n";
  }
  if (!live->plan.hasAppChanges()) {
    ProgressPrinter jobProgress(err, options.interactive);
    if (!applyJobsWave(live->plan, jobs, jobProgress, out, err)) return kExitError;
    out << "Apply complete: Marathon already matches the topology.\n";
    return kExitOk;
  }

  engine::ApplyOptions applyOptions;
  applyOptions.force = options.force;
  applyOptions.stepTimeout = std::chrono::seconds(options.stepTimeoutSeconds);
  applyOptions.lockTimeout = std::chrono::seconds(options.lockTimeoutSeconds);
  applyOptions.pollInterval = std::chrono::milliseconds(options.pollMillis);
  ProgressPrinter progress(err, options.interactive);
  engine::Applier applier(*live->marathon, *systemClock(), progress, applyOptions);
  auto start = systemClock()->monotonic();
  auto report = applier.apply(live->plan, live->monsObserved);
  if (!report) {
    err << "error: apply stopped: " << report.error().message << "\n";
    return kExitError;
  }
  // The Chronos wave comes after rgw: the jobs act on a cluster that is already running.
  if (!applyJobsWave(live->plan, jobs, progress, out, err)) return kExitError;
  const auto& s = live->plan.summary;
  out << "Apply complete: " << s.toAdd << " added, " << s.toChange << " changed, " << s.toScale
      << " scaled, " << s.toDestroy << " destroyed in " << report->stepsDone << " steps ("
      << engine::formatDuration(systemClock()->monotonic() - start) << ").\n";
  return kExitOk;
}

}  // namespace ceph_planner::cli
