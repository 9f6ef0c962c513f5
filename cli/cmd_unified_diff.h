#pragma once

// A unified line diff of two texts (`diff -u` style), for `diff-versions`. Pure.
//
// Lines are compared with their line break, so a last line without one differs from the same line
// with one (and is marked `\ No newline at end of file`). The edit script is Myers' shortest one
// after stripping the common head and tail; when the two middles differ in more than
// `kMaxEditLines` lines the middle is shown as removed and then added as a whole, which keeps time
// and memory bounded for huge unrelated documents (a 1,000-host topology has about 100,000 lines).

#include <string>
#include <string_view>

namespace ceph_planner::cli {

inline constexpr int kMaxEditLines = 2000;

struct UnifiedDiffOptions {
  std::string fromLabel;  // After `--- `.
  std::string toLabel;    // After `+++ `.
  int context = 3;        // Unchanged lines shown around each change.
};

struct UnifiedDiff {
  std::string text;  // "" when the texts are equal; otherwise headers and `@@` hunks.
  int added = 0;     // Lines only in the new text.
  int removed = 0;   // Lines only in the old text.
};

UnifiedDiff unifiedDiff(std::string_view before, std::string_view after,
                        const UnifiedDiffOptions& options);

}  // namespace ceph_planner::cli
