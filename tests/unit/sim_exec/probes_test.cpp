#include "sim/common/probes.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "exec_test_support.h"

namespace ceph_planner::sim {
namespace {

using namespace std::chrono_literals;
using testing::processAlive;
using testing::readPidFile;
using testing::TempDir;
using testing::TinyHttpServer;
using testing::unusedLoopbackPort;
using testing::waitUntil;

TEST(HttpProbeTest, HealthyFor2xxAnd3xxUnhealthyOtherwise) {
  TinyHttpServer server;
  server.respond("/ok", 200);
  server.respond("/moved", 302);
  server.respond("/broken", 500);
  server.respond("/early", 101);

  auto ok = probeHttp("127.0.0.1", server.port(), "/ok", 2s);
  EXPECT_TRUE(ok.healthy) << ok.error;
  EXPECT_EQ(ok.statusCode, 200);
  EXPECT_EQ(ok.error, "");

  auto moved = probeHttp("127.0.0.1", server.port(), "/moved", 2s);
  EXPECT_TRUE(moved.healthy) << moved.error;
  EXPECT_EQ(moved.statusCode, 302);

  auto broken = probeHttp("127.0.0.1", server.port(), "/broken", 2s);
  EXPECT_FALSE(broken.healthy);
  EXPECT_EQ(broken.statusCode, 500);
  EXPECT_NE(broken.error.find("status code 500"), std::string::npos) << broken.error;

  auto missing = probeHttp("127.0.0.1", server.port(), "/nothing-here", 2s);
  EXPECT_FALSE(missing.healthy);
  EXPECT_EQ(missing.statusCode, 404);

  // 1xx is reported but not healthy; `ignoreHttp1xx` is the caller's business.
  auto early = probeHttp("127.0.0.1", server.port(), "/early", 2s);
  EXPECT_FALSE(early.healthy);
  EXPECT_EQ(early.statusCode, 101);
}

TEST(HttpProbeTest, SendsAGetWithALeadingSlash) {
  TinyHttpServer server;
  server.respond("/health", 204);
  EXPECT_TRUE(probeHttp("127.0.0.1", server.port(), "health", 2s).healthy);
  server.respond("/", 200);
  EXPECT_TRUE(probeHttp("127.0.0.1", server.port(), "", 2s).healthy);
  const auto lines = server.requestLines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "GET /health HTTP/1.1");
  EXPECT_EQ(lines[1], "GET / HTTP/1.1");
}

TEST(HttpProbeTest, AServerThatNeverAnswersTimesOut) {
  TinyHttpServer server;
  const auto start = std::chrono::steady_clock::now();
  auto hung = probeHttp("127.0.0.1", server.port(), "/hang", 250ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(hung.healthy);
  EXPECT_EQ(hung.statusCode, 0);
  EXPECT_NE(hung.error.find("timed out"), std::string::npos) << hung.error;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 2s);
  EXPECT_GE(hung.elapsed, 250ms);
}

TEST(HttpProbeTest, NonHttpAnswerIsUnhealthy) {
  TinyHttpServer server;
  auto garbage = probeHttp("127.0.0.1", server.port(), "/garbage", 2s);
  EXPECT_FALSE(garbage.healthy);
  EXPECT_NE(garbage.error.find("malformed status line"), std::string::npos) << garbage.error;
}

TEST(HttpProbeTest, ClosedPortIsUnhealthyAtOnce) {
  const int port = unusedLoopbackPort();
  auto refused = probeHttp("127.0.0.1", port, "/", 2s);
  EXPECT_FALSE(refused.healthy);
  EXPECT_NE(refused.error.find("refused"), std::string::npos) << refused.error;
  EXPECT_NE(refused.error.find("127.0.0.1:" + std::to_string(port)), std::string::npos);
  EXPECT_LT(refused.elapsed, 1s);
}

TEST(HttpProbeTest, HttpsIsRefusedWithAClearMessage) {
  TinyHttpServer server;
  server.respond("/", 200);
  auto https = probeHttp("127.0.0.1", server.port(), "/", 2s, /*https=*/true);
  EXPECT_FALSE(https.healthy);
  EXPECT_NE(https.error.find("https health checks are not supported"), std::string::npos);
  EXPECT_TRUE(server.requestLines().empty()) << "no connection is attempted";
}

TEST(TcpProbeTest, OpenPortIsHealthyClosedPortIsNot) {
  TinyHttpServer server;
  auto open = probeTcp("127.0.0.1", server.port(), 2s);
  EXPECT_TRUE(open.healthy) << open.error;
  EXPECT_EQ(open.error, "");

  auto closed = probeTcp("127.0.0.1", unusedLoopbackPort(), 2s);
  EXPECT_FALSE(closed.healthy);
  EXPECT_NE(closed.error.find("refused"), std::string::npos) << closed.error;

  auto invalid = probeTcp("127.0.0.1", 0, 2s);
  EXPECT_FALSE(invalid.healthy);
  EXPECT_NE(invalid.error.find("invalid port"), std::string::npos) << invalid.error;

  auto unresolvable = probeTcp("not a host name", 80, 2s);
  EXPECT_FALSE(unresolvable.healthy);
  EXPECT_NE(unresolvable.error.find("cannot resolve"), std::string::npos) << unresolvable.error;
}

TEST(CommandProbeTest, ExitCodeDecidesHealth) {
  TempDir dir;
  auto ok = runCommandProbe("exit 0", {}, dir.path().string(), 2s);
  EXPECT_TRUE(ok.healthy) << ok.error;
  EXPECT_EQ(ok.exitCode, 0);

  auto failing = runCommandProbe("echo out; echo err >&2; exit 1", {}, dir.path().string(), 2s);
  EXPECT_FALSE(failing.healthy);
  EXPECT_EQ(failing.exitCode, 1);
  EXPECT_NE(failing.error.find("exited with status 1"), std::string::npos) << failing.error;
  EXPECT_EQ(failing.output, "out\nerr\n");
}

TEST(CommandProbeTest, RunsInTheSandboxWithTheGivenEnvironmentOnly) {
  TempDir dir;
  ::setenv("CP_SIM_PROBE_SECRET", "leaked", 1);
  auto probe = runCommandProbe(
      "test \"$PWD\" = \"$MESOS_SANDBOX\" && test \"$HOME\" = \"$MESOS_SANDBOX\" && "
      "test -z \"$CP_SIM_PROBE_SECRET\" && test \"$PORT0\" = 31001",
      {{"MESOS_SANDBOX", dir.path().string()}, {"PORT0", "31001"}}, dir.path().string(), 2s);
  ::unsetenv("CP_SIM_PROBE_SECRET");
  EXPECT_TRUE(probe.healthy) << probe.error << " " << probe.output;
}

TEST(CommandProbeTest, TimeoutKillsTheProbesWholeGroup) {
  TempDir dir;
  const auto start = std::chrono::steady_clock::now();
  auto slow = runCommandProbe("sleep 30 & echo $! > probe-child.pid; sleep 30", {},
                              dir.path().string(), 300ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(slow.healthy);
  EXPECT_EQ(slow.exitCode, -1);
  EXPECT_NE(slow.error.find("timed out after 300 ms"), std::string::npos) << slow.error;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 2s);
  const pid_t child = readPidFile(dir.sub("probe-child.pid"));
  ASSERT_GT(child, 1);
  EXPECT_TRUE(waitUntil([&] { return !processAlive(child); }, 2s));
}

TEST(CommandProbeTest, OutputIsBoundedAndAChattyProbeDoesNotBlock) {
  TempDir dir;
  // ~1 MiB of output: more than a pipe holds, so the probe must keep reading.
  auto chatty = runCommandProbe(
      "i=0; while [ $i -lt 16384 ]; do "
      "echo 0123456789012345678901234567890123456789012345678901234567890; "
      "i=$((i+1)); done",
      {}, dir.path().string(), 10s);
  EXPECT_TRUE(chatty.healthy) << chatty.error;
  EXPECT_EQ(chatty.output.size(), kProbeOutputLimit);
}

TEST(CommandProbeTest, MissingSandboxIsUnhealthyWithAReason) {
  TempDir dir;
  auto probe = runCommandProbe("true", {}, dir.sub("does-not-exist"), 2s);
  EXPECT_FALSE(probe.healthy);
  EXPECT_NE(probe.error.find("does-not-exist"), std::string::npos) << probe.error;
}

}  // namespace
}  // namespace ceph_planner::sim
