// diff(): the acceptance cases of issue 2 §4 plus ownership, ordering and compareApps details.

#include "planner/diff.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

#include "common/testing.h"
#include "planner/app_json.h"
#include "tests/unit/diff/sample_apps.h"

namespace ceph_planner::planner {
namespace {

using namespace testing;  // NOLINT

DesiredState desiredCluster() {
  DesiredState d;
  d.groupId = kGroup;
  for (const char* host : {"stor01", "stor02", "stor03"}) d.apps.push_back(monApp(host));
  d.apps.push_back(mgrApp("stor01"));
  for (const char* host : {"stor01", "stor02"}) {
    d.apps.push_back(osdApp(host, "s01", "/dev/sdb"));
    d.apps.push_back(osdApp(host, "s02", "/dev/sdc"));
  }
  d.apps.push_back(rgwApp("main", 2, 2, 6));
  std::sort(d.apps.begin(), d.apps.end(),
            [](const AppSpec& a, const AppSpec& b) { return a.id < b.id; });
  return d;
}

// What Marathon would report after applying `desired`: every app round-tripped through the codec.
ObservedState observedFrom(const DesiredState& desired) {
  ObservedState o;
  o.groupId = desired.groupId;
  o.groupExists = true;
  for (const AppSpec& app : desired.apps) {
    Result<AppSpec> echoed = appFromJson(appToJson(app));
    EXPECT_OK(echoed);
    o.apps.push_back(ObservedApp{std::move(echoed).value(), {}});
  }
  return o;
}

ObservedApp* findObserved(ObservedState& o, const std::string& id) {
  for (auto& app : o.apps) {
    if (app.spec.id == id) return &app;
  }
  return nullptr;
}

std::vector<std::string> describe(const Plan& plan, bool withUnchanged = false) {
  std::vector<std::string> out;
  for (const auto& a : plan.actions) {
    if (a.kind == ActionKind::Unchanged && !withUnchanged) continue;
    out.push_back(std::string(actionKindName(a.kind)) + " " + a.appId);
  }
  return out;
}

const DiffOptions kOptions{kCluster};

TEST(Diff, EqualStatesHaveNoChanges) {
  DesiredState d = desiredCluster();
  Plan plan = diff(d, observedFrom(d), kOptions);
  EXPECT_FALSE(plan.hasChanges());
  EXPECT_EQ(plan.summary.unchanged, static_cast<int>(d.apps.size()));
  EXPECT_TRUE(plan.conflicts.empty());
  for (const auto& a : plan.actions) {
    EXPECT_EQ(a.kind, ActionKind::Unchanged);
    EXPECT_TRUE(a.desired->id.empty()) << "unchanged actions must not copy the app";
  }
}

TEST(Diff, MarathonFilledFieldsCauseNoDiff) {
  DesiredState d;
  d.groupId = kGroup;
  d.apps = {mgrApp("stor01"), monApp("stor01"), osdApp("stor01", "s01", "/dev/sdb"),
            rgwApp("main", 2, 2, 6)};
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/tests/testdata/diff/observed_group.json");
  std::stringstream ss;
  ss << in.rdbuf();
  Result<ObservedState> observed = observedFromGroupJson(ss.str());
  ASSERT_OK(observed);
  Plan plan = diff(d, *observed, kOptions);
  EXPECT_FALSE(plan.hasChanges()) << ::testing::PrintToString(describe(plan));
  EXPECT_EQ(plan.summary.unchanged, 4);
  // The foreign debug app in the same tree is reported, never deleted.
  ASSERT_EQ(plan.conflicts.size(), 1u);
  EXPECT_EQ(plan.conflicts[0].appId, "/ceph/box/tools/debug");
}

TEST(Diff, TopologyVersionLabelAloneIsNoChange) {
  DesiredState d = desiredCluster();
  ObservedState o = observedFrom(d);
  for (auto& app : o.apps) setKeyValue(app.spec.labels, kLabelTopologyVersion, "6");
  Plan plan = diff(d, o, kOptions);
  EXPECT_FALSE(plan.hasChanges()) << ::testing::PrintToString(describe(plan));
}

TEST(Diff, AssignedPortForDynamicPortIsNoChange) {
  DesiredState d;
  d.groupId = kGroup;
  AppSpec app = monApp("stor01");
  app.portDefinitions = {{0, "tcp", "metrics"}};
  d.apps = {app};
  ObservedState o = observedFrom(d);
  o.apps[0].spec.portDefinitions[0].port = 10017;  // Marathon's service port.
  EXPECT_FALSE(diff(d, o, kOptions).hasChanges());
  o.apps[0].spec.portDefinitions[0].name = "other";
  Plan plan = diff(d, o, kOptions);
  ASSERT_EQ(plan.summary.toChange, 1);
  ASSERT_EQ(plan.actions[0].changes.size(), 1u);
  EXPECT_EQ(plan.actions[0].changes[0].field, "portDefinitions");
}

TEST(Diff, RgwScaledWithinBoundsIsNoChange) {
  DesiredState d = desiredCluster();
  for (int live : {2, 4, 6}) {
    ObservedState o = observedFrom(d);
    findObserved(o, "/ceph/box/rgw/main")->spec.instances = live;
    Plan plan = diff(d, o, kOptions);
    EXPECT_FALSE(plan.hasChanges()) << live;
  }
}

TEST(Diff, RgwOutsideBoundsIsClampedByAScale) {
  DesiredState d = desiredCluster();
  for (auto [live, expected] : {std::pair{1, 2}, std::pair{9, 6}, std::pair{0, 2}}) {
    ObservedState o = observedFrom(d);
    findObserved(o, "/ceph/box/rgw/main")->spec.instances = live;
    Plan plan = diff(d, o, kOptions);
    EXPECT_EQ(describe(plan), std::vector<std::string>{"scale /ceph/box/rgw/main"});
    const PlanAction& a = plan.actions.back();
    EXPECT_EQ(a.kind, ActionKind::Scale);
    EXPECT_EQ(a.fromInstances, live);
    EXPECT_EQ(a.toInstances, expected);
    EXPECT_EQ(a.desired->instances, expected);
    EXPECT_EQ(a.reason, "instances " + std::to_string(live) + " clamped into [2,6]");
    EXPECT_TRUE(a.changes.empty());
    EXPECT_EQ(plan.summary.toScale, 1);
  }
}

TEST(Diff, RgwUpdateKeepsLiveInstances) {
  DesiredState d = desiredCluster();
  ObservedState o = observedFrom(d);
  ObservedApp* rgw = findObserved(o, "/ceph/box/rgw/main");
  rgw->spec.instances = 5;
  rgw->spec.mem = 1024;
  Plan plan = diff(d, o, kOptions);
  ASSERT_EQ(plan.summary.toChange, 1);
  const PlanAction& a = plan.actions.back();
  EXPECT_EQ(a.kind, ActionKind::Update);
  EXPECT_EQ(a.desired->instances, 5);
  EXPECT_EQ(a.desired->mem, 2048);
}

TEST(Diff, NonRgwInstanceChangeIsAScale) {
  DesiredState d = desiredCluster();
  ObservedState o = observedFrom(d);
  findObserved(o, "/ceph/box/mgr/stor01")->spec.instances = 0;
  Plan plan = diff(d, o, kOptions);
  EXPECT_EQ(describe(plan), std::vector<std::string>{"scale /ceph/box/mgr/stor01"});
  EXPECT_EQ(plan.actions[3].fromInstances, 0);  // After the three mons.
  EXPECT_EQ(plan.actions[3].toInstances, 1);
}

TEST(Diff, ChangedImageListsExactlyThatField) {
  DesiredState d = desiredCluster();
  ObservedState o = observedFrom(d);
  findObserved(o, "/ceph/box/osd/stor02-s01")->spec.container->image = "quay.io/ceph/ceph:v18.2.1";
  Plan plan = diff(d, o, kOptions);
  EXPECT_EQ(describe(plan), std::vector<std::string>{"update /ceph/box/osd/stor02-s01"});
  const PlanAction& a = *std::find_if(plan.actions.begin(), plan.actions.end(),
                                      [](const auto& x) { return x.kind == ActionKind::Update; });
  ASSERT_EQ(a.changes.size(), 1u);
  EXPECT_EQ(a.changes[0].field, "container.docker.image");
  EXPECT_EQ(a.changes[0].before, "\"quay.io/ceph/ceph:v18.2.1\"");
  EXPECT_EQ(a.changes[0].after, "\"quay.io/ceph/ceph:v18.2.4\"");
  EXPECT_EQ(*a.desired, osdApp("stor02", "s01", "/dev/sdb"));
  EXPECT_EQ(a.host, "stor02");
  EXPECT_EQ(a.slot, "s01");
  EXPECT_EQ(a.device, "/dev/sdb");
  EXPECT_EQ(a.dbDevice, "/dev/nvme0n1");
  EXPECT_EQ(a.osdGroup, "hdd");
  EXPECT_EQ(a.failureDomain, "rack1");
  EXPECT_EQ(a.wave, Wave::Osd);
}

TEST(Diff, MovedOsdDeviceIsExactlyTheExpectedUpdate) {
  DesiredState d = desiredCluster();
  ObservedState o = observedFrom(d);
  // The topology now puts slot s02 of stor01 on /dev/sdd instead of /dev/sdc.
  for (auto& app : d.apps) {
    if (app.id == "/ceph/box/osd/stor01-s02") app = osdApp("stor01", "s02", "/dev/sdd");
  }
  Plan plan = diff(d, o, kOptions);
  EXPECT_EQ(describe(plan), std::vector<std::string>{"update /ceph/box/osd/stor01-s02"});
  const PlanAction& a = *std::find_if(plan.actions.begin(), plan.actions.end(),
                                      [](const auto& x) { return x.kind == ActionKind::Update; });
  std::vector<std::string> fields;
  for (const auto& c : a.changes) fields.push_back(c.field + ": " + c.before + " -> " + c.after);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "cmd: \"exec /usr/local/bin/ceph-osd-run --host stor01 --slot s02 --device "
                        "/dev/sdc --db /dev/nvme0n1\" -> \"exec /usr/local/bin/ceph-osd-run --host "
                        "stor01 --slot s02 --device /dev/sdd --db /dev/nvme0n1\"",
                        "env.OSD_DEVICE: \"/dev/sdc\" -> \"/dev/sdd\"",
                        "labels.ceph-planner/device: \"/dev/sdc\" -> \"/dev/sdd\""}));
  EXPECT_EQ(a.device, "/dev/sdd");
  EXPECT_EQ(plan.summary.toChange, 1);
  EXPECT_EQ(plan.summary.unchanged, static_cast<int>(d.apps.size()) - 1);
}

TEST(Diff, NewHostGivesExactlyItsCreates) {
  DesiredState before = desiredCluster();
  ObservedState o = observedFrom(before);
  DesiredState d = before;
  d.apps.push_back(osdApp("stor03", "s01", "/dev/sdb"));
  d.apps.push_back(osdApp("stor03", "s02", "/dev/sdc"));
  std::sort(d.apps.begin(), d.apps.end(),
            [](const AppSpec& a, const AppSpec& b) { return a.id < b.id; });
  Plan plan = diff(d, o, kOptions);
  EXPECT_EQ(describe(plan), (std::vector<std::string>{"create /ceph/box/osd/stor03-s01",
                                                      "create /ceph/box/osd/stor03-s02"}));
  EXPECT_EQ(plan.summary.toAdd, 2);
  EXPECT_EQ(plan.summary.toChange + plan.summary.toScale + plan.summary.toDestroy, 0);
  for (const auto& a : plan.actions) {
    if (a.kind != ActionKind::Create) continue;
    EXPECT_EQ(*a.desired, a.slot == "s01" ? osdApp("stor03", "s01", "/dev/sdb")
                                          : osdApp("stor03", "s02", "/dev/sdc"));
    EXPECT_EQ(a.fromInstances, 0);
    EXPECT_EQ(a.toInstances, 1);
  }
}

TEST(Diff, RemovedHostGivesExactlyItsDeletes) {
  DesiredState full = desiredCluster();
  ObservedState o = observedFrom(full);
  DesiredState d = full;
  std::erase_if(d.apps,
                [](const AppSpec& a) { return a.id.find("/osd/stor02-") != std::string::npos; });
  Plan plan = diff(d, o, kOptions);
  EXPECT_EQ(describe(plan), (std::vector<std::string>{"delete /ceph/box/osd/stor02-s01",
                                                      "delete /ceph/box/osd/stor02-s02"}));
  EXPECT_EQ(plan.summary.toDestroy, 2);
  for (const auto& a : plan.actions) {
    if (a.kind != ActionKind::Delete) continue;
    EXPECT_EQ(a.host, "stor02");
    EXPECT_EQ(a.fromInstances, 1);
    EXPECT_EQ(a.toInstances, 0);
    EXPECT_TRUE(a.desired->id.empty());
  }
}

TEST(Diff, ForeignAppsAreConflictsOnly) {
  DesiredState d = desiredCluster();
  ObservedState o = observedFrom(d);
  AppSpec foreign;
  foreign.id = "/ceph/box/tools/debug";
  foreign.cmd = "sleep 3600";
  o.apps.push_back(ObservedApp{foreign, {}});
  AppSpec otherCluster = osdApp("stor09", "s01", "/dev/sdb");
  otherCluster.id = "/ceph/box/osd/stor09-s01";
  setKeyValue(otherCluster.labels, kLabelCluster, "prod");
  o.apps.push_back(ObservedApp{otherCluster, {}});
  // An unmanaged app sitting on an id the topology wants.
  ObservedApp* mon = findObserved(o, "/ceph/box/mon/stor02");
  std::erase_if(mon->spec.labels, [](const auto& kv) { return kv.first == kLabelManaged; });
  mon->spec.mem = 64;

  Plan plan = diff(d, o, kOptions);
  EXPECT_FALSE(plan.hasChanges()) << ::testing::PrintToString(describe(plan));
  ASSERT_EQ(plan.conflicts.size(), 3u);
  EXPECT_EQ(plan.conflicts[0].appId, "/ceph/box/mon/stor02");
  EXPECT_EQ(plan.conflicts[0].message,
            "not managed by ceph-planner (no label ceph-planner/managed=true); the topology wants "
            "this id, so it cannot be created or updated");
  EXPECT_EQ(plan.conflicts[1].appId, "/ceph/box/osd/stor09-s01");
  EXPECT_EQ(plan.conflicts[1].message, "managed for cluster 'prod', not this one; left untouched");
  EXPECT_EQ(plan.conflicts[2].appId, "/ceph/box/tools/debug");
  for (const auto& a : plan.actions) EXPECT_NE(a.appId, "/ceph/box/mon/stor02");
}

TEST(Diff, OrderIsWaveThenIdRegardlessOfInputOrder) {
  DesiredState d = desiredCluster();
  ObservedState o = observedFrom(d);
  o.apps.erase(o.apps.begin());  // mgr missing → create.
  d.apps.push_back(osdApp("stor05", "s01", "/dev/sdb"));
  std::sort(d.apps.begin(), d.apps.end(),
            [](const AppSpec& a, const AppSpec& b) { return a.id < b.id; });
  Plan sorted = diff(d, o, kOptions);
  std::vector<std::string> expected = describe(sorted, true);
  EXPECT_EQ(expected,
            (std::vector<std::string>{
                "unchanged /ceph/box/mon/stor01", "unchanged /ceph/box/mon/stor02",
                "unchanged /ceph/box/mon/stor03", "create /ceph/box/mgr/stor01",
                "unchanged /ceph/box/osd/stor01-s01", "unchanged /ceph/box/osd/stor01-s02",
                "unchanged /ceph/box/osd/stor02-s01", "unchanged /ceph/box/osd/stor02-s02",
                "create /ceph/box/osd/stor05-s01", "unchanged /ceph/box/rgw/main"}));
  std::mt19937 rng(42);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(d.apps.begin(), d.apps.end(), rng);
    std::shuffle(o.apps.begin(), o.apps.end(), rng);
    EXPECT_EQ(describe(diff(d, o, kOptions), true), expected);
  }
}

// Waves come from the role labels, not the ids: whatever the ids' order, the actions are the id
// order sorted stably by wave, with every action kept once (the plan moves only those out of
// place, so a wrong move would lose or duplicate one).
TEST(Diff, WaveOrderIsAStableSortOfTheIdOrder) {
  std::mt19937 rng(7);
  const char* roles[] = {"mon", "mgr", "osd", "rgw"};
  for (int round = 0; round < 20; ++round) {
    DesiredState d;
    d.groupId = kGroup;
    ObservedState o;
    o.groupId = kGroup;
    o.groupExists = true;
    std::vector<std::pair<std::string, int>> expected;  // (id, wave), in id order.
    for (int i = 0; i < 40; ++i) {
      const int wave = static_cast<int>(rng() % 4);
      AppSpec app = osdApp("stor01", "s01", "/dev/sdb");
      app.id = std::string(kGroup) + "/x/app" + std::to_string(100 + i);
      setKeyValue(app.labels, Key::literal(kLabelRole), SharedText(roles[wave]));
      const int side = static_cast<int>(rng() % 3);  // Desired only, observed only, or both.
      if (side != 1) d.apps.push_back(app);
      if (side != 0) o.apps.push_back(ObservedApp{app, {}});
      expected.emplace_back(app.id, wave);
    }
    std::stable_sort(expected.begin(), expected.end(),
                     [](const auto& a, const auto& b) { return a.second < b.second; });
    Plan plan = diff(d, o, kOptions);
    ASSERT_EQ(plan.actions.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(plan.actions[i].appId, expected[i].first) << "round " << round << ", " << i;
      EXPECT_EQ(static_cast<int>(plan.actions[i].wave), expected[i].second);
    }
  }
}

TEST(Diff, IdentityFromLabels) {
  std::optional<AppIdentity> osd = identityFromLabels(osdApp("stor01", "s03", "/dev/sdd"));
  ASSERT_TRUE(osd.has_value());
  EXPECT_EQ(osd->role, Role::Osd);
  EXPECT_EQ(osd->host, "stor01");
  EXPECT_EQ(osd->slot, "s03");
  EXPECT_EQ(osd->minInstances, -1);
  std::optional<AppIdentity> rgw = identityFromLabels(rgwApp("main", 2, 2, 6));
  ASSERT_TRUE(rgw.has_value());
  EXPECT_EQ(rgw->role, Role::Rgw);
  EXPECT_EQ(rgw->minInstances, 2);
  EXPECT_EQ(rgw->maxInstances, 6);
  AppSpec bare;
  EXPECT_FALSE(identityFromLabels(bare).has_value());
  setKeyValue(bare.labels, kLabelRole, "mds");
  EXPECT_FALSE(identityFromLabels(bare).has_value());
}

// Every owned AppSpec member, changed alone, is reported under the expected field name; this also
// guards diff.cpp's hand-written owned-field equality against a member being forgotten.
TEST(Diff, CompareAppsNamesEachChangedField) {
  const AppSpec base = rgwApp("main", 2, 2, 6);
  struct Case {
    const char* field;
    void (*mutate)(AppSpec&);
  };
  const Case cases[] = {
      {"cmd", [](AppSpec& a) { a.cmd = "x"; }},
      {"args", [](AppSpec& a) { a.args.push_back("-d"); }},
      {"user", [](AppSpec& a) { a.user = "ceph"; }},
      {"cpus", [](AppSpec& a) { a.cpus = 3; }},
      {"mem", [](AppSpec& a) { a.mem = 1; }},
      {"disk", [](AppSpec& a) { a.disk = 1; }},
      {"constraints", [](AppSpec& a) { a.constraints.pop_back(); }},
      {"container.type", [](AppSpec& a) { a.container->type = "MESOS"; }},
      {"container.docker.network", [](AppSpec& a) { a.container->network = "BRIDGE"; }},
      {"container.docker.privileged", [](AppSpec& a) { a.container->privileged = false; }},
      {"container.docker.forcePullImage", [](AppSpec& a) { a.container->forcePullImage = true; }},
      {"container.docker.parameters", [](AppSpec& a) { a.container->parameters.clear(); }},
      {"container.volumes", [](AppSpec& a) { a.container->volumes[0].mode = "RW"; }},
      {"container", [](AppSpec& a) { a.container.reset(); }},
      {"env.NEW", [](AppSpec& a) { setKeyValue(a.env, "NEW", "1"); }},
      {"labels.ceph-planner/rgw-service",
       [](AppSpec& a) { setKeyValue(a.labels, kLabelRgwService, "x"); }},
      {"fetch",
       [](AppSpec& a) {
         a.fetch.push_back({"http://x", true, false, false, ""});
       }},
      {"portDefinitions", [](AppSpec& a) { a.portDefinitions[0].port = 8081; }},
      {"requirePorts", [](AppSpec& a) { a.requirePorts = false; }},
      {"healthChecks", [](AppSpec& a) { a.healthChecks[0].intervalSeconds = 5; }},
      {"healthChecks", [](AppSpec& a) { a.healthChecks[0].ignoreHttp1xx = true; }},
      {"upgradeStrategy", [](AppSpec& a) { a.upgradeStrategy.maximumOverCapacity = 0; }},
      {"unreachableStrategy", [](AppSpec& a) { a.unreachableStrategy.disabled = true; }},
      {"killSelection", [](AppSpec& a) { a.killSelection = "OLDEST_FIRST"; }},
      {"taskKillGracePeriodSeconds", [](AppSpec& a) { a.taskKillGracePeriodSeconds = 30; }},
      {"backoffSeconds", [](AppSpec& a) { a.backoffSeconds = 5; }},
      {"backoffFactor", [](AppSpec& a) { a.backoffFactor = 2; }},
      {"maxLaunchDelaySeconds", [](AppSpec& a) { a.maxLaunchDelaySeconds = 60; }},
      {"dependencies", [](AppSpec& a) { a.dependencies.push_back("/ceph/box/mon"); }},
  };
  for (const Case& c : cases) {
    AppSpec observed = base;
    c.mutate(observed);
    std::vector<FieldChange> changes = compareApps(base, observed);
    ASSERT_EQ(changes.size(), 1u) << c.field;
    EXPECT_EQ(changes[0].field, c.field);
    EXPECT_NE(changes[0].before, changes[0].after) << c.field;
  }
  AppSpec scaled = base;
  scaled.instances = 4;
  EXPECT_TRUE(compareApps(base, scaled).empty());
  setKeyValue(scaled.labels, kLabelTopologyVersion, "99");
  EXPECT_TRUE(compareApps(base, scaled).empty());
  std::erase_if(scaled.labels, [](const auto& kv) { return kv.first == kLabelTopologyVersion; });
  EXPECT_TRUE(compareApps(base, scaled).empty());
  AppSpec removedLabel = base;
  std::erase_if(removedLabel.labels, [](const auto& kv) { return kv.first == kLabelAutoscale; });
  std::vector<FieldChange> changes = compareApps(base, removedLabel);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].field, "labels.ceph-planner/autoscale");
  EXPECT_EQ(changes[0].before, "");
  EXPECT_EQ(changes[0].after, "\"min=2,max=6\"");
}

}  // namespace
}  // namespace ceph_planner::planner
