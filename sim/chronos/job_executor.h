#pragma once

// The seam between the scheduler and whatever runs a job's task: the simulated executor below
// (every task succeeds at once) or the local-process executor of exec mode (exec_executor.h).

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace ceph_planner::chronos_sim {

struct TaskLaunch {
  std::string taskId;  // `ct:<dueMillis>:<attempt>:<jobName>:<args>`.
  std::string jobName;
  std::string command;
  bool shell = true;  // `/bin/sh -c command`; else `command` + `arguments` as argv.
  std::vector<std::string> arguments;  // Only when !shell.
  std::vector<std::pair<std::string, std::string>> env;
};

struct TaskOutcome {
  enum class Kind { Finished, Failed, Killed };
  std::string taskId;
  Kind kind = Kind::Finished;
  std::string message;  // Why it failed, for logs.
};

class JobExecutor {
 public:
  virtual ~JobExecutor() = default;
  // Starts a task. An error means the task never ran (the scheduler counts it as failed).
  virtual Status launch(const TaskLaunch& task) = 0;
  // Asks a running task to stop; its outcome (Killed) arrives through `poll`. Unknown ids: no-op.
  virtual void kill(const std::string& taskId) = 0;
  // Outcomes since the last call, oldest first. Never blocks.
  virtual std::vector<TaskOutcome> poll() = 0;
  // Stops everything still running (server shutdown).
  virtual void shutdown() {}
};

// Without `--exec`: every launched task finishes successfully at the next poll.
class SimulatedExecutor final : public JobExecutor {
 public:
  Status launch(const TaskLaunch& task) override;
  void kill(const std::string& taskId) override;
  std::vector<TaskOutcome> poll() override;

 private:
  std::vector<TaskOutcome> pending_;
};

}  // namespace ceph_planner::chronos_sim
