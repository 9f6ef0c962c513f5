// Prometheus text rendering of the daemon's registry.

#include "daemon/metrics.h"

#include <gtest/gtest.h>

namespace ceph_planner::daemon {
namespace {

TEST(MetricsTest, RendersCountersGaugesAndHistogramsInStableOrder) {
  Metrics m;
  m.declareGauge("ceph_planner_leader", "leader flag");
  m.declareCounter("ceph_planner_actions_total", "actions");
  m.declareHistogram("ceph_planner_call_seconds", "latency", {0.01, 0.1});
  m.set("ceph_planner_leader", 1);
  m.increment("ceph_planner_actions_total", {{"kind", "scale"}});
  m.increment("ceph_planner_actions_total", {{"kind", "create"}}, 3);
  m.observe("ceph_planner_call_seconds", 0.005, {{"method", "getGroup"}});
  m.observe("ceph_planner_call_seconds", 0.05, {{"method", "getGroup"}});
  m.observe("ceph_planner_call_seconds", 2, {{"method", "getGroup"}});
  EXPECT_EQ(m.render(),
            "# HELP ceph_planner_actions_total actions\n"
            "# TYPE ceph_planner_actions_total counter\n"
            "ceph_planner_actions_total{kind=\"create\"} 3\n"
            "ceph_planner_actions_total{kind=\"scale\"} 1\n"
            "# HELP ceph_planner_call_seconds latency\n"
            "# TYPE ceph_planner_call_seconds histogram\n"
            "ceph_planner_call_seconds_bucket{method=\"getGroup\",le=\"0.01\"} 1\n"
            "ceph_planner_call_seconds_bucket{method=\"getGroup\",le=\"0.1\"} 2\n"
            "ceph_planner_call_seconds_bucket{method=\"getGroup\",le=\"+Inf\"} 3\n"
            "ceph_planner_call_seconds_sum{method=\"getGroup\"} 2.055\n"
            "ceph_planner_call_seconds_count{method=\"getGroup\"} 3\n"
            "# HELP ceph_planner_leader leader flag\n"
            "# TYPE ceph_planner_leader gauge\n"
            "ceph_planner_leader 1\n");
  EXPECT_EQ(m.value("ceph_planner_actions_total", {{"kind", "create"}}), 3);
  EXPECT_EQ(m.value("ceph_planner_actions_total", {{"kind", "delete"}}), 0);
}

TEST(MetricsTest, EscapesLabelValues) {
  EXPECT_EQ(escapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace ceph_planner::daemon
