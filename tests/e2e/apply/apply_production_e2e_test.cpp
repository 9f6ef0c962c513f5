// End to end: `ceph-planner apply` of examples/production.yaml (126 apps, docker runtime, three
// racks) against a marathon-sim subprocess running the example's agents.

#include <gtest/gtest.h>

#include <string>

#include "common/testing.h"
#include "tests/e2e/apply/apply_harness.h"

namespace ceph_planner::e2e {
namespace {

TEST(ApplyProductionE2eTest, FreshApplyConvergesAndASecondApplyOnlyReadsTheGroupOnce) {
  Simulator sim;
  ASSERT_OK(sim.start(sourcePath("examples/production.agents.yaml"), 50.0));
  TempDir dir;
  PlannerCli cli(sim, dir.path());
  const std::string topology =
      withoutChronos(sourcePath("examples/production.yaml"), dir.file("production.yaml"));

  ShellRun first = cli.run("apply --yes --step_timeout 120s " + topology);
  ASSERT_EQ(first.exitCode, 0) << first.output;
  EXPECT_NE(first.output.find("Apply complete: 126 added, 0 changed"), std::string::npos)
      << first.output;

  // Converged: every app Marathon holds for the cluster runs its instances, healthy, and no
  // deployment is left.
  auto apps = sim.apps("/ceph/prod1");
  EXPECT_EQ(apps.size(), 126u);
  for (const auto& [id, app] : apps) {
    int instances = app.value("instances", -1);
    EXPECT_EQ(app.value("tasksRunning", -1), instances) << id;
    EXPECT_EQ(app.value("tasksHealthy", -1), instances) << id;
  }
  EXPECT_EQ(sim.getJson("/v2/deployments"), nlohmann::json::array());
  ShellRun status = cli.run("status " + topology);
  EXPECT_EQ(status.exitCode, 0) << status.output;
  EXPECT_NE(status.output.find("mon 3/3 healthy · mgr 2/2 · osd 120/120 · rgw 1/1"),
            std::string::npos)
      << status.output;

  ASSERT_TRUE(sim.clearRequests());
  ShellRun second = cli.run("apply --yes " + topology);
  ASSERT_EQ(second.exitCode, 0) << second.output;
  EXPECT_NE(second.output.find("No changes"), std::string::npos) << second.output;
  auto log = sim.requests();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].method, "GET");
  EXPECT_EQ(log[0].path, "/v2/groups/ceph/prod1");
  EXPECT_EQ(countWrites(log), 0);

  ShellRun plan = cli.run("plan --detailed-exitcode " + topology);
  EXPECT_EQ(plan.exitCode, 0) << plan.output;
}

}  // namespace
}  // namespace ceph_planner::e2e
