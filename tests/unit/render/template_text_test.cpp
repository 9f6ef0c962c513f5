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

TEST(TemplateTextTest, APatternWithManyValuesComposes) {
  auto p = std::make_shared<Pattern>();
  std::vector<std::string> storage;
  for (std::size_t i = 0; i < 40; ++i) {
    p->pieces.push_back({"", static_cast<int>(i)});
    p->pieces.push_back({",", -1});
    p->literalSize += 1;
    storage.push_back(std::to_string(i));
  }
  p->valueCount = 40;
  std::vector<std::string_view> values(storage.begin(), storage.end());
  TemplateText t = compose(p, values);
  std::string expected;
  for (const auto& v : storage) expected += v + ",";
  EXPECT_EQ(t.str(), expected);
  EXPECT_EQ(t.size(), expected.size());
  EXPECT_EQ(t, TemplateText(expected));
}

// "<v2>/<v0>": a pattern that uses some of the values it is given.
std::shared_ptr<const Pattern> pathOf() {
  auto p = std::make_shared<Pattern>();
  p->pieces = {{"", 2}, {"/", -1}, {"", 0}};
  p->valueCount = 3;
  p->literalSize = 1;
  p->uses = {1, 0, 1};
  return p;
}

TEST(TemplateTextTest, TextsOfOneInstantiationShareItsValues) {
  std::vector<std::string_view> raw = {"osd", "unused", "stor01"};
  TemplateText::Values values(raw.data(), raw.size());
  ASSERT_EQ(values.count(), 3u);
  EXPECT_EQ(values[0], "osd");
  EXPECT_EQ(values[1], "unused");
  EXPECT_EQ(values[2], "stor01");
  TemplateText a(runOn(), values);  // Reads values 0 and 1 of the three.
  TemplateText b(pathOf(), values);
  EXPECT_EQ(a.str(), "run osd on unused; osd");
  EXPECT_EQ(b.str(), "stor01/osd");
  EXPECT_EQ(b.size(), b.str().size());
  // Equal values from another instantiation compare equal; a difference in a value the pattern
  // does not use does not make the texts differ.
  std::vector<std::string_view> other = {"osd", "other", "stor01"};
  TemplateText c(pathOf(), TemplateText::Values(other.data(), other.size()));
  EXPECT_EQ(b, c);
  EXPECT_FALSE(a == TemplateText(runOn(), TemplateText::Values(other.data(), other.size())));
  EXPECT_TRUE(values.sameAs(TemplateText::Values(raw.data(), raw.size())));
  EXPECT_FALSE(values.sameAs(TemplateText::Values(other.data(), other.size())));
}

TEST(TemplateTextTest, CopiesAreEqualAndIndependentOfTheOriginal) {
  auto copy = std::make_unique<TemplateText>("x");
  TemplateText kept = *copy;
  copy.reset();
  EXPECT_EQ(kept, "x");
  TemplateText composed = compose(runOn(), {"osd", "stor01"});
  TemplateText second = composed;
  composed = TemplateText("other");
  EXPECT_EQ(second.str(), "run osd on stor01; osd");
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
