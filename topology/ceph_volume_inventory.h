#pragma once

// A host's device inventory as `ceph-volume inventory --format json` (Ceph 16.2) reports it: a JSON
// array with one object per physical device,
//   {"path": "/dev/sdb", "available": true, "rejected_reasons": [], "device_id": "...",
//    "sys_api": {"rotational": "1", "size": 4000787030016.0, "model": "...", "vendor": "...", ...},
//    "lvs": [{"osd_id": "3", "type": "block", "cluster_fsid": "...", ...}], ...}
// turned into the `Device` list that OSD device filters resolve against. This is the format of the
// store's `inventory/<host>` text. Implemented in yaml_ceph_volume_inventory.cpp (yaml-cpp reads
// the JSON; the arch rules keep yaml-cpp in `topology/yaml_*.cpp` and parse.cpp).
//
// Which devices are kept:
// - every device ceph-volume reports `available`;
// - every unavailable device that carries a Ceph OSD volume (an `lvs[]` entry with an `osd_id`,
//   whatever its `type`: block, db or wal). These are the disks our own OSDs already use. Dropping
//   them would make the next plan after an inventory refresh delete those OSDs' apps;
// - other unavailable devices (removable, read-only, too small, foreign partitions or file
//   systems, LVM that is not Ceph's) are dropped and listed in `dropped`: an OSD cannot be prepared
//   on them, and filters must not pick them.
// An OSD volume of another Ceph cluster also keeps its device: ceph-volume refuses to prepare it,
// and the topology's filters or paths decide whether it is wanted at all.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "topology/inventory.h"

namespace ceph_planner::topology {

struct CephVolumeInventory {
  HostInventory inventory;  // The kept devices, in report order; no addresses.
  int reported = 0;         // Devices in the report.
  int available = 0;        // Kept because ceph-volume reports them available.
  int withOsd = 0;          // Kept because they carry a Ceph OSD volume (not available).
  // `<path> (<rejected reasons>)` for every device that was dropped.
  std::vector<std::string> dropped;
};

// Parses a `ceph-volume inventory --format json` report. `InvalidInput` when it is not one: the
// message lists every problem with its location, e.g. `[3].sys_api.size: expected a number of
// bytes, got "big"` or `line 4, column 2: ...` for JSON syntax (at most the first 20 problems).
// A device path must be absolute and appear once. Sizes are bytes (ceph-volume prints a float).
Result<CephVolumeInventory> parseCephVolumeInventory(std::string_view json);

}  // namespace ceph_planner::topology
