#include "cli/cmd_unified_diff.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ceph_planner::cli {
namespace {

enum class Op { Keep, Remove, Add };

// One step of the edit script. `a` indexes the old lines (Keep, Remove), `b` the new (Keep, Add).
struct Edit {
  Op op;
  size_t a;
  size_t b;
};

// Lines including their '\n' (the last one may lack it).
std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, end - start + 1));
    start = end + 1;
  }
  return out;
}

// Myers' greedy shortest edit script between a[0, n) and b[0, m) (line ids). Keeps one snapshot of
// the furthest-reaching x per diagonal per edit distance, O(D²) memory, to walk the path back.
// Returns false when the distance exceeds `kMaxEditLines`.
bool shortestEdit(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b,
                  std::vector<Edit>* out) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int limit = std::min(n + m, kMaxEditLines);
  const int offset = limit + 1;
  std::vector<int> v(2 * static_cast<size_t>(limit) + 3, 0);
  std::vector<std::vector<int>> trace;
  int found = -1;
  for (int d = 0; d <= limit && found < 0; ++d) {
    for (int k = -d; k <= d; k += 2) {
      int x;
      if (d == 0) {
        x = 0;
      } else if (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) {
        x = v[offset + k + 1];  // Down: a line of b is added.
      } else {
        x = v[offset + k - 1] + 1;  // Right: a line of a is removed.
      }
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) {
        ++x;
        ++y;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.emplace_back(v.begin() + offset - d, v.begin() + offset + d + 1);
  }
  if (found < 0) return false;

  std::vector<Edit> reversed;
  int x = n;
  int y = m;
  for (int d = found; d > 0; --d) {
    const std::vector<int>& previous = trace[d - 1];
    auto at = [&](int k) { return previous[k + d - 1]; };
    int k = x - y;
    bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
    int previousK = down ? k + 1 : k - 1;
    int previousX = at(previousK);
    int previousY = previousX - previousK;
    int snakeX = down ? previousX : previousX + 1;
    while (x > snakeX) {
      --x;
      --y;
      reversed.push_back({Op::Keep, static_cast<size_t>(x), static_cast<size_t>(y)});
    }
    if (down) {
      reversed.push_back({Op::Add, static_cast<size_t>(previousX), static_cast<size_t>(previousY)});
    } else {
      reversed.push_back({Op::Remove, static_cast<size_t>(previousX), static_cast<size_t>(y)});
    }
    x = previousX;
    y = previousY;
  }
  while (x > 0) {
    --x;
    --y;
    reversed.push_back({Op::Keep, static_cast<size_t>(x), static_cast<size_t>(y)});
  }
  out->assign(reversed.rbegin(), reversed.rend());
  return true;
}

// The whole edit script: common head and tail kept, Myers (or a bulk replacement) in between.
std::vector<Edit> editScript(const std::vector<std::string_view>& before,
                             const std::vector<std::string_view>& after) {
  size_t head = 0;
  while (head < before.size() && head < after.size() && before[head] == after[head]) ++head;
  size_t tail = 0;
  while (tail < before.size() - head && tail < after.size() - head &&
         before[before.size() - 1 - tail] == after[after.size() - 1 - tail]) {
    ++tail;
  }
  std::vector<Edit> edits;
  for (size_t i = 0; i < head; ++i) edits.push_back({Op::Keep, i, i});

  // Lines as small integers, so that the middle compares ids instead of strings.
  std::unordered_map<std::string_view, uint32_t> ids;
  auto idsOf = [&](const std::vector<std::string_view>& lines) {
    std::vector<uint32_t> out;
    for (size_t i = head; i < lines.size() - tail; ++i) {
      out.push_back(ids.try_emplace(lines[i], static_cast<uint32_t>(ids.size())).first->second);
    }
    return out;
  };
  std::vector<uint32_t> a = idsOf(before);
  std::vector<uint32_t> b = idsOf(after);
  std::vector<Edit> middle;
  if (!shortestEdit(a, b, &middle)) {
    middle.clear();
    for (size_t i = 0; i < a.size(); ++i) middle.push_back({Op::Remove, i, 0});
    for (size_t j = 0; j < b.size(); ++j) middle.push_back({Op::Add, a.size(), j});
  }
  for (const Edit& e : middle) edits.push_back({e.op, e.a + head, e.b + head});
  for (size_t i = 0; i < tail; ++i) {
    edits.push_back({Op::Keep, before.size() - tail + i, after.size() - tail + i});
  }
  return edits;
}

// `start,count` as in GNU diff: `,1` omitted; an empty range starts at the line before it.
std::string range(size_t firstIndex, size_t count) {
  size_t start = count == 0 ? firstIndex : firstIndex + 1;
  if (count == 1) return std::to_string(start);
  return std::to_string(start) + "," + std::to_string(count);
}

void appendLine(std::string& out, char marker, std::string_view line) {
  out += marker;
  if (!line.empty() && line.back() == '\n') {
    out.append(line);
  } else {
    out.append(line);
    out += "\n\\ No newline at end of file\n";
  }
}

}  // namespace

UnifiedDiff unifiedDiff(std::string_view before, std::string_view after,
                        const UnifiedDiffOptions& options) {
  UnifiedDiff result;
  if (before == after) return result;
  std::vector<std::string_view> a = splitLines(before);
  std::vector<std::string_view> b = splitLines(after);
  std::vector<Edit> edits = editScript(a, b);

  // Old and new line positions before each edit.
  std::vector<size_t> aPos(edits.size() + 1, 0);
  std::vector<size_t> bPos(edits.size() + 1, 0);
  std::vector<size_t> changes;
  for (size_t i = 0; i < edits.size(); ++i) {
    aPos[i + 1] = aPos[i] + (edits[i].op != Op::Add);
    bPos[i + 1] = bPos[i] + (edits[i].op != Op::Remove);
    if (edits[i].op == Op::Remove) ++result.removed;
    if (edits[i].op == Op::Add) ++result.added;
    if (edits[i].op != Op::Keep) changes.push_back(i);
  }

  const size_t context = static_cast<size_t>(std::max(0, options.context));
  result.text = "--- " + options.fromLabel + "\n+++ " + options.toLabel + "\n";
  for (size_t c = 0; c < changes.size();) {
    size_t last = c;
    // Merge changes separated by at most 2 × context unchanged lines into one hunk.
    while (last + 1 < changes.size() && changes[last + 1] - changes[last] <= 2 * context + 1) {
      ++last;
    }
    size_t begin = changes[c] > context ? changes[c] - context : 0;
    size_t end = std::min(edits.size(), changes[last] + context + 1);
    result.text += "@@ -" + range(aPos[begin], aPos[end] - aPos[begin]) + " +" +
                   range(bPos[begin], bPos[end] - bPos[begin]) + " @@\n";
    for (size_t i = begin; i < end; ++i) {
      const Edit& e = edits[i];
      switch (e.op) {
        case Op::Keep:
          appendLine(result.text, ' ', a[e.a]);
          break;
        case Op::Remove:
          appendLine(result.text, '-', a[e.a]);
          break;
        case Op::Add:
          appendLine(result.text, '+', b[e.b]);
          break;
      }
    }
    c = last + 1;
  }
  return result;
}

}  // namespace ceph_planner::cli
