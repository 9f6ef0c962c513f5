#include "marathon_client/auth.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "common/testing.h"

namespace ceph_planner::marathon {
namespace {

std::string writeTemp(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() /
              ("cp_auth_test_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path) << content;
  return path.string();
}

TEST(AuthTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
}

TEST(AuthTest, HeadersForEachKind) {
  EXPECT_EQ(authorizationHeader({AuthKind::Basic, "Aladdin:open sesame"}),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(authorizationHeader({AuthKind::Bearer, "tok.en"}), "Bearer tok.en");
  EXPECT_EQ(authorizationHeader({}), "");
}

TEST(AuthTest, ReadsFileAndTrimsTrailingNewline) {
  auto path = writeTemp("basic", "user:secret-pw\n");
  auto creds = loadCredentials({AuthKind::Basic, path, ""});
  ASSERT_OK(creds);
  EXPECT_EQ(creds->secret, "user:secret-pw");
  std::filesystem::remove(path);
}

TEST(AuthTest, ReadsEnvironmentVariable) {
  ::setenv("CP_AUTH_TEST_TOKEN", "abc123", 1);
  auto creds = loadCredentials({AuthKind::Bearer, "", "CP_AUTH_TEST_TOKEN"});
  ASSERT_OK(creds);
  EXPECT_EQ(creds->kind, AuthKind::Bearer);
  EXPECT_EQ(creds->secret, "abc123");
  ::unsetenv("CP_AUTH_TEST_TOKEN");
}

TEST(AuthTest, ErrorsNeverContainTheSecret) {
  auto path = writeTemp("nocolon", "justasecretvalue\n");
  auto creds = loadCredentials({AuthKind::Basic, path, ""});
  EXPECT_ERROR_CODE(creds, ErrorCode::InvalidInput);
  EXPECT_EQ(creds.error().message.find("justasecretvalue"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(AuthTest, RejectsMissingEmptyAndAmbiguousSources) {
  EXPECT_ERROR_CODE(loadCredentials({AuthKind::Bearer, "", ""}), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(loadCredentials({AuthKind::Bearer, "/x", "Y"}), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(loadCredentials({AuthKind::Bearer, "/nonexistent/cp-token", ""}),
                    ErrorCode::InvalidInput);
  ::unsetenv("CP_AUTH_TEST_UNSET");
  EXPECT_ERROR_CODE(loadCredentials({AuthKind::Bearer, "", "CP_AUTH_TEST_UNSET"}),
                    ErrorCode::InvalidInput);
  auto empty = writeTemp("empty", "\n");
  EXPECT_ERROR_CODE(loadCredentials({AuthKind::Bearer, empty, ""}), ErrorCode::InvalidInput);
  std::filesystem::remove(empty);
  auto none = loadCredentials({AuthKind::None, "", ""});
  ASSERT_OK(none);
  EXPECT_EQ(none->kind, AuthKind::None);
}

TEST(AuthTest, ParsesKindNames) {
  EXPECT_EQ(parseAuthKind("basic").value(), AuthKind::Basic);
  EXPECT_EQ(parseAuthKind("bearer").value(), AuthKind::Bearer);
  EXPECT_EQ(parseAuthKind("none").value(), AuthKind::None);
  EXPECT_ERROR_CODE(parseAuthKind("digest"), ErrorCode::InvalidInput);
}

}  // namespace
}  // namespace ceph_planner::marathon
