#include "sim/chronos/exec_executor.h"

#include <cctype>

namespace ceph_planner::chronos_sim {
namespace {

// Task ids contain ':'; keep sandbox names to a portable alphabet.
std::string pathSafe(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out;
}

}  // namespace

ExecExecutor::ExecExecutor(std::string sandboxRoot) : sandboxRoot_(std::move(sandboxRoot)) {}

ExecExecutor::~ExecExecutor() {
  shutdown();
}

Status ExecExecutor::launch(const TaskLaunch& task) {
  sim::LaunchSpec spec;
  spec.id = task.taskId;
  spec.sandboxDir = sandboxRoot_ + "/" + pathSafe(task.jobName) + "/" + pathSafe(task.taskId);
  if (task.shell) {
    spec.shellCommand = task.command;
  } else {
    spec.argv.push_back(task.command);
    spec.argv.insert(spec.argv.end(), task.arguments.begin(), task.arguments.end());
  }
  for (const auto& [name, value] : task.env) spec.env[name] = value;
  spec.env["MESOS_SANDBOX"] = spec.sandboxDir;
  spec.bindAddress = "127.0.0.1";
  auto launched = runner_.launch(spec);
  if (!launched) return launched.error().withContext("task '" + task.taskId + "'");
  return okStatus();
}

void ExecExecutor::kill(const std::string& taskId) {
  (void)runner_.kill(taskId, kKillGrace);  // NotFound: already gone, its exit is queued.
}

std::vector<TaskOutcome> ExecExecutor::poll() {
  std::vector<TaskOutcome> out;
  for (const auto& exit : runner_.poll()) {
    TaskOutcome o;
    o.taskId = exit.id;
    o.kind = exit.killRequested ? TaskOutcome::Kind::Killed
             : exit.succeeded() ? TaskOutcome::Kind::Finished
                                : TaskOutcome::Kind::Failed;
    o.message = exit.describe();
    out.push_back(std::move(o));
    runner_.forget(exit.id);
  }
  return out;
}

void ExecExecutor::shutdown() {
  runner_.shutdown(kKillGrace);
}

}  // namespace ceph_planner::chronos_sim
