#pragma once

// OSD device selection: an OSD group's `data_devices` / `db_devices` / `wal_devices` resolved per
// host into slots, the way cephadm's DriveGroup does. Deterministic (same input, same output,
// stable order: hosts in topology order, then slots in selector order for explicit slots/paths, or
// by device path for filters), so `plan` can show the result and the store can later freeze it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.h"
#include "topology/inventory.h"
#include "topology/model.h"

namespace ceph_planner::topology {

// One OSD to run: the unit that becomes one Marathon app `/ceph/<cluster>/osd/<shorthost>-<slot>`.
// The views point into the topology and the inventory given to resolveOsdSlots (host names, group
// ids, device paths of explicit selectors, inline or stored inventories): a selection must not
// outlive them. Views, because a render of 120,000 OSDs would otherwise copy seven strings each.
struct OsdSlot {
  std::string_view host;   // Host name (Mesos agent hostname).
  std::string_view group;  // `osd_groups[].service_id`.
  std::string slot;        // Unique per host; `[a-z0-9]([a-z0-9-]*[a-z0-9])?`; part of the app id.
  std::string_view dataPath;     // Data device.
  std::string_view dbPath;       // Shared DB device, "" when none.
  std::string dbSlot;            // Slot name of the DB device, "" when none.
  int dbIndex = -1;              // Position of this OSD on its DB device (0-based), -1 when none.
  std::string_view walPath;      // "" when none.
  uint64_t blockDbSize = 0;      // Bytes; 0 = let ceph-volume decide.
  uint64_t blockWalSize = 0;     // Bytes; 0 = none/default.
  std::string_view deviceClass;  // `crush_device_class`, "" = auto.
  bool encrypted = false;
  int osdsPerDevice = 1;
  int deviceIndex = 0;  // Which of the `osds_per_device` OSDs on this data device (0-based).
  std::string_view failureDomainValue;  // The host's `location[crush.failure_domain]` (host name
                                        // for `host`).
};

struct DeviceSelection {
  std::vector<OsdSlot> slots;
  Diagnostics diagnostics;  // Problems found while resolving (db capacity, slot collisions, ...).
};

// Resolves every managed OSD group (`unmanaged: true` groups resolve too: they are still rendered
// for existing OSDs; the planner decides what may be created).
DeviceSelection resolveOsdSlots(const Topology& topology, const Inventory& inventory = {});
// The slots view into their arguments: a temporary inventory with devices would leave them
// dangling.
DeviceSelection resolveOsdSlots(const Topology&& topology, const Inventory& inventory) = delete;
DeviceSelection resolveOsdSlots(const Topology& topology, const Inventory&& inventory) = delete;

// A stable slot name for a device path: the last path component, lower-cased, every run of
// characters outside `[a-z0-9]` replaced by one `-`, trimmed of `-`.
// `/dev/disk/by-path/pci-0000:3b:00.0-sas-phy7-lun-0` → `pci-0000-3b-00-0-sas-phy7-lun-0`.
std::string slotNameForPath(std::string_view path);

// Parses sizes like `300G`, `1.92T`, `500M`, `4096` (bytes), `10TB`, `2GiB` (binary multiples).
// Returns false on malformed input.
bool parseSize(std::string_view text, uint64_t* bytes);

// The short binary form used in messages: `300G`, `1.5T`, `4G`, `512M`, `100B` (at most two
// decimals, trailing zeros dropped).
std::string formatSize(uint64_t bytes);

// True when `name` is a valid slot name `[a-z0-9]([a-z0-9-]*[a-z0-9])?` (a Marathon id segment).
bool isValidSlotName(std::string_view name);

}  // namespace ceph_planner::topology
