// addOsdDevice (topology/osd_edit.h): the document edit behind the daemon's OSD flexup. Each case
// checks the edited text, that it still loads cleanly, and what the device selection makes of it.

#include "topology/osd_edit.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/testing.h"
#include "topology/devices.h"
#include "topology/parse.h"

namespace ceph_planner::topology {
namespace {

// Three hosts; `hdd` selects by filter, `fast` by explicit paths on hosts a and b, `named` by
// explicit slots on host c.
constexpr char kDoc[] = R"(apiVersion: ceph-planner/v1
kind: CephTopology
cluster:
  name: t
  runtime: host
networks:
  public: [10.0.0.0/8]
hosts:
  # The first rack.
  - name: a
    public_ip: 10.0.0.1
    labels: [osd]
    devices:
      - { path: /dev/sdb, rotational: true, size: 4T }  # old disk
      - path: /dev/nvme0
        rotational: false
        size: 1T
  - name: b
    public_ip: 10.0.0.2
    labels: [osd]
    devices:
      - { path: /dev/nvme0, rotational: false, size: 1T }
  - name: c
    public_ip: 10.0.0.3
mons:
  placement: { hosts: [a] }
mgrs:
  placement: { hosts: [a] }
osd_groups:
  - service_id: hdd
    placement: { label: osd }
    data_devices:
      rotational: true
  - service_id: fast
    placement: { hosts: [a, b] }
    data_devices:
      paths:
        - /dev/nvme0
  - service_id: named
    placement: { hosts: [c] }
    data_devices:
      slots:
        s00: /dev/sdc
)";

OsdDeviceRequest request(const std::string& host, const std::string& path, const std::string& group,
                         bool rotational = true) {
  OsdDeviceRequest r;
  r.host = host;
  r.group = group;
  r.device.path = path;
  r.device.rotational = rotational;
  r.device.sizeBytes = 8ull << 40;
  return r;
}

std::vector<std::string> slotsOf(const std::string& yaml, const std::string& host,
                                 const std::string& group) {
  ParsedTopology parsed = loadTopology(yaml);
  EXPECT_TRUE(parsed.ok()) << (parsed.diagnostics.empty() ? "" : parsed.diagnostics[0].toString());
  std::vector<std::string> out;
  for (const auto& s : resolveOsdSlots(parsed.topology).slots) {
    if (s.host == host && s.group == group) out.emplace_back(s.dataPath);
  }
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(OsdEdit, FilterGroupAddsToTheInlineInventoryAndKeepsComments) {
  auto edit = addOsdDevice(kDoc, request("a", "/dev/sdq", "hdd"));
  ASSERT_OK(edit);
  EXPECT_TRUE(edit->changed);
  EXPECT_TRUE(edit->textPreserving);
  EXPECT_TRUE(edit->inlineInventory);
  ASSERT_EQ(edit->changes.size(), 1u);
  EXPECT_EQ(edit->changes[0], "hosts[0].devices: added '/dev/sdq'");
  // Inserted right after host a's last device, at the items' indentation; comments kept.
  EXPECT_NE(
      edit->yaml.find("        size: 1T\n      - {path: /dev/sdq, rotational: true, size: 8T}\n"
                      "  - name: b\n"),
      std::string::npos)
      << edit->yaml;
  EXPECT_NE(edit->yaml.find("# The first rack."), std::string::npos);
  EXPECT_NE(edit->yaml.find("# old disk"), std::string::npos);
  EXPECT_EQ(slotsOf(edit->yaml, "a", "hdd"), (std::vector<std::string>{"/dev/sdb", "/dev/sdq"}));
  EXPECT_EQ(slotsOf(edit->yaml, "b", "hdd"), std::vector<std::string>{});
}

TEST(OsdEdit, PathsGroupAddsThePathAndExcludesItOnTheOtherHosts) {
  auto edit = addOsdDevice(kDoc, request("b", "/dev/nvme1", "fast", false));
  ASSERT_OK(edit);
  EXPECT_TRUE(edit->textPreserving) << edit->yaml;
  EXPECT_EQ(edit->changes, (std::vector<std::string>{
                               "hosts[1].devices: added '/dev/nvme1'",
                               "osd_groups[1].data_devices.paths: added '/dev/nvme1'",
                               "osd_groups[1].exceptions: excluded slot 'nvme1' on host 'a'"}));
  EXPECT_NE(edit->yaml.find("        - /dev/nvme0\n        - /dev/nvme1\n"), std::string::npos)
      << edit->yaml;
  EXPECT_NE(edit->yaml.find("    exceptions: [{host: a, exclude_slots: [nvme1]}]\n"),
            std::string::npos)
      << edit->yaml;
  EXPECT_EQ(slotsOf(edit->yaml, "b", "fast"),
            (std::vector<std::string>{"/dev/nvme0", "/dev/nvme1"}));
  EXPECT_EQ(slotsOf(edit->yaml, "a", "fast"), std::vector<std::string>{"/dev/nvme0"});
}

TEST(OsdEdit, PathsGroupAppendsToAnExistingExceptionEntry) {
  std::string doc = kDoc;
  doc.replace(doc.find("        - /dev/nvme0\n  - service_id: named"),
              std::string("        - /dev/nvme0\n").size(),
              "        - /dev/nvme0\n    exceptions:\n      - host: a\n        exclude_slots:\n"
              "          - old\n");
  auto edit = addOsdDevice(doc, request("b", "/dev/nvme1", "fast", false));
  ASSERT_OK(edit);
  EXPECT_TRUE(edit->textPreserving) << edit->yaml;
  EXPECT_NE(edit->yaml.find("          - old\n          - nvme1\n"), std::string::npos)
      << edit->yaml;
}

TEST(OsdEdit, SlotsGroupGetsANamedSlotWithoutAnInlineInventory) {
  auto edit = addOsdDevice(kDoc, request("c", "/dev/disk/by-id/X_1", "named"));
  ASSERT_OK(edit);
  EXPECT_FALSE(edit->inlineInventory);
  EXPECT_TRUE(edit->textPreserving) << edit->yaml;
  EXPECT_NE(edit->yaml.find("        s00: /dev/sdc\n        x-1: /dev/disk/by-id/X_1\n"),
            std::string::npos)
      << edit->yaml;
  EXPECT_TRUE(contains(slotsOf(edit->yaml, "c", "named"), "/dev/disk/by-id/X_1"));
}

TEST(OsdEdit, AlreadyPresentChangesNothing) {
  auto edit = addOsdDevice(kDoc, request("a", "/dev/nvme0", "fast", false));
  ASSERT_OK(edit);
  EXPECT_FALSE(edit->changed);
  EXPECT_TRUE(edit->changes.empty());
  EXPECT_EQ(edit->yaml, kDoc);
}

TEST(OsdEdit, ErrorsTable) {
  struct Case {
    OsdDeviceRequest request;
    ErrorCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {request("stor03", "/dev/sdq", "hdd"), ErrorCode::NotFound,
       "no host 'stor03' in the topology"},
      {request("b", "/dev/sdq", "hd"), ErrorCode::NotFound,
       "no osd group 'hd' (did you mean 'hdd'?)"},
      {request("c", "/dev/sdq", "hdd"), ErrorCode::InvalidInput,
       "osd group 'hdd' does not place host 'c'"},
      {request("a", "sdq", "hdd"), ErrorCode::InvalidInput, "device path 'sdq' must be absolute"},
      {request("c", "/dev/other/s00", "named"), ErrorCode::Conflict,
       "osd_groups[2].data_devices.slots: slot 's00' already names '/dev/sdc'"},
  };
  for (const auto& c : cases) {
    auto edit = addOsdDevice(kDoc, c.request);
    ASSERT_FALSE(edit) << c.message;
    EXPECT_EQ(edit.error().code, c.code) << c.message;
    EXPECT_EQ(edit.error().message, c.message);
  }
  auto broken = addOsdDevice("hosts: [", request("a", "/dev/sdq", "hdd"));
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::InvalidInput);
}

TEST(OsdEdit, UnmanagedGroupIsRefused) {
  std::string doc = kDoc;
  doc.replace(doc.find("    placement: { label: osd }"), 0, "    unmanaged: true\n");
  auto edit = addOsdDevice(doc, request("a", "/dev/sdq", "hdd"));
  ASSERT_FALSE(edit);
  EXPECT_EQ(edit.error().code, ErrorCode::Conflict);
}

TEST(OsdEdit, FlowStyleDocumentIsReEmitted) {
  const std::string doc =
      "{apiVersion: ceph-planner/v1, kind: CephTopology, cluster: {name: t, runtime: host},"
      " networks: {public: [10.0.0.0/8]},"
      " hosts: [{name: a, public_ip: 10.0.0.1, devices: [{path: /dev/sdb}]}],"
      " mons: {placement: {hosts: [a]}}, mgrs: {placement: {hosts: [a]}},"
      " osd_groups: [{service_id: hdd, placement: {hosts: [a]}, data_devices: {all: true}}]}\n";
  auto edit = addOsdDevice(doc, request("a", "/dev/sdq", "hdd"));
  ASSERT_OK(edit);
  EXPECT_TRUE(edit->changed);
  EXPECT_FALSE(edit->textPreserving);
  EXPECT_EQ(slotsOf(edit->yaml, "a", "hdd"), (std::vector<std::string>{"/dev/sdb", "/dev/sdq"}));
}

TEST(OsdEdit, EmptyInlineInventoryIsReEmittedWithTheDevice) {
  std::string doc = kDoc;
  doc.replace(doc.find("      - { path: /dev/nvme0, rotational: false, size: 1T }\n"),
              std::string("      - { path: /dev/nvme0, rotational: false, size: 1T }\n").size(),
              "");
  doc.replace(doc.find("    devices:\n  - name: c"), std::string("    devices:\n").size(),
              "    devices: []\n");
  auto edit = addOsdDevice(doc, request("b", "/dev/sdq", "hdd"));
  ASSERT_OK(edit);
  EXPECT_FALSE(edit->textPreserving);
  EXPECT_EQ(slotsOf(edit->yaml, "b", "hdd"), std::vector<std::string>{"/dev/sdq"});
}

}  // namespace
}  // namespace ceph_planner::topology
