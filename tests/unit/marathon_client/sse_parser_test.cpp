#include "marathon_client/sse_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace ceph_planner::marathon {
namespace {

std::vector<SseFrame> feedAll(const std::vector<std::string>& chunks) {
  SseParser parser;
  std::vector<SseFrame> frames;
  for (const auto& c : chunks) parser.feed(c, [&](const SseFrame& f) { frames.push_back(f); });
  return frames;
}

TEST(SseParserTest, ParsesMarathonFrames) {
  auto frames =
      feedAll({"event: event_stream_attached\ndata: {\"a\":1}\n\n"
               "event: deployment_success\ndata: {\"id\":\"d\"}\n\n"});
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].event, "event_stream_attached");
  EXPECT_EQ(frames[0].data, "{\"a\":1}");
  EXPECT_EQ(frames[1].event, "deployment_success");
}

TEST(SseParserTest, FramesSplitAnywhereAcrossChunks) {
  std::string text = "event: x\r\ndata: {\"k\":\"v\"}\r\n\r\n";
  for (size_t cut = 1; cut < text.size(); ++cut) {
    auto frames = feedAll({text.substr(0, cut), text.substr(cut)});
    ASSERT_EQ(frames.size(), 1u) << "cut at " << cut;
    EXPECT_EQ(frames[0].event, "x");
    EXPECT_EQ(frames[0].data, "{\"k\":\"v\"}");
  }
}

TEST(SseParserTest, CommentsMultiLineDataAndDefaults) {
  auto frames = feedAll({": keepalive\n\ndata: a\ndata: b\n\nevent: lonely\n\n"});
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].event, "message");
  EXPECT_EQ(frames[0].data, "a\nb");
}

TEST(SseParserTest, IncompleteFrameIsHeldBack) {
  auto frames = feedAll({"event: x\ndata: 1\n"});
  EXPECT_TRUE(frames.empty());
}

}  // namespace
}  // namespace ceph_planner::marathon
