#pragma once

// Marathon's offer matching (API.md §3.9): constraints against the instances of the same app and
// config version already placed, then cpus/mem/disk/ports on the agent. Pure functions.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/marathon/model.h"

namespace ceph_planner::marathon_sim {

// The value an agent offers for a constraint field: hostname, @region/@zone, or an attribute.
std::optional<std::string> fieldValue(const Agent& agent, const std::string& field);

// Whether `agent` satisfies `c` given the agents of the already placed instances.
bool constraintAccepts(const Constraint& c, const Agent& agent,
                       const std::vector<const Agent*>& placed, int targetInstances);

struct PlacementOutcome {
  std::optional<size_t> agent;  // Index into the agents vector.
  std::vector<int> hostPorts;
  // Reject reason (`UnfulfilledConstraint`, `InsufficientCpus`, ...) → number of agents declined.
  std::map<std::string, int> rejects;
  int processed = 0;
};

// Tries agents starting at `startIndex` (rotating) and returns the first that fits. `candidates`,
// when given, restricts the search (a hostname index); the others count as constraint rejects.
PlacementOutcome placeInstance(const AppParams& app, const std::vector<Agent>& agents,
                               const std::vector<const Agent*>& placed, size_t startIndex,
                               const std::vector<size_t>* candidates = nullptr);

// Marks the resources of a placed instance as used (or frees them with `sign` = -1).
void allocate(Agent& agent, const AppParams& app, const std::vector<int>& hostPorts, int sign);

// Mesos attribute text → the string Marathon compares (`4` for SCALAR 4.0, sorted ranges/sets).
std::string stringifyAttribute(const std::string& raw);

}  // namespace ceph_planner::marathon_sim
