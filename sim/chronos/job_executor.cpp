#include "sim/chronos/job_executor.h"

namespace ceph_planner::chronos_sim {

Status SimulatedExecutor::launch(const TaskLaunch& task) {
  pending_.push_back({task.taskId, TaskOutcome::Kind::Finished, ""});
  return okStatus();
}

void SimulatedExecutor::kill(const std::string& taskId) {
  for (auto& outcome : pending_) {
    if (outcome.taskId == taskId) {
      outcome.kind = TaskOutcome::Kind::Killed;
      outcome.message = "killed";
    }
  }
}

std::vector<TaskOutcome> SimulatedExecutor::poll() {
  std::vector<TaskOutcome> out;
  out.swap(pending_);
  return out;
}

}  // namespace ceph_planner::chronos_sim
