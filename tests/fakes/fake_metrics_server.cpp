#include "tests/fakes/fake_metrics_server.h"

#include <cstdio>
#include <set>

#include "sim/common/http_server.h"

namespace ceph_planner::testing {

FakeMetricsServer::FakeMetricsServer(const Clock& clock, std::string metric,
                                     std::string instanceLabel)
    : clock_(clock), metric_(std::move(metric)), instanceLabel_(std::move(instanceLabel)) {}

FakeMetricsServer::~FakeMetricsServer() {
  stop();
}

Status FakeMetricsServer::start(int port) {
  server_ = std::make_unique<sim::HttpServer>();
  return server_->start("127.0.0.1", port, [this](const sim::HttpRequest& request) {
    sim::HttpResponse response;
    if (request.method != "GET" || request.path != "/metrics") {
      response.status = 404;
      response.contentType = "text/plain";
      response.body = "not found\n";
      return response;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++scrapes_;
    }
    response.contentType = "text/plain; version=0.0.4";
    response.body = page();
    return response;
  });
}

void FakeMetricsServer::stop() {
  if (server_) server_->stop();
}

std::string FakeMetricsServer::url() const {
  return server_->baseUrl() + "/metrics";
}

double FakeMetricsServer::valueAt(const Counter& c, Clock::Duration now) const {
  return c.base + c.perSecond * std::chrono::duration<double>(now - c.since).count();
}

void FakeMetricsServer::setRate(const std::string& instance, double perSecond) {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::Duration now = clock_.monotonic();
  auto [it, added] = counters_.try_emplace(instance, Counter{0, 0, now});
  it->second.base = valueAt(it->second, now);
  it->second.since = now;
  it->second.perSecond = perSecond;
}

void FakeMetricsServer::remove(const std::string& instance) {
  std::lock_guard<std::mutex> lock(mu_);
  counters_.erase(instance);
}

void FakeMetricsServer::spread(const std::vector<std::string>& instances, double total) {
  const std::set<std::string> keep(instances.begin(), instances.end());
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::erase_if(counters_, [&](const auto& entry) { return !keep.count(entry.first); });
  }
  for (const std::string& i : keep) setRate(i, total / keep.size());
}

std::string FakeMetricsServer::page() const {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::Duration now = clock_.monotonic();
  std::string out =
      "# HELP " + metric_ + " synthetic RGW request counter\n# TYPE " + metric_ + " counter\n";
  for (const auto& [instance, counter] : counters_) {
    char value[48];
    std::snprintf(value, sizeof value, "%.3f", valueAt(counter, now));
    out += metric_ + "{" + instanceLabel_ + "=\"" + instance + "\"} " + value + "\n";
  }
  return out;
}

int FakeMetricsServer::scrapes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return scrapes_;
}

}  // namespace ceph_planner::testing
