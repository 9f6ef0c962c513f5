// `MetricSource` over HTTP. The transport is marathon_client's cpprest one (HTTP/1.1, TLS with
// verification), so this file includes no HTTP library and cpprest's exceptions stay in
// cpprest_marathon_client.cpp.

#include <algorithm>
#include <string>
#include <variant>

#include "common/strings.h"
#include "engine/metric_source.h"
#include "marathon_client/cpprest_marathon_client.h"
#include "marathon_client/http_transport.h"
#include "planner/prometheus_text.h"

namespace ceph_planner::engine {
namespace {

class HttpMetricSource final : public MetricSource {
 public:
  HttpMetricSource(marathon::HttpTransportPtr transport, Clock::Duration timeout)
      : transport_(std::move(transport)), timeout_(timeout) {}

  Result<std::vector<InstanceCounter>> read(const MetricQuery& query) override {
    const std::string context = "failed to read metrics from " + quoted(query.url);
    marathon::HttpCall call;
    call.method = "GET";
    call.url = query.url;
    call.headers = {{"Accept", "text/plain;version=0.0.4"}};
    call.timeout = timeout_;
    marathon::TransportResult sent = transport_->send(call);
    if (auto* failed = std::get_if<marathon::TransportError>(&sent)) {
      const ErrorCode code = failed->kind == marathon::TransportError::Kind::Timeout
                                 ? ErrorCode::Timeout
                                 : ErrorCode::Unavailable;
      return makeError(code, context + ": " + failed->message);
    }
    const marathon::HttpReply& reply = std::get<marathon::HttpReply>(sent);
    if (reply.status < 200 || reply.status > 299) {
      return makeError(reply.status >= 500 ? ErrorCode::Unavailable : ErrorCode::InvalidInput,
                       context + ": http status " + std::to_string(reply.status));
    }
    auto page = planner::parsePrometheusText(reply.body);
    if (!page) return page.error().withContext(context);
    return countersOf(*page, query);
  }

 private:
  // Sums the series of `query.metric` (or its OpenMetrics `_total` spelling) per instance label
  // value, in the order instances first appear.
  static std::vector<InstanceCounter> countersOf(const planner::PrometheusPage& page,
                                                 const MetricQuery& query) {
    std::vector<InstanceCounter> counters;
    const std::string total = query.metric + "_total";
    for (const planner::PrometheusSample& s : page.samples) {
      if (s.name != query.metric && s.name != total) continue;
      const std::string* instance = s.label(query.instanceLabel);
      if (!instance) continue;
      auto it = std::find_if(counters.begin(), counters.end(),
                             [&](const InstanceCounter& c) { return c.instance == *instance; });
      if (it == counters.end()) {
        counters.push_back({*instance, s.value});
      } else {
        it->value += s.value;
      }
    }
    return counters;
  }

  marathon::HttpTransportPtr transport_;
  Clock::Duration timeout_;
};

}  // namespace

MetricSourcePtr makeHttpMetricSource(Clock::Duration timeout) {
  return std::make_unique<HttpMetricSource>(marathon::makeCppRestTransport(""), timeout);
}

}  // namespace ceph_planner::engine
