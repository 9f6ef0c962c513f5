#pragma once

// `FileTopologyStore`: the `TopologyStore` contract on a local directory — for a single operator's
// first steps (no ZooKeeper configured) and for tests. Same semantics as `ZkTopologyStore`:
// versions, CAS, history, create-once secrets.
//
// Layout under `root`: `clusters/<name>/topology` (JSON manifest with the document inline),
// `history/v-NNNNNNNNNN`, `secrets/<name>` (mode 0600 in a 0700 directory), `inventory/<host>`,
// `osds/<host>-<slot>`, `status`, and `.lock`.
// Every write is write-temp + fsync + rename (+ fsync of the directory), so a crash leaves either
// the old or the new file. Every compare-and-set runs under an exclusive `flock` on the cluster's
// `.lock`, so several processes on one host are safe; several hosts sharing a network filesystem
// are not (use ZooKeeper). A topology put writes its history entry first and the current pointer
// last; a history entry newer than the current version (left by a crash between the two) is
// ignored and later overwritten.
// Watches are served by one polling thread (`pollInterval`) that `stat`s the current file.

#include <chrono>
#include <memory>
#include <string>

#include "common/clock.h"
#include "store/topology_store.h"

namespace ceph_planner::store {

struct FileStoreOptions {
  std::string root;                             // Created if missing (mode 0700).
  std::chrono::milliseconds pollInterval{100};  // Watch polling period.
  ClockPtr clock;                               // Timestamps; `systemClock()` if null.
};

class FileTopologyStore final : public TopologyStore {
 public:
  // `InvalidInput` if `root` is empty; `Internal` if it cannot be created.
  static Result<std::unique_ptr<FileTopologyStore>> open(FileStoreOptions options);
  ~FileTopologyStore() override;

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

 private:
  struct Impl;
  explicit FileTopologyStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ceph_planner::store
