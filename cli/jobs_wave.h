#pragma once

// The Chronos side of `plan`, `apply` and `status`: build the Chronos client, render the
// maintenance jobs with the flags that let them reach the same Marathon and store, observe
// Chronos with one read, diff into `plan.jobs`, apply the wave after the Marathon waves, and list
// the jobs for `status`. Without a Chronos URL (flag or `cluster.chronos.url`) the wave is skipped
// with one note, never an error.

#include <iosfwd>
#include <string>
#include <vector>

#include "chronos_client/chronos_api.h"
#include "cli/wiring.h"
#include "engine/applier.h"
#include "planner/plan.h"
#include "topology/model.h"

namespace ceph_planner::cli {

struct ChronosOptions {
  std::string url;                // --chronos (comma-separated), else $CEPH_PLANNER_CHRONOS.
  std::string authKind = "none";  // none | basic | bearer
  std::string credentialsFile;    // --chronos_credentials_file
  std::string credentialsEnv;     // --chronos_credentials_env (the variable's NAME)
  std::string caFile;             // --chronos_ca_file
  int timeoutSeconds = 10;        // --chronos_timeout
  std::string jobBinary = "ceph-planner";  // --chronos_job_binary: what the jobs run.
};

// The Chronos client; `NotFound` when no URL is configured (flag, environment or topology).
Result<chronos::ChronosApiPtr> makeChronos(const ChronosOptions& options,
                                           const topology::Topology& topology);

// The flags a maintenance job passes to `ceph-planner` so it reaches this Marathon and store: URLs
// and file paths (made absolute) only. `InvalidInput` for a URL with credentials in it, which the
// job's command line would show to every Chronos user.
Result<std::vector<std::string>> jobConnectionArgs(const MarathonOptions& marathon,
                                                   const StoreOptions& store);

struct JobsContext {
  chronos::ChronosApiPtr chronos;          // Null when the wave was skipped.
  std::vector<planner::JobSpec> observed;  // What Chronos listed.
};

// Fills `plan.jobs` (planned, or skipped with a note). Prints errors to `err`; false on failure.
bool planJobsWave(const ChronosOptions& chronos, const MarathonOptions& marathon,
                  const StoreOptions& store, const topology::Topology& topology,
                  planner::Plan& plan, JobsContext& context, std::ostream& err);

// Applies `plan.jobs`; prints the outcome line to `out` and errors to `err`. False on failure.
bool applyJobsWave(const planner::Plan& plan, JobsContext& context, engine::ApplyListener& listener,
                   std::ostream& out, std::ostream& err);

// `status`: the cluster's jobs as Chronos reports them.
struct JobsStatus {
  std::string url;                     // Empty: no Chronos configured (the wave is skipped).
  std::string skipNote;                // Why, when `url` is empty and the topology has jobs.
  std::string ownerName;               // A job is ours when its ownerName equals this.
  std::vector<planner::JobSpec> jobs;  // Named with the cluster's prefix, in Chronos's order.
};

// Reads the jobs (one list call). Errors: the client cannot be set up or Chronos cannot be listed;
// `status` reports them as warnings and still prints the apps.
Result<JobsStatus> readJobsStatus(const ChronosOptions& chronos,
                                  const topology::Topology& topology);

// The text table: schedule, last success/error and counts of each job, or the skip note.
void printJobsStatus(const JobsStatus& status, std::ostream& out);

}  // namespace ceph_planner::cli
