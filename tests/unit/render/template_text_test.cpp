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

// Values of every size from 0 to 40 bytes are kept byte for byte, back to back.
TEST(TemplateTextTest, ValuesKeepEverySize) {
  std::string source;
  for (int i = 0; i < 41; ++i) source += static_cast<char>('a' + i % 26);
  std::vector<std::string_view> raw;
  for (std::size_t n = 0; n <= 40; ++n) raw.push_back(std::string_view(source).substr(n % 3, n));
  TemplateText::Values values(raw.data(), raw.size());
  ASSERT_EQ(values.count(), raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) EXPECT_EQ(values[i], raw[i]) << i;
}

// Within a scope, storages found byte-identical are remembered (a diff's later texts of the same
// two instances compare at once); outside one, nothing is.
TEST(TemplateTextTest, SameScopeRemembersIdenticalStorages) {
  std::vector<std::string_view> raw = {"osd", "unused", "stor01"};
  TemplateText::Values a(raw.data(), raw.size());
  TemplateText::Values b(raw.data(), raw.size());
  EXPECT_TRUE(a.sameAs(b));
  EXPECT_FALSE(TemplateText::Values::SameScope::known(a.storage(), b.storage()));
  {
    TemplateText::Values::SameScope scope;
    EXPECT_FALSE(TemplateText::Values::SameScope::known(a.storage(), b.storage()));
    EXPECT_TRUE(a.sameAs(b));
    EXPECT_TRUE(TemplateText::Values::SameScope::known(a.storage(), b.storage()));
    EXPECT_FALSE(TemplateText::Values::SameScope::known(b.storage(), a.storage()));
    std::vector<std::string_view> other = {"osd", "other", "stor01"};
    TemplateText::Values c(other.data(), other.size());
    EXPECT_FALSE(a.sameAs(c));
    EXPECT_FALSE(TemplateText::Values::SameScope::known(a.storage(), c.storage()));
  }
  EXPECT_FALSE(TemplateText::Values::SameScope::known(a.storage(), b.storage()));
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
