#pragma once

// An immutable string that is either plain text or a template instantiation kept as its compiled
// pattern (shared by every app of one template) plus the values of the pattern's placeholders.
//
// Why: an OSD's cmd is about 2.5 KB of shell of which some 150 bytes differ per OSD. Kept as text,
// a render of 120,000 OSDs writes 300 MB and a converged diff reads it twice; kept composed, a
// render writes only the values, and two instantiations of one pattern compare by their values.
// A composed text equals a plain text with the same characters (a cmd decoded from Marathon's JSON
// is plain), so the representation never shows in a comparison.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ceph_planner::planner {

class TemplateText {
 public:
  static constexpr std::size_t kMaxValues = 16;

  // Literal text, or a reference to value `value` of the instantiation.
  struct Piece {
    std::string text;
    int value = -1;  // < 0: literal.
  };
  struct Pattern {
    std::vector<Piece> pieces;
    std::size_t valueCount = 0;   // Values referenced by the pieces: 0 .. valueCount-1.
    std::size_t literalSize = 0;  // Sum of the literal pieces' sizes.
    // How often each value occurs in `pieces` (the text's size without walking the pieces);
    // empty means "count them" (a pattern built by hand).
    std::vector<uint32_t> uses;
  };

  TemplateText() = default;
  TemplateText(std::string text) : size_(text.size()), data_(std::move(text)) {}  // NOLINT
  TemplateText(const char* text) : TemplateText(std::string(text)) {}             // NOLINT
  TemplateText(std::string_view text) : TemplateText(std::string(text)) {}        // NOLINT

  // An instantiation of `pattern` with `values[0 .. pattern->valueCount)`. A pattern with more
  // than kMaxValues values is instantiated as plain text.
  TemplateText(std::shared_ptr<const Pattern> pattern, const std::string_view* values);

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string str() const;
  void appendTo(std::string& out) const;

  // Compare characters, whatever the representations.
  friend bool operator==(const TemplateText& a, const TemplateText& b);
  friend bool operator==(const TemplateText& a, std::string_view b) { return a.equals(b); }
  friend bool operator==(const TemplateText& a, const char* b) { return a.equals(b); }
  friend bool operator==(const TemplateText& a, const std::string& b) { return a.equals(b); }
  friend std::ostream& operator<<(std::ostream& os, const TemplateText& t) { return os << t.str(); }

 private:
  std::string_view value(std::size_t i) const {
    const uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(data_).substr(begin, ends_[i] - begin);
  }
  bool equals(std::string_view text) const;

  std::shared_ptr<const Pattern> pattern_;   // Null: `data_` is the text.
  std::size_t size_ = 0;                     // Of the text.
  std::string data_;                         // The text, or the values back to back.
  std::array<uint32_t, kMaxValues> ends_{};  // Composed: where each value ends in `data_`.
};

}  // namespace ceph_planner::planner
