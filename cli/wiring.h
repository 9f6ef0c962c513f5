#pragma once

// Builds the real I/O implementations from option structs: the Marathon client and the topology
// store. The only place in cli/ that knows which implementation backs an interface.

#include <string>
#include <vector>

#include "common/result.h"
#include "marathon_client/marathon_api.h"
#include "store/store_factory.h"
#include "topology/model.h"

namespace ceph_planner::cli {

struct MarathonOptions {
  std::vector<std::string> urls;  // --marathon (comma-separated), else $CEPH_PLANNER_MARATHON.
  std::string authKind = "none";  // none | basic | bearer
  std::string credentialsFile;    // --marathon_credentials_file
  std::string credentialsEnv;     // --marathon_credentials_env (the variable's NAME)
  std::string caFile;             // --marathon_ca_file
  int timeoutSeconds = 10;
};

// Where the topology store is; empty fields fall back to the environment (store_factory.h).
struct StoreOptions {
  std::string zk;                    // --zk host:port[,host:port][/root]
  std::string zkCredentialsFile;     // --zk_credentials_file
  std::string stateDir;              // --state_dir: the file store (when no ZooKeeper is given).
  int zkSessionTimeoutSeconds = 10;  // --zk_session_timeout.
};

// The Marathon client. URLs: the options, else the topology's `cluster.marathon.url`.
Result<marathon::MarathonApiPtr> makeMarathon(const MarathonOptions& options,
                                              const topology::Topology* topology);

// ZooKeeper when `zk` (or $CEPH_PLANNER_ZK) is set, else the file store.
Result<store::OpenedStore> makeStore(const StoreOptions& options);

// `user@host` of the caller, for history records.
std::string currentAuthor();

}  // namespace ceph_planner::cli
