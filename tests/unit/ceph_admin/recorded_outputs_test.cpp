// Every recorded Ceph 16.2 output (tests/testdata/ceph16) parses through the production path
// (FakeCephAdmin = CliCephAdmin over the recordings), with the values the recording shows.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "ceph/ceph_json.h"
#include "ceph/fake_ceph_admin.h"
#include "common/testing.h"

namespace ceph_planner::ceph {
namespace {

namespace fs = std::filesystem;

const fs::path kData = fs::path(CP_SOURCE_DIR) / "tests/testdata/ceph16";
const std::vector<std::string> kStates = {"clean", "balancer_off", "backfilling", "osd_out_drained",
                                          "osd_down"};

TEST(RecordedOutputsTest, EveryStateHasEveryReadAndItParses) {
  for (const auto& name : kStates) {
    SCOPED_TRACE(name);
    FakeCephAdmin ceph((kData / name).string());
    auto health = ceph.health();
    ASSERT_OK(health);
    auto pgs = ceph.pgStat();
    ASSERT_OK(pgs);
    EXPECT_EQ(pgs->numPgs, 81);
    int sum = 0;
    for (const auto& [state, count] : pgs->pgsByState) sum += count;
    EXPECT_EQ(sum, 81);
    auto df = ceph.osdDf();
    ASSERT_OK(df);
    ASSERT_EQ(df->osds.size(), 3u);
    EXPECT_EQ(df->osds[2].name, "osd.2");
    EXPECT_GT(df->averageUtilization, 0);
    auto balancer = ceph.balancerStatus();
    ASSERT_OK(balancer);
    EXPECT_EQ(balancer->mode, "upmap");
    auto quorum = ceph.quorumStatus();
    ASSERT_OK(quorum);
    EXPECT_EQ(quorum->quorumNames, std::vector<std::string>{"a"});
    EXPECT_EQ(quorum->leaderName, "a");
    EXPECT_TRUE(quorum->hasQuorum());
    ASSERT_OK(ceph.okToStop({0}));
    ASSERT_OK(ceph.safeToDestroy({2}));
    ASSERT_OK(ceph.testReweightByUtilization(ReweightBounds{120, 0.05, 4}));
    ASSERT_OK(ceph.testReweightByUtilization(ReweightBounds{101, 0.05, 4}));
    EXPECT_TRUE(ceph.writes().empty());
  }
}

TEST(RecordedOutputsTest, EveryRecordedJsonFileIsReachedByAParser) {
  // Guards against recordings nothing reads: every *.json is either parsed above (reads) or a
  // write whose output is not JSON (empty) or the text-only `balancer eval`.
  std::set<std::string> reads = {"health_detail",
                                 "pg_stat",
                                 "osd_df",
                                 "balancer_status",
                                 "quorum_status",
                                 "osd_ok-to-stop_0",
                                 "osd_safe-to-destroy_2",
                                 "osd_test-reweight-by-utilization_120_0.05_4",
                                 "osd_test-reweight-by-utilization_101_0.05_4"};
  int files = 0;
  for (const auto& name : kStates) {
    for (const auto& entry : fs::directory_iterator(kData / name)) {
      if (entry.path().extension() != ".json") continue;
      ++files;
      std::string key = entry.path().stem().string();
      if (reads.count(key)) continue;
      EXPECT_TRUE(isWriteKey(key) || key.rfind("balancer_eval", 0) == 0) << name << "/" << key;
    }
  }
  EXPECT_GE(files, 5 * 9);
}

TEST(RecordedOutputsTest, HealthAndPgStateOfEachState) {
  struct Row {
    std::string state;
    std::string health;
    std::vector<std::string> codes;
    int activeClean;
    bool recovery;
  };
  const std::vector<Row> rows = {
      {"clean", "HEALTH_OK", {}, 81, false},
      {"balancer_off", "HEALTH_OK", {}, 81, false},
      {"backfilling", "HEALTH_WARN", {"PG_AVAILABILITY"}, 45, true},
      {"osd_out_drained", "HEALTH_OK", {}, 81, false},
      {"osd_down", "HEALTH_WARN", {"OSD_DOWN", "PG_DEGRADED"}, 38, false},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.state);
    FakeCephAdmin ceph((kData / row.state).string());
    auto health = ceph.health();
    ASSERT_OK(health);
    EXPECT_EQ(health->status, row.health);
    EXPECT_EQ(health->ok(), row.health == "HEALTH_OK");
    std::vector<std::string> codes;
    for (const auto& c : health->checks) codes.push_back(c.code);
    EXPECT_EQ(codes, row.codes);
    auto pgs = ceph.pgStat();
    ASSERT_OK(pgs);
    EXPECT_EQ(pgs->activeClean(), row.activeClean);
    EXPECT_EQ(pgs->recoveryOrBackfill(), row.recovery);
  }
}

TEST(RecordedOutputsTest, DegradedAndMisplacedCounters) {
  FakeCephAdmin backfilling((kData / "backfilling").string());
  auto pgs = backfilling.pgStat();
  ASSERT_OK(pgs);
  EXPECT_EQ(pgs->misplacedObjects, 21);
  EXPECT_EQ(pgs->misplacedTotal, 2590);
  EXPECT_NEAR(pgs->misplacedRatio(), 21.0 / 2590.0, 1e-12);
  EXPECT_EQ(pgs->degradedObjects, 689);
  EXPECT_EQ(pgs->pgsByState.at("active+recovery_wait+degraded"), 34);

  FakeCephAdmin clean((kData / "clean").string());
  auto cleanPgs = clean.pgStat();
  ASSERT_OK(cleanPgs);
  EXPECT_EQ(cleanPgs->misplacedRatio(), 0.0);  // No misplaced keys at all when clean.
  EXPECT_EQ(cleanPgs->degradedRatio(), 0.0);

  FakeCephAdmin down((kData / "osd_down").string());
  auto health = down.health();
  ASSERT_OK(health);
  EXPECT_EQ(health->checks[0].summary, "1 osds down");
  EXPECT_EQ(health->checks[0].severity, "HEALTH_WARN");
}

TEST(RecordedOutputsTest, OkToStopYesAndNo) {
  FakeCephAdmin clean((kData / "clean").string());
  auto yes = clean.okToStop({0});
  ASSERT_OK(yes);
  EXPECT_TRUE(yes->ok);
  EXPECT_EQ(yes->osds, std::vector<int>{0});
  EXPECT_EQ(yes->numOkPgs, 59);
  EXPECT_EQ(yes->numNotOkPgs, 0);

  // Exit 16 (EBUSY) with the verdict on stdout: a "no", not an error.
  FakeCephAdmin down((kData / "osd_down").string());
  auto no = down.okToStop({0});
  ASSERT_OK(no);
  EXPECT_FALSE(no->ok);
  EXPECT_EQ(no->numNotOkPgs, 21);
  EXPECT_EQ(no->badBecomeInactive.size(), 21u);
  EXPECT_EQ(no->message, "unsafe to stop osd(s) at this time (21 PGs are or would become offline)");
}

TEST(RecordedOutputsTest, SafeToDestroyYesAndNo) {
  FakeCephAdmin clean((kData / "clean").string());
  auto active = clean.safeToDestroy({2});
  ASSERT_OK(active);
  EXPECT_FALSE(active->safe);
  EXPECT_EQ(active->active, std::vector<int>{2});

  FakeCephAdmin down((kData / "osd_down").string());
  auto missing = down.safeToDestroy({2});
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->safe);
  EXPECT_EQ(missing->missingStats, std::vector<int>{2});

  FakeCephAdmin drained((kData / "osd_out_drained").string());
  auto safe = drained.safeToDestroy({2});
  ASSERT_OK(safe);
  EXPECT_TRUE(safe->safe);
  EXPECT_EQ(safe->safeToDestroy, std::vector<int>{2});
}

TEST(RecordedOutputsTest, BalancerStatusOnAndOff) {
  FakeCephAdmin clean((kData / "clean").string());
  auto on = clean.balancerStatus();
  ASSERT_OK(on);
  EXPECT_TRUE(on->active);
  EXPECT_TRUE(on->plans.empty());
  EXPECT_EQ(on->optimizeResult, "No pools available");
  FakeCephAdmin off((kData / "balancer_off").string());
  auto status = off.balancerStatus();
  ASSERT_OK(status);
  EXPECT_FALSE(status->active);
}

TEST(RecordedOutputsTest, BalancerOptimizeCreatedAndAlreadyOptimal) {
  FakeCephAdmin ceph((kData / "balancer_off").string());
  auto created = ceph.balancerOptimize("ceph-planner-rebalance");
  ASSERT_OK(created);
  EXPECT_TRUE(created->planCreated);
  // Exit 114 (EALREADY): nothing to optimise, a normal answer.
  auto again = ceph.balancerOptimize("ceph-planner-rebalance-again");
  ASSERT_OK(again);
  EXPECT_FALSE(again->planCreated);
  EXPECT_EQ(again->message,
            "Unable to find further optimization, or pool(s) pg_num is decreasing, or "
            "distribution is already perfect");
  EXPECT_OK(ceph.balancerExecute("ceph-planner-rebalance"));
  EXPECT_OK(ceph.setBalancerMode("upmap"));
  EXPECT_OK(ceph.setBalancerActive(false));
  EXPECT_EQ(ceph.writes(),
            (std::vector<std::string>{"balancer_optimize_ceph-planner-rebalance",
                                      "balancer_optimize_ceph-planner-rebalance-again",
                                      "balancer_execute_ceph-planner-rebalance",
                                      "balancer_mode_upmap", "balancer_off"}));
}

TEST(RecordedOutputsTest, ReweightByUtilizationDryRunAndReal) {
  FakeCephAdmin ceph((kData / "clean").string());
  auto none = ceph.testReweightByUtilization(ReweightBounds{120, 0.05, 4});
  ASSERT_OK(none);
  EXPECT_FALSE(none->changed);
  EXPECT_NEAR(none->averageUtilization, 56.426, 0.001);
  EXPECT_NEAR(none->overloadUtilization, 67.711, 0.001);
  auto some = ceph.testReweightByUtilization(ReweightBounds{101, 0.05, 4});
  ASSERT_OK(some);
  EXPECT_TRUE(some->changed);
  ASSERT_EQ(some->reweights.size(), 2u);
  EXPECT_EQ(some->reweights[1].osd, 1);
  EXPECT_NEAR(some->reweights[1].newWeight, 0.95, 0.0001);

  FakeCephAdmin off((kData / "balancer_off").string());
  auto applied = off.reweightByUtilization(ReweightBounds{101, 0.05, 4});
  ASSERT_OK(applied);
  ASSERT_EQ(applied->reweights.size(), 2u);
  EXPECT_NEAR(applied->reweights[1].oldWeight, 0.95, 0.0001);
  EXPECT_NEAR(applied->reweights[1].newWeight, 0.9208, 0.0001);
  EXPECT_OK(off.reweight(1, 0.95));
}

TEST(RecordedOutputsTest, MissingReadRecordingIsAnErrorMissingWriteSucceeds) {
  FakeCephAdmin ceph((kData / "clean").string());
  auto missing = ceph.okToStop({1});
  EXPECT_ERROR_CODE(missing, ErrorCode::Internal);
  EXPECT_NE(missing.error().message.find("osd_ok-to-stop_1.json"), std::string::npos);
  EXPECT_OK(ceph.balancerRemove("nothing-recorded"));
}

TEST(RecordedOutputsTest, ParsersRejectWhatIsNotTheirShape) {
  EXPECT_ERROR_CODE(parsePgStat("not json"), ErrorCode::Internal);
  EXPECT_ERROR_CODE(parsePgStat("{}"), ErrorCode::Internal);
  EXPECT_ERROR_CODE(parseHealth("[1,2]"), ErrorCode::Internal);
  EXPECT_ERROR_CODE(parseBalancerStatus(R"({"active":"yes","mode":"upmap"})"), ErrorCode::Internal);
  auto error = parseOsdDf("{\"nodes\": 3}");
  ASSERT_FALSE(error.has_value());
  EXPECT_NE(error.error().message.find("'ceph osd df'"), std::string::npos);
}

}  // namespace
}  // namespace ceph_planner::ceph
