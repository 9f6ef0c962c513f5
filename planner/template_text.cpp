#include "planner/template_text.h"

#include <algorithm>

namespace ceph_planner::planner {

TemplateText::TemplateText(std::shared_ptr<const Pattern> pattern, const std::string_view* values) {
  std::size_t valuesSize = 0;
  for (std::size_t i = 0; i < pattern->valueCount; ++i) valuesSize += values[i].size();
  if (pattern->valueCount > kMaxValues) {
    data_.reserve(pattern->literalSize + valuesSize);
    for (const Piece& piece : pattern->pieces) {
      data_ += piece.value < 0 ? std::string_view(piece.text) : values[piece.value];
    }
    size_ = data_.size();
    return;
  }
  data_.resize(valuesSize);
  char* out = data_.data();
  std::size_t at = 0;
  for (std::size_t i = 0; i < pattern->valueCount; ++i) {
    values[i].copy(out + at, values[i].size());
    at += values[i].size();
    ends_[i] = static_cast<uint32_t>(at);
  }
  size_ = pattern->literalSize;
  if (pattern->uses.size() == pattern->valueCount) {
    for (std::size_t i = 0; i < pattern->valueCount; ++i) {
      size_ += pattern->uses[i] * values[i].size();
    }
  } else {
    for (const Piece& piece : pattern->pieces) {
      if (piece.value >= 0) size_ += values[piece.value].size();
    }
  }
  pattern_ = std::move(pattern);
}

void TemplateText::appendTo(std::string& out) const {
  if (!pattern_) {
    out += data_;
    return;
  }
  out.reserve(out.size() + size_);
  for (const Piece& piece : pattern_->pieces) {
    out += piece.value < 0 ? std::string_view(piece.text) : value(piece.value);
  }
}

std::string TemplateText::str() const {
  if (!pattern_) return data_;
  std::string out;
  appendTo(out);
  return out;
}

bool TemplateText::equals(std::string_view text) const {
  if (text.size() != size_) return false;
  if (!pattern_) return text == data_;
  for (const Piece& piece : pattern_->pieces) {
    std::string_view part = piece.value < 0 ? std::string_view(piece.text) : value(piece.value);
    if (text.substr(0, part.size()) != part) return false;
    text.remove_prefix(part.size());
  }
  return true;
}

bool operator==(const TemplateText& a, const TemplateText& b) {
  if (a.size_ != b.size_) return false;
  if (a.pattern_ && a.pattern_ == b.pattern_) {
    // Same pattern: equal values give equal texts. Different values may still give equal texts
    // (a value moved across a literal boundary), so fall back to the characters.
    const std::size_t n = a.pattern_->valueCount;
    if (a.data_ == b.data_ && std::equal(a.ends_.begin(), a.ends_.begin() + n, b.ends_.begin())) {
      return true;
    }
  }
  if (!a.pattern_) return b.equals(a.data_);
  if (!b.pattern_) return a.equals(b.data_);
  return a.equals(b.str());
}

}  // namespace ceph_planner::planner
