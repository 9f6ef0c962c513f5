// Plan → JSON for machines (`plan -o json`). Key order is fixed; see docs/plan-format.md.

#include <nlohmann/json.hpp>
#include <string>

#include "planner/format.h"
#include "planner/jobs_format.h"

namespace ceph_planner::planner {
namespace {

using Json = nlohmann::ordered_json;

// FieldChange values are compact JSON text ("" = absent); embed them as values, not strings.
Json embed(const std::string& text) {
  if (text.empty()) return nullptr;
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return text;  // Not JSON (never produced by diff): keep it verbatim.
  return value;
}

Json actionToJson(const PlanAction& a) {
  Json out = Json::object();
  out["kind"] = actionKindName(a.kind);
  out["wave"] = waveName(a.wave);
  out["role"] = roleName(a.role);
  out["app"] = a.appId;
  out["host"] = a.host.str();
  out["slot"] = a.slot.str();
  out["device"] = a.device.str();
  out["db_device"] = a.dbDevice.str();
  out["osd_group"] = a.osdGroup.str();
  out["failure_domain"] = a.failureDomain.str();
  out["from_instances"] = a.fromInstances;
  out["to_instances"] = a.toInstances;
  Json changes = Json::array();
  for (const FieldChange& c : a.changes) {
    changes.push_back(
        Json{{"field", c.field}, {"before", embed(c.before)}, {"after", embed(c.after)}});
  }
  out["changes"] = std::move(changes);
  out["reason"] = a.reason;
  return out;
}

}  // namespace

std::string formatPlanJson(const Plan& plan, const JsonFormatOptions& options) {
  Json out = Json::object();
  out["group"] = plan.groupId;
  out["summary"] = Json{{"add", plan.summary.toAdd},
                        {"change", plan.summary.toChange},
                        {"scale", plan.summary.toScale},
                        {"destroy", plan.summary.toDestroy},
                        {"unchanged", plan.summary.unchanged}};
  out["has_changes"] = plan.hasChanges();
  Json actions = Json::array();
  for (const PlanAction& a : plan.actions) {
    if (a.kind == ActionKind::Unchanged && !options.showUnchanged) continue;
    actions.push_back(actionToJson(a));
  }
  out["actions"] = std::move(actions);
  Json conflicts = Json::array();
  for (const PlanConflict& c : plan.conflicts) {
    conflicts.push_back(Json{{"app", c.appId}, {"message", c.message}});
  }
  out["conflicts"] = std::move(conflicts);
  if (plan.jobs.shown()) {
    out["jobs"] = Json::parse(formatJobsJson(plan.jobs, options.showUnchanged));
  }
  return out.dump(options.pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace ceph_planner::planner
