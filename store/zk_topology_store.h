#pragma once

// `ZkTopologyStore`: the `TopologyStore` contract on ZooKeeper (libzookeeper-mt behind a pimpl:
// zk_topology_store.cpp is the only file including <zookeeper/zookeeper.h>), plus leader election
// on the same session.
//
// Layout (DESIGN.md §7) under the root taken from the connect string's path (default
// `/ceph-planner`; the store creates it, so no pre-created chroot is needed):
//   clusters/<name>/topology            JSON manifest; its znode version is the CAS token
//   clusters/<name>/history/v-NNNNNNNNNN the manifest of every accepted version
//   clusters/<name>/chunks/<put-id>/c-NNNN  pieces of documents too large for one znode
//   clusters/<name>/secrets/<name>      raw bytes; digest ACL only
//   clusters/<name>/inventory/<host>, osds/<host>-<slot>, status, leader/n_NNNNNNNNNN
// A put is one `zoo_multi` (CAS set/create of `topology` + create of its history node), so the
// two never disagree. Documents above `inlineLimitBytes` are first written as immutable chunks;
// the manifest flipped by the multi names them, so readers see the old or the new document, never
// a mix (and verify the checksum).
//
// Failure handling: every call has a deadline (`callTimeout`). Reads and idempotent writes are
// retried across connection loss; a put is retried only after re-reading tells whether it applied
// (its random put id is in the manifest). When no server answers before the deadline the error is
// `Unavailable` "zookeeper quorum unavailable: ...". Session expiry fails the call in flight with
// `Unavailable` "zookeeper session expired: ..." (`isSessionExpiredError`) and the store opens a
// new session in the background (watches and elections are re-established on it).
//
// ACLs: with credentials (`user:password` from `credentialsFile` or the environment variable named
// by `credentialsEnv`, never from argv) every node is created with a digest ACL granting that user
// everything (and, for non-secret nodes, `world:anyone` read when `worldReadable`). Secrets always
// get the digest ACL only; storing a secret without credentials is refused (`PermissionDenied`).
// Without credentials non-secret nodes are open (`world:anyone` all).

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "store/leader_election.h"
#include "store/topology_store.h"

namespace ceph_planner::store {

struct ZkStoreOptions {
  // `host1:2181,host2:2181/ceph-planner`: servers, then the root path (default `/ceph-planner`).
  std::string connect;
  std::chrono::milliseconds sessionTimeout{10000};  // Requested; the server may bound it.
  std::chrono::milliseconds connectTimeout{10000};  // First connection (`connect` fails after it).
  std::chrono::milliseconds callTimeout{15000};  // Deadline of each store call, retries included.
  std::string credentialsFile;                   // File whose first line is `user:password`; or
  std::string credentialsEnv;  // the name of an environment variable holding `user:password`.
  bool worldReadable = false;  // With credentials: let anyone read non-secret nodes.
  size_t inlineLimitBytes = 256 * 1024;  // Larger documents are chunked.
  size_t chunkBytes = 512 * 1024;        // Chunk size (well under the ~1 MiB znode limit).
  ClockPtr clock;                        // Timestamps; `systemClock()` if null.
};

// Where the ZooKeeper C library's own log lines go (process-wide; the library's logging is
// global). Default: lines are dropped and the library logs errors only — nothing reaches stderr.
enum class ZkLogLevel { Error, Warn, Info, Debug };
void setZkLogSink(std::function<void(const std::string& line)> sink, ZkLogLevel level);

// True for the error a call gets when the session expired under it.
bool isSessionExpiredError(const Error& error);

class ZkTopologyStore final : public TopologyStore {
 public:
  // Connects and creates the root. Errors: `InvalidInput` (bad connect string or credentials
  // text), `NotFound` (credentials file or variable missing), `Unavailable` (no server within
  // `connectTimeout`), `PermissionDenied`.
  static Result<std::unique_ptr<ZkTopologyStore>> connect(ZkStoreOptions options);
  // Closes the session (ephemeral nodes go with it). Destroy every `LeaderElection` made from this
  // store first, and never destroy the store from one of its own callbacks.
  ~ZkTopologyStore() override;

  Result<TopologyRecord> getTopology(const std::string& cluster) override;
  Result<TopologyRecord> putTopology(const std::string& cluster,
                                     const PutRequest& request) override;
  Result<std::vector<TopologyVersionInfo>> listHistory(const std::string& cluster) override;
  Result<TopologyRecord> getTopologyVersion(const std::string& cluster, int64_t version) override;
  Result<WatchId> watchTopology(const std::string& cluster,
                                std::function<void()> onChange) override;
  void unwatch(WatchId id) override;
  Result<std::vector<std::string>> listClusters() override;
  Result<std::string> getSecret(const std::string& cluster, const std::string& name) override;
  Result<std::string> putSecretIfAbsent(const std::string& cluster, const std::string& name,
                                        const std::string& value) override;
  Result<std::vector<std::string>> listSecrets(const std::string& cluster) override;
  Result<OsdBinding> getOsdBinding(const std::string& cluster, const std::string& host,
                                   const std::string& slot) override;
  Status putOsdBinding(const std::string& cluster, const std::string& host, const std::string& slot,
                       const OsdBinding& binding) override;
  Status deleteOsdBinding(const std::string& cluster, const std::string& host,
                          const std::string& slot) override;
  Result<std::vector<std::pair<std::string, OsdBinding>>> listOsdBindings(
      const std::string& cluster) override;
  Result<std::string> getInventory(const std::string& cluster, const std::string& host) override;
  Status putInventory(const std::string& cluster, const std::string& host,
                      const std::string& json) override;
  Result<std::vector<std::string>> listInventoryHosts(const std::string& cluster) override;
  Result<std::string> getStatus(const std::string& cluster) override;
  Status putStatus(const std::string& cluster, const std::string& blob) override;

  // A candidate in `clusters/<cluster>/leader/` on this store's session (not started yet).
  // `candidateId` is free text stored in the candidate's node (e.g. `host:pid`).
  Result<LeaderElectionPtr> makeLeaderElection(const std::string& cluster,
                                               const std::string& candidateId,
                                               LeaderCallbacks callbacks);

  // Bytes stored in ZooKeeper for the current topology (manifest plus chunks) and the number of
  // chunks (0 when inline): for size reports.
  struct StoredSize {
    int64_t manifestBytes = 0;
    int64_t chunkBytes = 0;
    int chunks = 0;
  };
  Result<StoredSize> storedTopologySize(const std::string& cluster);

  // Test hooks. `expireSessionForTesting` makes the server expire this store's session (a second
  // handle on the same session id is opened and closed) and returns once that handle is closed.
  Status expireSessionForTesting();
  // `host:port` of the server the session is connected to (empty if none). The library formats it
  // into a static buffer its I/O thread rewrites (TSan reports that race): tests only.
  std::string currentServerForTesting();

  // Opaque outside zk_topology_store.cpp (public only so that the election there can name it).
  struct Impl;

 private:
  explicit ZkTopologyStore(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace ceph_planner::store
