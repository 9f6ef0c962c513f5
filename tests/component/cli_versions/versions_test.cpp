// history / show / diff-versions / rollback / export as the CLI runs them (the `run*` functions,
// in-process) on a file store, against a marathon-sim subprocess as the live Marathon.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "common/testing.h"
#include "daemon/conditions.h"
#include "store/file_topology_store.h"
#include "store/secrets.h"
#include "tests/contract/marathon_api/sim_process.h"

namespace ceph_planner::cli {
namespace {

namespace fs = std::filesystem;

std::string readText(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string source(const std::string& relative) {
  return std::string(CP_SOURCE_DIR) + "/" + relative;
}

// The local example with the mgr memory changed: v2 updates both mgr apps.
std::string withMgrMemory(const std::string& text, int mem) {
  const std::string from = "  modules: [prometheus]\n  resources: { cpus: 0.5, mem: 512 }";
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos);
  std::string out = text;
  out.replace(
      at, from.size(),
      "  modules: [prometheus]\n  resources: { cpus: 0.5, mem: " + std::to_string(mem) + " }");
  return out;
}

struct CliRun {
  int exitCode = -1;
  std::string out;
  std::string err;
};

class CliVersionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cp-cli-versions-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_.stateDir = (dir_ / "store").string();
    v1_ = readText(source("examples/local.yaml"));
    ASSERT_FALSE(v1_.empty());
    v2_ = withMgrMemory(v1_, 768);
  }
  void TearDown() override {
    sim_.stop();
    fs::remove_all(dir_);
  }

  void startSim() { ASSERT_OK(sim_.start(source("examples/local.agents.yaml"), 50.0)); }

  std::string writeTopology(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  ApplyOptions applyOptions() {
    ApplyOptions options;
    options.marathon.urls = {sim_.url()};
    options.store = store_;
    options.yes = true;
    options.stepTimeoutSeconds = 60;
    options.pollMillis = 100;
    return options;
  }

  template <typename Options, typename Fn>
  CliRun run(Fn fn, const Options& options) {
    std::ostringstream out;
    std::ostringstream err;
    CliRun r;
    r.exitCode = fn(options, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  CliRun apply(const std::string& file, const std::string& message) {
    ApplyOptions options = applyOptions();
    options.file = file;
    options.message = message;
    return run(runApply, options);
  }

  CliRun livePlan(const std::string& file) {
    PlanOptions options;
    options.marathon.urls = {sim_.url()};
    options.store = store_;
    options.file = file;
    options.detailedExitcode = true;
    return run(runPlan, options);
  }

  // The same store the commands open (a second handle; the file store is multi-process safe).
  std::unique_ptr<store::FileTopologyStore> openStore() {
    store::FileStoreOptions options;
    options.root = store_.stateDir;
    auto opened = store::FileTopologyStore::open(options);
    EXPECT_OK(opened);
    return opened ? std::move(opened).value() : nullptr;
  }

  fs::path dir_;
  StoreOptions store_;
  std::string v1_;
  std::string v2_;
  marathon::testing::SimProcess sim_;
};

TEST_F(CliVersionsTest, HistoryShowDiffAndRollbackRoundTripToZeroChanges) {
  startSim();
  std::string file1 = writeTopology("v1.yaml", v1_);
  std::string file2 = writeTopology("v2.yaml", v2_);
  CliRun first = apply(file1, "first deploy");
  ASSERT_EQ(first.exitCode, 0) << first.out << first.err;
  CliRun second = apply(file2, "more mgr memory");
  ASSERT_EQ(second.exitCode, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("2 changed"), std::string::npos) << second.out;

  CliRun history = run(runHistory, HistoryOptions{store_, "", "text"});
  ASSERT_EQ(history.exitCode, 0) << history.err;
  EXPECT_NE(history.out.find("first deploy"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("v2*"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("2 versions of cluster 'box'"), std::string::npos) << history.out;

  ShowOptions showV1{store_, "", 1, "text", ""};
  CliRun show = run(runShow, showV1);
  ASSERT_EQ(show.exitCode, 0) << show.err;
  EXPECT_NE(show.out.find("# cluster 'box' v1 (current: v2)"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("# message: first deploy"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find(v1_), std::string::npos) << "show must print the stored document";

  DiffVersionsOptions diffOptions;
  diffOptions.store = store_;
  diffOptions.from = 1;
  diffOptions.to = 2;
  diffOptions.detailedExitcode = true;
  CliRun diff = run(runDiffVersions, diffOptions);
  ASSERT_EQ(diff.exitCode, kExitChanges) << diff.out << diff.err;
  EXPECT_NE(diff.out.find("Topology v1 → v2: 1 line added, 1 removed."), std::string::npos)
      << diff.out;
  EXPECT_NE(diff.out.find("\n-  resources: { cpus: 0.5, mem: 512 }\n"
                          "+  resources: { cpus: 0.5, mem: 768 }\n"),
            std::string::npos)
      << diff.out;
  EXPECT_NE(diff.out.find("~ /ceph/box/mgr/ceph-box-1"), std::string::npos) << diff.out;
  EXPECT_NE(diff.out.find("~ /ceph/box/mgr/ceph-box-2"), std::string::npos) << diff.out;
  EXPECT_NE(diff.out.find("mem: 512.0 → 768.0"), std::string::npos) << diff.out;
  EXPECT_NE(diff.out.find("0 to add, 2 to change"), std::string::npos) << diff.out;

  RollbackOptions rollback;
  rollback.apply = applyOptions();
  rollback.toVersion = 1;
  CliRun back = run(runRollback, rollback);
  ASSERT_EQ(back.exitCode, 0) << back.out << back.err;
  EXPECT_NE(back.err.find("stored the topology as v3"), std::string::npos) << back.err;

  auto store = openStore();
  auto current = store->getTopology("box");
  ASSERT_OK(current);
  EXPECT_EQ(current->version, 3);
  EXPECT_EQ(current->yaml, v1_);
  EXPECT_EQ(current->message, "rollback to v1");

  // Marathon now runs v1 again: planning v1 (or the exported v3) changes nothing.
  CliRun plan = livePlan(file1);
  EXPECT_EQ(plan.exitCode, kExitOk) << plan.out << plan.err;
  EXPECT_NE(plan.err.find("the file matches the stored v3"), std::string::npos) << plan.err;
  diffOptions.from = 1;
  diffOptions.to = 3;
  CliRun same = run(runDiffVersions, diffOptions);
  EXPECT_EQ(same.exitCode, kExitOk) << same.out;
  EXPECT_NE(same.out.find("the documents are identical"), std::string::npos) << same.out;
}

TEST_F(CliVersionsTest, ExportReproducesTheStoredDocumentAndPlansToZeroChanges) {
  startSim();
  ASSERT_EQ(apply(writeTopology("v1.yaml", v1_), "").exitCode, 0);
  CliRun second = apply(writeTopology("v2.yaml", v2_), "");
  ASSERT_EQ(second.exitCode, 0) << second.out << second.err;

  CliRun toStdout = run(runExport, ExportOptions{store_, "", ""});
  ASSERT_EQ(toStdout.exitCode, 0) << toStdout.err;
  EXPECT_EQ(toStdout.out, v2_);

  std::string exported = (dir_ / "out" / "box.yaml").string();
  CliRun toFile = run(runExport, ExportOptions{store_, "box", exported});
  ASSERT_EQ(toFile.exitCode, 0) << toFile.err;
  EXPECT_EQ(readText(exported), v2_);
  EXPECT_NE(toFile.err.find("exported cluster 'box' v2"), std::string::npos) << toFile.err;

  CliRun plan = livePlan(exported);
  EXPECT_EQ(plan.exitCode, kExitOk) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("No changes"), std::string::npos) << plan.out;
  // The same check can fail: v1 against the live v2 is a change.
  CliRun other = livePlan(writeTopology("other.yaml", v1_));
  EXPECT_EQ(other.exitCode, kExitChanges) << other.out << other.err;
}

TEST_F(CliVersionsTest, RollbackIsCompareAndSetOnTheVersionItReadAndDryRunStoresNothing) {
  startSim();
  ASSERT_EQ(apply(writeTopology("v1.yaml", v1_), "").exitCode, 0);
  ASSERT_EQ(apply(writeTopology("v2.yaml", v2_), "").exitCode, 0);

  RollbackOptions dry;
  dry.apply = applyOptions();
  dry.apply.dryRun = true;
  dry.toVersion = 1;
  CliRun planned = run(runRollback, dry);
  ASSERT_EQ(planned.exitCode, 0) << planned.err;
  EXPECT_NE(planned.out.find("~ /ceph/box/mgr/ceph-box-1"), std::string::npos) << planned.out;
  auto store = openStore();
  EXPECT_EQ(store->getTopology("box")->version, 2);

  // The operator reviewed the rollback at v1, but v2 has been stored since.
  RollbackOptions stale;
  stale.apply = applyOptions();
  stale.apply.plannedVersion = 1;
  stale.toVersion = 1;
  CliRun refused = run(runRollback, stale);
  EXPECT_EQ(refused.exitCode, kExitError);
  EXPECT_NE(refused.err.find("topology changed since you planned (v1 → v2) by "), std::string::npos)
      << refused.err;
  EXPECT_EQ(store->getTopology("box")->version, 2);

  RollbackOptions missing;
  missing.apply = applyOptions();
  missing.toVersion = 7;
  CliRun absent = run(runRollback, missing);
  EXPECT_EQ(absent.exitCode, kExitError);
  EXPECT_NE(absent.err.find("version 7 of cluster 'box' does not exist (versions 1 to 2)"),
            std::string::npos)
      << absent.err;
}

TEST_F(CliVersionsTest, ShowRedactsTheBootstrapKeysAndJsonCarriesTheSameFields) {
  startSim();
  ASSERT_EQ(apply(writeTopology("v1.yaml", v1_), "first").exitCode, 0);
  auto store = openStore();
  auto admin = store->getSecret("box", store::keyringSecretName("client.admin"));
  ASSERT_OK(admin);
  size_t keyAt = admin->find("key = ");
  ASSERT_NE(keyAt, std::string::npos);
  std::string key = admin->substr(keyAt + 6, 40);
  ASSERT_EQ(key.rfind("AQ", 0), 0u) << "not a Ceph key: " << key;

  for (const char* output : {"text", "json"}) {
    CliRun show = run(runShow, ShowOptions{store_, "", std::nullopt, output, ""});
    ASSERT_EQ(show.exitCode, 0) << show.err;
    EXPECT_EQ(show.out.find(key), std::string::npos) << "key material in show -o " << output;
    EXPECT_NE(show.out.find("<redacted>"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("client.admin"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find(*store->getSecret("box", "fsid")), std::string::npos) << show.out;
  }
  CliRun json = run(runShow, ShowOptions{store_, "box", 1, "json", ""});
  EXPECT_NE(json.out.find("\"version\": 1"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"message\": \"first\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"missing\": []"), std::string::npos) << json.out;
  CliRun history = run(runHistory, HistoryOptions{store_, "box", "json"});
  EXPECT_NE(history.out.find("\"version\": 1"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("\"size\": " + std::to_string(v1_.size())), std::string::npos)
      << history.out;
}

TEST_F(CliVersionsTest, TheClusterMayBeOmittedOnlyWhenTheStoreHoldsOne) {
  // No Marathon needed: the documents are put straight into the store.
  auto store = openStore();
  CliRun none = run(runHistory, HistoryOptions{store_, "", "text"});
  EXPECT_EQ(none.exitCode, kExitError);
  EXPECT_NE(none.err.find("error: no cluster is stored in"), std::string::npos) << none.err;

  ASSERT_OK(store->putTopology("box", {v1_, "test", "", {0}}));
  ASSERT_OK(store->putTopology("lab", {v1_, "test", "", {0}}));
  for (auto runner : {+[](const StoreOptions&s, std::ostream&o, std::ostream&e) {
                        return runHistory(HistoryOptions{s, "", "text"}, o, e);
                      },
                      +[](const StoreOptions&s, std::ostream&o, std::ostream&e) {
                        return runExport(ExportOptions{s, "", ""}, o, e);
                      },
                      +[](const StoreOptions&s, std::ostream&o, std::ostream&e) {
                        return runShow(ShowOptions{s, "", std::nullopt, "text", ""}, o, e);
                      }}) {
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(runner(store_, out, err), kExitError);
    EXPECT_NE(err.str().find("several clusters are stored in file store"), std::string::npos)
        << err.str();
    EXPECT_NE(err.str().find("('box', 'lab'); pass --cluster NAME"), std::string::npos)
        << err.str();
    EXPECT_EQ(out.str(), "");
  }
  CliRun typo = run(runExport, ExportOptions{store_, "bax", ""});
  EXPECT_EQ(typo.exitCode, kExitError);
  EXPECT_NE(typo.err.find("cluster 'bax' is not stored in"), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("did you mean 'box'?"), std::string::npos) << typo.err;
  CliRun named = run(runExport, ExportOptions{store_, "lab", ""});
  EXPECT_EQ(named.exitCode, 0) << named.err;
  EXPECT_EQ(named.out, v1_);
}

// `status` of a stored cluster: the daemon's last status record (text and -o json), and in JSON the
// jobs block (no Chronos here, so a skip note for the example's maintenance jobs).
TEST_F(CliVersionsTest, StatusOfAStoredClusterShowsTheDaemonsConditionsInTextAndJson) {
  startSim();
  std::string v1 = writeTopology("v1.yaml", v1_);
  ASSERT_EQ(apply(v1, "first").exitCode, 0);
  daemon::ClusterStatusRecord record;
  record.cluster = "box";
  record.leader = "host-a:42";
  record.topologyVersion = 1;
  record.lastPassOutcome = "converged";
  record.lastPassAtMs = 1700000000000;
  record.summary = "mon 3/3";
  record.conditions = {{"Ready", true, "Converged", "all good", 1700000000000},
                       {"Progressing", false, "Idle", "", 1700000000000},
                       {"Degraded", false, "Healthy", "", 1700000000000}};
  {
    auto store = openStore();
    ASSERT_OK(store->putStatus("box", daemon::encodeStatusRecord(record)));
  }
  StatusOptions options;
  options.marathon.urls = {sim_.url()};
  options.store = store_;
  options.cluster = "box";
  CliRun text = run(runStatus, options);
  EXPECT_EQ(text.exitCode, 0) << text.err;
  EXPECT_NE(text.out.find("Conditions (daemon 'host-a:42'"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Converged"), std::string::npos) << text.out;

  options.output = "json";
  CliRun json = run(runStatus, options);
  EXPECT_EQ(json.exitCode, 0) << json.err;
  auto j = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << json.out;
  EXPECT_EQ(j["summary"], "mon 3/3 healthy · mgr 2/2 · osd 4/4 · rgw 1/1");
  ASSERT_TRUE(j.contains("daemon")) << json.out;
  EXPECT_EQ(j["daemon"]["leader"], "host-a:42");
  ASSERT_EQ(j["daemon"]["conditions"].size(), 3u);
  EXPECT_EQ(j["daemon"]["conditions"][0]["reason"], "Converged");
  ASSERT_TRUE(j.contains("jobs")) << json.out;
  EXPECT_TRUE(j["jobs"]["chronos"].is_null());
  EXPECT_EQ(j["jobs"]["jobs"].size(), 0u);
  EXPECT_NE(j["jobs"]["skipped"].get<std::string>().find("no Chronos URL"), std::string::npos);

  // A topology file is not a stored cluster: no daemon record.
  options.cluster.clear();
  options.file = v1;
  CliRun fromFile = run(runStatus, options);
  auto f = nlohmann::json::parse(fromFile.out, nullptr, false);
  ASSERT_FALSE(f.is_discarded()) << fromFile.out << fromFile.err;
  EXPECT_FALSE(f.contains("daemon"));
}

}  // namespace
}  // namespace ceph_planner::cli
