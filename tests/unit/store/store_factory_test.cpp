#include "store/store_factory.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "common/testing.h"

namespace ceph_planner::store {
namespace {

class StoreFactoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv(kZkConnectEnvVar);
    ::unsetenv(kFileStoreEnvVar);
    // One directory per test and process: ctest runs the cases of this suite in parallel.
    dir_ = (std::filesystem::temp_directory_path() /
            ("cp-store-factory-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    ::unsetenv(kZkConnectEnvVar);
    ::unsetenv(kFileStoreEnvVar);
  }
  std::string dir_;
};

TEST_F(StoreFactoryTest, NoZooKeeperGivesTheFileStore) {
  StoreConfig config;
  config.fileRoot = dir_;
  auto opened = openTopologyStore(config);
  ASSERT_OK(opened);
  EXPECT_FALSE(opened->isZooKeeper);
  EXPECT_EQ(opened->description, "file store '" + dir_ + "'");
  ASSERT_OK(opened->store->putTopology("c1", {"a: 1\n", "alice", "", {0}}));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/clusters/c1/topology"));
}

TEST_F(StoreFactoryTest, FileStoreDirectoryFromEnvironment) {
  ::setenv(kFileStoreEnvVar, dir_.c_str(), 1);
  auto opened = openTopologyStore(StoreConfig{});
  ASSERT_OK(opened);
  EXPECT_EQ(opened->description, "file store '" + dir_ + "'");
}

TEST_F(StoreFactoryTest, ZooKeeperFromEnvironmentIsTriedAndFailsClearly) {
  ::setenv(kZkConnectEnvVar, "127.0.0.1:1/ceph-planner", 1);  // Nothing listens on port 1.
  StoreConfig config;
  config.fileRoot = dir_;
  config.zkConnectTimeout = std::chrono::milliseconds(300);
  auto opened = openTopologyStore(config);
  EXPECT_ERROR_CODE(opened, ErrorCode::Unavailable);
  EXPECT_FALSE(std::filesystem::exists(dir_)) << "must not fall back to the file store";
}

}  // namespace
}  // namespace ceph_planner::store
