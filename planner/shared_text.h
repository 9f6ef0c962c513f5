#pragma once

// An immutable string whose copies share its characters: copying one costs a reference count,
// never an allocation. Label values are SharedTexts: an OSD's host, devices, slot and group are
// slices of the one block of placeholder values its template instantiation keeps anyway
// (TemplateText::Values), so labelling 120,000 apps allocates nothing per label, and a plan's
// identity strings (plan.h) are further copies of those slices.
//
// A SharedText reads like a `std::string_view` that owns what it views: it converts to one,
// compares by characters with any string, and `str()` makes a `std::string`.

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace ceph_planner::planner {

// `size` as 32 bits, fatal from `limit` on. Label keys, label values and template values are
// addressed with 32-bit sizes and offsets to keep them small; none comes near the limit, so one
// that does is a bug, reported as `what`.
inline uint32_t checkedSize32(std::size_t size, const char* what,
                              std::size_t limit = std::size_t{UINT32_MAX} + 1) {
  if (size >= limit) {
    std::fprintf(stderr, "fatal: %s of %zu bytes\n", what, size);
    std::abort();
  }
  return static_cast<uint32_t>(size);
}

// Immutable bytes with their reference count in front, in one allocation: what SharedTexts and
// template values (template_text.h) share. A holder is one pointer (`TextStorage::Ptr`), and a
// SharedText slice finds its storage from its own characters, so a label value is 16 bytes instead
// of a `shared_ptr` and a `string_view` (32): at 120,000 apps × 10 labels, the difference is
// megabytes written by every render and read by every diff.
class TextStorage {
 public:
  // Holds one reference.
  class Ptr {
   public:
    Ptr() = default;
    Ptr(const Ptr& other) : storage_(other.storage_) { ref(storage_); }
    Ptr(Ptr&& other) noexcept : storage_(std::exchange(other.storage_, nullptr)) {}
    Ptr& operator=(Ptr other) noexcept {
      std::swap(storage_, other.storage_);
      return *this;
    }
    ~Ptr() { unref(storage_); }
    TextStorage* get() const { return storage_; }
    explicit operator bool() const { return storage_ != nullptr; }
    friend bool operator==(const Ptr& a, const Ptr& b) { return a.storage_ == b.storage_; }

   private:
    friend class TextStorage;
    friend class SharedText;
    explicit Ptr(TextStorage* adopted) : storage_(adopted) {}
    TextStorage* storage_ = nullptr;
  };

  // Storage for `bytes` bytes, to be written through `bytes()` before it is shared. It keeps
  // `base` alive (the storage its bytes refer to, if any: template_text.h's values blocks).
  static Ptr create(std::size_t bytes) { return adopt(bytes, nullptr); }
  static Ptr create(std::size_t bytes, Ptr base) {
    return adopt(bytes, std::exchange(base.storage_, nullptr));
  }

  // The storage given as `base` to `create` (null if none).
  TextStorage* base() const { return base_; }
  // Another reference to `storage`.
  static Ptr share(TextStorage* storage) {
    ref(storage);
    return Ptr(storage);
  }

  char* bytes() { return reinterpret_cast<char*>(this + 1); }
  const char* bytes() const { return reinterpret_cast<const char*>(this + 1); }

 private:
  TextStorage() = default;
  friend class SharedText;
  // `base`: a reference the new storage takes over.
  static Ptr adopt(std::size_t bytes, TextStorage* base) {
    // Slices address their storage with 32-bit offsets.
    checkedSize32(bytes, "text storage", std::size_t{UINT32_MAX} + 1 - sizeof(TextStorage));
    void* raw = ::operator new(sizeof(TextStorage) + bytes);
    auto* storage = new (raw) TextStorage();
    storage->base_ = base;
    return Ptr(storage);
  }

  static void ref(TextStorage* s) {
    if (s) s->refs_.fetch_add(1, std::memory_order_relaxed);
  }
  static void unref(TextStorage* s) {
    while (s && s->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      TextStorage* base = s->base_;
      s->~TextStorage();
      ::operator delete(static_cast<void*>(s));
      s = base;
    }
  }
  std::atomic<uint32_t> refs_{1};
  uint32_t reserved_ = 0;        // Keeps the bytes 8-byte aligned.
  TextStorage* base_ = nullptr;  // Holds a reference.
};

class SharedText {
 public:
  SharedText() = default;
  // A copy of `text` in storage of its own (one allocation; none when empty).
  SharedText(std::string_view text) {  // NOLINT: reads like a string.
    if (text.empty()) return;
    TextStorage::Ptr storage = TextStorage::create(text.size());
    text.copy(storage.get()->bytes(), text.size());
    *this = slice(storage, std::string_view(storage.get()->bytes(), text.size()));
  }
  SharedText(const std::string& text) : SharedText(std::string_view(text)) {}  // NOLINT
  SharedText(const char* text) : SharedText(std::string_view(text)) {}         // NOLINT

  SharedText(const SharedText& other) : data_(other.data_), size_(other.size_), back_(other.back_) {
    TextStorage::ref(storage());
  }
  SharedText(SharedText&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        back_(std::exchange(other.back_, 0)) {}
  SharedText& operator=(SharedText other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(back_, other.back_);
    return *this;
  }
  ~SharedText() { TextStorage::unref(storage()); }

  // `text` must outlive every copy: a string literal or a constant with static storage.
  static SharedText literal(std::string_view text) {
    SharedText out;
    out.data_ = text.data();
    out.size_ = checkedSize32(text.size(), "shared text");
    return out;
  }
  // `text` must lie inside `owner`'s bytes, which the result keeps alive.
  static SharedText slice(const TextStorage::Ptr& owner, std::string_view text) {
    SharedText out;
    if (text.empty() || !owner) return out;
    TextStorage::ref(owner.get());
    out.data_ = text.data();
    out.size_ = checkedSize32(text.size(), "shared text");
    out.back_ = static_cast<uint32_t>(text.data() - reinterpret_cast<const char*>(owner.get()));
    return out;
  }

  std::string_view view() const { return std::string_view(data_, size_); }
  operator std::string_view() const { return view(); }  // NOLINT: reads like a string.
  std::string str() const { return std::string(view()); }
  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // The storage this text is a slice of (null for literals and the empty text).
  const void* owner() const { return storage(); }

  friend bool operator==(const SharedText& a, const SharedText& b) {
    return a.size_ == b.size_ && (a.data_ == b.data_ || a.view() == b.view());
  }
  friend bool operator==(const SharedText& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const SharedText& a, const char* b) { return a.view() == b; }
  friend bool operator==(const SharedText& a, const std::string& b) { return a.view() == b; }
  friend auto operator<=>(const SharedText& a, const SharedText& b) {
    return a.view() <=> b.view();
  }
  friend auto operator<=>(const SharedText& a, std::string_view b) { return a.view() <=> b; }
  friend std::string operator+(const std::string& a, const SharedText& b) {
    std::string out;
    out.reserve(a.size() + b.size());
    return out.append(a).append(b.view());
  }
  friend std::string operator+(const SharedText& a, const std::string& b) {
    std::string out;
    out.reserve(a.size() + b.size());
    return out.append(a.view()).append(b);
  }
  friend std::string operator+(const char* a, const SharedText& b) { return std::string(a) + b; }
  friend std::string operator+(const SharedText& a, const char* b) { return a + std::string(b); }
  friend std::ostream& operator<<(std::ostream& os, const SharedText& t) { return os << t.view(); }

 private:
  TextStorage* storage() const {
    return back_ == 0 ? nullptr : reinterpret_cast<TextStorage*>(const_cast<char*>(data_) - back_);
  }

  const char* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t back_ = 0;  // From the storage to `data_` (a slice starts after its header); 0: none.
};
static_assert(sizeof(SharedText) == 16);

}  // namespace ceph_planner::planner
