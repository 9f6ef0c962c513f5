#include "store/zk_credentials.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "store/atomic_file.h"
#include "store/base64.h"

namespace ceph_planner::store {

Result<std::string> sha1Base64(const std::string& text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), md, &len, EVP_sha1(), nullptr) != 1) {
    return makeError(ErrorCode::Internal, "sha1 digest failed");
  }
  return base64Encode(std::string_view(reinterpret_cast<const char*>(md), len));
}

Result<std::optional<ZkCredentials>> loadZkCredentials(const std::string& file,
                                                       const std::string& envName) {
  std::string text;
  std::string source;
  if (!file.empty()) {
    auto content = readFile(file);
    if (!content) return content.error().withContext("failed to read zookeeper credentials");
    text = *content;
    source = "file '" + file + "'";
  } else if (!envName.empty()) {
    const char* value = std::getenv(envName.c_str());
    if (value == nullptr) {
      return makeError(ErrorCode::NotFound,
                       "zookeeper credentials variable '" + envName + "' is not set");
    }
    text = value;
    source = "variable '" + envName + "'";
  } else {
    return std::optional<ZkCredentials>();
  }
  if (const auto nl = text.find_first_of("\r\n"); nl != std::string::npos) text.resize(nl);
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    // Never echo the text: it holds a password.
    return makeError(ErrorCode::InvalidInput,
                     "zookeeper credentials in " + source + " must be 'user:password'");
  }
  ZkCredentials c{text.substr(0, colon), text.substr(colon + 1), ""};
  auto hash = sha1Base64(text);
  if (!hash) return hash.error();
  c.digestId = c.user + ":" + *hash;
  return std::optional<ZkCredentials>(std::move(c));
}

}  // namespace ceph_planner::store
