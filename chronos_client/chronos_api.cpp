#include "chronos_client/chronos_api.h"

#include "common/strings.h"

namespace ceph_planner::chronos {

bool isValidJobName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status checkJobForPut(const planner::JobSpec& job) {
  if (!isValidJobName(job.name)) {
    return makeError(ErrorCode::InvalidInput, "invalid chronos job name " +
                                                  ceph_planner::quoted(job.name) +
                                                  ": must match [A-Za-z0-9_.-]+");
  }
  if (job.isDependent() && !job.schedule.empty()) {
    return makeError(ErrorCode::InvalidInput,
                     "job " + ceph_planner::quoted(job.name) + " has both a schedule and parents");
  }
  if (!job.isDependent() && job.schedule.empty()) {
    return makeError(ErrorCode::InvalidInput, "job " + ceph_planner::quoted(job.name) +
                                                  " has neither a schedule nor parents");
  }
  return okStatus();
}

}  // namespace ceph_planner::chronos
