#pragma once

// `TimedStore`: a `TopologyStore` decorator that times every call into
// `ceph_planner_zookeeper_call_seconds{op}` and counts failures in
// `ceph_planner_errors_total{kind="store_<code>"}` (the daemon's store is ZooKeeper in production;
// the metric keeps that name with the file store too). Watch callbacks are passed through.

#include "common/clock.h"
#include "daemon/metrics.h"
#include "store/topology_store.h"

namespace ceph_planner::daemon {

class TimedStore final : public store::TopologyStore {
 public:
  TimedStore(store::TopologyStore& inner, Metrics& metrics, const Clock& clock);

  Result<store::TopologyRecord> getTopology(const std::string& cluster) override;
  Result<store::TopologyRecord> putTopology(const std::string& cluster,
                                            const store::PutRequest& request) override;
  Result<std::vector<store::TopologyVersionInfo>> listHistory(const std::string& cluster) override;
  Result<store::TopologyRecord> getTopologyVersion(const std::string& cluster,
                                                   int64_t version) override;
  Result<store::WatchId> watchTopology(const std::string& cluster,
                                       std::function<void()> onChange) override;
  void unwatch(store::WatchId id) override;
  Result<std::vector<std::string>> listClusters() override;
  Result<std::string> getSecret(const std::string& cluster, const std::string& name) override;
  Result<std::string> putSecretIfAbsent(const std::string& cluster, const std::string& name,
                                        const std::string& value) override;
  Result<std::vector<std::string>> listSecrets(const std::string& cluster) override;
  Result<store::OsdBinding> getOsdBinding(const std::string& cluster, const std::string& host,
                                          const std::string& slot) override;
  Status putOsdBinding(const std::string& cluster, const std::string& host, const std::string& slot,
                       const store::OsdBinding& binding) override;
  Status deleteOsdBinding(const std::string& cluster, const std::string& host,
                          const std::string& slot) override;
  Result<std::vector<std::pair<std::string, store::OsdBinding>>> listOsdBindings(
      const std::string& cluster) override;
  Result<std::string> getInventory(const std::string& cluster, const std::string& host) override;
  Status putInventory(const std::string& cluster, const std::string& host,
                      const std::string& json) override;
  Result<std::vector<std::string>> listInventoryHosts(const std::string& cluster) override;
  Result<std::string> getStatus(const std::string& cluster) override;
  Status putStatus(const std::string& cluster, const std::string& blob) override;

 private:
  template <typename Call>
  auto timed(const char* op, Call call) -> decltype(call());

  store::TopologyStore& inner_;
  Metrics& metrics_;
  const Clock& clock_;
};

void declareStoreMetrics(Metrics& metrics);

}  // namespace ceph_planner::daemon
