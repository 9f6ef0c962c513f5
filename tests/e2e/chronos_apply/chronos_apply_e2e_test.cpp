// End to end: `ceph-planner apply --chronos` registers the maintenance jobs of the local example
// in a chronos-sim subprocess (after the Marathon waves against marathon-sim), re-applies with
// zero Chronos writes (from chronos-sim's `/sim/requests`), updates a changed period, deletes only
// its own job, and never touches foreign jobs with similar names.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "common/testing.h"
#include "tests/contract/chronos_api/chronos_sim_process.h"
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

std::string readText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "'" << from << "' not in the example";
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

const char* kBalancer =
    R"(balancer: { schedule: "R/2026-01-01T00:00:00Z/PT1H", mode: upmap, max_misplaced: 0.05 })";
const char* kInventory = R"(inventory: { schedule: "R/2026-01-01T00:00:00Z/PT1H" })";

class ChronosApplyE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(planner_)) << "missing " << planner_;
    ASSERT_OK(marathon_.start(std::string(CP_SOURCE_DIR) + "/examples/local.agents.yaml", 50.0));
    ASSERT_OK(chronos_.start(1.0));
    dir_ = fs::temp_directory_path() /
           ("cp-chronos-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    example_ = readText(std::string(CP_SOURCE_DIR) + "/examples/local.yaml");
    ASSERT_NE(example_.find(kBalancer), std::string::npos);
    ASSERT_NE(example_.find(kInventory), std::string::npos);
  }
  void TearDown() override {
    chronos_.stop();
    marathon_.stop();
    fs::remove_all(dir_);
  }

  fs::path writeTopology(const std::string& text) {
    fs::path file = dir_ / "topology.yaml";
    std::ofstream(file) << text;
    return file;
  }
  // `stdoutOnly`: drop stderr (for output that must parse as JSON).
  ShellRun planner(const std::string& command, const fs::path& topology,
                   const std::string& extra = "", bool stdoutOnly = false) {
    std::string line = planner_ + " " + command + " " + topology.string() + " --marathon " +
                       marathon_.url() + " --chronos " + chronos_.url() + " --state_dir " +
                       (dir_ / "state").string() + " --step_timeout 60s --yes " + extra;
    return runShell(stdoutOnly ? "(" + line + " 2>/dev/null)" : line);
  }
  int chronosWrites() {
    auto log = chronos_.requests();
    EXPECT_TRUE(log.has_value());
    return log ? static_cast<int>(chronos::testing::writesIn(log.value()).size()) : -1;
  }
  nlohmann::json jobs() {
    ShellRun r = runShell("curl -s " + chronos_.url() + "/v1/scheduler/jobs");
    auto j = nlohmann::json::parse(r.output, nullptr, false);
    EXPECT_TRUE(j.is_array()) << r.output;
    return j;
  }
  const nlohmann::json* job(const nlohmann::json& all, const std::string& name) {
    for (const auto& j : all) {
      if (j.value("name", "") == name) return &j;
    }
    return nullptr;
  }
  void postForeign(const std::string& name) {
    std::string body =
        R"({"name":")" + name +
        R"(","command":"true","schedule":"R/2099-01-01T00:00:00Z/P1D","owner":"ops@example.com"})";
    ShellRun r = runShell(
        "curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '" +
        body + "' " + chronos_.url() + "/v1/scheduler/iso8601");
    ASSERT_EQ(r.output, "204");
  }

  std::string planner_ = std::string(CP_BINARY_DIR) + "/cli/ceph-planner";
  marathon::testing::SimProcess marathon_;
  chronos::testing::ChronosSimProcess chronos_;
  fs::path dir_;
  std::string example_;
};

TEST_F(ChronosApplyE2eTest, RegistersUpdatesAndDeletesOnlyItsOwnJobs) {
  postForeign("ceph-planner-box-inventory-old");  // Our prefix, no ownership marker.
  postForeign("ceph-planner-boxx-rebalance");     // A similar name (another prefix).
  fs::path topology = writeTopology(example_);

  // plan: the jobs wave after rgw, counted in the summary and in --detailed-exitcode.
  ShellRun plan = planner("plan", topology, "-o json --detailed_exitcode", /*stdoutOnly=*/true);
  ASSERT_EQ(plan.exitCode, 2) << plan.output;
  auto planJson = nlohmann::json::parse(plan.output, nullptr, false);
  ASSERT_TRUE(planJson.is_object()) << plan.output;
  EXPECT_EQ(planJson["jobs"]["summary"]["add"], 4) << plan.output;  // rebalance + 3 hosts.
  ASSERT_EQ(planJson["jobs"]["conflicts"].size(), 1u) << plan.output;
  EXPECT_EQ(planJson["jobs"]["conflicts"][0]["job"], "ceph-planner-box-inventory-old");

  // Fresh apply: Marathon waves, then the jobs.
  ShellRun first = planner("apply", topology);
  ASSERT_EQ(first.exitCode, 0) << first.output;
  EXPECT_NE(first.output.find("Chronos jobs: 4 created, 0 updated, 0 deleted."), std::string::npos)
      << first.output;
  auto registered = jobs();
  for (const char* name :
       {"ceph-planner-box-rebalance", "ceph-planner-box-inventory-ceph-box-1",
        "ceph-planner-box-inventory-ceph-box-2", "ceph-planner-box-inventory-ceph-box-3"}) {
    const nlohmann::json* j = job(registered, name);
    ASSERT_NE(j, nullptr) << name << " not registered: " << registered.dump();
    EXPECT_EQ((*j)["ownerName"], "ceph-planner/box");
  }
  const nlohmann::json* rebalance = job(registered, "ceph-planner-box-rebalance");
  std::string command = (*rebalance)["command"];
  EXPECT_EQ(command.rfind("ceph-planner rebalance --cluster box --marathon " + marathon_.url(), 0),
            0u)
      << command;
  EXPECT_EQ(command.find("secret"), std::string::npos);
  const nlohmann::json* pinned = job(registered, "ceph-planner-box-inventory-ceph-box-2");
  EXPECT_EQ((*pinned)["constraints"],
            nlohmann::json::parse(R"([["hostname","EQUALS","ceph-box-2"]])"));

  // The jobs' start lies in the past: chronos-sim has run them and moved their start. Still no
  // change, and a second apply makes zero Chronos writes.
  ASSERT_OK(chronos_.clearRequests());
  ShellRun second = planner("apply", topology);
  ASSERT_EQ(second.exitCode, 0) << second.output;
  EXPECT_NE(second.output.find("Apply complete: nothing to do."), std::string::npos)
      << second.output;
  EXPECT_EQ(chronosWrites(), 0);
  ShellRun noChanges = planner("plan", topology, "--detailed_exitcode");
  EXPECT_EQ(noChanges.exitCode, 0) << noChanges.output;

  // A new period updates exactly that job (one POST), keeping its history.
  int64_t successes = (*job(jobs(), "ceph-planner-box-rebalance"))["successCount"];
  fs::path slower = writeTopology(
      replaced(example_, kBalancer,
               R"(balancer: { schedule: "R/2026-01-01T00:00:00Z/PT2H", mode: upmap })"));
  ASSERT_OK(chronos_.clearRequests());
  ShellRun updated = planner("apply", slower);
  ASSERT_EQ(updated.exitCode, 0) << updated.output;
  EXPECT_NE(updated.output.find("schedule.period: PT1H → PT2H"), std::string::npos)
      << updated.output;
  EXPECT_NE(updated.output.find("Chronos jobs: 0 created, 1 updated, 0 deleted."),
            std::string::npos)
      << updated.output;
  EXPECT_EQ(chronosWrites(), 1);
  auto afterUpdate = jobs();
  std::string schedule = (*job(afterUpdate, "ceph-planner-box-rebalance"))["schedule"];
  EXPECT_EQ(schedule.substr(schedule.rfind('/')), "/PT2H") << schedule;
  EXPECT_GE((*job(afterUpdate, "ceph-planner-box-rebalance"))["successCount"].get<int64_t>(),
            successes);

  // Removing the inventory deletes our three inventory jobs and nothing else.
  fs::path noInventory = writeTopology(
      replaced(replaced(example_, kBalancer,
                        R"(balancer: { schedule: "R/2026-01-01T00:00:00Z/PT2H", mode: upmap })"),
               kInventory, ""));
  ASSERT_OK(chronos_.clearRequests());
  ShellRun removed = planner("apply", noInventory);
  ASSERT_EQ(removed.exitCode, 0) << removed.output;
  EXPECT_NE(removed.output.find("Chronos jobs: 0 created, 0 updated, 3 deleted."),
            std::string::npos)
      << removed.output;
  auto log = chronos_.requests();
  ASSERT_OK(log);
  auto writes = chronos::testing::writesIn(log.value());
  ASSERT_EQ(writes.size(), 3u);
  for (const auto& w : writes) {
    EXPECT_EQ(w.method, "DELETE");
    EXPECT_EQ(w.path.rfind("/v1/scheduler/job/ceph-planner-box-inventory-ceph-box-", 0), 0u)
        << w.path;
  }
  auto remaining = jobs();
  EXPECT_NE(job(remaining, "ceph-planner-box-rebalance"), nullptr);
  EXPECT_NE(job(remaining, "ceph-planner-box-inventory-old"), nullptr);
  EXPECT_NE(job(remaining, "ceph-planner-boxx-rebalance"), nullptr);

  // status lists our jobs with schedule, last success/error and counts; the foreign one marked.
  ShellRun status =
      runShell(planner_ + " status " + noInventory.string() + " --marathon " + marathon_.url() +
               " --chronos " + chronos_.url() + " --state_dir " + (dir_ / "state").string());
  EXPECT_NE(status.output.find("Chronos jobs at " + chronos_.url() + " (2):"), std::string::npos)
      << status.output;
  EXPECT_NE(status.output.find("ceph-planner-box-inventory-old (foreign)"), std::string::npos)
      << status.output;
  EXPECT_NE(status.output.find("LAST SUCCESS"), std::string::npos) << status.output;
  // -o json: the same two jobs under "jobs", with ownership and the server-side fields.
  ShellRun json = runShell(planner_ + " status " + noInventory.string() + " -o json --marathon " +
                           marathon_.url() + " --chronos " + chronos_.url() + " --state_dir " +
                           (dir_ / "state").string() + " 2>/dev/null");
  auto parsed = nlohmann::json::parse(json.output, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << json.output;
  EXPECT_EQ(parsed["jobs"]["chronos"], chronos_.url());
  ASSERT_EQ(parsed["jobs"]["jobs"].size(), 2u) << json.output;
  for (const auto& j : parsed["jobs"]["jobs"]) {
    const std::string name = j["name"];
    EXPECT_EQ(j["owned"], name == "ceph-planner-box-rebalance") << name;
    EXPECT_TRUE(j.contains("successCount") && j.contains("lastSuccess")) << j.dump();
  }
}

TEST_F(ChronosApplyE2eTest, WithoutChronosTheWaveIsSkippedWithOneNote) {
  fs::path topology = writeTopology(example_);
  ShellRun plan = runShell(planner_ + " plan " + topology.string() + " --marathon " +
                           marathon_.url() + " --state_dir " + (dir_ / "state").string());
  ASSERT_EQ(plan.exitCode, 0) << plan.output;
  EXPECT_NE(plan.output.find("Chronos jobs: skipped: no Chronos URL"), std::string::npos)
      << plan.output;
  EXPECT_EQ(chronosWrites(), 0);
  auto log = chronos_.requests();
  ASSERT_OK(log);
  EXPECT_TRUE(log->empty());
}

}  // namespace
}  // namespace ceph_planner
