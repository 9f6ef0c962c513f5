#pragma once

// The stored form of a topology record (shared by both stores): a small JSON manifest holding the
// metadata, a checksum of the document, and either the document inline or the list of chunks it
// was split into (ZooKeeper keeps each znode under ~1 MiB).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/topology_store.h"

namespace ceph_planner::store {

struct Manifest {
  int64_t version = 0;
  std::string author;
  std::string message;
  int64_t timestampMs = 0;
  int64_t sizeBytes = 0;
  std::string checksum;                   // `checksumHex` of the whole document.
  std::string putId;                      // Random id of the put that wrote it (retry detection).
  std::optional<std::string> inlineData;  // The document, when small enough.
  std::string chunkDir;                   // Otherwise: absolute store path of the chunk parent,
  int chunkCount = 0;                     // holding `c-0000` .. `c-<count-1>`.
};

std::string encodeManifest(const Manifest& m);

// `Internal` (with `what` in the message) if the text is not a manifest.
Result<Manifest> decodeManifest(std::string_view text, std::string_view what);

// 64-bit FNV-1a as 16 hex digits: detects torn or mixed reads; not a security measure.
std::string checksumHex(std::string_view data);

// `data` cut into pieces of at most `chunkSize` bytes (at least one piece, maybe empty).
std::vector<std::string_view> splitChunks(std::string_view data, size_t chunkSize);

// The name of chunk `index` (`c-0000`).
std::string chunkName(int index);

// History node name of `version` (`v-0000000042`), and back (`std::nullopt` if not one).
std::string historyName(int64_t version);
std::optional<int64_t> parseHistoryName(std::string_view name);

TopologyRecord toRecord(const Manifest& m, std::string yaml);
TopologyVersionInfo toVersionInfo(const Manifest& m);

// `{"osd_id": 3, "osd_fsid": "..."}`.
std::string encodeOsdBinding(const OsdBinding& b);
Result<OsdBinding> decodeOsdBinding(std::string_view text, std::string_view what);

// A fresh random id (16 hex digits) from the CSPRNG.
Result<std::string> randomId();

}  // namespace ceph_planner::store
