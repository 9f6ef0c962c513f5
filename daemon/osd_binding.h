#pragma once

// Slot → OSD bindings (`osds/<host>-<slot>` in the store, docs/store.md#osd-slot-bindings): the
// planner, not the agent, is the source of truth for which OSD a slot holds. The first start of
// an OSD slot fetches its binding file from the daemon; the daemon creates the binding then (a
// fresh UUID v4 and the lowest OSD id no other binding of the cluster holds), and every later
// fetch returns the same record. The task runs `ceph osd new <fsid> <id>`, which creates exactly
// that OSD (or, on a retry, returns it), so the store matches `ceph osd dump` from the first start
// on, and a slot whose local files are lost finds its OSD again through the store.
//
// Creation is serialised: one mutex in this process, and only the leader creates (a follower
// answers `Unavailable` for a slot without a binding; the fetch fails and Marathon relaunches the
// task). So two slots never get the same id, and a binding, once created, is never changed here.

#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/topology_store.h"

namespace ceph_planner::daemon {

// The lowest id >= 0 that no binding in `bindings` holds.
int lowestFreeOsdId(const std::vector<std::pair<std::string, store::OsdBinding>>& bindings);

// The served file: `osd_id=<id>\nosd_fsid=<uuid>\n`.
std::string renderOsdBindingFile(const store::OsdBinding& binding);

class OsdBindings {
 public:
  using UuidSource = std::function<Result<std::string>()>;

  // `newUuid` defaults to `store::generateUuidV4`.
  explicit OsdBindings(store::TopologyStore& store, UuidSource newUuid = {});

  // The binding of `host`/`slot`, created when absent and `mayCreate` (see above). Errors:
  // `Unavailable` when absent and `!mayCreate`; `Internal` when a stored binding is incomplete;
  // store errors with context.
  Result<store::OsdBinding> ensure(const std::string& cluster, const std::string& host,
                                   const std::string& slot, bool mayCreate);

 private:
  store::TopologyStore& store_;
  UuidSource newUuid_;
  std::mutex mu_;
};

}  // namespace ceph_planner::daemon
