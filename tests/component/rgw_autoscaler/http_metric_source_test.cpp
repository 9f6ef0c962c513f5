// The HTTP `MetricSource` against the synthetic endpoint (tests/fakes/fake_metrics_server) on
// loopback: what the e2e autoscaling test and the daemon rely on.

#include <gtest/gtest.h>

#include <thread>

#include "common/manual_clock.h"
#include "common/testing.h"
#include "engine/metric_source.h"
#include "sim/common/http_server.h"
#include "tests/fakes/fake_metrics_server.h"

namespace ceph_planner::engine {
namespace {

using std::chrono::seconds;

class HttpMetricSourceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(server_.start()); }

  MetricQuery query(std::string metric = "ceph_rgw_req") const {
    return MetricQuery{server_.url(), std::move(metric), "instance"};
  }

  ManualClock clock_;
  testing::FakeMetricsServer server_{clock_};
  MetricSourcePtr source_ = makeHttpMetricSource(seconds(5));
};

TEST_F(HttpMetricSourceTest, ReadsCountersThatRiseAtTheSetRate) {
  server_.setRate("h1", 100);
  server_.setRate("h2:7480", 40);
  clock_.advance(seconds(10));
  auto first = source_->read(query());
  ASSERT_OK(first);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].instance, "h1");
  EXPECT_DOUBLE_EQ((*first)[0].value, 1000);
  EXPECT_EQ((*first)[1].instance, "h2:7480");
  EXPECT_DOUBLE_EQ((*first)[1].value, 400);

  // A rate change keeps the counter's value so far.
  server_.setRate("h1", 10);
  clock_.advance(seconds(10));
  auto second = source_->read(query());
  ASSERT_OK(second);
  EXPECT_DOUBLE_EQ((*second)[0].value, 1100);
  EXPECT_EQ(server_.scrapes(), 2);

  RateTracker rates;
  EXPECT_FALSE(rates.observe("h1", (*first)[0].value, seconds(10)).has_value());
  EXPECT_DOUBLE_EQ(rates.observe("h1", (*second)[0].value, seconds(20)).value(), 10);
}

TEST_F(HttpMetricSourceTest, AnAbsentMetricIsAnEmptyList) {
  server_.setRate("h1", 100);
  auto read = source_->read(query("ceph_rgw_get"));
  ASSERT_OK(read);
  EXPECT_TRUE(read->empty());
}

TEST_F(HttpMetricSourceTest, ANotFoundPageIsInvalidInputNamingTheUrl) {
  MetricQuery q = query();
  q.url += "/missing";
  auto read = source_->read(q);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(read.error().message, "failed to read metrics from '" + q.url + "': http status 404");
}

TEST_F(HttpMetricSourceTest, AClosedPortIsUnavailable) {
  auto port = sim::pickFreePort("127.0.0.1");
  ASSERT_OK(port);
  auto read = source_->read(
      {"http://127.0.0.1:" + std::to_string(*port) + "/metrics", "ceph_rgw_req", "instance"});
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::Unavailable) << read.error().toString();
  EXPECT_TRUE(read.error().isRetryable());
}

}  // namespace
}  // namespace ceph_planner::engine
