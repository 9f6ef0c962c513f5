// Both shipped examples load with zero errors and zero warnings, and resolve to the expected OSDs.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "doc_builder.h"
#include "topology/devices.h"
#include "topology/parse.h"
#include "topology/placement.h"

namespace ceph_planner::topology {
namespace {

std::string readFile(const std::string& relative) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/" + relative);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(Examples, BaseTestDocumentIsClean) {
  ParsedTopology parsed = loadTopology(testing::buildDoc());
  EXPECT_TRUE(parsed.diagnostics.empty()) << testing::describe(parsed.diagnostics);
}

TEST(Examples, LocalLoadsWithoutDiagnostics) {
  const std::string text = readFile("examples/local.yaml");
  ASSERT_FALSE(text.empty());
  ParsedTopology parsed = loadTopology(text);
  EXPECT_TRUE(parsed.diagnostics.empty()) << testing::describe(parsed.diagnostics);
  const Topology& t = parsed.topology;
  EXPECT_EQ(t.cluster.name, "box");
  EXPECT_EQ(t.cluster.runtime, Runtime::Host);
  EXPECT_EQ(resolvePlacement(t, t.mons.placement).size(), 3u);
  EXPECT_EQ(resolvePlacement(t, t.mgrs.placement).size(), 2u);
  DeviceSelection selection = resolveOsdSlots(t);
  ASSERT_EQ(selection.slots.size(), 4u);
  EXPECT_EQ(selection.slots[0].host, "ceph-box-1");
  EXPECT_EQ(selection.slots[0].slot, "osd0");
  EXPECT_EQ(selection.slots[1].slot, "osd1");
  EXPECT_EQ(selection.slots[3].dataPath, "/var/tmp/ceph-planner-box/ceph-box-3/osd0");
  EXPECT_EQ(publicAddress(t, t.hosts[1]).value_or(""), "127.0.0.3");
}

TEST(Examples, ProductionLoadsWithoutDiagnostics) {
  const std::string text = readFile("examples/production.yaml");
  ASSERT_FALSE(text.empty());
  ParsedTopology parsed = loadTopology(text);
  EXPECT_TRUE(parsed.diagnostics.empty()) << testing::describe(parsed.diagnostics);
  const Topology& t = parsed.topology;
  EXPECT_EQ(t.hosts.size(), 12u);
  EXPECT_EQ(t.cluster.image, "quay.io/ceph/ceph:v18.2.4");
  EXPECT_EQ(t.cluster.zookeeperConnect, "zk-1:2181,zk-2:2181,zk-3:2181");
  EXPECT_EQ(t.crush.failureDomain, "rack");
  ASSERT_EQ(t.rgw.size(), 1u);
  EXPECT_EQ(resolvePlacement(t, t.rgw[0].placement).size(), 6u);
  EXPECT_EQ(t.rgw[0].autoscale.scaleUp.windowSeconds, 180);
  EXPECT_EQ(t.rgw[0].autoscale.scaleDown.windowSeconds, 900);
  EXPECT_EQ(t.rgw[0].autoscale.cooldownSeconds, 600);
  EXPECT_EQ(t.rgw[0].marathonLbVhost, "s3.dc1.example.com");
  DeviceSelection selection = resolveOsdSlots(t);
  EXPECT_TRUE(selection.diagnostics.empty()) << testing::describe(selection.diagnostics);
  ASSERT_EQ(selection.slots.size(), 120u);
  const OsdSlot& s = selection.slots[7];
  EXPECT_EQ(s.host, "stor01.dc1.example.com");
  EXPECT_EQ(s.slot, "s07");
  EXPECT_EQ(s.dbSlot, "d1");
  EXPECT_EQ(s.dbIndex, 2);
  EXPECT_EQ(s.blockDbSize, 300ull << 30);
  EXPECT_EQ(s.failureDomainValue, "r1");
  EXPECT_EQ(selection.slots[119].host, "stor12.dc1.example.com");
  EXPECT_EQ(selection.slots[119].failureDomainValue, "r3");
}

}  // namespace
}  // namespace ceph_planner::topology
