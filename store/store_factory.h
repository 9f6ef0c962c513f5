#pragma once

// Picks and opens the store the CLI and the daemon use: ZooKeeper when a connect string is given
// (flag or `CEPH_PLANNER_ZK`), the local file store otherwise.

#include <chrono>
#include <string>

#include "common/result.h"
#include "store/topology_store.h"

namespace ceph_planner::store {

// Environment variables read when the corresponding setting is empty.
inline constexpr const char* kZkConnectEnvVar = "CEPH_PLANNER_ZK";
inline constexpr const char* kZkCredentialsEnvVar = "CEPH_PLANNER_ZK_CREDENTIALS";
inline constexpr const char* kFileStoreEnvVar = "CEPH_PLANNER_STORE_DIR";

struct StoreConfig {
  std::string zkConnect;          // `--zk`; empty: `$CEPH_PLANNER_ZK`; still empty: file store.
  std::string zkCredentialsFile;  // File with `user:password`; empty: the variable
                                  // `CEPH_PLANNER_ZK_CREDENTIALS` if set; else no credentials.
  std::chrono::milliseconds zkSessionTimeout{10000};
  std::chrono::milliseconds zkConnectTimeout{10000};
  std::chrono::milliseconds zkCallTimeout{15000};
  std::string fileRoot;  // Empty: `$CEPH_PLANNER_STORE_DIR`, else `$HOME/.ceph-planner`.
};

struct OpenedStore {
  TopologyStorePtr store;
  std::string description;  // `zookeeper 'h1:2181/ceph-planner'` or `file store '/path'`.
  bool isZooKeeper = false;
};

// Errors: those of `ZkTopologyStore::connect` / `FileTopologyStore::open`; `InvalidInput` when no
// file-store directory can be derived (no `HOME`).
Result<OpenedStore> openTopologyStore(const StoreConfig& config);

}  // namespace ceph_planner::store
