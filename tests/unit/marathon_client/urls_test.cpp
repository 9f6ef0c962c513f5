#include "marathon_client/urls.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace ceph_planner::marathon {
namespace {

TEST(UrlsTest, BuildsPathsWithEncodedIdsAndOrderedQuery) {
  EXPECT_EQ(buildPath("/v2/apps", "/ceph/prod1/osd/stor03-s07"),
            "/v2/apps/ceph/prod1/osd/stor03-s07");
  EXPECT_EQ(buildPath("/v2/apps", "/a b?", {{"force", "true"}}), "/v2/apps/a%20b%3F?force=true");
  EXPECT_EQ(buildPath("/v2/groups", "/", {{"embed", "group.apps"}, {"embed", "group.groups"}}),
            "/v2/groups?embed=group.apps&embed=group.groups");
  EXPECT_EQ(buildPath("/v2/tasks/delete", "", {{"scale", "true"}}), "/v2/tasks/delete?scale=true");
  EXPECT_EQ(percentEncode("a/b&c=d", false), "a%2Fb%26c%3Dd");
}

TEST(UrlsTest, JoinsBaseAndPath) {
  EXPECT_EQ(joinUrl("http://m:8080", "/v2/info"), "http://m:8080/v2/info");
  EXPECT_EQ(joinUrl("http://m:8080/", "/v2/info"), "http://m:8080/v2/info");
  EXPECT_EQ(joinUrl("https://dcos/marathon", "/v2/info"), "https://dcos/marathon/v2/info");
}

TEST(UrlsTest, ResolvesRedirectLocations) {
  EXPECT_EQ(resolveLocation("http://a:1/v2/events?x=1", "http://b:2/v2/events").value(),
            "http://b:2/v2/events");
  EXPECT_EQ(resolveLocation("http://a:1/v2/events", "/v2/events?y").value(),
            "http://a:1/v2/events?y");
  EXPECT_ERROR_CODE(resolveLocation("http://a:1/x", ""), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(resolveLocation("http://a:1/x", "ftp://b/x"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(resolveLocation("http://a:1/x", "relative"), ErrorCode::InvalidInput);
}

TEST(UrlsTest, OriginAndScheme) {
  EXPECT_EQ(originOf("https://h:1/x?y"), "https://h:1");
  EXPECT_EQ(originOf("http://h"), "http://h");
  EXPECT_EQ(schemeOf("HTTPS://h"), "https");
  EXPECT_EQ(schemeOf("h:1"), "");
}

}  // namespace
}  // namespace ceph_planner::marathon
