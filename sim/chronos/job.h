#pragma once

// A Chronos 3.x job as the simulator stores it: every field of API.md §3.1 after input defaults.
// Structured sub-objects (fetch, container, constraints, …) are kept as normalised JSON.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/chronos/schedule_time.h"

namespace ceph_planner::chronos_sim {

// Mesos resource defaults Chronos fills in for 0/absent (`--mesos_task_cpu/mem/disk`).
inline constexpr double kDefaultCpus = 0.1;
inline constexpr double kDefaultMemMb = 128;
inline constexpr double kDefaultDiskMb = 256;
inline constexpr int64_t kDefaultRetries = 2;

struct ChronosJob {
  std::string name;
  std::string command;
  bool shell = true;
  std::string executor;
  std::string executorFlags;
  std::string taskInfoData;
  int64_t retries = kDefaultRetries;
  std::string owner;
  std::string ownerName;
  std::string description;
  int64_t successCount = 0;
  int64_t errorCount = 0;
  std::string lastSuccess;  // UTC ISO 8601 with millis, or "".
  std::string lastError;
  double cpus = kDefaultCpus;
  double disk = kDefaultDiskMb;
  double mem = kDefaultMemMb;
  bool disabled = false;
  bool softError = false;
  bool dataProcessingJobType = false;
  int64_t errorsSinceLastSuccess = 0;
  nlohmann::json fetch =
      nlohmann::json::array();  // [{uri, executable, cache, extract[, output_file]}]
  std::vector<std::string> uris;
  std::vector<std::pair<std::string, std::string>> environmentVariables;
  std::vector<std::string> arguments;
  bool highPriority = false;
  std::string runAsUser = "root";
  bool concurrent = false;
  int64_t maxCompletionTime = 0;  // Seconds; 0 = unlimited.
  std::optional<nlohmann::json> container;
  nlohmann::json constraints = nlohmann::json::array();

  // Kind: dependent jobs have parents (a set) and no schedule.
  bool dependent = false;
  std::set<std::string> parents;
  std::string scheduleText;  // As given in the request (the engine parses and rewrites it).
  bool hasSchedule = false;  // False: no `schedule` key (Chronos runs the job once, now).
  std::string scheduleTimeZone;
  Schedule schedule;  // Parsed, for scheduled jobs once the engine accepted them.
};

}  // namespace ceph_planner::chronos_sim
