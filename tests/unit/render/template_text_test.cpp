#include "planner/template_text.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace ceph_planner::planner {
namespace {

using Pattern = TemplateText::Pattern;

// "run <v0> on <v1>; <v0>"
std::shared_ptr<const Pattern> runOn() {
  auto p = std::make_shared<Pattern>();
  p->pieces = {{"run ", -1}, {"", 0}, {" on ", -1}, {"", 1}, {"; ", -1}, {"", 0}};
  p->valueCount = 2;
  p->literalSize = 4 + 4 + 2;
  return p;
}

TemplateText compose(std::shared_ptr<const Pattern> p, std::vector<std::string_view> values) {
  return TemplateText(std::move(p), values.data());
}

TEST(TemplateTextTest, ComposedTextReadsLikeItsCharacters) {
  TemplateText t = compose(runOn(), {"osd", "stor01"});
  EXPECT_EQ(t.str(), "run osd on stor01; osd");
  EXPECT_EQ(t.size(), t.str().size());
  EXPECT_FALSE(t.empty());
  std::string out = "> ";
  t.appendTo(out);
  EXPECT_EQ(out, "> run osd on stor01; osd");
}

TEST(TemplateTextTest, EqualityComparesCharactersWhateverTheRepresentation) {
  auto p = runOn();
  TemplateText a = compose(p, {"osd", "stor01"});
  EXPECT_EQ(a, compose(p, {"osd", "stor01"}));
  EXPECT_EQ(a, TemplateText("run osd on stor01; osd"));
  EXPECT_EQ(TemplateText("run osd on stor01; osd"), a);
  EXPECT_TRUE(a == std::string_view("run osd on stor01; osd"));
  EXPECT_FALSE(a == compose(p, {"osd", "stor02"}));
  EXPECT_FALSE(a == TemplateText("run osd on stor01; osx"));
  EXPECT_FALSE(a == TemplateText("run osd on stor01; osd "));
  // The same characters from another pattern.
  auto q = std::make_shared<Pattern>();
  q->pieces = {{"run osd on ", -1}, {"", 0}, {"; osd", -1}};
  q->valueCount = 1;
  q->literalSize = 16;
  EXPECT_EQ(a, compose(q, {"stor01"}));
  EXPECT_FALSE(a == compose(q, {"stor02"}));
}

TEST(TemplateTextTest, DifferentValuesOfOnePatternMayStillSpellTheSameText) {
  // "<v0><v1>": ("ab", "c") and ("a", "bc") are the same text.
  auto p = std::make_shared<Pattern>();
  p->pieces = {{"", 0}, {"", 1}};
  p->valueCount = 2;
  EXPECT_EQ(compose(p, {"ab", "c"}), compose(p, {"a", "bc"}));
  EXPECT_FALSE(compose(p, {"ab", "c"}) == compose(p, {"a", "bd"}));
}

TEST(TemplateTextTest, APatternWithTooManyValuesIsKeptAsPlainText) {
  auto p = std::make_shared<Pattern>();
  std::vector<std::string> storage;
  for (std::size_t i = 0; i < TemplateText::kMaxValues + 1; ++i) {
    p->pieces.push_back({"", static_cast<int>(i)});
    p->pieces.push_back({",", -1});
    p->literalSize += 1;
    storage.push_back(std::to_string(i));
  }
  p->valueCount = TemplateText::kMaxValues + 1;
  std::vector<std::string_view> values(storage.begin(), storage.end());
  TemplateText t = compose(p, values);
  EXPECT_EQ(t.str(), "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,");
  EXPECT_EQ(t, TemplateText("0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,"));
}

TEST(TemplateTextTest, PlainTextBehavesLikeAString) {
  TemplateText empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.str(), "");
  EXPECT_EQ(TemplateText("x"), TemplateText(std::string("x")));
  EXPECT_FALSE(TemplateText("x") == TemplateText("y"));
}

}  // namespace
}  // namespace ceph_planner::planner
