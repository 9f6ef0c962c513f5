#include "common/result.h"

namespace ceph_planner {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput:
      return "invalid input";
    case ErrorCode::NotFound:
      return "not found";
    case ErrorCode::Conflict:
      return "conflict";
    case ErrorCode::Unavailable:
      return "unavailable";
    case ErrorCode::Timeout:
      return "timeout";
    case ErrorCode::PermissionDenied:
      return "permission denied";
    case ErrorCode::Internal:
      return "internal";
  }
  return "unknown";
}

std::string Error::toString() const {
  return std::string(errorCodeName(code)) + ": " + message;
}

}  // namespace ceph_planner
