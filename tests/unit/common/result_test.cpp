#include "common/result.h"

#include <gtest/gtest.h>

#include "common/diagnostics.h"
#include "common/duration_text.h"
#include "common/strings.h"
#include "common/testing.h"

namespace ceph_planner {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return makeError(ErrorCode::InvalidInput, "odd number " + std::to_string(n));
  return n / 2;
}

TEST(ResultTest, CarriesValueOrError) {
  ASSERT_OK(half(4));
  EXPECT_EQ(half(4).value(), 2);
  EXPECT_ERROR_CODE(half(3), ErrorCode::InvalidInput);
  EXPECT_EQ(half(3).error().message, "odd number 3");
}

TEST(ResultTest, ContextIsPrefixed) {
  Error e = makeError(ErrorCode::Conflict, "version moved").withContext("failed to store topology");
  EXPECT_EQ(e.message, "failed to store topology: version moved");
  EXPECT_EQ(e.toString(), "conflict: failed to store topology: version moved");
  EXPECT_FALSE(e.isRetryable());
  EXPECT_TRUE(makeError(ErrorCode::Unavailable, "x").isRetryable());
  EXPECT_TRUE(makeError(ErrorCode::Timeout, "x").isRetryable());
}

TEST(ResultTest, VoidResult) {
  Status ok = okStatus();
  EXPECT_TRUE(ok.has_value());
  Status bad = makeError(ErrorCode::NotFound, "no such app '/x'");
  EXPECT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::NotFound);
}

TEST(ResultDeathTest, ValueOnErrorAborts) {
  EXPECT_DEATH({ (void)half(3).value(); }, "odd number 3");
}

TEST(DiagnosticTest, Formats) {
  Diagnostic d{Severity::Error, "hosts[3].devices[1].path", 12, 7, "must be an absolute path"};
  EXPECT_EQ(d.toString("t.yaml"),
            "t.yaml:12:7: error: hosts[3].devices[1].path: must be an absolute path");
  Diagnostic w{Severity::Warning, "", 0, 0, "no mons"};
  EXPECT_EQ(w.toString(), "warning: no mons");
  EXPECT_TRUE(hasErrors({d, w}));
  EXPECT_FALSE(hasErrors({w}));
}

TEST(StringsTest, ClosestMatch) {
  EXPECT_EQ(closestMatch("osd_group", {"osd_groups", "hosts", "mons"}), "osd_groups");
  EXPECT_EQ(closestMatch("zzzzzz", {"osd_groups", "hosts", "mons"}), "");
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(splitString("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(trim("  x y \n"), "x y");
  EXPECT_EQ(splitNonEmpty("//ceph/box//osd/", '/'),
            (std::vector<std::string>{"ceph", "box", "osd"}));
  EXPECT_TRUE(splitNonEmpty("///", '/').empty());
}

}  // namespace
}  // namespace ceph_planner

namespace ceph_planner {
namespace {

TEST(DurationTextTest, ParsesOperatorDurations) {
  int s = 0;
  EXPECT_TRUE(parseDurationSeconds("90s", &s));
  EXPECT_EQ(s, 90);
  EXPECT_TRUE(parseDurationSeconds("1h30m", &s));
  EXPECT_EQ(s, 5400);
  EXPECT_TRUE(parseDurationSeconds("2d", &s));
  EXPECT_EQ(s, 172800);
  EXPECT_TRUE(parseDurationSeconds("45", &s));
  EXPECT_EQ(s, 45);
  EXPECT_FALSE(parseDurationSeconds("", &s));
  EXPECT_FALSE(parseDurationSeconds("1h30", &s));
  EXPECT_FALSE(parseDurationSeconds("3w", &s));
  EXPECT_FALSE(parseDurationSeconds("m", &s));
}

}  // namespace
}  // namespace ceph_planner
