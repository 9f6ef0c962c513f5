#pragma once

// An immutable, cheaply copied string that is either plain text or a template instantiation kept
// as its compiled pattern (shared by every app of one template) plus the values of the pattern's
// placeholders.
//
// Why: an OSD's cmd is about 2.5 KB of shell of which some 150 bytes differ per OSD, and its
// binding URI and health-check command differ only by the OSD's name. Kept as text, a render of
// 120,000 OSDs writes 300 MB and a converged diff reads it twice; kept composed, a render writes
// only the values, once per app (`Values`, shared by every text of that app), and two
// instantiations of one pattern compare by their values. A composed text equals a plain text with
// the same characters (a cmd decoded from Marathon's JSON is plain), so the representation never
// shows in a comparison.
//
// Copies share their storage (reference counted, immutable), so copying an app copies no text.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "planner/shared_text.h"

namespace ceph_planner::planner {

class TemplateText {
 public:
  // Literal text, or a reference to value `value` of the instantiation.
  struct Piece {
    std::string text;
    int value = -1;  // < 0: literal.
  };
  struct Pattern {
    std::vector<Piece> pieces;
    std::size_t valueCount = 0;   // Values an instantiation supplies: 0 .. valueCount-1.
    std::size_t literalSize = 0;  // Sum of the literal pieces' sizes.
    // How often each value occurs in `pieces` (the text's size without walking the pieces);
    // empty means "count them" (a pattern built by hand).
    std::vector<uint32_t> uses;
    // The values with a non-zero `uses`, ascending (with `uses`; `finish()` fills both).
    std::vector<uint32_t> used;
    // Fills `uses` and `used` from `pieces` and `valueCount`.
    void finish();
  };

  // The values of one instantiation, back to back in one allocation. Every text composed from
  // them shares them: a template's patterns all index the template's list of placeholders.
  //
  // Values may have a base: another instantiation's values (of the same layout) from which they
  // read every value they do not store. The twelve OSDs of a host differ in half of their values
  // (id, slot, devices), so each stores about 250 bytes instead of 480: less to write per render
  // and to compare per diff.
  class Values {
   public:
    Values() = default;
    Values(const std::string_view* values, std::size_t count);
    // Values equal to `base`'s (which must have `count` values) except at the positions in
    // `own` (bit i: position i, below 64), which take `values[i]`: only those are stored, the
    // others are read from `base`, which stays alive as long as these values.
    static Values onBase(const Values& base, const std::string_view* values, std::size_t count,
                         uint64_t own);
    std::size_t count() const { return storage_ ? readU32(block()) : 0; }
    std::string_view operator[](std::size_t i) const { return locate(storage_.get(), i).second; }
    // Value `i` as a SharedText that shares the storage holding it (no copy of its characters).
    SharedText text(std::size_t i) const {
      auto [holder, value] = locate(storage_.get(), i);
      return SharedText::slice(TextStorage::share(holder), value);
    }
    // Same values (cheap when both are one storage, or were built alike from one base).
    bool sameAs(const Values& other) const;
    // Same values at `indices`.
    bool sameAt(const Values& other, const std::vector<uint32_t>& indices) const;
    // The storage, to tell whether a SharedText is a slice of it (`storage() == text.owner()`).
    const void* storage() const { return storage_.get(); }

    // While one is alive (on this thread), the last two storages found byte-identical by `sameAs`
    // are remembered, and so are the last two bases, so that the other texts of the same two
    // instances compare at once. For a diff: the storages it compares must stay alive
    // (unchanged, as they are immutable) for the scope's lifetime, or a freed storage's address
    // could be reused by one with other values.
    class SameScope {
     public:
      SameScope();
      ~SameScope();
      SameScope(const SameScope&) = delete;
      SameScope& operator=(const SameScope&) = delete;
      // Whether `a` and `b` were found byte-identical in this scope.
      static bool known(const void* a, const void* b);

     private:
      friend class Values;
      static void remember(const void* a, const void* b, bool isBase);
      SameScope* previous_;
      std::pair<const void*, const void*> last_[2] = {};  // Values, bases.
    };

   private:
    friend class TemplateText;
    // In `ends`: the value is the base's (its end is then the previous value's).
    static constexpr uint32_t kInherited = 1u << 31;
    const char* block() const { return storage_ ? storage_.get()->bytes() : nullptr; }
    static uint32_t readU32(const char* at) {
      uint32_t v = 0;
      std::memcpy(&v, at, sizeof v);
      return v;
    }
    // Value `i` of the values in `storage`, and the storage (it or a base) that holds it.
    static std::pair<TextStorage*, std::string_view> locate(TextStorage* storage, std::size_t i) {
      while (true) {
        const char* block = storage->bytes();
        const uint32_t end = readU32(block + sizeof(uint32_t) * (1 + i));
        if (end & kInherited) {
          storage = storage->base();
          continue;
        }
        const uint32_t begin = i == 0 ? 0 : readU32(block + sizeof(uint32_t) * i) & ~kInherited;
        const uint32_t count = readU32(block);
        return {storage,
                std::string_view(block + sizeof(uint32_t) * (1 + count) + begin, end - begin)};
      }
    }
    // Bytes of a block: header, ends, characters.
    static std::size_t blockSize(const char* block);
    // Whether `a` and `b`, and their bases, are byte-identical.
    static bool sameBlocks(const TextStorage* a, const TextStorage* b);
    // The storage's bytes: uint32 count, uint32 ends[count] (where each value ends, kInherited
    // set for a value of the base), then the characters.
    TextStorage::Ptr storage_;
  };

  TemplateText() = default;
  TemplateText(std::string_view text);  // NOLINT: a string.
  TemplateText(const std::string& text) : TemplateText(std::string_view(text)) {}  // NOLINT
  TemplateText(const char* text) : TemplateText(std::string_view(text)) {}         // NOLINT

  // An instantiation of `pattern` with `values`, which must hold at least `pattern->valueCount`
  // values.
  TemplateText(std::shared_ptr<const Pattern> pattern, Values values);
  // The same with values of its own: `values[0 .. pattern->valueCount)`.
  TemplateText(std::shared_ptr<const Pattern> pattern, const std::string_view* values);

  // A late text: `pattern` without values of its own. It spells the text of the values given
  // when it is read (`bind`, `equalBound`), which are those of the app that holds it
  // (AppSpec::templateValues, AppSpec::text): one fetch list and one health-check list then serve
  // every OSD of a template, where each OSD had two lists of its own to build, compare and free.
  // Reading a late text any other way (str, size, ==, ...) is a bug and aborts.
  static TemplateText late(std::shared_ptr<const Pattern> pattern);
  bool isLate() const { return pattern_ != nullptr && !values_.storage_; }
  // This text, reading `values` if it is late (which must then fit its pattern).
  TemplateText bind(const Values& values) const;
  // Whether `a` and `b` spell the same text, each reading the given values if it is late. For
  // two late texts of one pattern this compares the values the pattern reads (cheap when the two
  // value blocks were found identical in the current SameScope).
  static bool equalBound(const TemplateText& a, const Values& aValues, const TemplateText& b,
                         const Values& bValues);

  std::size_t size() const {
    if (isLate()) lateRead();
    return size_;
  }
  bool empty() const { return size() == 0; }
  std::string str() const;
  void appendTo(std::string& out) const;

  // Compare characters, whatever the representations.
  friend bool operator==(const TemplateText& a, const TemplateText& b);
  friend bool operator==(const TemplateText& a, std::string_view b) { return a.equals(b); }
  friend bool operator==(const TemplateText& a, const char* b) { return a.equals(b); }
  friend bool operator==(const TemplateText& a, const std::string& b) { return a.equals(b); }
  friend std::ostream& operator<<(std::ostream& os, const TemplateText& t) { return os << t.str(); }

 private:
  [[noreturn]] static void lateRead();
  // Plain text is value 0 of its own Values.
  static std::string_view plainOf(const Values& values) {
    return values.count() == 0 ? std::string_view() : values[0];
  }
  std::string_view plain() const { return plainOf(values_); }
  bool equals(std::string_view text) const;
  // The text that `pattern` (null: plain) spells with `values`, and its size, and comparisons of
  // two such: the members above apply them to this text's own values, `bind` and `equalBound` to
  // given ones.
  static std::size_t sizeOf(const Pattern& pattern, const Values& values);
  static void append(const Pattern* pattern, const Values& values, std::string& out);
  static bool spells(const Pattern* pattern, const Values& values, std::size_t size,
                     std::string_view text);
  static bool equalParts(const Pattern* pa, const Values& va, std::size_t sa, const Pattern* pb,
                         const Values& vb, std::size_t sb);

  std::shared_ptr<const Pattern> pattern_;  // Null: plain text.
  Values values_;
  std::size_t size_ = 0;  // Of the text (0 while late).
};

}  // namespace ceph_planner::planner
