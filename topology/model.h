#pragma once

// The `ceph-planner/v1` topology as plain values. Parsing (parse.h) fills it; validation
// (validate.h) checks it; device selection (devices.h) resolves OSD slots from it. Field names
// follow cephadm's ServiceSpec/DriveGroup vocabulary; docs/topology.md is the user reference.
//
// "Not given" is modelled with std::optional or an empty string/vector, so that validation can tell
// an absent field from a zero and the renderer can apply its defaults in one place.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ceph_planner::topology {

inline constexpr char kApiVersion[] = "ceph-planner/v1";
inline constexpr char kKind[] = "CephTopology";

struct SourcePos {
  int line = 0;  // 1-based; 0 = unknown.
  int col = 0;
};

// Every node the parser saw, by YAML path (`hosts[3].devices[1].path`), so that validation can
// report a position for any path it complains about.
using SourceMap = std::map<std::string, SourcePos>;

enum class Runtime { Docker, Host };

// Mesos reservations for one task. Absent values take the role's default from the renderer.
struct Resources {
  std::optional<double> cpus;
  std::optional<double> mem;   // MiB
  std::optional<double> disk;  // MiB
};

struct ClusterSpec {
  std::string name;
  std::string fsid = "auto";  // "auto" until bootstrap freezes it.
  std::string image;          // Required for the docker runtime.
  Runtime runtime = Runtime::Docker;
  // `[global]` ceph.conf overrides, in document order; values are kept as written.
  std::vector<std::pair<std::string, std::string>> config;
  std::string marathonGroup;     // Default `/ceph/<name>`.
  std::string marathonUrl;       // Optional; the CLI flag wins.
  std::string chronosUrl;        // Optional; the CLI flag wins.
  std::string zookeeperConnect;  // Optional `cluster.zookeeper.connect`; the CLI flag wins.
  std::string zookeeperRoot;     // Optional `cluster.zookeeper.root`.
};

struct Networks {
  std::vector<std::string> publicCidrs;   // `networks.public`
  std::vector<std::string> clusterCidrs;  // `networks.cluster`
  bool msgr2Only = false;
};

struct Crush {
  std::string failureDomain = "host";  // host | rack | row | ... (a key of `hosts[].location`).
  bool deviceClassesFromSpec = true;   // OSDs get `crush_device_class` from their group.
};

// One disk as an inventory reports it (inline in the topology or from the store).
struct Device {
  std::string path;  // Stable link: /dev/disk/by-path/... or by-id/...; a file path in the box.
  bool rotational = true;
  uint64_t sizeBytes = 0;
  std::string model;
  std::string vendor;
  std::string serial;
};

struct Host {
  std::string name;                             // Equals the Mesos agent hostname.
  std::map<std::string, std::string> location;  // CRUSH location, e.g. {rack: r1}.
  std::vector<std::string> labels;
  std::string publicIp;                // Optional override.
  std::string clusterIp;               // Optional override.
  std::vector<std::string> addresses;  // Inventory: the host's addresses (for picking IPs by CIDR).
  // Extra Mesos agent attributes that stateful apps must also match (rendered as CLUSTER
  // constraints).
  std::map<std::string, std::string> attributes;
  std::vector<Device> devices;  // Inline inventory; empty = none given.
  bool hasInventory = false;    // True when `devices:` was present (even if empty).
};

// cephadm PlacementSpec: explicit hosts, a label, or a regex over host names; optional count.
struct Placement {
  std::vector<std::string> hosts;
  std::string label;
  std::string hostPattern;
  std::optional<int> count;
};

struct DaemonSpec {
  Placement placement;
  Resources resources;
  std::vector<std::string> modules;  // mgr only.
  std::string dataDir;               // Host path root; `{cluster}` is substituted.
  bool present = false;              // The section was given.
};

// A size range filter `LOW:HIGH` (either side may be empty), in bytes.
struct SizeRange {
  std::optional<uint64_t> low;
  std::optional<uint64_t> high;
  std::string text;  // As written, for messages.
};

// `data_devices` / `db_devices` / `wal_devices`: explicit slots or paths, or filters.
struct DeviceSelector {
  // Explicit slot names → paths, in document order (`slots: {s00: /dev/disk/by-path/...}`).
  std::vector<std::pair<std::string, std::string>> slots;
  // Explicit paths; their slot name is derived from the path (see devices.h `slotNameForPath`).
  std::vector<std::string> paths;
  // Filters, resolved against the host's inventory.
  std::optional<bool> rotational;
  std::optional<SizeRange> size;
  std::string model;   // Glob (`ST12000NM*`) as in cephadm.
  std::string vendor;  // Glob.
  std::optional<int> limit;
  bool all = false;
  bool present = false;  // The selector was given at all.

  bool isExplicit() const { return !slots.empty() || !paths.empty(); }
};

// Per-host exceptions inside an OSD group.
struct HostException {
  std::string host;
  std::vector<std::string> excludeSlots;
};

struct OsdGroup {
  std::string serviceId;
  Placement placement;
  DeviceSelector dataDevices;
  DeviceSelector dbDevices;
  DeviceSelector walDevices;
  std::optional<int> dbSlots;            // OSDs per DB device.
  std::optional<uint64_t> blockDbSize;   // Bytes.
  std::optional<uint64_t> blockWalSize;  // Bytes.
  int osdsPerDevice = 1;
  std::string crushDeviceClass;
  bool encrypted = false;
  bool unmanaged = false;
  std::string objectstore = "bluestore";
  Resources resources;
  std::string osdMemoryTarget;  // As written, e.g. `4G`.
  std::vector<HostException> exceptions;
};

struct ScaleWindow {
  int windowSeconds = 0;
  int step = 1;
  int drainSeconds = 0;  // Scale-down only.
};

struct Autoscale {
  int min = 1;
  int max = 1;
  std::string metric = "requests_per_instance";
  double target = 0;      // Metric value per instance.
  std::string metricUrl;  // Optional Prometheus endpoint override.
  ScaleWindow scaleUp{180, 1, 0};
  ScaleWindow scaleDown{900, 1, 0};
  int cooldownSeconds = 600;
  // Hysteresis: no load-driven change while the load per instance stays within
  // `target × (1 ± tolerance)`.
  double tolerance = 0.1;
  bool present = false;
};

struct RgwService {
  std::string serviceId;
  std::string frontendType = "beast";
  int port = 0;
  bool ssl = false;
  Placement placement;
  Resources resources;
  std::optional<int> count;  // Fixed instance count when there is no `autoscale`.
  Autoscale autoscale;
  std::string realm;
  std::string zone;
  // `loadbalancer.marathon_lb`: rendered as HAPROXY_GROUP / HAPROXY_0_VHOST labels when given.
  std::string marathonLbGroup;
  std::string marathonLbVhost;
};

// One Chronos job from `maintenance:`.
struct MaintenanceJob {
  std::string name;                  // `balancer`, `inventory`, or a user job name.
  std::string schedule;              // ISO 8601 repeating interval `Rn/start/period`.
  std::string timezone;              // Optional IANA zone name.
  std::vector<std::string> parents;  // Dependent job: runs after these succeed (no schedule).
  std::map<std::string, std::string> params;  // e.g. mode: upmap, max_misplaced: 0.05.
  std::string command;                        // Only for user jobs.
  std::string yamlPath;  // Where it was written (`maintenance.jobs[2]`); empty when built in code.
};

struct DrainPolicy {
  int maxFailureDomainsInFlight = 1;
  std::vector<double> reweightSteps{0.5, 0.0};
  std::string requireHealth = "HEALTH_OK|HEALTH_WARN";
  double minFreeRatioAfter = 0.25;
};

struct UpgradePolicy {
  std::vector<std::string> order{"mgr", "mon", "osd", "rgw"};
  std::string osdBatch = "host";
  bool setNoautoscale = true;
};

struct HealthCheckPolicy {
  int osdGraceSeconds = 3600;
  int monGraceSeconds = 300;
};

struct Policies {
  DrainPolicy drain;
  UpgradePolicy upgrade;
  HealthCheckPolicy healthChecks;
  double maxMisplacedRatio = 0.05;  // Rebalance bound.
};

struct Topology {
  std::string apiVersion;
  std::string kind;
  ClusterSpec cluster;
  Networks networks;
  Crush crush;
  std::vector<Host> hosts;
  DaemonSpec mons;
  DaemonSpec mgrs;
  std::vector<OsdGroup> osdGroups;
  std::vector<RgwService> rgw;
  std::vector<MaintenanceJob> maintenance;
  Policies policies;

  SourceMap positions;  // Filled by the parser; empty for topologies built in code.
};

}  // namespace ceph_planner::topology
