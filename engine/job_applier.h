#pragma once

// Executes the Chronos jobs wave of a plan (after the Marathon waves): creates and updates in the
// plan's order (parents before children), then deletes (children first). Chronos applies each
// call at once, so there is nothing to wait for, except that a new dependent job is confirmed with
// a read (Chronos 3.x accepts a dependent whose parents are missing and then silently drops it).
// An update carries the observed counters, `lastSuccess`/`lastError` and `disabled` over into the
// new body, so re-registering a job does not wipe its history (mesos/chronos#702).
//
// The first failing call stops the wave with the job as context; what was done stays done and the
// next apply continues from there (every call is a replace-by-name or a delete).

#include <string>
#include <vector>

#include "chronos_client/chronos_api.h"
#include "common/result.h"
#include "engine/applier.h"
#include "planner/jobs_spec.h"

namespace ceph_planner::engine {

struct JobApplyReport {
  int created = 0;
  int updated = 0;
  int deleted = 0;
  int writeCalls = 0;
};

class JobApplier {
 public:
  JobApplier(chronos::ChronosApi& chronos, ApplyListener& listener);

  // `observed`: the job list the wave was planned from (for the counters of updated jobs).
  Result<JobApplyReport> apply(const planner::JobsWave& wave,
                               const std::vector<planner::JobSpec>& observed);

 private:
  chronos::ChronosApi& chronos_;
  ApplyListener& listener_;
};

}  // namespace ceph_planner::engine
