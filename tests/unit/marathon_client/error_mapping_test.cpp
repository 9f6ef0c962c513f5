#include "marathon_client/error_mapping.h"

#include <gtest/gtest.h>

namespace ceph_planner::marathon {
namespace {

TEST(ErrorMappingTest, StatusCodesMapToErrorCodes) {
  EXPECT_EQ(errorCodeForStatus(400), ErrorCode::InvalidInput);
  EXPECT_EQ(errorCodeForStatus(422), ErrorCode::InvalidInput);
  EXPECT_EQ(errorCodeForStatus(401), ErrorCode::PermissionDenied);
  EXPECT_EQ(errorCodeForStatus(403), ErrorCode::PermissionDenied);
  EXPECT_EQ(errorCodeForStatus(404), ErrorCode::NotFound);
  EXPECT_EQ(errorCodeForStatus(409), ErrorCode::Conflict);
  EXPECT_EQ(errorCodeForStatus(408), ErrorCode::Timeout);
  EXPECT_EQ(errorCodeForStatus(504), ErrorCode::Timeout);
  EXPECT_EQ(errorCodeForStatus(500), ErrorCode::Unavailable);
  EXPECT_EQ(errorCodeForStatus(502), ErrorCode::Unavailable);
  EXPECT_EQ(errorCodeForStatus(503), ErrorCode::Unavailable);
  EXPECT_EQ(errorCodeForStatus(418), ErrorCode::Internal);
}

TEST(ErrorMappingTest, ConflictQuotesMessageAndNamesBlockingDeployments) {
  Error e = errorFromResponse(
      409,
      R"({"message":"App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/d1'.","deployments":[{"id":"d1"},{"id":"d2"}]})");
  EXPECT_EQ(e.code, ErrorCode::Conflict);
  EXPECT_NE(e.message.find("\"App is locked by one or more deployments."), std::string::npos)
      << e.message;
  EXPECT_NE(e.message.find("blocked by deployments 'd1', 'd2'"), std::string::npos) << e.message;
  EXPECT_EQ(lockingDeploymentIds(e), (std::vector<std::string>{"d1", "d2"}));
  // The ids survive context added by callers.
  EXPECT_EQ(lockingDeploymentIds(e.withContext("failed to put app '/a'")),
            (std::vector<std::string>{"d1", "d2"}));
}

TEST(ErrorMappingTest, ValidationDetailsArePathAndErrors) {
  Error e = errorFromResponse(
      422,
      R"j({"message":"Object is not valid","details":[{"path":"/id","errors":["must fully match regular expression 'x'"]},{"path":"/constraints(0)","errors":["UNIQUE does not accept a value","bad"]}]})j");
  EXPECT_EQ(e.code, ErrorCode::InvalidInput);
  EXPECT_EQ(e.message,
            "marathon answered 422: \"Object is not valid\": /id must fully match regular "
            "expression 'x'; /constraints(0) UNIQUE does not accept a value, bad");
  EXPECT_TRUE(lockingDeploymentIds(e).empty());
}

TEST(ErrorMappingTest, StringDetailsOfUnparseableJsonAreQuoted) {
  Error e = errorFromResponse(400, R"({"message":"Invalid JSON","details":"Unexpected end"})");
  EXPECT_EQ(e.code, ErrorCode::InvalidInput);
  EXPECT_EQ(e.message, "marathon answered 400: \"Invalid JSON\": Unexpected end");
}

TEST(ErrorMappingTest, NonJsonBodyIsQuotedShortenedOnOneLine) {
  Error e = errorFromResponse(502, "<html>\nBad Gateway\n</html>" + std::string(300, 'x'));
  EXPECT_EQ(e.code, ErrorCode::Unavailable);
  EXPECT_EQ(e.message.find('\n'), std::string::npos);
  EXPECT_LT(e.message.size(), 260u);
  EXPECT_NE(e.message.find("Bad Gateway"), std::string::npos);
}

TEST(ErrorMappingTest, NotFoundAndEmptyBody) {
  EXPECT_EQ(errorFromResponse(404, R"({"message":"App '/x' does not exist"})").message,
            "marathon answered 404: \"App '/x' does not exist\"");
  EXPECT_EQ(errorFromResponse(503, "").message, "marathon answered 503");
}

}  // namespace
}  // namespace ceph_planner::marathon
