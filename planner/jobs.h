#pragma once

// Maintenance → Chronos jobs, and desired-vs-observed jobs → the jobs wave. Pure.
//
// Ownership: a job is ours when its name starts with `jobPrefix(cluster)` AND its `ownerName` is
// `jobOwnerName(cluster)`. A job with our prefix but without the marker (or another cluster's
// marker) is a conflict: reported, never changed or deleted. Jobs without our prefix are not
// looked at at all.
//
// Comparison (`compareJobs`) covers only what the planner owns: command and shell, the schedule's
// period and repetition form (forever `R` vs finite `Rn`; never the start, which Chronos moves
// forward on every run, nor the remaining count, which it decrements), the time zone,
// cpus/mem/disk, retries, constraints, environment, container and parents (as a set). Counters,
// `lastSuccess`, `lastError`, `disabled`, `owner` and `description` are never compared.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "planner/jobs_spec.h"
#include "topology/model.h"

namespace ceph_planner::planner {

// `ceph-planner-<cluster>-`.
std::string jobPrefix(std::string_view cluster);
// `ceph-planner/<cluster>`: the `ownerName` marker.
std::string jobOwnerName(std::string_view cluster);

struct JobRenderOptions {
  // The program Chronos runs for the built-in jobs (must be on the agents' PATH, or absolute).
  std::string plannerBinary = "ceph-planner";
  // Flags appended to every ceph-planner maintenance command so that it reaches the same Marathon
  // and topology store as the apply that registered it (`--marathon URL`, `--zk ...`,
  // `--marathon_credentials_file PATH`, ...). They end up in the job's command, which Chronos shows
  // to anyone: the caller must never put a secret here (file paths only).
  std::vector<std::string> connectionArgs;
};

// The jobs of `topology.maintenance`:
// - `balancer` → `<prefix>rebalance`, scheduled, running
//   `ceph-planner rebalance --cluster <name> <connectionArgs>`;
// - `inventory` → one `<prefix>inventory-<host>` per host, scheduled, pinned to the host with the
//   constraint `["hostname","EQUALS",<host>]`, running
//   `ceph-planner inventory --cluster <name> --host <host> <connectionArgs>`;
// - each `jobs[]` entry → `<prefix><name>` with its own command, scheduled or dependent (parents
//   `balancer`/`inventory` name the built-in jobs: `inventory` means every host's job).
// `InvalidInput` when two jobs map to one Chronos name or a schedule cannot be parsed.
Result<std::vector<JobSpec>> renderJobs(const topology::Topology& topology,
                                        const JobRenderOptions& options);

// `R[n]/start/period` split up. `period` is canonical (`PT60M` stays `PT60M`, zero fields are
// dropped: `P1DT0H` → `P1D`), as Chronos prints it back.
struct ScheduleParts {
  bool forever = true;  // `R`; false for `Rn`.
  long long repetitions = -1;
  std::string start;
  std::string period;
};
Result<ScheduleParts> parseSchedule(std::string_view schedule);

// The owned fields of `desired` that differ in `observed`, in a fixed order. Empty = unchanged.
std::vector<JobFieldChange> compareJobs(const JobSpec& desired, const JobSpec& observed);

// Desired against every job Chronos listed. Creates, updates and unchanged jobs come in
// dependency order (parents before children, then by name), deletes after them, children first.
JobsWave diffJobs(const std::vector<JobSpec>& desired, const std::vector<JobSpec>& observed,
                  std::string_view cluster);

// `word` as one POSIX shell word: unchanged when it holds only safe characters, else single-quoted.
std::string shellQuote(std::string_view word);

}  // namespace ceph_planner::planner
