#pragma once

// Credentials for Marathon: HTTP basic (`user:password`) or a bearer token, read from a file or an
// environment variable, never from the command line (argv is visible to every user via `ps`).
// The secret is never part of an error message or a log line.

#include <string>

#include "common/result.h"

namespace ceph_planner::marathon {

enum class AuthKind { None, Basic, Bearer };

struct Credentials {
  AuthKind kind = AuthKind::None;
  std::string secret;  // Basic: `user:password`; Bearer: the token.
};

// Where to read the secret from: exactly one of `file` and `envVar` must be set unless `kind` is
// `None`.
struct AuthSource {
  AuthKind kind = AuthKind::None;
  std::string file;
  std::string envVar;
};

// Reads the secret (trailing whitespace and newlines trimmed). `InvalidInput` when the source is
// ambiguous or missing, the file cannot be read, the value is empty, or a basic secret lacks `:`.
Result<Credentials> loadCredentials(const AuthSource& source);

// The `Authorization` header value (`Basic <base64>` / `Bearer <token>`), "" for `None`.
std::string authorizationHeader(const Credentials& credentials);

// Standard base64 with padding (RFC 4648 §4).
std::string base64Encode(std::string_view data);

// `basic`, `bearer` or `none` → `AuthKind`.
Result<AuthKind> parseAuthKind(std::string_view name);

}  // namespace ceph_planner::marathon
