#include "daemon/instrumented_marathon.h"

#include <algorithm>
#include <cctype>

namespace ceph_planner::daemon {

namespace {
constexpr char kCallSeconds[] = "ceph_planner_marathon_call_seconds";
constexpr char kErrors[] = "ceph_planner_errors_total";

std::string lowerName(ErrorCode code) {
  std::string name(errorCodeName(code));
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (i > 0) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}
}  // namespace

void declareMarathonMetrics(Metrics& metrics) {
  metrics.declareHistogram(kCallSeconds, "Latency of Marathon API calls by method.",
                           {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  metrics.declareCounter(kErrors, "Errors by kind (source and error code).");
}

GuardedMarathon::GuardedMarathon(marathon::MarathonApi& inner, Metrics& metrics, const Clock& clock,
                                 std::function<bool()> mayAct)
    : inner_(inner), metrics_(metrics), clock_(clock), mayAct_(std::move(mayAct)) {}

template <typename Call>
auto GuardedMarathon::timed(const char* method, Call call) -> decltype(call()) {
  if (!mayAct_()) {
    return makeError(ErrorCode::Unavailable,
                     std::string("not the leader: refusing Marathon call '") + method + "'");
  }
  auto start = clock_.monotonic();
  auto result = call();
  auto elapsed = clock_.monotonic() - start;
  metrics_.observe(kCallSeconds, std::chrono::duration<double>(elapsed).count(),
                   {{"method", method}});
  if (!result)
    metrics_.increment(kErrors, {{"kind", "marathon_" + lowerName(result.error().code)}});
  return result;
}

Result<planner::ObservedState> GuardedMarathon::getGroup(const std::string& groupId) {
  return timed("getGroup", [&] { return inner_.getGroup(groupId); });
}
Result<marathon::DeploymentRef> GuardedMarathon::putApp(const planner::AppSpec& app, bool force) {
  return timed("putApp", [&] { return inner_.putApp(app, force); });
}
Result<marathon::DeploymentRef> GuardedMarathon::putApps(const std::vector<planner::AppSpec>& apps,
                                                         bool force) {
  return timed("putApps", [&] { return inner_.putApps(apps, force); });
}
Result<marathon::DeploymentRef> GuardedMarathon::scaleApp(const std::string& appId, int instances,
                                                          bool force) {
  return timed("scaleApp", [&] { return inner_.scaleApp(appId, instances, force); });
}
Result<marathon::DeploymentRef> GuardedMarathon::deleteApp(const std::string& appId, bool force) {
  return timed("deleteApp", [&] { return inner_.deleteApp(appId, force); });
}
Result<marathon::KillResult> GuardedMarathon::killTasks(const std::string& appId,
                                                        const std::vector<std::string>& taskIds,
                                                        bool scale) {
  return timed("killTasks", [&] { return inner_.killTasks(appId, taskIds, scale); });
}
Result<std::vector<marathon::Deployment>> GuardedMarathon::listDeployments() {
  return timed("listDeployments", [&] { return inner_.listDeployments(); });
}
Result<std::optional<marathon::DeploymentRef>> GuardedMarathon::deleteDeployment(
    const std::string& id, bool force) {
  return timed("deleteDeployment", [&] { return inner_.deleteDeployment(id, force); });
}
Result<std::vector<marathon::QueueEntry>> GuardedMarathon::getQueue() {
  return timed("getQueue", [&] { return inner_.getQueue(); });
}
Result<marathon::MarathonInfo> GuardedMarathon::info() {
  return timed("info", [&] { return inner_.info(); });
}
Result<std::string> GuardedMarathon::leader() {
  return timed("leader", [&] { return inner_.leader(); });
}
Status GuardedMarathon::streamEvents(const marathon::EventFilter& filter,
                                     const marathon::EventCallback& callback,
                                     std::stop_token stop) {
  return inner_.streamEvents(filter, callback, stop);
}

}  // namespace ceph_planner::daemon
