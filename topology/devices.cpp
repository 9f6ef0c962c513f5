#include "topology/devices.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "common/strings.h"
#include "topology/placement.h"
#include "topology/positions.h"

namespace ceph_planner::topology {
namespace {

// `path` points into the topology or the inventory, which outlive a resolution.
struct Candidate {
  std::string slot;
  std::string_view path;
};

enum class Role { Data, Db, Wal };

// Equality that compares from the end: device paths and slot names of one host share long
// prefixes (`/dev/disk/by-path/pci-0000:3b:00.0-sas-phy…`) and differ near the end, and the claim
// lists below are searched linearly, mostly for names they do not hold.
bool equalFromEnd(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = a.size(); i > 0; --i) {
    if (a[i - 1] != b[i - 1]) return false;
  }
  return true;
}

// The size and the last 7 bytes of a name, packed: claim lists compare these first (one integer
// comparison tells most device paths and slot names apart) and the names only when they match.
uint64_t tailKey(std::string_view name) {
  uint64_t key = 0;
  const std::size_t n = std::min<std::size_t>(name.size(), 7);
  for (std::size_t i = name.size() - n; i < name.size(); ++i) {
    key = key << 8 | static_cast<unsigned char>(name[i]);
  }
  return key << 8 | (name.size() & 0xff);
}

const char* roleName(Role role) {
  switch (role) {
    case Role::Data:
      return "data";
    case Role::Db:
      return "db";
    default:
      return "wal";
  }
}

// The devices known for `host`: its inline inventory, else the store's; nullptr when neither.
const std::vector<Device>* devicesOf(const Host& host, const Inventory& inventory) {
  if (host.hasInventory) return &host.devices;
  auto it = inventory.find(host.name);
  if (it != inventory.end()) return &it->second.devices;
  return nullptr;
}

bool matches(const DeviceSelector& s, const Device& d) {
  if (s.rotational && *s.rotational != d.rotational) return false;
  if (s.size) {
    if (s.size->low && d.sizeBytes < *s.size->low) return false;
    if (s.size->high && d.sizeBytes > *s.size->high) return false;
  }
  if (!s.model.empty() && !globMatch(s.model, d.model)) return false;
  if (!s.vendor.empty() && !globMatch(s.vendor, d.vendor)) return false;
  return true;
}

bool hasFilter(const DeviceSelector& s) {
  return s.rotational || s.size || !s.model.empty() || !s.vendor.empty() || s.limit || s.all;
}

class Resolver {
 public:
  Resolver(const Topology& t, const Inventory& inventory, DeviceSelection* out)
      : t_(t),
        inventory_(inventory),
        out_(out),
        perHost_(t.hosts.size()),
        used_(t.hosts.size()),
        slotsUsed_(t.hosts.size()) {}

  void run() {
    // One group resolves host by host in topology order, which is the output order: its slots
    // go straight to the output instead of through the per-host lists.
    direct_ = t_.osdGroups.size() == 1;
    for (size_t g = 0; g < t_.osdGroups.size(); ++g) group(g);
    if (direct_) return;
    size_t total = 0;
    for (const auto& slots : perHost_) total += slots.size();
    out_->slots.reserve(total);
    for (auto& slots : perHost_) {
      for (auto& s : slots) out_->slots.push_back(std::move(s));
    }
  }

 private:
  void diag(Severity severity, std::string path, std::string message) {
    out_->diagnostics.push_back(
        makeDiagnostic(t_.positions, severity, std::move(path), std::move(message)));
  }

  // Candidates of one selector on one host, in selector order (explicit) or path order (filters).
  // `ok` turns false when the host cannot be resolved (no inventory for filters).
  std::vector<Candidate> select(const DeviceSelector& s, const Host& host, const std::string& path,
                                bool* ok) {
    std::vector<Candidate> out;
    if (!s.present) return out;
    // Sized once for the explicit entries (growing it cost five allocations per host and group).
    out.reserve(s.slots.size() + s.paths.size());
    for (const auto& [slot, devicePath] : s.slots) out.push_back({slot, devicePath});
    for (const auto& devicePath : s.paths) out.push_back({slotNameForPath(devicePath), devicePath});
    if (s.isExplicit() || !hasFilter(s)) return out;
    const std::vector<Device>* devices = devicesOf(host, inventory_);
    if (devices == nullptr) {
      diag(Severity::Error, path,
           "filters need a device inventory, host " + quoted(host.name) + " has none");
      *ok = false;
      return out;
    }
    std::vector<const Device*> picked;
    for (const auto& d : *devices) {
      if (matches(s, d)) picked.push_back(&d);
    }
    if (picked.empty()) *ok = false;  // Reported by the caller as "matches nothing" when data.
    std::sort(picked.begin(), picked.end(),
              [](const Device* a, const Device* b) { return a->path < b->path; });
    picked.erase(std::unique(picked.begin(), picked.end(),
                             [](const Device* a, const Device* b) { return a->path == b->path; }),
                 picked.end());
    if (s.limit && *s.limit >= 0 && picked.size() > static_cast<size_t>(*s.limit)) {
      picked.resize(static_cast<size_t>(*s.limit));
    }
    for (const Device* d : picked) {
      std::string slot = slotNameForPath(d->path);
      if (slot.empty()) {
        diag(Severity::Error, path,
             "device " + quoted(d->path) + " on host " + quoted(host.name) +
                 " gives an empty slot name");
        continue;
      }
      out.push_back({std::move(slot), d->path});
    }
    return out;
  }

  // Claims `path` on host `h` for group `g` in `role`; reports a second claim.
  bool claim(size_t h, size_t g, Role role, std::string_view devicePath,
             const std::string& diagPath) {
    auto& used = used_[h];
    const uint64_t key = tailKey(devicePath);
    auto it = std::find_if(used.begin(), used.end(), [&](const DeviceClaim& c) {
      return c.key == key && equalFromEnd(c.path, devicePath);
    });
    if (it == used.end()) {
      used.push_back({devicePath, key, g, role});
      return true;
    }
    const size_t otherGroup = it->group;
    const Role otherRole = it->role;
    const std::string& host = t_.hosts[h].name;
    const std::string& name = t_.osdGroups[g].serviceId;
    if (otherGroup != g) {
      diag(Severity::Error, diagPath,
           "device " + quoted(devicePath) + " on host " + quoted(host) + " is used by osd groups " +
               quoted(t_.osdGroups[otherGroup].serviceId) + " and " + quoted(name));
    } else if (otherRole != role) {
      diag(Severity::Error, diagPath,
           "device " + quoted(devicePath) + " on host " + quoted(host) + " is selected as " +
               roleName(otherRole) + " and " + roleName(role) + " device in osd group " +
               quoted(name));
    } else {
      diag(Severity::Error, diagPath,
           "device " + quoted(devicePath) + " on host " + quoted(host) +
               " is listed twice in osd group " + quoted(name));
    }
    return false;
  }

  bool claimSlot(size_t h, size_t g, const std::string& slot, const std::string& diagPath) {
    auto& used = slotsUsed_[h];
    const uint64_t key = tailKey(slot);
    auto it = std::find_if(used.begin(), used.end(), [&](const SlotClaim& c) {
      return c.key == key && equalFromEnd(c.slot, slot);
    });
    if (it == used.end()) {
      used.push_back({slot, key, g});
      return true;
    }
    const std::string& host = t_.hosts[h].name;
    if (it->group != g) {
      diag(Severity::Error, diagPath,
           "slot " + quoted(slot) + " on host " + quoted(host) + " is used by osd groups " +
               quoted(t_.osdGroups[it->group].serviceId) + " and " +
               quoted(t_.osdGroups[g].serviceId));
    } else {
      diag(Severity::Error, diagPath,
           "slot " + quoted(slot) + " on host " + quoted(host) + " is used twice in osd group " +
               quoted(t_.osdGroups[g].serviceId));
    }
    return false;
  }

  bool hasInventory(const Host& host) { return devicesOf(host, inventory_) != nullptr; }

  uint64_t sizeOf(const Host& host, std::string_view devicePath) {
    const std::vector<Device>* devices = devicesOf(host, inventory_);
    if (devices == nullptr) return 0;
    for (const auto& d : *devices) {
      if (d.path == devicePath) return d.sizeBytes;
    }
    return 0;
  }

  void group(size_t g) {
    const OsdGroup& group = t_.osdGroups[g];
    if (!group.dataDevices.present) return;
    const std::string base = indexPath("osd_groups", g);
    const Host* first = t_.hosts.data();
    std::vector<const Host*> hosts = resolvePlacement(t_, group.placement);
    std::sort(hosts.begin(), hosts.end());  // Topology order (the hosts vector is contiguous).
    std::unordered_map<std::string_view, std::vector<const HostException*>> exceptions;
    for (const auto& e : group.exceptions) exceptions[e.host].push_back(&e);
    static const std::vector<const HostException*> kNone;
    const GroupPaths paths{base, base + ".data_devices", base + ".db_devices",
                           base + ".wal_devices"};
    for (const Host* host : hosts) {
      auto it = exceptions.empty() ? exceptions.end() : exceptions.find(host->name);
      hostSlots(g, group, paths, static_cast<size_t>(host - first),
                it == exceptions.end() ? kNone : it->second);
      if (direct_ && host == hosts.front()) {
        // Hosts of a group usually look alike: size the output after the first one.
        out_->slots.reserve(out_->slots.size() * hosts.size());
      }
    }
  }

  // Diagnostic paths of one group, built once per group rather than per host.
  struct GroupPaths {
    std::string base;
    std::string data;
    std::string db;
    std::string wal;
  };

  // Keeps the elements of `list` for which `keep` holds, in order, without a second vector.
  template <typename Keep>
  static void keepIf(std::vector<Candidate>* list, Keep keep) {
    auto out = list->begin();
    for (auto it = list->begin(); it != list->end(); ++it) {
      if (!keep(*it)) continue;
      if (out != it) *out = std::move(*it);
      ++out;
    }
    list->erase(out, list->end());
  }

  void hostSlots(size_t g, const OsdGroup& group, const GroupPaths& paths, size_t h,
                 const std::vector<const HostException*>& exceptions) {
    const Host& host = t_.hosts[h];
    const std::string& base = paths.base;
    std::unordered_set<std::string> excluded;
    for (const HostException* e : exceptions) {
      excluded.insert(e->excludeSlots.begin(), e->excludeSlots.end());
    }
    const std::string& dataPath = paths.data;
    const std::string& dbPath = paths.db;
    const std::string& walPath = paths.wal;
    // `ok` turns false when a selector cannot be resolved (no inventory: reported) or its filters
    // match no device at all.
    bool dataOk = true;
    bool dbOk = true;
    bool walOk = true;
    std::vector<Candidate> data = select(group.dataDevices, host, dataPath, &dataOk);
    std::vector<Candidate> db = select(group.dbDevices, host, dbPath, &dbOk);
    std::vector<Candidate> wal = select(group.walDevices, host, walPath, &walOk);
    if (!hasInventory(host) && (!dataOk || !dbOk || !walOk)) return;  // Already reported.
    // No data device: nothing to create here (a warning, the host may get disks later). No DB or
    // WAL device while data devices match: an error, as the OSDs would silently lose their DB.
    if (!dataOk) {
      diag(Severity::Warning, dataPath,
           "no device on host " + quoted(host.name) + " matches the filters");
      return;
    }
    if (!dbOk) {
      diag(Severity::Error, dbPath,
           "no device on host " + quoted(host.name) + " matches the filters");
    }
    if (!walOk) {
      diag(Severity::Error, walPath,
           "no device on host " + quoted(host.name) + " matches the filters");
    }
    if (!dbOk || !walOk) return;
    if (!excluded.empty()) {
      auto notExcluded = [&](const Candidate& c) { return excluded.erase(c.slot) == 0; };
      keepIf(&data, notExcluded);
      keepIf(&db, notExcluded);
      keepIf(&wal, notExcluded);
      for (const auto& slot : excluded) {
        diag(Severity::Warning, base + ".exceptions",
             "exclude_slots " + quoted(slot) + " matches no slot of host " + quoted(host.name));
      }
    }
    used_[h].reserve(used_[h].size() + data.size() + db.size() + wal.size());
    slotsUsed_[h].reserve(slotsUsed_[h].size() +
                          data.size() * static_cast<size_t>(std::max(1, group.osdsPerDevice)) +
                          db.size() + wal.size());
    // Claim every device once; a device claimed twice is reported and not used again.
    auto claimAll = [&](std::vector<Candidate>* list, Role role, const std::string& path) {
      keepIf(list, [&](const Candidate& c) { return claim(h, g, role, c.path, path); });
    };
    claimAll(&data, Role::Data, dataPath);
    claimAll(&db, Role::Db, dbPath);
    claimAll(&wal, Role::Wal, walPath);

    const int perDevice = std::max(1, group.osdsPerDevice);
    const size_t osdCount = data.size() * static_cast<size_t>(perDevice);
    size_t dbSlots = 0;
    if (!db.empty()) {
      dbSlots = group.dbSlots && *group.dbSlots > 0 ? static_cast<size_t>(*group.dbSlots)
                                                    : (osdCount + db.size() - 1) / db.size();
      const size_t needed = dbSlots == 0 ? 0 : (osdCount + dbSlots - 1) / dbSlots;
      if (needed > db.size()) {
        diag(Severity::Error, base + ".db_slots",
             std::to_string(osdCount) + (perDevice == 1 ? " data devices" : " osds") + " need " +
                 std::to_string(needed) + " db devices at " + std::to_string(dbSlots) +
                 " slots, host " + quoted(host.name) + " has " + std::to_string(db.size()));
      }
      if (group.blockDbSize) {
        for (const auto& c : db) {
          uint64_t size = sizeOf(host, c.path);
          if (size == 0 || dbSlots == 0) continue;
          // dbSlots * blockDbSize, saturating (both are user input).
          const uint64_t need =
              *group.blockDbSize > UINT64_MAX / dbSlots ? UINT64_MAX : *group.blockDbSize * dbSlots;
          if (need > size) {
            diag(Severity::Error, base + ".block_db_size",
                 std::to_string(dbSlots) + " db slots of " + formatSize(*group.blockDbSize) +
                     " need " + formatSize(need) + ", db device " + quoted(c.path) + " on host " +
                     quoted(host.name) + " has " + formatSize(size));
          }
        }
      }
    }
    const size_t perWal = wal.empty() ? 0 : (osdCount + wal.size() - 1) / wal.size();
    const std::string_view failureDomain = t_.crush.failureDomain == "host" ? host.name : [&] {
      auto it = host.location.find(t_.crush.failureDomain);
      return it == host.location.end() ? std::string_view() : std::string_view(it->second);
    }();
    size_t osdIndex = 0;
    std::vector<OsdSlot>& target = direct_ ? out_->slots : perHost_[h];
    if (!direct_) target.reserve(target.size() + osdCount);
    for (const auto& c : data) {
      for (int k = 0; k < perDevice; ++k, ++osdIndex) {
        OsdSlot s;
        s.host = host.name;
        s.group = group.serviceId;
        s.slot = perDevice == 1 ? c.slot : c.slot + "-" + std::to_string(k);
        s.dataPath = c.path;
        if (dbSlots > 0 && osdIndex / dbSlots < db.size()) {
          const Candidate& d = db[osdIndex / dbSlots];
          s.dbPath = d.path;
          s.dbSlot = d.slot;
          s.dbIndex = static_cast<int>(osdIndex % dbSlots);
          s.blockDbSize = group.blockDbSize.value_or(0);
        }
        if (perWal > 0) {
          s.walPath = wal[osdIndex / perWal].path;
          s.blockWalSize = group.blockWalSize.value_or(0);
        }
        s.deviceClass = group.crushDeviceClass;
        s.encrypted = group.encrypted;
        s.osdsPerDevice = perDevice;
        s.deviceIndex = k;
        s.failureDomainValue = failureDomain;
        if (!claimSlot(h, g, s.slot, dataPath)) continue;
        target.push_back(std::move(s));
      }
    }
    for (const auto& c : db) claimSlot(h, g, c.slot, dbPath);
    for (const auto& c : wal) claimSlot(h, g, c.slot, walPath);
  }

  const Topology& t_;
  const Inventory& inventory_;
  DeviceSelection* out_;
  bool direct_ = false;
  std::vector<std::vector<OsdSlot>> perHost_;
  // Per host: device path → (group, role), slot name → group. Searched linearly: a host has
  // tens of devices, and hash maps of strings cost more at that size (this runs per render).
  struct DeviceClaim {
    std::string_view path;
    uint64_t key;  // tailKey(path)
    size_t group;
    Role role;
  };
  struct SlotClaim {
    std::string slot;
    uint64_t key;  // tailKey(slot)
    size_t group;
  };
  std::vector<std::vector<DeviceClaim>> used_;
  std::vector<std::vector<SlotClaim>> slotsUsed_;
};

}  // namespace

DeviceSelection resolveOsdSlots(const Topology& topology, const Inventory& inventory) {
  DeviceSelection out;
  Resolver(topology, inventory, &out).run();
  return out;
}

std::string slotNameForPath(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::string out;
  bool pendingDash = false;
  for (char raw : last) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(raw)));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pendingDash && !out.empty()) out += '-';
      pendingDash = false;
      out += c;
    } else {
      pendingDash = true;
    }
  }
  return out;
}

bool isValidSlotName(std::string_view name) {
  if (name.empty()) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  for (char c : name) {
    if (!alnum(c) && c != '-') return false;
  }
  return true;
}

bool parseSize(std::string_view text, uint64_t* bytes) {
  size_t pos = 0;
  while (pos < text.size() && ((text[pos] >= '0' && text[pos] <= '9') || text[pos] == '.')) ++pos;
  std::string_view number = text.substr(0, pos);
  std::string unit = toLower(text.substr(pos));
  if (number.empty() || number.front() == '.' || number.back() == '.') return false;
  if (std::count(number.begin(), number.end(), '.') > 1) return false;
  static const std::pair<const char*, int> kUnits[] = {
      {"", 0},   {"b", 0},   {"k", 1}, {"kb", 1}, {"kib", 1}, {"m", 2},
      {"mb", 2}, {"mib", 2}, {"g", 3}, {"gb", 3}, {"gib", 3}, {"t", 4},
      {"tb", 4}, {"tib", 4}, {"p", 5}, {"pb", 5}, {"pib", 5}};
  int power = -1;
  for (const auto& [name, p] : kUnits) {
    if (unit == name) power = p;
  }
  if (power < 0) return false;
  if (number.find('.') == std::string_view::npos) {
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (ec != std::errc() || end != number.data() + number.size()) return false;
    for (int i = 0; i < power; ++i) {
      if (v > UINT64_MAX / 1024) return false;
      v *= 1024;
    }
    *bytes = v;
    return true;
  }
  if (power == 0) return false;  // Fractional bytes make no sense.
  double v = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
  if (ec != std::errc() || end != number.data() + number.size()) return false;
  double scaled = v * std::pow(1024.0, power);
  if (!(scaled < 1.8e19)) return false;
  *bytes = static_cast<uint64_t>(scaled);
  return true;
}

std::string formatSize(uint64_t bytes) {
  static const char kUnits[] = {'B', 'K', 'M', 'G', 'T', 'P', 'E'};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < sizeof(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.2f", std::floor(value * 100.0 + 0.5) / 100.0);
  std::string out = buffer;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out + kUnits[unit];
}

}  // namespace ceph_planner::topology
