// The Mesos fetcher of marathon-sim `--exec`: http and file URIs into the sandbox, destPath,
// executable, extraction, failures (404, missing file, bad scheme, hung server), and the engine
// running a task only after its URIs are fetched (and failing it with the reason when not).

#include "sim/marathon/fetcher.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/testing.h"
#include "exec_test_support.h"
#include "sim/common/probes.h"
#include "sim/common/process_runner.h"
#include "sim/marathon/agents.h"
#include "sim/marathon/engine.h"
#include "sim/marathon/exec_driver.h"

namespace ceph_planner::marathon_sim {
namespace {

using namespace std::chrono_literals;
using sim::testing::readFile;
using sim::testing::TempDir;
using sim::testing::TinyHttpServer;
using sim::testing::unusedLoopbackPort;
using sim::testing::waitUntil;

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Runs a shell command (test fixtures: archives); aborts the test on failure.
void sh(const std::string& command, const std::string& dir) {
  auto r = sim::runCommandProbe(command, {}, dir, 10s);
  ASSERT_TRUE(r.healthy) << command << ": " << r.error << " " << r.output;
}

// Serves `root` over HTTP on 127.0.0.1 with python's http.server (a real file server).
class FileServer {
 public:
  explicit FileServer(const std::string& root, const std::string& sandbox)
      : port_(unusedLoopbackPort()) {
    sim::LaunchSpec spec;
    spec.id = "files";
    spec.shellCommand = "exec python3 -m http.server --bind 127.0.0.1 --directory '" + root + "' " +
                        std::to_string(port_);
    spec.sandboxDir = sandbox;
    ok_ = runner_.launch(spec).has_value() &&
          waitUntil([&] { return sim::probeTcp("127.0.0.1", port_, 200ms).healthy; }, 10s);
  }
  bool ok() const { return ok_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/" + path;
  }

 private:
  int port_;
  sim::ProcessRunner runner_;
  bool ok_ = false;
};

class FetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.sub("www/sub"));
    std::filesystem::create_directories(dir_.sub("box"));
    box_ = dir_.sub("box");
  }
  FetchSpec spec(const std::string& uri) {
    FetchSpec f;
    f.uri = uri;
    return f;
  }
  TempDir dir_;
  std::string box_;
};

TEST_F(FetcherTest, HttpDownloadIsByteIdenticalAndNamedAfterTheLastSegment) {
  std::string payload;
  for (int i = 0; i < 70000; ++i) payload.push_back(static_cast<char>(i * 7 % 256));
  writeFile(dir_.sub("www/sub/ceph.conf"), payload);
  FileServer server(dir_.sub("www"), dir_.sub("server"));
  ASSERT_TRUE(server.ok());

  auto r = fetchUri(spec(server.url("sub/ceph.conf?token=abc#frag")), box_);
  ASSERT_OK(r);
  EXPECT_EQ(*r, box_ + "/ceph.conf");
  EXPECT_EQ(readFile(box_ + "/ceph.conf"), payload);
  EXPECT_FALSE(std::filesystem::exists(box_ + "/ceph.conf.fetching"));

  // From the agent's own address, so a file server can tell which agent asks.
  FetchOptions fromAgent;
  fromAgent.sourceAddress = "127.0.0.3";
  FetchSpec named = spec(server.url("sub/ceph.conf"));
  named.destPath = "again.conf";
  ASSERT_OK(fetchUri(named, box_, fromAgent));
  EXPECT_EQ(readFile(box_ + "/again.conf"), payload);
  EXPECT_TRUE(waitUntil([&] {
    return readFile(dir_.sub("server/stderr")).find("127.0.0.3 - - ") != std::string::npos;
  }));
}

TEST_F(FetcherTest, DestPathRenamesIntoSubdirectoriesAndMustStayInTheSandbox) {
  writeFile(dir_.sub("src.txt"), "hello");
  FetchSpec f = spec("file://" + dir_.sub("src.txt"));
  f.destPath = "etc/ceph/renamed.txt";
  auto r = fetchUri(f, box_);
  ASSERT_OK(r);
  EXPECT_EQ(readFile(box_ + "/etc/ceph/renamed.txt"), "hello");

  f.destPath = "/tmp/escape";
  EXPECT_ERROR_CODE(fetchUri(f, box_), ErrorCode::InvalidInput);
  f.destPath = "a/../../escape";
  EXPECT_ERROR_CODE(fetchUri(f, box_), ErrorCode::InvalidInput);
  EXPECT_FALSE(std::filesystem::exists(dir_.sub("escape")));
}

TEST_F(FetcherTest, LocalSourcesAndSchemes) {
  writeFile(dir_.sub("a.bin"), "abc");
  ASSERT_OK(fetchUri(spec(dir_.sub("a.bin")), box_));  // Bare absolute path.
  EXPECT_EQ(readFile(box_ + "/a.bin"), "abc");
  writeFile(dir_.sub("a.bin"), "changed");
  ASSERT_OK(fetchUri(spec("file://localhost" + dir_.sub("a.bin")), box_));  // Replaced.
  EXPECT_EQ(readFile(box_ + "/a.bin"), "changed");

  EXPECT_ERROR_CODE(fetchUri(spec("file://" + dir_.sub("missing")), box_), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(fetchUri(spec("s3://bucket/key"), box_), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(fetchUri(spec("relative/path"), box_), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(fetchUri(spec("http://127.0.0.1:1/"), box_), ErrorCode::InvalidInput);
}

TEST_F(FetcherTest, HttpErrorsAndRefusedConnectionsFailWithCurlsReason) {
  FileServer server(dir_.sub("www"), dir_.sub("server"));
  ASSERT_TRUE(server.ok());
  auto r = fetchUri(spec(server.url("nope.keyring")), box_);
  EXPECT_ERROR_CODE(r, ErrorCode::Unavailable);
  EXPECT_NE(r.error().message.find("404"), std::string::npos) << r.error().message;
  EXPECT_FALSE(std::filesystem::exists(box_ + "/nope.keyring"));
  EXPECT_FALSE(std::filesystem::exists(box_ + "/nope.keyring.fetching"));

  auto refused =
      fetchUri(spec("http://127.0.0.1:" + std::to_string(unusedLoopbackPort()) + "/x"), box_);
  EXPECT_ERROR_CODE(refused, ErrorCode::Unavailable);
}

TEST_F(FetcherTest, AHungServerTimesOut) {
  TinyHttpServer server;
  const auto start = std::chrono::steady_clock::now();
  FetchOptions options;
  options.timeout = 1500ms;
  auto r =
      fetchUri(spec("http://127.0.0.1:" + std::to_string(server.port()) + "/hang"), box_, options);
  EXPECT_FALSE(r.has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_FALSE(std::filesystem::exists(box_ + "/hang"));
}

TEST_F(FetcherTest, ArchivesAreExtractedUnlessExecutableOrExtractIsOff) {
  writeFile(dir_.sub("www/inner.txt"), "inside");
  sh("tar -czf bundle.tgz inner.txt && python3 -c \"import zipfile; "
     "zipfile.ZipFile('bundle.zip','w').write('inner.txt','zipped.txt')\"",
     dir_.sub("www"));

  ASSERT_OK(fetchUri(spec(dir_.sub("www/bundle.tgz")), box_));
  EXPECT_EQ(readFile(box_ + "/inner.txt"), "inside");
  EXPECT_TRUE(std::filesystem::exists(box_ + "/bundle.tgz"));  // The archive is kept.
  ASSERT_OK(fetchUri(spec(dir_.sub("www/bundle.zip")), box_));
  EXPECT_EQ(readFile(box_ + "/zipped.txt"), "inside");

  TempDir other;
  FetchSpec off = spec(dir_.sub("www/bundle.tgz"));
  off.extract = false;
  ASSERT_OK(fetchUri(off, other.path().string()));
  EXPECT_FALSE(std::filesystem::exists(other.sub("inner.txt")));

  FetchSpec exe = spec(dir_.sub("www/bundle.tgz"));
  exe.executable = true;  // Executable wins over extract, as in Mesos.
  TempDir third;
  ASSERT_OK(fetchUri(exe, third.path().string()));
  EXPECT_FALSE(std::filesystem::exists(third.sub("inner.txt")));
  struct stat st {};
  ASSERT_EQ(::stat(third.sub("bundle.tgz").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0755u);

  writeFile(dir_.sub("broken.tar.gz"), "not an archive");
  auto broken = fetchUri(spec(dir_.sub("broken.tar.gz")), box_);
  EXPECT_ERROR_CODE(broken, ErrorCode::Internal);
  EXPECT_NE(broken.error().message.find("cannot extract"), std::string::npos);
}

TEST_F(FetcherTest, FetchAllStopsAtTheFirstFailureAndLogsEachUri) {
  writeFile(dir_.sub("one"), "1");
  std::ostringstream log;
  Status s =
      fetchAll({spec(dir_.sub("one")), spec(dir_.sub("two")), spec(dir_.sub("one"))}, box_, log);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message.rfind("fetch of '" + dir_.sub("two") + "' failed: ", 0), 0u)
      << s.error().message;
  EXPECT_NE(log.str().find("fetched '" + dir_.sub("one") + "'"), std::string::npos);
  EXPECT_NE(log.str().find("failed"), std::string::npos);
}

// The engine in exec mode: a task runs only after its fetch; a failed fetch fails the task.
class ExecFetchEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto agents = parseAgentsYaml(R"(
agents:
  - {hostname: h1, ip: 127.0.0.2, resources: {cpus: 4, mem: 4096, disk: 1000, ports: "[31000-31010]"}}
)");
    ASSERT_TRUE(agents.has_value());
    engine_ =
        std::make_unique<Engine>(systemClock(), *agents, 1, makeExecDriver(dir_.sub("sb")), true);
  }
  void TearDown() override { engine_.reset(); }
  Json app(const std::string& id) {
    AppEmbeds e;
    e.tasks = true;
    e.lastTaskFailure = true;
    return engine_->getApp(id, e).value()["app"];
  }
  bool runUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
    return waitUntil(
        [&] {
          engine_->tick();
          return done();
        },
        timeout);
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(ExecFetchEngineTest, CommandSeesFetchedFilesAndFailedFetchFailsTheTask) {
  writeFile(dir_.sub("conf"), "fsid = 42\n");
  Json good = {{"id", "/good"},
               {"cmd", "cp conf copied && exec sleep 30"},
               {"cpus", 0.1},
               {"mem", 16},
               {"fetch", {{{"uri", "file://" + dir_.sub("conf")}}}}};
  ASSERT_TRUE(engine_->createApp(good, false).ok());
  ASSERT_TRUE(runUntil([&] { return app("/good")["tasksRunning"] == 1; }));
  const std::string taskId = app("/good")["tasks"][0]["id"];
  const std::string box = dir_.sub("sb") + "/" + taskId;
  ASSERT_TRUE(waitUntil([&] { return readFile(box + "/copied") == "fsid = 42\n"; }));
  EXPECT_NE(readFile(box + "/stderr").find("fetched 'file://"), std::string::npos);

  Json bad = {{"id", "/bad"},
              {"cmd", "touch ran && exec sleep 30"},
              {"cpus", 0.1},
              {"mem", 16},
              {"fetch", {{{"uri", "file://" + dir_.sub("absent.keyring")}}}}};
  ASSERT_TRUE(engine_->createApp(bad, false).ok());
  ASSERT_TRUE(runUntil([&] { return app("/bad").contains("lastTaskFailure"); }));
  Json failure = app("/bad")["lastTaskFailure"];
  EXPECT_EQ(failure["state"], "TASK_FAILED");
  const std::string message = failure["message"];
  EXPECT_NE(message.find("fetch of 'file://" + dir_.sub("absent.keyring") + "' failed"),
            std::string::npos)
      << message;
  const std::string failedBox = dir_.sub("sb") + "/" + std::string(failure["taskId"]);
  EXPECT_FALSE(std::filesystem::exists(failedBox + "/ran"));  // The command never started.
  EXPECT_NE(readFile(failedBox + "/stderr").find("failed"), std::string::npos);
}

}  // namespace
}  // namespace ceph_planner::marathon_sim
