#include "cli/cmd_json.h"

#include <nlohmann/json.hpp>

#include "cli/cmd_stored.h"

namespace ceph_planner::cli {
namespace {

using nlohmann::ordered_json;

std::string dump(const ordered_json& value) {
  return value.dump(2, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace

std::string historyJson(const std::string& cluster,
                        const std::vector<store::TopologyVersionInfo>& versions) {
  ordered_json list = ordered_json::array();
  for (const auto& v : versions) {
    list.push_back({{"version", v.version},
                    {"time", formatTimestampMs(v.timestampMs)},
                    {"timestamp_ms", v.timestampMs},
                    {"author", v.author},
                    {"message", v.message},
                    {"size", v.sizeBytes}});
  }
  ordered_json out = {{"cluster", cluster}, {"versions", std::move(list)}};
  return dump(out);
}

std::string showJson(const std::string& cluster, const store::TopologyRecord& record,
                     int64_t currentVersion, const ShownSecrets& secrets,
                     const std::vector<std::pair<std::string, store::OsdBinding>>& bindings) {
  ordered_json slots = ordered_json::array();
  for (const auto& [slot, binding] : bindings) {
    slots.push_back({{"slot", slot}, {"osd_id", binding.osdId}, {"osd_fsid", binding.osdFsid}});
  }
  ordered_json keyrings = ordered_json::array();
  for (const auto& entry : secrets.keyrings) {
    ordered_json caps = ordered_json::object();
    for (const auto& [service, capability] : entry.caps) caps[service] = capability;
    keyrings.push_back({{"entity", entry.entity}, {"key", entry.key}, {"caps", std::move(caps)}});
  }
  ordered_json out = {
      {"cluster", cluster},
      {"version", record.version},
      {"current_version", currentVersion},
      {"time", formatTimestampMs(record.timestampMs)},
      {"timestamp_ms", record.timestampMs},
      {"author", record.author},
      {"message", record.message},
      {"size", record.yaml.size()},
      {"yaml", record.yaml},
      {"secrets",
       {{"fsid", secrets.fsid},
        {"keyrings", std::move(keyrings)},
        {"missing", secrets.missing},
        {"s3_user", secrets.s3User ? ordered_json(std::string(store::kS3UserId)) : nullptr}}},
      {"osd_bindings", std::move(slots)}};
  return dump(out);
}

std::string s3UserJson(const std::string& cluster, const store::S3User& user) {
  ordered_json out = {{"cluster", cluster},
                      {"uid", user.uid},
                      {"access_key", user.accessKey},
                      {"secret_key", user.secretKey}};
  return dump(out);
}

}  // namespace ceph_planner::cli
