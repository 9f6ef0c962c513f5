#pragma once

// JSON output of `history -o json` and `show -o json`. The only cli/ file that includes
// nlohmann_json; serialising never throws (invalid UTF-8 is replaced, not rejected).

#include <cstdint>
#include <string>
#include <vector>

#include "store/secrets.h"
#include "store/topology_store.h"

namespace ceph_planner::cli {

// `{"cluster": ..., "versions": [{"version", "time", "timestamp_ms", "author", "message",
// "size"}, ...]}`, oldest first.
std::string historyJson(const std::string& cluster,
                        const std::vector<store::TopologyVersionInfo>& versions);

// What `show` tells about the bootstrap secrets: names only, never values (except the fsid,
// which is no key material).
struct ShownSecrets {
  std::string fsid;                           // "" when not generated yet.
  std::vector<store::KeyringEntry> keyrings;  // Present keyrings; `key` is always `<redacted>`.
  std::vector<std::string> missing;           // Expected keyring entities not stored yet.
  bool s3User = false;                        // The S3 user is stored (its value is not read).
};

// `{"cluster", "version", "current_version", "time", "timestamp_ms", "author", "message", "size",
// "yaml", "secrets": {"fsid", "keyrings": [{"entity", "key": "<redacted>", "caps": {...}}],
// "missing": [...], "s3_user": "<uid>"|null}, "osd_bindings": [{"slot", "osd_id", "osd_fsid"}]}`.
std::string showJson(const std::string& cluster, const store::TopologyRecord& record,
                     int64_t currentVersion, const ShownSecrets& secrets,
                     const std::vector<std::pair<std::string, store::OsdBinding>>& bindings);

// `show --secret s3 -o json`: `{"cluster", "uid", "access_key", "secret_key"}`.
std::string s3UserJson(const std::string& cluster, const store::S3User& user);

}  // namespace ceph_planner::cli
