#pragma once

// The Chronos scheduler core: the job registry and dependency graph, the task queue, the main loop
// (`tick`) that launches due jobs through a `JobExecutor`, and the bookkeeping Chronos does when a
// task starts, finishes or fails (schedule rewriting, counters, retries, firing children).
//
// Thread-safe: one mutex guards everything; the executor is only called with it held. Time comes
// from the injected clock, so unit tests step it by hand and the server scales it (`--time-scale`).
// Errors carry Chronos's own message text; `ErrorCode::InvalidInput` means HTTP 400 and
// `ErrorCode::Internal` means HTTP 500 (see api.cpp).

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "sim/chronos/job.h"
#include "sim/chronos/job_executor.h"

namespace ceph_planner::chronos_sim {

struct EngineOptions {
  int64_t failureRetryMillis = 60000;  // Chronos `--failure_retry`.
  int64_t disableAfterFailures = 0;    // Chronos `--disable_after_failures`; 0 = never.
};

// One task the engine launched (for `/sim/runs` and the stat endpoint).
struct TaskRecord {
  std::string taskId;
  std::string jobName;
  int64_t attempt = 0;
  int64_t startMillis = 0;
  int64_t endMillis = 0;  // 0 while running.
  std::string status;     // running, finished, failed, killed.
};

struct JobSummary {
  std::string name;
  std::string status;  // success, failure, fresh (last outcome).
  std::string state;   // idle, queued, "<n> running".
  std::string schedule;
  std::vector<std::string> parents;
  bool disabled = false;
};

class ChronosEngine {
 public:
  ChronosEngine(ClockPtr clock, std::unique_ptr<JobExecutor> executor, EngineOptions options = {});
  ~ChronosEngine();

  // POST /iso8601 and /dependency: create or replace by name (API.md §2, §6, §7).
  // `dependencyEndpoint`: the request came to /dependency (a body without parents is then a 500).
  Status upsert(ChronosJob job, bool dependencyEndpoint);
  Result<ChronosJob> get(const std::string& name) const;
  std::vector<ChronosJob> list() const;  // Registration order.
  Status remove(const std::string& name);
  // Manual run; a non-blank `arguments` replaces the job's arguments for this one run.
  Status run(const std::string& name, const std::string& arguments);
  // PUT /job/success/{name}: records a success and fires the children; false for an unknown job.
  bool markSuccess(const std::string& name);
  Status killTasks(const std::string& name);

  std::vector<JobSummary> summaries() const;
  std::string graphCsv() const;
  std::string graphDot() const;
  std::vector<TaskRecord> history() const;  // Oldest first.
  // Dependent jobs accepted (204) whose parents do not all exist; invisible until they do.
  std::vector<std::string> pendingNames() const;

  // One pass of the main loop: register pending dependents, enqueue due scheduled jobs, launch
  // queued tasks, collect outcomes (repeating launch/collect while that makes progress, so a
  // simulated chain completes within one tick).
  void tick();
  // Kills everything still running through the executor.
  void shutdown();

  int64_t nowMillis() const;

 private:
  struct JobState {
    ChronosJob job;
    std::string lastOutcome = "fresh";
    int running = 0;
  };
  struct QueuedTask {
    std::string taskId;
    std::string jobName;
    int64_t dueMillis = 0;
    int64_t attempt = 0;
    std::optional<std::string> arguments;
    int64_t notBefore = 0;
  };
  struct RunningTask {
    std::string jobName;
    int64_t attempt = 0;
    std::optional<std::string> arguments;
    size_t historyIndex = 0;
    int64_t startMillis = 0;
    bool timedOut = false;  // Killed for exceeding maxCompletionTime: reported as a failure.
  };
  using Edge = std::pair<std::string, std::string>;  // parent, child

  Status registerLocked(ChronosJob job, bool exists);
  void enqueueLocked(const std::string& name, int64_t due, int64_t attempt,
                     std::optional<std::string> arguments, int64_t notBefore);
  bool hasQueuedLocked(const std::string& name) const;
  bool launchQueuedLocked(int64_t now);
  void enforceMaxCompletionTimeLocked(int64_t now);
  void launchLocked(const QueuedTask& task, int64_t now);
  void handleOutcomeLocked(const TaskOutcome& outcome, int64_t now);
  void recordSuccessLocked(JobState& state, int64_t now);
  void fireChildrenLocked(const std::string& parent);
  std::vector<std::string> childrenLocked(const std::string& parent) const;
  bool reachableLocked(const std::string& from, const std::string& to) const;
  std::string stateTextLocked(const std::string& name) const;

  ClockPtr clock_;
  std::unique_ptr<JobExecutor> executor_;
  EngineOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, JobState> jobs_;
  std::vector<std::string> order_;
  std::map<std::string, ChronosJob> pending_;
  std::map<Edge, int64_t> edges_;  // Completions of parent since the child last started.
  std::deque<QueuedTask> queue_;
  std::map<std::string, RunningTask> running_;
  std::deque<TaskRecord> history_;  // The last kMaxHistory tasks.
  size_t historyBase_ = 0;          // Absolute index of history_.front().
  static constexpr size_t kMaxHistory = 10000;
};

// `[A-Za-z0-9_.-]+` (Chronos 3.x `JobUtils.isValidJobName`).
bool isValidJobName(const std::string& name);

}  // namespace ceph_planner::chronos_sim
