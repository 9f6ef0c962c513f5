#pragma once

// Shared by the commands that work on the stored topology of one cluster (`history`, `show`,
// `diff-versions`, `rollback`, `export`): open the store and pick the cluster.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "cli/wiring.h"
#include "store/topology_store.h"

namespace ceph_planner::cli {

struct StoredCluster {
  store::TopologyStorePtr store;
  std::string description;  // `file store '/path'`, `zookeeper '...'`.
  std::string cluster;
};

// Opens the store and resolves `cluster`: "" means the only stored cluster (an error listing them
// when there are several or none); a given name must have a stored topology (an error naming the
// stored clusters, with a "did you mean" hint, otherwise). Prints the error to `err`.
std::optional<StoredCluster> openStoredCluster(const StoreOptions& options,
                                               const std::string& cluster, std::ostream& err);

// Version `version` of the cluster's topology, or the current one when nullopt. Prints the error
// (naming the versions that exist) to `err`.
std::optional<store::TopologyRecord> readStoredVersion(StoredCluster& stored,
                                                       std::optional<int64_t> version,
                                                       std::ostream& err);

// `2026-11-22T02:44:43.123Z`.
std::string formatTimestampMs(int64_t timestampMs);

}  // namespace ceph_planner::cli
