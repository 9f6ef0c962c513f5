#pragma once

// Exec mode (`--exec`): each task runs as a local process through sim/common's ProcessRunner, in
// its own sandbox `<root>/<job>/<task>` (stdout/stderr files there), like a Mesos command task.
// Exit 0 = finished, anything else = failed, a kill = killed.

#include <set>
#include <string>

#include "sim/chronos/job_executor.h"
#include "sim/common/process_runner.h"

namespace ceph_planner::chronos_sim {

class ExecExecutor final : public JobExecutor {
 public:
  explicit ExecExecutor(std::string sandboxRoot);
  ~ExecExecutor() override;

  Status launch(const TaskLaunch& task) override;
  void kill(const std::string& taskId) override;
  std::vector<TaskOutcome> poll() override;
  void shutdown() override;

  static constexpr std::chrono::milliseconds kKillGrace{3000};

 private:
  std::string sandboxRoot_;
  sim::ProcessRunner runner_;  // Poll mode (no callback).
};

}  // namespace ceph_planner::chronos_sim
