#pragma once

// `Result<T>`: the value-or-error type used across every module boundary.
// Named like C++23 `std::expected` so a later move is mechanical. Calling `value()` on an error (or
// `error()` on a value) is a programming bug and aborts with the carried message.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ceph_planner {

enum class ErrorCode {
  InvalidInput,      // The caller's input is wrong; retrying the same input cannot help.
  NotFound,          // The named object does not exist.
  Conflict,          // A compare-and-set lost, a lock is held (ZooKeeper ZBADVERSION, HTTP 409).
  Unavailable,       // The peer is down or overloaded (connection loss, HTTP 5xx); retryable.
  Timeout,           // A deadline passed; retryable.
  PermissionDenied,  // Authentication or authorisation failed.
  Internal,          // A bug or an unexpected state on our side.
};

std::string_view errorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;

  // True for failures that a later identical attempt may not hit (`Unavailable`, `Timeout`).
  bool isRetryable() const { return code == ErrorCode::Unavailable || code == ErrorCode::Timeout; }

  // Returns a copy whose message is prefixed with `context: ` (the layer's view of what failed).
  Error withContext(std::string_view context) const {
    return Error{code, std::string(context) + ": " + message};
  }

  // `<code name>: <message>`, for logs and test failure output.
  std::string toString() const;
};

inline Error makeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

namespace detail {
[[noreturn]] inline void resultAbort(const char* what, const std::string& message) {
  std::fprintf(stderr, "fatal: %s: %s\n", what, message.c_str());
  std::abort();
}
}  // namespace detail

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design.
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    if (!has_value()) detail::resultAbort("value() on an error result", std::get<1>(v_).toString());
    return std::get<0>(v_);
  }
  const T& value() const& {
    if (!has_value()) detail::resultAbort("value() on an error result", std::get<1>(v_).toString());
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!has_value()) detail::resultAbort("value() on an error result", std::get<1>(v_).toString());
    return std::get<0>(std::move(v_));
  }
  const Error& error() const {
    if (has_value()) detail::resultAbort("error() on a value result", "");
    return std::get<1>(v_);
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design.

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const {
    if (!ok_) detail::resultAbort("value() on an error result", error_.toString());
  }
  const Error& error() const {
    if (ok_) detail::resultAbort("error() on a value result", "");
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status okStatus() {
  return Status();
}

}  // namespace ceph_planner
