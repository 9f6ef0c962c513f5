// The broken and edge-case inputs under tests/testdata/topology/ (also fuzz seeds) keep reporting
// exactly what they were written to show.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "doc_builder.h"
#include "topology/devices.h"
#include "topology/parse.h"

namespace ceph_planner::topology {
namespace {

ParsedTopology load(const std::string& name) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/tests/testdata/topology/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  EXPECT_FALSE(buffer.str().empty()) << name;
  return loadTopology(buffer.str());
}

TEST(Testdata, SyntaxError) {
  ParsedTopology p = load("syntax_error.yaml");
  ASSERT_EQ(p.diagnostics.size(), 1u) << testing::describe(p.diagnostics);
  EXPECT_EQ(p.diagnostics[0].toString("t.yaml"),
            "t.yaml:6:11: error: yaml syntax error: illegal map value");
}

TEST(Testdata, FiveErrors) {
  ParsedTopology p = load("five_errors.yaml");
  ASSERT_EQ(p.diagnostics.size(), 5u) << testing::describe(p.diagnostics);
  const char* expected[] = {
      "5:9: error: cluster.name: invalid cluster name 'Prod_1': must be 1 to 20 of [a-z0-9-], "
      "not starting or ending with '-'",
      "8:12: error: networks.public[0]: invalid cidr '10.0.0.0/40'",
      "12:28: error: mons.placement.hosts[1]: unknown host 'h9' (did you mean 'h1'?)",
      "17:23: error: rgw[0].frontend.port: must be between 1 and 65535, got 0",
      "20:25: error: maintenance.balancer.schedule: invalid repeating interval "
      "'R/2026-13-01T00:00:00Z/PT1H': invalid date-time '2026-13-01T00:00:00Z': month out of "
      "range",
  };
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(p.diagnostics[i].toString(), expected[i]);
}

TEST(Testdata, UnknownKeysWithHints) {
  ParsedTopology p = load("unknown_keys.yaml");
  ASSERT_EQ(p.diagnostics.size(), 4u) << testing::describe(p.diagnostics);
  EXPECT_EQ(p.diagnostics[0].message, "unknown key 'imgae' (did you mean 'image'?)");
  EXPECT_EQ(p.diagnostics[1].message, "unknown key 'netwroks' (did you mean 'networks'?)");
  EXPECT_EQ(p.diagnostics[2].message, "unknown key 'lables' (did you mean 'labels'?)");
  EXPECT_EQ(p.diagnostics[3].path, "networks.public");
}

TEST(Testdata, AliasedHostsAreDuplicates) {
  ParsedTopology p = load("aliases.yaml");
  size_t duplicates = 0;
  for (const auto& d : p.diagnostics) {
    if (d.message == "duplicate host name 'h' (also hosts[0])") ++duplicates;
  }
  EXPECT_EQ(duplicates, 7u) << testing::describe(p.diagnostics);
}

TEST(Testdata, FiltersIpv6IsCleanAndResolves) {
  ParsedTopology p = load("filters_ipv6.yaml");
  ASSERT_TRUE(p.diagnostics.empty()) << testing::describe(p.diagnostics);
  DeviceSelection s = resolveOsdSlots(p.topology);
  std::vector<std::string> got;
  for (const auto& slot : s.slots) {
    got.push_back(std::string(slot.host) + "/" + std::string(slot.group) + "/" + slot.slot + "/" +
                  slot.dbSlot + ":" + std::to_string(slot.dbIndex));
  }
  const std::vector<std::string> expected = {
      "a1/big/ata-hdd-a-0/nvme-ssd-1:0", "a1/big/ata-hdd-a-1/nvme-ssd-1:1",
      "a1/big/ata-hdd-b-0/nvme-ssd-1:2", "a1/big/ata-hdd-b-1/nvme-ssd-1:3",
      "a1/small/ata-hdd-c/:-1",          "a2/big/ata-hdd-a-0/nvme-ssd-1:0",
      "a2/big/ata-hdd-a-1/nvme-ssd-1:1", "a2/big/ata-hdd-b-0/nvme-ssd-1:2",
      "a2/big/ata-hdd-b-1/nvme-ssd-1:3", "a2/small/ata-hdd-c/:-1",
      "a3/big/ata-hdd-a-0/nvme-ssd-1:0", "a3/big/ata-hdd-a-1/nvme-ssd-1:1",
      "a3/small/ata-hdd-c/:-1",
  };
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace ceph_planner::topology
