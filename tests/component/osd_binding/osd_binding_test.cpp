// The per-slot binding file and the S3 user file: who may fetch them (the apps of
// examples/local.yaml, rendered and placed by FakeMarathon) and how bindings are created.

#include "daemon/osd_binding.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "common/testing.h"
#include "daemon/bootstrap_files.h"
#include "planner/diff.h"
#include "planner/render.h"
#include "planner/templates.h"
#include "store/file_topology_store.h"
#include "store/secrets.h"
#include "tests/fakes/fake_marathon.h"
#include "topology/parse.h"

namespace ceph_planner::daemon {
namespace {

// Agent addresses of examples/local.yaml (its public_ip per host).
std::vector<std::string> boxAddresses(const std::string& host) {
  if (host == "ceph-box-1") return {"127.0.0.2"};
  if (host == "ceph-box-2") return {"127.0.0.3"};
  if (host == "ceph-box-3") return {"127.0.0.4"};
  return {};
}

class OsdBindingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(std::string(CP_SOURCE_DIR) + "/examples/local.yaml");
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = topology::loadTopology(text.str());
    ASSERT_TRUE(parsed.ok());
    topology_ = parsed.topology;
    auto desired = planner::render(topology_, planner::TemplateSet::builtin());
    ASSERT_OK(desired);
    desired_ = *desired;
    ASSERT_OK(marathon_.putApps(desired_.apps, false));
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-osd-binding-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = store::FileTopologyStore::open({dir_.string(), std::chrono::milliseconds(50), {}});
    ASSERT_OK(s);
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  planner::ObservedState observed() {
    auto o = marathon_.getGroup(desired_.groupId);
    EXPECT_OK(o);
    return o ? *o : planner::ObservedState{};
  }

  Result<FileGrant> authorize(const std::string& name, const std::string& peer) {
    return authorizeFileRequest(observed(), "box", name, peer, boxAddresses);
  }

  topology::Topology topology_;
  planner::DesiredState desired_;
  // The box's three agents, so RGW tasks land on hosts with addresses.
  marathon::FakeMarathon marathon_{{true, {"ceph-box-1", "ceph-box-2", "ceph-box-3"}}};
  std::filesystem::path dir_;
  std::unique_ptr<store::FileTopologyStore> store_;
};

TEST_F(OsdBindingTest, TheRenderedOsdAppsFetchTheirOwnBindingFile) {
  int osdApps = 0;
  for (const auto& app : desired_.apps) {
    auto identity = planner::identityFromLabels(app);
    ASSERT_TRUE(identity);
    if (identity->role != planner::Role::Osd) continue;
    ++osdApps;
    const std::string expected = "http://ceph-planner.marathon.mesos:8888/v1/clusters/box/files/" +
                                 osdBindingFileName(identity->host, identity->slot);
    bool found = false;
    for (const auto& f : app.fetch) found = found || app.text(f.uri) == expected;
    EXPECT_TRUE(found) << app.id << " does not fetch " << expected;
  }
  EXPECT_EQ(osdApps, 4);
}

TEST_F(OsdBindingTest, OnlyTheTaskOfThatSlotOnItsAgentGetsTheBinding) {
  auto grant = authorize("osd-binding.ceph-box-1-osd1", "127.0.0.2");
  ASSERT_OK(grant);
  EXPECT_EQ(grant->appId, "/ceph/box/osd/ceph-box-1-osd1");
  EXPECT_EQ(grant->osdHost, "ceph-box-1");
  EXPECT_EQ(grant->osdSlot, "osd1");
  ASSERT_OK(authorize("osd-binding.ceph-box-2-osd0", "127.0.0.3"));
  // Another agent (even one running OSDs of the cluster) does not get it.
  EXPECT_ERROR_CODE(authorize("osd-binding.ceph-box-2-osd0", "127.0.0.2"), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(authorize("osd-binding.ceph-box-1-osd0", "127.0.0.4"), ErrorCode::NotFound);
  // Slots that do not exist, and a machine without tasks.
  EXPECT_ERROR_CODE(authorize("osd-binding.ceph-box-3-osd1", "127.0.0.4"), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(authorize("osd-binding.", "127.0.0.2"), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(authorize("osd-binding.ceph-box-1-osd0", "127.0.0.9"), ErrorCode::NotFound);
}

TEST_F(OsdBindingTest, NoBindingOnceTheSlotsTaskIsGone) {
  ASSERT_OK(authorize("osd-binding.ceph-box-3-osd0", "127.0.0.4"));
  ASSERT_OK(marathon_.scaleApp("/ceph/box/osd/ceph-box-3-osd0", 0, false));
  EXPECT_ERROR_CODE(authorize("osd-binding.ceph-box-3-osd0", "127.0.0.4"), ErrorCode::NotFound);
}

TEST_F(OsdBindingTest, OnlyRgwTasksGetTheS3User) {
  // Every box host runs an RGW candidate, but only agents with a live RGW task qualify.
  auto o = observed();
  std::set<std::string> rgwAgents;
  for (const auto& app : o.apps) {
    auto identity = planner::identityFromLabels(app.spec);
    if (!identity || identity->role != planner::Role::Rgw) continue;
    for (const auto& t : app.status.tasks) {
      auto addresses = boxAddresses(t.host);
      ASSERT_EQ(addresses.size(), 1u) << "rgw task on unknown agent '" << t.host << "'";
      rgwAgents.insert(addresses.front());
    }
  }
  ASSERT_FALSE(rgwAgents.empty());
  for (const char* peer : {"127.0.0.2", "127.0.0.3", "127.0.0.4"}) {
    auto grant = authorize(kS3UserFileName, peer);
    if (rgwAgents.count(peer)) {
      ASSERT_OK(grant);
      EXPECT_EQ(grant->appId, "/ceph/box/rgw/main");
    } else {
      ASSERT_FALSE(grant) << peer;
      EXPECT_EQ(grant.error().code, ErrorCode::NotFound) << peer;
    }
  }
  // And an RGW host never gets a slot binding through its RGW task.
  for (const auto& peer : rgwAgents) {
    for (const auto& app : o.apps) {
      auto identity = planner::identityFromLabels(app.spec);
      if (!identity || identity->role != planner::Role::Osd) continue;
      if (boxAddresses(identity->host) == std::vector<std::string>{peer}) continue;
      EXPECT_ERROR_CODE(authorize(osdBindingFileName(identity->host, identity->slot), peer),
                        ErrorCode::NotFound);
    }
  }
}

TEST_F(OsdBindingTest, TheS3UserFileIsTheStoredUser) {
  EXPECT_ERROR_CODE(bootstrapFileContent(*store_, topology_, {}, kS3UserFileName),
                    ErrorCode::NotFound);
  auto secrets = store::ensureBootstrapSecrets(*store_, "box", 1700000000000);
  ASSERT_OK(secrets);
  auto file = bootstrapFileContent(*store_, topology_, {}, kS3UserFileName);
  ASSERT_OK(file);
  auto parsed = store::parseS3User(*file);
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, secrets->s3User);
  // Binding names are never made from secrets.
  EXPECT_ERROR_CODE(bootstrapFileContent(*store_, topology_, {}, "osd-binding.ceph-box-1-osd0"),
                    ErrorCode::NotFound);
}

TEST_F(OsdBindingTest, CreatedOnceWithTheLowestFreeIdAndKeptForEveryLaterFetch) {
  OsdBindings bindings(*store_);
  auto a = bindings.ensure("box", "ceph-box-1", "osd0", true);
  ASSERT_OK(a);
  EXPECT_EQ(a->osdId, 0);
  EXPECT_EQ(a->osdFsid.size(), 36u);
  auto b = bindings.ensure("box", "ceph-box-2", "osd0", true);
  ASSERT_OK(b);
  EXPECT_EQ(b->osdId, 1);
  EXPECT_NE(b->osdFsid, a->osdFsid);
  // A relaunch (and a follower) gets the same record.
  auto again = bindings.ensure("box", "ceph-box-1", "osd0", false);
  ASSERT_OK(again);
  EXPECT_EQ(*again, *a);
  auto stored = store_->getOsdBinding("box", "ceph-box-1", "osd0");
  ASSERT_OK(stored);
  EXPECT_EQ(*stored, *a);
  // A freed id (a purged slot's binding deleted) is the next one given.
  ASSERT_OK(store_->deleteOsdBinding("box", "ceph-box-1", "osd0"));
  auto c = bindings.ensure("box", "ceph-box-3", "osd0", true);
  ASSERT_OK(c);
  EXPECT_EQ(c->osdId, 0);
  EXPECT_EQ(renderOsdBindingFile(*c), "osd_id=0\nosd_fsid=" + c->osdFsid + "\n");
}

TEST_F(OsdBindingTest, AFollowerNeverCreates) {
  OsdBindings bindings(*store_);
  EXPECT_ERROR_CODE(bindings.ensure("box", "ceph-box-1", "osd0", false), ErrorCode::Unavailable);
  EXPECT_ERROR_CODE(store_->getOsdBinding("box", "ceph-box-1", "osd0"), ErrorCode::NotFound);
}

TEST_F(OsdBindingTest, ConcurrentFirstFetchesGetDistinctIds) {
  OsdBindings bindings(*store_);
  constexpr int kSlots = 8;
  std::vector<std::thread> threads;
  std::vector<Result<store::OsdBinding>> results(kSlots, makeError(ErrorCode::Internal, "unset"));
  for (int i = 0; i < kSlots; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = bindings.ensure("box", "host-" + std::to_string(i), "osd0", true); });
  }
  for (auto& t : threads) t.join();
  std::set<int> ids;
  std::set<std::string> fsids;
  for (const auto& r : results) {
    ASSERT_OK(r);
    ids.insert(r->osdId);
    fsids.insert(r->osdFsid);
  }
  EXPECT_EQ(ids, (std::set<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(fsids.size(), size_t(kSlots));
}

TEST_F(OsdBindingTest, AnIncompleteStoredBindingIsAnErrorNotReplaced) {
  ASSERT_OK(store_->putOsdBinding("box", "ceph-box-1", "osd0", {-1, ""}));
  OsdBindings bindings(*store_);
  auto r = bindings.ensure("box", "ceph-box-1", "osd0", true);
  EXPECT_ERROR_CODE(r, ErrorCode::Internal);
  EXPECT_NE(r.error().message.find("'ceph-box-1-osd0'"), std::string::npos);
}

TEST_F(OsdBindingTest, AUuidFailureStoresNothing) {
  OsdBindings bindings(
      *store_, [] { return Result<std::string>(makeError(ErrorCode::Internal, "no entropy")); });
  EXPECT_ERROR_CODE(bindings.ensure("box", "ceph-box-1", "osd0", true), ErrorCode::Internal);
  EXPECT_ERROR_CODE(store_->getOsdBinding("box", "ceph-box-1", "osd0"), ErrorCode::NotFound);
}

TEST(LowestFreeOsdId, SkipsTakenIds) {
  EXPECT_EQ(lowestFreeOsdId({}), 0);
  EXPECT_EQ(lowestFreeOsdId({{"a-s", {0, "x"}}, {"b-s", {2, "y"}}}), 1);
  EXPECT_EQ(lowestFreeOsdId({{"a-s", {1, "x"}}, {"b-s", {0, "y"}}}), 2);
}

}  // namespace
}  // namespace ceph_planner::daemon
