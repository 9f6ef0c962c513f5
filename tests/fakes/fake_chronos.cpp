#include "tests/fakes/fake_chronos.h"

#include <algorithm>
#include <set>

#include "chronos_client/chronos_errors.h"
#include "common/strings.h"
#include "planner/jobs.h"

namespace ceph_planner::chronos {
namespace {

Error chronosError(int status, const std::string& message, const std::string& context) {
  return errorFromChronosResponse(status, chronosErrorBody(status, message)).withContext(context);
}

Error notFound(const std::string& what, const std::string& name, const std::string& context) {
  return chronosError(400,
                      "java.lang.IllegalArgumentException: requirement failed: " + what + " '" +
                          name + "' not found",
                      context);
}

// Chronos stores what it was given after its deserializer's defaults.
planner::JobSpec normalised(planner::JobSpec job) {
  if (job.cpus == 0) job.cpus = 0.1;
  if (job.mem == 0) job.mem = 128;
  if (job.disk == 0) job.disk = 256;
  std::set<std::string> parents(job.parents.begin(), job.parents.end());
  job.parents.assign(parents.begin(), parents.end());
  if (!job.isDependent()) {
    auto parts = planner::parseSchedule(job.schedule);
    if (parts) {
      job.schedule = (parts->forever ? "R" : "R" + std::to_string(parts->repetitions)) + "/" +
                     parts->start + "/" + parts->period;
    }
  } else {
    job.schedule.clear();
    job.scheduleTimeZone.clear();
  }
  return job;
}

}  // namespace

std::optional<Error> FakeChronos::takeFailure() {
  std::optional<Error> e;
  e.swap(failNext_);
  return e;
}

std::map<std::string, planner::JobSpec>::iterator FakeChronos::findLocked(const std::string& name) {
  return jobs_.find(name);
}

void FakeChronos::promotePendingLocked() {
  bool moved = true;
  while (moved) {
    moved = false;
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      bool ready = std::all_of(it->second.parents.begin(), it->second.parents.end(),
                               [&](const std::string& p) { return jobs_.count(p) > 0; });
      if (!ready) continue;
      order_.push_back(it->first);
      jobs_[it->first] = std::move(it->second);
      pending_.erase(it);
      moved = true;
      break;
    }
  }
}

Result<std::vector<planner::JobSpec>> FakeChronos::listJobs() {
  std::lock_guard lock(mu_);
  if (auto e = takeFailure()) return e->withContext("cannot list chronos jobs");
  std::vector<planner::JobSpec> out;
  for (const auto& name : order_) out.push_back(jobs_.at(name));
  return out;
}

Result<planner::JobSpec> FakeChronos::getJob(const std::string& name) {
  std::lock_guard lock(mu_);
  const std::string context = "cannot get chronos job " + ceph_planner::quoted(name);
  if (auto e = takeFailure()) return e->withContext(context);
  auto it = findLocked(name);
  if (it == jobs_.end()) return notFound("Job", name, context);
  return it->second;
}

Status FakeChronos::putJob(const planner::JobSpec& job) {
  if (auto ok = checkJobForPut(job); !ok) return ok;
  std::lock_guard lock(mu_);
  const std::string context = "cannot put chronos job " + ceph_planner::quoted(job.name);
  ++writes_;
  if (auto e = takeFailure()) return e->withContext(context);
  if (!job.isDependent() && !planner::parseSchedule(job.schedule)) {
    return chronosError(400, "Cannot parse schedule '" + job.schedule + "' (wtf bro)", context);
  }
  planner::JobSpec stored = normalised(job);
  const bool exists = jobs_.count(job.name) > 0;
  if (stored.isDependent()) {
    for (const auto& p : stored.parents) {
      if (p == stored.name) {
        return chronosError(400, "a job cannot be its own parent: '" + p + "'", context);
      }
      if (jobs_.count(p) == 0) {
        if (exists) {
          return chronosError(400,
                              "java.lang.IllegalArgumentException: requirement failed: parent '" +
                                  p + "' of job '" + job.name + "' does not exist",
                              context);
        }
        // Chronos 3.x: 204, persisted, but kept out of the graph until its parents exist.
        pending_[stored.name] = std::move(stored);
        return okStatus();
      }
    }
  }
  if (!exists) order_.push_back(stored.name);
  jobs_[stored.name] = std::move(stored);
  promotePendingLocked();
  return okStatus();
}

Status FakeChronos::deleteJob(const std::string& name) {
  std::lock_guard lock(mu_);
  const std::string context = "cannot delete chronos job " + ceph_planner::quoted(name);
  ++writes_;
  if (auto e = takeFailure()) return e->withContext(context);
  auto it = findLocked(name);
  if (it == jobs_.end()) return notFound("JobSchedule", name, context);
  planner::JobSpec gone = std::move(it->second);
  jobs_.erase(it);
  order_.erase(std::find(order_.begin(), order_.end(), name));
  for (auto& [childName, child] : jobs_) {
    auto p = std::find(child.parents.begin(), child.parents.end(), name);
    if (p == child.parents.end()) continue;
    child.parents.erase(p);
    if (child.parents.size() > 0) continue;
    if (gone.isDependent()) {
      child.parents = gone.parents;  // Inherits the deleted parent's parents.
    } else {
      child.schedule = gone.schedule;  // Becomes a scheduled job.
      child.scheduleTimeZone = gone.scheduleTimeZone;
    }
  }
  return okStatus();
}

Status FakeChronos::runJob(const std::string& name) {
  std::lock_guard lock(mu_);
  const std::string context = "cannot run chronos job " + ceph_planner::quoted(name);
  ++writes_;
  if (auto e = takeFailure()) return e->withContext(context);
  auto it = findLocked(name);
  if (it == jobs_.end()) return notFound("Job", name, context);
  // Without an executor every run succeeds at once (like chronos-sim without --exec).
  ++it->second.successCount;
  it->second.errorsSinceLastSuccess = 0;
  it->second.lastSuccess = "1970-01-01T00:00:01.000Z";
  return okStatus();
}

Result<std::string> FakeChronos::leader() {
  std::lock_guard lock(mu_);
  if (auto e = takeFailure()) return e->withContext("cannot get the chronos leader");
  return std::string("fake-chronos:4400");
}

void FakeChronos::seedJob(const planner::JobSpec& job) {
  std::lock_guard lock(mu_);
  if (jobs_.count(job.name) == 0) order_.push_back(job.name);
  jobs_[job.name] = normalised(job);
}

bool FakeChronos::simulateRun(const std::string& name, bool success, const std::string& when,
                              const std::string& nextStart) {
  std::lock_guard lock(mu_);
  auto it = findLocked(name);
  if (it == jobs_.end()) return false;
  planner::JobSpec& job = it->second;
  if (success) {
    ++job.successCount;
    job.errorsSinceLastSuccess = 0;
    job.lastSuccess = when;
  } else {
    ++job.errorCount;
    ++job.errorsSinceLastSuccess;
    job.lastError = when;
  }
  if (auto parts = planner::parseSchedule(job.schedule); parts && !job.isDependent()) {
    long long left = parts->forever ? -1 : std::max(0LL, parts->repetitions - 1);
    job.schedule =
        (left < 0 ? "R" : "R" + std::to_string(left)) + "/" + nextStart + "/" + parts->period;
  }
  return true;
}

void FakeChronos::failNext(Error error) {
  std::lock_guard lock(mu_);
  failNext_ = std::move(error);
}

int FakeChronos::writeCount() const {
  std::lock_guard lock(mu_);
  return writes_;
}

std::vector<std::string> FakeChronos::pendingJobs() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, job] : pending_) out.push_back(name);
  return out;
}

}  // namespace ceph_planner::chronos
