#include "marathon_client/auth.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace ceph_planner::marathon {
namespace {

std::string trimRight(std::string s) {
  while (!s.empty() &&
         (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.pop_back();
  }
  return s;
}

}  // namespace

Result<AuthKind> parseAuthKind(std::string_view name) {
  if (name == "none" || name.empty()) return AuthKind::None;
  if (name == "basic") return AuthKind::Basic;
  if (name == "bearer") return AuthKind::Bearer;
  return makeError(ErrorCode::InvalidInput, "unknown auth kind " + ceph_planner::quoted(name) +
                                                " (expected none, basic or bearer)");
}

Result<Credentials> loadCredentials(const AuthSource& source) {
  if (source.kind == AuthKind::None) return Credentials{};
  if (source.file.empty() == source.envVar.empty()) {
    return makeError(ErrorCode::InvalidInput,
                     "marathon credentials need exactly one of a file or an environment variable");
  }
  std::string secret;
  std::string origin;
  if (!source.file.empty()) {
    origin = "credentials file " + ceph_planner::quoted(source.file);
    std::ifstream in(source.file, std::ios::binary);
    if (!in) return makeError(ErrorCode::InvalidInput, "cannot read " + origin);
    std::ostringstream content;
    content << in.rdbuf();
    secret = trimRight(content.str());
  } else {
    origin = "environment variable " + ceph_planner::quoted(source.envVar);
    const char* value = std::getenv(source.envVar.c_str());
    if (value == nullptr) return makeError(ErrorCode::InvalidInput, origin + " is not set");
    secret = trimRight(value);
  }
  if (secret.empty()) return makeError(ErrorCode::InvalidInput, origin + " is empty");
  if (source.kind == AuthKind::Basic && secret.find(':') == std::string::npos) {
    return makeError(ErrorCode::InvalidInput, origin + " must hold 'user:password'");
  }
  if (secret.find('\n') != std::string::npos) {
    return makeError(ErrorCode::InvalidInput, origin + " must hold a single line");
  }
  return Credentials{source.kind, std::move(secret)};
}

std::string base64Encode(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == data.size()) {
    uint32_t n = uint8_t(data[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == data.size()) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string authorizationHeader(const Credentials& credentials) {
  switch (credentials.kind) {
    case AuthKind::Basic:
      return "Basic " + base64Encode(credentials.secret);
    case AuthKind::Bearer:
      return "Bearer " + credentials.secret;
    case AuthKind::None:
      break;
  }
  return "";
}

}  // namespace ceph_planner::marathon
