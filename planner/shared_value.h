#pragma once

// Copy-on-write holders for the parts of an `AppSpec` that are identical across thousands of apps
// (the container of every OSD, the fetch list, the per-host constraints). Copies share one
// immutable payload; the first non-const access of a copy detaches it (copies the payload), so the
// holders behave like the `std::vector` / `std::optional` they replace. Equality is true at once
// when both sides share the payload, which makes diffing a rendered state against one rendered
// (or decoded with interning) from the same templates cheap.
//
// Caveat of every copy-on-write type: a non-const reference obtained from one holder must not be
// kept across a copy of that holder (the copy would share the payload the reference then changes).
// Take references, modify, and let them go, as the planner does.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

namespace ceph_planner::planner {

// The elements live in one allocation with their reference count (an OSD app has its own fetch
// list and health checks, so a vector's separate buffer would be a second block per app to build,
// read and free). Reads give spans; edits that change the size rebuild the array (these lists
// hold a handful of elements and are edited while being built, not afterwards).
template <typename T>
class SharedVector {
 public:
  using Vector = std::vector<T>;
  using value_type = T;
  using size_type = std::size_t;
  using reference = T&;
  using const_reference = const T&;
  using iterator = T*;
  using const_iterator = const T*;

  SharedVector() = default;
  SharedVector(std::initializer_list<T> items) {
    block_ = Block::copyOf(items.begin(), items.size());
  }
  SharedVector(const Vector& items) {
    block_ = Block::copyOf(items.data(), items.size());
  }                                                                                     // NOLINT
  SharedVector(Vector&& items) { block_ = Block::moveOf(items.data(), items.size()); }  // NOLINT
  SharedVector(const SharedVector& other) : block_(other.block_) { Block::ref(block_); }
  SharedVector(SharedVector&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  SharedVector& operator=(SharedVector other) noexcept {
    std::swap(block_, other.block_);
    return *this;
  }
  SharedVector& operator=(std::initializer_list<T> items) { return *this = SharedVector(items); }
  SharedVector& operator=(const Vector& items) { return *this = SharedVector(items); }
  SharedVector& operator=(Vector&& items) { return *this = SharedVector(std::move(items)); }
  ~SharedVector() { Block::unref(block_); }

  // Read access never copies.
  std::span<const T> get() const { return std::span<const T>(begin(), size()); }
  Vector vector() const { return Vector(begin(), end()); }
  size_type size() const { return block_ ? block_->size : 0; }
  bool empty() const { return block_ == nullptr; }
  const_iterator begin() const { return block_ ? block_->items() : nullptr; }
  const_iterator end() const { return block_ ? block_->items() + block_->size : nullptr; }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }
  const T& operator[](size_type i) const { return begin()[i]; }
  const T& at(size_type i) const {
    if (i >= size()) throw std::out_of_range("SharedVector::at");
    return begin()[i];
  }
  const T& front() const { return begin()[0]; }
  const T& back() const { return begin()[size() - 1]; }

  // Write access detaches this holder from any copy first.
  std::span<T> mut() {
    if (block_ && block_->refs.load(std::memory_order_acquire) > 1) {
      Block* copy = Block::copyOf(block_->items(), block_->size);
      Block::unref(block_);
      block_ = copy;
    }
    return block_ ? std::span<T>(block_->items(), block_->size) : std::span<T>();
  }
  iterator begin() { return mut().data(); }
  iterator end() { return begin() + size(); }
  T& operator[](size_type i) { return mut()[i]; }
  T& front() { return mut()[0]; }
  T& back() { return mut()[size() - 1]; }
  void push_back(T value) { emplace_back(std::move(value)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    edit([&](Vector& v) { v.emplace_back(std::forward<Args>(args)...); });
    return mut()[size() - 1];
  }
  void pop_back() {
    edit([](Vector& v) { v.pop_back(); });
  }
  void resize(size_type n) {
    edit([n](Vector& v) { v.resize(n); });
  }
  void clear() { *this = SharedVector(); }
  iterator erase(iterator pos) { return erase(pos, pos + 1); }
  iterator erase(iterator first, iterator last) {
    const auto at = first - begin();
    const auto count = last - first;
    edit([at, count](Vector& v) { v.erase(v.begin() + at, v.begin() + at + count); });
    return begin() + at;
  }
  template <typename... Args>
  iterator emplace(iterator pos, Args&&... args) {
    const auto at = pos - begin();
    edit([&](Vector& v) { v.emplace(v.begin() + at, std::forward<Args>(args)...); });
    return begin() + at;
  }
  iterator insert(iterator pos, T value) { return emplace(pos, std::move(value)); }

  // The payload's identity (null while empty), stable while no holder writes: lets a caller that
  // compares many apps remember payload pairs it already found equal.
  const void* payload() const { return block_; }

  friend bool operator==(const SharedVector& a, const SharedVector& b) {
    return a.block_ == b.block_ || std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
  friend bool operator==(const SharedVector& a, const Vector& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  // Reference count, size, then the elements, in one allocation. Never empty (empty is null).
  struct Block {
    std::atomic<std::size_t> refs{1};
    std::size_t size = 0;

    static constexpr std::size_t itemsOffset() {
      return (sizeof(Block) + alignof(T) - 1) / alignof(T) * alignof(T);
    }
    T* items() {
      return std::launder(reinterpret_cast<T*>(reinterpret_cast<char*>(this) + itemsOffset()));
    }
    const T* items() const {
      return std::launder(
          reinterpret_cast<const T*>(reinterpret_cast<const char*>(this) + itemsOffset()));
    }
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "over-aligned elements");
    // A block holding `n` elements made by `make(slot, i)`; null when `n` is 0.
    template <typename Make>
    static Block* build(std::size_t n, Make make) {
      if (n == 0) return nullptr;
      void* raw = ::operator new(itemsOffset() + n * sizeof(T));
      Block* block = new (raw) Block;
      std::size_t made = 0;
      try {
        for (; made < n; ++made) make(block->items() + made, made);
      } catch (...) {
        for (std::size_t i = made; i > 0; --i) block->items()[i - 1].~T();
        block->~Block();
        ::operator delete(raw);
        throw;
      }
      block->size = n;
      return block;
    }
    static Block* copyOf(const T* items, std::size_t n) {
      return build(n, [items](T* slot, std::size_t i) { new (slot) T(items[i]); });
    }
    static Block* moveOf(T* items, std::size_t n) {
      return build(n, [items](T* slot, std::size_t i) { new (slot) T(std::move(items[i])); });
    }
    static void ref(Block* block) {
      if (block) block->refs.fetch_add(1, std::memory_order_relaxed);
    }
    static void unref(Block* block) {
      if (!block || block->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
      for (std::size_t i = block->size; i > 0; --i) block->items()[i - 1].~T();
      block->~Block();
      ::operator delete(static_cast<void*>(block));
    }
  };

  template <typename F>
  void edit(F f) {
    Vector v = vector();
    f(v);
    *this = std::move(v);
  }

  Block* block_ = nullptr;  // Null while empty.
};

template <typename T>
class SharedOptional {
 public:
  SharedOptional() = default;
  SharedOptional(std::nullopt_t) {}                                          // NOLINT
  SharedOptional(T value) : data_(std::make_shared<T>(std::move(value))) {}  // NOLINT
  SharedOptional(std::optional<T> value) {                                   // NOLINT
    if (value) data_ = std::make_shared<T>(std::move(*value));
  }

  bool has_value() const { return data_ != nullptr; }
  explicit operator bool() const { return data_ != nullptr; }
  const T& operator*() const { return *data_; }
  const T* operator->() const { return data_.get(); }
  const T& value() const { return *data_; }

  // Write access detaches this holder from any copy first.
  T& operator*() { return mut(); }
  T* operator->() { return &mut(); }
  T& value() { return mut(); }
  T& mut() {
    if (data_.use_count() > 1) data_ = std::make_shared<T>(*data_);
    return *data_;
  }
  template <typename... Args>
  T& emplace(Args&&... args) {
    data_ = std::make_shared<T>(std::forward<Args>(args)...);
    return *data_;
  }
  void reset() { data_.reset(); }

  const void* payload() const { return data_.get(); }  // As SharedVector::payload.

  friend bool operator==(const SharedOptional& a, const SharedOptional& b) {
    if (a.data_ == b.data_) return true;
    if (!a.data_ || !b.data_) return false;
    return *a.data_ == *b.data_;
  }
  friend bool operator==(const SharedOptional& a, std::nullopt_t) { return !a.data_; }

 private:
  std::shared_ptr<T> data_;  // Null when absent.
};

}  // namespace ceph_planner::planner
