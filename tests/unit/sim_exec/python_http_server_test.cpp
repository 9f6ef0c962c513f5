// End-to-end use of the exec pieces the way marathon-sim `--exec` combines them: a real HTTP server
// task launched through the runner on an agent's loopback address, probed healthy, killed, probed
// unhealthy.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>

#include "common/testing.h"
#include "exec_test_support.h"
#include "sim/common/probes.h"
#include "sim/common/process_runner.h"

namespace ceph_planner::sim {
namespace {

using namespace std::chrono_literals;
using testing::processAlive;
using testing::readFile;
using testing::TempDir;
using testing::unusedLoopbackPort;
using testing::waitUntil;

TEST(ExecHttpTaskTest, PythonHttpServerIsHealthyWhileRunningAndUnhealthyAfterKill) {
  TempDir dir;
  ProcessRunner runner;
  const std::string agent = "127.0.0.2";  // A simulated agent's own loopback address.
  const int port = unusedLoopbackPort();

  LaunchSpec spec;
  spec.id = "web.instance-1";
  spec.shellCommand = "exec python3 -m http.server --bind \"$HOST\" \"$PORT0\"";
  spec.sandboxDir = dir.sub("web");
  spec.bindAddress = agent;
  spec.env = {{"PORT0", std::to_string(port)}, {"PORTS", std::to_string(port)}};
  auto launched = runner.launch(spec);
  ASSERT_OK(launched);

  ProbeResult last;
  const bool up = waitUntil(
      [&] {
        last = probeHttp(agent, port, "/", 500ms);
        return last.healthy;
      },
      15s);
  ASSERT_TRUE(up) << last.error << "\nstderr: " << readFile(launched->stderrPath);
  EXPECT_EQ(last.statusCode, 200);
  EXPECT_TRUE(probeTcp(agent, port, 500ms).healthy);
  // Bound to the agent address only, not to 127.0.0.1.
  EXPECT_FALSE(probeTcp("127.0.0.1", port, 500ms).healthy);
  // The server logs requests to stderr, in the sandbox.
  EXPECT_NE(readFile(launched->stderrPath).find("\"GET / HTTP/1.1\" 200"), std::string::npos);

  ASSERT_OK(runner.kill(spec.id, 3s));
  auto exit = runner.waitForExit(spec.id, 5s);
  ASSERT_OK(exit);
  EXPECT_TRUE(exit->status.signaled) << exit->describe();
  EXPECT_EQ(exit->status.signal, SIGTERM);
  EXPECT_FALSE(exit->sigkillSent);
  EXPECT_FALSE(processAlive(launched->pid));

  auto after = probeHttp(agent, port, "/", 500ms);
  EXPECT_FALSE(after.healthy);
  EXPECT_EQ(after.statusCode, 0);
  EXPECT_NE(after.error.find("refused"), std::string::npos) << after.error;
}

}  // namespace
}  // namespace ceph_planner::sim
