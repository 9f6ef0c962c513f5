#include "planner/render.h"

#include <gtest/gtest.h>

#include <regex>

#include "common/strings.h"
#include "common/testing.h"
#include "render_fixtures.h"

namespace ceph_planner::planner {
namespace {

using testing::findApp;
using testing::smallTopology;
using topology::Runtime;

std::vector<std::string> ids(const DesiredState& state) {
  std::vector<std::string> out;
  for (const auto& app : state.apps) out.push_back(app.id);
  return out;
}

std::string label(const AppSpec& app, std::string_view key) {
  const SharedText* v = findKeyValue(app.labels, key);
  return v ? v->str() : "<absent>";
}

TEST(RenderTest, GroupTreeIdsSortedAndComplete) {
  auto state = render(smallTopology(Runtime::Docker), TemplateSet::builtin());
  ASSERT_OK(state);
  EXPECT_EQ(state->groupId, "/ceph/t1");
  EXPECT_EQ(ids(*state),
            (std::vector<std::string>{
                "/ceph/t1/mgr/node1", "/ceph/t1/mon/node1", "/ceph/t1/mon/node2",
                "/ceph/t1/mon/node3", "/ceph/t1/osd/node1-s00", "/ceph/t1/osd/node1-s01",
                "/ceph/t1/osd/node2-s00", "/ceph/t1/osd/node2-s01", "/ceph/t1/osd/node3-s00",
                "/ceph/t1/osd/node3-s01", "/ceph/t1/rgw/s3"}));
}

TEST(RenderTest, GroupOverrideIsUsed) {
  auto t = smallTopology(Runtime::Docker);
  t.cluster.marathonGroup = "/storage/ceph-a/";
  auto state = render(t, TemplateSet::builtin());
  ASSERT_OK(state);
  EXPECT_EQ(state->groupId, "/storage/ceph-a");
  EXPECT_NE(findApp(*state, "/storage/ceph-a/rgw/s3"), nullptr);
}

TEST(RenderTest, StatefulAppsArePinnedAndNeverOverlap) {
  auto state = render(smallTopology(Runtime::Docker), TemplateSet::builtin());
  ASSERT_OK(state);
  for (const auto& app : state->apps) {
    if (label(app, kLabelRole) == "rgw") continue;
    SCOPED_TRACE(app.id);
    EXPECT_EQ(app.instances, 1);
    ASSERT_FALSE(app.constraints.empty());
    EXPECT_EQ(app.constraints[0], (Constraint{"hostname", "CLUSTER", label(app, kLabelHost)}));
    EXPECT_EQ(app.upgradeStrategy, (UpgradeStrategy{0.0, 0.0}));
    EXPECT_TRUE(app.unreachableStrategy.disabled);
  }
  const AppSpec* osd = findApp(*state, "/ceph/t1/osd/node2-s01");
  ASSERT_NE(osd, nullptr);
  EXPECT_TRUE(osd->portDefinitions.empty());
  EXPECT_FALSE(osd->requirePorts);
  EXPECT_TRUE(findApp(*state, "/ceph/t1/mgr/node1")->portDefinitions.empty());
}

TEST(RenderTest, HostAttributesBecomeClusterConstraints) {
  auto state = render(smallTopology(Runtime::Docker), TemplateSet::builtin());
  ASSERT_OK(state);
  const AppSpec* osd = findApp(*state, "/ceph/t1/osd/node1-s00");
  ASSERT_NE(osd, nullptr);
  EXPECT_EQ(osd->constraints, (std::vector<Constraint>{{"hostname", "CLUSTER", "node1.example.com"},
                                                       {"ceph_osd_host", "CLUSTER", "true"},
                                                       {"rack", "CLUSTER", "r1"}}));
  EXPECT_EQ(findApp(*state, "/ceph/t1/mon/node2")->constraints,
            (std::vector<Constraint>{{"hostname", "CLUSTER", "node2.example.com"}}));
}

TEST(RenderTest, MonPortsAndAddress) {
  auto t = smallTopology(Runtime::Host);
  auto state = render(t, TemplateSet::builtin());
  ASSERT_OK(state);
  const AppSpec* mon = findApp(*state, "/ceph/t1/mon/node3");
  ASSERT_NE(mon, nullptr);
  EXPECT_TRUE(mon->requirePorts);
  EXPECT_EQ(mon->portDefinitions,
            (std::vector<PortDefinition>{{3300, "tcp", "msgr2"}, {6789, "tcp", "msgr1"}}));
  EXPECT_NE(mon->cmd->str().find("--public-addr '10.0.0.13'"), std::string::npos) << *mon->cmd;
  t.networks.msgr2Only = true;
  state = render(t, TemplateSet::builtin());
  ASSERT_OK(state);
  EXPECT_EQ(findApp(*state, "/ceph/t1/mon/node3")->portDefinitions.size(), 1u);
}

TEST(RenderTest, MonWithoutPublicAddressIsAnError) {
  auto t = smallTopology(Runtime::Host);
  t.hosts[1].publicIp.clear();
  auto state = render(t, TemplateSet::builtin());
  EXPECT_ERROR_CODE(state, ErrorCode::InvalidInput);
  EXPECT_NE(state.error().message.find("'/ceph/t1/mon/node2'"), std::string::npos)
      << state.error().message;
}

TEST(RenderTest, HealthChecksUseTheAdminSocketAndPolicyGrace) {
  auto t = smallTopology(Runtime::Docker);
  t.policies.healthChecks.osdGraceSeconds = 5400;
  t.policies.healthChecks.monGraceSeconds = 240;
  auto state = render(t, TemplateSet::builtin());
  ASSERT_OK(state);
  const AppSpec* osd = findApp(*state, "/ceph/t1/osd/node1-s01");
  ASSERT_EQ(osd->healthChecks.size(), 1u);
  EXPECT_EQ(osd->healthChecks[0].protocol, "COMMAND");
  EXPECT_EQ(osd->text(osd->healthChecks[0].command),
            "ceph --admin-daemon '/var/run/ceph/osd.node1-s01.asok' status");
  EXPECT_EQ(osd->healthChecks[0].gracePeriodSeconds, 5400);
  // The daemon really creates the socket the check reads.
  EXPECT_NE(osd->cmd->str().find("--admin-socket '/var/run/ceph/osd.node1-s01.asok'"),
            std::string::npos);
  const AppSpec* mon = findApp(*state, "/ceph/t1/mon/node1");
  EXPECT_EQ(mon->text(mon->healthChecks[0].command),
            "ceph --admin-daemon '/var/run/ceph/mon.node1.asok' mon_status");
  EXPECT_EQ(mon->healthChecks[0].gracePeriodSeconds, 240);
  const AppSpec* mgr = findApp(*state, "/ceph/t1/mgr/node1");
  EXPECT_EQ(mgr->text(mgr->healthChecks[0].command),
            "ceph --admin-daemon '/var/run/ceph/mgr.node1.asok' status");

  auto host = render(smallTopology(Runtime::Host), TemplateSet::builtin());
  ASSERT_OK(host);
  const AppSpec* hostOsd = findApp(*host, "/ceph/t1/osd/node1-s01");
  EXPECT_EQ(hostOsd->text(hostOsd->healthChecks[0].command),
            "ceph --admin-daemon '/var/run/ceph/t1/osd.node1-s01.asok' status");
  EXPECT_NE(hostOsd->cmd->str().find("A='/var/run/ceph/t1/osd.node1-s01.asok'"), std::string::npos);
}

TEST(RenderTest, RgwIsOneScalableAppThatMarathonNeverKills) {
  auto state = render(smallTopology(Runtime::Docker), TemplateSet::builtin());
  ASSERT_OK(state);
  const AppSpec* rgw = findApp(*state, "/ceph/t1/rgw/s3");
  ASSERT_NE(rgw, nullptr);
  EXPECT_EQ(rgw->instances, 2);
  EXPECT_EQ(rgw->constraints,
            (std::vector<Constraint>{
                {"hostname", "UNIQUE"},
                {"hostname", "LIKE",
                 "^(node1\\.example\\.com|node2\\.example\\.com|node3\\.example\\.com)$"}}));
  EXPECT_TRUE(rgw->requirePorts);
  EXPECT_EQ(rgw->portDefinitions, (std::vector<PortDefinition>{{8080, "tcp", "s3"}}));
  EXPECT_EQ(rgw->upgradeStrategy, (UpgradeStrategy{0.5, 0.0}));
  EXPECT_FALSE(rgw->unreachableStrategy.disabled);
  ASSERT_EQ(rgw->healthChecks.size(), 1u);
  // A Marathon-level check: maxConsecutiveFailures 0 means "never kill" only for HTTP/HTTPS/TCP.
  EXPECT_EQ(rgw->healthChecks[0].protocol, "HTTP");
  EXPECT_EQ(rgw->healthChecks[0].maxConsecutiveFailures, 0);
  EXPECT_EQ(rgw->healthChecks[0].portIndex, 0);
  EXPECT_EQ(label(*rgw, kLabelAutoscale), "min=2,max=3");
  EXPECT_EQ(label(*rgw, kLabelHost), "<absent>");
  EXPECT_NE(rgw->cmd->str().find("endpoint=${IP:-0.0.0.0}:8080"), std::string::npos);
}

TEST(RgwInstancesTest, CountWithoutAutoscaleAndEligibleHostsIgnorePlacementCount) {
  auto t = smallTopology(Runtime::Docker);
  t.rgw[0].autoscale.present = false;
  t.rgw[0].count = 3;
  t.rgw[0].placement.count = 1;  // A placement count never narrows the eligible hosts.
  auto state = render(t, TemplateSet::builtin());
  ASSERT_OK(state);
  const AppSpec* rgw = findApp(*state, "/ceph/t1/rgw/s3");
  EXPECT_EQ(rgw->instances, 3);
  EXPECT_EQ(label(*rgw, kLabelAutoscale), "min=3,max=3");
  EXPECT_NE(rgw->constraints[1][2].find("node3"), std::string::npos);

  t.rgw[0].count.reset();
  state = render(t, TemplateSet::builtin());
  ASSERT_OK(state);
  EXPECT_EQ(findApp(*state, "/ceph/t1/rgw/s3")->instances, 1);

  t.rgw[0].placement = {};
  t.rgw[0].placement.hosts = {"node2.example.com"};
  state = render(t, TemplateSet::builtin());
  ASSERT_OK(state);
  EXPECT_EQ(findApp(*state, "/ceph/t1/rgw/s3")->constraints[1][2], "^(node2\\.example\\.com)$");
}

TEST(RenderTest, LabelsIdentifyEveryDaemon) {
  RenderOptions options;
  options.topologyVersion = "17";
  auto state = render(smallTopology(Runtime::Docker), TemplateSet::builtin(), {}, options);
  ASSERT_OK(state);
  for (const auto& app : state->apps) {
    SCOPED_TRACE(app.id);
    EXPECT_EQ(label(app, kLabelManaged), "true");
    EXPECT_EQ(label(app, kLabelCluster), "t1");
    EXPECT_EQ(label(app, kLabelTopologyVersion), "17");
    EXPECT_TRUE(std::is_sorted(app.labels.begin(), app.labels.end()));
  }
  const AppSpec* osd = findApp(*state, "/ceph/t1/osd/node3-s01");
  EXPECT_EQ(osd->labels, (Labels{
                             {kLabelCluster, "t1"},
                             {kLabelDbDevice, "/dev/disk/by-path/pci-0000:00:17.0-ata-1"},
                             {kLabelDevice, "/dev/disk/by-path/pci-0000:3b:00.0-sas-phy1-lun-0"},
                             {kLabelFailureDomain, "r2"},
                             {kLabelHost, "node3.example.com"},
                             {kLabelManaged, "true"},
                             {kLabelOsdGroup, "hdd"},
                             {kLabelRole, "osd"},
                             {kLabelSlot, "s01"},
                             {kLabelTopologyVersion, "17"},
                         }));
  const AppSpec* mon = findApp(*state, "/ceph/t1/mon/node1");
  EXPECT_EQ(label(*mon, kLabelRole), "mon");
  EXPECT_EQ(label(*mon, kLabelFailureDomain), "r1");
  EXPECT_EQ(label(*mon, kLabelSlot), "<absent>");
  const AppSpec* rgw = findApp(*state, "/ceph/t1/rgw/s3");
  EXPECT_EQ(label(*rgw, kLabelRgwService), "s3");
}

TEST(RenderTest, OsdCommandCarriesTheSlotsDevices) {
  auto state = render(smallTopology(Runtime::Docker), TemplateSet::builtin());
  ASSERT_OK(state);
  const std::string cmd = findApp(*state, "/ceph/t1/osd/node2-s00")->cmd->str();
  EXPECT_NE(cmd.find("--data '/dev/disk/by-path/pci-0000:3b:00.0-sas-phy0-lun-0'"),
            std::string::npos);
  EXPECT_NE(cmd.find("vgcreate -y $VG '/dev/disk/by-path/pci-0000:00:17.0-ata-1'"),
            std::string::npos);
  EXPECT_NE(cmd.find("Z='68719476736'"), std::string::npos);
  EXPECT_NE(cmd.find("--crush-device-class hdd"), std::string::npos);
  EXPECT_NE(cmd.find("--crush-location 'host=node2 rack=r1 root=default'"), std::string::npos);
}

TEST(RenderTest, ResourcesFromTopologyOrRoleDefaults) {
  auto state = render(smallTopology(Runtime::Docker), TemplateSet::builtin());
  ASSERT_OK(state);
  const AppSpec* mgr = findApp(*state, "/ceph/t1/mgr/node1");
  EXPECT_EQ(mgr->cpus, 0.5);
  EXPECT_EQ(mgr->mem, 1024.0);
  const AppSpec* osd = findApp(*state, "/ceph/t1/osd/node1-s00");
  EXPECT_EQ(osd->cpus, 2.0);
  EXPECT_EQ(osd->mem, 5120.0);
  const AppSpec* mon = findApp(*state, "/ceph/t1/mon/node1");
  EXPECT_EQ(mon->cpus, 1.0);
  EXPECT_EQ(mon->mem, 2048.0);
}

TEST(RenderTest, NoSecretInEnvLabelsOrCommands) {
  for (Runtime runtime : {Runtime::Docker, Runtime::Host}) {
    auto state = render(smallTopology(runtime), TemplateSet::builtin());
    ASSERT_OK(state);
    for (const auto& app : state->apps) {
      SCOPED_TRACE(app.id);
      for (const auto& [k, v] : app.env) {
        EXPECT_EQ(toLower(k).find("key"), std::string::npos);
      }
      for (const auto& [k, v] : app.labels) {
        EXPECT_EQ(v.view().find("AQ"), std::string::npos) << k;  // cephx keys are base64 "AQ..."
      }
      // Keyrings are only ever fetched by URL or generated on the agent, never inlined.
      EXPECT_EQ(app.cmd->str().find("key = AQ"), std::string::npos);
      for (const auto& f : app.fetch) {
        const std::string uri = app.text(f.uri).str();
        EXPECT_EQ(uri.rfind("http://ceph-planner.marathon.mesos:8888/v1/clusters/t1/files/", 0), 0u)
            << uri;
      }
    }
  }
}

TEST(RenderTest, IdsFollowMarathonPathIdRules) {
  const std::regex segment(
      R"(^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])|(\.|\.\.)$)");
  auto state = render(smallTopology(Runtime::Host), TemplateSet::builtin());
  ASSERT_OK(state);
  for (const auto& app : state->apps) {
    ASSERT_EQ(app.id.front(), '/');
    std::string last;
    for (const auto& part : splitString(std::string_view(app.id).substr(1), '/')) {
      EXPECT_TRUE(std::regex_match(part, segment)) << app.id;
      last = part;
    }
    EXPECT_TRUE(last != "restart" && last != "tasks" && last != "versions" && last != "." &&
                last != "..")
        << app.id;
  }
}

TEST(RenderTest, BadIdsAreRejected) {
  auto t = smallTopology(Runtime::Docker);
  t.rgw[0].serviceId = "Bad_Name";
  auto state = render(t, TemplateSet::builtin());
  EXPECT_ERROR_CODE(state, ErrorCode::InvalidInput);
  EXPECT_NE(state.error().message.find("'Bad_Name'"), std::string::npos) << state.error().message;

  t = smallTopology(Runtime::Docker);
  t.rgw[0].serviceId = "versions";
  state = render(t, TemplateSet::builtin());
  EXPECT_ERROR_CODE(state, ErrorCode::InvalidInput);
  EXPECT_NE(state.error().message.find("reserved"), std::string::npos) << state.error().message;
}

// Marathon's PathId segment rules, one case each: dot-separated labels of a-z, 0-9 and '-' that
// neither start nor end with '-'.
TEST(RenderTest, IdSegmentRules) {
  const std::pair<const char*, bool> cases[] = {
      {"s3", true},    {"a.b-c.d9", true}, {"0", true},     {"a-b", true},  {"-a", false},
      {"a-", false},   {"a.-b", false},    {"a-.b", false}, {".a", false},  {"a.", false},
      {"a..b", false}, {"A", false},       {"a_b", false},  {"a b", false}, {"a\xc3\xa9", false}};
  for (const auto& [segment, valid] : cases) {
    auto t = smallTopology(Runtime::Docker);
    t.cluster.marathonGroup = std::string("/ceph/") + segment;
    auto state = render(t, TemplateSet::builtin());
    EXPECT_EQ(state.has_value(), valid) << "segment '" << segment << "'";
    if (!valid && !state.has_value()) {
      EXPECT_NE(state.error().message.find("/ceph/" + std::string(segment)), std::string::npos)
          << state.error().message;
    }
  }
}

TEST(RenderTest, ShortNameCollisionIsAnError) {
  auto t = smallTopology(Runtime::Docker);
  t.hosts[1].name = "node1.other.example.com";
  t.hosts[1].location = {{"rack", "r1"}};
  auto state = render(t, TemplateSet::builtin());
  EXPECT_ERROR_CODE(state, ErrorCode::InvalidInput);
  EXPECT_NE(state.error().message.find("two daemons map to the app id"), std::string::npos)
      << state.error().message;
}

TEST(RenderTest, DeterministicAcrossRuns) {
  auto a = render(smallTopology(Runtime::Docker), TemplateSet::builtin());
  auto b = render(smallTopology(Runtime::Docker), TemplateSet::builtin());
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->apps, b->apps);
}

TEST(RenderTest, CustomTemplatesReachTheApps) {
  auto set = TemplateSet::withOverrides(
      {{"docker/rgw.json",
        R"({"cmd": "exec radosgw -n client.rgw.{{rgw_service}} --port {{rgw_port}}",
                              "container": {"type": "DOCKER", "docker": {"image": "{{image}}-custom"}}})"}});
  ASSERT_OK(set);
  auto state = render(smallTopology(Runtime::Docker), *set);
  ASSERT_OK(state);
  const AppSpec* rgw = findApp(*state, "/ceph/t1/rgw/s3");
  EXPECT_EQ(*rgw->cmd, "exec radosgw -n client.rgw.s3 --port 8080");
  EXPECT_EQ(rgw->container->image, "quay.io/ceph/ceph:v18.2.4-custom");
  EXPECT_TRUE(rgw->healthChecks.empty());
  auto builtin = render(smallTopology(Runtime::Docker), TemplateSet::builtin());
  ASSERT_OK(builtin);
  EXPECT_EQ(*findApp(*state, "/ceph/t1/osd/node1-s00"),
            *findApp(*builtin, "/ceph/t1/osd/node1-s00"));
}

}  // namespace
}  // namespace ceph_planner::planner

namespace ceph_planner::planner {
namespace {

TEST(RenderSafetyTest, ValuesThatWouldBreakTheShellAreRejected) {
  auto t = testing::smallTopology(topology::Runtime::Docker);
  t.osdGroups[0].dataDevices.slots[1].second = "/dev/disk/by-id/x'; rm -rf /; '";
  auto state = render(t, TemplateSet::builtin());
  EXPECT_ERROR_CODE(state, ErrorCode::InvalidInput);
  EXPECT_NE(state.error().message.find("device path"), std::string::npos) << state.error().message;

  t = testing::smallTopology(topology::Runtime::Docker);
  t.rgw[0].zone = "a\nb";
  state = render(t, TemplateSet::builtin());
  EXPECT_ERROR_CODE(state, ErrorCode::InvalidInput);
  EXPECT_NE(state.error().message.find("'/ceph/t1/rgw/s3'"), std::string::npos)
      << state.error().message;
}

TEST(RenderLabelsTest, MarathonLbLabelsAndKeyOrder) {
  auto t = testing::smallTopology(topology::Runtime::Docker);
  t.rgw[0].marathonLbGroup = "external";
  t.rgw[0].marathonLbVhost = "s3.example.com";
  auto state = render(t, TemplateSet::builtin());
  ASSERT_OK(state);
  const AppSpec* rgw = testing::findApp(*state, "/ceph/t1/rgw/s3");
  EXPECT_EQ(rgw->labels, (Labels{{"HAPROXY_0_VHOST", "s3.example.com"},
                                 {"HAPROXY_GROUP", "external"},
                                 {kLabelAutoscale, "min=2,max=3"},
                                 {kLabelCluster, "t1"},
                                 {kLabelManaged, "true"},
                                 {kLabelRgwService, "s3"},
                                 {kLabelRole, "rgw"},
                                 {kLabelTopologyVersion, "0"}}));
  EXPECT_TRUE(std::is_sorted(rgw->labels.begin(), rgw->labels.end()));
}

}  // namespace
}  // namespace ceph_planner::planner
