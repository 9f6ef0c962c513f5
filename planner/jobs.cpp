#include "planner/jobs.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "common/strings.h"

namespace ceph_planner::planner {
namespace {

constexpr double kJobCpus = 0.1;
constexpr double kJobMem = 256;
constexpr double kJobDisk = 128;
// One retry: a maintenance step is bounded and safe to repeat, but a persistent failure should
// show in `errorCount` quickly rather than be retried for minutes.
constexpr int kJobRetries = 1;

// Chronos 3.x job names: `[A-Za-z0-9_.-]+`. Other characters (never in valid host names, but
// topology host names are not checked against Chronos's rules) become `_`.
std::string nameSegment(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) c = '_';
  }
  return out;
}

std::string commandLine(const std::vector<std::string>& words) {
  std::vector<std::string> quotedWords;
  quotedWords.reserve(words.size());
  for (const auto& w : words) quotedWords.push_back(shellQuote(w));
  return joinStrings(quotedWords, " ");
}

JobSpec baseJob(const topology::Topology& t, const std::string& what) {
  JobSpec job;
  job.name = jobPrefix(t.cluster.name) + what;
  job.ownerName = jobOwnerName(t.cluster.name);
  job.description = "ceph-planner maintenance job '" + what + "' of cluster '" + t.cluster.name +
                    "'; managed by ceph-planner apply, edits are overwritten";
  job.cpus = kJobCpus;
  job.mem = kJobMem;
  job.disk = kJobDisk;
  job.retries = kJobRetries;
  return job;
}

void setSchedule(JobSpec& job, const topology::MaintenanceJob& m) {
  job.schedule = m.schedule;
  job.scheduleTimeZone = m.timezone;
}

bool parseNumber(std::string_view text, long long* out) {
  if (text.empty() || text.size() > 15) return false;
  long long v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// `PnYnMnWnDTnHnMnS` → canonical text (zero fields dropped); "" when unparsable. Seconds may have
// a fraction, kept as written (without trailing zeros).
std::string canonicalPeriod(std::string_view p) {
  if (p.size() < 2 || p[0] != 'P') return "";
  std::string date;
  std::string time;
  bool inTime = false;
  size_t i = 1;
  const std::string dateUnits = "YMWD";
  const std::string timeUnits = "HMS";
  size_t lastDate = 0;
  size_t lastTime = 0;
  bool any = false;
  while (i < p.size()) {
    if (p[i] == 'T') {
      if (inTime) return "";
      inTime = true;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < p.size() && ((p[j] >= '0' && p[j] <= '9') || p[j] == '.')) ++j;
    if (j == i || j >= p.size()) return "";
    std::string number(p.substr(i, j - i));
    char unit = p[j];
    const std::string& units = inTime ? timeUnits : dateUnits;
    size_t& last = inTime ? lastTime : lastDate;
    size_t pos = units.find(unit);
    if (pos == std::string::npos || pos + 1 <= last) return "";
    last = pos + 1;
    if (number.find('.') != std::string::npos) {
      if (!(inTime && unit == 'S')) return "";
      while (number.back() == '0') number.pop_back();
      if (number.back() == '.') number.pop_back();
    }
    while (number.size() > 1 && number[0] == '0' && number[1] != '.') number.erase(0, 1);
    any = true;
    if (number != "0" && !number.empty()) (inTime ? time : date) += number + unit;
    i = j + 1;
  }
  if (!any) return "";
  std::string out = "P" + date;
  if (!time.empty()) out += "T" + time;
  if (out == "P") out = "PT0S";
  return out;
}

std::string formatNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", v);
  return buffer;
}

std::string formatList(std::vector<std::string> items, bool sorted) {
  if (sorted) std::sort(items.begin(), items.end());
  return "[" + joinStrings(items, ", ") + "]";
}

std::string formatConstraints(const std::vector<std::vector<std::string>>& constraints) {
  std::vector<std::string> parts;
  for (const auto& c : constraints) parts.push_back(formatList(c, false));
  return formatList(parts, true);
}

std::string formatEnv(const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : env) parts.push_back(k + "=" + v);
  return formatList(parts, true);
}

std::string formatContainer(const std::optional<JobContainer>& c) {
  if (!c) return "";
  std::string out = c->type + " " + c->image + " network=" + c->network;
  for (const auto& v : c->volumes) {
    out += " " + v.hostPath + ":" + v.containerPath + ":" + v.mode;
  }
  if (c->forcePullImage) out += " forcePullImage";
  return out;
}

// Chronos replaces 0 cpus/mem/disk by its defaults (`--mesos_task_*`).
double orDefault(double v, double fallback) {
  return v == 0 ? fallback : v;
}

void add(std::vector<JobFieldChange>& out, const std::string& field, const std::string& before,
         const std::string& after) {
  if (before != after) out.push_back({field, before, after});
}

// Kahn's algorithm over the desired jobs; ties (and cycles, which validation rules out) by name.
std::vector<const JobSpec*> dependencyOrder(const std::vector<JobSpec>& jobs) {
  std::map<std::string, const JobSpec*> byName;
  for (const auto& j : jobs) byName[j.name] = &j;
  std::map<std::string, int> pending;
  std::map<std::string, std::vector<std::string>> children;
  for (const auto& [name, job] : byName) {
    int n = 0;
    for (const auto& p : std::set<std::string>(job->parents.begin(), job->parents.end())) {
      if (byName.count(p)) {
        ++n;
        children[p].push_back(name);
      }
    }
    pending[name] = n;
  }
  std::set<std::string> ready;
  for (const auto& [name, n] : pending) {
    if (n == 0) ready.insert(name);
  }
  std::set<std::string> done;
  std::vector<const JobSpec*> order;
  while (order.size() < byName.size()) {
    if (ready.empty()) {  // A cycle: take the first remaining job by name so nothing is lost.
      for (const auto& [name, job] : byName) {
        if (!done.count(name)) {
          ready.insert(name);
          break;
        }
      }
    }
    std::string next = *ready.begin();
    ready.erase(ready.begin());
    if (!done.insert(next).second) continue;
    order.push_back(byName[next]);
    for (const auto& c : children[next]) {
      if (!done.count(c) && --pending[c] == 0) ready.insert(c);
    }
  }
  return order;
}

}  // namespace

std::string_view jobActionKindName(JobActionKind kind) {
  switch (kind) {
    case JobActionKind::Create:
      return "create";
    case JobActionKind::Update:
      return "update";
    case JobActionKind::Delete:
      return "delete";
    case JobActionKind::Unchanged:
      break;
  }
  return "unchanged";
}

std::string jobPrefix(std::string_view cluster) {
  return "ceph-planner-" + std::string(cluster) + "-";
}

std::string jobOwnerName(std::string_view cluster) {
  return "ceph-planner/" + std::string(cluster);
}

std::string shellQuote(std::string_view word) {
  if (word.empty()) return "''";
  bool safe = std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_-./:=,@%+").find(c) != std::string_view::npos;
  });
  if (safe) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

Result<ScheduleParts> parseSchedule(std::string_view schedule) {
  auto bad = [&] {
    return makeError(ErrorCode::InvalidInput, "cannot parse schedule " +
                                                  ceph_planner::quoted(schedule) +
                                                  " (expected R[n]/start/period)");
  };
  auto first = schedule.find('/');
  if (first == std::string_view::npos) return bad();
  auto last = schedule.rfind('/');
  if (last == first) return bad();
  std::string_view reps = schedule.substr(0, first);
  if (reps.empty() || reps[0] != 'R') return bad();
  ScheduleParts parts;
  if (reps.size() > 1) {
    if (!parseNumber(reps.substr(1), &parts.repetitions)) return bad();
    parts.forever = false;
  }
  parts.start = std::string(schedule.substr(first + 1, last - first - 1));
  parts.period = canonicalPeriod(schedule.substr(last + 1));
  if (parts.period.empty()) return bad();
  return parts;
}

Result<std::vector<JobSpec>> renderJobs(const topology::Topology& t,
                                        const JobRenderOptions& options) {
  std::vector<JobSpec> jobs;
  // Topology job name → the Chronos names it stands for (as a parent).
  std::map<std::string, std::vector<std::string>> chronosNames;
  const std::string& cluster = t.cluster.name;
  for (const auto& m : t.maintenance) {
    if (m.name == "balancer") {
      JobSpec job = baseJob(t, "rebalance");
      std::vector<std::string> words = {options.plannerBinary, "rebalance", "--cluster", cluster};
      words.insert(words.end(), options.connectionArgs.begin(), options.connectionArgs.end());
      job.command = commandLine(words);
      setSchedule(job, m);
      chronosNames[m.name].push_back(job.name);
      jobs.push_back(std::move(job));
    } else if (m.name == "inventory") {
      for (const auto& host : t.hosts) {
        JobSpec job = baseJob(t, "inventory-" + nameSegment(host.name));
        std::vector<std::string> words = {
            options.plannerBinary, "inventory", "--cluster", cluster, "--host", host.name};
        words.insert(words.end(), options.connectionArgs.begin(), options.connectionArgs.end());
        job.command = commandLine(words);
        job.constraints = {{"hostname", "EQUALS", host.name}};
        setSchedule(job, m);
        chronosNames[m.name].push_back(job.name);
        jobs.push_back(std::move(job));
      }
    } else {
      JobSpec job = baseJob(t, nameSegment(m.name));
      job.command = m.command;
      setSchedule(job, m);
      chronosNames[m.name].push_back(job.name);
      jobs.push_back(std::move(job));
    }
  }
  // Parents refer to topology names; resolve them once every job is known.
  size_t index = 0;
  for (const auto& m : t.maintenance) {
    size_t count = chronosNames[m.name].size();
    for (size_t k = 0; k < count; ++k, ++index) {
      JobSpec& job = jobs[index];
      for (const auto& parent : m.parents) {
        auto it = chronosNames.find(parent);
        if (it == chronosNames.end() || it->second.empty()) {
          return makeError(ErrorCode::InvalidInput,
                           "maintenance job " + ceph_planner::quoted(m.name) + ": unknown parent " +
                               ceph_planner::quoted(parent));
        }
        job.parents.insert(job.parents.end(), it->second.begin(), it->second.end());
      }
      std::sort(job.parents.begin(), job.parents.end());
      job.parents.erase(std::unique(job.parents.begin(), job.parents.end()), job.parents.end());
      if (!job.parents.empty()) {
        job.schedule.clear();
        job.scheduleTimeZone.clear();
      } else if (auto parsed = parseSchedule(job.schedule); !parsed) {
        return parsed.error().withContext("maintenance job " + ceph_planner::quoted(m.name));
      }
    }
  }
  std::set<std::string> seen;
  for (const auto& job : jobs) {
    if (!seen.insert(job.name).second) {
      return makeError(ErrorCode::InvalidInput, "two maintenance jobs map to the chronos job " +
                                                    ceph_planner::quoted(job.name) +
                                                    "; rename the user job");
    }
  }
  return jobs;
}

std::vector<JobFieldChange> compareJobs(const JobSpec& desired, const JobSpec& observed) {
  std::vector<JobFieldChange> out;
  add(out, "command", observed.command, desired.command);
  add(out, "shell", observed.shell ? "true" : "false", desired.shell ? "true" : "false");
  if (desired.isDependent() != observed.isDependent()) {
    add(out, "schedule", observed.schedule, desired.schedule);
  } else if (!desired.isDependent()) {
    auto want = parseSchedule(desired.schedule);
    auto have = parseSchedule(observed.schedule);
    if (!want || !have) {
      add(out, "schedule", observed.schedule, desired.schedule);
    } else {
      add(out, "schedule.repetitions", have->forever ? "R (forever)" : "Rn (finite)",
          want->forever ? "R (forever)" : "Rn (finite)");
      add(out, "schedule.period", have->period, want->period);
      add(out, "scheduleTimeZone", observed.scheduleTimeZone, desired.scheduleTimeZone);
    }
  }
  add(out, "parents", formatList(observed.parents, true), formatList(desired.parents, true));
  add(out, "cpus", formatNumber(orDefault(observed.cpus, 0.1)),
      formatNumber(orDefault(desired.cpus, 0.1)));
  add(out, "mem", formatNumber(orDefault(observed.mem, 128)),
      formatNumber(orDefault(desired.mem, 128)));
  add(out, "disk", formatNumber(orDefault(observed.disk, 256)),
      formatNumber(orDefault(desired.disk, 256)));
  add(out, "retries", std::to_string(observed.retries), std::to_string(desired.retries));
  add(out, "constraints", formatConstraints(observed.constraints),
      formatConstraints(desired.constraints));
  add(out, "environmentVariables", formatEnv(observed.environmentVariables),
      formatEnv(desired.environmentVariables));
  add(out, "container", formatContainer(observed.container), formatContainer(desired.container));
  return out;
}

JobsWave diffJobs(const std::vector<JobSpec>& desired, const std::vector<JobSpec>& observed,
                  std::string_view cluster) {
  JobsWave wave;
  wave.planned = true;
  wave.prefix = jobPrefix(cluster);
  const std::string owner = jobOwnerName(cluster);
  std::map<std::string, const JobSpec*> seen;
  for (const auto& j : observed) {
    if (startsWith(j.name, wave.prefix)) seen[j.name] = &j;
  }
  auto isOurs = [&](const JobSpec& j) { return j.ownerName == owner; };

  for (const JobSpec* want : dependencyOrder(desired)) {
    JobAction action;
    action.name = want->name;
    action.schedule = want->schedule;
    action.parents = want->parents;
    action.desired = *want;
    auto it = seen.find(want->name);
    if (it == seen.end()) {
      action.kind = JobActionKind::Create;
      ++wave.summary.toAdd;
    } else if (!isOurs(*it->second)) {
      continue;  // Reported as a conflict below.
    } else {
      action.changes = compareJobs(*want, *it->second);
      action.kind = action.changes.empty() ? JobActionKind::Unchanged : JobActionKind::Update;
      ++(action.changes.empty() ? wave.summary.unchanged : wave.summary.toChange);
    }
    wave.actions.push_back(std::move(action));
  }

  std::set<std::string> wanted;
  for (const auto& j : desired) wanted.insert(j.name);
  std::vector<const JobSpec*> deletions;
  for (const auto& [name, job] : seen) {
    if (!isOurs(*job)) {
      std::string message =
          job->ownerName.empty()
              ? "has ceph-planner's name prefix but no ownership marker (ownerName '" + owner +
                    "'); not changed or deleted"
              : "is owned by " + ceph_planner::quoted(job->ownerName) + ", not " +
                    ceph_planner::quoted(owner) + "; not changed or deleted";
      if (wanted.count(name)) message += "; the topology's job of that name cannot be registered";
      wave.conflicts.push_back({name, std::move(message)});
    } else if (!wanted.count(name)) {
      deletions.push_back(job);
    }
  }
  // Children first: deleting a parent first would make Chronos turn its children into scheduled
  // jobs (API.md §6) for the short time until they are deleted too.
  std::vector<JobSpec> doomed;
  for (const JobSpec* j : deletions) doomed.push_back(*j);
  std::vector<const JobSpec*> order = dependencyOrder(doomed);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    JobAction action;
    action.kind = JobActionKind::Delete;
    action.name = (*it)->name;
    action.schedule = (*it)->schedule;
    action.parents = (*it)->parents;
    wave.actions.push_back(std::move(action));
    ++wave.summary.toDestroy;
  }
  return wave;
}

}  // namespace ceph_planner::planner
