#include "planner/template_text.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ceph_planner::planner {
namespace {

void writeU32(char* at, uint32_t v) {
  std::memcpy(at, &v, sizeof v);
}

thread_local TemplateText::Values::SameScope* tSameScope = nullptr;

}  // namespace

std::size_t TemplateText::Values::blockSize(const char* block) {
  const uint32_t count = readU32(block);
  const std::size_t header = sizeof(uint32_t) * (1 + count);
  return header + (count == 0 ? 0 : readU32(block + sizeof(uint32_t) * count));
}

TemplateText::Values::SameScope::SameScope() : previous_(tSameScope) {
  tSameScope = this;
}

TemplateText::Values::SameScope::~SameScope() {
  tSameScope = previous_;
}

bool TemplateText::Values::SameScope::known(const void* a, const void* b) {
  const SameScope* scope = tSameScope;
  return scope != nullptr && a != nullptr && scope->a_ == a && scope->b_ == b;
}

TemplateText::Values::Values(const std::string_view* values, std::size_t count) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < count; ++i) chars += values[i].size();
  const std::size_t header = sizeof(uint32_t) * (1 + count);
  TextStorage::Ptr storage = TextStorage::create(header + chars);
  char* out = storage.get()->bytes();
  writeU32(out, static_cast<uint32_t>(count));
  std::size_t at = 0;
  for (std::size_t i = 0; i < count; ++i) {
    values[i].copy(out + header + at, values[i].size());
    at += values[i].size();
    writeU32(out + sizeof(uint32_t) * (1 + i), static_cast<uint32_t>(at));
  }
  storage_ = std::move(storage);
}

bool TemplateText::Values::sameAs(const Values& other) const {
  if (storage_ == other.storage_) return true;
  if (!storage_ || !other.storage_) return count() == other.count();
  if (SameScope::known(storage(), other.storage())) return true;
  const std::size_t size = blockSize(block());
  if (size != blockSize(other.block()) || std::memcmp(block(), other.block(), size) != 0) {
    return false;
  }
  if (SameScope* scope = tSameScope) {
    scope->a_ = storage();
    scope->b_ = other.storage();
  }
  return true;
}

bool TemplateText::Values::sameAt(const Values& other, const std::vector<uint32_t>& indices) const {
  if (storage_ == other.storage_) return true;
  if (SameScope::known(storage(), other.storage())) return true;
  for (uint32_t i : indices) {
    if ((*this)[i] != other[i]) return false;
  }
  return true;
}

void TemplateText::Pattern::finish() {
  uses.assign(valueCount, 0);
  for (const Piece& piece : pieces) {
    if (piece.value >= 0) ++uses[static_cast<std::size_t>(piece.value)];
  }
  used.clear();
  for (std::size_t i = 0; i < valueCount; ++i) {
    if (uses[i] != 0) used.push_back(static_cast<uint32_t>(i));
  }
}

TemplateText::TemplateText(std::string_view text) : size_(text.size()) {
  if (!text.empty()) values_ = Values(&text, 1);
}

TemplateText::TemplateText(std::shared_ptr<const Pattern> pattern, Values values)
    : values_(std::move(values)) {
  if (values_.count() < pattern->valueCount) {
    // A template compiles its patterns against the values it supplies: a mismatch is a bug.
    std::fprintf(stderr, "fatal: template text with %zu values for a pattern of %zu\n",
                 values_.count(), pattern->valueCount);
    std::abort();
  }
  size_ = pattern->literalSize;
  if (pattern->uses.size() == pattern->valueCount && !pattern->used.empty()) {
    for (uint32_t i : pattern->used) size_ += pattern->uses[i] * values_[i].size();
  } else {
    for (const Piece& piece : pattern->pieces) {
      if (piece.value >= 0) size_ += values_[static_cast<std::size_t>(piece.value)].size();
    }
  }
  pattern_ = std::move(pattern);
}

TemplateText::TemplateText(std::shared_ptr<const Pattern> pattern, const std::string_view* values)
    : TemplateText(pattern, Values(values, pattern->valueCount)) {}

void TemplateText::appendTo(std::string& out) const {
  if (!pattern_) {
    out += plain();
    return;
  }
  out.reserve(out.size() + size_);
  for (const Piece& piece : pattern_->pieces) {
    out += piece.value < 0 ? std::string_view(piece.text)
                           : values_[static_cast<std::size_t>(piece.value)];
  }
}

std::string TemplateText::str() const {
  if (!pattern_) return std::string(plain());
  std::string out;
  appendTo(out);
  return out;
}

bool TemplateText::equals(std::string_view text) const {
  if (text.size() != size_) return false;
  if (!pattern_) return text == plain();
  for (const Piece& piece : pattern_->pieces) {
    std::string_view part = piece.value < 0 ? std::string_view(piece.text)
                                            : values_[static_cast<std::size_t>(piece.value)];
    if (text.substr(0, part.size()) != part) return false;
    text.remove_prefix(part.size());
  }
  return true;
}

bool operator==(const TemplateText& a, const TemplateText& b) {
  if (a.size_ != b.size_) return false;
  if (a.size_ == 0) return true;
  if (a.pattern_ == b.pattern_) {
    // Same pattern (or both plain): the same values spell the same text. Different values may
    // still spell it (a value moved across a literal boundary), so fall back to the characters.
    // A text that reads a few of many values compares those; one that reads most compares all
    // of them at once.
    const std::vector<uint32_t>* used = a.pattern_ ? &a.pattern_->used : nullptr;
    if (used && !used->empty() && used->size() <= 4 ? a.values_.sameAt(b.values_, *used)
                                                    : a.values_.sameAs(b.values_)) {
      return true;
    }
    if (!a.pattern_) return a.plain() == b.plain();
  }
  if (!a.pattern_) return b.equals(a.plain());
  if (!b.pattern_) return a.equals(b.plain());
  return a.equals(b.str());
}

}  // namespace ceph_planner::planner
