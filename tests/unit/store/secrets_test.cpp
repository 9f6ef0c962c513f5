#include "store/secrets.h"

#include <set>

#include "common/testing.h"
#include "store/base64.h"

namespace ceph_planner::store {
namespace {

TEST(Base64, RoundTripsAllLengths) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    bytes += char(i * 37 + 11);
    const auto decoded = base64Decode(base64Encode(bytes));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, bytes);
  }
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64Encode("foob"), "Zm9vYg==");
}

TEST(Base64, RejectsMalformedText) {
  EXPECT_FALSE(base64Decode("abc").has_value());
  EXPECT_FALSE(base64Decode("ab=c").has_value());
  EXPECT_FALSE(base64Decode("a!cd").has_value());
  EXPECT_FALSE(base64Decode("Zm9vYh==").has_value());  // Non-zero padding bits.
}

// Expected text computed independently (Python: base64 of struct.pack('<HIIH', 1, 1700000000,
// 123000000, 16) + bytes(range(16))), i.e. the layout `ceph-authtool --gen-print-key` prints.
TEST(CephSecret, EncodesCephCryptoKeyLayout) {
  std::array<uint8_t, 16> secret{};
  for (int i = 0; i < 16; ++i) secret[i] = uint8_t(i);
  EXPECT_EQ(encodeCephSecret(secret, 1700000000, 123000000),
            "AQAA8VNlwNRUBxAAAAECAwQFBgcICQoLDA0ODw==");
}

TEST(CephSecret, GeneratedKeyDecodesLikeAuthtoolOutput) {
  auto key = generateCephSecret(1700000000123);
  ASSERT_OK(key);
  EXPECT_EQ(key->size(), 40u);
  EXPECT_EQ(key->substr(0, 2), "AQ");  // Type 1 (AES), little-endian.
  EXPECT_EQ(key->substr(38), "==");
  auto decoded = decodeCephSecret(*key);
  ASSERT_OK(decoded);
  EXPECT_EQ(decoded->type, 1);
  EXPECT_EQ(decoded->createdSeconds, 1700000000u);
  EXPECT_EQ(decoded->createdNanoseconds, 123000000u);
  EXPECT_EQ(decoded->secret.size(), 16u);
}

TEST(CephSecret, KeysAreRandom) {
  std::set<std::string> keys;
  for (int i = 0; i < 64; ++i) {
    auto key = generateCephSecret(1700000000000);
    ASSERT_OK(key);
    keys.insert(*key);
  }
  EXPECT_EQ(keys.size(), 64u);
}

TEST(CephSecret, DecodeRejectsWrongTypeAndLength) {
  EXPECT_ERROR_CODE(decodeCephSecret("not base64!"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(decodeCephSecret(base64Encode("short")), ErrorCode::InvalidInput);
  std::string raw(28, '\0');
  raw[0] = 2;  // Type 2 is not AES.
  raw[10] = 16;
  EXPECT_ERROR_CODE(decodeCephSecret(base64Encode(raw)), ErrorCode::InvalidInput);
  raw[0] = 1;
  raw[10] = 15;
  EXPECT_ERROR_CODE(decodeCephSecret(base64Encode(raw)), ErrorCode::InvalidInput);
  raw[10] = 16;
  EXPECT_OK(decodeCephSecret(base64Encode(raw)));
}

TEST(Uuid, IsVersion4Rfc4122) {
  std::set<std::string> seen;
  for (int i = 0; i < 32; ++i) {
    auto id = generateUuidV4();
    ASSERT_OK(id);
    ASSERT_EQ(id->size(), 36u);
    EXPECT_EQ((*id)[8], '-');
    EXPECT_EQ((*id)[13], '-');
    EXPECT_EQ((*id)[14], '4');
    EXPECT_EQ((*id)[18], '-');
    EXPECT_NE(std::string("89ab").find((*id)[19]), std::string::npos) << *id;
    EXPECT_EQ((*id)[23], '-');
    seen.insert(*id);
  }
  EXPECT_EQ(seen.size(), 32u);
}

TEST(Keyring, RendersCephKeyringFormat) {
  const KeyringEntry admin{"client.admin",
                           "AQAA8VNlwNRUBxAAAAECAwQFBgcICQoLDA0ODw==",
                           {{"mon", "allow *"}, {"osd", "allow *"}}};
  EXPECT_EQ(renderKeyring(admin),
            "[client.admin]\n"
            "\tkey = AQAA8VNlwNRUBxAAAAECAwQFBgcICQoLDA0ODw==\n"
            "\tcaps mon = \"allow *\"\n"
            "\tcaps osd = \"allow *\"\n");
}

TEST(BootstrapSecrets, GeneratesEveryEntityWithDistinctKeys) {
  auto s = generateBootstrapSecrets(1700000000000);
  ASSERT_OK(s);
  EXPECT_EQ(s->fsid.size(), 36u);
  std::vector<std::string> entities;
  std::set<std::string> keys;
  for (const auto& k : s->keys) {
    entities.push_back(k.entity);
    keys.insert(k.key);
    EXPECT_OK(decodeCephSecret(k.key));
  }
  EXPECT_EQ(entities, (std::vector<std::string>{"mon.", "client.admin", "client.bootstrap-osd",
                                                "client.bootstrap-rgw", "client.bootstrap-mgr"}));
  EXPECT_EQ(keys.size(), 5u);
  ASSERT_NE(s->find("client.bootstrap-osd"), nullptr);
  EXPECT_EQ(s->find("client.bootstrap-osd")->caps,
            (std::vector<std::pair<std::string, std::string>>{{"mon", "profile bootstrap-osd"}}));
  EXPECT_EQ(s->find("client.nobody"), nullptr);
}

TEST(BootstrapSecrets, RedactedViewHasNoKeyMaterial) {
  auto s = generateBootstrapSecrets(1700000000000);
  ASSERT_OK(s);
  const std::string view = redactedView(*s);
  EXPECT_NE(view.find(s->fsid), std::string::npos);
  EXPECT_NE(view.find("[client.admin]"), std::string::npos);
  EXPECT_NE(view.find("key = <redacted>"), std::string::npos);
  for (const auto& k : s->keys) {
    EXPECT_EQ(view.find(k.key), std::string::npos) << k.entity;
    // Not even a recognisable fragment of the random part.
    EXPECT_EQ(view.find(k.key.substr(20, 12)), std::string::npos) << k.entity;
  }
}

}  // namespace
}  // namespace ceph_planner::store
