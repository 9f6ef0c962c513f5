// OSD device selection: explicit slots and paths, filters against inline and store inventories,
// DB slot assignment, exceptions, osds_per_device, and determinism.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "doc_builder.h"
#include "topology/devices.h"
#include "topology/parse.h"

namespace ceph_planner::topology {
namespace {

Device disk(std::string path, bool rotational, const char* size, std::string model = "",
            std::string vendor = "") {
  Device d;
  d.path = std::move(path);
  d.rotational = rotational;
  EXPECT_TRUE(parseSize(size, &d.sizeBytes)) << size;
  d.model = std::move(model);
  d.vendor = std::move(vendor);
  return d;
}

// One host `h1` with 6 HDDs (two models) and 2 SSDs; the group is filled in by each test.
Topology baseTopology() {
  Topology t;
  t.cluster.name = "t";
  Host h;
  h.name = "h1.example.com";
  h.labels = {"osd"};
  h.hasInventory = true;
  for (int i = 0; i < 6; ++i) {
    h.devices.push_back(disk("/dev/disk/by-path/hdd-" + std::to_string(i), true,
                             i < 4 ? "12T" : "8T", i < 4 ? "ST12000NM0008" : "HUH728080", "ATA"));
  }
  h.devices.push_back(disk("/dev/disk/by-path/ssd-0", false, "1.92T", "MZ7LH1T9", "SAMSUNG"));
  h.devices.push_back(disk("/dev/disk/by-path/ssd-1", false, "1.92T", "MZ7LH1T9", "SAMSUNG"));
  t.hosts.push_back(h);
  OsdGroup g;
  g.serviceId = "g";
  g.placement.label = "osd";
  t.osdGroups.push_back(g);
  return t;
}

std::vector<std::string> slotNames(const DeviceSelection& s) {
  std::vector<std::string> out;
  for (const auto& slot : s.slots) out.push_back(slot.slot);
  return out;
}

TEST(Devices, FiltersByRotationalSizeModelAndLimit) {
  Topology t = baseTopology();
  DeviceSelector& data = t.osdGroups[0].dataDevices;
  data.present = true;
  data.rotational = true;
  EXPECT_EQ(resolveOsdSlots(t).slots.size(), 6u);
  data.size = SizeRange{uint64_t{10} << 40, std::nullopt, "10T:"};
  EXPECT_EQ(slotNames(resolveOsdSlots(t)),
            (std::vector<std::string>{"hdd-0", "hdd-1", "hdd-2", "hdd-3"}));
  data.size.reset();
  data.model = "HUH*";
  EXPECT_EQ(slotNames(resolveOsdSlots(t)), (std::vector<std::string>{"hdd-4", "hdd-5"}));
  data.model = "ST1200?NM0008";
  data.limit = 3;
  EXPECT_EQ(slotNames(resolveOsdSlots(t)), (std::vector<std::string>{"hdd-0", "hdd-1", "hdd-2"}));
  data.model.clear();
  data.limit.reset();
  data.rotational.reset();
  data.vendor = "SAMS*";
  EXPECT_EQ(slotNames(resolveOsdSlots(t)), (std::vector<std::string>{"ssd-0", "ssd-1"}));
  data.vendor.clear();
  data.all = true;
  EXPECT_EQ(resolveOsdSlots(t).slots.size(), 8u);
}

TEST(Devices, AssignsDbSlotsInOrder) {
  Topology t = baseTopology();
  OsdGroup& g = t.osdGroups[0];
  g.dataDevices.present = true;
  g.dataDevices.rotational = true;
  g.dbDevices.present = true;
  g.dbDevices.rotational = false;
  g.dbSlots = 3;
  g.blockDbSize = uint64_t{300} << 30;
  g.crushDeviceClass = "hdd";
  DeviceSelection s = resolveOsdSlots(t);
  EXPECT_TRUE(s.diagnostics.empty()) << testing::describe(s.diagnostics);
  ASSERT_EQ(s.slots.size(), 6u);
  const char* expectedDb[] = {"ssd-0", "ssd-0", "ssd-0", "ssd-1", "ssd-1", "ssd-1"};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(s.slots[i].dbSlot, expectedDb[i]) << i;
    EXPECT_EQ(s.slots[i].dbPath, std::string("/dev/disk/by-path/") + expectedDb[i]);
    EXPECT_EQ(s.slots[i].dbIndex, static_cast<int>(i % 3));
    EXPECT_EQ(s.slots[i].blockDbSize, uint64_t{300} << 30);
    EXPECT_EQ(s.slots[i].deviceClass, "hdd");
    EXPECT_EQ(s.slots[i].failureDomainValue, "h1.example.com");
  }
  // Without db_slots the OSDs are spread evenly over the DB devices.
  g.dbSlots.reset();
  s = resolveOsdSlots(t);
  EXPECT_EQ(s.slots[2].dbSlot, "ssd-0");
  EXPECT_EQ(s.slots[3].dbSlot, "ssd-1");
  // Too few DB devices: the exact message of the issue.
  g.dbSlots = 2;
  s = resolveOsdSlots(t);
  ASSERT_EQ(s.diagnostics.size(), 1u);
  EXPECT_EQ(s.diagnostics[0].path, "osd_groups[0].db_slots");
  EXPECT_EQ(s.diagnostics[0].message,
            "6 data devices need 3 db devices at 2 slots, host 'h1.example.com' has 2");
  // DB capacity: 3 x 700G does not fit 1.92T.
  g.dbSlots = 3;
  g.blockDbSize = uint64_t{700} << 30;
  s = resolveOsdSlots(t);
  ASSERT_EQ(s.diagnostics.size(), 2u);
  EXPECT_EQ(s.diagnostics[0].message,
            "3 db slots of 700G need 2.05T, db device '/dev/disk/by-path/ssd-0' on host "
            "'h1.example.com' has 1.92T");
}

TEST(Devices, ExplicitSlotsAndPathsKeepSelectorOrder) {
  Topology t = baseTopology();
  OsdGroup& g = t.osdGroups[0];
  g.dataDevices.present = true;
  g.dataDevices.slots = {{"s1", "/dev/disk/by-path/hdd-1"}, {"s0", "/dev/disk/by-path/hdd-0"}};
  g.dataDevices.paths = {"/dev/disk/by-id/ata-ST12000_ZXC:1"};
  g.walDevices.present = true;
  g.walDevices.paths = {"/dev/disk/by-path/ssd-0"};
  DeviceSelection s = resolveOsdSlots(t);
  EXPECT_TRUE(s.diagnostics.empty()) << testing::describe(s.diagnostics);
  EXPECT_EQ(slotNames(s), (std::vector<std::string>{"s1", "s0", "ata-st12000-zxc-1"}));
  for (const auto& slot : s.slots) EXPECT_EQ(slot.walPath, "/dev/disk/by-path/ssd-0");
}

TEST(Devices, ExceptionsAndOsdsPerDevice) {
  Topology t = baseTopology();
  OsdGroup& g = t.osdGroups[0];
  g.dataDevices.present = true;
  g.dataDevices.model = "HUH*";
  g.osdsPerDevice = 2;
  g.exceptions.push_back(HostException{"h1.example.com", {"hdd-4"}});
  DeviceSelection s = resolveOsdSlots(t);
  EXPECT_TRUE(s.diagnostics.empty()) << testing::describe(s.diagnostics);
  EXPECT_EQ(slotNames(s), (std::vector<std::string>{"hdd-5-0", "hdd-5-1"}));
  EXPECT_EQ(s.slots[1].deviceIndex, 1);
  EXPECT_EQ(s.slots[1].osdsPerDevice, 2);
  EXPECT_EQ(s.slots[1].dataPath, "/dev/disk/by-path/hdd-5");
}

TEST(Devices, UsesTheStoreInventoryWhenTheHostHasNone) {
  Topology t = baseTopology();
  Inventory inventory;
  inventory["h1.example.com"].devices = t.hosts[0].devices;
  t.hosts[0].devices.clear();
  t.hosts[0].hasInventory = false;
  OsdGroup& g = t.osdGroups[0];
  g.dataDevices.present = true;
  g.dataDevices.rotational = false;
  DeviceSelection without = resolveOsdSlots(t);
  ASSERT_EQ(without.diagnostics.size(), 1u);
  EXPECT_EQ(without.diagnostics[0].message,
            "filters need a device inventory, host 'h1.example.com' has none");
  DeviceSelection with = resolveOsdSlots(t, inventory);
  EXPECT_TRUE(with.diagnostics.empty());
  EXPECT_EQ(slotNames(with), (std::vector<std::string>{"ssd-0", "ssd-1"}));
}

bool sameSlots(const DeviceSelection& a, const DeviceSelection& b) {
  if (a.slots.size() != b.slots.size()) return false;
  for (size_t i = 0; i < a.slots.size(); ++i) {
    const OsdSlot& x = a.slots[i];
    const OsdSlot& y = b.slots[i];
    if (x.host != y.host || x.slot != y.slot || x.dataPath != y.dataPath || x.dbPath != y.dbPath ||
        x.dbIndex != y.dbIndex || x.group != y.group) {
      return false;
    }
  }
  return true;
}

TEST(Devices, DeterministicAndIndependentOfInventoryOrder) {
  Topology t = baseTopology();
  Host second = t.hosts[0];
  second.name = "h2.example.com";
  t.hosts.push_back(second);
  OsdGroup& g = t.osdGroups[0];
  g.dataDevices.present = true;
  g.dataDevices.rotational = true;
  g.dbDevices.present = true;
  g.dbDevices.rotational = false;
  const DeviceSelection first = resolveOsdSlots(t);
  ASSERT_EQ(first.slots.size(), 12u);
  EXPECT_TRUE(sameSlots(first, resolveOsdSlots(t)));
  std::mt19937 rng(42);
  for (int round = 0; round < 5; ++round) {
    Topology shuffled = t;
    for (auto& h : shuffled.hosts) std::shuffle(h.devices.begin(), h.devices.end(), rng);
    EXPECT_TRUE(sameSlots(first, resolveOsdSlots(shuffled))) << "round " << round;
  }
  EXPECT_EQ(first.slots[0].host, "h1.example.com");
  EXPECT_EQ(first.slots[6].host, "h2.example.com");
}

TEST(Devices, HostsComeInTopologyOrderEvenWhenListedOtherwise) {
  Topology t = baseTopology();
  Host second = t.hosts[0];
  second.name = "h2.example.com";
  t.hosts.push_back(second);
  OsdGroup& g = t.osdGroups[0];
  g.placement = Placement{};
  g.placement.hosts = {"h2.example.com", "h1.example.com"};
  g.dataDevices.present = true;
  g.dataDevices.paths = {"/dev/disk/by-path/hdd-0"};
  DeviceSelection s = resolveOsdSlots(t);
  ASSERT_EQ(s.slots.size(), 2u);
  EXPECT_EQ(s.slots[0].host, "h1.example.com");
}

TEST(Devices, SlotNameForPath) {
  EXPECT_EQ(slotNameForPath("/dev/disk/by-path/pci-0000:3b:00.0-sas-phy7-lun-0"),
            "pci-0000-3b-00-0-sas-phy7-lun-0");
  EXPECT_EQ(slotNameForPath("/dev/disk/by-id/ata-Samsung_SSD__860--X"), "ata-samsung-ssd-860-x");
  EXPECT_EQ(slotNameForPath("/var/tmp/box/osd0"), "osd0");
  EXPECT_EQ(slotNameForPath("/dev/__"), "");
  EXPECT_TRUE(isValidSlotName("s00"));
  EXPECT_TRUE(isValidSlotName("a-b"));
  EXPECT_FALSE(isValidSlotName("-a"));
  EXPECT_FALSE(isValidSlotName("a-"));
  EXPECT_FALSE(isValidSlotName("A"));
  EXPECT_FALSE(isValidSlotName(""));
}

TEST(Devices, ParseAndFormatSize) {
  uint64_t v = 0;
  EXPECT_TRUE(parseSize("300G", &v));
  EXPECT_EQ(v, uint64_t{300} << 30);
  EXPECT_TRUE(parseSize("2GiB", &v));
  EXPECT_EQ(v, uint64_t{2} << 30);
  EXPECT_TRUE(parseSize("10TB", &v));
  EXPECT_EQ(v, uint64_t{10} << 40);
  EXPECT_TRUE(parseSize("4096", &v));
  EXPECT_EQ(v, 4096u);
  EXPECT_TRUE(parseSize("500m", &v));
  EXPECT_EQ(v, uint64_t{500} << 20);
  EXPECT_TRUE(parseSize("1.5K", &v));
  EXPECT_EQ(v, 1536u);
  for (const char* bad : {"", "G", "1.2.3G", ".5G", "5.G", "12X", "1.5", "-1G", "99999999999P",
                          "20000000000000000000"}) {
    EXPECT_FALSE(parseSize(bad, &v)) << bad;
  }
  EXPECT_EQ(formatSize(uint64_t{300} << 30), "300G");
  EXPECT_EQ(formatSize(uint64_t{1536} << 30), "1.5T");
  EXPECT_EQ(formatSize(100), "100B");
  EXPECT_EQ(formatSize(0), "0B");
}

}  // namespace
}  // namespace ceph_planner::topology
