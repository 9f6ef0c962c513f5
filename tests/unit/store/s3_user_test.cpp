// The cluster's generated S3 user: format, randomness, create-once storage, redaction.

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>

#include "common/testing.h"
#include "store/file_topology_store.h"
#include "store/secrets.h"

namespace ceph_planner::store {
namespace {

TEST(S3User, GeneratedKeysHaveTheAdvertisedShape) {
  auto u = generateS3User();
  ASSERT_OK(u);
  EXPECT_EQ(u->uid, "ceph-planner");
  ASSERT_EQ(u->accessKey.size(), 20u);
  ASSERT_EQ(u->secretKey.size(), 40u);
  for (char c : u->accessKey) EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) << c;
  for (char c : u->secretKey) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << c;
}

TEST(S3User, KeysDifferAcrossGenerationsAndUseTheWholeAlphabet) {
  std::set<std::string> secrets;
  std::set<char> seen;
  for (int i = 0; i < 200; ++i) {
    auto u = generateS3User();
    ASSERT_OK(u);
    secrets.insert(u->secretKey);
    seen.insert(u->secretKey.begin(), u->secretKey.end());
  }
  EXPECT_EQ(secrets.size(), 200u);
  // 8,000 draws from 62 symbols: every symbol appears (a biased or truncated alphabet would not).
  EXPECT_EQ(seen.size(), 62u);
}

TEST(S3User, RendersAndParsesBack) {
  const S3User u{"ceph-planner", "ceph-planner S3 user", "AKIA0123456789ABCDEF",
                 "abcdefghijABCDEFGHIJ0123456789klmnopqrst"};
  EXPECT_EQ(
      renderS3User(u),
      "uid=ceph-planner\ndisplay_name=ceph-planner S3 user\n"
      "access_key=AKIA0123456789ABCDEF\nsecret_key=abcdefghijABCDEFGHIJ0123456789klmnopqrst\n");
  auto back = parseS3User(renderS3User(u));
  ASSERT_OK(back);
  EXPECT_EQ(*back, u);
}

TEST(S3User, ParseRejectsMalformedFieldsWithoutEchoingThem) {
  const std::string good =
      "uid=ceph-planner\naccess_key=AKIA0123456789ABCDEF\n"
      "secret_key=abcdefghijABCDEFGHIJ0123456789klmnopqrst\n";
  ASSERT_OK(parseS3User(good));
  auto noSecret = parseS3User("uid=ceph-planner\naccess_key=AKIA0123456789ABCDEF\n");
  EXPECT_ERROR_CODE(noSecret, ErrorCode::InvalidInput);
  EXPECT_NE(noSecret.error().message.find("'secret_key'"), std::string::npos);
  auto shortSecret =
      parseS3User("uid=ceph-planner\naccess_key=AKIA0123456789ABCDEF\nsecret_key=tooshort-$(x)\n");
  EXPECT_ERROR_CODE(shortSecret, ErrorCode::InvalidInput);
  EXPECT_EQ(shortSecret.error().message.find("tooshort"), std::string::npos);
  EXPECT_ERROR_CODE(parseS3User("uid=Bad User\naccess_key=AKIA0123456789ABCDEF\n"
                                "secret_key=abcdefghijABCDEFGHIJ0123456789klmnopqrst\n"),
                    ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(parseS3User(good + "display_name=it's\n"), ErrorCode::InvalidInput);
}

class S3UserStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-s3-user-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::remove_all(dir_);
    auto s = FileTopologyStore::open({dir_.string(), std::chrono::milliseconds(50), {}});
    ASSERT_OK(s);
    store_ = std::move(s).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::unique_ptr<FileTopologyStore> store_;
};

TEST_F(S3UserStoreTest, EnsureStoresTheUserOnceAndNeverRegenerates) {
  auto first = ensureBootstrapSecrets(*store_, "c1", 1700000000000);
  ASSERT_OK(first);
  EXPECT_EQ(first->s3User.uid, "ceph-planner");
  auto stored = store_->getSecret("c1", std::string(kS3UserSecretName));
  ASSERT_OK(stored);
  EXPECT_EQ(*stored, renderS3User(first->s3User));
  auto second = ensureBootstrapSecrets(*store_, "c1", 1800000000000);
  ASSERT_OK(second);
  EXPECT_EQ(second->s3User, first->s3User);
}

TEST_F(S3UserStoreTest, AnExistingClusterWithoutAnS3UserGetsOneAndKeepsItsKeys) {
  // A cluster bootstrapped before the S3 user existed: only its keyrings are stored.
  auto fresh = generateBootstrapSecrets(1700000000000);
  ASSERT_OK(fresh);
  ASSERT_OK(store_->putSecretIfAbsent("c1", "fsid", fresh->fsid));
  for (const auto& k : fresh->keys) {
    ASSERT_OK(store_->putSecretIfAbsent("c1", keyringSecretName(k.entity), renderKeyring(k)));
  }
  auto ensured = ensureBootstrapSecrets(*store_, "c1", 1800000000000);
  ASSERT_OK(ensured);
  EXPECT_EQ(ensured->fsid, fresh->fsid);
  EXPECT_EQ(ensured->keys.front().key, fresh->keys.front().key);
  EXPECT_OK(store_->getSecret("c1", std::string(kS3UserSecretName)));
}

TEST_F(S3UserStoreTest, AMalformedStoredUserIsAnInternalError) {
  ASSERT_OK(store_->putSecretIfAbsent("c1", std::string(kS3UserSecretName), "uid=x\n"));
  EXPECT_ERROR_CODE(ensureBootstrapSecrets(*store_, "c1", 1700000000000), ErrorCode::Internal);
}

TEST(S3User, RedactedViewNamesTheUserButNoKey) {
  auto s = generateBootstrapSecrets(1700000000000);
  ASSERT_OK(s);
  const std::string view = redactedView(*s);
  EXPECT_NE(view.find("s3 user = ceph-planner"), std::string::npos);
  EXPECT_EQ(view.find(s->s3User.accessKey), std::string::npos);
  EXPECT_EQ(view.find(s->s3User.secretKey), std::string::npos);
  EXPECT_EQ(view.find(s->s3User.secretKey.substr(10, 12)), std::string::npos);
}

}  // namespace
}  // namespace ceph_planner::store
