#include "daemon/timed_store.h"

#include <cctype>

namespace ceph_planner::daemon {

namespace {
constexpr char kCallSeconds[] = "ceph_planner_zookeeper_call_seconds";
constexpr char kErrors[] = "ceph_planner_errors_total";
}  // namespace

void declareStoreMetrics(Metrics& metrics) {
  metrics.declareHistogram(kCallSeconds,
                           "Latency of topology store (ZooKeeper) calls by operation.",
                           {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5});
  metrics.declareCounter(kErrors, "Errors by kind (source and error code).");
}

TimedStore::TimedStore(store::TopologyStore& inner, Metrics& metrics, const Clock& clock)
    : inner_(inner), metrics_(metrics), clock_(clock) {}

template <typename Call>
auto TimedStore::timed(const char* op, Call call) -> decltype(call()) {
  auto start = clock_.monotonic();
  auto result = call();
  auto elapsed = clock_.monotonic() - start;
  metrics_.observe(kCallSeconds, std::chrono::duration<double>(elapsed).count(), {{"op", op}});
  if (!result && result.error().code != ErrorCode::NotFound) {
    std::string code(errorCodeName(result.error().code));
    for (auto& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    metrics_.increment(kErrors, {{"kind", "store_" + code}});
  }
  return result;
}

Result<store::TopologyRecord> TimedStore::getTopology(const std::string& cluster) {
  return timed("getTopology", [&] { return inner_.getTopology(cluster); });
}
Result<store::TopologyRecord> TimedStore::putTopology(const std::string& cluster,
                                                      const store::PutRequest& request) {
  return timed("putTopology", [&] { return inner_.putTopology(cluster, request); });
}
Result<std::vector<store::TopologyVersionInfo>> TimedStore::listHistory(
    const std::string& cluster) {
  return timed("listHistory", [&] { return inner_.listHistory(cluster); });
}
Result<store::TopologyRecord> TimedStore::getTopologyVersion(const std::string& cluster,
                                                             int64_t version) {
  return timed("getTopologyVersion", [&] { return inner_.getTopologyVersion(cluster, version); });
}
Result<store::WatchId> TimedStore::watchTopology(const std::string& cluster,
                                                 std::function<void()> onChange) {
  return timed("watchTopology", [&] { return inner_.watchTopology(cluster, std::move(onChange)); });
}
void TimedStore::unwatch(store::WatchId id) {
  inner_.unwatch(id);
}
Result<std::vector<std::string>> TimedStore::listClusters() {
  return timed("listClusters", [&] { return inner_.listClusters(); });
}
Result<std::string> TimedStore::getSecret(const std::string& cluster, const std::string& name) {
  return timed("getSecret", [&] { return inner_.getSecret(cluster, name); });
}
Result<std::string> TimedStore::putSecretIfAbsent(const std::string& cluster,
                                                  const std::string& name,
                                                  const std::string& value) {
  return timed("putSecretIfAbsent", [&] { return inner_.putSecretIfAbsent(cluster, name, value); });
}
Result<std::vector<std::string>> TimedStore::listSecrets(const std::string& cluster) {
  return timed("listSecrets", [&] { return inner_.listSecrets(cluster); });
}
Result<store::OsdBinding> TimedStore::getOsdBinding(const std::string& cluster,
                                                    const std::string& host,
                                                    const std::string& slot) {
  return timed("getOsdBinding", [&] { return inner_.getOsdBinding(cluster, host, slot); });
}
Status TimedStore::putOsdBinding(const std::string& cluster, const std::string& host,
                                 const std::string& slot, const store::OsdBinding& binding) {
  return timed("putOsdBinding", [&] { return inner_.putOsdBinding(cluster, host, slot, binding); });
}
Status TimedStore::deleteOsdBinding(const std::string& cluster, const std::string& host,
                                    const std::string& slot) {
  return timed("deleteOsdBinding", [&] { return inner_.deleteOsdBinding(cluster, host, slot); });
}
Result<std::vector<std::pair<std::string, store::OsdBinding>>> TimedStore::listOsdBindings(
    const std::string& cluster) {
  return timed("listOsdBindings", [&] { return inner_.listOsdBindings(cluster); });
}
Result<std::string> TimedStore::getInventory(const std::string& cluster, const std::string& host) {
  return timed("getInventory", [&] { return inner_.getInventory(cluster, host); });
}
Status TimedStore::putInventory(const std::string& cluster, const std::string& host,
                                const std::string& json) {
  return timed("putInventory", [&] { return inner_.putInventory(cluster, host, json); });
}
Result<std::vector<std::string>> TimedStore::listInventoryHosts(const std::string& cluster) {
  return timed("listInventoryHosts", [&] { return inner_.listInventoryHosts(cluster); });
}
Result<std::string> TimedStore::getStatus(const std::string& cluster) {
  return timed("getStatus", [&] { return inner_.getStatus(cluster); });
}
Status TimedStore::putStatus(const std::string& cluster, const std::string& blob) {
  return timed("putStatus", [&] { return inner_.putStatus(cluster, blob); });
}

}  // namespace ceph_planner::daemon
