#pragma once

// Chronos jobs as plain values: what the planner wants (`JobSpec` rendered from the topology's
// `maintenance:`), what Chronos holds (the same type, with the server-maintained counters filled
// in), and the jobs wave of a plan (`JobsWave`: actions, conflicts, counts). Pure; the Chronos
// client (chronos_client/) converts `JobSpec` to and from Chronos's job JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ceph_planner::planner {

struct JobVolume {
  std::string containerPath;
  std::string hostPath;
  std::string mode = "RW";  // RW | RO
  bool operator==(const JobVolume&) const = default;
};

// Chronos `container` (3.x): only what the planner may set.
struct JobContainer {
  std::string type = "DOCKER";  // DOCKER | MESOS
  std::string image;
  std::string network = "HOST";  // HOST | BRIDGE | USER
  std::vector<JobVolume> volumes;
  bool forcePullImage = false;
  bool operator==(const JobContainer&) const = default;
};

struct JobSpec {
  std::string name;  // The upsert key: `[A-Za-z0-9_.-]+`.
  std::string command;
  bool shell = true;
  // A scheduled job has `schedule` (`R[n]/start/period`) and no `parents`; a dependent job has
  // `parents` and no `schedule`.
  std::string schedule;
  std::string scheduleTimeZone;
  std::vector<std::string> parents;
  double cpus = 0.1;
  double mem = 128;   // MB
  double disk = 256;  // MB
  int retries = 2;
  std::string owner;      // Notification e-mails (Chronos's meaning); not used for ownership.
  std::string ownerName;  // Ownership marker: `ceph-planner/<cluster>` on our jobs.
  std::string description;
  std::vector<std::vector<std::string>> constraints;  // `[attribute, OPERATOR, value]`.
  std::vector<std::pair<std::string, std::string>> environmentVariables;
  std::optional<JobContainer> container;
  bool disabled = false;

  // Server-maintained; read from Chronos, never part of a comparison.
  int64_t successCount = 0;
  int64_t errorCount = 0;
  int64_t errorsSinceLastSuccess = 0;
  std::string lastSuccess;  // UTC ISO 8601, "" = never.
  std::string lastError;

  bool isDependent() const { return !parents.empty(); }
};

enum class JobActionKind {
  Create,     // No job of that name in Chronos.
  Update,     // Owned fields differ; the job is re-posted (counters carried over).
  Delete,     // Our job, no longer wanted.
  Unchanged,  // Counted only.
};
std::string_view jobActionKindName(JobActionKind kind);

struct JobFieldChange {
  std::string field;  // `command`, `schedule.period`, `scheduleTimeZone`, `parents`, ...
  std::string before;
  std::string after;
  bool operator==(const JobFieldChange&) const = default;
};

struct JobAction {
  JobActionKind kind = JobActionKind::Unchanged;
  std::string name;
  std::string schedule;  // What the operator sees next to the name (desired, else observed).
  std::vector<std::string> parents;
  std::vector<JobFieldChange> changes;  // Update only.
  JobSpec desired;                      // Create/Update: the job to post.
};

// A job named like ours that the planner must not touch (its ownership marker is missing or names
// another cluster). Reported; never changed or deleted.
struct JobConflict {
  std::string name;
  std::string message;
};

struct JobSummary {
  int toAdd = 0;
  int toChange = 0;
  int toDestroy = 0;
  int unchanged = 0;
};

// The Chronos wave of a plan, after the Marathon waves.
struct JobsWave {
  // False when the wave was not planned (no Chronos URL): `note` says why, nothing else is set.
  bool planned = false;
  std::string note;
  std::string chronosUrl;          // For the plan header.
  std::string prefix;              // `ceph-planner-<cluster>-`.
  std::vector<JobAction> actions;  // Creates/updates parents first; deletes children first.
  std::vector<JobConflict> conflicts;
  JobSummary summary;

  bool hasChanges() const { return summary.toAdd + summary.toChange + summary.toDestroy > 0; }
  bool shown() const { return planned || !note.empty(); }
};

}  // namespace ceph_planner::planner
