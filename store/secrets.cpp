#include "store/secrets.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "store/base64.h"

namespace ceph_planner::store {
namespace {

constexpr uint16_t kCryptoAes = 1;
constexpr size_t kAesKeyBytes = 16;
constexpr size_t kEncodedKeyBytes = 2 + 4 + 4 + 2 + kAesKeyBytes;

void putLe16(std::string& out, uint16_t v) {
  out += char(v & 0xff);
  out += char((v >> 8) & 0xff);
}

void putLe32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += char((v >> (8 * i)) & 0xff);
}

uint32_t getLe(std::string_view in, size_t offset, size_t bytes) {
  uint32_t v = 0;
  for (size_t i = 0; i < bytes; ++i) v |= uint32_t(uint8_t(in[offset + i])) << (8 * i);
  return v;
}

// Parses a stored keyring back into its key (only the first `key = ` line matters).
Result<std::string> keyFromKeyring(const std::string& text, std::string_view entity) {
  const std::string marker = "key = ";
  const auto pos = text.find(marker);
  if (pos == std::string::npos) {
    return makeError(ErrorCode::Internal,
                     "stored keyring of '" + std::string(entity) + "' has no key line");
  }
  const auto end = text.find('\n', pos);
  std::string key =
      text.substr(pos + marker.size(),
                  end == std::string::npos ? std::string::npos : end - pos - marker.size());
  if (!decodeCephSecret(key)) {
    return makeError(ErrorCode::Internal,
                     "stored keyring of '" + std::string(entity) + "' holds a malformed key");
  }
  return key;
}

// `length` characters drawn uniformly from `alphabet` (rejection sampling: no modulo bias).
Result<std::string> randomText(std::string_view alphabet, size_t length) {
  const unsigned limit = 256u - 256u % unsigned(alphabet.size());
  std::string out;
  while (out.size() < length) {
    std::array<uint8_t, 64> bytes{};
    if (auto st = secureRandomBytes(bytes.data(), bytes.size()); !st) return st.error();
    for (uint8_t b : bytes) {
      if (b < limit && out.size() < length) out += alphabet[b % alphabet.size()];
    }
  }
  return out;
}

constexpr std::string_view kUpperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kAlphanumeric =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr size_t kS3AccessKeyLength = 20;
constexpr size_t kS3SecretKeyLength = 40;

bool onlyFrom(std::string_view text, std::string_view alphabet) {
  return !text.empty() && text.find_first_not_of(alphabet) == std::string_view::npos;
}

}  // namespace

Status secureRandomBytes(uint8_t* out, size_t size) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = getrandom(out + done, size - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return makeError(ErrorCode::Internal,
                       std::string("getrandom failed: ") + std::strerror(errno));
    }
    done += size_t(n);
  }
  return okStatus();
}

Result<std::string> generateUuidV4() {
  std::array<uint8_t, 16> b{};
  if (auto st = secureRandomBytes(b.data(), b.size()); !st) return st.error();
  b[6] = uint8_t((b[6] & 0x0f) | 0x40);  // Version 4.
  b[8] = uint8_t((b[8] & 0x3f) | 0x80);  // RFC 4122 variant.
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return std::string(text);
}

std::string encodeCephSecret(const std::array<uint8_t, 16>& secret, uint32_t createdSeconds,
                             uint32_t createdNanoseconds) {
  std::string raw;
  raw.reserve(kEncodedKeyBytes);
  putLe16(raw, kCryptoAes);
  putLe32(raw, createdSeconds);
  putLe32(raw, createdNanoseconds);
  putLe16(raw, uint16_t(secret.size()));
  raw.append(reinterpret_cast<const char*>(secret.data()), secret.size());
  return base64Encode(raw);
}

Result<DecodedCephSecret> decodeCephSecret(std::string_view encoded) {
  const auto raw = base64Decode(encoded);
  if (!raw) return makeError(ErrorCode::InvalidInput, "ceph key is not valid base64");
  if (raw->size() != kEncodedKeyBytes) {
    return makeError(ErrorCode::InvalidInput, "ceph key decodes to " + std::to_string(raw->size()) +
                                                  " bytes, expected " +
                                                  std::to_string(kEncodedKeyBytes));
  }
  DecodedCephSecret out;
  out.type = uint16_t(getLe(*raw, 0, 2));
  out.createdSeconds = getLe(*raw, 2, 4);
  out.createdNanoseconds = getLe(*raw, 6, 4);
  const uint16_t length = uint16_t(getLe(*raw, 10, 2));
  if (out.type != kCryptoAes) {
    return makeError(ErrorCode::InvalidInput,
                     "ceph key type is " + std::to_string(out.type) + ", expected 1 (aes)");
  }
  if (length != kAesKeyBytes) {
    return makeError(ErrorCode::InvalidInput,
                     "ceph key length field is " + std::to_string(length) + ", expected 16");
  }
  if (out.createdNanoseconds >= 1000000000u) {
    return makeError(ErrorCode::InvalidInput, "ceph key creation nanoseconds out of range");
  }
  out.secret = raw->substr(12);
  return out;
}

Result<std::string> generateCephSecret(int64_t createdMs) {
  std::array<uint8_t, 16> secret{};
  if (auto st = secureRandomBytes(secret.data(), secret.size()); !st) return st.error();
  return encodeCephSecret(secret, uint32_t(createdMs / 1000),
                          uint32_t(createdMs % 1000) * 1000000u);
}

std::string renderKeyring(const KeyringEntry& entry) {
  std::string out = "[" + entry.entity + "]\n\tkey = " + entry.key + "\n";
  for (const auto& [service, cap] : entry.caps) {
    out += "\tcaps " + service + " = \"" + cap + "\"\n";
  }
  return out;
}

std::vector<KeyringEntry> bootstrapEntitiesWithoutKeys() {
  return {
      {"mon.", "", {{"mon", "allow *"}}},
      {"client.admin",
       "",
       {{"mds", "allow *"}, {"mgr", "allow *"}, {"mon", "allow *"}, {"osd", "allow *"}}},
      {"client.bootstrap-osd", "", {{"mon", "profile bootstrap-osd"}}},
      {"client.bootstrap-rgw", "", {{"mon", "profile bootstrap-rgw"}}},
      // The host-runtime mgr creates its own `mgr.<id>` key with it on first start.
      {"client.bootstrap-mgr", "", {{"mon", "profile bootstrap-mgr"}}},
  };
}

const KeyringEntry* BootstrapSecrets::find(std::string_view entity) const {
  for (const auto& k : keys) {
    if (k.entity == entity) return &k;
  }
  return nullptr;
}

Result<BootstrapSecrets> generateBootstrapSecrets(int64_t nowMs) {
  BootstrapSecrets out;
  auto fsid = generateUuidV4();
  if (!fsid) return fsid.error();
  out.fsid = *fsid;
  for (auto entry : bootstrapEntitiesWithoutKeys()) {
    auto key = generateCephSecret(nowMs);
    if (!key) return key.error();
    entry.key = *key;
    out.keys.push_back(std::move(entry));
  }
  auto s3 = generateS3User();
  if (!s3) return s3.error();
  out.s3User = *s3;
  return out;
}

Result<S3User> generateS3User() {
  auto access = randomText(kUpperDigits, kS3AccessKeyLength);
  if (!access) return access.error();
  auto secret = randomText(kAlphanumeric, kS3SecretKeyLength);
  if (!secret) return secret.error();
  return S3User{std::string(kS3UserId), "ceph-planner S3 user", *access, *secret};
}

std::string renderS3User(const S3User& user) {
  return "uid=" + user.uid + "\ndisplay_name=" + user.displayName +
         "\naccess_key=" + user.accessKey + "\nsecret_key=" + user.secretKey + "\n";
}

Result<S3User> parseS3User(std::string_view text) {
  S3User user;
  const std::pair<std::string_view, std::string*> fields[] = {{"uid", &user.uid},
                                                              {"display_name", &user.displayName},
                                                              {"access_key", &user.accessKey},
                                                              {"secret_key", &user.secretKey}};
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const size_t eq = line.find('=');
    if (line.empty() || eq == std::string_view::npos) continue;
    for (const auto& [name, value] : fields) {
      if (line.substr(0, eq) == name) *value = std::string(line.substr(eq + 1));
    }
  }
  const std::string_view uidChars = "abcdefghijklmnopqrstuvwxyz0123456789-_.";
  if (!onlyFrom(user.uid, uidChars)) {
    return makeError(ErrorCode::InvalidInput, "s3 user: 'uid' is missing or malformed");
  }
  if (user.accessKey.size() != kS3AccessKeyLength || !onlyFrom(user.accessKey, kUpperDigits)) {
    return makeError(ErrorCode::InvalidInput, "s3 user: 'access_key' is missing or malformed");
  }
  if (user.secretKey.size() != kS3SecretKeyLength || !onlyFrom(user.secretKey, kAlphanumeric)) {
    return makeError(ErrorCode::InvalidInput, "s3 user: 'secret_key' is missing or malformed");
  }
  if (user.displayName.find_first_of("'\"\\$`") != std::string::npos) {
    return makeError(ErrorCode::InvalidInput, "s3 user: 'display_name' has shell metacharacters");
  }
  if (user.displayName.empty()) user.displayName = user.uid;
  return user;
}

std::string keyringSecretName(std::string_view entity) {
  return std::string(entity) + ".keyring";
}

Result<BootstrapSecrets> ensureBootstrapSecrets(TopologyStore& store, const std::string& cluster,
                                                int64_t nowMs) {
  // Generate a full candidate set first; whichever values already exist win over it.
  auto fresh = generateBootstrapSecrets(nowMs);
  if (!fresh) return fresh.error();
  BootstrapSecrets out;
  auto fsid = store.putSecretIfAbsent(cluster, std::string(kFsidSecretName), fresh->fsid);
  if (!fsid) return fsid.error().withContext("failed to store the fsid");
  out.fsid = *fsid;
  for (const auto& entry : fresh->keys) {
    auto stored =
        store.putSecretIfAbsent(cluster, keyringSecretName(entry.entity), renderKeyring(entry));
    if (!stored) {
      return stored.error().withContext("failed to store the keyring of '" + entry.entity + "'");
    }
    auto key = keyFromKeyring(*stored, entry.entity);
    if (!key) return key.error();
    KeyringEntry kept = entry;
    kept.key = *key;
    out.keys.push_back(std::move(kept));
  }
  auto storedS3 =
      store.putSecretIfAbsent(cluster, std::string(kS3UserSecretName), renderS3User(fresh->s3User));
  if (!storedS3) return storedS3.error().withContext("failed to store the s3 user");
  auto kept = parseS3User(*storedS3);
  if (!kept) return makeError(ErrorCode::Internal, "stored " + kept.error().message);
  out.s3User = *kept;
  return out;
}

std::string redactedView(const BootstrapSecrets& secrets) {
  std::string out = "fsid = " + secrets.fsid + "\n";
  for (const auto& entry : secrets.keys) {
    KeyringEntry shown = entry;
    shown.key = "<redacted>";
    out += renderKeyring(shown);
  }
  if (!secrets.s3User.uid.empty()) {
    out +=
        "s3 user = " + secrets.s3User.uid + " (access_key = <redacted>, secret_key = <redacted>)\n";
  }
  return out;
}

}  // namespace ceph_planner::store
