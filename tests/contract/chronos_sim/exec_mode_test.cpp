// chronos-sim in exec mode (job commands run under /bin/sh through the process runner, real time)
// and the chronos-sim binary itself (ready line, SIGTERM).

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/testing.h"
#include "sim/chronos/exec_executor.h"
#include "sim/chronos/sim_server.h"
#include "sim/common/process_runner.h"
#include "tests/contract/chronos_sim/test_http.h"

namespace ceph_planner::chronos_sim {
namespace {

using nlohmann::json;
using testing::request;

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "chronos-sim-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class ChronosExecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ChronosSimOptions options;
    options.engine.failureRetryMillis = 50;
    std::string sandbox = dir_.path() + "/sandbox";
    options.makeExecutor = [sandbox] { return std::make_unique<ExecExecutor>(sandbox); };
    auto sim = ChronosSim::start(options);
    ASSERT_OK(sim);
    sim_ = std::move(*sim);
    base_ = sim_->baseUrl() + "/v1/scheduler";
  }
  void TearDown() override {
    if (sim_) sim_->stop();
  }
  json job(const std::string& name) {
    auto r = request("GET", base_ + "/job/" + name);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }

  TempDir dir_;
  std::unique_ptr<ChronosSim> sim_;
  std::string base_;
};

TEST_F(ChronosExecTest, SucceedingCommandRunsAndSuccessCountRises) {
  std::string out = dir_.path() + "/out.txt";
  json body = {{"name", "echoer"},
               {"command", "echo \"ran $CHRONOS_JOB_NAME\" >> \"$OUT\""},
               {"schedule", "R2//PT0.3S"},
               {"environmentVariables", {{{"name", "OUT"}, {"value", out}}}}};
  ASSERT_EQ(request("POST", base_ + "/iso8601", body.dump()).status, 204);
  ASSERT_TRUE(waitFor([&] { return job("echoer")["successCount"] == 2; }, std::chrono::seconds(10)))
      << job("echoer").dump();
  EXPECT_EQ(readFile(out), "ran echoer\nran echoer\n");
  json j = job("echoer");
  EXPECT_EQ(j["errorCount"], 0);
  EXPECT_NE(j["lastSuccess"], "");
  EXPECT_EQ(j["disabled"], true);
  EXPECT_EQ(j["schedule"].get<std::string>().rfind("R0/", 0), 0u) << j["schedule"];
}

TEST_F(ChronosExecTest, FailingCommandIsRetriedThenCountedAsError) {
  json body = {{"name", "failer"}, {"command", "exit 1"}, {"retries", 1}, {"schedule", "R1//PT1H"}};
  ASSERT_EQ(request("POST", base_ + "/iso8601", body.dump()).status, 204);
  ASSERT_TRUE(waitFor([&] { return job("failer")["errorCount"] == 1; }, std::chrono::seconds(10)))
      << job("failer").dump();
  json j = job("failer");
  EXPECT_EQ(j["successCount"], 0);
  EXPECT_EQ(j["errorsSinceLastSuccess"], 1);
  EXPECT_NE(j["lastError"], "");
  json runs = json::parse(request("GET", sim_->baseUrl() + "/sim/runs").body);
  ASSERT_EQ(runs.size(), 2u) << "one run and one retry: " << runs.dump();
  EXPECT_EQ(runs[0]["attempt"], 0);
  EXPECT_EQ(runs[1]["attempt"], 1);
  EXPECT_EQ(runs[0]["status"], "failed");
  EXPECT_EQ(runs[1]["status"], "failed");
}

TEST_F(ChronosExecTest, KillStopsARunningCommand) {
  json body = {{"name", "sleeper"}, {"command", "sleep 30"}, {"schedule", "R1//PT1H"}};
  ASSERT_EQ(request("POST", base_ + "/iso8601", body.dump()).status, 204);
  auto summaryState = [&] {
    json s = json::parse(request("GET", base_ + "/jobs/summary").body);
    return s["jobs"][0]["state"].get<std::string>();
  };
  ASSERT_TRUE(waitFor([&] { return summaryState() == "1 running"; }, std::chrono::seconds(10)));
  EXPECT_EQ(request("DELETE", base_ + "/task/kill/sleeper").status, 204);
  ASSERT_TRUE(waitFor([&] { return summaryState() == "idle"; }, std::chrono::seconds(10)));
  json j = job("sleeper");
  EXPECT_EQ(j["errorCount"], 0);
  EXPECT_EQ(j["successCount"], 0);
}

TEST(ChronosSimBinary, PrintsReadyLineServesAndStopsOnSigterm) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  sim::ProcessRunner runner;
  sim::LaunchSpec spec;
  spec.id = "chronos-sim";
  spec.argv = {std::string(CP_BINARY_DIR) + "/sim/chronos/chronos-sim", "--listen", "127.0.0.1:0",
               "--time-scale", "60"};
  spec.sandboxDir = dir.path();
  // The runner passes no environment through; keep sanitizer settings for CP_SANITIZE builds.
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = getenv(name)) spec.env[name] = value;
  }
  auto launched = runner.launch(spec);
  ASSERT_OK(launched);
  std::string url;
  ASSERT_TRUE(waitFor(
      [&] {
        std::string out = readFile(launched->stdoutPath);
        const std::string marker = "chronos-sim listening on ";
        size_t pos = out.find(marker);
        if (pos == std::string::npos || out.find('\n', pos) == std::string::npos) return false;
        url = out.substr(pos + marker.size(), out.find('\n', pos) - pos - marker.size());
        return true;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << url;
  EXPECT_EQ(request("GET", url + "/ping").status, 200);
  ASSERT_OK(runner.kill("chronos-sim", std::chrono::seconds(5)));
  auto exit = runner.waitForExit("chronos-sim", std::chrono::seconds(10));
  ASSERT_OK(exit);
  EXPECT_FALSE(exit->sigkillSent);
  EXPECT_FALSE(exit->status.signaled) << exit->describe();
  EXPECT_EQ(exit->status.exitCode, 0) << exit->describe();
}

}  // namespace
}  // namespace ceph_planner::chronos_sim
