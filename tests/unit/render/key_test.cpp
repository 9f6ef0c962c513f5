#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "planner/app_spec.h"

namespace ceph_planner::planner {
namespace {

TEST(KeyTest, LiteralAndOwnedKeysCompareByTheirCharacters) {
  Key literal = Key::literal(kLabelRole);
  Key owned(std::string("ceph-planner/role"));
  EXPECT_EQ(literal, owned);
  EXPECT_EQ(owned, literal);
  EXPECT_EQ(literal, "ceph-planner/role");
  EXPECT_EQ(owned, std::string("ceph-planner/role"));
  EXPECT_FALSE(literal == Key("ceph-planner/host"));
  EXPECT_LT(Key::literal(kLabelHost), owned);
  EXPECT_EQ(literal.view().data(), kLabelRole);  // Kept by reference.
  EXPECT_NE(owned.view().data(), kLabelRole);
}

TEST(KeyTest, CopiesOwnTheirTextAndMovesLeaveAnEmptyKey) {
  std::string text = "custom-label";
  Key a(text);
  text.assign("changed");  // The key owns a copy.
  Key b = a;
  EXPECT_EQ(b, "custom-label");
  EXPECT_NE(a.view().data(), b.view().data());
  Key c = std::move(a);
  EXPECT_EQ(c, "custom-label");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): documented state.
  b = Key::literal(kLabelSlot);
  EXPECT_EQ(b, kLabelSlot);
  c = b;
  EXPECT_EQ(c.view().data(), kLabelSlot);
  Key empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty, "");
}

TEST(KeyTest, InternKeyKeepsKnownLabelKeysByReference) {
  EXPECT_EQ(internKey("ceph-planner/managed").view().data(), kLabelManaged);
  EXPECT_EQ(internKey("HAPROXY_GROUP").view().data(), kLabelHaproxyGroup);
  Key other = internKey("ceph-planner/unknown");
  EXPECT_EQ(other, "ceph-planner/unknown");
  EXPECT_NE(other.view().data(), nullptr);
}

TEST(KeyTest, KeyValuesFindEntriesWhateverTheKeysRepresentation) {
  KeyValues kv;
  setKeyValue(kv, Key::literal(kLabelRole), "osd");
  setKeyValue(kv, "ceph-planner/host", "stor01");
  setKeyValue(kv, "a-user-label", "x");
  setKeyValue(kv, std::string(kLabelRole), "mon");  // Replaces the literal-keyed entry.
  ASSERT_EQ(kv.size(), 3u);
  EXPECT_EQ(kv[0].first, "a-user-label");  // Sorted.
  ASSERT_NE(findKeyValue(kv, kLabelRole), nullptr);
  EXPECT_EQ(*findKeyValue(kv, kLabelRole), "mon");
  ASSERT_NE(findKeyValue(kv, std::string("ceph-planner/host")), nullptr);
  EXPECT_EQ(*findKeyValue(kv, kLabelHost), "stor01");
  EXPECT_EQ(findKeyValue(kv, kLabelSlot), nullptr);
}

}  // namespace
}  // namespace ceph_planner::planner
