// `ceph-planner inventory` end to end: the real binary puts ceph-volume reports into a REAL
// ZooKeeper (tests/fakes/zk_server), and `plan` against a marathon-sim renders exactly the OSDs of
// the stored devices for a host without inline `devices:`; a refreshed inventory with one more
// matching disk plans exactly one more OSD. A report that does not parse, or a ceph-volume that
// fails, stores nothing.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "child_process.h"
#include "common/testing.h"
#include "store/store_factory.h"
#include "tests/contract/marathon_api/sim_process.h"
#include "tests/fakes/zk_server.h"

namespace ceph_planner {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::readWholeFile;

const std::string kPlannerBinary = std::string(CP_BINARY_DIR) + "/cli/ceph-planner";

// One available 4 TiB HDD per path, plus a removable stick ceph-volume rejects (never an OSD).
std::string cephVolumeReport(const std::vector<std::string>& paths) {
  std::string out = "[";
  for (const auto& path : paths) {
    out +=
        R"({"path": ")" + path +
        R"(", "sys_api": {"removable": "0", "ro": "0", "vendor": "ATA     ", "model": "ST4000NM0035-1V4", "rotational": "1", "size": 4000787030016.0, "human_readable_size": "3.64 TB", "path": ")" +
        path +
        R"(", "locked": 0}, "ceph_device": null, "lsm_data": {}, "available": true, "rejected_reasons": [], "device_id": "ST4000NM0035", "lvs": []}, )";
  }
  out +=
      R"({"path": "/dev/sdu", "sys_api": {"removable": "1", "rotational": "1", "size": 31914983424.0, "model": "Ultra Fit", "vendor": "SanDisk "}, "available": false, "rejected_reasons": ["removable"], "lvs": []}])";
  return out + "\n";
}

class InventoryE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kPlannerBinary)) << "missing " << kPlannerBinary;
    dir_ = fs::temp_directory_path() /
           ("cp-inventory-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto zk = testing::ZkServer::start();
    ASSERT_OK(zk);  // A real ZooKeeper is required: no skipping.
    zk_ = std::move(zk).value();
    credentials_ = write("zk.credentials", "planner:inventory-e2e-" + std::to_string(::getpid()));
    ::chmod(credentials_.c_str(), 0600);

    // The box example with ceph-box-3's inline devices removed: its OSDs (`data_devices:
    // {all: true}`) can only come from the stored inventory.
    std::string yaml = readWholeFile(std::string(CP_SOURCE_DIR) + "/examples/local.yaml");
    const std::string inline3 =
        "    devices:\n"
        "      - { path: /var/tmp/ceph-planner-box/ceph-box-3/osd0, rotational: true, size: 4G }\n";
    size_t at = yaml.find(inline3);
    ASSERT_NE(at, std::string::npos);
    yaml.erase(at, inline3.size());
    topology_ = write("topology.yaml", yaml);
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

  struct Finished {
    int exitCode = -1;
    std::string output;  // stdout and stderr.
  };
  // Runs the planner with `args`, plus the store flags unless `withStore` is false.
  Finished planner(const std::string& name, std::vector<std::string> args, bool withStore = true) {
    std::vector<std::string> argv = {kPlannerBinary};
    argv.insert(argv.end(), args.begin(), args.end());
    if (withStore) {
      argv.insert(argv.end(), {"--zk", zk_->connectString() + "/ceph-planner",
                               "--zk_credentials_file", credentials_});
    }
    ChildProcess child;
    std::string log = (dir_ / (name + ".log")).string();
    EXPECT_TRUE(child.start(argv, log));
    Finished f;
    f.exitCode = child.wait();
    f.output = readWholeFile(log);
    return f;
  }

  Finished putInventory(const std::string& name, const std::string& reportFile) {
    return planner(name,
                   {"inventory", "--cluster", "box", "--host", "ceph-box-3", "--from", reportFile});
  }

  // Devices of the OSD apps `plan` creates on ceph-box-3 (`+ /ceph/box/osd/... host=ceph-box-3`).
  std::vector<std::string> plannedOsdDevicesOnHost3(const std::string& name,
                                                    const std::string& marathonUrl) {
    Finished plan = planner(name, {"plan", topology_, "--marathon", marathonUrl});
    EXPECT_EQ(plan.exitCode, 0) << plan.output;
    std::vector<std::string> devices;
    std::regex create(R"(^\s*\+ /ceph/box/osd/\S+\s+host=ceph-box-3 slot=\S+ device=(\S+))");
    std::istringstream lines(plan.output);
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_search(line, m, create)) devices.push_back(m[1].str());
    }
    std::sort(devices.begin(), devices.end());
    return devices;
  }

  Result<std::string> storedInventory() {
    store::StoreConfig config;
    config.zkConnect = zk_->connectString() + "/ceph-planner";
    config.zkCredentialsFile = credentials_;
    auto opened = store::openTopologyStore(config);
    if (!opened) return opened.error();
    return opened->store->getInventory("box", "ceph-box-3");
  }

  fs::path dir_;
  std::unique_ptr<testing::ZkServer> zk_;
  std::string credentials_;
  std::string topology_;
};

TEST_F(InventoryE2eTest, StoredInventoryDrivesTheOsdsPlanCreatesAndARefreshAddsExactlyOne) {
  marathon::testing::SimProcess sim;
  ASSERT_OK(sim.start(std::string(CP_SOURCE_DIR) + "/examples/local.agents.yaml", 50.0));

  // Without an inventory the host's filters cannot resolve: plan refuses, naming the host.
  Finished none = planner("plan-none", {"plan", topology_, "--marathon", sim.url()});
  EXPECT_EQ(none.exitCode, 1) << none.output;
  EXPECT_NE(none.output.find("filters need a device inventory, host 'ceph-box-3' has none"),
            std::string::npos)
      << none.output;

  std::string v1Text = cephVolumeReport({"/dev/sdb", "/dev/sdc"});
  Finished v1 = putInventory("inventory-v1", write("v1.json", v1Text));
  ASSERT_EQ(v1.exitCode, 0) << v1.output;
  EXPECT_NE(v1.output.find("stored inventory of host 'ceph-box-3': 2 devices (2 hdd, 0 ssd), 2 "
                           "available"),
            std::string::npos)
      << v1.output;
  EXPECT_NE(v1.output.find("ignored /dev/sdu (removable)"), std::string::npos) << v1.output;
  auto stored = storedInventory();
  ASSERT_OK(stored);
  EXPECT_EQ(*stored, v1Text);

  EXPECT_EQ(plannedOsdDevicesOnHost3("plan-v1", sim.url()),
            (std::vector<std::string>{"/dev/sdb", "/dev/sdc"}));

  // A report that does not parse changes nothing, and says so.
  Finished bad = putInventory("inventory-bad", write("bad.json", R"([{"path": "/dev/sdb"}])"));
  EXPECT_EQ(bad.exitCode, 1) << bad.output;
  EXPECT_NE(bad.output.find("[0].available: missing"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("nothing was stored"), std::string::npos) << bad.output;
  stored = storedInventory();
  ASSERT_OK(stored);
  EXPECT_EQ(*stored, v1Text);

  // The refresh finds one more disk: exactly one more OSD, on that disk.
  Finished v2 = putInventory(
      "inventory-v2", write("v2.json", cephVolumeReport({"/dev/sdb", "/dev/sdc", "/dev/sdd"})));
  ASSERT_EQ(v2.exitCode, 0) << v2.output;
  EXPECT_EQ(plannedOsdDevicesOnHost3("plan-v2", sim.url()),
            (std::vector<std::string>{"/dev/sdb", "/dev/sdc", "/dev/sdd"}));

  // The read-back lists the host; offline validate uses the store only when one is given.
  Finished list = planner("list", {"inventory", "--cluster", "box"});
  EXPECT_EQ(list.exitCode, 0) << list.output;
  EXPECT_NE(list.output.find("ceph-box-3: 3 devices (3 hdd, 0 ssd), 3 available"),
            std::string::npos)
      << list.output;
  Finished validate = planner("validate", {"validate", topology_});
  EXPECT_EQ(validate.exitCode, 0) << validate.output;
  // ceph-box-1: 2 inline, ceph-box-2: 1 inline, ceph-box-3: 3 stored.
  EXPECT_NE(validate.output.find("6 OSDs"), std::string::npos) << validate.output;
}

TEST_F(InventoryE2eTest, RunsCephVolumeAndStoresNothingWhenItFails) {
  // A stand-in ceph-volume that insists on the documented arguments.
  std::string report = write("report.json", cephVolumeReport({"/dev/sdb"}));
  std::string good = write("ceph-volume-ok",
                           "#!/bin/sh\n[ \"$*\" = \"inventory --format json\" ] || exit 3\n"
                           "cat '" +
                               report + "'\n");
  std::string failing =
      write("ceph-volume-fail", "#!/bin/sh\necho 'lvm: cannot open /dev/mapper' >&2\nexit 5\n");
  ::chmod(good.c_str(), 0755);
  ::chmod(failing.c_str(), 0755);

  Finished failed = planner("fail", {"inventory", "--cluster", "box", "--host", "ceph-box-3",
                                     "--ceph_volume_binary", failing});
  EXPECT_EQ(failed.exitCode, 1) << failed.output;
  EXPECT_NE(failed.output.find("exited with status 5: lvm: cannot open /dev/mapper"),
            std::string::npos)
      << failed.output;
  EXPECT_ERROR_CODE(storedInventory(), ErrorCode::NotFound);

  Finished ok = planner("ok", {"inventory", "--cluster", "box", "--host", "ceph-box-3",
                               "--ceph_volume_binary", good});
  EXPECT_EQ(ok.exitCode, 0) << ok.output;
  EXPECT_NE(ok.output.find("stored inventory of host 'ceph-box-3': 1 device (1 hdd, 0 ssd), 1 "
                           "available"),
            std::string::npos)
      << ok.output;
  auto stored = storedInventory();
  ASSERT_OK(stored);
  EXPECT_EQ(*stored, readWholeFile(report));

  // Without a configured store, offline validate keeps working as before (and so fails on the
  // host that has no inline devices).
  Finished offline = planner("validate-offline", {"validate", topology_}, /*withStore=*/false);
  EXPECT_EQ(offline.exitCode, 1) << offline.output;
  EXPECT_NE(offline.output.find("host 'ceph-box-3' has none"), std::string::npos) << offline.output;
}

}  // namespace
}  // namespace ceph_planner
