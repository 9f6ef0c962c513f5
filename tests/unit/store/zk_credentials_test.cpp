#include "store/zk_credentials.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/testing.h"

namespace ceph_planner::store {
namespace {

// Expected digest computed independently: base64(sha1(b"planner:s3cret")) in Python.
constexpr const char* kDigest = "planner:NJ4xHdAU1z9b4sj7290JFjQTzYM=";

TEST(ZkCredentials, NoneConfiguredIsNoCredentials) {
  auto c = loadZkCredentials("", "");
  ASSERT_OK(c);
  EXPECT_FALSE(c->has_value());
}

TEST(ZkCredentials, FromEnvironmentVariable) {
  ::setenv("CP_UNIT_ZK_CREDS", "planner:s3cret", 1);
  auto c = loadZkCredentials("", "CP_UNIT_ZK_CREDS");
  ASSERT_OK(c);
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->user, "planner");
  EXPECT_EQ((*c)->password, "s3cret");
  EXPECT_EQ((*c)->digestId, kDigest);
}

TEST(ZkCredentials, FromFileFirstLineOnly) {
  const auto path = std::filesystem::temp_directory_path() / "cp-unit-zk-creds";
  {
    std::ofstream out(path);
    out << "planner:s3cret\nignored: line\n";
  }
  auto c = loadZkCredentials(path.string(), "CP_UNIT_ZK_IGNORED_WHEN_FILE_GIVEN");
  std::filesystem::remove(path);
  ASSERT_OK(c);
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->digestId, kDigest);
}

TEST(ZkCredentials, ErrorsNeverEchoTheSecret) {
  EXPECT_ERROR_CODE(loadZkCredentials("/nonexistent/cp-creds", ""), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(loadZkCredentials("", "CP_UNIT_ZK_UNSET_VARIABLE"), ErrorCode::NotFound);
  for (const char* bad : {"no-colon-topsecret", ":topsecret", "user:"}) {
    ::setenv("CP_UNIT_ZK_BAD", bad, 1);
    auto c = loadZkCredentials("", "CP_UNIT_ZK_BAD");
    EXPECT_ERROR_CODE(c, ErrorCode::InvalidInput);
    EXPECT_EQ(c.error().message.find("topsecret"), std::string::npos) << c.error().message;
  }
}

}  // namespace
}  // namespace ceph_planner::store
