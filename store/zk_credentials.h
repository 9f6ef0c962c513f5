#pragma once

// ZooKeeper digest credentials (`user:password`), read from a file or from a named environment
// variable — never from argv — and the ACL id that the `digest` scheme derives from them.

#include <optional>
#include <string>

#include "common/result.h"

namespace ceph_planner::store {

struct ZkCredentials {
  std::string user;
  std::string password;
  std::string digestId;  // `user:base64(sha1(user:password))`, the ACL id of the digest scheme.
};

// `base64(sha1(text))`.
Result<std::string> sha1Base64(const std::string& text);

// From `file` (its first line) if non-empty, else from the variable named `envName` if non-empty,
// else none. Errors: `NotFound` (missing file or variable), `InvalidInput` (not `user:password`;
// the message never repeats the text).
Result<std::optional<ZkCredentials>> loadZkCredentials(const std::string& file,
                                                       const std::string& envName);

}  // namespace ceph_planner::store
