#include "ceph/ceph_admin.h"

namespace ceph_planner::ceph {
namespace {

double ratio(int64_t part, int64_t total) {
  return total > 0 ? static_cast<double>(part) / static_cast<double>(total) : 0.0;
}

}  // namespace

double PgStat::misplacedRatio() const {
  return ratio(misplacedObjects, misplacedTotal);
}

double PgStat::degradedRatio() const {
  return ratio(degradedObjects, degradedTotal);
}

int PgStat::activeClean() const {
  auto it = pgsByState.find("active+clean");
  return it == pgsByState.end() ? 0 : it->second;
}

bool PgStat::recoveryOrBackfill() const {
  for (const auto& [state, count] : pgsByState) {
    if (count > 0 && (state.find("recover") != std::string::npos ||
                      state.find("backfill") != std::string::npos)) {
      return true;
    }
  }
  return false;
}

}  // namespace ceph_planner::ceph
