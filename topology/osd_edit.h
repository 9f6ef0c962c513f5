#pragma once

// Pure edits of a topology document: "make this device of this host an OSD of this group" (the
// daemon's OSD flexup, docs/daemon.md). Works on the YAML text so that the stored document stays
// the operator's document: the edit inserts lines into block-style YAML and keeps every comment
// and the layout; when an insertion cannot be done that way (flow-style collections, a missing
// key, aliases) it re-emits the whole document with yaml-cpp, which drops comments (the store's
// history keeps the original). Implemented in yaml_osd_edit.cpp (the parser target, the only
// yaml-cpp user); this header has no yaml-cpp.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "topology/model.h"

namespace ceph_planner::topology {

struct OsdDeviceRequest {
  std::string host;   // `hosts[].name`.
  Device device;      // `path` is required; the other fields describe it in an inline inventory.
  std::string group;  // `osd_groups[].service_id`.
};

struct OsdDeviceEdit {
  std::string yaml;                  // The edited document (the input when `!changed`).
  bool changed = false;              // False: the document already says all of it.
  bool textPreserving = true;        // False: re-emitted (comments and layout lost).
  bool inlineInventory = false;      // The host has an inline `devices:` list.
  std::vector<std::string> changes;  // What was edited, e.g. `hosts[2].devices: added '/dev/sdq'`.
};

// Edits `yamlText` so that `request.device` becomes an OSD slot of group `request.group` on
// `request.host`:
//   - the host's inline `devices:` list (when it has one) gets the device, if its path is absent;
//   - a group selecting explicit `paths` gets the path, a group selecting explicit `slots` gets
//     `<slotNameForPath(path)>: path`, and every OTHER host the group places gets that slot name
//     in its `exceptions[].exclude_slots` (explicit devices apply to every placed host);
//   - a group selecting by filters is left as it is (the inventory addition is the whole edit;
//     whether the device matches is for the caller to check by rendering).
// Errors: `InvalidInput` (not YAML, not a mapping, a relative device path, the group does not
// place the host), `NotFound` (unknown host or group; the message names the closest one),
// `Conflict` (the group is `unmanaged`, or its slot name is taken by another path).
Result<OsdDeviceEdit> addOsdDevice(std::string_view yamlText, const OsdDeviceRequest& request);

}  // namespace ceph_planner::topology
