// Placement table: every constraint operator, hostname vs attributes, resources and ports.

#include "sim/marathon/placement.h"

#include <gtest/gtest.h>

#include "sim/marathon/agents.h"

namespace ceph_planner::marathon_sim {
namespace {

std::vector<Agent> agents() {
  auto r = parseAgentsYaml(R"(
agents:
  - hostname: h1
    attributes: {rack: r1, disk_sdb: "true", slots: "4.0"}
    resources: {cpus: 2, mem: 1024, disk: 100, ports: "[8080-8080, 31000-31001]"}
  - hostname: h2
    attributes: "rack:r1;slots:2"
    resources: {cpus: 2, mem: 1024, disk: 100, ports: "[31000-31001]"}
  - hostname: h3
    attributes: {rack: r2}
    resources: {cpus: 2, mem: 1024, disk: 100, ports: "[8080-8080, 31000-31001]"}
  - hostname: h4
    resources: {cpus: 2, mem: 1024, disk: 100, ports: "[31000-31001]"}
)");
  EXPECT_TRUE(r.has_value());
  return *r;
}

AppParams app(std::vector<Constraint> cs, int instances = 1) {
  AppParams p;
  p.id = "/a";
  p.cpus = 0.5;
  p.mem = 64;
  p.instances = instances;
  p.portNumbers = {10000};
  p.constraints = std::move(cs);
  return p;
}

// Places `n` instances one by one and returns the hostnames (empty string = could not place).
std::vector<std::string> placeN(const AppParams& p, std::vector<Agent> as, int n) {
  std::vector<std::string> out;
  std::vector<const Agent*> placed;
  for (int i = 0; i < n; ++i) {
    auto o = placeInstance(p, as, placed, 0);
    if (!o.agent) {
      out.push_back("");
      continue;
    }
    allocate(as[*o.agent], p, o.hostPorts, +1);
    placed.push_back(&as[*o.agent]);
    out.push_back(as[*o.agent].hostname);
  }
  return out;
}

struct Row {
  std::string name;
  std::vector<Constraint> constraints;
  int instances;
  std::vector<std::string> expected;
};

TEST(PlacementTable, ConstraintOperators) {
  using Op = ConstraintOp;
  std::vector<Row> rows = {
      {"unique hostname", {{"hostname", Op::Unique, {}}}, 5, {"h1", "h2", "h3", "h4", ""}},
      {"unique attribute; agent without it rejected",
       {{"rack", Op::Unique, {}}},
       3,
       {"h1", "h3", ""}},
      {"cluster hostname value", {{"hostname", Op::Cluster, "h3"}}, 2, {"h3", "h3"}},
      {"@hostname alias", {{"@hostname", Op::Cluster, "h2"}}, 1, {"h2"}},
      {"cluster without value follows first", {{"rack", Op::Cluster, {}}}, 3, {"h1", "h1", "h1"}},
      {"group_by 2 spreads", {{"rack", Op::GroupBy, "2"}}, 4, {"h1", "h3", "h1", "h3"}},
      {"like whole value", {{"rack", Op::Like, "r2"}}, 1, {"h3"}},
      {"like is not substring", {{"rack", Op::Like, "r"}}, 1, {""}},
      {"like regex", {{"rack", Op::Like, "r[12]"}}, 1, {"h1"}},
      {"unlike accepts missing attribute", {{"rack", Op::Unlike, "r.*"}}, 1, {"h4"}},
      {"max_per", {{"rack", Op::MaxPer, "1"}}, 3, {"h1", "h3", ""}},
      {"is text", {{"disk_sdb", Op::Is, "true"}}, 1, {"h1"}},
      {"is scalar formatting", {{"slots", Op::Is, "4"}}, 1, {"h1"}},
      {"anded", {{"rack", Op::Cluster, "r1"}, {"hostname", Op::Unique, {}}}, 3, {"h1", "h2", ""}},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(placeN(app(row.constraints, row.instances), agents(), row.instances), row.expected)
        << row.name;
  }
}

TEST(PlacementTable, ResourcesAndPorts) {
  auto as = agents();
  AppParams big = app({});
  big.cpus = 3;
  auto o = placeInstance(big, as, {}, 0);
  EXPECT_FALSE(o.agent);
  EXPECT_EQ(o.rejects["InsufficientCpus"], 4);

  AppParams mem = app({});
  mem.mem = 2048;
  EXPECT_EQ(placeInstance(mem, as, {}, 0).rejects["InsufficientMemory"], 4);
  AppParams disk = app({});
  disk.disk = 101;
  EXPECT_EQ(placeInstance(disk, as, {}, 0).rejects["InsufficientDisk"], 4);

  // Constraints are checked before resources (Marathon's funnel order).
  AppParams both = big;
  both.constraints = {{"hostname", ConstraintOp::Cluster, "h1"}};
  auto ob = placeInstance(both, as, {}, 0);
  EXPECT_EQ(ob.rejects["UnfulfilledConstraint"], 3);
  EXPECT_EQ(ob.rejects["InsufficientCpus"], 1);

  // requirePorts: only agents offering 8080, each at most once.
  AppParams fixed = app({});
  fixed.portNumbers = {8080};
  fixed.requirePorts = true;
  EXPECT_EQ(placeN(fixed, as, 3), (std::vector<std::string>{"h1", "h3", ""}));

  // Dynamic ports come from the agent's ranges; three ports do not fit in 31000-31001 (h2, h4).
  AppParams three = app({{"hostname", ConstraintOp::Cluster, "h2"}});
  three.portNumbers = {0, 0, 0};
  auto o3 = placeInstance(three, as, {}, 0);
  EXPECT_FALSE(o3.agent);
  EXPECT_EQ(o3.rejects["InsufficientPorts"], 1);
  AppParams two = app({{"hostname", ConstraintOp::Cluster, "h2"}});
  two.portNumbers = {0, 0};
  auto o2 = placeInstance(two, as, {}, 0);
  ASSERT_TRUE(o2.agent);
  EXPECT_EQ(o2.hostPorts, (std::vector<int>{31000, 31001}));

  // Down agents make no offers.
  as[0].up = false;
  EXPECT_EQ(placeN(app({{"hostname", ConstraintOp::Cluster, "h1"}}), as, 1),
            (std::vector<std::string>{""}));
}

TEST(PlacementTable, AttributeStringification) {
  EXPECT_EQ(stringifyAttribute("4.0"), "4");
  EXPECT_EQ(stringifyAttribute("2.5"), "2.5");
  EXPECT_EQ(stringifyAttribute("1.23456"), "1.235");
  EXPECT_EQ(stringifyAttribute("{b,a}"), "{a,b}");
  EXPECT_EQ(stringifyAttribute("r1"), "r1");
}

TEST(AgentsFile, ErrorsNameThePlace) {
  auto r = parseAgentsYaml("agents:\n  - resources: {cpus: 1}\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("agents[0]"), std::string::npos);
  EXPECT_FALSE(parseAgentsYaml("agents: [").has_value());
  auto bad = parsePortRanges("[10-5]");
  EXPECT_FALSE(bad.has_value());
}

}  // namespace
}  // namespace ceph_planner::marathon_sim
