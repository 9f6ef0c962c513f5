// Plan text and JSON formats, pinned by golden files in tests/testdata/diff/.
// `CP_UPDATE_GOLDEN=1 ./unit_diff_tests` rewrites them; review the git diff before committing.

#include "planner/format.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/testing.h"
#include "planner/app_json.h"
#include "planner/diff.h"
#include "tests/unit/diff/sample_apps.h"

namespace ceph_planner::planner {
namespace {

using namespace testing;  // NOLINT

std::string goldenPath(const std::string& name) {
  return std::string(CP_SOURCE_DIR) + "/tests/testdata/diff/" + name;
}

void expectGolden(const std::string& name, const std::string& actual) {
  const char* update = std::getenv("CP_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(goldenPath(name), std::ios::binary) << actual;
    return;
  }
  std::ifstream in(goldenPath(name), std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden " << name << " (run with CP_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "golden " << name << " differs; actual:\n" << actual;
}

AppSpec echoed(const AppSpec& app) {
  Result<AppSpec> back = appFromJson(appToJson(app));
  EXPECT_OK(back);
  return back.has_value() ? std::move(back).value() : AppSpec{};
}

void sortById(std::vector<AppSpec>& apps) {
  std::sort(apps.begin(), apps.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
}

// Every kind of action at once: a new host's OSD, a moved OSD device, an image upgrade of one
// mon, a removed host's OSDs, an RGW below its bounds, and a foreign app in the tree.
Plan mixedPlan() {
  DesiredState d;
  d.groupId = kGroup;
  d.apps = {monApp("stor01"),
            monApp("stor02"),
            monApp("stor03"),
            mgrApp("stor01"),
            osdApp("stor01", "s01", "/dev/sdb"),
            osdApp("stor01", "s02", "/dev/sdd"),
            osdApp("stor03", "s01", "/dev/sdb", ""),
            rgwApp("main", 2, 2, 6)};
  sortById(d.apps);

  ObservedState o;
  o.groupId = kGroup;
  o.groupExists = true;
  std::vector<AppSpec> live = {monApp("stor01"),
                               monApp("stor02"),
                               monApp("stor03"),
                               mgrApp("stor01"),
                               osdApp("stor01", "s01", "/dev/sdb"),
                               osdApp("stor01", "s02", "/dev/sdc"),
                               osdApp("stor02", "s01", "/dev/sdb"),
                               osdApp("stor02", "s02", "/dev/sdc"),
                               rgwApp("main", 1, 2, 6)};
  live[2].container->image = "quay.io/ceph/ceph:v18.2.1";
  AppSpec foreign;
  foreign.id = "/ceph/box/tools/debug";
  foreign.cmd = "sleep 3600";
  live.push_back(foreign);
  sortById(live);
  for (const AppSpec& app : live) o.apps.push_back(ObservedApp{echoed(app), {}});
  return diff(d, o, DiffOptions{kCluster});
}

Plan unchangedPlan() {
  DesiredState d;
  d.groupId = kGroup;
  d.apps = {monApp("stor01"), mgrApp("stor01"), osdApp("stor01", "s01", "/dev/sdb"),
            rgwApp("main", 2, 2, 6)};
  sortById(d.apps);
  ObservedState o;
  o.groupId = kGroup;
  for (const AppSpec& app : d.apps) o.apps.push_back(ObservedApp{echoed(app), {}});
  o.apps.back().spec.instances = 4;  // RGW scaled by the autoscaler, inside [2,6].
  return diff(d, o, DiffOptions{kCluster});
}

TEST(FormatText, MixedPlanGolden) {
  Plan plan = mixedPlan();
  EXPECT_EQ(plan.summary.toAdd, 1);
  EXPECT_EQ(plan.summary.toChange, 2);
  EXPECT_EQ(plan.summary.toScale, 1);
  EXPECT_EQ(plan.summary.toDestroy, 2);
  expectGolden("plan_mixed.txt", formatPlanText(plan));
}

TEST(FormatText, MixedPlanWithUnchangedGolden) {
  TextFormatOptions options;
  options.showUnchanged = true;
  expectGolden("plan_mixed_all.txt", formatPlanText(mixedPlan(), options));
}

TEST(FormatText, NoChangesGolden) {
  Plan plan = unchangedPlan();
  EXPECT_FALSE(plan.hasChanges());
  std::string text = formatPlanText(plan);
  EXPECT_EQ(text, "No changes. Marathon matches the topology.\n");
  expectGolden("plan_no_changes.txt", text);
}

TEST(FormatText, SummaryLineIsTheLastLine) {
  std::string text = formatPlanText(mixedPlan());
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::string last = text.substr(text.rfind('\n', text.size() - 2) + 1);
  EXPECT_EQ(last, "Plan: 1 to add, 2 to change, 1 to scale, 2 to destroy.\n");
}

TEST(FormatText, ColourOnlyWhenAsked) {
  Plan plan = mixedPlan();
  EXPECT_EQ(formatPlanText(plan).find('\x1b'), std::string::npos);
  std::string coloured = formatPlanText(plan, TextFormatOptions{false, true});
  EXPECT_NE(coloured.find("\x1b[32m+ /ceph/box/osd/stor03-s01\x1b[0m"), std::string::npos)
      << coloured;
  EXPECT_NE(coloured.find("\x1b[31m- /ceph/box/osd/stor02-s01\x1b[0m"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[1mPlan: 1 to add"), std::string::npos);
}

TEST(FormatText, ConflictsOnlyStillSayNoChanges) {
  Plan plan;
  plan.groupId = kGroup;
  plan.conflicts = {{"/ceph/box/x", "not managed by ceph-planner"}};
  EXPECT_EQ(formatPlanText(plan),
            "Conflicts: apps under /ceph/box that ceph-planner will not touch:\n"
            "  ! /ceph/box/x: not managed by ceph-planner\n\n"
            "No changes. Marathon matches the topology, apart from the conflicts above.\n");
}

TEST(FormatText, MultiLineStringsAreShownAsLineDiffs) {
  Plan plan;
  plan.groupId = kGroup;
  PlanAction a;
  a.kind = ActionKind::Update;
  a.role = Role::Mgr;
  a.wave = Wave::Mgr;
  a.appId = "/ceph/box/mgr/stor01";
  a.host = "stor01";
  a.fromInstances = a.toInstances = 1;
  a.changes = {{"cmd", R"("set -e\necho \"a\"\nold \\ x\nexec ceph-mgr")",
                R"("set -e\necho \"a\"\nnew\u0009x\nexec ceph-mgr\n")"},
               {"mem", "1024.0", "2048.0"}};
  plan.actions = {a};
  plan.summary.toChange = 1;
  EXPECT_EQ(formatPlanText(plan),
            "ceph-planner will apply these actions to /ceph/box, wave by wave (mon → mgr → osd → "
            "rgw):\n"
            "  + create   ~ update   ^ scale   - destroy\n"
            "\n"
            "# wave 2: mgr (1 app)\n"
            "  ~ /ceph/box/mgr/stor01  host=stor01\n"
            "      cmd: (text, 4 → 5 lines)\n"
            "        - old \\ x\n"
            "        + new\tx\n"
            "        + \n"
            "      mem: 1024.0 → 2048.0\n"
            "\n"
            "Plan: 0 to add, 1 to change, 0 to scale, 0 to destroy.\n");
}

TEST(FormatJson, MixedPlanGolden) {
  std::string json = formatPlanJson(mixedPlan());
  expectGolden("plan_mixed.json", json + "\n");
  nlohmann::json j = nlohmann::json::parse(json);
  EXPECT_EQ(j["summary"]["add"], 1);
  EXPECT_EQ(j["summary"]["unchanged"], 4);
  EXPECT_EQ(j["actions"].size(), 6u);  // Unchanged omitted.
  EXPECT_EQ(j["has_changes"], true);
}

TEST(FormatJson, ValuesAreEmbeddedAndUnchangedOnRequest) {
  JsonFormatOptions options;
  options.showUnchanged = true;
  options.pretty = false;
  std::string json = formatPlanJson(mixedPlan(), options);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  nlohmann::json j = nlohmann::json::parse(json);
  EXPECT_EQ(j["actions"].size(), 10u);
  bool sawImage = false;
  for (const auto& a : j["actions"]) {
    for (const auto& c : a["changes"]) {
      if (c["field"] == "container.docker.image") {
        EXPECT_EQ(c["before"], "quay.io/ceph/ceph:v18.2.1");
        EXPECT_EQ(c["after"], "quay.io/ceph/ceph:v18.2.4");
        sawImage = true;
      }
    }
  }
  EXPECT_TRUE(sawImage);
  expectGolden("plan_no_changes.json", formatPlanJson(unchangedPlan()) + "\n");
}

}  // namespace
}  // namespace ceph_planner::planner
