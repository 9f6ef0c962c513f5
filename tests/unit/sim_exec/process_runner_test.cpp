#include "sim/common/process_runner.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>

#include "common/testing.h"
#include "exec_test_support.h"

namespace ceph_planner::sim {
namespace {

using namespace std::chrono_literals;
using testing::processAlive;
using testing::readFile;
using testing::readPidFile;
using testing::TempDir;
using testing::waitUntil;

LaunchSpec shellSpec(const std::string& id, const std::string& command, const TempDir& dir) {
  LaunchSpec spec;
  spec.id = id;
  spec.shellCommand = command;
  spec.sandboxDir = dir.sub(id);
  return spec;
}

std::set<std::string> envKeys(const std::string& envOutput) {
  std::set<std::string> keys;
  std::istringstream in(envOutput);
  std::string line;
  while (std::getline(in, line)) keys.insert(line.substr(0, line.find('=')));
  return keys;
}

TEST(ProcessRunnerTest, RunsAShellCommandInItsSandboxAndCapturesStdoutAndStderr) {
  TempDir dir;
  ProcessRunner runner;
  auto launched = runner.launch(shellSpec("task-1", "echo hello; echo oops >&2; pwd", dir));
  ASSERT_OK(launched);
  EXPECT_GT(launched->pid, 1);
  EXPECT_EQ(launched->sandboxDir, dir.sub("task-1"));
  EXPECT_EQ(launched->stdoutPath, dir.sub("task-1") + "/stdout");
  auto exit = runner.waitForExit("task-1", 5s);
  ASSERT_OK(exit);
  EXPECT_TRUE(exit->succeeded()) << exit->describe();
  EXPECT_EQ(exit->pid, launched->pid);
  EXPECT_FALSE(exit->killRequested);
  EXPECT_LE(exit->startedAt, exit->exitedAt);
  EXPECT_EQ(readFile(launched->stdoutPath), "hello\n" + dir.sub("task-1") + "\n");
  EXPECT_EQ(readFile(launched->stderrPath), "oops\n");
  EXPECT_FALSE(runner.running("task-1"));
  EXPECT_ERROR_CODE(runner.pid("task-1"), ErrorCode::NotFound);
}

TEST(ProcessRunnerTest, RunsAnArgvWithoutAShellLookingItUpInTheChildPath) {
  TempDir dir;
  ProcessRunner runner;
  LaunchSpec spec;
  spec.id = "job-run";
  spec.argv = {"echo", "two words", "$NOT_EXPANDED"};
  spec.sandboxDir = dir.sub("job");
  auto launched = runner.launch(spec);
  ASSERT_OK(launched);
  ASSERT_OK(runner.waitForExit("job-run", 5s));
  EXPECT_EQ(readFile(launched->stdoutPath), "two words $NOT_EXPANDED\n");
}

TEST(ProcessRunnerTest, ChildSeesOnlyTheBaseEnvironmentPlusItsOwn) {
  ASSERT_EQ(::setenv("CP_SIM_EXEC_SECRET", "leaked", 1), 0);
  TempDir dir;
  ProcessRunner runner;
  LaunchSpec spec;
  spec.id = "env-task";
  spec.argv = {"env"};  // No shell: a shell would add PWD and the like.
  spec.sandboxDir = dir.sub("env");
  spec.env = {{"PORT0", "31000"}, {"MESOS_TASK_ID", "env-task"}, {"LANG", "C"}};
  spec.bindAddress = "127.0.0.3";
  auto launched = runner.launch(spec);
  ASSERT_OK(launched);
  ASSERT_OK(runner.waitForExit("env-task", 5s));
  ::unsetenv("CP_SIM_EXEC_SECRET");

  const std::string out = readFile(launched->stdoutPath);
  EXPECT_EQ(envKeys(out), (std::set<std::string>{"PATH", "HOME", "LANG", "HOST", "LIBPROCESS_IP",
                                                 "PORT0", "MESOS_TASK_ID"}))
      << out;
  EXPECT_NE(out.find("HOME=" + dir.sub("env") + "\n"), std::string::npos) << out;
  EXPECT_NE(out.find("HOST=127.0.0.3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("LIBPROCESS_IP=127.0.0.3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("LANG=C\n"), std::string::npos) << "the caller's env wins: " << out;
  EXPECT_EQ(out.find("leaked"), std::string::npos) << out;
}

TEST(ProcessRunnerTest, ExplicitEnvWinsOverTheBindAddress) {
  TempDir dir;
  ProcessRunner runner;
  auto spec = shellSpec("host-override", "printf '%s %s' \"$HOST\" \"$LIBPROCESS_IP\"", dir);
  spec.bindAddress = "127.0.0.2";
  spec.env = {{"HOST", "agent-2.example"}};
  auto launched = runner.launch(spec);
  ASSERT_OK(launched);
  ASSERT_OK(runner.waitForExit("host-override", 5s));
  EXPECT_EQ(readFile(launched->stdoutPath), "agent-2.example 127.0.0.2");
}

TEST(ProcessRunnerTest, NoDescriptorOfTheSimulatorLeaksIntoTheChild) {
  // A descriptor opened without O_CLOEXEC, as third-party code might.
  const int raw = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(raw, 0);
  ASSERT_EQ(::dup2(raw, 57), 57);
  ::close(raw);
  TempDir dir;
  ProcessRunner runner;
  auto launched = runner.launch(shellSpec(
      "fd-check",
      "for fd in 3 4 5 6 7 8 9 57; do [ -e /proc/self/fd/$fd ] && echo \"open $fd\"; done; "
      "readlink /proc/self/fd/0",
      dir));
  ::close(57);
  ASSERT_OK(launched);
  ASSERT_OK(runner.waitForExit("fd-check", 5s));
  EXPECT_EQ(readFile(launched->stdoutPath), "/dev/null\n");
}

TEST(ProcessRunnerTest, ReportsExitCodesAndSignals) {
  TempDir dir;
  ProcessRunner runner;
  ASSERT_OK(runner.launch(shellSpec("exits-7", "exit 7", dir)));
  ASSERT_OK(runner.launch(shellSpec("killed-by-usr1", "kill -USR1 $$; sleep 5", dir)));
  auto seven = runner.waitForExit("exits-7", 5s);
  ASSERT_OK(seven);
  EXPECT_FALSE(seven->status.signaled);
  EXPECT_EQ(seven->status.exitCode, 7);
  EXPECT_FALSE(seven->succeeded());
  EXPECT_NE(seven->describe().find("process 'exits-7'"), std::string::npos) << seven->describe();
  EXPECT_NE(seven->describe().find("exited with status 7"), std::string::npos);

  auto usr1 = runner.waitForExit("killed-by-usr1", 5s);
  ASSERT_OK(usr1);
  EXPECT_TRUE(usr1->status.signaled);
  EXPECT_EQ(usr1->status.signal, SIGUSR1);
  EXPECT_NE(usr1->describe().find("killed by signal 10 (SIGUSR1)"), std::string::npos)
      << usr1->describe();
}

TEST(ProcessRunnerTest, PollReturnsEachExitOnceOldestFirst) {
  TempDir dir;
  ProcessRunner runner;
  ASSERT_OK(runner.launch(shellSpec("first", "exit 1", dir)));
  ASSERT_OK(runner.waitForExit("first", 5s));
  ASSERT_OK(runner.launch(shellSpec("second", "exit 2", dir)));
  ASSERT_OK(runner.waitForExit("second", 5s));
  auto exits = runner.poll();
  ASSERT_EQ(exits.size(), 2u);
  EXPECT_EQ(exits[0].id, "first");
  EXPECT_EQ(exits[0].status.exitCode, 1);
  EXPECT_EQ(exits[1].id, "second");
  EXPECT_TRUE(runner.poll().empty());
}

TEST(ProcessRunnerTest, CallbackReceivesExitsAndMayLaunchFromIt) {
  TempDir dir;
  std::mutex mu;
  std::vector<ProcessExit> seen;
  ProcessRunner* self = nullptr;
  ProcessRunner runner([&](const ProcessExit& exit) {
    {
      std::lock_guard<std::mutex> lock(mu);
      seen.push_back(exit);
    }
    // Relaunch once, as marathon-sim does after a task fails.
    if (exit.id == "flaky") ASSERT_OK(self->launch(shellSpec("flaky-2", "exit 0", dir)));
  });
  self = &runner;
  ASSERT_OK(runner.launch(shellSpec("flaky", "exit 3", dir)));
  ASSERT_TRUE(waitUntil([&] {
    std::lock_guard<std::mutex> lock(mu);
    return seen.size() == 2;
  }));
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(seen[0].id, "flaky");
  EXPECT_EQ(seen[0].status.exitCode, 3);
  EXPECT_EQ(seen[1].id, "flaky-2");
  EXPECT_TRUE(seen[1].succeeded());
  EXPECT_TRUE(runner.poll().empty()) << "with a callback nothing is queued";
}

TEST(ProcessRunnerTest, ChildThatTrapsSigtermExitsWithinTheGraceWithoutSigkill) {
  TempDir dir;
  ProcessRunner runner;
  auto launched = runner.launch(shellSpec(
      "graceful", "trap 'echo bye; exit 3' TERM; echo ready; while :; do sleep 0.05; done", dir));
  ASSERT_OK(launched);
  ASSERT_TRUE(waitUntil([&] { return readFile(launched->stdoutPath) == "ready\n"; }));
  EXPECT_TRUE(runner.running("graceful"));
  ASSERT_EQ(*runner.pid("graceful"), launched->pid);

  const auto start = std::chrono::steady_clock::now();
  ASSERT_OK(runner.kill("graceful", 10s));
  auto exit = runner.waitForExit("graceful", 5s);
  ASSERT_OK(exit);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_FALSE(exit->status.signaled) << exit->describe();
  EXPECT_EQ(exit->status.exitCode, 3);
  EXPECT_TRUE(exit->killRequested);
  EXPECT_FALSE(exit->sigkillSent);
  EXPECT_EQ(readFile(launched->stdoutPath), "ready\nbye\n");
}

TEST(ProcessRunnerTest, ChildThatIgnoresSigtermIsSigkilledAfterTheGrace) {
  TempDir dir;
  ProcessRunner runner;
  auto launched = runner.launch(
      shellSpec("stubborn", "trap '' TERM; echo ready; while :; do sleep 0.05; done", dir));
  ASSERT_OK(launched);
  ASSERT_TRUE(waitUntil([&] { return readFile(launched->stdoutPath) == "ready\n"; }));

  const auto start = std::chrono::steady_clock::now();
  ASSERT_OK(runner.kill("stubborn", 500ms));
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(runner.running("stubborn")) << "SIGTERM is ignored, the grace is not over";
  auto exit = runner.waitForExit("stubborn", 5s);
  ASSERT_OK(exit);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 500ms);
  EXPECT_LT(took, 3s);
  EXPECT_TRUE(exit->status.signaled);
  EXPECT_EQ(exit->status.signal, SIGKILL);
  EXPECT_TRUE(exit->sigkillSent);
  EXPECT_NE(exit->describe().find("grace period ran out"), std::string::npos);
  // Killing an exited process is a no-op, not an error.
  EXPECT_OK(runner.kill("stubborn", 1s));
}

TEST(ProcessRunnerTest, ZeroGraceSigkillsAtOnce) {
  TempDir dir;
  ProcessRunner runner;
  ASSERT_OK(runner.launch(shellSpec("now", "trap '' TERM; sleep 30", dir)));
  ASSERT_OK(runner.kill("now", 0ms));
  auto exit = runner.waitForExit("now", 2s);
  ASSERT_OK(exit);
  EXPECT_EQ(exit->status.signal, SIGKILL);
  EXPECT_TRUE(exit->sigkillSent);
}

TEST(ProcessRunnerTest, KillReachesGrandchildren) {
  TempDir dir;
  ProcessRunner runner;
  auto launched =
      runner.launch(shellSpec("parent", "sleep 30 & echo $! > grandchild.pid; wait", dir));
  ASSERT_OK(launched);
  const std::string pidFile = launched->sandboxDir + "/grandchild.pid";
  ASSERT_TRUE(waitUntil([&] { return readPidFile(pidFile) > 1; }));
  const pid_t grandchild = readPidFile(pidFile);
  ASSERT_TRUE(processAlive(grandchild));
  ASSERT_OK(runner.kill("parent", 2s));
  ASSERT_OK(runner.waitForExit("parent", 5s));
  EXPECT_TRUE(waitUntil([&] { return !processAlive(grandchild); }, 2s));
}

TEST(ProcessRunnerTest, LeftoversOfTheGroupDieWhenTheMainProcessExits) {
  TempDir dir;
  ProcessRunner runner;
  auto launched =
      runner.launch(shellSpec("leaves-orphan", "sleep 30 & echo $! > orphan.pid; exit 0", dir));
  ASSERT_OK(launched);
  auto exit = runner.waitForExit("leaves-orphan", 5s);
  ASSERT_OK(exit);
  EXPECT_TRUE(exit->succeeded());
  const pid_t orphan = readPidFile(launched->sandboxDir + "/orphan.pid");
  ASSERT_GT(orphan, 1);
  EXPECT_TRUE(waitUntil([&] { return !processAlive(orphan); }, 2s));
}

TEST(ProcessRunnerTest, ShutdownKillsEverythingAndRefusesNewLaunches) {
  TempDir dir;
  ProcessRunner runner;
  std::vector<pid_t> pids;
  for (const auto& [id, command] : std::vector<std::pair<std::string, std::string>>{
           {"plain", "sleep 30"},
           {"ignores-term", "trap '' TERM; echo ready; while :; do sleep 0.05; done"},
           {"with-child", "sleep 30 & echo $! > child.pid; wait"}}) {
    auto launched = runner.launch(shellSpec(id, command, dir));
    ASSERT_OK(launched);
    pids.push_back(launched->pid);
  }
  const std::string childPidFile = dir.sub("with-child") + "/child.pid";
  ASSERT_TRUE(waitUntil([&] { return readPidFile(childPidFile) > 1; }));
  pids.push_back(readPidFile(childPidFile));
  ASSERT_TRUE(
      waitUntil([&] { return readFile(dir.sub("ignores-term") + "/stdout") == "ready\n"; }));
  EXPECT_EQ(runner.runningIds(), (std::vector<std::string>{"ignores-term", "plain", "with-child"}));

  const auto start = std::chrono::steady_clock::now();
  runner.shutdown(200ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(runner.runningIds().empty());
  for (pid_t pid : pids) {
    EXPECT_TRUE(waitUntil([&] { return !processAlive(pid); }, 2s)) << "pid " << pid;
  }
  auto exits = runner.poll();
  EXPECT_EQ(exits.size(), 3u);
  for (const auto& exit : exits) EXPECT_TRUE(exit.killRequested) << exit.describe();

  EXPECT_ERROR_CODE(runner.launch(shellSpec("late", "true", dir)), ErrorCode::Unavailable);
  runner.shutdown(200ms);  // Idempotent.
}

TEST(ProcessRunnerTest, DestructorCleansUpRunningProcesses) {
  TempDir dir;
  pid_t pid = -1;
  {
    ProcessRunner runner;
    auto launched = runner.launch(shellSpec("abandoned", "sleep 30", dir));
    ASSERT_OK(launched);
    pid = launched->pid;
  }
  EXPECT_FALSE(processAlive(pid));
}

TEST(ProcessRunnerTest, RejectsBadSpecsNamingTheId) {
  TempDir dir;
  ProcessRunner runner;
  LaunchSpec noCommand;
  noCommand.id = "empty";
  noCommand.sandboxDir = dir.sub("empty");
  auto r1 = runner.launch(noCommand);
  EXPECT_ERROR_CODE(r1, ErrorCode::InvalidInput);
  EXPECT_NE(r1.error().message.find("'empty'"), std::string::npos) << r1.error().message;

  auto both = shellSpec("both", "true", dir);
  both.argv = {"true"};
  EXPECT_ERROR_CODE(runner.launch(both), ErrorCode::InvalidInput);

  EXPECT_ERROR_CODE(runner.launch(shellSpec("", "true", dir)), ErrorCode::InvalidInput);
  auto noSandbox = shellSpec("no-sandbox", "true", dir);
  noSandbox.sandboxDir.clear();
  EXPECT_ERROR_CODE(runner.launch(noSandbox), ErrorCode::InvalidInput);

  auto badEnv = shellSpec("bad-env", "true", dir);
  badEnv.env = {{"A=B", "x"}};
  auto r2 = runner.launch(badEnv);
  EXPECT_ERROR_CODE(r2, ErrorCode::InvalidInput);
  EXPECT_NE(r2.error().message.find("'bad-env'"), std::string::npos) << r2.error().message;

  LaunchSpec missing;
  missing.id = "missing-binary";
  missing.argv = {"cp-sim-no-such-binary"};
  missing.sandboxDir = dir.sub("missing");
  auto r3 = runner.launch(missing);
  EXPECT_ERROR_CODE(r3, ErrorCode::InvalidInput);
  EXPECT_NE(r3.error().message.find("'missing-binary'"), std::string::npos);
  EXPECT_NE(r3.error().message.find("cp-sim-no-such-binary"), std::string::npos);

  // A sandbox path under a regular file cannot be created.
  std::ofstream(dir.sub("file")) << "x";
  auto blocked = shellSpec("blocked", "true", dir);
  blocked.sandboxDir = dir.sub("file") + "/sandbox";
  EXPECT_ERROR_CODE(runner.launch(blocked), ErrorCode::Internal);

  EXPECT_ERROR_CODE(runner.kill("never-launched", 1s), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(runner.waitForExit("never-launched", 10ms), ErrorCode::NotFound);
  EXPECT_TRUE(runner.runningIds().empty());
}

TEST(ProcessRunnerTest, DuplicateRunningIdIsAConflictButAnExitedIdCanBeRelaunched) {
  TempDir dir;
  ProcessRunner runner;
  auto first = runner.launch(shellSpec("dup", "echo first; sleep 30", dir));
  ASSERT_OK(first);
  ASSERT_TRUE(waitUntil([&] { return readFile(first->stdoutPath) == "first\n"; }));
  auto again = runner.launch(shellSpec("dup", "true", dir));
  EXPECT_ERROR_CODE(again, ErrorCode::Conflict);
  EXPECT_NE(again.error().message.find("'dup'"), std::string::npos);
  EXPECT_ERROR_CODE(runner.waitForExit("dup", 50ms), ErrorCode::Timeout);

  ASSERT_OK(runner.kill("dup", 0ms));
  ASSERT_OK(runner.waitForExit("dup", 5s));
  auto relaunched = runner.launch(shellSpec("dup", "echo again", dir));
  ASSERT_OK(relaunched);
  auto exit = runner.waitForExit("dup", 5s);
  ASSERT_OK(exit);
  EXPECT_EQ(exit->pid, relaunched->pid);
  EXPECT_TRUE(exit->succeeded());
  // Output files are appended to: a relaunch in the same sandbox keeps the earlier output.
  EXPECT_EQ(readFile(relaunched->stdoutPath), "first\nagain\n");

  runner.forget("dup");
  EXPECT_ERROR_CODE(runner.waitForExit("dup", 10ms), ErrorCode::NotFound);
}

TEST(ProcessRunnerTest, ManyConcurrentLaunchersAndKillers) {
  TempDir dir;
  ProcessRunner runner;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto launched = runner.launch(shellSpec(id, i % 2 ? "sleep 30" : "exit 0", dir));
        EXPECT_TRUE(launched.has_value());
        if (i % 2) {
          EXPECT_TRUE(runner.kill(id, 100ms).has_value());
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) {
    for (int i = 0; i < 5; ++i) {
      auto exit = runner.waitForExit("t" + std::to_string(t) + "-" + std::to_string(i), 5s);
      ASSERT_OK(exit);
      EXPECT_EQ(exit->killRequested, i % 2 == 1);
    }
  }
  EXPECT_EQ(runner.poll().size(), 20u);
}

}  // namespace
}  // namespace ceph_planner::sim
