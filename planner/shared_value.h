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

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace ceph_planner::planner {

template <typename T>
class SharedVector {
 public:
  using Vector = std::vector<T>;
  using value_type = T;
  using size_type = std::size_t;
  using reference = T&;
  using const_reference = const T&;
  using iterator = typename Vector::iterator;
  using const_iterator = typename Vector::const_iterator;

  SharedVector() = default;
  SharedVector(std::initializer_list<T> items) { assign(Vector(items)); }
  SharedVector(Vector items) { assign(std::move(items)); }  // NOLINT: implicit like a vector.
  SharedVector& operator=(std::initializer_list<T> items) {
    assign(Vector(items));
    return *this;
  }
  SharedVector& operator=(Vector items) {
    assign(std::move(items));
    return *this;
  }

  // Read access never copies.
  const Vector& get() const { return data_ ? *data_ : emptyVector(); }
  operator const Vector&() const { return get(); }  // NOLINT: a drop-in for const vector&.
  size_type size() const { return data_ ? data_->size() : 0; }
  bool empty() const { return !data_ || data_->empty(); }
  const_iterator begin() const { return get().begin(); }
  const_iterator end() const { return get().end(); }
  const_iterator cbegin() const { return get().begin(); }
  const_iterator cend() const { return get().end(); }
  const T& operator[](size_type i) const { return get()[i]; }
  const T& at(size_type i) const { return get().at(i); }
  const T& front() const { return get().front(); }
  const T& back() const { return get().back(); }

  // Write access detaches this holder from any copy first.
  Vector& mut() {
    if (!data_) {
      data_ = std::make_shared<Vector>();
    } else if (data_.use_count() > 1) {
      data_ = std::make_shared<Vector>(*data_);
    }
    return *data_;
  }
  iterator begin() { return mut().begin(); }
  iterator end() { return mut().end(); }
  T& operator[](size_type i) { return mut()[i]; }
  T& front() { return mut().front(); }
  T& back() { return mut().back(); }
  void push_back(T value) { mut().push_back(std::move(value)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    return mut().emplace_back(std::forward<Args>(args)...);
  }
  void pop_back() { mut().pop_back(); }
  void reserve(size_type n) { mut().reserve(n); }
  void resize(size_type n) { mut().resize(n); }
  void clear() { data_.reset(); }
  iterator erase(iterator pos) { return mut().erase(pos); }
  iterator erase(iterator first, iterator last) { return mut().erase(first, last); }
  template <typename... Args>
  iterator emplace(iterator pos, Args&&... args) {
    return mut().emplace(pos, std::forward<Args>(args)...);
  }
  iterator insert(iterator pos, T value) { return mut().insert(pos, std::move(value)); }

  // The payload's identity (null while empty), stable while no holder writes: lets a caller that
  // compares many apps remember payload pairs it already found equal.
  const void* payload() const { return data_.get(); }

  friend bool operator==(const SharedVector& a, const SharedVector& b) {
    return a.data_ == b.data_ || a.get() == b.get();
  }
  friend bool operator==(const SharedVector& a, const Vector& b) { return a.get() == b; }

 private:
  static const Vector& emptyVector() {
    static const Vector kEmpty;
    return kEmpty;
  }
  void assign(Vector items) {
    if (items.empty()) {
      data_.reset();
    } else {
      data_ = std::make_shared<Vector>(std::move(items));
    }
  }

  std::shared_ptr<Vector> data_;  // Null while empty.
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
