#pragma once

// `TopologyStore`: where ceph-planner keeps everything that is not in Marathon — the current
// topology of each cluster with its full history, bootstrap secrets, OSD slot bindings, device
// inventories and the status blob. Two implementations share this contract:
//   - `ZkTopologyStore` (zk_topology_store.h): ZooKeeper, for anything shared (daemon, several
//     operators, several planner instances);
//   - `FileTopologyStore` (file_topology_store.h): a local directory, for a single operator's first
//     steps and for tests.
// The layout under the store's root is DESIGN.md §7 (`clusters/<name>/topology`, `history/`,
// `secrets/`, `inventory/<host>`, `osds/<host>-<slot>`, `status`, `leader/`).
//
// Every method is synchronous, thread-safe, and returns within the store's call deadline
// (`Timeout` or `Unavailable` otherwise). Errors common to every method:
//   - `InvalidInput`: a cluster, host, slot or secret name is empty or contains characters outside
//     `[A-Za-z0-9._-]` (names become path components);
//   - `Unavailable` / `Timeout`: the backend is unreachable (retryable);
//   - `PermissionDenied`: the credentials do not grant access (ZooKeeper ACLs).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace ceph_planner::store {

// One accepted topology. `version` counts accepted puts per cluster from 1; it is the CAS token.
struct TopologyRecord {
  std::string yaml;         // The topology document exactly as it was put.
  int64_t version = 0;      // 1, 2, 3, ... (never reused, never 0 for a stored record).
  std::string author;       // Who put it (free text, e.g. `user@host`).
  std::string message;      // Why (the `--message` flag); may be empty.
  int64_t timestampMs = 0;  // When the store accepted it, Unix epoch milliseconds.
};

// A history entry without its document (for `history` listings that must stay cheap).
struct TopologyVersionInfo {
  int64_t version = 0;
  std::string author;
  std::string message;
  int64_t timestampMs = 0;
  int64_t sizeBytes = 0;  // Size of the YAML text.
};

// What `putTopology` expects to replace. `kMustNotExist` is for the very first put of a cluster.
struct ExpectedVersion {
  static constexpr int64_t kMustNotExist = 0;
  int64_t version = kMustNotExist;
};

// Who writes and why; stored with the record.
struct PutRequest {
  std::string yaml;
  std::string author;
  std::string message;
  ExpectedVersion expected;
};

// Slot → OSD binding, recorded once an OSD exists for `osds/<host>-<slot>`.
struct OsdBinding {
  int osdId = -1;
  std::string osdFsid;  // UUID text.
  bool operator==(const OsdBinding&) const = default;
};

// Watch registration token; pass to `unwatch`.
using WatchId = uint64_t;

class TopologyStore {
 public:
  virtual ~TopologyStore() = default;

  // ---- topology -----------------------------------------------------------------------------

  // The current topology of `cluster`. `NotFound` if nothing was ever put. Never returns a
  // half-written or mixed document (large values are read back atomically).
  virtual Result<TopologyRecord> getTopology(const std::string& cluster) = 0;

  // Compare-and-set: stores `request.yaml` as version `expected + 1` only if the current version is
  // still `request.expected.version` (`kMustNotExist`: only if the cluster has no topology yet).
  // The same atomic step appends the record to history, so current and history never disagree.
  // Returns the stored record (with its new version and timestamp).
  // Errors: `Conflict` with the message
  //   `topology changed since you planned (vN → vM) by <author>; re-run plan`
  // where N is the expected and M the current version, and nothing is written. `InvalidInput` if
  // the YAML is empty. Not idempotent by nature: a retry after success gets `Conflict` (the version
  // moved); the implementation itself only retries when it can tell whether its write applied.
  virtual Result<TopologyRecord> putTopology(const std::string& cluster,
                                             const PutRequest& request) = 0;

  // Every accepted version of `cluster`, oldest first (without documents). Empty if none.
  virtual Result<std::vector<TopologyVersionInfo>> listHistory(const std::string& cluster) = 0;

  // A given history version. `NotFound` if it does not exist.
  virtual Result<TopologyRecord> getTopologyVersion(const std::string& cluster,
                                                    int64_t version) = 0;

  // Calls `onChange` (on a store-owned thread, never concurrently with itself for one watch)
  // whenever the current topology of `cluster` may have changed — created, replaced, or after a
  // reconnect where a change could have been missed. Level-triggered: the callback re-reads with
  // `getTopology`; it may call the store. Re-armed internally until `unwatch`. The cluster does
  // not need to exist yet.
  virtual Result<WatchId> watchTopology(const std::string& cluster,
                                        std::function<void()> onChange) = 0;

  // Stops a watch. After return the callback is not running and will not run again (unless called
  // from inside that callback, in which case it simply will not run again). Unknown ids are
  // ignored.
  virtual void unwatch(WatchId id) = 0;

  // Names of every cluster that has a `clusters/<name>` entry, sorted.
  virtual Result<std::vector<std::string>> listClusters() = 0;

  // ---- secrets (ACL'd `secrets/<name>`)
  // ----------------------------------------------------------

  // The secret's bytes. `NotFound` if absent; `PermissionDenied` without the right credentials.
  virtual Result<std::string> getSecret(const std::string& cluster, const std::string& name) = 0;

  // "Generate once, never regenerate": stores `value` only if `name` does not exist yet and
  // returns the value that is stored afterwards — `value` if this call created it, the existing
  // value otherwise. Idempotent and safe to race: every racer gets the same winner.
  virtual Result<std::string> putSecretIfAbsent(const std::string& cluster, const std::string& name,
                                                const std::string& value) = 0;

  // Names of the secrets of `cluster`, sorted (never their values). Empty if none.
  virtual Result<std::vector<std::string>> listSecrets(const std::string& cluster) = 0;

  // ---- slot bindings (`osds/<host>-<slot>`) ----------------------------------------------------

  // `NotFound` if the slot has no OSD yet.
  virtual Result<OsdBinding> getOsdBinding(const std::string& cluster, const std::string& host,
                                           const std::string& slot) = 0;

  // Records (or overwrites) the binding. Idempotent.
  virtual Status putOsdBinding(const std::string& cluster, const std::string& host,
                               const std::string& slot, const OsdBinding& binding) = 0;

  // Removes the binding (after a purge). Idempotent: absent is fine.
  virtual Status deleteOsdBinding(const std::string& cluster, const std::string& host,
                                  const std::string& slot) = 0;

  // Every binding as `<host>-<slot>` → binding, sorted by key.
  virtual Result<std::vector<std::pair<std::string, OsdBinding>>> listOsdBindings(
      const std::string& cluster) = 0;

  // ---- inventory (`inventory/<host>`, opaque JSON text) ----------------------------------------

  // `NotFound` if no inventory was put for `host`.
  virtual Result<std::string> getInventory(const std::string& cluster, const std::string& host) = 0;

  // Stores (or replaces) the inventory text of `host`. Idempotent. `InvalidInput` above
  // `kMaxInventoryBytes` (one host's inventory is a few KiB; the limit keeps one znode small).
  virtual Status putInventory(const std::string& cluster, const std::string& host,
                              const std::string& json) = 0;

  // Hosts with an inventory, sorted.
  virtual Result<std::vector<std::string>> listInventoryHosts(const std::string& cluster) = 0;

  // ---- status blob (`status`) ------------------------------------------------------------------

  // `NotFound` if never written.
  virtual Result<std::string> getStatus(const std::string& cluster) = 0;

  // Replaces the status blob. Idempotent.
  virtual Status putStatus(const std::string& cluster, const std::string& blob) = 0;
};

// Largest inventory text accepted for one host.
inline constexpr size_t kMaxInventoryBytes = 512 * 1024;

using TopologyStorePtr = std::unique_ptr<TopologyStore>;

// Builds the exact CAS failure message (shared by both stores and by callers' tests).
std::string casConflictMessage(int64_t expected, int64_t current, const std::string& author);

// True if `name` is usable as a cluster, host, slot or secret name (a path component).
bool isValidStoreName(const std::string& name);

}  // namespace ceph_planner::store
