#pragma once

// `FakeCephAdmin`: a `CephAdmin` that replays outputs recorded from a real Ceph 16.2 cluster
// (tests/testdata/ceph16/<state>/, see its README), through the same argv building, exit-code
// mapping and JSON parsing as `CliCephAdmin` (it IS a `CliCephAdmin` over a
// `RecordedCommandRunner`), so a recording exercises exactly the production code path.
//
// Lookup: a command's key is its words joined with `_` (`osd ok-to-stop 0` -> `osd_ok-to-stop_0`);
// `<dir>/<key>.json` is stdout, `<key>.stderr` stderr, `<key>.rc` the exit code (0 when absent).
// `override` entries win over files. A read without a recording is an `Internal` error naming the
// missing file; a write without one succeeds with empty output (Ceph 16 prints nothing for
// `balancer mode|on|off|optimize|execute|rm` and little for `osd reweight`).
// Every command is logged by key (`calls()`), so tests can assert what was (not) written.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ceph/cli_ceph_admin.h"
#include "ceph/command_runner.h"

namespace ceph_planner::ceph {

// The key of a `ceph` argv: drops argv[0], the global options (`--conf`, `--name`, `--keyring`,
// `--connect-timeout`, `-c`, `-n`, `-k` with their values) and `-f json`; joins the rest with `_`.
std::string recordingKey(const std::vector<std::string>& argv);

// True for the commands that change the cluster (balancer mode/on/off/optimize/execute/rm, osd
// reweight, osd reweight-by-utilization, osd out/in/...): everything not known to be read-only.
bool isWriteKey(const std::string& key);

class RecordedCommandRunner final : public CommandRunner {
 public:
  explicit RecordedCommandRunner(std::string dir);

  Result<CommandOutput> run(const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout) override;

  void setDir(std::string dir);
  void override(const std::string& key, CommandOutput output);
  void clearOverrides();
  std::vector<std::string> calls() const;
  void clearCalls();

 private:
  mutable std::mutex mu_;
  std::string dir_;
  std::map<std::string, CommandOutput> overrides_;
  std::vector<std::string> calls_;
};

class FakeCephAdmin final : public CephAdmin {
 public:
  // `stateDir`: one recorded state, e.g. `tests/testdata/ceph16/clean`.
  explicit FakeCephAdmin(std::string stateDir);

  // Switches to another recorded state (the cluster "changed").
  void setState(std::string stateDir) { runner_->setDir(std::move(stateDir)); }
  // Makes command `key` answer `output` (e.g. an error exit) regardless of the recording.
  void override(const std::string& key, CommandOutput output) {
    runner_->override(key, std::move(output));
  }
  // Every command run so far, by key, oldest first; `writes()` only those `isWriteKey` accepts.
  std::vector<std::string> calls() const { return runner_->calls(); }
  std::vector<std::string> writes() const;
  void clearCalls() { runner_->clearCalls(); }

  Result<HealthReport> health() override { return cli_.health(); }
  Result<PgStat> pgStat() override { return cli_.pgStat(); }
  Result<OsdDf> osdDf() override { return cli_.osdDf(); }
  Result<BalancerStatus> balancerStatus() override { return cli_.balancerStatus(); }
  Result<QuorumStatus> quorumStatus() override { return cli_.quorumStatus(); }
  Result<OkToStop> okToStop(const std::vector<int>& ids) override { return cli_.okToStop(ids); }
  Result<SafeToDestroy> safeToDestroy(const std::vector<int>& ids) override {
    return cli_.safeToDestroy(ids);
  }
  Result<ReweightResult> testReweightByUtilization(const ReweightBounds& bounds) override {
    return cli_.testReweightByUtilization(bounds);
  }
  Status setBalancerMode(const std::string& mode) override { return cli_.setBalancerMode(mode); }
  Status setBalancerActive(bool active) override { return cli_.setBalancerActive(active); }
  Result<BalancerOptimizeResult> balancerOptimize(const std::string& plan) override {
    return cli_.balancerOptimize(plan);
  }
  Status balancerExecute(const std::string& plan) override { return cli_.balancerExecute(plan); }
  Status balancerRemove(const std::string& plan) override { return cli_.balancerRemove(plan); }
  Status reweight(int osd, double weight) override { return cli_.reweight(osd, weight); }
  Result<ReweightResult> reweightByUtilization(const ReweightBounds& bounds) override {
    return cli_.reweightByUtilization(bounds);
  }

 private:
  explicit FakeCephAdmin(std::unique_ptr<RecordedCommandRunner> runner);

  RecordedCommandRunner* runner_;  // Owned by `cli_`; declared first, so set before the move.
  CliCephAdmin cli_;
};

}  // namespace ceph_planner::ceph
