#include "planner/template_text.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "planner/shared_text.h"

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

// Values on a base store only their own positions, read like values of their own, and keep the
// base alive; their texts are slices of whichever storage holds the characters.
TEST(TemplateTextTest, ValuesOnABaseStoreOnlyTheirOwnPositions) {
  std::vector<std::string_view> first = {"/ceph/c/osd/h1-s00", "h1.example.com", "/dev/sdb"};
  std::vector<std::string_view> second = {"/ceph/c/osd/h1-s01", "ignored", "/dev/sdc"};
  const uint64_t own = 0b101;  // Positions 0 and 2.
  TemplateText::Values derived;
  SharedText host;
  SharedText device;
  const void* baseStorage = nullptr;
  {
    TemplateText::Values base(first.data(), first.size());
    baseStorage = base.storage();
    derived = TemplateText::Values::onBase(base, second.data(), second.size(), own);
    host = derived.text(1);
    device = derived.text(2);
    EXPECT_EQ(host.owner(), base.storage());       // The base's.
    EXPECT_EQ(device.owner(), derived.storage());  // Its own.
  }
  ASSERT_EQ(derived.count(), 3u);
  EXPECT_EQ(derived[0], "/ceph/c/osd/h1-s01");
  EXPECT_EQ(derived[1], "h1.example.com");
  EXPECT_EQ(derived[2], "/dev/sdc");
  EXPECT_EQ(host, "h1.example.com");
  EXPECT_EQ(device, "/dev/sdc");
  EXPECT_EQ(host.owner(), baseStorage);
  // Every position its own: nothing is read from the base.
  TemplateText::Values all = TemplateText::Values::onBase(derived, second.data(), 3, 0b111);
  EXPECT_EQ(all[1], "ignored");
  EXPECT_EQ(all.text(1).owner(), all.storage());
  // Empty own values and own values after inherited ones keep their places.
  std::vector<std::string_view> third = {"", "x", ""};
  TemplateText::Values sparse = TemplateText::Values::onBase(derived, third.data(), 3, 0b100);
  EXPECT_EQ(sparse[0], "/ceph/c/osd/h1-s01");
  EXPECT_EQ(sparse[1], "h1.example.com");
  EXPECT_EQ(sparse[2], "");
}

// Equal values compare equal however they are stored; built alike on byte-identical bases, they
// compare block by block, and the scope remembers the bases too (the label slices of base values
// compare at once).
TEST(TemplateTextTest, ValuesOnBasesCompareByValue) {
  std::vector<std::string_view> first = {"/ceph/c/osd/h1-s00", "h1.example.com", "/dev/sdb"};
  std::vector<std::string_view> second = {"/ceph/c/osd/h1-s01", "h1.example.com", "/dev/sdc"};
  std::vector<std::string_view> otherFirst = {"/ceph/c/osd/h1-s00", "h9.example.com", "/dev/sdb"};
  const uint64_t own = 0b101;
  TemplateText::Values baseA(first.data(), first.size());
  TemplateText::Values baseB(first.data(), first.size());
  TemplateText::Values baseC(otherFirst.data(), otherFirst.size());
  TemplateText::Values a = TemplateText::Values::onBase(baseA, second.data(), 3, own);
  TemplateText::Values b = TemplateText::Values::onBase(baseB, second.data(), 3, own);
  TemplateText::Values c = TemplateText::Values::onBase(baseC, second.data(), 3, own);  // h9.
  TemplateText::Values flat(second.data(), second.size());
  TemplateText::Values::SameScope scope;
  EXPECT_TRUE(a.sameAs(b));
  EXPECT_TRUE(TemplateText::Values::SameScope::known(a.storage(), b.storage()));
  EXPECT_TRUE(TemplateText::Values::SameScope::known(baseA.storage(), baseB.storage()));
  EXPECT_TRUE(a.sameAs(flat));
  EXPECT_TRUE(flat.sameAs(b));
  // Equal by value but laid out differently: not remembered as byte-identical.
  EXPECT_FALSE(TemplateText::Values::SameScope::known(a.storage(), flat.storage()));
  EXPECT_FALSE(TemplateText::Values::SameScope::known(flat.storage(), b.storage()));
  // Same own bytes on bases that differ: not the same values, and not remembered as such.
  EXPECT_FALSE(a.sameAs(c));
  EXPECT_FALSE(c.sameAs(flat));
  EXPECT_FALSE(TemplateText::Values::SameScope::known(a.storage(), c.storage()));
  auto p = std::make_shared<TemplateText::Pattern>();
  p->pieces = {{"host ", -1}, {"", 1}, {" dev ", -1}, {"", 2}};
  p->valueCount = 3;
  p->literalSize = 10;
  p->finish();
  EXPECT_EQ(TemplateText(p, a), TemplateText(p, flat));
  EXPECT_EQ(TemplateText(p, a).str(), "host h1.example.com dev /dev/sdc");
  EXPECT_EQ(TemplateText(p, c).str(), "host h9.example.com dev /dev/sdc");
  EXPECT_FALSE(TemplateText(p, a) == TemplateText(p, c));
}

TEST(TemplateTextTest, ALateTextSpellsTheValuesItIsReadWith) {
  auto p = runOn();
  const std::string_view first[] = {"osd", "stor01"};
  const std::string_view second[] = {"osd", "stor02"};
  const TemplateText::Values a(first, 2);
  const TemplateText::Values b(second, 2);
  const TemplateText late = TemplateText::late(p);
  EXPECT_TRUE(late.isLate());
  EXPECT_FALSE(compose(p, {"osd", "stor01"}).isLate());
  EXPECT_FALSE(TemplateText("run").isLate());
  EXPECT_FALSE(TemplateText().isLate());

  EXPECT_EQ(late.bind(a).str(), "run osd on stor01; osd");
  EXPECT_EQ(late.bind(b).str(), "run osd on stor02; osd");
  EXPECT_FALSE(late.bind(a).isLate());
  // A text that is not late ignores the values it is bound to.
  EXPECT_EQ(TemplateText("plain").bind(a), "plain");

  // One late text is as many texts as there are values.
  const TemplateText copy = late;
  EXPECT_TRUE(TemplateText::equalBound(late, a, copy, a));
  EXPECT_FALSE(TemplateText::equalBound(late, a, copy, b));
  // Against composed and plain texts, whichever side is late.
  EXPECT_TRUE(TemplateText::equalBound(late, a, compose(p, {"osd", "stor01"}), b));
  EXPECT_TRUE(TemplateText::equalBound(TemplateText("run osd on stor02; osd"), a, late, b));
  EXPECT_FALSE(TemplateText::equalBound(TemplateText("run osd on stor02; osd"), b, late, a));
  EXPECT_TRUE(TemplateText::equalBound(TemplateText("x"), a, TemplateText("x"), b));
}

TEST(TemplateTextDeathTest, ReadingALateTextWithoutValuesIsABug) {
  const TemplateText late = TemplateText::late(runOn());
  EXPECT_DEATH((void)late.str(), "late template text");
  EXPECT_DEATH((void)late.size(), "late template text");
  EXPECT_DEATH((void)(late == TemplateText("run")), "late template text");
  const std::string_view one[] = {"osd"};
  EXPECT_DEATH((void)TemplateText::equalBound(late, TemplateText::Values(one, 1), late,
                                              TemplateText::Values(one, 1)),
               "late template text");
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
