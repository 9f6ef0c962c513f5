#include "planner/prometheus_text.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/testing.h"

namespace ceph_planner::planner {
namespace {

TEST(PrometheusText, CountersAndGaugesWithLabels) {
  const char* page =
      "# HELP ceph_rgw_req RGW requests\n"
      "# TYPE ceph_rgw_req counter\n"
      "ceph_rgw_req{ceph_daemon=\"rgw.gw.host1\",instance=\"host1:7480\"} 1234\n"
      "ceph_rgw_req{ceph_daemon=\"rgw.gw.host2\",instance=\"host2:7480\"} 5.5e3\n"
      "\n"
      "# TYPE ceph_health_status gauge\n"
      "ceph_health_status 0.0\n";
  auto parsed = parsePrometheusText(page);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->samples.size(), 3u);
  const PrometheusSample& a = parsed->samples[0];
  EXPECT_EQ(a.name, "ceph_rgw_req");
  EXPECT_DOUBLE_EQ(a.value, 1234);
  ASSERT_NE(a.label("instance"), nullptr);
  EXPECT_EQ(*a.label("instance"), "host1:7480");
  EXPECT_EQ(*a.label("ceph_daemon"), "rgw.gw.host1");
  EXPECT_EQ(a.label("job"), nullptr);
  EXPECT_DOUBLE_EQ(parsed->samples[1].value, 5500);
  EXPECT_EQ(parsed->samples[2].name, "ceph_health_status");
  EXPECT_TRUE(parsed->samples[2].labels.empty());
  EXPECT_EQ(parsed->types.at("ceph_rgw_req"), "counter");
  EXPECT_EQ(parsed->types.at("ceph_health_status"), "gauge");
}

TEST(PrometheusText, EscapesSpacingTimestampsAndSpecialValues) {
  const char* page =
      "  metric_a { path = \"C:\\\\dir\" , msg=\"say \\\"hi\\\"\\nbye\", } +Inf 1700000000000\r\n"
      "metric_b -Inf\n"
      "metric_c\tNaN\n"
      "metric_d{} -1.5E-3\n"
      "x:y_z 7\n";
  auto parsed = parsePrometheusText(page);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->samples.size(), 5u);
  const PrometheusSample& a = parsed->samples[0];
  EXPECT_EQ(a.name, "metric_a");
  EXPECT_EQ(*a.label("path"), "C:\\dir");
  EXPECT_EQ(*a.label("msg"), "say \"hi\"\nbye");
  EXPECT_TRUE(std::isinf(a.value) && a.value > 0);
  ASSERT_TRUE(a.timestampMs.has_value());
  EXPECT_EQ(*a.timestampMs, 1700000000000);
  EXPECT_TRUE(std::isinf(parsed->samples[1].value) && parsed->samples[1].value < 0);
  EXPECT_TRUE(std::isnan(parsed->samples[2].value));
  EXPECT_DOUBLE_EQ(parsed->samples[3].value, -0.0015);
  EXPECT_FALSE(parsed->samples[3].timestampMs.has_value());
  EXPECT_EQ(parsed->samples[4].name, "x:y_z");
}

TEST(PrometheusText, CommentsOtherThanTypeAreSkipped) {
  auto parsed = parsePrometheusText("# just a note {with braces\n#HELP x y\n# TYPEX y z\nx 1\n");
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->samples.size(), 1u);
  EXPECT_TRUE(parsed->types.empty());
}

TEST(PrometheusText, EmptyPageHasNoSamples) {
  auto parsed = parsePrometheusText("");
  ASSERT_OK(parsed);
  EXPECT_TRUE(parsed->samples.empty());
}

struct BadCase {
  const char* text;
  const char* message;
};

class PrometheusTextErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(PrometheusTextErrors, NameTheLineAndWhatWasExpected) {
  auto parsed = parsePrometheusText(GetParam().text);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(parsed.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, PrometheusTextErrors,
    ::testing::Values(
        BadCase{"ok 1\n{a=\"b\"} 1\n", "line 2: expected a metric name, got '{'"},
        BadCase{"m{a=b} 1\n", "line 1: expected '\"' to open the value of label 'a', got 'b'"},
        BadCase{"m{a=\"b} 1\n", "line 1: unterminated value of label 'a'"},
        BadCase{"m{a=\"\\t\"} 1\n", "line 1: unknown escape '\\t' in the value of label 'a'"},
        BadCase{"m{a \"b\"} 1\n", "line 1: expected '=' after label name 'a', got '\"'"},
        BadCase{"m{a=\"b\" c=\"d\"} 1\n",
                "line 1: expected '}' or ',' after a label of 'm', got 'c'"},
        BadCase{"m{1=\"b\"} 1\n",
                "line 1: expected a label name or '}' in the labels of 'm', got '1'"},
        BadCase{"m\n", "line 1: expected a space before the value of 'm', got the end of line"},
        BadCase{"m one\n", "line 1: expected a number as the value of 'm', got 'one'"},
        BadCase{"m 1 soon\n",
                "line 1: expected a timestamp in milliseconds after the value of 'm', got 'soon'"},
        BadCase{"m 1 2 3\n", "line 1: unexpected '3' after the sample of 'm'"},
        BadCase{"# TYPE m\n", "line 1: expected a type after 'm', got the end of line"},
        BadCase{"# TYPE m countr\n", "line 1: unknown metric type 'countr' for 'm'"}));

}  // namespace
}  // namespace ceph_planner::planner
