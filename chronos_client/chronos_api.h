#pragma once

// `ChronosApi`: the slice of the Chronos 3.x REST API (`/v1/scheduler/...`) that ceph-planner
// needs, as a synchronous interface over plain values (`planner::JobSpec`). Implementations:
// `CppRestChronosClient` (HTTP, cpprest_chronos_client.h) and `FakeChronos` (in-memory,
// tests/fakes/fake_chronos.h). Both run the same contract suite (tests/contract/chronos_api).
//
// Error codes shared by every method (docs/chronos-client.md has the mapping):
// - `InvalidInput`: Chronos answered 400 (bad name, unparsable schedule, unknown parent on a
//   replace, ...) or the client refused the job before sending it; the message quotes Chronos.
// - `NotFound`: the named job does not exist (Chronos says so with a 400 `... not found`).
// - `PermissionDenied`: HTTP 401/403.
// - `Unavailable`: HTTP 5xx or no connection; retryable.
// - `Timeout`: no answer within the call's deadline; retryable.

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "planner/jobs_spec.h"

namespace ceph_planner::chronos {

class ChronosApi {
 public:
  virtual ~ChronosApi() = default;

  // Every registered job, with the server-maintained fields (counters, last runs, the schedule as
  // Chronos rewrote it). One read. A dependent job whose parents do not all exist is not listed
  // (Chronos keeps it out of its graph). Read-only; safe to retry.
  virtual Result<std::vector<planner::JobSpec>> listJobs() = 0;

  // One job by exact name (`GET /v1/scheduler/job/{name}`); `NotFound` when absent. Read-only.
  virtual Result<planner::JobSpec> getJob(const std::string& name) = 0;

  // Creates or replaces job `job.name` with exactly this body: `/v1/scheduler/dependency` when it
  // has parents, else `/v1/scheduler/iso8601`. Idempotent (Chronos replaces by name), so the
  // client retries it. The counters in `job` are stored as given (a replace with zero counters
  // resets them, mesos/chronos#702): callers that update a job copy them from the observed one.
  // Checked before sending (`InvalidInput`): the name matches `[A-Za-z0-9_.-]+`, a scheduled job
  // has a schedule, no job has both. A dependent job whose parents do not exist is accepted by
  // Chronos but never registered: callers confirm with `getJob`.
  virtual Status putJob(const planner::JobSpec& job) = 0;

  // Deletes a job. `NotFound` when it does not exist (a second delete). A deleted job's dependent
  // children lose it as a parent; children left without parents become scheduled jobs.
  virtual Status deleteJob(const std::string& name) = 0;

  // Starts one run now (`PUT /v1/scheduler/job/{name}`). `NotFound` for an unknown job.
  virtual Status runJob(const std::string& name) = 0;

  // The current leader as `host:port`. Read-only.
  virtual Result<std::string> leader() = 0;
};

using ChronosApiPtr = std::unique_ptr<ChronosApi>;

// Chronos 3.x job names: the whole name matches `[A-Za-z0-9_.-]+`.
bool isValidJobName(const std::string& name);

// The checks `putJob` makes before sending (see above), shared by every implementation.
Status checkJobForPut(const planner::JobSpec& job);

}  // namespace ceph_planner::chronos
