// The codec and diff against real render output: every app rendered from every example topology
// round-trips through appToJson/appFromJson, and a plan against Marathon's echo of the render
// (the group JSON decoded back) has no changes.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/testing.h"
#include "planner/app_json.h"
#include "planner/diff.h"
#include "planner/render.h"
#include "planner/templates.h"
#include "topology/parse.h"

namespace ceph_planner::planner {
namespace {

class RenderedExample : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::ifstream in(std::string(CP_SOURCE_DIR) + "/examples/" + GetParam() + ".yaml");
    ASSERT_TRUE(in.good()) << GetParam();
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = topology::loadTopology(ss.str());
    ASSERT_TRUE(parsed.ok()) << GetParam();
    cluster_ = parsed.topology.cluster.name;
    auto desired = render(parsed.topology, TemplateSet::builtin());
    ASSERT_OK(desired);
    desired_ = std::move(desired).value();
    ASSERT_FALSE(desired_.apps.empty());
  }

  std::string cluster_;
  DesiredState desired_;
};

TEST_P(RenderedExample, EveryAppRoundTrips) {
  for (const AppSpec& app : desired_.apps) {
    Result<AppSpec> back = appFromJson(appToJson(app));
    ASSERT_OK(back);
    EXPECT_EQ(*back, app) << app.id;
    EXPECT_TRUE(compareApps(app, *back).empty()) << app.id;
  }
}

TEST_P(RenderedExample, PlanAgainstTheEchoedGroupHasNoChanges) {
  Result<ObservedState> observed = observedFromGroupJson(groupToJson(desired_));
  ASSERT_OK(observed);
  EXPECT_EQ(observed->groupId, desired_.groupId);
  Plan plan = diff(desired_, *observed, DiffOptions{cluster_});
  EXPECT_FALSE(plan.hasChanges());
  EXPECT_TRUE(plan.conflicts.empty());
  EXPECT_EQ(plan.summary.unchanged, static_cast<int>(desired_.apps.size()));
}

TEST_P(RenderedExample, EmptyMarathonCreatesEverythingInWaves) {
  ObservedState empty;
  empty.groupId = desired_.groupId;
  Plan plan = diff(desired_, empty, DiffOptions{cluster_});
  EXPECT_EQ(plan.summary.toAdd, static_cast<int>(desired_.apps.size()));
  for (std::size_t i = 1; i < plan.actions.size(); ++i) {
    const PlanAction& a = plan.actions[i - 1];
    const PlanAction& b = plan.actions[i];
    EXPECT_TRUE(a.wave < b.wave || (a.wave == b.wave && a.appId < b.appId)) << b.appId;
    EXPECT_EQ(b.wave, waveForRole(b.role));
  }
}

// The OSDs of a template share one fetch list and one health-check list whose texts read each
// app's values: the shared lists never make two OSDs' fetch URIs or checks equal, in a comparison
// or in a plan.
TEST_P(RenderedExample, SharedListsStillSpellEachAppsOwnTexts) {
  std::vector<const AppSpec*> osds;
  for (const AppSpec& app : desired_.apps) {
    if (app.id.find("/osd/") != std::string::npos) osds.push_back(&app);
  }
  ASSERT_GE(osds.size(), 2u);
  const AppSpec& a = *osds[0];
  const AppSpec& b = *osds[1];
  EXPECT_EQ(a.fetch.payload(), b.fetch.payload());
  EXPECT_EQ(a.healthChecks.payload(), b.healthChecks.payload());
  EXPECT_FALSE(sameFetch(a, b));
  EXPECT_FALSE(sameHealthChecks(a, b));
  EXPECT_TRUE(sameFetch(a, a));

  // `a` as Marathon would report it if it ran `b`'s binding file and health check: the same
  // lists, read with `b`'s values. The plan updates exactly those two fields.
  ObservedState observed = *observedFromGroupJson(groupToJson(desired_));
  AppSpec* current = nullptr;
  for (ObservedApp& o : observed.apps) {
    if (o.spec.id == a.id) current = &o.spec;
  }
  ASSERT_NE(current, nullptr);
  current->fetch = b.fetch;
  current->healthChecks = b.healthChecks;
  current->templateValues = b.templateValues;
  EXPECT_FALSE(sameFetch(a, *current));
  EXPECT_NE(*current, a);
  Plan plan = diff(desired_, observed, DiffOptions{cluster_});
  EXPECT_EQ(plan.summary.toChange, 1);
  const PlanAction* update = nullptr;
  for (const PlanAction& action : plan.actions) {
    if (action.appId == a.id) update = &action;
  }
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(update->kind, ActionKind::Update);
  std::vector<std::string> fields;
  for (const FieldChange& change : update->changes) fields.push_back(change.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"fetch", "healthChecks"}));

  // The same lists and values as `a`'s own: no change.
  current->templateValues = a.templateValues;
  EXPECT_EQ(*current, a);
  EXPECT_FALSE(diff(desired_, observed, DiffOptions{cluster_}).hasChanges());
}

INSTANTIATE_TEST_SUITE_P(Examples, RenderedExample, ::testing::Values("local", "production"));

}  // namespace
}  // namespace ceph_planner::planner
