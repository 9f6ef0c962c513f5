#pragma once

// The agents file (YAML): the simulated Mesos agents, their attributes and resources.
//
//   agents:
//     - hostname: ceph-box-1
//       ip: 127.0.0.2                 # loopback address for exec mode (HOST / LIBPROCESS_IP)
//       attributes: {rack: r1, osd_slots: 4}   # or "rack:r1;osd_slots:4" (mesos-agent syntax)
//       resources:
//         cpus: 8
//         mem: 16384                  # MiB
//         disk: 100000                # MiB
//         ports: "[3300-3300, 6789-6789, 31000-32000]"   # or a list of "b-e" strings
//       region: dc1                   # optional fault domain (@region / @zone constraints)
//       zone: a

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sim/marathon/model.h"

namespace ceph_planner::marathon_sim {

Result<std::vector<Agent>> parseAgentsYaml(std::string_view text);
Result<std::vector<Agent>> loadAgentsFile(const std::string& path);

// `[a-b, c-d]` (Mesos range syntax) → ranges; errors name the bad part.
Result<std::vector<PortRange>> parsePortRanges(const std::string& text);

// Three loopback agents `agent-1..3` (127.0.0.2..4) used when no agents file is given.
std::vector<Agent> defaultAgents();

}  // namespace ceph_planner::marathon_sim
