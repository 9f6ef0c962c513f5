// The unified line diff behind `diff-versions`: exact output on small cases, and a patch
// round-trip (applying the printed hunks to the old text gives the new text) on random edits,
// large documents and the bounded fallback.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cmd_unified_diff.h"

namespace ceph_planner::cli {
namespace {

const UnifiedDiffOptions kLabels{"old", "new", 3};

// Lines with their '\n' (mirrors the diff's own view; the last may lack it).
std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, end - start + 1));
    start = end + 1;
  }
  return out;
}

// A minimal `patch`: applies the hunks of `diff` to `before`, checking every context and removed
// line against the old text. Fails the test on any mismatch.
std::string applyPatch(const std::string& before, const std::string& diff) {
  std::vector<std::string> old = linesOf(before);
  std::vector<std::string> patch = linesOf(diff);
  std::vector<std::string> out;
  size_t next = 0;  // Next old line not yet copied.
  EXPECT_GE(patch.size(), 3u);
  for (size_t i = 2; i < patch.size();) {  // Skip the --- and +++ headers.
    const std::string& header = patch[i++];
    EXPECT_EQ(header.rfind("@@ -", 0), 0u) << header;
    std::string range = header.substr(4, header.find(' ', 4) - 4);
    size_t comma = range.find(',');
    long oldStart = std::stol(range.substr(0, comma));
    long oldCount = comma == std::string::npos ? 1 : std::stol(range.substr(comma + 1));
    size_t firstOld = static_cast<size_t>(oldCount == 0 ? oldStart : oldStart - 1);
    EXPECT_LE(next, firstOld);
    for (; next < firstOld && next < old.size(); ++next) out.push_back(old[next]);
    bool pushed = false;  // Whether the previous patch line produced an output line.
    while (i < patch.size() && patch[i].rfind("@@", 0) != 0) {
      const std::string& line = patch[i++];
      if (line.rfind("\\ No newline", 0) == 0) {
        if (pushed) out.back().pop_back();
        continue;
      }
      std::string body = line.substr(1);
      bool noNewline = i < patch.size() && patch[i].rfind("\\ No newline", 0) == 0;
      if (line[0] == '+') {
        out.push_back(body);
        pushed = true;
        continue;
      }
      EXPECT_LT(next, old.size()) << "hunk runs past the old text";
      if (next >= old.size()) return "";
      std::string expected = old[next++];
      if (noNewline) body.pop_back();
      EXPECT_EQ(body, expected) << "context or removed line differs";
      pushed = line[0] == ' ';
      if (pushed) out.push_back(body + (noNewline ? "\n" : ""));
    }
  }
  for (; next < old.size(); ++next) out.push_back(old[next]);
  std::string text;
  for (const auto& line : out) text += line;
  return text;
}

// Length of the longest common subsequence of lines (the minimal script keeps exactly that many).
int lcsLength(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<int>> t(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
    }
  }
  return t[0][0];
}

TEST(UnifiedDiffTest, EqualTextsGiveNoDiff) {
  UnifiedDiff d = unifiedDiff("a\nb\n", "a\nb\n", kLabels);
  EXPECT_EQ(d.text, "");
  EXPECT_EQ(d.added, 0);
  EXPECT_EQ(d.removed, 0);
}

TEST(UnifiedDiffTest, OneChangedLineWithContext) {
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  UnifiedDiff d = unifiedDiff(before, after, kLabels);
  EXPECT_EQ(d.text,
            "--- old\n+++ new\n"
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  EXPECT_EQ(d.added, 1);
  EXPECT_EQ(d.removed, 1);
}

TEST(UnifiedDiffTest, DistantChangesMakeSeparateHunksAndCloseOnesMerge) {
  std::string before;
  for (int i = 1; i <= 20; ++i) before += std::to_string(i) + "\n";
  std::string after = before;
  after.replace(after.find("2\n"), 2, "two\n");
  after.replace(after.find("\n18\n") + 1, 3, "");  // Remove line 18.
  UnifiedDiff d = unifiedDiff(before, after, kLabels);
  EXPECT_EQ(d.text,
            "--- old\n+++ new\n"
            "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
            "@@ -15,6 +15,5 @@\n 15\n 16\n 17\n-18\n 19\n 20\n");
  // Six unchanged lines between two changes: still one hunk.
  std::string near = "a\nb\nc\nd\ne\nf\ng\nh\n";
  UnifiedDiff merged = unifiedDiff(near, "A\nb\nc\nd\ne\nf\ng\nH\n", kLabels);
  EXPECT_EQ(merged.text,
            "--- old\n+++ new\n@@ -1,8 +1,8 @@\n-a\n+A\n b\n c\n d\n e\n f\n g\n-h\n+H\n");
}

TEST(UnifiedDiffTest, InsertionIntoEmptyAndDeletionOfEverything) {
  EXPECT_EQ(unifiedDiff("", "x\ny\n", kLabels).text, "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n");
  EXPECT_EQ(unifiedDiff("x\n", "", kLabels).text, "--- old\n+++ new\n@@ -1 +0,0 @@\n-x\n");
}

TEST(UnifiedDiffTest, AMissingFinalNewlineIsAChangeAndIsMarked) {
  UnifiedDiff d = unifiedDiff("a\nb\n", "a\nb", kLabels);
  EXPECT_EQ(d.text,
            "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n");
}

TEST(UnifiedDiffTest, TheFallbackForHugeUnrelatedMiddlesIsStillAValidPatch) {
  std::string before;
  std::string after;
  for (int i = 0; i < kMaxEditLines; ++i) {
    before += "old " + std::to_string(i) + "\n";
    after += "new " + std::to_string(i) + "\n";
  }
  before = "head\n" + before + "tail\n";
  after = "head\n" + after + "tail\n";
  UnifiedDiff d = unifiedDiff(before, after, kLabels);
  EXPECT_EQ(d.added, kMaxEditLines);
  EXPECT_EQ(d.removed, kMaxEditLines);
  EXPECT_EQ(applyPatch(before, d.text), after);
}

TEST(UnifiedDiffTest, AHundredThousandLineDocumentWithAFewEditsIsFastAndMinimal) {
  std::string before;
  for (int i = 0; i < 100000; ++i) before += "  - host-" + std::to_string(i) + ": { x: 1 }\n";
  std::string after = before;
  after.replace(after.find("host-500:"), 9, "host-5OO:");
  after.insert(after.find("  - host-70000:"), "  - inserted\n");
  UnifiedDiff d = unifiedDiff(before, after, kLabels);
  EXPECT_EQ(d.added, 2);
  EXPECT_EQ(d.removed, 1);
  EXPECT_EQ(applyPatch(before, d.text), after);
}

TEST(UnifiedDiffTest, RandomEditsRoundTripThroughPatchAndAreShortest) {
  std::mt19937 rng(12345);
  const std::vector<std::string> alphabet = {"a\n", "b\n", "c\n", "d\n", "e\n", "f"};
  for (int round = 0; round < 400; ++round) {
    auto randomText = [&] {
      std::string text;
      int n = static_cast<int>(rng() % 30);
      for (int i = 0; i < n; ++i) {
        const std::string& line = alphabet[rng() % (alphabet.size() - 1)];
        text += line;
      }
      if (rng() % 4 == 0) text += rng() % 2 ? "a" : "f";  // Sometimes no final newline.
      return text;
    };
    std::string before = randomText();
    std::string after = randomText();
    UnifiedDiff d = unifiedDiff(before, after, kLabels);
    SCOPED_TRACE("before:\n" + before + "\nafter:\n" + after + "\ndiff:\n" + d.text);
    if (before == after) {
      EXPECT_EQ(d.text, "");
      continue;
    }
    EXPECT_EQ(applyPatch(before, d.text), after);
    // Myers gives a shortest script: it keeps as many lines as the longest common subsequence.
    std::vector<std::string> a = linesOf(before);
    std::vector<std::string> b = linesOf(after);
    int kept = lcsLength(a, b);
    EXPECT_EQ(d.removed, static_cast<int>(a.size()) - kept);
    EXPECT_EQ(d.added, static_cast<int>(b.size()) - kept);
  }
}

}  // namespace
}  // namespace ceph_planner::cli
