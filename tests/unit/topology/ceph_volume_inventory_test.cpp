// `parseCephVolumeInventory`: a realistic 16.2 report, which devices are kept, and a table of
// malformed reports with the located message each must produce.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/testing.h"
#include "topology/ceph_volume_inventory.h"

namespace ceph_planner::topology {
namespace {

std::string readTestdata(const std::string& name) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/tests/testdata/ceph_volume/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// One device object; `sysApi` and `extra` are spliced in verbatim.
std::string device(const std::string& path, bool available,
                   const std::string& sysApi = R"("rotational": "1", "size": 4000787030016.0)",
                   const std::string& extra = "") {
  return R"({"path": ")" + path + R"(", "available": )" + (available ? "true" : "false") +
         R"(, "sys_api": {)" + sysApi + "}" + (extra.empty() ? "" : ", " + extra) + "}";
}

TEST(CephVolumeInventoryTest, RealisticReportKeepsAvailableAndOsdCarryingDevices) {
  std::string text = readTestdata("stor01.json");
  ASSERT_FALSE(text.empty());
  auto parsed = parseCephVolumeInventory(text);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->reported, 16);
  EXPECT_EQ(parsed->available, 3);
  EXPECT_EQ(parsed->withOsd, 11);  // Nine OSD data disks and two DB devices.
  const auto& devices = parsed->inventory.devices;
  ASSERT_EQ(devices.size(), 14u);
  int hdd = 0;
  for (const auto& d : devices) hdd += d.rotational;
  EXPECT_EQ(hdd, 12);
  EXPECT_TRUE(parsed->inventory.addresses.empty());

  // Report order; fields mapped, vendor padding trimmed, float size exact.
  EXPECT_EQ(devices.front().path, "/dev/sdb");
  EXPECT_TRUE(devices.front().rotational);
  EXPECT_EQ(devices.front().sizeBytes, 4000787030016u);
  EXPECT_EQ(devices.front().model, "ST4000NM0035-1V4");
  EXPECT_EQ(devices.front().vendor, "ATA");
  EXPECT_EQ(devices.back().path, "/dev/nvme1n1");
  EXPECT_FALSE(devices.back().rotational);
  EXPECT_EQ(devices.back().sizeBytes, 1600321314816u);
  EXPECT_EQ(devices.back().model, "INTEL SSDPE2KE016T8");
  EXPECT_EQ(devices.back().vendor, "");

  ASSERT_EQ(parsed->dropped.size(), 2u);
  EXPECT_EQ(parsed->dropped[0], "/dev/sda (Has partitions, locked, Has a FileSystem)");
  EXPECT_EQ(parsed->dropped[1], "/dev/sdn (removable)");
}

TEST(CephVolumeInventoryTest, AcceptedVariants) {
  struct Case {
    std::string name;
    std::string json;
    size_t kept;
    uint64_t firstSize;
    bool firstRotational;
  };
  const std::vector<Case> cases = {
      {"empty report", "[]", 0, 0, false},
      {"integer size, numeric rotational",
       "[" + device("/dev/sdb", true, R"("rotational": 0, "size": 1000)") + "]", 1, 1000, false},
      {"pretty-printed, nulls for optional fields",
       "[\n  {\n    \"path\": \"/dev/vdb\",\n    \"available\": true,\n    \"sys_api\": {\n"
       "      \"rotational\": \"1\",\n      \"size\": 34359738368.0,\n      \"model\": null,\n"
       "      \"vendor\": \"0x1af4\"\n    },\n    \"lvs\": null,\n    \"rejected_reasons\": []\n  "
       "}\n]\n",
       1, 34359738368u, true},
      {"unavailable without an OSD volume is dropped",
       "[" +
           device(
               "/dev/sdb", false, R"("rotational": "1", "size": 1.0)",
               R"("lvs": [{"name": "home", "osd_id": ""}], "rejected_reasons": ["LVM detected"])") +
           "]",
       0, 0, false},
      {"unavailable wal volume is kept",
       "[" +
           device("/dev/nvme0n1", false, R"("rotational": "0", "size": 2.0e12)",
                  R"("lvs": [{"osd_id": "12", "type": "wal"}])") +
           "]",
       1, 2000000000000u, false},
  };
  for (const auto& c : cases) {
    auto parsed = parseCephVolumeInventory(c.json);
    ASSERT_OK(parsed);
    ASSERT_EQ(parsed->inventory.devices.size(), c.kept) << c.name;
    if (c.kept == 0) continue;
    EXPECT_EQ(parsed->inventory.devices[0].sizeBytes, c.firstSize) << c.name;
    EXPECT_EQ(parsed->inventory.devices[0].rotational, c.firstRotational) << c.name;
  }
}

TEST(CephVolumeInventoryTest, MalformedReportsAreRejectedWithTheirLocation) {
  struct Case {
    std::string name;
    std::string json;
    std::vector<std::string> expected;  // Substrings of the error message.
  };
  const std::string good = device("/dev/sdb", true);
  const std::vector<Case> cases = {
      {"empty text", "  \n", {"empty inventory"}},
      {"not JSON", "[{\"path\": ", {"line 1, column", "invalid JSON"}},
      {"an object instead of an array", R"({"devices": []})", {"expected a JSON array of devices"}},
      {"a scalar element", "[" + good + ", 7]", {"[1]: expected a device object, got '7'"}},
      {"missing path",
       R"([{"available": true, "sys_api": {"rotational": "1", "size": 1}}])",
       {"[0].path: missing"}},
      {"relative path",
       "[" + device("sdb", true) + "]",
       {"[0].path: expected an absolute device path"}},
      {"duplicate path",
       "[" + good + ", " + good + "]",
       {"[1].path: device '/dev/sdb' is reported twice (also [0])"}},
      {"missing available",
       R"([{"path": "/dev/sdb", "sys_api": {"rotational": "1", "size": 1}}])",
       {"[0].available: missing"}},
      {"available not a boolean",
       R"([{"path": "/dev/sdb", "available": "maybe", "sys_api": {"rotational": "1", "size": 1}}])",
       {"[0].available: expected true or false, got 'maybe'"}},
      {"missing sys_api", R"([{"path": "/dev/sdb", "available": true}])", {"[0].sys_api: missing"}},
      {"sys_api not an object",
       R"([{"path": "/dev/sdb", "available": true, "sys_api": []}])",
       {"[0].sys_api: expected an object, got an array"}},
      {"missing size",
       "[" + device("/dev/sdb", true, R"("rotational": "1")") + "]",
       {"[0].sys_api.size: missing"}},
      {"size not a number",
       "[" + good + ", " + device("/dev/sdc", true, R"("rotational": "1", "size": "big")") + "]",
       {"[1].sys_api.size: expected a number of bytes, got 'big'"}},
      {"negative size",
       "[" + device("/dev/sdb", true, R"("rotational": "1", "size": -5.0)") + "]",
       {"[0].sys_api.size: expected a number of bytes, got '-5.0'"}},
      {"size beyond 64 bits",
       "[" + device("/dev/sdb", true, R"("rotational": "1", "size": 1e20)") + "]",
       {"[0].sys_api.size: expected a number of bytes"}},
      {"rotational not 0 or 1",
       "[" + device("/dev/sdb", true, R"("rotational": "2", "size": 1)") + "]",
       {"[0].sys_api.rotational: expected \"1\" or \"0\", got '2'"}},
      {"model not a string",
       "[" + device("/dev/sdb", true, R"("rotational": "1", "size": 1, "model": {"a": 1})") + "]",
       {"[0].sys_api.model: expected a string, got an object"}},
      {"lvs not an array",
       "[" + device("/dev/sdb", false, R"("rotational": "1", "size": 1)", R"("lvs": {})") + "]",
       {"[0].lvs: expected an array, got an object"}},
      {"rejected_reasons with an object",
       "[" +
           device("/dev/sdb", false, R"("rotational": "1", "size": 1)",
                  R"("rejected_reasons": [{}])") +
           "]",
       {"[0].rejected_reasons[0]: expected a string, got an object"}},
      {"every problem is reported",
       "[" + device("/dev/sdb", true, R"("rotational": "x", "size": 1)") + ", " +
           device("/dev/sdc", true, R"("rotational": "1", "size": "y")") + "]",
       {"[0].sys_api.rotational", "[1].sys_api.size"}},
  };
  for (const auto& c : cases) {
    auto parsed = parseCephVolumeInventory(c.json);
    ASSERT_FALSE(parsed.has_value()) << c.name << ": accepted";
    EXPECT_EQ(parsed.error().code, ErrorCode::InvalidInput) << c.name;
    for (const auto& e : c.expected) {
      EXPECT_NE(parsed.error().message.find(e), std::string::npos)
          << c.name << ": want '" << e << "' in: " << parsed.error().message;
    }
  }
}

TEST(CephVolumeInventoryTest, ProblemListIsCapped) {
  std::string json = "[";
  for (int i = 0; i < 30; ++i) json += std::string(i ? ", " : "") + "1";
  json += "]";
  auto parsed = parseCephVolumeInventory(json);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.find("[19]: expected a device object"), std::string::npos);
  EXPECT_EQ(parsed.error().message.find("[20]:"), std::string::npos);
  EXPECT_NE(parsed.error().message.find("; and 10 more"), std::string::npos)
      << parsed.error().message;
}

}  // namespace
}  // namespace ceph_planner::topology
