// One row per diagnostic message the parser and validator emit: the input (the base document with
// one section replaced; `@@` marks the exact line:col expected), the severity, the path and the
// exact message. A row fails when the diagnostic is missing, differs, or is not the only one.

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>

#include "doc_builder.h"
#include "topology/parse.h"

namespace ceph_planner::topology {
namespace {

using testing::buildDoc;
using testing::Sections;

struct Row {
  const char* name;
  Sections sections;
  Severity severity;
  const char* path;
  const char* message;
  size_t count = 1;  // Diagnostics expected in total (more only where one mistake implies others).
};

void PrintTo(const Row& row, std::ostream* os) {
  *os << row.name;
}

constexpr Severity E = Severity::Error;
constexpr Severity W = Severity::Warning;

const char* kHosts2 =
    "hosts:\n"
    "  - name: h1\n"
    "    labels: [mon, osd, rgw]\n"
    "    public_ip: 10.0.0.1\n"
    "    devices:\n"
    "      - {path: /dev/sda, size: 2T}\n"
    "      - {path: /dev/sdb, size: 2T}\n"
    "      - {path: /dev/nvme0n1, size: 1T, rotational: false}\n";

std::string hostsWith(const std::string& extra) {
  return std::string(kHosts2) + extra;
}

std::string osd(const std::string& body) {
  return "osd_groups:\n  - service_id: g1\n" + body;
}

std::string rgw(const std::string& body) {
  return "rgw:\n  - service_id: main\n" + body;
}

const std::vector<Row>& rows() {
  static const std::vector<Row> kRows = {
      // --- parser: structure, types, unknown keys ---
      {"unknown_top_key",
       {{"x", "@@netwroks: {}\n"}},
       E,
       "netwroks",
       "unknown key 'netwroks' (did you mean 'networks'?)"},
      {"unknown_key_no_hint",
       {{"cluster", "cluster:\n  name: t1\n  runtime: host\n  @@zzz: 1\n"}},
       E,
       "cluster.zzz",
       "unknown key 'zzz'"},
      {"duplicate_key",
       {{"kind", "kind: CephTopology\n@@kind: CephTopology\n"}},
       E,
       "kind",
       "duplicate key 'kind'"},
      {"missing_api_version",
       {{"apiVersion", "@@"}},
       E,
       "apiVersion",
       "missing required key 'apiVersion'"},
      {"missing_kind",
       {{"apiVersion", "@@apiVersion: ceph-planner/v1\n"}, {"kind", ""}},
       E,
       "kind",
       "missing required key 'kind'"},
      {"missing_hosts",
       {{"apiVersion", "@@apiVersion: ceph-planner/v1\n"},
        {"hosts", ""},
        {"mons", ""},
        {"mgrs", ""},
        {"osd_groups", ""},
        {"rgw", ""}},
       E,
       "hosts",
       "missing required key 'hosts'",
       3},
      {"missing_cluster_name",
       {{"cluster", "cluster:\n  @@runtime: host\n"}},
       E,
       "cluster.name",
       "missing required key 'name'"},
      {"map_expected",
       {{"networks", "networks: @@[10.0.0.0/8]\n"}},
       E,
       "networks",
       "must be a mapping, got a sequence"},
      {"sequence_expected",
       {{"networks", "networks:\n  public: @@10.0.0.0/8\n"}},
       E,
       "networks.public",
       "must be a sequence, got '10.0.0.0/8'"},
      {"string_expected",
       {{"cluster", "cluster:\n  name: @@{a: 1}\n  runtime: host\n"}},
       E,
       "cluster.name",
       "must be a string, got a mapping"},
      {"list_item_string_expected",
       {{"networks", "networks:\n  public: [10.0.0.0/8, @@[1]]\n"}},
       E,
       "networks.public[1]",
       "must be a string, got a sequence"},
      {"integer_expected",
       {{"rgw", rgw("    frontend: {port: @@http}\n    placement: {label: rgw}\n")}},
       E,
       "rgw[0].frontend.port",
       "must be an integer, got 'http'"},
      {"number_expected",
       {{"mons", "mons:\n  placement: {hosts: [h1]}\n  resources: {cpus: @@lots}\n"}},
       E,
       "mons.resources.cpus",
       "must be a number, got 'lots'"},
      {"bool_expected",
       {{"networks", "networks:\n  public: [10.0.0.0/8]\n  msgr2_only: @@maybe\n"}},
       E,
       "networks.msgr2_only",
       "must be true or false, got 'maybe'"},
      {"scalar_expected",
       {{"cluster", "cluster:\n  name: t1\n  runtime: host\n  config: {a: @@[1]}\n"}},
       E,
       "cluster.config.a",
       "must be a scalar value, got a sequence"},
      {"runtime_value",
       {{"cluster", "cluster:\n  name: t1\n  image: i\n  runtime: @@vm\n"}},
       E,
       "cluster.runtime",
       "must be 'docker' or 'host', got 'vm'"},
      {"size_syntax",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n    data_devices: {all: true}\n"
                           "    block_db_size: @@300X\n")}},
       E,
       "osd_groups[0].block_db_size",
       "must be a size such as '300G' or '1.92T', got '300X'"},
      {"size_range_syntax",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {size: @@\"1T:2X\"}\n")}},
       E,
       "osd_groups[0].data_devices.size",
       "must be a size range 'LOW:HIGH' such as '10T:' or '1T:4T', got '1T:2X'"},
      {"duration_syntax",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n"
                    "    autoscale: {min: 1, max: 2, target: 1, cooldown: @@10x}\n")}},
       E,
       "rgw[0].autoscale.cooldown",
       "must be a duration such as '90s', '3m' or '1h', got '10x'"},
      {"key_not_string", {{"x", "@@[a]: 1\n"}}, E, "", "keys must be strings, got a sequence"},
      {"missing_service_id",
       {{"osd_groups",
         "osd_groups:\n  - @@placement: {hosts: [h1]}\n"
         "    data_devices: {all: true}\n"}},
       E,
       "osd_groups[0].service_id",
       "missing required key 'service_id'"},
      {"missing_device_path",
       {{"hosts", hostsWith("  - name: h2\n    devices: [@@{size: 1T}]\n")}},
       E,
       "hosts[1].devices[0].path",
       "missing required key 'path'"},
      // --- root and cluster ---
      {"api_version_value",
       {{"apiVersion", "apiVersion: @@v2\n"}},
       E,
       "apiVersion",
       "must be 'ceph-planner/v1', got 'v2'"},
      {"kind_value",
       {{"kind", "kind: @@Cluster\n"}},
       E,
       "kind",
       "must be 'CephTopology', got 'Cluster'"},
      {"cluster_name_syntax",
       {{"cluster", "cluster:\n  name: @@-bad-\n  runtime: host\n"}},
       E,
       "cluster.name",
       "invalid cluster name '-bad-': must be 1 to 20 of [a-z0-9-], not starting or ending with "
       "'-'"},
      {"cluster_name_empty",
       {{"cluster", "cluster:\n  name: @@\"\"\n  runtime: host\n"}},
       E,
       "cluster.name",
       "is required"},
      {"fsid",
       {{"cluster", "cluster:\n  name: t1\n  runtime: host\n  fsid: @@1234\n"}},
       E,
       "cluster.fsid",
       "must be 'auto' or a uuid, got '1234'"},
      {"docker_image",
       {{"cluster", "cluster:\n  @@name: t1\n  runtime: docker\n"}},
       E,
       "cluster.image",
       "is required for runtime 'docker'"},
      {"marathon_group",
       {{"cluster", "cluster:\n  name: t1\n  runtime: host\n  marathon: {group: @@ceph/t1}\n"}},
       E,
       "cluster.marathon.group",
       "must be an absolute marathon group id such as '/ceph/prod1', got 'ceph/t1'"},
      // --- networks and hosts ---
      {"public_required",
       {{"networks", "networks: @@{}\n"}},
       E,
       "networks.public",
       "is required: mons need an address inside it"},
      {"cidr",
       {{"networks", "networks:\n  public: [10.0.0.0/8]\n  cluster: [@@10.0.0.0/33]\n"}},
       E,
       "networks.cluster[0]",
       "invalid cidr '10.0.0.0/33'"},
      {"hosts_empty",
       {{"hosts", "hosts: @@[]\n"}, {"mons", ""}, {"mgrs", ""}, {"osd_groups", ""}, {"rgw", ""}},
       E,
       "hosts",
       "at least one host is required",
       3},
      {"host_name_syntax",
       {{"hosts", hostsWith("  - name: @@Bad_Host\n")}},
       E,
       "hosts[1].name",
       "invalid host name 'Bad_Host': must be a lower-case dns name (labels of [a-z0-9-], "
       "separated "
       "by '.')"},
      {"host_name_duplicate",
       {{"hosts", hostsWith("  - name: @@h1\n")}},
       E,
       "hosts[1].name",
       "duplicate host name 'h1' (also hosts[0])"},
      {"host_name_empty",
       {{"hosts", hostsWith("  - name: @@\"\"\n")}},
       E,
       "hosts[1].name",
       "is required"},
      {"public_ip_syntax",
       {{"hosts", hostsWith("  - name: h2\n    public_ip: @@10.0.0.256\n")}},
       E,
       "hosts[1].public_ip",
       "invalid ip address '10.0.0.256'"},
      {"public_ip_outside",
       {{"hosts", hostsWith("  - name: h2\n    public_ip: @@192.168.0.1\n")}},
       E,
       "hosts[1].public_ip",
       "'192.168.0.1' is not inside networks.public"},
      {"cluster_ip_outside",
       {{"networks", "networks:\n  public: [10.0.0.0/8]\n  cluster: [fd00::/64]\n"},
        {"hosts", hostsWith("  - name: h2\n    cluster_ip: @@fd01::1\n")}},
       E,
       "hosts[1].cluster_ip",
       "'fd01::1' is not inside networks.cluster"},
      {"address_syntax",
       {{"hosts", hostsWith("  - name: h2\n    addresses: [@@nope]\n")}},
       E,
       "hosts[1].addresses[0]",
       "invalid ip address 'nope'"},
      {"device_path_relative",
       {{"hosts", hostsWith("  - name: h2\n    devices: [{path: @@sdc}]\n")}},
       E,
       "hosts[1].devices[0].path",
       "must be an absolute path, got 'sdc'"},
      {"device_path_duplicate",
       {{"hosts", hostsWith("  - name: h2\n    devices: [{path: /dev/a}, {path: @@/dev/a}]\n")}},
       E,
       "hosts[1].devices[1].path",
       "duplicate device path '/dev/a' on host 'h2'"},
      // --- mons and mgrs ---
      {"mons_required",
       {{"apiVersion", "@@apiVersion: ceph-planner/v1\n"}, {"mons", ""}},
       E,
       "mons",
       "is required: the cluster needs at least one mon"},
      {"mgrs_required",
       {{"apiVersion", "@@apiVersion: ceph-planner/v1\n"}, {"mgrs", ""}},
       E,
       "mgrs",
       "is required: the cluster needs at least one mgr"},
      {"placement_empty",
       {{"mgrs", "mgrs:\n  placement: @@{}\n"}},
       E,
       "mgrs.placement",
       "must give 'hosts', 'label' or 'host_pattern'"},
      {"placement_mixed",
       {{"mgrs", "mgrs:\n  placement: @@{hosts: [h1], label: mon}\n"}},
       E,
       "mgrs.placement",
       "'hosts' cannot be combined with 'label' or 'host_pattern'"},
      {"placement_unknown_host",
       {{"mgrs", "mgrs:\n  placement: {hosts: [@@h11]}\n"}},
       E,
       "mgrs.placement.hosts[0]",
       "unknown host 'h11' (did you mean 'h1'?)"},
      {"placement_host_twice",
       {{"mgrs", "mgrs:\n  placement: {hosts: [h1, @@h1]}\n"}},
       E,
       "mgrs.placement.hosts[1]",
       "host 'h1' is listed twice"},
      {"placement_count",
       {{"mgrs", "mgrs:\n  placement: {label: mon, count: @@0}\n"}},
       E,
       "mgrs.placement.count",
       "must be at least 1, got 0"},
      {"placement_label_none_mgr",
       {{"mgrs", "mgrs:\n  placement: @@{label: mrg}\n"}},
       E,
       "mgrs.placement",
       "label 'mrg' matches no host"},
      {"placement_pattern_none_rgw",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: @@{host_pattern: \"x*\"}\n")}},
       W,
       "rgw[0].placement",
       "host_pattern 'x*' matches no host"},
      {"mon_count_even",
       {{"hosts", hostsWith("  - {name: h2, public_ip: 10.0.0.2}\n")},
        {"mons", "mons:\n  placement: @@{hosts: [h1, h2]}\n"}},
       E,
       "mons.placement",
       "mon count must be odd (1, 3, 5, ...) for a quorum, got 2"},
      {"mon_without_public_address",
       {{"hosts", hostsWith("  - @@name: h2\n  - {name: h3, public_ip: 10.0.0.3}\n")},
        {"mons", "mons:\n  placement: {hosts: [h1, h2, h3]}\n"}},
       E,
       "hosts[1]",
       "mon host 'h2' has no address inside networks.public (set public_ip or addresses)"},
      {"resources_positive",
       {{"mgrs", "mgrs:\n  placement: {label: mon}\n  resources: {mem: @@0}\n"}},
       E,
       "mgrs.resources.mem",
       "must be greater than 0, got 0"},
      {"data_dir_relative",
       {{"mons", "mons:\n  placement: {hosts: [h1]}\n  data_dir: @@var/lib\n"}},
       E,
       "mons.data_dir",
       "must be an absolute path, got 'var/lib'"},
      // --- osd groups ---
      {"service_id_syntax",
       {{"osd_groups",
         "osd_groups:\n  - service_id: @@G_1\n"
         "    placement: {hosts: [h1]}\n"
         "    data_devices: {paths: [/dev/sda]}\n"}},
       E,
       "osd_groups[0].service_id",
       "invalid service id 'G_1': must match [a-z0-9]([a-z0-9-]*[a-z0-9])?"},
      {"service_id_duplicate",
       {{"osd_groups",
         "osd_groups:\n"
         "  - service_id: g1\n"
         "    placement: {hosts: [h1]}\n"
         "    data_devices: {paths: [/dev/sda]}\n"
         "  - service_id: @@g1\n"
         "    placement: {hosts: [h1]}\n"
         "    data_devices: {paths: [/dev/sdb]}\n"}},
       E,
       "osd_groups[1].service_id",
       "duplicate service id 'g1' (also osd_groups[0])"},
      {"service_id_empty",
       {{"osd_groups",
         "osd_groups:\n  - service_id: @@\"\"\n"
         "    placement: {hosts: [h1]}\n"
         "    data_devices: {paths: [/dev/sda]}\n"}},
       E,
       "osd_groups[0].service_id",
       "is required"},
      {"osd_label_none",
       {{"osd_groups", osd("    placement: @@{label: nothing}\n"
                           "    data_devices: {paths: [/dev/sda]}\n")}},
       W,
       "osd_groups[0].placement",
       "label 'nothing' matches no host"},
      {"data_devices_required",
       {{"osd_groups",
         "osd_groups:\n  - @@service_id: g1\n"
         "    placement: {hosts: [h1]}\n"}},
       E,
       "osd_groups[0].data_devices",
       "is required"},
      {"selector_empty",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n    data_devices: @@{}\n")}},
       E,
       "osd_groups[0].data_devices",
       "must give 'slots', 'paths', a filter or 'all: true'"},
      {"selector_mixed",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: @@{paths: [/dev/sda], rotational: 1}\n")}},
       E,
       "osd_groups[0].data_devices",
       "explicit 'slots' or 'paths' cannot be combined with filters"},
      {"slot_name",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {slots: {S_0: @@/dev/sda}}\n")}},
       E,
       "osd_groups[0].data_devices.slots.S_0",
       "invalid slot name 'S_0': must match [a-z0-9]([a-z0-9-]*[a-z0-9])?"},
      {"slot_path_relative",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {slots: {s0: @@sda}}\n")}},
       E,
       "osd_groups[0].data_devices.slots.s0",
       "must be an absolute device path, got 'sda'"},
      {"paths_relative",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {paths: [@@sda]}\n")}},
       E,
       "osd_groups[0].data_devices.paths[0]",
       "must be an absolute device path, got 'sda'"},
      {"paths_empty_slot",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {paths: [@@/dev/__]}\n")}},
       E,
       "osd_groups[0].data_devices.paths[0]",
       "device path '/dev/__' gives an empty slot name"},
      {"size_range_order",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {size: @@\"4T:1T\"}\n")}},
       E,
       "osd_groups[0].data_devices.size",
       "range '4T:1T' has its low end above its high end",
       2},
      {"limit",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {all: true, limit: @@0}\n")}},
       E,
       "osd_groups[0].data_devices.limit",
       "must be at least 1, got 0"},
      {"db_slots_min",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    db_devices: {rotational: false}\n"
                           "    db_slots: @@0\n")}},
       E,
       "osd_groups[0].db_slots",
       "must be at least 1, got 0"},
      {"db_slots_without_db",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    db_slots: @@2\n")}},
       W,
       "osd_groups[0].db_slots",
       "has no effect without db_devices"},
      {"block_db_size_without_db",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    block_db_size: @@1G\n")}},
       W,
       "osd_groups[0].block_db_size",
       "has no effect without db_devices"},
      {"osds_per_device",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    osds_per_device: @@0\n")}},
       E,
       "osd_groups[0].osds_per_device",
       "must be at least 1, got 0"},
      {"objectstore",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    objectstore: @@filestore\n")}},
       E,
       "osd_groups[0].objectstore",
       "must be 'bluestore', got 'filestore'"},
      {"device_class",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    crush_device_class: @@HDD\n")}},
       E,
       "osd_groups[0].crush_device_class",
       "invalid device class 'HDD': must match [a-z0-9]([a-z0-9-]*[a-z0-9])?"},
      {"exception_unknown_host",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    exceptions: [{host: @@hx}]\n")}},
       E,
       "osd_groups[0].exceptions[0].host",
       "unknown host 'hx' (did you mean 'h1'?)"},
      {"exception_not_placed",
       {{"hosts", hostsWith("  - name: h2\n")},
        {"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    exceptions: [{host: @@h2}]\n")}},
       W,
       "osd_groups[0].exceptions[0].host",
       "host 'h2' is not placed by this osd group"},
      {"exclude_unknown_slot",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    exceptions: @@[{host: h1, exclude_slots: [s9]}]\n")}},
       W,
       "osd_groups[0].exceptions",
       "exclude_slots 's9' matches no slot of host 'h1'"},
      {"failure_domain_syntax",
       {{"x", "crush: {failure_domain: @@Rack}\n"}},
       E,
       "crush.failure_domain",
       "invalid failure domain 'Rack': must be 'host' or a key of hosts[].location"},
      {"failure_domain_missing",
       {{"x", "crush: {failure_domain: rack}\n"},
        {"hosts",
         "hosts:\n  - name: h1\n    labels: [mon, osd, rgw]\n    public_ip: 10.0.0.1\n"
         "    location: @@{row: a}\n"
         "    devices: [{path: /dev/sda, size: 2T}, {path: /dev/nvme0n1, size: 1T, rotational: "
         "false}]\n"}},
       E,
       "hosts[0].location",
       "osd host 'h1' has no 'rack' (crush.failure_domain)"},
      // --- device selection ---
      {"filters_need_inventory",
       {{"hosts", hostsWith("  - name: h2\n")},
        {"osd_groups",
         osd("    placement: {hosts: [h2]}\n    data_devices: @@{rotational: true}\n")}},
       E,
       "osd_groups[0].data_devices",
       "filters need a device inventory, host 'h2' has none"},
      {"filters_match_nothing",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: @@{model: \"ST*\"}\n")}},
       W,
       "osd_groups[0].data_devices",
       "no device on host 'h1' matches the filters"},
      {"db_filters_match_nothing",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    db_devices: @@{model: \"X*\"}\n")}},
       E,
       "osd_groups[0].db_devices",
       "no device on host 'h1' matches the filters"},
      {"filter_empty_slot_name",
       {{"hosts", hostsWith("  - name: h2\n    devices: [{path: /dev/__}]\n")},
        {"osd_groups", osd("    placement: {hosts: [h2]}\n    data_devices: @@{all: true}\n")}},
       E,
       "osd_groups[0].data_devices",
       "device '/dev/__' on host 'h2' gives an empty slot name"},
      {"db_devices_short",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    db_devices: {rotational: false}\n"
                           "    db_slots: @@1\n")}},
       E,
       "osd_groups[0].db_slots",
       "2 data devices need 2 db devices at 1 slots, host 'h1' has 1"},
      {"db_capacity",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {rotational: true}\n"
                           "    db_devices: {rotational: false}\n"
                           "    block_db_size: @@600G\n")}},
       E,
       "osd_groups[0].block_db_size",
       "2 db slots of 600G need 1.17T, db device '/dev/nvme0n1' on host 'h1' has 1T"},
      {"device_two_groups",
       {{"osd_groups",
         "osd_groups:\n"
         "  - service_id: a\n"
         "    placement: {hosts: [h1]}\n"
         "    data_devices: {paths: [/dev/sda]}\n"
         "  - service_id: b\n"
         "    placement: {hosts: [h1]}\n"
         "    data_devices: @@{slots: {x1: /dev/sda}}\n"}},
       E,
       "osd_groups[1].data_devices",
       "device '/dev/sda' on host 'h1' is used by osd groups 'a' and 'b'"},
      {"device_data_and_db",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: {paths: [/dev/sda]}\n"
                           "    db_devices: @@{paths: [/dev/sda]}\n")}},
       E,
       "osd_groups[0].db_devices",
       "device '/dev/sda' on host 'h1' is selected as data and db device in osd group 'g1'"},
      {"device_listed_twice",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: @@{paths: [/dev/sda, /dev/sda]}\n")}},
       E,
       "osd_groups[0].data_devices",
       "device '/dev/sda' on host 'h1' is listed twice in osd group 'g1'"},
      {"slot_two_groups",
       {{"osd_groups",
         "osd_groups:\n"
         "  - service_id: a\n"
         "    placement: {hosts: [h1]}\n"
         "    data_devices: {slots: {s0: /dev/sda}}\n"
         "  - service_id: b\n"
         "    placement: {hosts: [h1]}\n"
         "    data_devices: @@{slots: {s0: /dev/sdb}}\n"}},
       E,
       "osd_groups[1].data_devices",
       "slot 's0' on host 'h1' is used by osd groups 'a' and 'b'"},
      {"slot_twice_in_group",
       {{"osd_groups", osd("    placement: {hosts: [h1]}\n"
                           "    data_devices: @@{paths: [/dev/a/x, /dev/b/x]}\n")}},
       E,
       "osd_groups[0].data_devices",
       "slot 'x' on host 'h1' is used twice in osd group 'g1'"},
      // --- rgw ---
      {"rgw_service_id_duplicate",
       {{"rgw",
         "rgw:\n"
         "  - service_id: main\n"
         "    frontend: {port: 8080}\n"
         "    placement: {label: rgw}\n"
         "  - service_id: @@main\n"
         "    frontend: {port: 8081}\n"
         "    placement: {label: rgw}\n"}},
       E,
       "rgw[1].service_id",
       "duplicate service id 'main' (also rgw[0])"},
      {"rgw_frontend_type",
       {{"rgw", rgw("    frontend: {type: @@civetweb, port: 8080}\n"
                    "    placement: {label: rgw}\n")}},
       E,
       "rgw[0].frontend.type",
       "must be 'beast', got 'civetweb'"},
      {"rgw_port_range",
       {{"rgw", rgw("    frontend: {port: @@70000}\n    placement: {label: rgw}\n")}},
       E,
       "rgw[0].frontend.port",
       "must be between 1 and 65535, got 70000"},
      {"rgw_port_missing",
       {{"rgw", rgw("    frontend: @@{ssl: false}\n    placement: {label: rgw}\n")}},
       E,
       "rgw[0].frontend.port",
       "must be between 1 and 65535, got 0"},
      {"rgw_count_and_autoscale",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n    count: @@1\n"
                    "    autoscale: {min: 1, max: 1, target: 5}\n")}},
       E,
       "rgw[0].count",
       "cannot be combined with autoscale"},
      {"rgw_count_eligible",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n"
                    "    count: @@3\n")}},
       E,
       "rgw[0].count",
       "count 3 exceeds the 2 eligible hosts"},
      {"autoscale_min",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n"
                    "    autoscale: {min: @@0, max: 1, target: 5}\n")}},
       E,
       "rgw[0].autoscale.min",
       "must be at least 1, got 0"},
      {"autoscale_max_below_min",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n"
                    "    autoscale: {min: 2, max: @@1, target: 5}\n")}},
       E,
       "rgw[0].autoscale.max",
       "must be at least min (2), got 1"},
      {"autoscale_max_eligible",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n"
                    "    autoscale: {min: 1, max: @@5, target: 5}\n")}},
       E,
       "rgw[0].autoscale.max",
       "max 5 exceeds the 2 eligible hosts"},
      {"autoscale_metric",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n"
                    "    autoscale: {min: 1, max: 1, target: 5, metric: @@cpu}\n")}},
       E,
       "rgw[0].autoscale.metric",
       "unknown metric 'cpu' (supported: 'requests_per_instance')"},
      {"autoscale_target",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n"
                    "    autoscale: @@{min: 1, max: 1}\n")}},
       E,
       "rgw[0].autoscale.target",
       "must be greater than 0, got 0"},
      {"autoscale_window",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n"
                    "    autoscale: {min: 1, max: 1, target: 5,\n"
                    "                scale_up: {window: @@0s}}\n")}},
       E,
       "rgw[0].autoscale.scale_up.window",
       "must be at least 1, got 0"},
      {"autoscale_step",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n"
                    "    autoscale: {min: 1, max: 1, target: 5,\n"
                    "                scale_down: {step: @@0}}\n")}},
       E,
       "rgw[0].autoscale.scale_down.step",
       "must be at least 1, got 0"},
      {"autoscale_drain",
       {{"rgw", rgw("    frontend: {port: 8080}\n    placement: {label: rgw}\n"
                    "    autoscale: {min: 1, max: 1, target: 5,\n"
                    "                scale_down: {drain_seconds: @@-1}}\n")}},
       E,
       "rgw[0].autoscale.scale_down.drain_seconds",
       "must be at least 0, got -1"},
      // --- maintenance ---
      {"schedule_syntax",
       {{"maintenance", "maintenance:\n  balancer: {schedule: @@\"R/2026-01-01T00:00:00Z/1H\"}\n"}},
       E,
       "maintenance.balancer.schedule",
       "invalid repeating interval 'R/2026-01-01T00:00:00Z/1H': invalid duration '1H': must start "
       "with 'P'"},
      {"schedule_zero_period",
       {{"maintenance", "maintenance:\n  inventory: {schedule: @@\"R//PT0S\"}\n"}},
       E,
       "maintenance.inventory.schedule",
       "schedule 'R//PT0S' has a zero period"},
      {"schedule_required",
       {{"maintenance", "maintenance:\n  inventory: @@{timezone: UTC}\n"}},
       E,
       "maintenance.inventory.schedule",
       "is required"},
      {"timezone",
       {{"maintenance", "maintenance:\n  balancer: {schedule: \"R//PT1H\", timezone: @@CET+1}\n"}},
       E,
       "maintenance.balancer.timezone",
       "'CET+1' is not a time zone name such as 'UTC' or 'Europe/Paris'"},
      {"balancer_mode",
       {{"maintenance", "maintenance:\n  balancer: {schedule: \"R//PT1H\", mode: @@fast}\n"}},
       E,
       "maintenance.balancer.mode",
       "must be one of 'upmap', 'crush-compat', 'read', 'upmap-read', 'none', got 'fast'"},
      {"balancer_max_misplaced",
       {{"maintenance",
         "maintenance:\n  balancer: {schedule: \"R//PT1H\", max_misplaced: @@1.5}\n"}},
       E,
       "maintenance.balancer.max_misplaced",
       "must be a ratio in (0, 1], got '1.5'"},
      {"job_name_missing",
       {{"maintenance",
         "maintenance:\n  jobs:\n    - @@command: x\n"
         "      schedule: \"R//PT1H\"\n"}},
       E,
       "maintenance.jobs[0].name",
       "missing required key 'name'"},
      {"job_name_syntax",
       {{"maintenance",
         "maintenance:\n  jobs:\n    - name: @@Big\n"
         "      command: x\n      schedule: \"R//PT1H\"\n"}},
       E,
       "maintenance.jobs[0].name",
       "invalid job name 'Big': must match [a-z0-9]([a-z0-9-]*[a-z0-9])?"},
      {"job_name_duplicate",
       {{"maintenance",
         "maintenance:\n  inventory: {schedule: \"R//PT1H\"}\n"
         "  jobs:\n    - name: @@inventory\n"
         "      command: x\n      schedule: \"R//PT1H\"\n"}},
       E,
       "maintenance.jobs[0].name",
       "duplicate job name 'inventory'"},
      {"job_schedule_or_parents",
       {{"maintenance",
         "maintenance:\n  jobs:\n    - @@name: a\n"
         "      command: x\n"}},
       E,
       "maintenance.jobs[0].schedule",
       "is required (or 'parents')"},
      {"job_schedule_and_parents",
       {{"maintenance",
         "maintenance:\n  jobs:\n"
         "    - {name: a, command: x, schedule: \"R//PT1H\"}\n"
         "    - {name: b, command: y, schedule: \"R//PT1H\", "
         "parents: @@[a]}\n"}},
       E,
       "maintenance.jobs[1].parents",
       "cannot be combined with schedule"},
      {"job_parent_unknown",
       {{"maintenance",
         "maintenance:\n  jobs:\n"
         "    - {name: b, command: y, parents: [@@zz]}\n"}},
       E,
       "maintenance.jobs[0].parents[0]",
       "unknown job 'zz'"},
      {"job_parent_self",
       {{"maintenance",
         "maintenance:\n  jobs:\n"
         "    - {name: b, command: y, parents: [@@b]}\n"}},
       E,
       "maintenance.jobs[0].parents[0]",
       "a job cannot be its own parent"},
      {"job_command",
       {{"maintenance", "maintenance:\n  jobs:\n    - @@{name: a, schedule: \"R//PT1H\"}\n"}},
       E,
       "maintenance.jobs[0].command",
       "is required"},
      // --- policies ---
      {"drain_in_flight",
       {{"x", "policies:\n  drain: {max_failure_domains_in_flight: @@0}\n"}},
       E,
       "policies.drain.max_failure_domains_in_flight",
       "must be at least 1, got 0"},
      {"reweight_range",
       {{"x", "policies:\n  drain: {reweight_steps: [@@1.5, 0]}\n"}},
       E,
       "policies.drain.reweight_steps[0]",
       "must be a weight in [0, 1], got 1.5"},
      {"reweight_decrease",
       {{"x", "policies:\n  drain: {reweight_steps: [0.5, @@0.7]}\n"}},
       E,
       "policies.drain.reweight_steps[1]",
       "steps must decrease, got 0.7 after 0.5"},
      {"require_health",
       {{"x", "policies:\n  drain: {require_health: @@HEALTH_OK|OK}\n"}},
       E,
       "policies.drain.require_health",
       "unknown health state 'OK' (use 'HEALTH_OK', 'HEALTH_WARN' or 'HEALTH_ERR', joined by '|')"},
      {"min_free_ratio",
       {{"x", "policies:\n  drain: {min_free_ratio_after: @@1}\n"}},
       E,
       "policies.drain.min_free_ratio_after",
       "must be a ratio in [0, 1), got 1"},
      {"max_misplaced_ratio",
       {{"x", "policies:\n  max_misplaced_ratio: @@0\n"}},
       E,
       "policies.max_misplaced_ratio",
       "must be a ratio in (0, 1], got 0"},
      {"upgrade_order_unknown",
       {{"x", "policies:\n  upgrade: {order: [mgr, @@mom]}\n"}},
       E,
       "policies.upgrade.order[1]",
       "unknown daemon type 'mom' (did you mean 'mon'?)"},
      {"upgrade_order_twice",
       {{"x", "policies:\n  upgrade: {order: [mgr, @@mgr]}\n"}},
       E,
       "policies.upgrade.order[1]",
       "daemon type 'mgr' is listed twice"},
      {"osd_batch",
       {{"x", "policies:\n  upgrade: {osd_batch: @@rack}\n"}},
       E,
       "policies.upgrade.osd_batch",
       "must be 'host' or 'failure_domain', got 'rack'"},
      {"grace",
       {{"x", "policies:\n  health_checks: {mon_grace_seconds: @@0}\n"}},
       E,
       "policies.health_checks.mon_grace_seconds",
       "must be at least 1, got 0"},
  };
  return kRows;
}

class ValidationTable : public ::testing::TestWithParam<Row> {};

TEST_P(ValidationTable, ReportsExactlyThisDiagnostic) {
  const Row& row = GetParam();
  std::string text = buildDoc(row.sections);
  auto [line, col] = testing::takeMarker(&text);
  ParsedTopology parsed = loadTopology(text);
  ASSERT_EQ(parsed.diagnostics.size(), row.count) << text << "\n"
                                                  << testing::describe(parsed.diagnostics);
  auto it = std::find_if(parsed.diagnostics.begin(), parsed.diagnostics.end(),
                         [&](const Diagnostic& d) { return d.path == row.path; });
  ASSERT_NE(it, parsed.diagnostics.end()) << testing::describe(parsed.diagnostics);
  const Diagnostic& d = *it;
  EXPECT_EQ(d.severity, row.severity);
  EXPECT_EQ(d.path, row.path);
  EXPECT_EQ(d.message, row.message);
  EXPECT_EQ(d.line, line) << text;
  EXPECT_EQ(d.col, col) << text;
  EXPECT_NE(line, 0) << "row has no @@ marker";
}

INSTANTIATE_TEST_SUITE_P(Messages, ValidationTable, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace ceph_planner::topology
