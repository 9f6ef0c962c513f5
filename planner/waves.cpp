#include "planner/waves.h"

#include <map>

namespace ceph_planner::planner {

std::vector<ApplyStep> scheduleSteps(const Plan& plan, bool monsObserved) {
  std::vector<ApplyStep> steps;
  ApplyStep monBatch{Wave::Mon, "mon", {}};
  ApplyStep mgrCreates{Wave::Mgr, "mgr", {}};
  std::vector<ApplyStep> mgrUpdates;
  std::map<std::string, ApplyStep> osdByDomain;
  ApplyStep rgw{Wave::Rgw, "rgw", {}};
  ApplyStep rgwDeletes{Wave::Rgw, "rgw removals", {}};
  ApplyStep mgrDeletes{Wave::Mgr, "mgr removals", {}};
  std::vector<ApplyStep> monSingles;

  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const PlanAction& a = plan.actions[i];
    if (a.kind == ActionKind::Unchanged) continue;
    switch (a.role) {
      case Role::Mon:
        if (monsObserved) {
          monSingles.push_back({Wave::Mon, "mon '" + a.appId + "'", {i}});
        } else {
          monBatch.actionIndex.push_back(i);
        }
        break;
      case Role::Mgr:
        if (a.kind == ActionKind::Delete) {
          mgrDeletes.actionIndex.push_back(i);
        } else if (a.kind == ActionKind::Create) {
          mgrCreates.actionIndex.push_back(i);
        } else {
          mgrUpdates.push_back({Wave::Mgr, "mgr '" + a.appId + "'", {i}});
        }
        break;
      case Role::Osd: {
        std::string domain = (a.failureDomain.empty() ? a.host : a.failureDomain).str();
        auto& step = osdByDomain[domain];
        step.wave = Wave::Osd;
        step.name = "osd " + domain;
        step.actionIndex.push_back(i);
        break;
      }
      case Role::Rgw:
        (a.kind == ActionKind::Delete ? rgwDeletes : rgw).actionIndex.push_back(i);
        break;
    }
  }

  if (!monBatch.actionIndex.empty()) steps.push_back(monBatch);
  for (auto& s : monSingles) steps.push_back(std::move(s));
  if (!mgrCreates.actionIndex.empty()) steps.push_back(mgrCreates);
  for (auto& s : mgrUpdates) steps.push_back(std::move(s));
  for (auto& [domain, step] : osdByDomain) steps.push_back(std::move(step));
  if (!rgw.actionIndex.empty()) steps.push_back(rgw);
  if (!rgwDeletes.actionIndex.empty()) steps.push_back(rgwDeletes);
  if (!mgrDeletes.actionIndex.empty()) steps.push_back(mgrDeletes);
  return steps;
}

Status checkApplicable(const Plan& plan) {
  std::string refused;
  for (const auto& a : plan.actions) {
    if (a.kind != ActionKind::Delete) continue;
    if (a.role != Role::Mon && a.role != Role::Osd) continue;
    if (!refused.empty()) refused += ", ";
    refused += "'" + a.appId + "'";
  }
  if (refused.empty()) return okStatus();
  return makeError(ErrorCode::InvalidInput,
                   "refusing to delete stateful daemons " + refused +
                       ": removing a mon or an OSD must go through the safe drain (out → "
                       "safe-to-destroy → stop → purge), which apply does not do; put them back "
                       "in the topology, or drain them first");
}

}  // namespace ceph_planner::planner
