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

TemplateText::Values::SameScope::SameScope() : previous_(tSameScope) {
  tSameScope = this;
}

TemplateText::Values::SameScope::~SameScope() {
  tSameScope = previous_;
}

bool TemplateText::Values::SameScope::known(const void* a, const void* b) {
  const SameScope* scope = tSameScope;
  if (scope == nullptr || a == nullptr) return false;
  for (const auto& [x, y] : scope->last_) {
    if (x == a && y == b) return true;
  }
  return false;
}

void TemplateText::Values::SameScope::remember(const void* a, const void* b, bool isBase) {
  if (SameScope* scope = tSameScope) scope->last_[isBase ? 1 : 0] = {a, b};
}

std::size_t TemplateText::Values::blockSize(const char* block) {
  const uint32_t count = readU32(block);
  const std::size_t header = sizeof(uint32_t) * (1 + count);
  return header + (count == 0 ? 0 : readU32(block + sizeof(uint32_t) * count) & ~kInherited);
}

namespace {

// The characters a block stores: an end keeps 31 bits (the top one marks a value of the base).
void checkChars(std::size_t chars) {
  checkedSize32(chars, "template values", std::size_t{1} << 31);
}

}  // namespace

TemplateText::Values::Values(const std::string_view* values, std::size_t count) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < count; ++i) chars += values[i].size();
  checkChars(chars);
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

TemplateText::Values TemplateText::Values::onBase(const Values& base,
                                                  const std::string_view* values, std::size_t count,
                                                  uint64_t own) {
  if (base.count() != count || count > 64) {
    // A bug in the caller: fatal rather than values that silently read the wrong base.
    std::fprintf(stderr, "fatal: %zu values on a base of %zu\n", count, base.count());
    std::abort();
  }
  if (own == (count == 64 ? ~uint64_t{0} : (uint64_t{1} << count) - 1)) {
    return Values(values, count);  // Nothing to share.
  }
  std::size_t chars = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (own & (uint64_t{1} << i)) chars += values[i].size();
  }
  checkChars(chars);
  const std::size_t header = sizeof(uint32_t) * (1 + count);
  TextStorage::Ptr storage = TextStorage::create(header + chars, base.storage_);
  char* out = storage.get()->bytes();
  writeU32(out, static_cast<uint32_t>(count));
  std::size_t at = 0;
  for (std::size_t i = 0; i < count; ++i) {
    uint32_t end = static_cast<uint32_t>(at) | kInherited;
    if (own & (uint64_t{1} << i)) {
      values[i].copy(out + header + at, values[i].size());
      at += values[i].size();
      end = static_cast<uint32_t>(at);
    }
    writeU32(out + sizeof(uint32_t) * (1 + i), end);
  }
  Values result;
  result.storage_ = std::move(storage);
  return result;
}

bool TemplateText::Values::sameBlocks(const TextStorage* a, const TextStorage* b) {
  const TextStorage* const topA = a;
  const TextStorage* const topB = b;
  while (a != b && !SameScope::known(a, b)) {  // A pair is remembered only once all of it matched.
    if (a == nullptr || b == nullptr) return false;
    const std::size_t size = blockSize(a->bytes());
    if (size != blockSize(b->bytes()) || std::memcmp(a->bytes(), b->bytes(), size) != 0) {
      return false;
    }
    a = a->base();
    b = b->base();
  }
  SameScope::remember(topA, topB, false);
  if (topA->base() != topB->base()) SameScope::remember(topA->base(), topB->base(), true);
  return true;
}

bool TemplateText::Values::sameAs(const Values& other) const {
  if (storage_ == other.storage_) return true;
  if (!storage_ || !other.storage_) return count() == other.count();
  if (SameScope::known(storage(), other.storage())) return true;
  if (!sameBlocks(storage_.get(), other.storage_.get())) {
    // The same values may be stored differently (one has a base, the other not): by value.
    // Not remembered: the scope vouches for byte-identical storages, whose slices at one offset
    // are equal (diff's label comparison), and these are laid out differently.
    const std::size_t n = count();
    if (n != other.count()) return false;
    for (std::size_t i = 0; i < n; ++i) {
      if ((*this)[i] != other[i]) return false;
    }
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
  size_ = sizeOf(*pattern, values_);
  pattern_ = std::move(pattern);
}

TemplateText::TemplateText(std::shared_ptr<const Pattern> pattern, const std::string_view* values)
    : TemplateText(pattern, Values(values, pattern->valueCount)) {}

TemplateText TemplateText::late(std::shared_ptr<const Pattern> pattern) {
  TemplateText text;
  text.pattern_ = std::move(pattern);
  return text;
}

void TemplateText::lateRead() {
  // Late texts are read through their app's values (AppSpec::text); anything else is a bug.
  std::fprintf(stderr, "fatal: a late template text was read without its app's values\n");
  std::abort();
}

TemplateText TemplateText::bind(const Values& values) const {
  if (!isLate()) return *this;
  return TemplateText(pattern_, values);
}

std::size_t TemplateText::sizeOf(const Pattern& pattern, const Values& values) {
  std::size_t size = pattern.literalSize;
  if (pattern.uses.size() == pattern.valueCount && !pattern.used.empty()) {
    for (uint32_t i : pattern.used) size += pattern.uses[i] * values[i].size();
  } else {
    for (const Piece& piece : pattern.pieces) {
      if (piece.value >= 0) size += values[static_cast<std::size_t>(piece.value)].size();
    }
  }
  return size;
}

void TemplateText::append(const Pattern* pattern, const Values& values, std::string& out) {
  if (!pattern) {
    out += plainOf(values);
    return;
  }
  for (const Piece& piece : pattern->pieces) {
    out += piece.value < 0 ? std::string_view(piece.text)
                           : values[static_cast<std::size_t>(piece.value)];
  }
}

void TemplateText::appendTo(std::string& out) const {
  if (isLate()) lateRead();
  out.reserve(out.size() + size_);
  append(pattern_.get(), values_, out);
}

std::string TemplateText::str() const {
  if (isLate()) lateRead();
  if (!pattern_) return std::string(plain());
  std::string out;
  appendTo(out);
  return out;
}

bool TemplateText::spells(const Pattern* pattern, const Values& values, std::size_t size,
                          std::string_view text) {
  if (text.size() != size) return false;
  if (!pattern) return text == plainOf(values);
  for (const Piece& piece : pattern->pieces) {
    std::string_view part = piece.value < 0 ? std::string_view(piece.text)
                                            : values[static_cast<std::size_t>(piece.value)];
    if (text.substr(0, part.size()) != part) return false;
    text.remove_prefix(part.size());
  }
  return true;
}

bool TemplateText::equals(std::string_view text) const {
  if (isLate()) lateRead();
  return spells(pattern_.get(), values_, size_, text);
}

bool TemplateText::equalParts(const Pattern* pa, const Values& va, std::size_t sa,
                              const Pattern* pb, const Values& vb, std::size_t sb) {
  if (sa != sb) return false;
  if (sa == 0) return true;
  if (pa == pb) {
    // Same pattern (or both plain): the same values spell the same text. Different values may
    // still spell it (a value moved across a literal boundary), so fall back to the characters.
    // A text that reads a few of many values compares those; one that reads most compares all
    // of them at once.
    const std::vector<uint32_t>* used = pa ? &pa->used : nullptr;
    if (used && !used->empty() && used->size() <= 4 ? va.sameAt(vb, *used) : va.sameAs(vb)) {
      return true;
    }
    if (!pa) return plainOf(va) == plainOf(vb);
  }
  if (!pa) return spells(pb, vb, sb, plainOf(va));
  if (!pb) return spells(pa, va, sa, plainOf(vb));
  std::string b;
  b.reserve(sb);
  append(pb, vb, b);
  return spells(pa, va, sa, b);
}

bool operator==(const TemplateText& a, const TemplateText& b) {
  if (a.isLate() || b.isLate()) TemplateText::lateRead();
  return TemplateText::equalParts(a.pattern_.get(), a.values_, a.size_, b.pattern_.get(), b.values_,
                                  b.size_);
}

bool TemplateText::equalBound(const TemplateText& a, const Values& aValues, const TemplateText& b,
                              const Values& bValues) {
  if ((a.isLate() && aValues.count() < a.pattern_->valueCount) ||
      (b.isLate() && bValues.count() < b.pattern_->valueCount)) {
    lateRead();
  }
  const Values& va = a.isLate() ? aValues : a.values_;
  const Values& vb = b.isLate() ? bValues : b.values_;
  const std::size_t sa = a.isLate() ? sizeOf(*a.pattern_, va) : a.size_;
  const std::size_t sb = b.isLate() ? sizeOf(*b.pattern_, vb) : b.size_;
  return equalParts(a.pattern_.get(), va, sa, b.pattern_.get(), vb, sb);
}

}  // namespace ceph_planner::planner
