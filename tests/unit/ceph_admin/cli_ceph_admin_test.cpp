// CliCephAdmin with the real process runner: argv, exit-code mapping, deadlines, and the
// recorded outputs replayed by tests/testdata/ceph16/fake-ceph.sh (the `--ceph_binary` of e2e).

#include "ceph/cli_ceph_admin.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ceph/fake_ceph_admin.h"
#include "common/testing.h"

namespace ceph_planner::ceph {
namespace {

namespace fs = std::filesystem;

const fs::path kData = fs::path(CP_SOURCE_DIR) / "tests/testdata/ceph16";

class CliCephAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cp-ceph-admin-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    ::unsetenv("CEPH_FAKE_STATE");
    ::unsetenv("CEPH_FAKE_LOG");
    fs::remove_all(dir_);
  }

  // A `ceph` stand-in: a shell script with `body`.
  std::string script(const std::string& body) {
    fs::path path = dir_ / "ceph";
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    fs::permissions(path, fs::perms::owner_all);
    return path.string();
  }

  CliCephAdmin admin(const std::string& binary,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    CliCephAdminOptions options;
    options.binary = binary;
    options.timeout = timeout;
    return CliCephAdmin(options, makeProcessCommandRunner());
  }

  std::string readFile(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
};

TEST_F(CliCephAdminTest, ArgvCarriesConnectionOptionsTheDeadlineAndJsonFormat) {
  CliCephAdminOptions options;
  options.binary = "/opt/ceph";
  options.conf = "/etc/ceph/box.conf";
  options.name = "client.planner";
  options.keyring = "/etc/ceph/box.client.planner.keyring";
  options.timeout = std::chrono::seconds(20);
  CliCephAdmin cli(options, makeProcessCommandRunner());
  EXPECT_EQ(cli.argvFor({"pg", "stat"}),
            (std::vector<std::string>{"/opt/ceph", "--conf", "/etc/ceph/box.conf", "--name",
                                      "client.planner", "--keyring",
                                      "/etc/ceph/box.client.planner.keyring", "--connect-timeout",
                                      "19", "pg", "stat", "-f", "json"}));
  CliCephAdminOptions bare;
  bare.timeout = std::chrono::milliseconds(500);
  EXPECT_EQ(CliCephAdmin(bare, makeProcessCommandRunner()).argvFor({"health", "detail"}),
            (std::vector<std::string>{"ceph", "--connect-timeout", "1", "health", "detail", "-f",
                                      "json"}));
  EXPECT_EQ(recordingKey(cli.argvFor({"osd", "ok-to-stop", "0"})), "osd_ok-to-stop_0");
}

TEST_F(CliCephAdminTest, ReplaysRecordingsThroughTheFakeCephScript) {
  ::setenv("CEPH_FAKE_STATE", (kData / "osd_down").c_str(), 1);
  ::setenv("CEPH_FAKE_LOG", (dir_ / "calls.log").c_str(), 1);
  CliCephAdmin cli = admin((kData / "fake-ceph.sh").string());
  auto health = cli.health();
  ASSERT_OK(health);
  EXPECT_EQ(health->status, "HEALTH_WARN");
  auto stop = cli.okToStop({0});
  ASSERT_OK(stop);
  EXPECT_FALSE(stop->ok);
  EXPECT_EQ(stop->message,
            "unsafe to stop osd(s) at this time (21 PGs are or would become offline)");
  auto reweight = cli.testReweightByUtilization(ReweightBounds{101, 0.05, 4});
  ASSERT_OK(reweight);
  EXPECT_EQ(reweight->message, "no change");
  auto missing = cli.okToStop({7});
  EXPECT_ERROR_CODE(missing, ErrorCode::NotFound);  // The script answers ENOENT like Ceph.
  EXPECT_EQ(readFile(dir_ / "calls.log"),
            "health_detail\nosd_ok-to-stop_0\nosd_test-reweight-by-utilization_101_0.05_4\n"
            "osd_ok-to-stop_7\n");
}

TEST_F(CliCephAdminTest, ExitCodesMapToErrorCodesWithCephsMessage) {
  struct Row {
    int exitCode;
    ErrorCode code;
  };
  for (const Row& row : {Row{110, ErrorCode::Unavailable}, Row{111, ErrorCode::Unavailable},
                         Row{13, ErrorCode::PermissionDenied}, Row{1, ErrorCode::PermissionDenied},
                         Row{22, ErrorCode::InvalidInput}, Row{2, ErrorCode::NotFound},
                         Row{95, ErrorCode::NotFound}, Row{5, ErrorCode::Internal}}) {
    CliCephAdmin cli = admin(script("echo 'Error EXYZ: something went wrong' >&2; exit " +
                                    std::to_string(row.exitCode)));
    auto result = cli.pgStat();
    EXPECT_ERROR_CODE(result, row.code);
    EXPECT_EQ(result.error().message, "'ceph pg stat' failed with exit code " +
                                          std::to_string(row.exitCode) + ": something went wrong");
  }
}

TEST_F(CliCephAdminTest, GarbageOutputIsAnInternalErrorNamingTheCommand) {
  CliCephAdmin cli = admin(script("echo 'HEALTH_OK'"));
  auto health = cli.health();
  EXPECT_ERROR_CODE(health, ErrorCode::Internal);
  EXPECT_NE(health.error().message.find("cannot parse the output of 'ceph health detail'"),
            std::string::npos);
}

TEST_F(CliCephAdminTest, AHangingCommandIsKilledAtTheDeadline) {
  // The script's child (sleep) is in the same process group and dies with it.
  CliCephAdmin cli = admin(script("sleep 30"), std::chrono::milliseconds(300));
  auto start = std::chrono::steady_clock::now();
  auto result = cli.quorumStatus();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_ERROR_CODE(result, ErrorCode::Timeout);
  EXPECT_NE(result.error().message.find("cannot run 'ceph quorum_status'"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(CliCephAdminTest, AMissingBinaryIsUnavailable) {
  CliCephAdmin cli = admin((dir_ / "no-such-ceph").string());
  auto result = cli.health();
  EXPECT_ERROR_CODE(result, ErrorCode::Unavailable);
  EXPECT_NE(result.error().message.find("not found"), std::string::npos);
}

TEST_F(CliCephAdminTest, WritesSendTheExpectedWords) {
  CliCephAdmin cli = admin(script("echo \"$*\" >> " + (dir_ / "args").string()));
  EXPECT_OK(cli.setBalancerMode("upmap"));
  EXPECT_OK(cli.setBalancerActive(true));
  auto optimized = cli.balancerOptimize("p1");
  ASSERT_OK(optimized);
  EXPECT_TRUE(optimized->planCreated);
  EXPECT_OK(cli.balancerExecute("p1"));
  EXPECT_OK(cli.balancerRemove("p1"));
  EXPECT_OK(cli.reweight(3, 0.85));
  EXPECT_ERROR_CODE(cli.reweight(3, 1.5), ErrorCode::InvalidInput);
  auto none = cli.reweightByUtilization(ReweightBounds{110, 0.1, 2});
  ASSERT_OK(none);
  EXPECT_FALSE(none->changed);
  EXPECT_ERROR_CODE(cli.okToStop({}), ErrorCode::InvalidInput);
  const std::string prefix = "--connect-timeout 9 ";
  EXPECT_EQ(readFile(dir_ / "args"),
            prefix + "balancer mode upmap -f json\n" + prefix + "balancer on -f json\n" + prefix +
                "balancer optimize p1 -f json\n" + prefix + "balancer execute p1 -f json\n" +
                prefix + "balancer rm p1 -f json\n" + prefix + "osd reweight 3 0.85 -f json\n" +
                prefix + "osd reweight-by-utilization 110 0.1 2 -f json\n");
}

}  // namespace
}  // namespace ceph_planner::ceph
