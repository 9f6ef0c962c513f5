#pragma once

// Bootstrap secrets of a Ceph cluster: the fsid and the `mon.`, `client.admin`,
// `client.bootstrap-osd`, `client.bootstrap-rgw` and `client.bootstrap-mgr` keys, in Ceph's own
// formats, and the cluster's S3 user (an RGW user with one S3 access key, made by the RGW tasks).
//
// Pure generation (`generate*`, `encode*`, `render*`) is separate from storage
// (`ensureBootstrapSecrets`), which stores them once per cluster under `secrets/` and never
// regenerates them. Secret values are never logged: errors name secrets, never print them; use
// `redactedView` for anything shown to people.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/topology_store.h"

namespace ceph_planner::store {

// Fills `out` from the kernel CSPRNG (getrandom(2)). `Internal` if the kernel refuses.
Status secureRandomBytes(uint8_t* out, size_t size);

// A random (version 4, RFC 4122 variant) UUID in lower-case text form.
Result<std::string> generateUuidV4();

// Ceph's encoded `CryptoKey`: base64 of {u16 type (1 = AES), u32 created seconds, u32 created
// nanoseconds, u16 secret length (16), 16 secret bytes}, integers little-endian — the same shape
// `ceph-authtool --gen-print-key` prints (40 characters starting with `AQ`).
std::string encodeCephSecret(const std::array<uint8_t, 16>& secret, uint32_t createdSeconds,
                             uint32_t createdNanoseconds);

struct DecodedCephSecret {
  uint16_t type = 0;
  uint32_t createdSeconds = 0;
  uint32_t createdNanoseconds = 0;
  std::string secret;  // The raw key bytes.
};

// Parses an encoded key; `InvalidInput` if it is not base64 of a well-formed AES key.
Result<DecodedCephSecret> decodeCephSecret(std::string_view encoded);

// A fresh AES key created at `createdMs` (Unix epoch milliseconds).
Result<std::string> generateCephSecret(int64_t createdMs);

// One keyring section, e.g. `[client.admin]\n\tkey = AQ...==\n\tcaps mon = "allow *"\n`.
struct KeyringEntry {
  std::string entity;                                     // `mon.`, `client.admin`, ...
  std::string key;                                        // Encoded key.
  std::vector<std::pair<std::string, std::string>> caps;  // Service → capability string.
};

std::string renderKeyring(const KeyringEntry& entry);

// The bootstrap entities and their capabilities, in a fixed order.
std::vector<KeyringEntry> bootstrapEntitiesWithoutKeys();

// The planner's S3 user: RGW user `uid` with one S3 key pair. The RGW tasks create it
// (docs/ceph-box.md#s3); operators read it with `ceph-planner show --secret s3`.
struct S3User {
  std::string uid;
  std::string displayName;
  std::string accessKey;  // 20 characters of [A-Z0-9], like AWS access key ids.
  std::string secretKey;  // 40 characters of [A-Za-z0-9].
  bool operator==(const S3User&) const = default;
};

inline constexpr std::string_view kS3UserId = "ceph-planner";

// A fresh user `kS3UserId` with keys drawn uniformly from the CSPRNG.
Result<S3User> generateS3User();

// The stored (and served) text: `uid=`, `display_name=`, `access_key=`, `secret_key=` lines, in
// that order. Values are restricted to characters that need no quoting in a shell or URL.
std::string renderS3User(const S3User& user);

// Parses `renderS3User` text; `InvalidInput` naming the missing or malformed field (never its
// value).
Result<S3User> parseS3User(std::string_view text);

struct BootstrapSecrets {
  std::string fsid;
  std::vector<KeyringEntry> keys;  // Same order as `bootstrapEntitiesWithoutKeys()`.
  S3User s3User;                   // Empty `uid` in views that did not load it.

  // The entry of `entity`, or nullptr.
  const KeyringEntry* find(std::string_view entity) const;
};

// Generates a complete new set (pure apart from the CSPRNG).
Result<BootstrapSecrets> generateBootstrapSecrets(int64_t nowMs);

// Secret names used under `secrets/`: `fsid` and `<entity>.keyring` (`mon..keyring`,
// `client.admin.keyring`, ...) and `s3-user`.
inline constexpr std::string_view kFsidSecretName = "fsid";
inline constexpr std::string_view kS3UserSecretName = "s3-user";
std::string keyringSecretName(std::string_view entity);

// Loads the cluster's bootstrap secrets, generating and storing whatever is missing, exactly once
// even when several planners race (`putSecretIfAbsent`). Never regenerates an existing value.
Result<BootstrapSecrets> ensureBootstrapSecrets(TopologyStore& store, const std::string& cluster,
                                                int64_t nowMs);

// Text for `show`: the fsid, per entity its caps and `key = <redacted>`, and the S3 user's uid
// with both keys redacted; no key material.
std::string redactedView(const BootstrapSecrets& secrets);

}  // namespace ceph_planner::store
