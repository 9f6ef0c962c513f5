#pragma once

// Starts a chronos-sim subprocess on 127.0.0.1 (a free port picked by the simulator itself) and
// stops it again; reads its request log. Test-only helper, shared by the contract suite and the
// jobs e2e tests.

#include <string>
#include <vector>

#include "common/result.h"
#include "tests/fakes/listening_process.h"

namespace ceph_planner::chronos::testing {

// `${CP_BINARY_DIR}/sim/chronos/chronos-sim`, or `$CP_CHRONOS_SIM` when set.
std::string chronosSimPath();

struct LoggedRequest {
  std::string method;
  std::string path;
  int status = 0;
};

class ChronosSimProcess {
 public:
  ChronosSimProcess() = default;
  ChronosSimProcess(const ChronosSimProcess&) = delete;
  ChronosSimProcess& operator=(const ChronosSimProcess&) = delete;

  // Runs the simulator with `--time-scale timeScale` and `extraArgs` (for example `--exec
  // --sandbox DIR`), waiting (up to 15 s) for its "chronos-sim listening on <url>" line.
  // `NotFound` when the binary is missing.
  Status start(double timeScale, const std::vector<std::string>& extraArgs = {});
  // SIGTERM, then SIGKILL after 5 s. Idempotent.
  void stop() { process_.stop(); }
  const std::string& url() const { return process_.url(); }

  // `GET /sim/requests` (every API request so far, oldest first).
  Result<std::vector<LoggedRequest>> requests() const;
  // `DELETE /sim/requests`.
  Status clearRequests() const;

 private:
  ceph_planner::testing::ListeningProcess process_;
};

// The requests that change state (anything but GET/HEAD).
std::vector<LoggedRequest> writesIn(const std::vector<LoggedRequest>& requests);

}  // namespace ceph_planner::chronos::testing
