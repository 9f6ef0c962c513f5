#include "store/record_codec.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "store/secrets.h"

namespace ceph_planner::store {

using nlohmann::json;

std::string encodeManifest(const Manifest& m) {
  json j = {{"version", m.version}, {"author", m.author},
            {"message", m.message}, {"timestamp_ms", m.timestampMs},
            {"size", m.sizeBytes},  {"checksum", m.checksum},
            {"put_id", m.putId}};
  if (m.inlineData) {
    j["data"] = *m.inlineData;
  } else {
    j["chunk_dir"] = m.chunkDir;
    j["chunk_count"] = m.chunkCount;
  }
  return j.dump();
}

Result<Manifest> decodeManifest(std::string_view text, std::string_view what) {
  const auto bad = [&](const std::string& why) {
    return makeError(ErrorCode::Internal,
                     "stored record '" + std::string(what) + "' is malformed: " + why);
  };
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad("not a json object");
  try {
    Manifest m;
    m.version = j.at("version").get<int64_t>();
    m.author = j.at("author").get<std::string>();
    m.message = j.at("message").get<std::string>();
    m.timestampMs = j.at("timestamp_ms").get<int64_t>();
    m.sizeBytes = j.at("size").get<int64_t>();
    m.checksum = j.at("checksum").get<std::string>();
    m.putId = j.value("put_id", std::string());
    if (j.contains("data")) {
      m.inlineData = j.at("data").get<std::string>();
    } else {
      m.chunkDir = j.at("chunk_dir").get<std::string>();
      m.chunkCount = j.at("chunk_count").get<int>();
      if (m.chunkCount < 1) return bad("chunk_count < 1");
    }
    return m;
  } catch (const json::exception& e) {
    return bad(e.what());
  }
}

std::string checksumHex(std::string_view data) {
  uint64_t h = 14695981039346656037ull;
  for (const char c : data) {
    h ^= uint8_t(c);
    h *= 1099511628211ull;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

std::vector<std::string_view> splitChunks(std::string_view data, size_t chunkSize) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  do {
    out.push_back(data.substr(pos, chunkSize));
    pos += chunkSize;
  } while (pos < data.size());
  return out;
}

std::string chunkName(int index) {
  char out[16];
  std::snprintf(out, sizeof out, "c-%04d", index);
  return out;
}

std::string historyName(int64_t version) {
  char out[24];
  std::snprintf(out, sizeof out, "v-%010lld", static_cast<long long>(version));
  return out;
}

std::optional<int64_t> parseHistoryName(std::string_view name) {
  if (name.size() != 12 || name.substr(0, 2) != "v-") return std::nullopt;
  int64_t v = 0;
  const auto digits = name.substr(2);
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || v <= 0) return std::nullopt;
  return v;
}

TopologyRecord toRecord(const Manifest& m, std::string yaml) {
  return TopologyRecord{std::move(yaml), m.version, m.author, m.message, m.timestampMs};
}

TopologyVersionInfo toVersionInfo(const Manifest& m) {
  return TopologyVersionInfo{m.version, m.author, m.message, m.timestampMs, m.sizeBytes};
}

std::string encodeOsdBinding(const OsdBinding& b) {
  return json{{"osd_id", b.osdId}, {"osd_fsid", b.osdFsid}}.dump();
}

Result<OsdBinding> decodeOsdBinding(std::string_view text, std::string_view what) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("osd_id") || !j.contains("osd_fsid") ||
      !j["osd_id"].is_number_integer() || !j["osd_fsid"].is_string()) {
    return makeError(ErrorCode::Internal,
                     "stored osd binding '" + std::string(what) + "' is malformed");
  }
  return OsdBinding{j["osd_id"].get<int>(), j["osd_fsid"].get<std::string>()};
}

Result<std::string> randomId() {
  std::array<uint8_t, 8> b{};
  if (auto st = secureRandomBytes(b.data(), b.size()); !st) return st.error();
  std::string out;
  char hex[3];
  for (const auto x : b) {
    std::snprintf(hex, sizeof hex, "%02x", x);
    out += hex;
  }
  return out;
}

}  // namespace ceph_planner::store
