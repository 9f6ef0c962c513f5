// The shared `TopologyStore` behavioural cases, run against `ZkTopologyStore` on a real server.

#include "tests/component/store_zk/zk_test_env.h"
#include "tests/unit/store/store_cases.h"

namespace ceph_planner::store::testing {
namespace {

struct ZkStoreFactory {
  static TopologyStorePtr make() {
    std::string error;
    auto* zk = sharedZk(&error);
    if (zk == nullptr) {
      ADD_FAILURE() << "real zookeeper did not start: " << error;
      return nullptr;
    }
    auto store = ZkTopologyStore::connect(storeOptions(zk->connectString() + freshRoot()));
    if (!store) {
      ADD_FAILURE() << store.error().toString();
      return nullptr;
    }
    return std::move(*store);
  }
};

using ZkStoreTypes = ::testing::Types<ZkStoreFactory>;
INSTANTIATE_TYPED_TEST_SUITE_P(Zk, TopologyStoreContract, ZkStoreTypes);

}  // namespace
}  // namespace ceph_planner::store::testing
