// End to end: chronos-sim (time-scaled, `--exec`) runs a rebalance job whose command is the real
// `ceph-planner rebalance` against a marathon-sim subprocess (the local example applied) and the
// recorded Ceph 16.2 outputs replayed by tests/testdata/ceph16/fake-ceph.sh (`--ceph_binary`), so
// CliCephAdmin's real code path runs. Counts come from chronos-sim's job (`successCount`,
// `errorCount`), marathon-sim's request log and the fake ceph's call log.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "common/testing.h"
#include "tests/contract/chronos_api/chronos_sim_process.h"
#include "tests/contract/marathon_api/sim_process.h"

namespace ceph_planner {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kJob[] = "ceph-planner-box-rebalance";

struct ShellRun {
  int exitCode = -1;
  std::string output;
};

ShellRun runShell(const std::string& command) {
  ShellRun run;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.output.append(buffer.data(), n);
  int status = pclose(pipe);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string source(const std::string& relative) {
  return std::string(CP_SOURCE_DIR) + "/" + relative;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class RebalanceChronosE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(planner_)) << "missing " << planner_;
    dir_ = fs::temp_directory_path() / ("cp-e2e-rebalance-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sandbox");
    ASSERT_OK(marathon_.start(source("examples/local.agents.yaml"), 50.0));
    ShellRun apply = runShell(planner_ + " apply " + source("examples/local.yaml") +
                              " --marathon " + marathon_.url() + " --state_dir " +
                              (dir_ / "store").string() + " --step_timeout 60s");
    ASSERT_EQ(apply.exitCode, 0) << apply.output;
    // 60x: the job's PT1M period is one real second.
    ASSERT_OK(chronos_.start(60.0, {"--exec", "--sandbox", (dir_ / "sandbox").string(),
                                    "--failure-retry-ms", "600000"}));
    ASSERT_EQ(runShell("curl -sf -X DELETE " + marathon_.url() + "/sim/requests").exitCode, 0);
  }
  void TearDown() override {
    chronos_.stop();
    marathon_.stop();
    fs::remove_all(dir_);
  }

  // Creates or replaces the rebalance job, replaying the recorded Ceph state `state`.
  void postJob(const std::string& state, const std::string& cephLog) {
    std::time_t now = std::time(nullptr);
    char start[32];
    std::strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    std::string command = "CEPH_FAKE_STATE=" + source("tests/testdata/ceph16/" + state) +
                          " CEPH_FAKE_LOG=" + cephLog + " " + planner_ + " rebalance " +
                          source("examples/local.yaml") + " --marathon " + marathon_.url() +
                          " --ceph_binary " + source("tests/testdata/ceph16/fake-ceph.sh") +
                          " --rgw_wait_timeout 30s";
    json job = {{"name", kJob},       {"command", command},
                {"shell", true},      {"schedule", std::string("R/") + start + "/PT1M"},
                {"epsilon", "PT10M"}, {"owner", "e2e@ceph-planner"},
                {"cpus", 0.1},        {"mem", 64},
                {"disk", 64}};
    std::ofstream(dir_ / "job.json") << job.dump();
    ShellRun post =
        runShell("curl -sf -X POST -H 'Content-Type: application/json' --data @" +
                 (dir_ / "job.json").string() + " " + chronos_.url() + "/v1/scheduler/iso8601");
    ASSERT_EQ(post.exitCode, 0) << post.output;
  }

  json job() {
    ShellRun get = runShell("curl -sf " + chronos_.url() + "/v1/scheduler/job/" + kJob);
    EXPECT_EQ(get.exitCode, 0) << get.output;
    return json::parse(get.output, nullptr, false);
  }

  // Waits (up to 60 s) until the job has succeeded `successes` times or failed once.
  json waitForRuns(int successes) {
    json j;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      j = job();
      if (j.is_object() &&
          (j.value("successCount", 0) >= successes || j.value("errorCount", 0) > 0))
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return j;
  }

  int marathonWrites() {
    ShellRun log = runShell("curl -sf " + marathon_.url() + "/sim/requests");
    json requests = json::parse(log.output, nullptr, false);
    int writes = 0;
    for (const auto& r : requests) writes += r.value("method", "") != "GET";
    return writes;
  }

  // The stdout of every run of the job, concatenated (its sandboxes below `sandbox/`).
  std::string jobOutput() {
    std::string all;
    for (const auto& entry : fs::recursive_directory_iterator(dir_ / "sandbox")) {
      if (entry.path().filename() == "stdout" || entry.path().filename() == "stderr") {
        all += readFile(entry.path());
      }
    }
    return all;
  }

  std::string planner_ = std::string(CP_BINARY_DIR) + "/cli/ceph-planner";
  marathon::testing::SimProcess marathon_;
  chronos::testing::ChronosSimProcess chronos_;
  fs::path dir_;
};

TEST_F(RebalanceChronosE2eTest, ScheduledJobBalancesThenSkipsSafelyWhenCephIsUnhealthy) {
  // Healthy cluster, balancer off: every run executes one balancer plan and moves no RGW task.
  const std::string healthyLog = (dir_ / "ceph-healthy.log").string();
  postJob("balancer_off", healthyLog);
  json healthy = waitForRuns(2);
  ASSERT_TRUE(healthy.is_object());
  EXPECT_GE(healthy.value("successCount", 0), 2) << healthy.dump() << "\n" << jobOutput();
  EXPECT_EQ(healthy.value("errorCount", -1), 0) << jobOutput();
  std::string calls = readFile(healthyLog);
  EXPECT_NE(calls.find("balancer_execute_ceph-planner-rebalance"), std::string::npos) << calls;
  std::string output = jobOutput();
  EXPECT_NE(output.find("rgw-spread /ceph/box/rgw/main: nothing to do: evenly spread"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("data-balance ceph: executed balancer plan 'ceph-planner-rebalance'"),
            std::string::npos)
      << output;
  EXPECT_EQ(marathonWrites(), 0);

  // Induced failure: Ceph is HEALTH_WARN (an OSD down). The job reports a skip, not an error, and
  // nothing is changed: no Marathon write, no Ceph write (only the health was asked).
  fs::remove_all(dir_ / "sandbox");
  fs::create_directories(dir_ / "sandbox");
  const std::string unhealthyLog = (dir_ / "ceph-unhealthy.log").string();
  postJob("osd_down", unhealthyLog);  // A replace resets the counters.
  json unhealthy = waitForRuns(2);
  ASSERT_TRUE(unhealthy.is_object());
  EXPECT_GE(unhealthy.value("successCount", 0), 2) << unhealthy.dump() << "\n" << jobOutput();
  EXPECT_EQ(unhealthy.value("errorCount", -1), 0) << jobOutput();
  std::string skipped = readFile(unhealthyLog);
  std::istringstream lines(skipped);
  for (std::string key; std::getline(lines, key);) EXPECT_EQ(key, "health_detail");
  EXPECT_FALSE(skipped.empty());
  EXPECT_NE(jobOutput().find("data-balance ceph: skip: ceph not healthy: HEALTH_WARN (OSD_DOWN: "
                             "1 osds down"),
            std::string::npos)
      << jobOutput();
  EXPECT_EQ(marathonWrites(), 0);
}

TEST_F(RebalanceChronosE2eTest, AnUnreachableCephIsAnErrorForChronos) {
  // No recording at all: `ceph health detail` fails like an unreachable cluster would.
  postJob("no-such-state", (dir_ / "ceph.log").string());
  json failed = waitForRuns(1);
  ASSERT_TRUE(failed.is_object());
  EXPECT_GE(failed.value("errorCount", 0), 1) << failed.dump() << "\n" << jobOutput();
  EXPECT_EQ(failed.value("successCount", -1), 0);
  EXPECT_NE(jobOutput().find("error: rebalance of cluster 'box' failed: cannot read ceph health"),
            std::string::npos)
      << jobOutput();
  EXPECT_EQ(marathonWrites(), 0);
}

}  // namespace
}  // namespace ceph_planner
