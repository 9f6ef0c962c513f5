#pragma once

// The simulator's state types: agents, parsed app parameters, tasks, health results, deployments.
// App definitions themselves are kept as normalised JSON (what the API returns); `AppParams` is the
// typed view of the fields the engine acts on.

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"

namespace ceph_planner::marathon_sim {

using Json = nlohmann::json;
using TimePoint = Clock::TimePoint;
using Millis = std::chrono::milliseconds;
// An immutable app definition shared by the current app, its version history, group snapshots
// and deployments (a 25,000-app tree is held once, not once per holder).
using JsonPtr = std::shared_ptr<const Json>;

struct PortRange {
  int begin = 0;
  int end = 0;
};

// One simulated Mesos agent and what is currently allocated on it.
struct Agent {
  std::string hostname;
  std::string id;  // Mesos agent id (`slaveId`).
  std::string ip;  // Loopback address exported to exec tasks as HOST/LIBPROCESS_IP.
  std::map<std::string, std::string>
      attributes;  // Already stringified the way Marathon reads them.
  std::string region;
  std::string zone;
  double cpus = 0;
  double mem = 0;
  double disk = 0;
  std::vector<PortRange> ports;
  bool up = true;
  // Allocation.
  double usedCpus = 0;
  double usedMem = 0;
  double usedDisk = 0;
  std::set<int> usedPorts;
};

enum class ConstraintOp { Unique, Cluster, GroupBy, Like, Unlike, MaxPer, Is };

struct Constraint {
  std::string field;
  ConstraintOp op = ConstraintOp::Unique;
  std::optional<std::string> value;
};

struct HealthCheckSpec {
  std::string protocol = "HTTP";
  std::string path = "/";
  std::optional<int> portIndex;
  std::optional<int> port;
  std::string command;
  double gracePeriodSeconds = 300;
  double intervalSeconds = 60;
  double timeoutSeconds = 20;
  int maxConsecutiveFailures = 3;
  double delaySeconds = 15;
  bool ignoreHttp1xx = false;
  // COMMAND and MESOS_* checks run on the agent (Mesos counts failures and kills).
  bool mesosLevel() const { return protocol == "COMMAND" || protocol.rfind("MESOS_", 0) == 0; }
};

// One `fetch` entry (Mesos fetcher URI); defaults as in AppDefinition.json.
struct FetchSpec {
  std::string uri;
  bool executable = false;
  bool extract = true;
  bool cache = false;    // Accepted; the simulator never caches.
  std::string destPath;  // Sandbox-relative file name; empty = the URI's last path segment.
};

// Typed view of a normalised app definition.
struct AppParams {
  std::string id;
  std::string version;
  std::string lastConfigChangeAt;
  int instances = 1;
  double cpus = 1;
  double mem = 128;
  double disk = 0;
  std::vector<int> portNumbers;  // portDefinitions[].port (0 = dynamic).
  std::vector<std::string> portNames;
  bool requirePorts = false;
  std::vector<Constraint> constraints;
  std::vector<HealthCheckSpec> healthChecks;
  double minimumHealthCapacity = 1;
  double maximumOverCapacity = 1;
  double backoffSeconds = 1;
  double backoffFactor = 1.15;
  double maxLaunchDelaySeconds = 300;
  bool killOldestFirst = false;
  bool unreachableDisabled = false;
  double inactiveAfterSeconds = 0;
  double expungeAfterSeconds = 0;
  std::vector<std::string> dependencies;
  double taskKillGracePeriodSeconds = 3;
  std::string cmd;
  std::vector<std::string> args;
  std::vector<FetchSpec> fetch;
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> labels;
  bool docker = false;
};

// Reads the typed view from a definition produced by `normaliseApp`.
AppParams appParamsFromJson(const Json& def);

enum class TaskState {
  Staging,
  Starting,
  Running,
  Killing,
  Killed,
  Finished,
  Failed,
  Unreachable,
  Gone,
};

std::string taskStateName(TaskState s);
bool isTerminal(TaskState s);

// One health check's result for one task (RAML `Health`).
struct HealthResult {
  std::optional<TimePoint> firstSuccess;
  std::optional<TimePoint> lastSuccess;
  std::optional<TimePoint> lastFailure;
  std::string lastFailureCause;
  int consecutiveFailures = 0;
  TimePoint nextCheckAt{};
  // Marathon's `alive`: there is a success and it is later than the last failure.
  bool alive() const { return lastSuccess && (!lastFailure || *lastFailure < *lastSuccess); }
  bool hasResult() const { return lastSuccess || lastFailure; }
};

struct Task {
  std::string id;
  std::string appId;
  std::string instanceId;
  size_t agent = 0;
  TaskState state = TaskState::Staging;
  TimePoint stagedAt{};
  std::optional<TimePoint> startedAt;
  TimePoint stateSince{};
  std::string version;        // App version the task was launched with.
  std::string configVersion;  // App lastConfigChangeAt at launch (placement and restarts use it).
  std::vector<int> ports;
  std::vector<int> servicePorts;
  std::vector<HealthResult> health;
  bool forcedUnhealthy = false;  // Fault injection: simulated checks fail.
  bool failOnExit = false;       // The kill in progress ends as TASK_FAILED (a crash).
  std::string killReason;
  std::optional<TimePoint> unreachableSince;
  bool replacedWhileUnreachable = false;
  bool lastHealthAlive = false;  // For health_status_changed_event.
  bool reportedHealth = false;
  bool exec = false;
};

enum class ActionType { StartApplication, ScaleApplication, RestartApplication, StopApplication };

std::string actionName(ActionType t);

struct DeploymentAction {
  ActionType type = ActionType::ScaleApplication;
  std::string appId;
};

struct Deployment {
  std::string id;
  std::string version;
  std::vector<std::string> affectedApps;
  std::vector<std::vector<DeploymentAction>> steps;
  size_t currentStep = 0;  // 1-based once started; 0 = stored but not started.
  // App definitions before and after, for rollback (null = did not exist / removed).
  std::map<std::string, JsonPtr> original;
  std::map<std::string, JsonPtr> target;
  std::set<std::string> sentencedTasks;  // Killed by kill-and-scale.
};

// Everything ever launched (for `GET /sim/history`).
struct HistoryEntry {
  std::string taskId;
  std::string appId;
  std::string host;
  TimePoint startedAt{};
  std::optional<TimePoint> endedAt;
  std::string finalState;
};

}  // namespace ceph_planner::marathon_sim
