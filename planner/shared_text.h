#pragma once

// An immutable string whose copies share its characters: copying one costs a reference count,
// never an allocation. Label values are SharedTexts: an OSD's host, devices, slot and group are
// slices of the one block of placeholder values its template instantiation keeps anyway
// (TemplateText::Values), so labelling 120,000 apps allocates nothing per label, and a plan's
// identity strings (plan.h) are further copies of those slices.
//
// A SharedText reads like a `std::string_view` that owns what it views: it converts to one,
// compares by characters with any string, and `str()` makes a `std::string`.

#include <compare>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace ceph_planner::planner {

class SharedText {
 public:
  SharedText() = default;
  // A copy of `text` in storage of its own (one allocation; none when empty).
  SharedText(std::string_view text) {  // NOLINT: reads like a string.
    if (text.empty()) return;
    auto storage = std::make_shared_for_overwrite<char[]>(text.size());
    text.copy(storage.get(), text.size());
    view_ = std::string_view(storage.get(), text.size());
    owner_ = std::move(storage);
  }
  SharedText(const std::string& text) : SharedText(std::string_view(text)) {}  // NOLINT
  SharedText(const char* text) : SharedText(std::string_view(text)) {}         // NOLINT

  // `text` must outlive every copy: a string literal or a constant with static storage.
  static SharedText literal(std::string_view text) {
    SharedText out;
    out.view_ = text;
    return out;
  }
  // `text` must lie inside `owner`'s storage, which the result keeps alive.
  static SharedText slice(std::shared_ptr<const char[]> owner, std::string_view text) {
    SharedText out;
    out.owner_ = std::move(owner);
    out.view_ = text;
    return out;
  }

  std::string_view view() const { return view_; }
  operator std::string_view() const { return view_; }  // NOLINT: reads like a string.
  std::string str() const { return std::string(view_); }
  const char* data() const { return view_.data(); }
  std::size_t size() const { return view_.size(); }
  bool empty() const { return view_.empty(); }
  // The storage this text is a slice of (null for literals and the empty text).
  const void* owner() const { return owner_.get(); }

  friend bool operator==(const SharedText& a, const SharedText& b) {
    return a.view_.size() == b.view_.size() &&
           (a.view_.data() == b.view_.data() || a.view_ == b.view_);
  }
  friend bool operator==(const SharedText& a, std::string_view b) { return a.view_ == b; }
  friend bool operator==(const SharedText& a, const char* b) { return a.view_ == b; }
  friend bool operator==(const SharedText& a, const std::string& b) { return a.view_ == b; }
  friend auto operator<=>(const SharedText& a, const SharedText& b) { return a.view_ <=> b.view_; }
  friend auto operator<=>(const SharedText& a, std::string_view b) { return a.view_ <=> b; }
  friend std::string operator+(const std::string& a, const SharedText& b) {
    std::string out;
    out.reserve(a.size() + b.size());
    return out.append(a).append(b.view_);
  }
  friend std::string operator+(const SharedText& a, const std::string& b) {
    std::string out;
    out.reserve(a.size() + b.size());
    return out.append(a.view_).append(b);
  }
  friend std::string operator+(const char* a, const SharedText& b) { return std::string(a) + b; }
  friend std::string operator+(const SharedText& a, const char* b) { return a + std::string(b); }
  friend std::ostream& operator<<(std::ostream& os, const SharedText& t) { return os << t.view_; }

 private:
  std::shared_ptr<const char[]> owner_;  // Null for literals and the empty text.
  std::string_view view_;
};

}  // namespace ceph_planner::planner
