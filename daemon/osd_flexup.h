#pragma once

// OSD flexup: `POST /flexup {"kind":"osd", ...}` adds a host's device to the stored topology
// through the store's compare-and-set; the reconciler then deploys the new OSD like any topology
// change (its watch fires). Shapes and codes: docs/daemon.md.
//
// One request:
//   1. read the current topology (text + version N);
//   2. if the device already is an OSD slot of that host → 200 `"changed": false` (idempotent);
//   3. edit the text (topology/osd_edit.h) and load the result with the normal validator
//      (errors → 422 with every diagnostic);
//   4. render old and new and compare: exactly the new OSD app(s) of that host must appear (one
//      per `osds_per_device`) and nothing else may change, else 409 with the difference;
//   5. `putTopology` expecting version N with the message `flexup: osd <host>:<path> (api)`;
//      a concurrent change → 409 with the store's conflict message.
// Validation and rendering use the stored inventories (`inventory/<host>`) of hosts without an
// inline `devices:` list, like the reconciler. Such a host's devices are what its inventory says:
// with a filter group, a device that is not already an OSD is refused (409) — flexup writes only
// the topology, never an inventory; explicit `paths`/`slots` groups need no inventory.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "daemon/api.h"
#include "planner/render.h"
#include "planner/templates.h"
#include "store/topology_store.h"
#include "topology/model.h"

namespace ceph_planner::daemon {

struct OsdFlexOptions {
  std::string cluster;
  std::string author = "ceph-planner-daemon";
  const planner::TemplateSet* templates = nullptr;  // Built-in set when null.
  planner::RenderOptions render;
};

// What one accepted (or idempotent) request did.
struct OsdFlexResult {
  bool changed = false;
  std::string host, devicePath, group;
  std::vector<std::string> slots;   // New (or existing) slot names of the device.
  std::vector<std::string> appIds;  // Their Marathon app ids.
  int64_t fromVersion = 0;
  int64_t toVersion = 0;             // == fromVersion when nothing changed.
  std::vector<std::string> changes;  // The document edits (osd_edit.h).
  bool textPreserving = true;
};

// A refusal: 404 (no topology, unknown host or group), 400 (the group does not place the host, no
// group given and not exactly one places it), 409 (CAS conflict, no inline inventory, unmanaged
// group, taken slot name, a difference other than the new OSD), 422 (the edited topology does not
// validate; `details` lists every diagnostic), 5xx (store unavailable).
struct OsdFlexError {
  int httpStatus = 500;
  std::string message;
  std::vector<std::string> details;  // Validation diagnostics or the render difference.
};
struct OsdFlexOutcome {
  std::optional<OsdFlexResult> result;
  OsdFlexError error;
};
// Runs steps 1–5 against `store`.
OsdFlexOutcome addOsd(store::TopologyStore& store, const OsdFlexRequest& request,
                      const OsdFlexOptions& options);

// The HTTP answer for an outcome: 202 (changed) / 200 (unchanged) with
// `{kind, host, device, group, slot, slots, appId, appIds, changed, fromVersion, toVersion}`, or
// `{"error", "details"?}` with the error's status.
HttpResponse osdFlexResponse(const OsdFlexOutcome& outcome);

}  // namespace ceph_planner::daemon
