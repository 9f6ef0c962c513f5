// End to end: the `ceph-planner` binary against a marathon-sim subprocess, counting the
// simulator's requests from its log (`/sim/requests`).

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "common/testing.h"
#include "tests/contract/marathon_api/sim_process.h"

namespace ceph_planner {
namespace {

namespace fs = std::filesystem;

struct ShellRun {
  int exitCode = -1;
  std::string output;  // stdout and stderr together.
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

class ApplyE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(planner_))
        << "missing " << planner_ << " (build the ceph-planner target)";
    ASSERT_OK(sim_.start(source("examples/local.agents.yaml"), 50.0));
    stateDir_ = fs::temp_directory_path() /
                ("cp-e2e-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(stateDir_);
  }
  void TearDown() override {
    sim_.stop();
    fs::remove_all(stateDir_);
  }

  ShellRun planner(const std::string& args) {
    return runShell(planner_ + " " + args + " --marathon " + sim_.url() + " --state_dir " +
                    stateDir_.string() + " --step_timeout 60s");
  }
  ShellRun curl(const std::string& method, const std::string& path, const std::string& body = "") {
    std::string cmd = "curl -s -X " + method + " " + sim_.url() + path;
    if (!body.empty()) cmd += " -H 'Content-Type: application/json' -d '" + body + "'";
    return runShell(cmd);
  }
  // Requests the simulator logged since the last clear, as `METHOD path` lines.
  std::vector<std::string> requests() {
    ShellRun log = curl("GET", "/sim/requests");
    std::vector<std::string> out;
    // One flat object per request; keys in any order.
    std::regex object(R"re(\{[^{}]*\})re");
    std::regex method(R"re("method"\s*:\s*"([A-Z]+)")re");
    std::regex path(R"re("path"\s*:\s*"([^"]*)")re");
    for (auto it = std::sregex_iterator(log.output.begin(), log.output.end(), object);
         it != std::sregex_iterator(); ++it) {
      std::string entry = it->str();
      std::smatch m, p;
      if (std::regex_search(entry, m, method) && std::regex_search(entry, p, path)) {
        out.push_back(m[1].str() + " " + p[1].str());
      }
    }
    return out;
  }
  static int writes(const std::vector<std::string>& requests) {
    int n = 0;
    for (const auto& r : requests) n += r.rfind("GET ", 0) != 0;
    return n;
  }

  std::string planner_ = std::string(CP_BINARY_DIR) + "/cli/ceph-planner";
  marathon::testing::SimProcess sim_;
  fs::path stateDir_;
};

TEST_F(ApplyE2eTest, FreshApplyConvergesAndASecondApplyMakesZeroWrites) {
  ShellRun first = planner("apply " + source("examples/local.yaml"));
  ASSERT_EQ(first.exitCode, 0) << first.output;
  EXPECT_NE(first.output.find("Apply complete: 10 added"), std::string::npos) << first.output;

  ShellRun status = planner("status " + source("examples/local.yaml"));
  EXPECT_EQ(status.exitCode, 0) << status.output;
  EXPECT_NE(status.output.find("mon 3/3 healthy · mgr 2/2 · osd 4/4 · rgw 1/1"), std::string::npos)
      << status.output;

  ASSERT_EQ(curl("DELETE", "/sim/requests").exitCode, 0);
  ShellRun second = planner("apply " + source("examples/local.yaml"));
  ASSERT_EQ(second.exitCode, 0) << second.output;
  EXPECT_NE(second.output.find("No changes"), std::string::npos) << second.output;
  auto log = requests();
  EXPECT_EQ(log, (std::vector<std::string>{"GET /v2/groups/ceph/box"}));
  EXPECT_EQ(writes(log), 0);

  ShellRun plan = planner("plan --detailed-exitcode " + source("examples/local.yaml"));
  EXPECT_EQ(plan.exitCode, 0) << plan.output;
}

TEST_F(ApplyE2eTest, AnUnsatisfiableConstraintFailsTheWaveAtItsDeadlineWithTheQueueReason) {
  // A mon host that no agent has: its app can never be placed.
  std::ifstream in(source("examples/local.yaml"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text = std::regex_replace(text, std::regex("ceph-box-3"), "ceph-box-9");
  fs::create_directories(stateDir_);
  std::string file = (stateDir_ / "topology.yaml").string();
  std::ofstream(file) << text;

  ShellRun apply = runShell(planner_ + " apply " + file + " --marathon " + sim_.url() +
                            " --state_dir " + stateDir_.string() + "/store --step_timeout 6s");
  EXPECT_EQ(apply.exitCode, 1) << apply.output;
  EXPECT_NE(apply.output.find("step 'mon' did not finish within 6s"), std::string::npos)
      << apply.output;
  EXPECT_NE(apply.output.find("app '/ceph/box/mon/ceph-box-9' has 0/1 tasks running"),
            std::string::npos)
      << apply.output;
  EXPECT_NE(apply.output.find("UnfulfilledConstraint"), std::string::npos) << apply.output;
  // The failed wave stopped the run: nothing of later waves was submitted.
  EXPECT_EQ(apply.output.find("mgr: submitting"), std::string::npos) << apply.output;
}

TEST_F(ApplyE2eTest, AForeignAppInTheGroupIsReportedAndLeftUntouched) {
  ShellRun created = curl(
      "POST", "/v2/apps",
      R"({"id":"/ceph/box/tools/debug","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":32,"portDefinitions":[]})");
  ASSERT_EQ(created.exitCode, 0) << created.output;
  ASSERT_EQ(curl("DELETE", "/sim/requests").exitCode, 0);
  ShellRun apply = planner("apply " + source("examples/local.yaml"));
  ASSERT_EQ(apply.exitCode, 0) << apply.output;
  EXPECT_NE(apply.output.find("/ceph/box/tools/debug"), std::string::npos) << apply.output;
  for (const auto& r : requests()) {
    EXPECT_EQ(r.find("/ceph/box/tools/debug"), std::string::npos)
        << "touched the foreign app: " << r;
  }
  ShellRun app = curl("GET", "/v2/apps/ceph/box/tools/debug");
  EXPECT_NE(app.output.find("\"cmd\":\"sleep 1000\""), std::string::npos) << app.output;
}

TEST_F(ApplyE2eTest, InjectedServerErrorsAndLatencyAreSurvivedByRetries) {
  // One in five group reads and app writes fails; the client retries idempotent calls (5 attempts).
  ShellRun fault = curl(
      "PUT", "/sim/faults",
      R"({"prefix":"/v2/groups","method":"GET","latencyMs":100,"errorRate":0.2,"status":503})");
  ASSERT_EQ(fault.exitCode, 0) << fault.output;
  fault =
      curl("PUT", "/sim/faults",
           R"({"prefix":"/v2/apps","method":"PUT","latencyMs":100,"errorRate":0.2,"status":502})");
  ASSERT_EQ(fault.exitCode, 0) << fault.output;
  ShellRun apply = planner("apply " + source("examples/local.yaml"));
  ASSERT_EQ(apply.exitCode, 0) << apply.output;
  int failed = 0;
  ShellRun log = curl("GET", "/sim/requests");
  for (const char* code : {"\"status\":503", "\"status\":502"}) {
    for (size_t pos = 0; (pos = log.output.find(code, pos)) != std::string::npos; ++pos) ++failed;
  }
  EXPECT_GT(failed, 0) << "no fault was injected, so nothing was proven";
}

TEST_F(ApplyE2eTest, ApplyRefusesToDeleteStatefulDaemonsAndChangesNothing) {
  ASSERT_EQ(planner("apply " + source("examples/local.yaml")).exitCode, 0);
  std::ifstream in(source("examples/local.yaml"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Drop ceph-box-1's second disk: its OSD app would be deleted.
  text = std::regex_replace(
      text, std::regex(R"(      - \{ path: /var/tmp/ceph-planner-box/ceph-box-1/osd1[^\n]*\n)"),
      "");
  std::string file = (stateDir_ / "fewer-disks.yaml").string();
  std::ofstream(file) << text;
  ASSERT_EQ(curl("DELETE", "/sim/requests").exitCode, 0);
  ShellRun apply = planner("apply --yes " + file);
  EXPECT_EQ(apply.exitCode, 1) << apply.output;
  EXPECT_NE(
      apply.output.find("refusing to delete stateful daemons '/ceph/box/osd/ceph-box-1-osd1'"),
      std::string::npos)
      << apply.output;
  EXPECT_EQ(writes(requests()), 0);
}

}  // namespace
}  // namespace ceph_planner
