// Semantic checks of a parsed topology. Every check appends to one list and carries on, so one run
// reports every problem. Host lookups go through a hash map: validation stays linear in the number
// of hosts (10,000-host topologies are benchmarked).

#include "topology/validate.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "common/iso8601.h"
#include "common/strings.h"
#include "topology/devices.h"
#include "topology/placement.h"
#include "topology/positions.h"

namespace ceph_planner::topology {
namespace {

constexpr char kIdPattern[] = "[a-z0-9]([a-z0-9-]*[a-z0-9])?";

bool isLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// `[a-z0-9]([a-z0-9-]*[a-z0-9])?`, at most `maxLength` characters.
bool isValidId(std::string_view s, size_t maxLength = 63) {
  return s.size() <= maxLength && isValidSlotName(s);
}

bool isValidClusterName(std::string_view s) {
  return isValidId(s, 20);
}

bool isValidDnsName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (const auto& label : splitString(s, '.')) {
    if (label.size() > 63 || !isValidId(label)) return false;
  }
  return true;
}

bool isUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// `UTC`, or `Area/City[/Sub]` with IANA-style components (`America/Argentina/Buenos_Aires`,
// `Etc/GMT+5`). No zone database is consulted: this catches typos of shape, not of spelling.
bool isPlausibleTimeZone(std::string_view s) {
  if (s == "UTC") return true;
  auto parts = splitString(s, '/');
  if (parts.size() < 2 || parts.size() > 3) return false;
  for (const auto& p : parts) {
    if (p.empty() || !std::isupper(static_cast<unsigned char>(p[0]))) return false;
    for (char c : p) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '+') {
        return false;
      }
    }
  }
  return true;
}

bool isAbsolutePath(std::string_view s) {
  return !s.empty() && s[0] == '/';
}

bool isValidMarathonGroup(std::string_view s) {
  if (s.size() < 2 || s[0] != '/') return false;
  for (const auto& segment : splitString(s.substr(1), '/')) {
    if (segment.empty()) return false;
    if (!isLowerAlnum(segment.front()) || !isLowerAlnum(segment.back())) return false;
    for (char c : segment) {
      if (!isLowerAlnum(c) && c != '-' && c != '.') return false;
    }
  }
  return true;
}

std::string fmt(double v) {
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

class Validator {
 public:
  Validator(const Topology& t, const Inventory& inventory) : t_(t), inventory_(inventory) {}

  Diagnostics run() {
    root();
    cluster();
    networks();
    hosts();
    mons();
    daemon(t_.mgrs, "mgrs", "mgr", /*required=*/true);
    osdGroups();
    rgws();
    maintenance();
    policies();
    DeviceSelection selection = resolveOsdSlots(t_, inventory_);
    for (auto& d : selection.diagnostics) out_.push_back(std::move(d));
    return std::move(out_);
  }

 private:
  void error(std::string path, std::string message) {
    out_.push_back(
        makeDiagnostic(t_.positions, Severity::Error, std::move(path), std::move(message)));
  }
  void warning(std::string path, std::string message) {
    out_.push_back(
        makeDiagnostic(t_.positions, Severity::Warning, std::move(path), std::move(message)));
  }

  void atLeast(const std::string& path, int value, int minimum) {
    if (value < minimum) {
      error(path, "must be at least " + std::to_string(minimum) + ", got " + std::to_string(value));
    }
  }
  void positive(const std::string& path, double value) {
    if (!(value > 0)) error(path, "must be greater than 0, got " + fmt(value));
  }
  void ratio(const std::string& path, double value, bool allowZero, bool allowOne) {
    bool ok = (allowZero ? value >= 0 : value > 0) && (allowOne ? value <= 1 : value < 1);
    if (!ok) {
      error(path, std::string("must be a ratio in ") + (allowZero ? "[0" : "(0") + ", 1" +
                      (allowOne ? "]" : ")") + ", got " + fmt(value));
    }
  }

  void root() {
    if (t_.apiVersion.empty()) {
      error("apiVersion", "is required");
    } else if (t_.apiVersion != kApiVersion) {
      error("apiVersion", "must be " + quoted(kApiVersion) + ", got " + quoted(t_.apiVersion));
    }
    if (t_.kind.empty()) {
      error("kind", "is required");
    } else if (t_.kind != kKind) {
      error("kind", "must be " + quoted(kKind) + ", got " + quoted(t_.kind));
    }
  }

  void cluster() {
    const ClusterSpec& c = t_.cluster;
    if (c.name.empty()) {
      error("cluster.name", "is required");
    } else if (!isValidClusterName(c.name)) {
      error("cluster.name", "invalid cluster name " + quoted(c.name) +
                                ": must be 1 to 20 of [a-z0-9-], not starting or ending with '-'");
    }
    if (c.fsid != "auto" && !isUuid(c.fsid)) {
      error("cluster.fsid", "must be 'auto' or a uuid, got " + quoted(c.fsid));
    }
    if (c.runtime == Runtime::Docker && c.image.empty()) {
      error("cluster.image", "is required for runtime 'docker'");
    }
    if (!c.marathonGroup.empty() && !isValidMarathonGroup(c.marathonGroup)) {
      error("cluster.marathon.group",
            "must be an absolute marathon group id such as '/ceph/prod1', got " +
                quoted(c.marathonGroup));
    }
  }

  void cidrList(const std::vector<std::string>& cidrs, const std::string& path) {
    for (size_t i = 0; i < cidrs.size(); ++i) {
      if (!isValidCidr(cidrs[i])) error(indexPath(path, i), "invalid cidr " + quoted(cidrs[i]));
    }
  }

  void networks() {
    if (t_.networks.publicCidrs.empty()) {
      error("networks.public", "is required: mons need an address inside it");
    }
    cidrList(t_.networks.publicCidrs, "networks.public");
    cidrList(t_.networks.clusterCidrs, "networks.cluster");
  }

  bool hasValidCidr(const std::vector<std::string>& cidrs) {
    return std::any_of(cidrs.begin(), cidrs.end(),
                       [](const std::string& c) { return isValidCidr(c); });
  }

  bool insideAny(const std::vector<std::string>& cidrs, const std::string& ip) {
    for (const auto& c : cidrs) {
      if (cidrContains(c, ip)) return true;
    }
    return false;
  }

  void hosts() {
    if (t_.hosts.empty()) error("hosts", "at least one host is required");
    byName_.reserve(t_.hosts.size());
    for (size_t i = 0; i < t_.hosts.size(); ++i) {
      const Host& h = t_.hosts[i];
      const std::string path = indexPath("hosts", i);
      if (h.name.empty()) {
        error(path + ".name", "is required");
        continue;
      }
      if (!isValidDnsName(h.name)) {
        error(path + ".name", "invalid host name " + quoted(h.name) +
                                  ": must be a lower-case dns name (labels of [a-z0-9-], "
                                  "separated by '.')");
      }
      auto [it, inserted] = byName_.emplace(h.name, i);
      if (!inserted) {
        error(path + ".name", "duplicate host name " + quoted(h.name) + " (also " +
                                  indexPath("hosts", it->second) + ")");
      }
      ip(h.publicIp, path + ".public_ip", t_.networks.publicCidrs, "networks.public");
      ip(h.clusterIp, path + ".cluster_ip", t_.networks.clusterCidrs, "networks.cluster");
      for (size_t k = 0; k < h.addresses.size(); ++k) {
        if (!isValidIpAddress(h.addresses[k])) {
          error(indexPath(path + ".addresses", k), "invalid ip address " + quoted(h.addresses[k]));
        }
      }
      std::unordered_set<std::string_view> paths;
      for (size_t k = 0; k < h.devices.size(); ++k) {
        const Device& d = h.devices[k];
        const std::string dpath = indexPath(path + ".devices", k) + ".path";
        if (d.path.empty()) {
          error(dpath, "is required");
        } else if (!isAbsolutePath(d.path)) {
          error(dpath, "must be an absolute path, got " + quoted(d.path));
        } else if (!paths.insert(d.path).second) {
          error(dpath, "duplicate device path " + quoted(d.path) + " on host " + quoted(h.name));
        }
      }
    }
  }

  void ip(const std::string& value, const std::string& path, const std::vector<std::string>& cidrs,
          const char* network) {
    if (value.empty()) return;
    if (!isValidIpAddress(value)) {
      error(path, "invalid ip address " + quoted(value));
    } else if (hasValidCidr(cidrs) && !insideAny(cidrs, value)) {  // Bad CIDRs are reported once.
      error(path, quoted(value) + " is not inside " + network);
    }
  }

  void resources(const Resources& r, const std::string& path) {
    if (r.cpus) positive(path + ".cpus", *r.cpus);
    if (r.mem) positive(path + ".mem", *r.mem);
    if (r.disk) positive(path + ".disk", *r.disk);
  }

  // Checks a placement and returns the hosts it resolves to. An explicit host that does not exist
  // is an error; a label or pattern that matches nothing is `emptyLabelSeverity` (an error for
  // mons and mgrs, which must exist; a warning elsewhere, where hosts may be added later).
  std::vector<const Host*> placement(const Placement& p, const std::string& path,
                                     Severity emptySeverity) {
    const std::string pp = path + ".placement";
    const int kinds = (!p.hosts.empty() ? 1 : 0) + (!p.label.empty() || !p.hostPattern.empty());
    if (kinds == 0) {
      error(pp, "must give 'hosts', 'label' or 'host_pattern'");
      return {};
    }
    if (kinds > 1) error(pp, "'hosts' cannot be combined with 'label' or 'host_pattern'");
    std::unordered_set<std::string_view> listed;
    for (size_t i = 0; i < p.hosts.size(); ++i) {
      const std::string hp = indexPath(pp + ".hosts", i);
      if (!listed.insert(p.hosts[i]).second) {
        error(hp, "host " + quoted(p.hosts[i]) + " is listed twice");
      } else if (!byName_.count(p.hosts[i])) {
        unknownHost(hp, p.hosts[i]);
      }
    }
    if (p.count) atLeast(pp + ".count", *p.count, 1);
    std::vector<const Host*> placed = resolvePlacement(t_, p);
    Placement uncounted = p;  // `count: 0` is reported above; the selection itself may be fine.
    uncounted.count.reset();
    if (p.hosts.empty() && resolvePlacement(t_, uncounted).empty()) {
      std::string what = !p.label.empty() ? "label " + quoted(p.label) : "";
      if (!p.hostPattern.empty()) {
        what +=
            (what.empty() ? "" : " and ") + std::string("host_pattern ") + quoted(p.hostPattern);
      }
      Diagnostic d = makeDiagnostic(t_.positions, emptySeverity, pp, what + " matches no host");
      out_.push_back(std::move(d));
    }
    return placed;
  }

  void unknownHost(const std::string& path, const std::string& name) {
    std::string hint;
    if (byName_.size() <= 1000) {  // The hint is a linear scan; skip it for huge inventories.
      std::vector<std::string> names;
      names.reserve(byName_.size());
      for (const auto& [n, i] : byName_) names.emplace_back(n);
      std::sort(names.begin(), names.end());
      hint = closestMatch(name, names);
    }
    error(path, "unknown host " + quoted(name) +
                    (hint.empty() ? "" : " (did you mean " + quoted(hint) + "?)"));
  }

  std::vector<const Host*> daemon(const DaemonSpec& d, const std::string& path, const char* kind,
                                  bool required) {
    if (!d.present) {
      if (required) error(path, std::string("is required: the cluster needs at least one ") + kind);
      return {};
    }
    std::vector<const Host*> placed = placement(d.placement, path, Severity::Error);
    resources(d.resources, path + ".resources");
    if (!d.dataDir.empty() && !isAbsolutePath(d.dataDir)) {
      error(path + ".data_dir", "must be an absolute path, got " + quoted(d.dataDir));
    }
    return placed;
  }

  void mons() {
    std::vector<const Host*> placed = daemon(t_.mons, "mons", "mon", /*required=*/true);
    if (!t_.mons.present) return;
    if (!placed.empty() && placed.size() % 2 == 0) {
      error("mons.placement", "mon count must be odd (1, 3, 5, ...) for a quorum, got " +
                                  std::to_string(placed.size()));
    }
    if (!hasValidCidr(t_.networks.publicCidrs)) return;  // Reported under networks.public.
    for (const Host* h : placed) {
      if (!publicAddress(t_, *h, inventory_)) {
        error(indexPath("hosts", static_cast<size_t>(h - t_.hosts.data())),
              "mon host " + quoted(h->name) +
                  " has no address inside networks.public (set public_ip or addresses)");
      }
    }
  }

  void selector(const DeviceSelector& s, const std::string& path) {
    if (!s.present) return;
    const bool filters =
        s.rotational || s.size || !s.model.empty() || !s.vendor.empty() || s.limit || s.all;
    if (!s.isExplicit() && !filters) {
      error(path, "must give 'slots', 'paths', a filter or 'all: true'");
    }
    if (s.isExplicit() && filters) {
      error(path, "explicit 'slots' or 'paths' cannot be combined with filters");
    }
    for (const auto& [slot, devicePath] : s.slots) {
      const std::string sp = path + ".slots." + slot;
      if (!isValidSlotName(slot)) {
        error(sp, "invalid slot name " + quoted(slot) + ": must match " + kIdPattern);
      }
      if (!isAbsolutePath(devicePath)) {
        error(sp, "must be an absolute device path, got " + quoted(devicePath));
      }
    }
    for (size_t i = 0; i < s.paths.size(); ++i) {
      const std::string pp = indexPath(path + ".paths", i);
      if (!isAbsolutePath(s.paths[i])) {
        error(pp, "must be an absolute device path, got " + quoted(s.paths[i]));
      } else if (slotNameForPath(s.paths[i]).empty()) {
        error(pp, "device path " + quoted(s.paths[i]) + " gives an empty slot name");
      }
    }
    if (s.size && s.size->low && s.size->high && *s.size->low > *s.size->high) {
      error(path + ".size",
            "range " + quoted(s.size->text) + " has its low end above its high end");
    }
    if (s.limit) atLeast(path + ".limit", *s.limit, 1);
  }

  void osdGroups() {
    std::unordered_map<std::string_view, size_t> ids;
    for (size_t g = 0; g < t_.osdGroups.size(); ++g) {
      const OsdGroup& group = t_.osdGroups[g];
      const std::string path = indexPath("osd_groups", g);
      serviceId(group.serviceId, path, "osd_groups", g, &ids);
      std::vector<const Host*> placed = placement(group.placement, path, Severity::Warning);
      for (const Host* h : placed) osdHosts_.insert(h);
      if (!group.dataDevices.present) error(path + ".data_devices", "is required");
      selector(group.dataDevices, path + ".data_devices");
      selector(group.dbDevices, path + ".db_devices");
      selector(group.walDevices, path + ".wal_devices");
      if (group.dbSlots) atLeast(path + ".db_slots", *group.dbSlots, 1);
      if (!group.dbDevices.present) {
        if (group.dbSlots) warning(path + ".db_slots", "has no effect without db_devices");
        if (group.blockDbSize) warning(path + ".block_db_size", "has no effect without db_devices");
      }
      atLeast(path + ".osds_per_device", group.osdsPerDevice, 1);
      if (group.objectstore != "bluestore") {
        error(path + ".objectstore", "must be 'bluestore', got " + quoted(group.objectstore));
      }
      if (!group.crushDeviceClass.empty() && !isValidId(group.crushDeviceClass)) {
        error(path + ".crush_device_class", "invalid device class " +
                                                quoted(group.crushDeviceClass) + ": must match " +
                                                kIdPattern);
      }
      resources(group.resources, path + ".resources");
      std::unordered_set<const Host*> placedSet(placed.begin(), placed.end());
      for (size_t e = 0; e < group.exceptions.size(); ++e) {
        const HostException& ex = group.exceptions[e];
        const std::string ep = indexPath(path + ".exceptions", e) + ".host";
        auto it = byName_.find(ex.host);
        if (it == byName_.end()) {
          unknownHost(ep, ex.host);
        } else if (!placedSet.count(&t_.hosts[it->second])) {
          warning(ep, "host " + quoted(ex.host) + " is not placed by this osd group");
        }
      }
    }
    failureDomain();
  }

  void serviceId(const std::string& id, const std::string& path, const char* section, size_t index,
                 std::unordered_map<std::string_view, size_t>* ids) {
    const std::string ip = path + ".service_id";
    if (id.empty()) {
      error(ip, "is required");
      return;
    }
    if (!isValidId(id))
      error(ip, "invalid service id " + quoted(id) + ": must match " + kIdPattern);
    auto [it, inserted] = ids->emplace(id, index);
    if (!inserted) {
      error(ip, "duplicate service id " + quoted(id) + " (also " + indexPath(section, it->second) +
                    ")");
    }
  }

  void failureDomain() {
    const std::string& fd = t_.crush.failureDomain;
    if (fd == "host") return;
    if (!isValidId(fd)) {
      error("crush.failure_domain", "invalid failure domain " + quoted(fd) +
                                        ": must be 'host' or a key of hosts[].location");
      return;
    }
    for (size_t i = 0; i < t_.hosts.size(); ++i) {
      if (osdHosts_.count(&t_.hosts[i]) && !t_.hosts[i].location.count(fd)) {
        error(indexPath("hosts", i) + ".location", "osd host " + quoted(t_.hosts[i].name) +
                                                       " has no " + quoted(fd) +
                                                       " (crush.failure_domain)");
      }
    }
  }

  void rgws() {
    std::unordered_map<std::string_view, size_t> ids;
    for (size_t i = 0; i < t_.rgw.size(); ++i) {
      const RgwService& r = t_.rgw[i];
      const std::string path = indexPath("rgw", i);
      serviceId(r.serviceId, path, "rgw", i, &ids);
      if (r.frontendType != "beast") {
        error(path + ".frontend.type", "must be 'beast', got " + quoted(r.frontendType));
      }
      if (r.port < 1 || r.port > 65535) {
        error(path + ".frontend.port",
              "must be between 1 and 65535, got " + std::to_string(r.port));
      }
      std::vector<const Host*> placed = placement(r.placement, path, Severity::Warning);
      resources(r.resources, path + ".resources");
      const int eligible = static_cast<int>(placed.size());
      if (r.count) {
        if (r.autoscale.present) error(path + ".count", "cannot be combined with autoscale");
        atLeast(path + ".count", *r.count, 1);
        if (*r.count > eligible && eligible > 0) {
          error(path + ".count", "count " + std::to_string(*r.count) + " exceeds the " +
                                     std::to_string(eligible) + " eligible hosts");
        }
      }
      if (r.autoscale.present) autoscale(r.autoscale, path + ".autoscale", eligible);
    }
  }

  void autoscale(const Autoscale& a, const std::string& path, int eligible) {
    atLeast(path + ".min", a.min, 1);
    if (a.max < a.min) {
      error(path + ".max",
            "must be at least min (" + std::to_string(a.min) + "), got " + std::to_string(a.max));
    } else if (eligible > 0 && a.max > eligible) {
      error(path + ".max", "max " + std::to_string(a.max) + " exceeds the " +
                               std::to_string(eligible) + " eligible hosts");
    }
    if (a.metric != "requests_per_instance") {
      error(path + ".metric",
            "unknown metric " + quoted(a.metric) + " (supported: 'requests_per_instance')");
    }
    positive(path + ".target", a.target);
    atLeast(path + ".scale_up.window", a.scaleUp.windowSeconds, 1);
    atLeast(path + ".scale_up.step", a.scaleUp.step, 1);
    atLeast(path + ".scale_down.window", a.scaleDown.windowSeconds, 1);
    atLeast(path + ".scale_down.step", a.scaleDown.step, 1);
    atLeast(path + ".scale_down.drain_seconds", a.scaleDown.drainSeconds, 0);
    atLeast(path + ".cooldown", a.cooldownSeconds, 0);
    ratio(path + ".tolerance", a.tolerance, /*allowZero=*/true, /*allowOne=*/false);
  }

  void maintenance() {
    std::unordered_map<std::string_view, const MaintenanceJob*> names;
    for (const auto& j : t_.maintenance) {
      const std::string path = j.yamlPath.empty() ? "maintenance" : j.yamlPath;
      if (j.name.empty()) {
        error(path + ".name", "is required");
      } else if (!isValidId(j.name)) {
        error(path + ".name", "invalid job name " + quoted(j.name) + ": must match " + kIdPattern);
      } else if (!names.emplace(j.name, &j).second) {
        error(path + ".name", "duplicate job name " + quoted(j.name));
      }
    }
    const bool fromYaml = [&] {
      for (const auto& j : t_.maintenance) {
        if (j.yamlPath.empty()) return false;
      }
      return true;
    }();
    for (const auto& j : t_.maintenance) {
      const std::string path = j.yamlPath.empty() ? "maintenance" : j.yamlPath;
      const bool user = fromYaml ? startsWith(path, "maintenance.jobs") : !j.command.empty();
      if (!j.schedule.empty() && !j.parents.empty()) {
        error(path + ".parents", "cannot be combined with schedule");
      } else if (j.schedule.empty() && j.parents.empty()) {
        error(path + ".schedule", user ? "is required (or 'parents')" : "is required");
      }
      if (!j.schedule.empty()) schedule(j.schedule, path + ".schedule");
      if (!j.timezone.empty() && !isPlausibleTimeZone(j.timezone)) {
        error(path + ".timezone",
              quoted(j.timezone) + " is not a time zone name such as 'UTC' or 'Europe/Paris'");
      }
      for (size_t k = 0; k < j.parents.size(); ++k) {
        const std::string pp = indexPath(path + ".parents", k);
        if (j.parents[k] == j.name) {
          error(pp, "a job cannot be its own parent");
        } else if (!names.count(j.parents[k])) {
          error(pp, "unknown job " + quoted(j.parents[k]));
        }
      }
      if (user && j.command.empty()) error(path + ".command", "is required");
      auto mode = j.params.find("mode");
      if (mode != j.params.end()) {
        static const std::vector<std::string> kModes = {"upmap", "crush-compat", "read",
                                                        "upmap-read", "none"};
        if (std::find(kModes.begin(), kModes.end(), mode->second) == kModes.end()) {
          error(path + ".mode",
                "must be one of 'upmap', 'crush-compat', 'read', 'upmap-read', "
                "'none', got " +
                    quoted(mode->second));
        }
      }
      auto misplaced = j.params.find("max_misplaced");
      if (misplaced != j.params.end()) {
        char* end = nullptr;
        double v = std::strtod(misplaced->second.c_str(), &end);
        if (misplaced->second.empty() || *end != '\0' || !(v > 0 && v <= 1)) {
          error(path + ".max_misplaced",
                "must be a ratio in (0, 1], got " + quoted(misplaced->second));
        }
      }
    }
  }

  void schedule(const std::string& text, const std::string& path) {
    auto parsed = iso8601::parseRepeatingInterval(text);
    if (!parsed) {
      error(path, parsed.error().message);
    } else if (parsed->period.isZero()) {
      error(path, "schedule " + quoted(text) + " has a zero period");
    }
  }

  void policies() {
    const Policies& p = t_.policies;
    atLeast("policies.drain.max_failure_domains_in_flight", p.drain.maxFailureDomainsInFlight, 1);
    for (size_t i = 0; i < p.drain.reweightSteps.size(); ++i) {
      const std::string sp = indexPath("policies.drain.reweight_steps", i);
      const double v = p.drain.reweightSteps[i];
      if (v < 0 || v > 1) {
        error(sp, "must be a weight in [0, 1], got " + fmt(v));
      } else if (i > 0 && v >= p.drain.reweightSteps[i - 1]) {
        error(sp,
              "steps must decrease, got " + fmt(v) + " after " + fmt(p.drain.reweightSteps[i - 1]));
      }
    }
    for (const auto& state : splitString(p.drain.requireHealth, '|')) {
      if (state != "HEALTH_OK" && state != "HEALTH_WARN" && state != "HEALTH_ERR") {
        error("policies.drain.require_health",
              "unknown health state " + quoted(state) +
                  " (use 'HEALTH_OK', 'HEALTH_WARN' or 'HEALTH_ERR', joined by '|')");
      }
    }
    ratio("policies.drain.min_free_ratio_after", p.drain.minFreeRatioAfter, true, false);
    ratio("policies.max_misplaced_ratio", p.maxMisplacedRatio, false, true);
    static const std::vector<std::string> kDaemons = {"mgr", "mon", "crash", "osd", "mds", "rgw"};
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < p.upgrade.order.size(); ++i) {
      const std::string op = indexPath("policies.upgrade.order", i);
      const std::string& d = p.upgrade.order[i];
      if (std::find(kDaemons.begin(), kDaemons.end(), d) == kDaemons.end()) {
        std::string hint = closestMatch(d, kDaemons);
        error(op, "unknown daemon type " + quoted(d) +
                      (hint.empty() ? "" : " (did you mean " + quoted(hint) + "?)"));
      } else if (!seen.insert(d).second) {
        error(op, "daemon type " + quoted(d) + " is listed twice");
      }
    }
    if (p.upgrade.osdBatch != "host" && p.upgrade.osdBatch != "failure_domain") {
      error("policies.upgrade.osd_batch",
            "must be 'host' or 'failure_domain', got " + quoted(p.upgrade.osdBatch));
    }
    atLeast("policies.health_checks.osd_grace_seconds", p.healthChecks.osdGraceSeconds, 1);
    atLeast("policies.health_checks.mon_grace_seconds", p.healthChecks.monGraceSeconds, 1);
  }

  const Topology& t_;
  const Inventory& inventory_;
  Diagnostics out_;
  std::unordered_map<std::string_view, size_t> byName_;
  std::unordered_set<const Host*> osdHosts_;
};

}  // namespace

Diagnostics validateTopology(const Topology& topology, const Inventory& inventory) {
  return Validator(topology, inventory).run();
}

}  // namespace ceph_planner::topology
