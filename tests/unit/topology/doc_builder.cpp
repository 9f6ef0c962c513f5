#include "doc_builder.h"

namespace ceph_planner::topology::testing {
namespace {

const std::vector<std::pair<std::string, std::string>>& baseSections() {
  static const std::vector<std::pair<std::string, std::string>> kBase = {
      {"apiVersion", "apiVersion: ceph-planner/v1\n"},
      {"kind", "kind: CephTopology\n"},
      {"cluster", "cluster:\n  name: t1\n  runtime: host\n"},
      {"networks", "networks:\n  public: [10.0.0.0/8]\n"},
      {"hosts",
       "hosts:\n"
       "  - name: h1\n"
       "    labels: [mon, osd, rgw]\n"
       "    public_ip: 10.0.0.1\n"
       "    devices:\n"
       "      - {path: /dev/sda, size: 2T}\n"
       "      - {path: /dev/sdb, size: 2T}\n"
       "      - {path: /dev/nvme0n1, size: 1T, rotational: false}\n"
       "  - name: h2\n"
       "    labels: [osd, rgw]\n"
       "    devices: []\n"},
      {"mons", "mons:\n  placement: {hosts: [h1]}\n"},
      {"mgrs", "mgrs:\n  placement: {label: mon}\n"},
      {"osd_groups",
       "osd_groups:\n"
       "  - service_id: g1\n"
       "    placement: {hosts: [h1]}\n"
       "    data_devices: {rotational: true}\n"
       "    db_devices: {rotational: false}\n"
       "    db_slots: 2\n"
       "    block_db_size: 100G\n"},
      {"rgw",
       "rgw:\n"
       "  - service_id: main\n"
       "    frontend: {port: 8080}\n"
       "    placement: {label: rgw}\n"
       "    autoscale: {min: 1, max: 1, target: 100}\n"},
      {"maintenance", "maintenance:\n  balancer: {schedule: \"R/2026-01-01T00:00:00Z/PT1H\"}\n"},
  };
  return kBase;
}

}  // namespace

std::string buildDoc(const Sections& overrides) {
  std::string out;
  for (const auto& [name, text] : baseSections()) {
    auto it = overrides.find(name);
    out += it == overrides.end() ? text : it->second;
  }
  for (const auto& [name, text] : overrides) {
    bool base = false;
    for (const auto& [b, unused] : baseSections()) base = base || b == name;
    if (!base) out += text;
  }
  return out;
}

std::pair<int, int> takeMarker(std::string* text) {
  size_t at = text->find("@@");
  if (at == std::string::npos) return {0, 0};
  int line = 1;
  int col = 1;
  for (size_t i = 0; i < at; ++i) {
    if ((*text)[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  text->erase(at, 2);
  return {line, col};
}

std::string describe(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.toString() + "\n";
  return out.empty() ? "(no diagnostics)\n" : out;
}

}  // namespace ceph_planner::topology::testing
