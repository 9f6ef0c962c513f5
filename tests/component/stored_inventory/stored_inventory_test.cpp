// `loadStoredInventory` / `loadTopologyWithStoredInventory` with a file store, and one reconciler
// pass that renders OSDs from a stored inventory (or refuses a corrupt one).

#include "engine/stored_inventory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/manual_clock.h"
#include "common/testing.h"
#include "daemon/stored_topology.h"
#include "engine/reconciler.h"
#include "planner/diff.h"
#include "planner/render.h"
#include "planner/templates.h"
#include "store/file_topology_store.h"
#include "tests/fakes/fake_marathon.h"
#include "topology/devices.h"

namespace ceph_planner::engine {
namespace {

std::string readRepoFile(const std::string& relative) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/" + relative);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The box example with ceph-box-3's inline `devices:` removed: its OSDs (`all: true`) must come
// from the store.
std::string boxWithoutInlineDevicesOnHost3() {
  std::string yaml = readRepoFile("examples/local.yaml");
  const std::string inline3 =
      "    devices:\n"
      "      - { path: /var/tmp/ceph-planner-box/ceph-box-3/osd0, rotational: true, size: 4G }\n";
  size_t at = yaml.find(inline3);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) yaml.erase(at, inline3.size());
  return yaml;
}

// A ceph-volume report: `available` devices, one carrying OSD 7, and a removable one (dropped).
std::string report(const std::vector<std::string>& availablePaths) {
  std::string out = "[";
  for (const auto& path : availablePaths) {
    out +=
        R"({"path": ")" + path +
        R"(", "available": true, "rejected_reasons": [], "lvs": [], "sys_api": {"rotational": "1", "size": 4294967296.0, "model": "QEMU HARDDISK", "vendor": "ATA     "}}, )";
  }
  out +=
      R"({"path": "/dev/sdz", "available": false, "rejected_reasons": ["LVM detected"], )"
      R"("lvs": [{"osd_id": "7", "type": "block"}], "sys_api": {"rotational": "1", "size": 4294967296.0}}, )"
      R"({"path": "/dev/sdu", "available": false, "rejected_reasons": ["removable"], )"
      R"("lvs": [], "sys_api": {"rotational": "1", "size": 8000000000.0}}])";
  return out;
}

std::vector<std::string> osdPathsOf(const topology::Topology& t, const topology::Inventory& inv,
                                    const std::string& host) {
  std::vector<std::string> out;
  for (const auto& slot : topology::resolveOsdSlots(t, inv).slots) {
    if (slot.host == host) out.emplace_back(slot.dataPath);
  }
  return out;
}

std::string errorsOf(const topology::ParsedTopology& parsed) {
  std::string out;
  for (const auto& d : parsed.diagnostics) {
    if (d.severity == Severity::Error) out += d.toString("topology") + "\n";
  }
  return out;
}

class StoredInventoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-stored-inventory-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = store::FileTopologyStore::open({dir_.string(), std::chrono::milliseconds(50), {}});
    ASSERT_OK(store);
    store_ = std::move(store).value();
    yaml_ = boxWithoutInlineDevicesOnHost3();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  store::TopologyStorePtr store_;
  std::string yaml_;
};

TEST_F(StoredInventoryTest, HostWithoutInlineDevicesUsesItsStoredInventory) {
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", report({"/dev/sdb", "/dev/sdc"})));
  // A stale inventory of a host that left the topology is never read (it would not parse).
  ASSERT_OK(store_->putInventory("box", "retired-host", "garbage"));
  auto loaded = loadTopologyWithStoredInventory(yaml_, store_.get());
  ASSERT_OK(loaded);
  EXPECT_EQ(errorsOf(loaded->parsed), "");
  ASSERT_EQ(loaded->inventory.size(), 1u);
  ASSERT_EQ(loaded->inventory.count("ceph-box-3"), 1u);
  EXPECT_EQ(loaded->inventory.at("ceph-box-3").devices.size(), 3u);  // sdb, sdc, sdz (OSD 7).
  EXPECT_EQ(osdPathsOf(loaded->parsed.topology, loaded->inventory, "ceph-box-3"),
            (std::vector<std::string>{"/dev/sdb", "/dev/sdc", "/dev/sdz"}));
}

TEST_F(StoredInventoryTest, InlineDevicesWinOverAStoredInventory) {
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", report({"/dev/sdb"})));
  ASSERT_OK(store_->putInventory("box", "ceph-box-1", report({"/dev/sdq", "/dev/sdr"})));
  auto loaded = loadTopologyWithStoredInventory(yaml_, store_.get());
  ASSERT_OK(loaded);
  EXPECT_EQ(errorsOf(loaded->parsed), "");
  EXPECT_EQ(loaded->inventory.count("ceph-box-1"), 0u);
  EXPECT_EQ(osdPathsOf(loaded->parsed.topology, loaded->inventory, "ceph-box-1"),
            (std::vector<std::string>{"/var/tmp/ceph-planner-box/ceph-box-1/osd0",
                                      "/var/tmp/ceph-planner-box/ceph-box-1/osd1"}));
}

TEST_F(StoredInventoryTest, HostWithNeitherHasNoInventory) {
  auto loaded = loadTopologyWithStoredInventory(yaml_, store_.get());
  ASSERT_OK(loaded);
  EXPECT_TRUE(loaded->inventory.empty());
  EXPECT_NE(
      errorsOf(loaded->parsed).find("filters need a device inventory, host 'ceph-box-3' has none"),
      std::string::npos)
      << errorsOf(loaded->parsed);
  // Without a store the result is the same: offline validation is unchanged.
  auto offline = loadTopologyWithStoredInventory(yaml_, nullptr);
  ASSERT_OK(offline);
  EXPECT_EQ(errorsOf(offline->parsed), errorsOf(loaded->parsed));
}

TEST_F(StoredInventoryTest, CorruptStoredInventoryIsAValidationErrorNamingHostAndNode) {
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", R"([{"path": "/dev/sdb", "available": 1}])"));
  auto loaded = loadTopologyWithStoredInventory(yaml_, store_.get());
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->inventory.count("ceph-box-3"), 0u);
  const Diagnostic* found = nullptr;
  for (const auto& d : loaded->parsed.diagnostics) {
    if (d.message.find("inventory/ceph-box-3") != std::string::npos) found = &d;
  }
  ASSERT_NE(found, nullptr) << errorsOf(loaded->parsed);
  EXPECT_EQ(found->severity, Severity::Error);
  EXPECT_EQ(found->path, "hosts[2]");
  EXPECT_GT(found->line, 0);
  EXPECT_NE(found->message.find("host 'ceph-box-3'"), std::string::npos) << found->message;
  EXPECT_NE(found->message.find("[0].available: expected true or false"), std::string::npos)
      << found->message;
}

TEST_F(StoredInventoryTest, DirectHelperReadsOnlyHostsThatNeedIt) {
  ASSERT_OK(store_->putInventory("box", "ceph-box-1", "not even json ["));
  topology::ParsedTopology parsed = topology::parseTopology(yaml_);
  ASSERT_TRUE(parsed.ok());
  auto stored = loadStoredInventory(*store_, parsed.topology);
  ASSERT_OK(stored);
  // ceph-box-1 has inline devices: its (corrupt) stored text is not consulted at all.
  EXPECT_TRUE(stored->diagnostics.empty());
  EXPECT_TRUE(stored->inventory.empty());
}

TEST_F(StoredInventoryTest, ParseCacheReusesUnchangedTextsAndNeverServesAStaleOne) {
  topology::ParsedTopology parsed = topology::parseTopology(yaml_);
  ASSERT_TRUE(parsed.ok());
  InventoryParseCache cache;
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", report({"/dev/sdb"})));
  for (int pass = 0; pass < 2; ++pass) {
    auto stored = loadStoredInventory(*store_, parsed.topology, &cache);
    ASSERT_OK(stored);
    EXPECT_EQ(osdPathsOf(parsed.topology, stored->inventory, "ceph-box-3"),
              (std::vector<std::string>{"/dev/sdb", "/dev/sdz"}));
    EXPECT_EQ(cache.size(), 1u);
  }
  // A refresh: the new text is parsed, whatever the cache held.
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", report({"/dev/sdb", "/dev/sdc"})));
  auto refreshed = loadStoredInventory(*store_, parsed.topology, &cache);
  ASSERT_OK(refreshed);
  EXPECT_EQ(osdPathsOf(parsed.topology, refreshed->inventory, "ceph-box-3"),
            (std::vector<std::string>{"/dev/sdb", "/dev/sdc", "/dev/sdz"}));
  // A corrupt text is an error every time, and evicts the host.
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", "[1]"));
  for (int pass = 0; pass < 2; ++pass) {
    auto corrupt = loadStoredInventory(*store_, parsed.topology, &cache);
    ASSERT_OK(corrupt);
    EXPECT_EQ(corrupt->diagnostics.size(), 1u);
    EXPECT_TRUE(corrupt->inventory.empty());
    EXPECT_EQ(cache.size(), 0u);
  }
  // A host that gets inline devices no longer needs (or keeps) its entry.
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", report({"/dev/sdb"})));
  ASSERT_OK(loadStoredInventory(*store_, parsed.topology, &cache));
  EXPECT_EQ(cache.size(), 1u);
  auto inlined = topology::parseTopology(readRepoFile("examples/local.yaml"));
  ASSERT_TRUE(inlined.ok());
  ASSERT_OK(loadStoredInventory(*store_, inlined.topology, &cache));
  EXPECT_EQ(cache.size(), 0u);
}

// The daemon's render: a pass over a stored topology whose host 3 has only a stored inventory.
class ReconcilerInventoryTest : public StoredInventoryTest {
 protected:
  class Listener : public ReconcilerListener {
   public:
    void drift(const Drift&) override {}
    void skipped(const std::string&, const std::string&) override {}
  };

  PassReport pass() {
    ReconcilerOptions options;
    options.cluster = "box";
    options.apply.pollInterval = std::chrono::seconds(1);
    options.apply.stepTimeout = std::chrono::seconds(60);
    Reconciler reconciler(*store_, fake_, clock_, listener_, options);
    return reconciler.runPass();
  }

  std::vector<std::string> osdCreatesOnHost3(const PassReport& report) {
    std::vector<std::string> out;
    for (const auto& a : report.plan.actions) {
      if (a.kind == planner::ActionKind::Create && a.role == planner::Role::Osd &&
          a.host == "ceph-box-3") {
        out.push_back(a.device.str());
      }
    }
    return out;
  }

  marathon::FakeMarathon fake_;
  ManualClock clock_;
  Listener listener_;
};

TEST_F(ReconcilerInventoryTest, PassRendersOsdsOfTheStoredInventory) {
  ASSERT_OK(store_->putTopology("box", {yaml_, "test", "v1", {0}}));
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", report({"/dev/sdb"})));
  PassReport report = pass();
  ASSERT_NE(report.outcome, PassOutcome::Failed) << report.error->toString();
  EXPECT_EQ(osdCreatesOnHost3(report), (std::vector<std::string>{"/dev/sdb", "/dev/sdz"}));
}

TEST_F(ReconcilerInventoryTest, LaterPassesSeeARefreshedInventory) {
  ASSERT_OK(store_->putTopology("box", {yaml_, "test", "v1", {0}}));
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", report({"/dev/sdb"})));
  ReconcilerOptions options;
  options.cluster = "box";
  options.apply.pollInterval = std::chrono::seconds(1);
  options.apply.stepTimeout = std::chrono::seconds(60);
  Reconciler reconciler(*store_, fake_, clock_, listener_, options);
  PassReport first = reconciler.runPass();
  ASSERT_NE(first.outcome, PassOutcome::Failed) << first.error->toString();
  PassReport converged = reconciler.runPass();
  ASSERT_EQ(converged.outcome, PassOutcome::Converged);
  EXPECT_TRUE(osdCreatesOnHost3(converged).empty());
  // One more disk in the refreshed inventory: the next pass creates exactly its OSD.
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", report({"/dev/sdb", "/dev/sdc"})));
  PassReport refreshed = reconciler.runPass();
  ASSERT_NE(refreshed.outcome, PassOutcome::Failed) << refreshed.error->toString();
  EXPECT_EQ(osdCreatesOnHost3(refreshed), (std::vector<std::string>{"/dev/sdc"}));
}

TEST_F(ReconcilerInventoryTest, CorruptStoredInventoryFailsThePassInsteadOfDroppingOsds) {
  ASSERT_OK(store_->putTopology("box", {yaml_, "test", "v1", {0}}));
  ASSERT_OK(store_->putInventory("box", "ceph-box-3", "{oops"));
  PassReport report = pass();
  ASSERT_EQ(report.outcome, PassOutcome::Failed);
  ASSERT_TRUE(report.error.has_value());
  EXPECT_NE(report.error->message.find("inventory/ceph-box-3"), std::string::npos)
      << report.error->message;
  for (const auto& c : fake_.calls()) EXPECT_EQ(c.method, "getGroup") << c.appId;
}

// The daemon's request handlers (RGW flex, bootstrap files) read the stored topology through
// daemon::loadStoredTopology: a topology valid only with its stored inventories is valid there too,
// and renders the OSDs the reconciler deploys.
TEST_F(StoredInventoryTest, DaemonHandlersReadTheTopologyWithItsStoredInventories) {
  ASSERT_OK(store_->putTopology("box", {yaml_, "test", "v1", {0}}));
  auto missing = daemon::loadStoredTopology(*store_, "box");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::Internal);
  EXPECT_NE(missing.error().message.find("host 'ceph-box-3' has none"), std::string::npos)
      << missing.error().message;

  ASSERT_OK(store_->putInventory("box", "ceph-box-3", report({"/dev/sdb"})));
  InventoryParseCache cache;
  auto loaded = daemon::loadStoredTopology(*store_, "box", &cache);
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->inventory.count("ceph-box-3"), 1u);
  EXPECT_EQ(cache.size(), 1u);
  auto desired =
      planner::render(loaded->topology, planner::TemplateSet::builtin(), loaded->inventory);
  ASSERT_OK(desired);
  std::vector<std::string> host3Devices;
  for (const auto& app : desired->apps) {
    auto identity = planner::identityFromLabels(app);
    ASSERT_TRUE(identity);
    if (identity->role == planner::Role::Osd && identity->host == "ceph-box-3") {
      host3Devices.push_back(identity->device);
    }
  }
  EXPECT_EQ(host3Devices, (std::vector<std::string>{"/dev/sdb", "/dev/sdz"}));
  // The mons (whose hosts feed ceph.conf) are rendered too.
  EXPECT_EQ(
      std::count_if(desired->apps.begin(), desired->apps.end(),
                    [](const planner::AppSpec& a) { return a.id.rfind("/ceph/box/mon/", 0) == 0; }),
      3);
}

}  // namespace
}  // namespace ceph_planner::engine
