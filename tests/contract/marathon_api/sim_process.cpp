#include "tests/contract/marathon_api/sim_process.h"

#include <cstdlib>
#include <vector>

namespace ceph_planner::marathon::testing {

std::string marathonSimPath() {
  // `CP_MARATHON_SIM` runs the contract against another build of the simulator.
  if (const char* path = std::getenv("CP_MARATHON_SIM"); path != nullptr && *path != '\0') {
    return path;
  }
  return std::string(CP_BINARY_DIR) + "/sim/marathon/marathon-sim";
}

Status SimProcess::start(const std::string& agentsFile, double timeScale) {
  std::vector<std::string> argv = {marathonSimPath(),
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--agents",
                                   agentsFile,
                                   "--time_scale",
                                   std::to_string(timeScale),
                                   "--seed",
                                   "1"};
  return process_.start(std::move(argv), "marathon-sim listening on ", "marathon-sim");
}

}  // namespace ceph_planner::marathon::testing
