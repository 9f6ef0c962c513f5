#include "store/record_codec.h"

#include "common/testing.h"

namespace ceph_planner::store {
namespace {

TEST(RecordCodec, ManifestRoundTripsInlineAndChunked) {
  Manifest m;
  m.version = 7;
  m.author = "alice";
  m.message = "grow \"rack\" 3";
  m.timestampMs = 1700000000123;
  m.sizeBytes = 3;
  m.checksum = checksumHex("abc");
  m.putId = "0123456789abcdef";
  m.inlineData = "abc";
  auto back = decodeManifest(encodeManifest(m), "x");
  ASSERT_OK(back);
  EXPECT_EQ(back->version, 7);
  EXPECT_EQ(back->message, m.message);
  EXPECT_EQ(back->putId, m.putId);
  ASSERT_TRUE(back->inlineData.has_value());
  EXPECT_EQ(*back->inlineData, "abc");

  m.inlineData.reset();
  m.chunkDir = "/ceph-planner/clusters/c1/chunks/0123456789abcdef";
  m.chunkCount = 5;
  back = decodeManifest(encodeManifest(m), "x");
  ASSERT_OK(back);
  EXPECT_FALSE(back->inlineData.has_value());
  EXPECT_EQ(back->chunkDir, m.chunkDir);
  EXPECT_EQ(back->chunkCount, 5);
}

TEST(RecordCodec, MalformedManifestIsInternalError) {
  EXPECT_ERROR_CODE(decodeManifest("not json", "c1/topology"), ErrorCode::Internal);
  EXPECT_ERROR_CODE(decodeManifest(R"({"version": "x"})", "c1/topology"), ErrorCode::Internal);
  auto r = decodeManifest("[]", "c1/topology");
  EXPECT_ERROR_CODE(r, ErrorCode::Internal);
  EXPECT_NE(r.error().message.find("'c1/topology'"), std::string::npos);
}

TEST(RecordCodec, ChecksumDetectsChanges) {
  EXPECT_EQ(checksumHex(""), "cbf29ce484222325");  // FNV-1a 64 offset basis.
  EXPECT_EQ(checksumHex("a"), "af63dc4c8601ec8c");
  EXPECT_NE(checksumHex("ab"), checksumHex("ba"));
}

TEST(RecordCodec, SplitChunksCoversTheDocumentExactly) {
  const std::string data(2500, 'x');
  const auto chunks = splitChunks(data, 1000);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].size(), 1000u);
  EXPECT_EQ(chunks[2].size(), 500u);
  EXPECT_EQ(splitChunks("", 1000).size(), 1u);
  EXPECT_EQ(splitChunks(std::string(1000, 'y'), 1000).size(), 1u);
}

TEST(RecordCodec, NamesAreFixedWidthAndParse) {
  EXPECT_EQ(historyName(42), "v-0000000042");
  EXPECT_EQ(parseHistoryName("v-0000000042"), 42);
  EXPECT_FALSE(parseHistoryName("v-42").has_value());
  EXPECT_FALSE(parseHistoryName("v-000000004x").has_value());
  EXPECT_FALSE(parseHistoryName("v-0000000000").has_value());
  EXPECT_EQ(chunkName(3), "c-0003");
}

TEST(RecordCodec, OsdBindingRoundTrips) {
  const OsdBinding b{12, "6f1d0c52-58a4-4c1a-9a53-2f1c3a1b0c01"};
  auto back = decodeOsdBinding(encodeOsdBinding(b), "n-s");
  ASSERT_OK(back);
  EXPECT_EQ(*back, b);
  EXPECT_ERROR_CODE(decodeOsdBinding(R"({"osd_id": "x"})", "n-s"), ErrorCode::Internal);
}

TEST(StoreNames, ConflictMessageAndNameRules) {
  EXPECT_EQ(casConflictMessage(3, 5, "bob@host"),
            "topology changed since you planned (v3 → v5) by bob@host; re-run plan");
  EXPECT_TRUE(isValidStoreName("node-1.rack_2"));
  EXPECT_TRUE(isValidStoreName("mon..keyring"));
  EXPECT_FALSE(isValidStoreName(""));
  EXPECT_FALSE(isValidStoreName(".."));
  EXPECT_FALSE(isValidStoreName("a/b"));
  EXPECT_FALSE(isValidStoreName("a b"));
}

}  // namespace
}  // namespace ceph_planner::store
