#pragma once

// Generated topologies for benchmarks and scale tests: N hosts, each with `hdds` rotational data
// slots and `ssds` DB slots (shared chassis layout via YAML anchors, inline inventory per host),
// racks of 20 hosts, 5 mons, 2 mgrs, RGW on every 10th host. Deterministic.

#include <string>

namespace ceph_planner::bench {

struct GenOptions {
  int hosts = 10;
  int hdds = 12;
  int ssds = 2;
  int hostsPerRack = 20;
  std::string clusterName = "scale";
};

std::string generateTopologyYaml(const GenOptions& options);

}  // namespace ceph_planner::bench
