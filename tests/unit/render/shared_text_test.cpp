#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "planner/app_spec.h"
#include "planner/shared_text.h"
#include "planner/template_text.h"

namespace ceph_planner::planner {
namespace {

TEST(SharedTextTest, OwnsACopyAndItsCopiesShareIt) {
  std::string source = "/dev/disk/by-path/pci-0000:3b:00.0-sas-phy0-lun-0";
  SharedText a(source);
  source.assign("changed");  // The text owns a copy.
  EXPECT_EQ(a, "/dev/disk/by-path/pci-0000:3b:00.0-sas-phy0-lun-0");
  SharedText b = a;
  EXPECT_EQ(b.data(), a.data());  // A copy shares the characters.
  SharedText c = std::move(a);
  EXPECT_EQ(c.data(), b.data());
  a = SharedText("other");
  EXPECT_EQ(a, "other");
  EXPECT_EQ(b, c);
}

TEST(SharedTextTest, EmptyAndLiteralTextsAllocateNothing) {
  SharedText empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty, "");
  EXPECT_EQ(SharedText(std::string_view()), empty);
  SharedText literal = SharedText::literal(kLabelRole);
  EXPECT_EQ(literal.data(), kLabelRole);  // Kept by reference.
  EXPECT_EQ(literal, SharedText(std::string(kLabelRole)));
}

TEST(SharedTextTest, ComparesByCharactersWithAnyString) {
  SharedText host("stor01");
  EXPECT_EQ(host, std::string("stor01"));
  EXPECT_EQ(host, std::string_view("stor01"));
  EXPECT_EQ(host, SharedText::literal("stor01"));
  EXPECT_NE(host, "stor02");
  EXPECT_NE(host, SharedText("stor0"));
  EXPECT_LT(host, SharedText("stor02"));
  EXPECT_LT(SharedText("stor00"), std::string_view("stor01"));
  EXPECT_EQ(std::string("host=") + host, "host=stor01");
  EXPECT_EQ(host + std::string("/s01"), "stor01/s01");
  EXPECT_EQ("[" + host + "]", "[stor01]");
  EXPECT_EQ(host.str(), "stor01");
}

TEST(SharedTextTest, SlicesOfInstanceValuesOutliveTheValues) {
  SharedText device;
  SharedText host;
  {
    const std::string_view values[] = {"/ceph/c/osd/h1-s00", "h1.example.com", "/dev/sdb"};
    TemplateText::Values block(values, 3);
    host = block.text(1);
    device = block.text(2);
    EXPECT_EQ(host.data(), block[1].data());  // A slice, not a copy.
  }
  EXPECT_EQ(host, "h1.example.com");
  EXPECT_EQ(device, "/dev/sdb");
}

TEST(SharedTextTest, LabelsFindAndSetSharedValues) {
  Labels labels;
  setKeyValue(labels, Key::literal(kLabelRole), SharedText::literal("osd"));
  setKeyValue(labels, Key::literal(kLabelHost), SharedText("h1"));
  setKeyValue(labels, Key::literal(kLabelRole), SharedText("mon"));
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(labels[0].first, kLabelHost);  // Sorted by key.
  const SharedText* role = findKeyValue(labels, kLabelRole);
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(*role, "mon");
  EXPECT_EQ(findKeyValue(labels, kLabelSlot), nullptr);
}

}  // namespace
}  // namespace ceph_planner::planner
