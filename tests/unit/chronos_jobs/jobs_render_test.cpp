// renderJobs: the maintenance section of a topology → the Chronos jobs the planner registers.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/strings.h"
#include "common/testing.h"
#include "planner/jobs.h"
#include "topology/parse.h"

namespace ceph_planner::planner {
namespace {

topology::Topology smallTopology() {
  topology::Topology t;
  t.cluster.name = "c1";
  for (const char* h : {"h1", "h2"}) {
    topology::Host host;
    host.name = h;
    t.hosts.push_back(host);
  }
  topology::MaintenanceJob balancer;
  balancer.name = "balancer";
  balancer.schedule = "R/2026-01-01T02:00:00Z/PT6H";
  balancer.params["mode"] = "upmap";
  topology::MaintenanceJob inventory;
  inventory.name = "inventory";
  inventory.schedule = "R//PT1H";
  inventory.timezone = "Europe/Paris";
  t.maintenance = {balancer, inventory};
  return t;
}

const JobSpec* find(const std::vector<JobSpec>& jobs, const std::string& name) {
  for (const auto& j : jobs) {
    if (j.name == name) return &j;
  }
  return nullptr;
}

TEST(RenderJobsTest, RebalanceAndOneInventoryJobPerHost) {
  JobRenderOptions options;
  options.connectionArgs = {"--marathon", "http://127.0.0.1:8080", "--state_dir", "/var/lib/cp x"};
  auto jobs = renderJobs(smallTopology(), options);
  ASSERT_OK(jobs);
  ASSERT_EQ(jobs->size(), 3u);
  const JobSpec* rebalance = find(*jobs, "ceph-planner-c1-rebalance");
  ASSERT_NE(rebalance, nullptr);
  EXPECT_EQ(rebalance->command,
            "ceph-planner rebalance --cluster c1 --marathon http://127.0.0.1:8080 --state_dir "
            "'/var/lib/cp x'");
  EXPECT_EQ(rebalance->schedule, "R/2026-01-01T02:00:00Z/PT6H");
  EXPECT_EQ(rebalance->ownerName, "ceph-planner/c1");
  EXPECT_TRUE(rebalance->parents.empty());
  EXPECT_TRUE(rebalance->constraints.empty());

  const JobSpec* h2 = find(*jobs, "ceph-planner-c1-inventory-h2");
  ASSERT_NE(h2, nullptr);
  EXPECT_EQ(h2->command,
            "ceph-planner inventory --cluster c1 --host h2 --marathon http://127.0.0.1:8080 "
            "--state_dir '/var/lib/cp x'");
  std::vector<std::vector<std::string>> pinned = {{"hostname", "EQUALS", "h2"}};
  EXPECT_EQ(h2->constraints, pinned);
  EXPECT_EQ(h2->scheduleTimeZone, "Europe/Paris");
  for (const auto& j : *jobs) EXPECT_TRUE(startsWith(j.name, jobPrefix("c1"))) << j.name;
}

TEST(RenderJobsTest, UserJobsWithParentsResolveToChronosNames) {
  topology::Topology t = smallTopology();
  topology::MaintenanceJob report;
  report.name = "report";
  report.command = "ceph pg dump_stuck";
  report.parents = {"inventory", "balancer"};
  topology::MaintenanceJob after;
  after.name = "after-report";
  after.command = "true";
  after.parents = {"report"};
  t.maintenance.push_back(report);
  t.maintenance.push_back(after);
  auto jobs = renderJobs(t, {});
  ASSERT_OK(jobs);
  const JobSpec* r = find(*jobs, "ceph-planner-c1-report");
  ASSERT_NE(r, nullptr);
  std::vector<std::string> parents = {"ceph-planner-c1-inventory-h1",
                                      "ceph-planner-c1-inventory-h2", "ceph-planner-c1-rebalance"};
  EXPECT_EQ(r->parents, parents);
  EXPECT_TRUE(r->schedule.empty());
  EXPECT_EQ(r->command, "ceph pg dump_stuck");
  std::vector<std::string> chain = {"ceph-planner-c1-report"};
  EXPECT_EQ(find(*jobs, "ceph-planner-c1-after-report")->parents, chain);
}

TEST(RenderJobsTest, ClashingNamesAndBadSchedulesAreErrors) {
  topology::Topology t = smallTopology();
  topology::MaintenanceJob clash;
  clash.name = "rebalance";
  clash.command = "true";
  clash.schedule = "R//PT1H";
  t.maintenance.push_back(clash);
  EXPECT_ERROR_CODE(renderJobs(t, {}), ErrorCode::InvalidInput);

  topology::Topology bad = smallTopology();
  bad.maintenance[0].schedule = "every hour";
  EXPECT_ERROR_CODE(renderJobs(bad, {}), ErrorCode::InvalidInput);
}

TEST(RenderJobsTest, NoMaintenanceNoJobs) {
  topology::Topology t = smallTopology();
  t.maintenance.clear();
  auto jobs = renderJobs(t, {});
  ASSERT_OK(jobs);
  EXPECT_TRUE(jobs->empty());
}

TEST(RenderJobsTest, LocalExampleRendersAndIsConvergedAgainstItself) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/examples/local.yaml");
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = topology::loadTopology(text.str());
  ASSERT_TRUE(parsed.ok());
  const topology::Topology* t = &parsed.topology;
  auto jobs = renderJobs(*t, {});
  ASSERT_OK(jobs);
  EXPECT_EQ(jobs->size(), 1 + t->hosts.size());
  JobsWave first = diffJobs(*jobs, {}, t->cluster.name);
  EXPECT_EQ(first.summary.toAdd, static_cast<int>(jobs->size()));
  JobsWave again = diffJobs(*jobs, *jobs, t->cluster.name);
  EXPECT_FALSE(again.hasChanges());
  EXPECT_EQ(again.summary.unchanged, static_cast<int>(jobs->size()));
}

}  // namespace
}  // namespace ceph_planner::planner
