#include "marathon_client/marathon_json.h"

#include <nlohmann/json.hpp>

#include "planner/app_json.h"

namespace ceph_planner::marathon {
namespace {

using nlohmann::json;

Result<json> parse(std::string_view text, std::string_view what) {
  auto doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return makeError(ErrorCode::InvalidInput,
                     "marathon sent malformed json for " + std::string(what));
  }
  return doc;
}

std::string str(const json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int integer(const json& obj, const char* key) {
  if (!obj.is_object()) return 0;
  auto it = obj.find(key);
  return it != obj.end() && it->is_number() ? it->get<int>() : 0;
}

bool boolean(const json& obj, const char* key) {
  if (!obj.is_object()) return false;
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

Error shapeError(std::string_view what) {
  return makeError(ErrorCode::InvalidInput,
                   "unexpected json shape for " + std::string(what) + " from marathon");
}

}  // namespace

Result<DeploymentRef> deploymentRefFromJson(std::string_view text) {
  auto doc = parse(text, "a deployment result");
  if (!doc) return doc.error();
  if (!doc->is_object() || str(*doc, "deploymentId").empty()) {
    return shapeError("a deployment result");
  }
  return DeploymentRef{str(*doc, "deploymentId"), str(*doc, "version")};
}

Result<std::vector<Deployment>> deploymentsFromJson(std::string_view text) {
  auto doc = parse(text, "the deployment list");
  if (!doc) return doc.error();
  if (!doc->is_array()) return shapeError("the deployment list");
  std::vector<Deployment> out;
  for (const auto& d : *doc) {
    if (!d.is_object()) return shapeError("the deployment list");
    Deployment dep;
    dep.id = str(d, "id");
    dep.version = str(d, "version");
    dep.currentStep = integer(d, "currentStep");
    dep.totalSteps = integer(d, "totalSteps");
    if (auto it = d.find("affectedApps"); it != d.end() && it->is_array()) {
      for (const auto& a : *it) {
        if (a.is_string()) dep.affectedApps.push_back(a.get<std::string>());
      }
    }
    if (auto it = d.find("currentActions"); it != d.end() && it->is_array()) {
      for (const auto& a : *it) dep.currentActions.push_back({str(a, "action"), str(a, "app")});
    }
    out.push_back(std::move(dep));
  }
  return out;
}

Result<std::vector<QueueEntry>> queueFromJson(std::string_view text) {
  auto doc = parse(text, "the launch queue");
  if (!doc) return doc.error();
  if (!doc->is_object() || !doc->contains("queue") || !(*doc)["queue"].is_array()) {
    return shapeError("the launch queue");
  }
  std::vector<QueueEntry> out;
  for (const auto& q : (*doc)["queue"]) {
    QueueEntry e;
    if (auto it = q.find("app"); it != q.end()) e.appId = str(*it, "id");
    e.count = integer(q, "count");
    e.since = str(q, "since");
    if (auto it = q.find("delay"); it != q.end()) {
      e.delayOverdue = boolean(*it, "overdue");
      e.delayTimeLeftSeconds = integer(*it, "timeLeftSeconds");
    }
    if (auto it = q.find("processedOffersSummary"); it != q.end() && it->is_object()) {
      e.processedOffers = integer(*it, "processedOffersCount");
      e.unusedOffers = integer(*it, "unusedOffersCount");
      if (auto r = it->find("rejectSummaryLastOffers"); r != it->end() && r->is_array()) {
        for (const auto& row : *r) {
          RejectReason reason{str(row, "reason"), integer(row, "declined"),
                              integer(row, "processed")};
          if (reason.declined > 0) e.rejectReasons.push_back(std::move(reason));
        }
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<MarathonInfo> infoFromJson(std::string_view text) {
  auto doc = parse(text, "/v2/info");
  if (!doc) return doc.error();
  if (!doc->is_object()) return shapeError("/v2/info");
  return MarathonInfo{str(*doc, "name"), str(*doc, "version"), str(*doc, "leader"),
                      boolean(*doc, "elected"), str(*doc, "frameworkId")};
}

Result<std::string> leaderFromJson(std::string_view text) {
  auto doc = parse(text, "/v2/leader");
  if (!doc) return doc.error();
  if (!doc->is_object() || str(*doc, "leader").empty()) return shapeError("/v2/leader");
  return str(*doc, "leader");
}

Result<std::vector<std::string>> killedTaskIdsFromJson(std::string_view text) {
  auto doc = parse(text, "a task kill result");
  if (!doc) return doc.error();
  std::vector<std::string> ids;
  if (doc->is_object() && doc->contains("tasks") && (*doc)["tasks"].is_array()) {
    for (const auto& t : (*doc)["tasks"]) ids.push_back(str(t, "id"));
    return ids;
  }
  if (doc->is_object() && doc->contains("task")) {
    ids.push_back(str((*doc)["task"], "id"));
    return ids;
  }
  return shapeError("a task kill result");
}

std::string scaleBodyJson(int instances) {
  return json{{"instances", instances}}.dump();
}

std::string killBodyJson(const std::vector<std::string>& taskIds) {
  return json{{"ids", taskIds}}.dump();
}

std::string appsArrayJson(const std::vector<planner::AppSpec>& apps) {
  std::string out = "[";
  for (size_t i = 0; i < apps.size(); ++i) {
    if (i > 0) out += ",";
    out += planner::appToJson(apps[i]);
  }
  return out + "]";
}

}  // namespace ceph_planner::marathon
