#include "engine/rgw_autoscaler.h"

#include <algorithm>
#include <set>

#include "common/strings.h"
#include "planner/render.h"

namespace ceph_planner::engine {
namespace {

// Counter readings older than this belong to instances that went away.
constexpr Clock::Duration kForgetReadingsAfter = std::chrono::minutes(30);

// `host:port` or `host` (an IPv6 literal in brackets keeps its colons).
struct InstanceAddress {
  std::string host;
  std::optional<int> port;
};

InstanceAddress parseInstance(const std::string& instance) {
  InstanceAddress a;
  a.host = instance;
  const size_t colon = instance.rfind(':');
  if (colon == std::string::npos || colon + 1 == instance.size()) return a;
  if (instance.find(':') != colon && instance.front() != '[') return a;  // Bare IPv6.
  int port = 0;
  for (size_t i = colon + 1; i < instance.size(); ++i) {
    if (instance[i] < '0' || instance[i] > '9' || port > 65535) return a;
    port = port * 10 + (instance[i] - '0');
  }
  a.host = instance.substr(0, colon);
  if (a.host.size() >= 2 && a.host.front() == '[' && a.host.back() == ']') {
    a.host = a.host.substr(1, a.host.size() - 2);
  }
  a.port = port;
  return a;
}

bool matches(const planner::TaskStatus& task, const InstanceAddress& a) {
  if (task.host != a.host) return false;
  return !a.port || std::find(task.ports.begin(), task.ports.end(), *a.port) != task.ports.end();
}

}  // namespace

RgwAutoscaler::RgwAutoscaler(marathon::MarathonApi& marathon, MetricSource& metrics,
                             const Clock& clock, RgwAutoscalerOptions options)
    : marathon_(marathon), metrics_(metrics), clock_(clock), options_(std::move(options)) {}

const RgwAutoscaler::EndpointRates& RgwAutoscaler::ratesFrom(const std::string& url,
                                                             Clock::Duration now) {
  auto cached = tickRates_.find(url);
  if (cached != tickRates_.end()) return cached->second;
  EndpointRates out;
  auto counters = metrics_.read({url, options_.metric, options_.instanceLabel});
  if (!counters) {
    out.error = counters.error().message;
  } else {
    for (const InstanceCounter& c : *counters) {
      // Every counter is tracked, matched to a task or not, so a task that appears later already
      // has a baseline. The url is part of the key: two endpoints may name the same instance.
      const std::optional<double> rate = rates_.observe(url + "|" + c.instance, c.value, now);
      if (rate) out.rates.emplace_back(c.instance, *rate);
    }
  }
  return tickRates_.emplace(url, std::move(out)).first->second;
}

RgwAutoscaler::Loads RgwAutoscaler::measure(const topology::RgwService& rgw,
                                            const planner::ObservedApp& app, Clock::Duration now) {
  Loads loads;
  for (const planner::TaskStatus& t : app.status.tasks) {
    loads.tasks.push_back({t.id, t.host, t.healthy, std::nullopt});
  }
  const std::string& url =
      rgw.autoscale.metricUrl.empty() ? options_.metricsUrl : rgw.autoscale.metricUrl;
  if (url.empty()) {
    loads.unavailable =
        "no metrics url (set the daemon's --rgw_metrics_url or autoscale.metric_url)";
    return loads;
  }
  const EndpointRates& endpoint = ratesFrom(url, now);
  if (endpoint.error) {
    loads.unavailable = *endpoint.error;
    return loads;
  }
  for (const auto& [instance, rate] : endpoint.rates) {
    const InstanceAddress address = parseInstance(instance);
    for (size_t i = 0; i < app.status.tasks.size(); ++i) {
      if (!matches(app.status.tasks[i], address)) continue;
      auto& slot = loads.tasks[i].requestsPerSecond;
      slot = slot.value_or(0) + rate;
      break;
    }
  }
  return loads;
}

Status RgwAutoscaler::act(const planner::AutoscaleDecision& d) {
  if (d.action == planner::AutoscaleAction::ScaleDown && !d.victimTaskIds.empty()) {
    auto killed = marathon_.killTasks(d.appId, d.victimTaskIds, /*scale=*/true);
    if (!killed) return killed.error();
    return okStatus();
  }
  auto scaled = marathon_.scaleApp(d.appId, d.to, options_.force);
  if (!scaled) return scaled.error();
  return okStatus();
}

Result<std::vector<planner::AutoscaleDecision>> RgwAutoscaler::tick(
    const topology::Topology& topology, const planner::ObservedState& observed) {
  const Clock::Duration now = clock_.monotonic();
  const std::string groupId = planner::clusterGroupId(topology);
  std::vector<planner::AutoscaleDecision> acted;
  std::set<std::string> seen;
  evaluations_.clear();
  tickRates_.clear();
  Status failed = okStatus();
  for (const topology::RgwService& rgw : topology.rgw) {
    if (!rgw.autoscale.present) continue;
    const std::string appId = groupId + "/rgw/" + rgw.serviceId;
    auto app = std::find_if(observed.apps.begin(), observed.apps.end(),
                            [&](const planner::ObservedApp& a) { return a.spec.id == appId; });
    if (app == observed.apps.end()) continue;
    seen.insert(appId);
    if (!failed) continue;  // Keep the remaining services' history; act on them next tick.

    Loads loads = measure(rgw, *app, now);
    planner::AutoscaleInput in;
    in.service = rgw.serviceId;
    in.appId = appId;
    in.params = planner::autoscaleParams(rgw.autoscale);
    in.instances = app->spec.instances;
    in.tasks = std::move(loads.tasks);
    in.deploymentInProgress = !app->status.deploymentIds.empty();
    in.metricsUnavailable = std::move(loads.unavailable);
    in.now = now;

    planner::AutoscaleHistory& history = history_[appId];
    const std::optional<Clock::Duration> previousChange = history.lastChangeAt;
    planner::AutoscaleDecision decision = planner::decideAutoscale(in, history);
    evaluations_.push_back(decision);
    if (!decision.changes()) continue;
    Status done = act(decision);
    if (!done) {
      // Nothing changed, so no cooldown starts; the next tick decides again.
      history.lastChangeAt = previousChange;
      failed = done.error().withContext(
          "failed to " + std::string(planner::autoscaleActionName(decision.action)) + " rgw " +
          quoted(rgw.serviceId) + " from " + std::to_string(decision.from) + " to " +
          std::to_string(decision.to));
      continue;
    }
    acted.push_back(std::move(decision));
  }
  std::erase_if(history_, [&](const auto& entry) { return !seen.count(entry.first); });
  rates_.forgetOlderThan(now - kForgetReadingsAfter);
  if (!failed) return failed.error();
  return acted;
}

void RgwAutoscaler::noteExternalScale(const std::string& appId) {
  history_[appId].lastChangeAt = clock_.monotonic();
}

}  // namespace ceph_planner::engine
