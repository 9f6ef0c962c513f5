#include "sim/chronos/engine.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace ceph_planner::chronos_sim {
namespace {

constexpr int64_t kEarliestStartMillis = 1000;  // 1970-01-01T00:00:01Z
constexpr const char* kRequirement = "java.lang.IllegalArgumentException: requirement failed: ";

Error badRequest(const std::string& message) {
  return makeError(ErrorCode::InvalidInput, message);
}

std::string stripSemicolons(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ';'), s.end());
  return s;
}

bool isBlank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

std::vector<std::string> splitArguments(const std::string& s) {
  std::vector<std::string> out;
  std::string current;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

}  // namespace

bool isValidJobName(const std::string& name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '_' || c == '.' || c == '-';
  });
}

ChronosEngine::ChronosEngine(ClockPtr clock, std::unique_ptr<JobExecutor> executor,
                             EngineOptions options)
    : clock_(std::move(clock)), executor_(std::move(executor)), options_(options) {}

ChronosEngine::~ChronosEngine() {
  shutdown();
}

int64_t ChronosEngine::nowMillis() const {
  return clock_->now().time_since_epoch().count();
}

Status ChronosEngine::upsert(ChronosJob job, bool dependencyEndpoint) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = nowMillis();
  if ((dependencyEndpoint && !job.dependent) || (job.dependent && job.parents.empty())) {
    return makeError(ErrorCode::Internal, "java.lang.Exception: Error, parent does not exist");
  }
  bool exists = jobs_.count(job.name) > 0;
  if (!exists && !isValidJobName(job.name)) {
    return badRequest(std::string(kRequirement) +
                      "the job's name is invalid. Allowed names: '([\\w\\.-]+)'");
  }
  if (!job.dependent) {
    std::string text = job.hasSchedule ? job.scheduleText : "R1/" + formatUtc(now) + "/PT24H";
    auto schedule = parseSchedule(text, job.scheduleTimeZone, now);
    if (!schedule) return badRequest("Cannot parse schedule '" + text + "' (wtf bro)");
    if (!exists && schedule->startMillis < kEarliestStartMillis) {
      return badRequest("Scheduled start date '" +
                        formatInstant(schedule->startMillis, schedule->zone) + "' is before 1970!");
    }
    if (!exists && !job.uris.empty() && !job.fetch.empty()) {
      return badRequest("Tried to add both uri (deprecated) and fetch parameters on " + job.name);
    }
    job.schedule = *schedule;
    job.scheduleText = formatSchedule(job.schedule);
    return registerLocked(std::move(job), exists);
  }
  if (job.parents.count(job.name) > 0) {
    return badRequest(std::string(kRequirement) + "job '" + job.name +
                      "' cannot be its own parent");
  }
  for (const auto& parent : job.parents) {
    if (jobs_.count(parent) > 0) continue;
    if (exists) {
      return badRequest(std::string(kRequirement) + "parent job '" + parent + "' of '" + job.name +
                        "' not found");
    }
    // Chronos 3.x persists the job and answers 204, but keeps it out of the graph until every
    // parent exists (mesos/chronos#815).
    pending_[job.name] = std::move(job);
    return okStatus();
  }
  if (exists) {
    for (const auto& parent : job.parents) {
      if (reachableLocked(job.name, parent)) {
        return badRequest(std::string(kRequirement) + "making '" + parent + "' a parent of '" +
                          job.name + "' would create a cycle");
      }
    }
  }
  return registerLocked(std::move(job), exists);
}

Status ChronosEngine::registerLocked(ChronosJob job, bool exists) {
  const std::string name = job.name;
  // Incoming edges follow the new parents; edges kept keep their counts, new ones start at 0.
  for (auto it = edges_.begin(); it != edges_.end();) {
    if (it->first.second == name && job.parents.count(it->first.first) == 0) {
      it = edges_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& parent : job.parents) edges_.emplace(Edge{parent, name}, 0);
  if (!exists) order_.push_back(name);
  jobs_[name].job = std::move(job);
  pending_.erase(name);
  return okStatus();
}

Result<ChronosJob> ChronosEngine::get(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(name);
  if (it == jobs_.end())
    return badRequest(std::string(kRequirement) + "Job '" + name + "' not found");
  return it->second.job;
}

std::vector<ChronosJob> ChronosEngine::list() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ChronosJob> out;
  for (const auto& name : order_) out.push_back(jobs_.at(name).job);
  return out;
}

std::vector<std::string> ChronosEngine::pendingNames() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, job] : pending_) out.push_back(name);
  return out;
}

Status ChronosEngine::remove(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(name);
  if (it == jobs_.end()) {
    return badRequest(std::string(kRequirement) + "JobSchedule '" + name + "' not found");
  }
  const ChronosJob deleted = it->second.job;
  for (const auto& [taskId, task] : running_) {
    if (task.jobName == name) executor_->kill(taskId);
  }
  std::erase_if(queue_, [&name](const QueuedTask& t) { return t.jobName == name; });
  // Children: a dependent parent hands its own parents down; a scheduled parent's only-children
  // become scheduled jobs with its schedule; children with other parents just lose this one.
  for (const auto& child : childrenLocked(name)) {
    ChronosJob& c = jobs_.at(child).job;
    c.parents.erase(name);
    if (deleted.dependent) {
      for (const auto& p : deleted.parents) {
        c.parents.insert(p);
        edges_.emplace(Edge{p, child}, 0);
      }
    }
    if (c.parents.empty()) {
      c.dependent = false;
      c.hasSchedule = true;
      c.schedule = deleted.schedule;
      c.scheduleText = deleted.scheduleText;
      c.scheduleTimeZone = deleted.scheduleTimeZone;
    }
  }
  std::erase_if(edges_,
                [&name](const auto& e) { return e.first.first == name || e.first.second == name; });
  jobs_.erase(it);
  std::erase(order_, name);
  return okStatus();
}

Status ChronosEngine::run(const std::string& name, const std::string& arguments) {
  std::lock_guard<std::mutex> lock(mu_);
  if (jobs_.count(name) == 0) {
    return badRequest(std::string(kRequirement) + "Job '" + name + "' not found");
  }
  std::optional<std::string> args;
  if (!isBlank(arguments)) args = stripSemicolons(arguments);
  int64_t now = nowMillis();
  enqueueLocked(name, now, 0, args, now);
  return okStatus();
}

bool ChronosEngine::markSuccess(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(name);
  if (it == jobs_.end()) return false;
  recordSuccessLocked(it->second, nowMillis());
  fireChildrenLocked(name);
  return true;
}

Status ChronosEngine::killTasks(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  if (jobs_.count(name) == 0) {
    return badRequest(std::string(kRequirement) + "JobSchedule '" + name + "' not found");
  }
  std::erase_if(queue_, [&name](const QueuedTask& t) { return t.jobName == name; });
  for (const auto& [taskId, task] : running_) {
    if (task.jobName == name) executor_->kill(taskId);
  }
  return okStatus();
}

void ChronosEngine::enqueueLocked(const std::string& name, int64_t due, int64_t attempt,
                                  std::optional<std::string> arguments, int64_t notBefore) {
  QueuedTask t;
  t.taskId = "ct:" + std::to_string(due) + ":" + std::to_string(attempt) + ":" + name + ":" +
             arguments.value_or("");
  t.jobName = name;
  t.dueMillis = due;
  t.attempt = attempt;
  t.arguments = std::move(arguments);
  t.notBefore = notBefore;
  queue_.push_back(std::move(t));
}

bool ChronosEngine::hasQueuedLocked(const std::string& name) const {
  return std::any_of(queue_.begin(), queue_.end(),
                     [&name](const QueuedTask& t) { return t.jobName == name; });
}

void ChronosEngine::tick() {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = nowMillis();
  // Dependents whose parents have all appeared join the graph.
  for (auto it = pending_.begin(); it != pending_.end();) {
    bool ready = std::all_of(it->second.parents.begin(), it->second.parents.end(),
                             [this](const std::string& p) { return jobs_.count(p) > 0; });
    if (ready && jobs_.count(it->first) == 0) {
      ChronosJob job = std::move(it->second);
      it = pending_.erase(it);
      (void)registerLocked(std::move(job), false);
    } else {
      ++it;
    }
  }
  for (const auto& name : order_) {
    const ChronosJob& job = jobs_.at(name).job;
    if (job.dependent || job.disabled || job.schedule.repetitions == 0) continue;
    if (job.schedule.startMillis > now || hasQueuedLocked(name)) continue;
    enqueueLocked(name, job.schedule.startMillis, 0, std::nullopt, now);
  }
  enforceMaxCompletionTimeLocked(now);
  // A simulated task finishes at the next poll, so a chain of dependents completes in one tick;
  // the bound keeps a pathological graph from spinning here.
  for (int round = 0; round < 1000; ++round) {
    bool progress = launchQueuedLocked(now);
    for (const auto& outcome : executor_->poll()) {
      handleOutcomeLocked(outcome, now);
      progress = true;
    }
    if (!progress) break;
  }
}

void ChronosEngine::enforceMaxCompletionTimeLocked(int64_t now) {
  for (auto& [taskId, task] : running_) {
    auto it = jobs_.find(task.jobName);
    if (it == jobs_.end() || task.timedOut) continue;
    int64_t limit = it->second.job.maxCompletionTime;
    if (limit > 0 && now - task.startMillis >= limit * 1000) {
      task.timedOut = true;
      executor_->kill(taskId);
    }
  }
}

bool ChronosEngine::launchQueuedLocked(int64_t now) {
  bool launched = false;
  std::deque<QueuedTask> waiting;
  while (!queue_.empty()) {
    QueuedTask task = std::move(queue_.front());
    queue_.pop_front();
    auto it = jobs_.find(task.jobName);
    if (it == jobs_.end()) continue;
    if (task.notBefore > now || (!it->second.job.concurrent && it->second.running > 0)) {
      waiting.push_back(std::move(task));
      continue;
    }
    launchLocked(task, now);
    launched = true;
  }
  queue_ = std::move(waiting);
  return launched;
}

void ChronosEngine::launchLocked(const QueuedTask& task, int64_t now) {
  JobState& state = jobs_.at(task.jobName);
  ChronosJob& job = state.job;
  // Chronos `handleLaunchedTask`: move the start past now and count a repetition down. Its
  // `skipForward` quirk turns an exhausted `R0` into `R` (only reachable by a manual run).
  if (!job.dependent && task.attempt == 0) {
    if (job.schedule.repetitions > 0) {
      --job.schedule.repetitions;
    } else if (job.schedule.repetitions == 0) {
      job.schedule.repetitions = -1;
    }
    job.schedule = skipForward(job.schedule, now);
    job.scheduleText = formatSchedule(job.schedule);
  }
  // Chronos `handleStartedTask`: the child's dependency counts start over.
  for (auto& [edge, count] : edges_) {
    if (edge.second == task.jobName) count = 0;
  }
  history_.push_back({task.taskId, task.jobName, task.attempt, now, 0, "running"});
  if (history_.size() > kMaxHistory) {
    history_.pop_front();
    ++historyBase_;
  }
  running_[task.taskId] = {
      task.jobName, task.attempt, task.arguments, historyBase_ + history_.size() - 1, now, false};
  ++state.running;

  TaskLaunch launch;
  launch.taskId = task.taskId;
  launch.jobName = job.name;
  launch.command = job.command;
  launch.shell = job.shell;
  launch.arguments = task.arguments ? splitArguments(*task.arguments) : job.arguments;
  launch.env = job.environmentVariables;
  launch.env.emplace_back("CHRONOS_JOB_NAME", job.name);
  launch.env.emplace_back("CHRONOS_JOB_OWNER", job.owner);
  launch.env.emplace_back("CHRONOS_RESOURCE_CPU", std::to_string(job.cpus));
  launch.env.emplace_back("CHRONOS_RESOURCE_MEM", std::to_string(job.mem));
  launch.env.emplace_back("CHRONOS_RESOURCE_DISK", std::to_string(job.disk));
  launch.env.emplace_back("mesos_task_id", task.taskId);
  Status started = executor_->launch(launch);
  if (!started) {
    handleOutcomeLocked({task.taskId, TaskOutcome::Kind::Failed, started.error().message}, now);
  }
}

void ChronosEngine::recordSuccessLocked(JobState& state, int64_t now) {
  state.job.successCount += 1;
  state.job.errorsSinceLastSuccess = 0;
  state.job.lastSuccess = formatUtc(now);
  state.lastOutcome = "success";
}

void ChronosEngine::handleOutcomeLocked(const TaskOutcome& outcome, int64_t now) {
  auto rit = running_.find(outcome.taskId);
  if (rit == running_.end()) return;
  RunningTask task = std::move(rit->second);
  running_.erase(rit);
  TaskOutcome::Kind kind = outcome.kind;
  if (kind == TaskOutcome::Kind::Killed && task.timedOut) kind = TaskOutcome::Kind::Failed;
  if (task.historyIndex >= historyBase_) {
    TaskRecord& record = history_[task.historyIndex - historyBase_];
    record.endMillis = now;
    record.status = kind == TaskOutcome::Kind::Finished ? "finished"
                    : kind == TaskOutcome::Kind::Failed ? "failed"
                                                        : "killed";
  }
  auto it = jobs_.find(task.jobName);
  if (it == jobs_.end()) return;  // Deleted while running.
  JobState& state = it->second;
  ChronosJob& job = state.job;
  state.running = std::max(0, state.running - 1);
  switch (kind) {
    case TaskOutcome::Kind::Killed:
      return;  // Not an error in Chronos 3.x: no counters, no retry, no children.
    case TaskOutcome::Kind::Finished:
      recordSuccessLocked(state, now);
      if (!job.dependent && job.schedule.repetitions == 0) job.disabled = true;
      fireChildrenLocked(job.name);
      return;
    case TaskOutcome::Kind::Failed:
      break;
  }
  // Chronos `handleFailedTask`: retry only while the job has not failed since its last success.
  bool mayRetry = job.lastError.empty() || job.lastSuccess >= job.lastError;
  if (task.attempt < job.retries && mayRetry) {
    int64_t due = now + options_.failureRetryMillis;
    enqueueLocked(job.name, due, task.attempt + 1, task.arguments, due);
    return;
  }
  job.errorCount += 1;
  job.errorsSinceLastSuccess += 1;
  job.lastError = formatUtc(now);
  state.lastOutcome = "failure";
  if (options_.disableAfterFailures > 0 &&
      job.errorsSinceLastSuccess >= options_.disableAfterFailures) {
    job.disabled = true;
  }
  if (job.softError) fireChildrenLocked(job.name);
}

std::vector<std::string> ChronosEngine::childrenLocked(const std::string& parent) const {
  std::vector<std::string> out;
  for (auto it = edges_.lower_bound(Edge{parent, ""});
       it != edges_.end() && it->first.first == parent; ++it) {
    out.push_back(it->first.second);
  }
  return out;
}

void ChronosEngine::fireChildrenLocked(const std::string& parent) {
  // Chronos `getExecutableChildren`: count the completion on each edge; a child runs when the
  // completing edge's count equals the smallest count over all its parents' edges, i.e. once
  // every parent has completed since the child last started.
  int64_t now = nowMillis();
  for (const auto& child : childrenLocked(parent)) {
    int64_t& count = edges_.at(Edge{parent, child});
    ++count;
    const JobState& state = jobs_.at(child);
    if (state.job.disabled) continue;
    int64_t least = std::numeric_limits<int64_t>::max();
    for (const auto& p : state.job.parents) {
      auto e = edges_.find(Edge{p, child});
      least = std::min(least, e == edges_.end() ? 0 : e->second);
    }
    if (count == least && !hasQueuedLocked(child)) enqueueLocked(child, now, 0, std::nullopt, now);
  }
}

bool ChronosEngine::reachableLocked(const std::string& from, const std::string& to) const {
  std::vector<std::string> stack{from};
  std::set<std::string> seen;
  while (!stack.empty()) {
    std::string node = stack.back();
    stack.pop_back();
    if (node == to) return true;
    if (!seen.insert(node).second) continue;
    for (auto& child : childrenLocked(node)) stack.push_back(child);
  }
  return false;
}

std::string ChronosEngine::stateTextLocked(const std::string& name) const {
  const JobState& state = jobs_.at(name);
  if (state.running > 0) return std::to_string(state.running) + " running";
  if (hasQueuedLocked(name)) return "queued";
  return "idle";
}

std::vector<JobSummary> ChronosEngine::summaries() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<JobSummary> out;
  for (const auto& name : order_) {
    const JobState& state = jobs_.at(name);
    JobSummary s;
    s.name = name;
    s.status = state.lastOutcome;
    s.state = stateTextLocked(name);
    s.schedule = state.job.dependent ? "" : state.job.scheduleText;
    s.parents.assign(state.job.parents.begin(), state.job.parents.end());
    s.disabled = state.job.disabled;
    out.push_back(std::move(s));
  }
  return out;
}

std::string ChronosEngine::graphCsv() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& name : order_) {
    out += "node," + name + "," + jobs_.at(name).lastOutcome + "," + stateTextLocked(name) + "\n";
  }
  for (const auto& [edge, count] : edges_) {
    out += "link," + edge.first + "," + edge.second + "\n";
  }
  return out;
}

std::string ChronosEngine::graphDot() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out = "digraph G {\n  node [style=filled];\n";
  for (const auto& name : order_) {
    const std::string& outcome = jobs_.at(name).lastOutcome;
    std::string color = outcome == "success" ? "green" : outcome == "failure" ? "red" : "lightgrey";
    out += "  \"" + name + "\" [fillcolor=\"" + color + "\"];\n";
  }
  for (const auto& [edge, count] : edges_) {
    out += "  \"" + edge.first + "\" -> \"" + edge.second + "\";\n";
  }
  return out + "}\n";
}

std::vector<TaskRecord> ChronosEngine::history() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {history_.begin(), history_.end()};
}

void ChronosEngine::shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  if (executor_) executor_->shutdown();
}

}  // namespace ceph_planner::chronos_sim
