// Parser behaviour: syntax errors with line:col, values of every kind, positions, and a broken
// document that reports all of its problems at once.

#include <gtest/gtest.h>

#include "doc_builder.h"
#include "topology/parse.h"

namespace ceph_planner::topology {
namespace {

TEST(Parse, SyntaxErrorReportsLineAndColumn) {
  const std::string text =
      "apiVersion: ceph-planner/v1\n"
      "kind: CephTopology\n"
      "cluster:\n"
      "  name: t1\n"
      "   runtime: host\n";  // Over-indented: not a valid mapping entry.
  ParsedTopology parsed = loadTopology(text);
  ASSERT_EQ(parsed.diagnostics.size(), 1u) << testing::describe(parsed.diagnostics);
  const Diagnostic& d = parsed.diagnostics[0];
  EXPECT_EQ(d.line, 5);
  EXPECT_EQ(d.col, 11);
  EXPECT_EQ(d.message, "yaml syntax error: illegal map value");
  EXPECT_EQ(d.toString("t.yaml"), "t.yaml:5:11: error: yaml syntax error: illegal map value");
  EXPECT_FALSE(parsed.ok());
}

TEST(Parse, UnclosedFlowSequenceIsASyntaxError) {
  ParsedTopology parsed = parseTopology("cluster:\n  name: [t1\nhosts: []\n");
  ASSERT_EQ(parsed.diagnostics.size(), 1u) << testing::describe(parsed.diagnostics);
  EXPECT_EQ(parsed.diagnostics[0].message, "yaml syntax error: end of sequence flow not found");
  EXPECT_GT(parsed.diagnostics[0].line, 1);
}

TEST(Parse, EmptyDocumentAndNonMappingRoot) {
  ParsedTopology empty = loadTopology("");
  ASSERT_EQ(empty.diagnostics.size(), 1u);
  EXPECT_EQ(empty.diagnostics[0].message,
            "the document is empty; expected a mapping with 'apiVersion', 'kind', 'cluster' and "
            "'hosts'");
  ParsedTopology list = loadTopology("- a\n- b\n");
  ASSERT_EQ(list.diagnostics.size(), 1u) << testing::describe(list.diagnostics);
  EXPECT_EQ(list.diagnostics[0].message, "must be a mapping, got a sequence");
  EXPECT_EQ(list.diagnostics[0].line, 1);
}

// Five independent semantic mistakes: every one is reported, each with its path and position.
TEST(Parse, FiveSemanticErrorsAreAllReported) {
  std::string text = testing::buildDoc({
      {"cluster", "cluster:\n  name: @1@Prod_1\n  runtime: host\n"},
      {"networks", "networks:\n  public: [@2@10.0.0.0/40]\n"},
      {"mons", "mons:\n  placement: {hosts: [h1, @3@h9]}\n"},
      {"rgw",
       "rgw:\n  - service_id: main\n    frontend: {port: @4@0}\n    placement: {label: rgw}\n"},
      {"maintenance", "maintenance:\n  balancer: {schedule: @5@\"R/2026-13-01T00:00:00Z/PT1H\"}\n"},
  });
  // Replace the numbered markers one by one, remembering where each was.
  std::vector<std::pair<int, int>> marks;
  for (int i = 1; i <= 5; ++i) {
    const std::string marker = "@" + std::to_string(i) + "@";
    size_t at = text.find(marker);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, marker.size(), "@@");
    marks.push_back(testing::takeMarker(&text));
  }
  ParsedTopology parsed = loadTopology(text);
  ASSERT_EQ(parsed.diagnostics.size(), 5u) << testing::describe(parsed.diagnostics);
  struct Expected {
    const char* path;
    const char* message;
  };
  const Expected expected[] = {
      {"cluster.name",
       "invalid cluster name 'Prod_1': must be 1 to 20 of [a-z0-9-], not starting or ending "
       "with '-'"},
      {"networks.public[0]", "invalid cidr '10.0.0.0/40'"},
      {"mons.placement.hosts[1]", "unknown host 'h9' (did you mean 'h1'?)"},
      {"rgw[0].frontend.port", "must be between 1 and 65535, got 0"},
      {"maintenance.balancer.schedule",
       "invalid repeating interval 'R/2026-13-01T00:00:00Z/PT1H': invalid date-time "
       "'2026-13-01T00:00:00Z': month out of range"},
  };
  for (size_t i = 0; i < 5; ++i) {
    const Diagnostic* found = nullptr;
    for (const auto& d : parsed.diagnostics) {
      if (d.path == expected[i].path) found = &d;
    }
    ASSERT_NE(found, nullptr) << expected[i].path << "\n" << testing::describe(parsed.diagnostics);
    EXPECT_EQ(found->message, expected[i].message);
    EXPECT_EQ(found->line, marks[i].first) << expected[i].path;
    EXPECT_EQ(found->col, marks[i].second) << expected[i].path;
  }
}

TEST(Parse, ReadsEveryKindOfValue) {
  const std::string text =
      "apiVersion: ceph-planner/v1\n"
      "kind: CephTopology\n"
      "x-anchors:\n"
      "  disks: &disks\n"
      "    - {path: /dev/b, rotational: 0, size: 1.92T, model: M1, vendor: V, serial: S1}\n"
      "    - {path: /dev/a, rotational: 1, size: 4096}\n"
      "cluster:\n"
      "  name: c1\n"
      "  fsid: 0b7c5a52-8c1d-4b0b-9e0e-2f6f7a3c9d11\n"
      "  image: quay.io/ceph/ceph:v18.2.4\n"
      "  config: {z_last: 1, a_first: false}\n"
      "  marathon: {url: \"http://m:8080\", group: /ceph/c1}\n"
      "networks: {public: [10.0.0.0/8, \"fd00::/8\"], cluster: [10.20.0.0/16], msgr2_only: yes}\n"
      "crush: {failure_domain: rack}\n"
      "hosts:\n"
      "  - name: h1.example.com\n"
      "    location: {rack: r1}\n"
      "    labels: [mon, osd]\n"
      "    addresses: [10.0.0.1]\n"
      "    attributes: {ceph_osd_host: \"true\"}\n"
      "    devices: *disks\n"
      "mons: {placement: {hosts: [h1.example.com]}, data_dir: \"/var/lib/ceph/{cluster}/mon\"}\n"
      "mgrs: {placement: {label: mon, count: 1}, modules: [prometheus]}\n"
      "osd_groups:\n"
      "  - service_id: g\n"
      "    placement: {host_pattern: \"h*\"}\n"
      "    data_devices: {rotational: true, size: \"1G:\", limit: 4}\n"
      "    db_devices: {rotational: false, size: \":2T\"}\n"
      "    block_db_size: 300G\n"
      "    osds_per_device: 1\n"
      "    encrypted: true\n"
      "    unmanaged: false\n"
      "    osd_memory_target: 4G\n"
      "    exceptions: [{host: h1.example.com, exclude_slots: [s9]}]\n"
      "rgw:\n"
      "  - service_id: s3\n"
      "    realm: null\n"
      "    frontend: {port: 8080, ssl: true}\n"
      "    placement: {label: osd}\n"
      "    autoscale:\n"
      "      {min: 1, max: 1, target: 7.5, scale_up: {window: 90s, step: 2},\n"
      "       scale_down: {window: 1h30m, drain_seconds: 5}, cooldown: 2m}\n"
      "maintenance:\n"
      "  balancer: {schedule: \"R/2026-01-01T02:00:00Z/PT6H\", mode: upmap, max_misplaced: 0.05,\n"
      "             timezone: Europe/Paris}\n"
      "  jobs:\n"
      "    - {name: scrub, command: \"ceph osd deep-scrub all\", schedule: \"R//P1D\"}\n"
      "    - {name: report, command: \"true\", parents: [scrub]}\n"
      "policies:\n"
      "  drain: {reweight_steps: [0.75, 0.25, 0]}\n"
      "  upgrade: {order: [mon, mgr]}\n";
  ParsedTopology parsed = parseTopology(text);
  ASSERT_TRUE(parsed.diagnostics.empty()) << testing::describe(parsed.diagnostics);
  const Topology& t = parsed.topology;
  EXPECT_EQ(t.cluster.fsid, "0b7c5a52-8c1d-4b0b-9e0e-2f6f7a3c9d11");
  ASSERT_EQ(t.cluster.config.size(), 2u);
  EXPECT_EQ(t.cluster.config[0], (std::pair<std::string, std::string>("z_last", "1")));
  EXPECT_EQ(t.cluster.config[1].second, "false");
  EXPECT_EQ(t.cluster.marathonGroup, "/ceph/c1");
  EXPECT_EQ(t.cluster.runtime, Runtime::Docker);
  EXPECT_TRUE(t.networks.msgr2Only);
  EXPECT_EQ(t.networks.publicCidrs[1], "fd00::/8");
  ASSERT_EQ(t.hosts.size(), 1u);
  const Host& h = t.hosts[0];
  EXPECT_TRUE(h.hasInventory);
  ASSERT_EQ(h.devices.size(), 2u);
  EXPECT_FALSE(h.devices[0].rotational);
  EXPECT_EQ(h.devices[0].sizeBytes, static_cast<uint64_t>(1.92 * 1024 * 1024 * 1024 * 1024));
  EXPECT_EQ(h.devices[0].serial, "S1");
  EXPECT_TRUE(h.devices[1].rotational);
  EXPECT_EQ(h.devices[1].sizeBytes, 4096u);
  EXPECT_EQ(h.attributes.at("ceph_osd_host"), "true");
  EXPECT_EQ(t.mons.dataDir, "/var/lib/ceph/{cluster}/mon");
  EXPECT_EQ(t.mgrs.placement.count, 1);
  const OsdGroup& g = t.osdGroups[0];
  EXPECT_EQ(g.placement.hostPattern, "h*");
  ASSERT_TRUE(g.dataDevices.size.has_value());
  EXPECT_EQ(g.dataDevices.size->low, 1ull << 30);
  EXPECT_FALSE(g.dataDevices.size->high.has_value());
  EXPECT_EQ(g.dbDevices.size->high, 2ull << 40);
  EXPECT_EQ(g.dataDevices.limit, 4);
  EXPECT_EQ(g.blockDbSize, 300ull << 30);
  EXPECT_TRUE(g.encrypted);
  EXPECT_EQ(g.exceptions[0].excludeSlots, std::vector<std::string>{"s9"});
  const RgwService& r = t.rgw[0];
  EXPECT_TRUE(r.realm.empty());
  EXPECT_TRUE(r.ssl);
  EXPECT_DOUBLE_EQ(r.autoscale.target, 7.5);
  EXPECT_EQ(r.autoscale.scaleUp.windowSeconds, 90);
  EXPECT_EQ(r.autoscale.scaleUp.step, 2);
  EXPECT_EQ(r.autoscale.scaleDown.windowSeconds, 5400);
  EXPECT_EQ(r.autoscale.scaleDown.drainSeconds, 5);
  EXPECT_EQ(r.autoscale.cooldownSeconds, 120);
  ASSERT_EQ(t.maintenance.size(), 3u);
  EXPECT_EQ(t.maintenance[0].name, "balancer");
  EXPECT_EQ(t.maintenance[0].params.at("mode"), "upmap");
  EXPECT_EQ(t.maintenance[0].params.at("max_misplaced"), "0.05");
  EXPECT_EQ(t.maintenance[0].timezone, "Europe/Paris");
  EXPECT_EQ(t.maintenance[1].command, "ceph osd deep-scrub all");
  EXPECT_EQ(t.maintenance[2].parents, std::vector<std::string>{"scrub"});
  EXPECT_EQ(t.maintenance[2].yamlPath, "maintenance.jobs[1]");
  EXPECT_EQ(t.policies.drain.reweightSteps, (std::vector<double>{0.75, 0.25, 0}));
  EXPECT_EQ(t.policies.upgrade.order, (std::vector<std::string>{"mon", "mgr"}));
  // Positions: 1-based, keyed by path; aliased nodes point at the anchor.
  EXPECT_EQ(t.positions.at("cluster.name").line, 8);
  EXPECT_EQ(t.positions.at("cluster.name").col, 9);
  EXPECT_EQ(t.positions.at("hosts[0].devices[1].path").line, 6);
  EXPECT_EQ(t.positions.at("osd_groups[0].data_devices.size").line, 27);
  EXPECT_EQ(t.positions.at("maintenance.jobs[1]").line, 48);
}

TEST(Parse, SlotPositionsAreKeyedBySlotName) {
  ParsedTopology parsed = parseTopology(
      "osd_groups:\n  - service_id: g\n    data_devices:\n      slots:\n        s00: /dev/x\n");
  const auto& positions = parsed.topology.positions;
  ASSERT_TRUE(positions.count("osd_groups[0].data_devices.slots.s00"));
  EXPECT_EQ(positions.at("osd_groups[0].data_devices.slots.s00").line, 5);
  EXPECT_EQ(positions.at("osd_groups[0].data_devices.slots.s00").col, 14);
}

TEST(Parse, ExtensionKeysAreIgnoredOnlyAtTheTop) {
  ParsedTopology top = parseTopology(testing::buildDoc({{"x", "x-notes: {anything: [1, 2]}\n"}}));
  EXPECT_TRUE(top.diagnostics.empty()) << testing::describe(top.diagnostics);
  ParsedTopology nested = parseTopology(
      testing::buildDoc({{"cluster", "cluster:\n  name: t1\n  runtime: host\n  x-note: 1\n"}}));
  ASSERT_EQ(nested.diagnostics.size(), 1u);
  EXPECT_EQ(nested.diagnostics[0].message, "unknown key 'x-note'");
}

TEST(Parse, TypeErrorsDoNotStopTheWalk) {
  ParsedTopology parsed = parseTopology(
      testing::buildDoc({{"cluster", "cluster:\n  name: [x]\n  runtime: 3\n  fsid: {a: b}\n"}}));
  ASSERT_EQ(parsed.diagnostics.size(), 3u) << testing::describe(parsed.diagnostics);
  EXPECT_EQ(parsed.diagnostics[0].path, "cluster.name");
  EXPECT_EQ(parsed.diagnostics[1].path, "cluster.runtime");
  EXPECT_EQ(parsed.diagnostics[2].path, "cluster.fsid");
}

}  // namespace
}  // namespace ceph_planner::topology

namespace ceph_planner::topology {
namespace {

// Found by the fuzzer: a mon placed by label on a host without a name used to abort validation.
TEST(Parse, NamelessHostPlacedByLabelIsReportedNotFatal) {
  ParsedTopology parsed = loadTopology(testing::buildDoc(
      {{"hosts",
        "hosts:\n  - {name: h1, labels: [mon], public_ip: 10.0.0.1}\n  - {labels: [mon]}\n"
        "  - {name: h3, labels: [mon], public_ip: 10.0.0.3}\n"},
       {"mons", "mons:\n  placement: {label: mon}\n"},
       {"osd_groups", ""},
       {"rgw", ""}}));
  ASSERT_EQ(parsed.diagnostics.size(), 1u) << testing::describe(parsed.diagnostics);
  EXPECT_EQ(parsed.diagnostics[0].path, "hosts[1].name");
  EXPECT_EQ(parsed.diagnostics[0].message, "missing required key 'name'");
}

}  // namespace
}  // namespace ceph_planner::topology
