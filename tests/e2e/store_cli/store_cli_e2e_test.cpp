// End to end with a real ZooKeeper and a real marathon-sim: two concurrent `apply` processes that
// planned against the same stored version (exactly one wins, the other writes nothing to
// Marathon), and a demo-like flow whose every output, log, rendered app and argv is searched for
// the generated bootstrap keys.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "common/testing.h"
#include "store/secrets.h"
#include "store/store_factory.h"
#include "tests/contract/marathon_api/sim_process.h"
#include "tests/fakes/zk_server.h"

namespace ceph_planner {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::readWholeFile;

std::string source(const std::string& relative) {
  return std::string(CP_SOURCE_DIR) + "/" + relative;
}

const std::string kPlanner = std::string(CP_BINARY_DIR) + "/cli/ceph-planner";

// `replace` must occur exactly once in `text`.
std::string replaced(const std::string& text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "missing: " << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "ambiguous: " << from;
  std::string out = text;
  if (at != std::string::npos) out.replace(at, from.size(), to);
  return out;
}

const std::string kMgrResources = "  modules: [prometheus]\n  resources: { cpus: 0.5, mem: 512 }";
const std::string kRgwResources =
    "    placement: { label: rgw }\n    resources: { cpus: 0.5, mem: 512 }";

std::string curl(const std::string& url) {
  std::string out;
  FILE* pipe = popen(("curl -s '" + url + "'").c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  pclose(pipe);
  return out;
}

std::vector<std::string> requestLines(const std::string& log) {
  std::vector<std::string> out;
  std::regex object(R"re(\{[^{}]*\})re");
  std::regex method(R"re("method"\s*:\s*"([A-Z]+)")re");
  std::regex path(R"re("path"\s*:\s*"([^"]*)")re");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), object); it != std::sregex_iterator();
       ++it) {
    std::string entry = it->str();
    std::smatch m;
    std::smatch p;
    if (std::regex_search(entry, m, method) && std::regex_search(entry, p, path)) {
      out.push_back(m[1].str() + " " + p[1].str());
    }
  }
  return out;
}

class StoreCliE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kPlanner)) << "missing " << kPlanner << " (build ceph-planner)";
    dir_ = fs::temp_directory_path() /
           ("cp-store-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto zk = testing::ZkServer::start();
    ASSERT_OK(zk);  // A real ZooKeeper is required: no skipping.
    zk_ = std::move(zk).value();
    credentials_ = (dir_ / "zk.credentials").string();
    std::ofstream(credentials_) << "planner:e2e-" << ::getpid() << "-password\n";
    ::chmod(credentials_.c_str(), 0600);
    local_ = readWholeFile(source("examples/local.yaml"));
    ASSERT_FALSE(local_.empty());
  }
  void TearDown() override {
    zk_.reset();
    fs::remove_all(dir_);
  }

  std::string write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  std::string zkConnect() const { return zk_->connectString() + "/ceph-planner"; }

  std::vector<std::string> plannerArgv(const std::vector<std::string>& args,
                                       const std::string& marathonUrl) {
    std::vector<std::string> argv = {kPlanner};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const std::string& flag :
         {std::string("--zk"), zkConnect(), std::string("--zk_credentials_file"), credentials_,
          std::string("--marathon"), marathonUrl, std::string("--step_timeout"),
          std::string("60s")}) {
      argv.push_back(flag);
    }
    return argv;
  }

  // Runs the planner to completion; its output goes to `<dir>/<name>.log`.
  struct Finished {
    int exitCode = -1;
    std::string output;
    std::string cmdline;
  };
  Finished planner(const std::string& name, const std::vector<std::string>& args,
                   const std::string& marathonUrl) {
    ChildProcess child;
    std::string log = (dir_ / (name + ".log")).string();
    argvs_.push_back(plannerArgv(args, marathonUrl));
    EXPECT_TRUE(child.start(argvs_.back(), log));
    Finished f;
    f.cmdline = child.cmdline();
    f.exitCode = child.wait();
    f.output = readWholeFile(log);
    return f;
  }

  Result<store::OpenedStore> openStore() {
    store::StoreConfig config;
    config.zkConnect = zkConnect();
    config.zkCredentialsFile = credentials_;
    return store::openTopologyStore(config);
  }

  fs::path dir_;
  std::unique_ptr<testing::ZkServer> zk_;
  std::string credentials_;
  std::string local_;
  std::vector<std::vector<std::string>> argvs_;
};

TEST_F(StoreCliE2eTest, TwoConcurrentAppliesThatPlannedTheSameVersionExactlyOneWins) {
  marathon::testing::SimProcess sim;
  ASSERT_OK(sim.start(source("examples/local.agents.yaml"), 50.0));
  auto first = planner("first", {"apply", write("v1.yaml", local_), "--message", "v1"}, sim.url());
  ASSERT_EQ(first.exitCode, 0) << first.output;

  // Two operators each reviewed a plan against v1 and now apply different changes at once.
  std::map<std::string, std::string> files = {
      {"mgr", write("mgr.yaml", replaced(local_, kMgrResources,
                                         "  modules: [prometheus]\n"
                                         "  resources: { cpus: 0.5, mem: 768 }"))},
      {"rgw", write("rgw.yaml", replaced(local_, kRgwResources,
                                         "    placement: { label: rgw }\n"
                                         "    resources: { cpus: 0.5, mem: 1024 }"))}};
  ASSERT_FALSE(::testing::Test::HasFailure());
  ASSERT_EQ(std::system(("curl -s -X DELETE " + sim.url() + "/sim/requests >/dev/null").c_str()),
            0);

  std::map<std::string, ChildProcess> children;
  for (const auto& [name, file] : files) {
    argvs_.push_back(plannerArgv(
        {"apply", file, "--yes", "--planned_version", "1", "--message", name}, sim.url()));
    ASSERT_TRUE(children[name].start(argvs_.back(), (dir_ / (name + ".log")).string()));
  }
  std::map<std::string, int> exits;
  std::map<std::string, std::string> outputs;
  for (auto& [name, child] : children) {
    exits[name] = child.wait();
    outputs[name] = readWholeFile((dir_ / (name + ".log")).string());
  }
  std::string all = "--- mgr:\n" + outputs["mgr"] + "\n--- rgw:\n" + outputs["rgw"];
  ASSERT_EQ((exits["mgr"] == 0) + (exits["rgw"] == 0), 1) << all;
  const std::string winner = exits["mgr"] == 0 ? "mgr" : "rgw";
  const std::string loser = winner == "mgr" ? "rgw" : "mgr";
  EXPECT_EQ(exits[loser], 1) << all;
  EXPECT_TRUE(std::regex_search(
      outputs[loser],
      std::regex("error: topology changed since you planned \\(v1 → v2\\) by [^;\\n]+@[^;\\n]+; "
                 "re-run plan")))
      << all;
  EXPECT_EQ(outputs[loser].find("Apply complete"), std::string::npos) << all;

  // Marathon saw the winner's deployments and nothing else.
  std::smatch steps;
  ASSERT_TRUE(std::regex_search(
      outputs[winner], steps,
      std::regex("Apply complete: 0 added, (\\d+) changed, 0 scaled, 0 destroyed in (\\d+) steps")))
      << all;
  std::vector<std::string> writes;
  for (const auto& r : requestLines(curl(sim.url() + "/sim/requests"))) {
    if (r.rfind("GET ", 0) != 0) writes.push_back(r);
  }
  EXPECT_EQ(static_cast<int>(writes.size()), std::stoi(steps[2].str())) << all;
  for (const auto& w : writes) EXPECT_EQ(w.rfind("PUT /v2/apps", 0), 0u) << w;
  std::string mgr = curl(sim.url() + "/v2/apps/ceph/box/mgr/ceph-box-1");
  std::string rgw = curl(sim.url() + "/v2/apps/ceph/box/rgw/main");
  EXPECT_NE(mgr.find(winner == "mgr" ? "\"mem\":768" : "\"mem\":512"), std::string::npos) << mgr;
  EXPECT_NE(rgw.find(winner == "rgw" ? "\"mem\":1024" : "\"mem\":512"), std::string::npos) << rgw;

  // The store holds exactly one new version: the winner's document.
  auto store = openStore();
  ASSERT_OK(store);
  auto current = store->store->getTopology("box");
  ASSERT_OK(current);
  EXPECT_EQ(current->version, 2);
  EXPECT_EQ(current->yaml, readWholeFile(files[winner]));
  EXPECT_EQ(current->message, winner);
  auto history = store->store->listHistory("box");
  ASSERT_OK(history);
  EXPECT_EQ(history->size(), 2u);
}

// Every generated key in the forms it could leak in: the encoded key (as in a keyring), with JSON's
// optional `\/` escaping, and the raw secret bytes in hex.
std::vector<std::pair<std::string, std::string>> keyNeedles(store::TopologyStore& store,
                                                            const std::string& cluster) {
  std::vector<std::pair<std::string, std::string>> needles;
  for (const auto& entry : store::bootstrapEntitiesWithoutKeys()) {
    auto keyring = store.getSecret(cluster, store::keyringSecretName(entry.entity));
    EXPECT_OK(keyring);
    if (!keyring) continue;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(*keyring, m, std::regex("key = (AQ[A-Za-z0-9+/=]+)")))
        << "no key in the keyring of " << entry.entity;
    if (m.empty()) continue;
    std::string key = m[1].str();
    needles.push_back({entry.entity + " key", key});
    std::string escaped = std::regex_replace(key, std::regex("/"), "\\/");
    if (escaped != key) needles.push_back({entry.entity + " key, JSON-escaped", escaped});
    auto decoded = store::decodeCephSecret(key);
    EXPECT_OK(decoded);
    if (!decoded) continue;
    static const char* kHex = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : decoded->secret) {
      hex += kHex[c >> 4];
      hex += kHex[c & 15];
    }
    needles.push_back({entry.entity + " secret bytes", decoded->secret});
    needles.push_back({entry.entity + " secret hex", hex});
  }
  return needles;
}

// `needle-name in text-name` for every needle found in any text.
std::vector<std::string> findLeaks(
    const std::map<std::string, std::string>& texts,
    const std::vector<std::pair<std::string, std::string>>& needles) {
  std::vector<std::string> leaks;
  for (const auto& [textName, text] : texts) {
    for (const auto& [needleName, needle] : needles) {
      if (!needle.empty() && text.find(needle) != std::string::npos) {
        leaks.push_back(needleName + " in " + textName);
      }
    }
  }
  return leaks;
}

TEST_F(StoreCliE2eTest, NoGeneratedKeyAppearsInAnyOutputLogRenderedAppOrArgv) {
  // marathon-sim started here (not via SimProcess) so that its whole log is kept in a file.
  std::string simLog = (dir_ / "marathon-sim.log").string();
  ChildProcess sim;
  argvs_.push_back({marathon::testing::marathonSimPath(), "--listen", "127.0.0.1:0", "--agents",
                    source("examples/local.agents.yaml"), "--time_scale", "50", "--seed", "1"});
  ASSERT_TRUE(sim.start(argvs_.back(), simLog));
  std::string url;
  for (int i = 0; i < 300 && url.empty(); ++i) {
    std::smatch m;
    std::string log = readWholeFile(simLog);
    if (std::regex_search(log, m, std::regex("marathon-sim listening on (\\S+)"))) url = m[1];
    if (url.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(url.empty()) << readWholeFile(simLog);

  std::map<std::string, std::string> texts;  // Everything scanned, by name.
  std::string v1 = write("v1.yaml", local_);
  std::string v2 = write("v2.yaml", replaced(local_, kMgrResources,
                                             "  modules: [prometheus]\n"
                                             "  resources: { cpus: 0.5, mem: 768 }"));
  const std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
      {"apply-v1", {"apply", v1, "--message", "demo"}},
      {"status", {"status"}},
      {"apply-v2", {"apply", v2, "--message", "more mgr memory"}},
      {"status-file", {"status", v2}},
      {"plan", {"plan", v2, "--detailed_exitcode"}},
      {"show", {"show"}},
      {"show-v1-json", {"show", "--version", "1", "-o", "json"}},
      {"history", {"history"}},
      {"history-json", {"history", "-o", "json", "--cluster", "box"}},
      {"diff-versions", {"diff-versions", "1", "2"}},
      {"rollback-dry-run", {"rollback", "--to", "1", "--dry_run"}},
      {"export", {"export"}},
      {"render", {"render", v2}},
      {"validate", {"validate", v2}},
  };
  std::map<std::string, std::string> cmdlines;
  for (const auto& [name, args] : runs) {
    Finished f = planner(name, args, url);
    EXPECT_EQ(f.exitCode, 0) << name << ":\n" << f.output;
    texts["output of " + name] = f.output;
    cmdlines[name] = f.cmdline;
  }
  EXPECT_NE(texts["output of show"].find("key = <redacted>"), std::string::npos)
      << texts["output of show"];
  EXPECT_NE(texts["output of apply-v1"].find("Apply complete"), std::string::npos);
  // The long-running processes were caught while they ran, so their real argv is scanned.
  EXPECT_FALSE(cmdlines["apply-v1"].empty());
  EXPECT_FALSE(cmdlines["apply-v2"].empty());
  EXPECT_FALSE(sim.cmdline().empty());
  for (const auto& [name, line] : cmdlines) texts["/proc cmdline of " + name] = line;
  texts["/proc cmdline of marathon-sim"] = sim.cmdline();
  for (const auto& line : testing::childCommandLines())
    texts["/proc cmdline of child"] += line + "\n";
  EXPECT_NE(texts["/proc cmdline of child"].find("java"), std::string::npos)
      << "the ZooKeeper server's argv was not found among the children";
  for (const auto& argv : argvs_) {
    for (const auto& a : argv) texts["argv given"] += a + " ";
  }

  // What Marathon holds and shows (apps, groups, deployments, queue, request log).
  for (const char* path :
       {"/v2/apps?embed=apps.tasks", "/v2/groups?embed=group.groups&embed=group.apps",
        "/v2/deployments", "/v2/queue", "/sim/requests"}) {
    texts[std::string("GET ") + path] = curl(url + path);
  }
  EXPECT_NE(texts["GET /v2/apps?embed=apps.tasks"].find("/ceph/box/mon/ceph-box-1"),
            std::string::npos);
  sim.stop();
  texts["marathon-sim log"] = readWholeFile(simLog);
  texts["zookeeper log"] = zk_->logTail(64 << 20);
  EXPECT_FALSE(texts["zookeeper log"].empty());

  auto store = openStore();
  ASSERT_OK(store);
  auto needles = keyNeedles(*store->store, "box");
  ASSERT_GE(needles.size(), 3 * store::bootstrapEntitiesWithoutKeys().size());

  std::vector<std::string> leaks = findLeaks(texts, needles);
  EXPECT_TRUE(leaks.empty()) << ::testing::PrintToString(leaks);

  // The search can fail: a key deliberately placed in one scanned text is found there.
  std::map<std::string, std::string> planted = texts;
  planted["output of show"] += "\n\tkey = " + needles.front().second + "\n";
  std::vector<std::string> found = findLeaks(planted, needles);
  EXPECT_GT(found.size(), leaks.size()) << ::testing::PrintToString(found);
  EXPECT_NE(std::find(found.begin(), found.end(), needles.front().first + " in output of show"),
            found.end());
}

}  // namespace
}  // namespace ceph_planner
