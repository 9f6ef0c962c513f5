#include "store/store_factory.h"

#include <cstdlib>

#include "store/file_topology_store.h"
#include "store/zk_topology_store.h"

namespace ceph_planner::store {
namespace {

std::string envOr(const std::string& value, const char* name) {
  if (!value.empty()) return value;
  const char* env = std::getenv(name);
  return env == nullptr ? std::string() : std::string(env);
}

}  // namespace

Result<OpenedStore> openTopologyStore(const StoreConfig& config) {
  const std::string connect = envOr(config.zkConnect, kZkConnectEnvVar);
  if (!connect.empty()) {
    ZkStoreOptions options;
    options.connect = connect;
    options.sessionTimeout = config.zkSessionTimeout;
    options.callTimeout = config.zkCallTimeout;
    options.connectTimeout = config.zkConnectTimeout;
    if (!config.zkCredentialsFile.empty()) {
      options.credentialsFile = config.zkCredentialsFile;
    } else if (std::getenv(kZkCredentialsEnvVar) != nullptr) {
      options.credentialsEnv = kZkCredentialsEnvVar;
    }
    auto store = ZkTopologyStore::connect(options);
    if (!store) return store.error();
    return OpenedStore{std::move(*store), "zookeeper '" + connect + "'", true};
  }
  std::string root = envOr(config.fileRoot, kFileStoreEnvVar);
  if (root.empty()) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') {
      return makeError(ErrorCode::InvalidInput,
                       "no store configured: give --zk, or set CEPH_PLANNER_ZK, "
                       "CEPH_PLANNER_STORE_DIR or HOME");
    }
    root = std::string(home) + "/.ceph-planner";
  }
  FileStoreOptions options;
  options.root = root;
  auto store = FileTopologyStore::open(options);
  if (!store) return store.error();
  return OpenedStore{std::move(*store), "file store '" + root + "'", false};
}

}  // namespace ceph_planner::store
