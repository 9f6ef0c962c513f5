#pragma once

// `FakeChronos`: an in-memory `ChronosApi` for component and unit tests of the jobs wave. It
// follows Chronos 3.x where the planner can observe it (kept honest by the contract suite that also
// runs `CppRestChronosClient` against chronos-sim, tests/contract/chronos_api):
// - `putJob` replaces by name with exactly the body (counters included), fills Chronos's resource
//   defaults, stores `parents` as a set and re-prints the schedule's period canonically;
// - a new dependent job with an unknown parent is accepted but stays invisible until its parents
//   exist; a replace with an unknown parent is refused;
// - deleting a job re-parents its children (a child left without parents becomes a scheduled job
//   with the deleted parent's schedule);
// - unknown names answer like Chronos (400 `... not found`, mapped to `NotFound`).
// Errors are built from Chronos-shaped bodies by the same `errorFromChronosResponse` the HTTP
// client uses. Test hooks seed jobs without counting as writes and simulate runs. Thread-safe.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "chronos_client/chronos_api.h"

namespace ceph_planner::chronos {

class FakeChronos final : public ChronosApi {
 public:
  FakeChronos() = default;

  // ChronosApi.
  Result<std::vector<planner::JobSpec>> listJobs() override;
  Result<planner::JobSpec> getJob(const std::string& name) override;
  Status putJob(const planner::JobSpec& job) override;
  Status deleteJob(const std::string& name) override;
  Status runJob(const std::string& name) override;
  Result<std::string> leader() override;

  // Test hooks (not counted as writes).
  // Stores `job` as if someone else had registered it (e.g. a foreign job).
  void seedJob(const planner::JobSpec& job);
  // What Chronos does when a run of `name` ends: counters, `lastSuccess`/`lastError` = `when`, and
  // the schedule's start moved to `nextStart` (finite `Rn` counts down). False for an unknown job.
  bool simulateRun(const std::string& name, bool success, const std::string& when,
                   const std::string& nextStart);
  // The next call of any method fails with `error` (once).
  void failNext(Error error);

  // `putJob`, `deleteJob` and `runJob` calls that reached the store (refused ones included).
  int writeCount() const;
  // Names of dependent jobs waiting for their parents.
  std::vector<std::string> pendingJobs() const;

 private:
  std::optional<Error> takeFailure();
  void promotePendingLocked();
  std::map<std::string, planner::JobSpec>::iterator findLocked(const std::string& name);

  mutable std::mutex mu_;
  std::vector<std::string> order_;  // Registration order of `jobs_` (the listing order).
  std::map<std::string, planner::JobSpec> jobs_;
  std::map<std::string, planner::JobSpec> pending_;
  std::optional<Error> failNext_;
  int writes_ = 0;
};

}  // namespace ceph_planner::chronos
