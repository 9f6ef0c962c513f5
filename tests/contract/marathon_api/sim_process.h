#pragma once

// Starts a marathon-sim subprocess on 127.0.0.1 (a free port picked by the simulator itself) and
// stops it again. Test-only helper.

#include <string>

#include "common/result.h"
#include "tests/fakes/listening_process.h"

namespace ceph_planner::marathon::testing {

// `${CP_BINARY_DIR}/sim/marathon/marathon-sim`, or `$CP_MARATHON_SIM` when set.
std::string marathonSimPath();

class SimProcess {
 public:
  SimProcess() = default;
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  // Runs the simulator with `agentsFile` and `timeScale`, waiting (up to 15 s) for its
  // "marathon-sim listening on <url>" line. `NotFound` when the binary is missing.
  Status start(const std::string& agentsFile, double timeScale);
  // SIGTERM, then SIGKILL after 5 s. Idempotent.
  void stop() { process_.stop(); }
  const std::string& url() const { return process_.url(); }

 private:
  ceph_planner::testing::ListeningProcess process_;
};

}  // namespace ceph_planner::marathon::testing
