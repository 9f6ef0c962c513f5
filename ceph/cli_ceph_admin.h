#pragma once

// `CliCephAdmin`: `CephAdmin` over the `ceph` command-line tool. Every call runs
//   <binary> [--conf C] [--name N] [--keyring K] --connect-timeout S <command words> -f json
// with a deadline, then maps the exit code (Ceph exits with the errno of its answer) and parses
// stdout with ceph_json.h. Credentials stay in the keyring file: nothing secret is put on argv.

#include <chrono>
#include <string>
#include <vector>

#include "ceph/ceph_admin.h"
#include "ceph/command_runner.h"

namespace ceph_planner::ceph {

struct CliCephAdminOptions {
  std::string binary = "ceph";  // Path or a name looked up in PATH (tests point it at a script).
  std::string conf;             // --conf; empty = Ceph's default (/etc/ceph/ceph.conf, $CEPH_CONF).
  std::string name;             // --name, e.g. `client.admin`; empty = Ceph's default.
  std::string keyring;          // --keyring; empty = Ceph's default search path.
  // Deadline of one command; the CLI's own --connect-timeout is set just below it, so an
  // unreachable cluster is reported by Ceph (`Unavailable`) rather than killed (`Timeout`).
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

class CliCephAdmin final : public CephAdmin {
 public:
  CliCephAdmin(CliCephAdminOptions options, CommandRunnerPtr runner);

  // The argv of `command` (without running it), for tests and for `--dry-run` messages.
  std::vector<std::string> argvFor(const std::vector<std::string>& command) const;

  Result<HealthReport> health() override;
  Result<PgStat> pgStat() override;
  Result<OsdDf> osdDf() override;
  Result<BalancerStatus> balancerStatus() override;
  Result<QuorumStatus> quorumStatus() override;
  Result<OkToStop> okToStop(const std::vector<int>& ids) override;
  Result<SafeToDestroy> safeToDestroy(const std::vector<int>& ids) override;
  Result<ReweightResult> testReweightByUtilization(const ReweightBounds& bounds) override;
  Status setBalancerMode(const std::string& mode) override;
  Status setBalancerActive(bool active) override;
  Result<BalancerOptimizeResult> balancerOptimize(const std::string& plan) override;
  Status balancerExecute(const std::string& plan) override;
  Status balancerRemove(const std::string& plan) override;
  Status reweight(int osd, double weight) override;
  Result<ReweightResult> reweightByUtilization(const ReweightBounds& bounds) override;

 private:
  // Runs the command; `Result` carries the output of ANY exit code, errors only for run failures.
  Result<CommandOutput> exec(const std::vector<std::string>& command);
  // exec + "exit 0 or error" (the error mapped from the exit code and stderr).
  Result<CommandOutput> execOk(const std::vector<std::string>& command);

  CliCephAdminOptions options_;
  CommandRunnerPtr runner_;
};

// Maps a non-zero exit of `ceph <command>` to an error (see ceph_admin.h for the codes). Exposed
// for tests.
Error cephCommandError(const std::string& command, const CommandOutput& output);

// The words of an OSD id list and of reweight bounds, as the CLI takes them.
std::vector<std::string> osdIdWords(const std::vector<int>& ids);
std::vector<std::string> reweightWords(const ReweightBounds& bounds);

}  // namespace ceph_planner::ceph
