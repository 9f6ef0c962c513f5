#include "daemon/osd_binding.h"

#include <set>

#include "store/secrets.h"

namespace ceph_planner::daemon {

int lowestFreeOsdId(const std::vector<std::pair<std::string, store::OsdBinding>>& bindings) {
  std::set<int> used;
  for (const auto& [key, binding] : bindings) used.insert(binding.osdId);
  int id = 0;
  while (used.count(id)) ++id;
  return id;
}

std::string renderOsdBindingFile(const store::OsdBinding& binding) {
  return "osd_id=" + std::to_string(binding.osdId) + "\nosd_fsid=" + binding.osdFsid + "\n";
}

OsdBindings::OsdBindings(store::TopologyStore& store, UuidSource newUuid)
    : store_(store), newUuid_(newUuid ? std::move(newUuid) : UuidSource(store::generateUuidV4)) {}

Result<store::OsdBinding> OsdBindings::ensure(const std::string& cluster, const std::string& host,
                                              const std::string& slot, bool mayCreate) {
  const std::string key = "'" + host + "-" + slot + "'";
  auto complete = [&](const store::OsdBinding& b) -> Result<store::OsdBinding> {
    if (b.osdId < 0 || b.osdFsid.size() != 36) {
      return makeError(ErrorCode::Internal, "the stored binding of osd slot " + key +
                                                " is incomplete (id " + std::to_string(b.osdId) +
                                                ", fsid '" + b.osdFsid + "')");
    }
    return b;
  };
  std::lock_guard<std::mutex> lock(mu_);
  auto existing = store_.getOsdBinding(cluster, host, slot);
  if (existing) return complete(*existing);
  if (existing.error().code != ErrorCode::NotFound) {
    return existing.error().withContext("cannot read the binding of osd slot " + key);
  }
  if (!mayCreate) {
    return makeError(ErrorCode::Unavailable,
                     "osd slot " + key + " has no binding yet and only the leader creates one");
  }
  auto all = store_.listOsdBindings(cluster);
  if (!all) return all.error().withContext("cannot list the osd bindings");
  auto uuid = newUuid_();
  if (!uuid) return uuid.error().withContext("cannot generate the fsid of osd slot " + key);
  store::OsdBinding created{lowestFreeOsdId(*all), *uuid};
  if (auto st = store_.putOsdBinding(cluster, host, slot, created); !st) {
    return st.error().withContext("cannot store the binding of osd slot " + key);
  }
  return created;
}

}  // namespace ceph_planner::daemon
