// The jobs wave end to end over FakeChronos: render → diff → JobApplier → diff again.

#include <gtest/gtest.h>

#include "common/testing.h"
#include "engine/job_applier.h"
#include "planner/jobs.h"
#include "tests/fakes/fake_chronos.h"

namespace ceph_planner::engine {
namespace {

class Notes final : public ApplyListener {
 public:
  void note(const std::string& text) override { notes.push_back(text); }
  std::vector<std::string> notes;
};

topology::Topology topologyWith(const std::string& period) {
  topology::Topology t;
  t.cluster.name = "c1";
  for (const char* h : {"h1", "h2"}) {
    topology::Host host;
    host.name = h;
    t.hosts.push_back(host);
  }
  topology::MaintenanceJob balancer;
  balancer.name = "balancer";
  balancer.schedule = "R/2030-01-01T00:00:00Z/" + period;
  topology::MaintenanceJob inventory;
  inventory.name = "inventory";
  inventory.schedule = "R/2030-01-01T00:00:00Z/PT1H";
  topology::MaintenanceJob report;
  report.name = "report";
  report.command = "ceph -s";
  report.parents = {"balancer"};
  t.maintenance = {balancer, inventory, report};
  return t;
}

planner::JobsWave plan(chronos::ChronosApi& api, const topology::Topology& t,
                       std::vector<planner::JobSpec>* observed) {
  auto desired = planner::renderJobs(t, {});
  EXPECT_TRUE(desired.has_value());
  auto listed = api.listJobs();
  EXPECT_TRUE(listed.has_value());
  *observed = listed.value();
  return planner::diffJobs(desired.value(), *observed, t.cluster.name);
}

TEST(JobApplierTest, RegistersThenConvergesWithZeroWrites) {
  chronos::FakeChronos fake;
  Notes notes;
  JobApplier applier(fake, notes);
  std::vector<planner::JobSpec> observed;
  planner::JobsWave first = plan(fake, topologyWith("PT6H"), &observed);
  EXPECT_EQ(first.summary.toAdd, 4);
  auto report = applier.apply(first, observed);
  ASSERT_OK(report);
  EXPECT_EQ(report->created, 4);
  EXPECT_EQ(fake.writeCount(), 4);
  EXPECT_TRUE(fake.pendingJobs().empty());

  planner::JobsWave second = plan(fake, topologyWith("PT6H"), &observed);
  EXPECT_FALSE(second.hasChanges());
  EXPECT_EQ(second.summary.unchanged, 4);
  ASSERT_OK(applier.apply(second, observed));
  EXPECT_EQ(fake.writeCount(), 4);
}

TEST(JobApplierTest, ChronosMovingTheStartIsNoChangeAPeriodChangeUpdatesKeepingHistory) {
  chronos::FakeChronos fake;
  Notes notes;
  JobApplier applier(fake, notes);
  std::vector<planner::JobSpec> observed;
  ASSERT_OK(applier.apply(plan(fake, topologyWith("PT6H"), &observed), observed));
  ASSERT_TRUE(fake.simulateRun("ceph-planner-c1-rebalance", true, "2030-01-01T00:00:05.000Z",
                               "2030-01-01T06:00:00.000Z"));
  planner::JobsWave moved = plan(fake, topologyWith("PT6H"), &observed);
  EXPECT_FALSE(moved.hasChanges());

  planner::JobsWave changed = plan(fake, topologyWith("PT12H"), &observed);
  ASSERT_EQ(changed.summary.toChange, 1);
  const int before = fake.writeCount();
  ASSERT_OK(applier.apply(changed, observed));
  EXPECT_EQ(fake.writeCount(), before + 1);
  auto job = fake.getJob("ceph-planner-c1-rebalance");
  ASSERT_OK(job);
  EXPECT_EQ(planner::parseSchedule(job->schedule)->period, "PT12H");
  EXPECT_EQ(job->successCount, 1);
  EXPECT_EQ(job->lastSuccess, "2030-01-01T00:00:05.000Z");
}

TEST(JobApplierTest, RemovingAJobDeletesOnlyOursAndLeavesForeignJobsAlone) {
  chronos::FakeChronos fake;
  planner::JobSpec foreign;
  foreign.name = "ceph-planner-c1-report-old";  // Our prefix, no marker.
  foreign.command = "true";
  foreign.schedule = "R/2030-01-01T00:00:00Z/P1D";
  fake.seedJob(foreign);
  planner::JobSpec similar = foreign;
  similar.name = "ceph-planner-c1report";
  fake.seedJob(similar);
  Notes notes;
  JobApplier applier(fake, notes);
  std::vector<planner::JobSpec> observed;
  ASSERT_OK(applier.apply(plan(fake, topologyWith("PT6H"), &observed), observed));

  topology::Topology without = topologyWith("PT6H");
  without.maintenance.pop_back();  // `report` removed.
  planner::JobsWave wave = plan(fake, without, &observed);
  EXPECT_EQ(wave.summary.toDestroy, 1);
  ASSERT_EQ(wave.conflicts.size(), 1u);
  EXPECT_EQ(wave.conflicts[0].name, "ceph-planner-c1-report-old");
  ASSERT_OK(applier.apply(wave, observed));
  EXPECT_ERROR_CODE(fake.getJob("ceph-planner-c1-report"), ErrorCode::NotFound);
  EXPECT_OK(fake.getJob("ceph-planner-c1-report-old"));
  EXPECT_OK(fake.getJob("ceph-planner-c1report"));
  EXPECT_OK(fake.getJob("ceph-planner-c1-rebalance"));
}

TEST(JobApplierTest, ADependentChronosDidNotRegisterStopsTheWave) {
  chronos::FakeChronos fake;
  Notes notes;
  JobApplier applier(fake, notes);
  planner::JobsWave wave;
  wave.planned = true;
  planner::JobAction child;
  child.kind = planner::JobActionKind::Create;
  child.name = "ceph-planner-c1-child";
  child.desired.name = child.name;
  child.desired.command = "true";
  child.desired.parents = {"ceph-planner-c1-missing"};
  wave.actions.push_back(child);
  wave.summary.toAdd = 1;
  auto report = applier.apply(wave, {});
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("did not register it"), std::string::npos)
      << report.error().message;
}

TEST(JobApplierTest, ChronosErrorsCarryTheJobAsContext) {
  chronos::FakeChronos fake;
  Notes notes;
  JobApplier applier(fake, notes);
  std::vector<planner::JobSpec> observed;
  planner::JobsWave wave = plan(fake, topologyWith("PT6H"), &observed);
  fake.failNext(makeError(ErrorCode::Unavailable, "chronos answered 503"));
  auto report = applier.apply(wave, observed);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::Unavailable);
  EXPECT_NE(report.error().message.find("cannot create job 'ceph-planner-c1-inventory-h1'"),
            std::string::npos)
      << report.error().message;
}

}  // namespace
}  // namespace ceph_planner::engine
