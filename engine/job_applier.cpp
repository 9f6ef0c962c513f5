#include "engine/job_applier.h"

#include <map>

#include "common/strings.h"

namespace ceph_planner::engine {

JobApplier::JobApplier(chronos::ChronosApi& chronos, ApplyListener& listener)
    : chronos_(chronos), listener_(listener) {}

Result<JobApplyReport> JobApplier::apply(const planner::JobsWave& wave,
                                         const std::vector<planner::JobSpec>& observed) {
  JobApplyReport report;
  if (!wave.planned) return report;
  std::map<std::string, const planner::JobSpec*> byName;
  for (const auto& j : observed) byName[j.name] = &j;

  for (const auto& action : wave.actions) {
    using planner::JobActionKind;
    if (action.kind != JobActionKind::Create && action.kind != JobActionKind::Update) continue;
    planner::JobSpec body = action.desired;
    if (action.kind == JobActionKind::Update) {
      if (auto it = byName.find(action.name); it != byName.end()) {
        const planner::JobSpec& was = *it->second;
        body.successCount = was.successCount;
        body.errorCount = was.errorCount;
        body.errorsSinceLastSuccess = was.errorsSinceLastSuccess;
        body.lastSuccess = was.lastSuccess;
        body.lastError = was.lastError;
        body.disabled = was.disabled;
      }
    }
    const std::string verb = action.kind == JobActionKind::Create ? "create" : "update";
    ++report.writeCalls;
    if (auto put = chronos_.putJob(body); !put) {
      return put.error().withContext("chronos jobs wave: cannot " + verb + " job " +
                                     ceph_planner::quoted(action.name));
    }
    if (body.isDependent()) {
      auto check = chronos_.getJob(body.name);
      if (!check && check.error().code == ErrorCode::NotFound) {
        return makeError(ErrorCode::Internal, "chronos jobs wave: chronos accepted dependent job " +
                                                  ceph_planner::quoted(body.name) +
                                                  " but did not register it (are its parents " +
                                                  joinStrings(body.parents, ", ") +
                                                  " registered?)");
      }
      if (!check) return check.error().withContext("chronos jobs wave: cannot confirm job");
    }
    ++(action.kind == JobActionKind::Create ? report.created : report.updated);
    listener_.note("chronos: " + verb + "d job " + action.name);
  }
  for (const auto& action : wave.actions) {
    if (action.kind != planner::JobActionKind::Delete) continue;
    ++report.writeCalls;
    if (auto gone = chronos_.deleteJob(action.name); !gone) {
      // Already gone (deleted by hand, or a retried delete that had arrived): the goal is met.
      if (gone.error().code != ErrorCode::NotFound) {
        return gone.error().withContext("chronos jobs wave: cannot delete job " +
                                        ceph_planner::quoted(action.name));
      }
    }
    ++report.deleted;
    listener_.note("chronos: deleted job " + action.name);
  }
  return report;
}

}  // namespace ceph_planner::engine
