// Tables for the jobs diff: which observed differences are changes (owned fields) and which are
// not (what Chronos itself moves: the start, the remaining count, counters).

#include <gtest/gtest.h>

#include <functional>

#include "planner/jobs.h"

namespace ceph_planner::planner {
namespace {

JobSpec scheduled(const std::string& name, const std::string& schedule) {
  JobSpec j;
  j.name = name;
  j.command = "ceph-planner rebalance --cluster c1";
  j.schedule = schedule;
  j.ownerName = jobOwnerName("c1");
  j.cpus = 0.1;
  j.mem = 256;
  j.disk = 128;
  j.retries = 1;
  return j;
}

struct CompareCase {
  std::string name;
  std::function<void(JobSpec&)> mutateObserved;
  std::vector<std::string> changedFields;  // Empty = no change.
};

class CompareJobsTest : public ::testing::TestWithParam<CompareCase> {};

TEST_P(CompareJobsTest, OwnedFieldsOnly) {
  JobSpec desired = scheduled("ceph-planner-c1-rebalance", "R/2026-01-01T00:00:00Z/PT1H");
  JobSpec observed = desired;
  GetParam().mutateObserved(observed);
  std::vector<std::string> fields;
  for (const auto& c : compareJobs(desired, observed)) fields.push_back(c.field);
  EXPECT_EQ(fields, GetParam().changedFields);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CompareJobsTest,
    ::testing::Values(
        CompareCase{"identical", [](JobSpec&) {}, {}},
        CompareCase{"start_moved_by_chronos",
                    [](JobSpec& j) { j.schedule = "R/2026-11-22T03:00:00.000Z/PT1H"; },
                    {}},
        CompareCase{"period_reprinted_canonically",
                    [](JobSpec& j) { j.schedule = "R/2026-01-01T00:00:00.000Z/PT1H0M"; },
                    {}},
        CompareCase{"counters_and_last_runs",
                    [](JobSpec& j) {
                      j.successCount = 7;
                      j.errorCount = 2;
                      j.errorsSinceLastSuccess = 1;
                      j.lastSuccess = "2026-11-22T01:00:00.000Z";
                      j.lastError = "2026-11-22T02:00:00.000Z";
                    },
                    {}},
        CompareCase{"disabled_description_owner_not_owned",
                    [](JobSpec& j) {
                      j.disabled = true;
                      j.description = "edited in the UI";
                      j.owner = "ops@example.com";
                    },
                    {}},
        CompareCase{"period_change",
                    [](JobSpec& j) { j.schedule = "R/2026-01-01T00:00:00Z/PT2H"; },
                    {"schedule.period"}},
        CompareCase{"day_vs_24h_differ",
                    [](JobSpec& j) { j.schedule = "R/2026-01-01T00:00:00Z/P1D"; },
                    {"schedule.period"}},
        CompareCase{"forever_to_finite",
                    [](JobSpec& j) { j.schedule = "R3/2026-01-01T00:00:00Z/PT1H"; },
                    {"schedule.repetitions"}},
        CompareCase{"tz_change",
                    [](JobSpec& j) { j.scheduleTimeZone = "Europe/Paris"; },
                    {"scheduleTimeZone"}},
        CompareCase{"command_change", [](JobSpec& j) { j.command = "true"; }, {"command"}},
        CompareCase{"parents_change_makes_it_scheduled",
                    [](JobSpec& j) {
                      j.parents = {"x"};
                      j.schedule.clear();
                    },
                    {"schedule", "parents"}},
        CompareCase{"resources_change",
                    [](JobSpec& j) {
                      j.cpus = 1;
                      j.mem = 64;
                    },
                    {"cpus", "mem"}},
        CompareCase{"container_added",
                    [](JobSpec& j) {
                      JobContainer c;
                      c.image = "busybox";
                      j.container = c;
                    },
                    {"container"}},
        CompareCase{"constraint_added",
                    [](JobSpec& j) {
                      j.constraints = {{"hostname", "EQUALS", "h1"}};
                    },
                    {"constraints"}}),
    [](const auto& info) { return info.param.name; });

TEST(CompareJobsTest, DependentParentsAreASet) {
  JobSpec desired = scheduled("ceph-planner-c1-report", "");
  desired.schedule.clear();
  desired.parents = {"a", "b"};
  JobSpec observed = desired;
  observed.parents = {"b", "a"};
  EXPECT_TRUE(compareJobs(desired, observed).empty());
  observed.parents = {"a"};
  auto changes = compareJobs(desired, observed);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].field, "parents");
  EXPECT_EQ(changes[0].before, "[a]");
  EXPECT_EQ(changes[0].after, "[a, b]");
}

TEST(CompareJobsTest, FiniteCountDownIsNotAChange) {
  JobSpec desired = scheduled("n", "R5/2026-01-01T00:00:00Z/P1D");
  JobSpec observed = desired;
  observed.schedule = "R2/2026-01-04T00:00:00.000Z/P1D";
  EXPECT_TRUE(compareJobs(desired, observed).empty());
}

TEST(CompareJobsTest, ZeroResourcesMeanChronosDefaults) {
  JobSpec desired = scheduled("n", "R//PT1H");
  desired.cpus = 0.1;
  desired.mem = 128;
  desired.disk = 256;
  JobSpec observed = desired;
  observed.cpus = 0;
  observed.mem = 0;
  observed.disk = 0;
  EXPECT_TRUE(compareJobs(desired, observed).empty());
}

TEST(ParseScheduleTest, Forms) {
  auto forever = parseSchedule("R/2026-01-01T00:00:00Z/PT6H");
  ASSERT_TRUE(forever);
  EXPECT_TRUE(forever->forever);
  EXPECT_EQ(forever->start, "2026-01-01T00:00:00Z");
  EXPECT_EQ(forever->period, "PT6H");
  auto finite = parseSchedule("R5//P1DT0H");
  ASSERT_TRUE(finite);
  EXPECT_FALSE(finite->forever);
  EXPECT_EQ(finite->repetitions, 5);
  EXPECT_EQ(finite->start, "");
  EXPECT_EQ(finite->period, "P1D");
  EXPECT_EQ(parseSchedule("R/x/PT1.500S")->period, "PT1.5S");
  EXPECT_EQ(parseSchedule("R/x/P1Y2M3W4DT5H6M7S")->period, "P1Y2M3W4DT5H6M7S");
  for (const char* bad : {"", "R", "R/2026-01-01T00:00:00Z", "X/a/PT1H", "R/a/1H", "R/a/PT1D",
                          "R/a/P1H", "Rx/a/PT1H", "R/a/PT1H2H", "R/a/P1.5D"}) {
    EXPECT_FALSE(parseSchedule(bad)) << bad;
  }
}

TEST(ShellQuoteTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(shellQuote("--marathon"), "--marathon");
  EXPECT_EQ(shellQuote("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(shellQuote("a b"), "'a b'");
  EXPECT_EQ(shellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(shellQuote(""), "''");
  EXPECT_EQ(shellQuote("$(rm -rf /)"), "'$(rm -rf /)'");
}

// --- diffJobs ---

std::vector<std::pair<JobActionKind, std::string>> kinds(const JobsWave& wave) {
  std::vector<std::pair<JobActionKind, std::string>> out;
  for (const auto& a : wave.actions) out.emplace_back(a.kind, a.name);
  return out;
}

TEST(DiffJobsTest, CreateUpdateDeleteUnchanged) {
  JobSpec keep = scheduled("ceph-planner-c1-keep", "R//PT1H");
  JobSpec change = scheduled("ceph-planner-c1-change", "R//PT1H");
  JobSpec add = scheduled("ceph-planner-c1-add", "R//PT1H");
  JobSpec gone = scheduled("ceph-planner-c1-gone", "R//PT1H");
  JobSpec changedObserved = change;
  changedObserved.scheduleTimeZone = "UTC";
  JobsWave wave = diffJobs({keep, change, add}, {keep, changedObserved, gone}, "c1");
  using K = JobActionKind;
  std::vector<std::pair<K, std::string>> want = {{K::Create, "ceph-planner-c1-add"},
                                                 {K::Update, "ceph-planner-c1-change"},
                                                 {K::Unchanged, "ceph-planner-c1-keep"},
                                                 {K::Delete, "ceph-planner-c1-gone"}};
  EXPECT_EQ(kinds(wave), want);
  EXPECT_EQ(wave.summary.toAdd, 1);
  EXPECT_EQ(wave.summary.toChange, 1);
  EXPECT_EQ(wave.summary.toDestroy, 1);
  EXPECT_EQ(wave.summary.unchanged, 1);
  EXPECT_TRUE(wave.hasChanges());
  EXPECT_TRUE(wave.conflicts.empty());
}

TEST(DiffJobsTest, ForeignJobsAreConflictsAndNeverTouched) {
  JobSpec ours = scheduled("ceph-planner-c1-rebalance", "R//PT1H");
  JobSpec foreignSameName = ours;
  foreignSameName.ownerName = "";
  JobSpec foreignPrefixed = scheduled("ceph-planner-c1-x", "R//PT1H");
  foreignPrefixed.ownerName = "someone";
  JobSpec otherCluster = scheduled("ceph-planner-c1-y", "R//PT1H");
  otherCluster.ownerName = jobOwnerName("c2");
  JobSpec similar = scheduled("ceph-planner-c1x-rebalance", "R//PT1H");  // Not our prefix.
  similar.ownerName = "";
  JobSpec unrelated = scheduled("backup", "R//PT1H");
  JobsWave wave =
      diffJobs({ours}, {foreignSameName, foreignPrefixed, otherCluster, similar, unrelated}, "c1");
  EXPECT_TRUE(wave.actions.empty()) << wave.actions.size();
  EXPECT_FALSE(wave.hasChanges());
  ASSERT_EQ(wave.conflicts.size(), 3u);
  EXPECT_EQ(wave.conflicts[0].name, "ceph-planner-c1-rebalance");
  EXPECT_NE(wave.conflicts[0].message.find("cannot be registered"), std::string::npos);
  EXPECT_EQ(wave.conflicts[1].name, "ceph-planner-c1-x");
  EXPECT_EQ(wave.conflicts[2].name, "ceph-planner-c1-y");
  EXPECT_NE(wave.conflicts[2].message.find("'ceph-planner/c2'"), std::string::npos);
}

TEST(DiffJobsTest, ParentsFirstOnCreateChildrenFirstOnDelete) {
  JobSpec a = scheduled("ceph-planner-c1-a", "R//PT1H");
  JobSpec z = scheduled("ceph-planner-c1-z", "R//PT1H");
  JobSpec child = scheduled("ceph-planner-c1-b-child", "");
  child.schedule.clear();
  child.parents = {"ceph-planner-c1-z"};
  JobSpec grandchild = child;
  grandchild.name = "ceph-planner-c1-0-grandchild";
  grandchild.parents = {"ceph-planner-c1-b-child", "ceph-planner-c1-a"};
  JobsWave created = diffJobs({grandchild, child, z, a}, {}, "c1");
  using K = JobActionKind;
  std::vector<std::pair<K, std::string>> wantCreate = {{K::Create, "ceph-planner-c1-a"},
                                                       {K::Create, "ceph-planner-c1-z"},
                                                       {K::Create, "ceph-planner-c1-b-child"},
                                                       {K::Create, "ceph-planner-c1-0-grandchild"}};
  EXPECT_EQ(kinds(created), wantCreate);
  JobsWave deleted = diffJobs({}, {a, z, child, grandchild}, "c1");
  std::vector<std::pair<K, std::string>> wantDelete = {{K::Delete, "ceph-planner-c1-0-grandchild"},
                                                       {K::Delete, "ceph-planner-c1-b-child"},
                                                       {K::Delete, "ceph-planner-c1-z"},
                                                       {K::Delete, "ceph-planner-c1-a"}};
  EXPECT_EQ(kinds(deleted), wantDelete);
}

}  // namespace
}  // namespace ceph_planner::planner
