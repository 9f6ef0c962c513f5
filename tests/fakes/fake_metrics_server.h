#pragma once

// `FakeMetricsServer`: a synthetic Prometheus endpoint for end-to-end autoscaling tests. It serves
// `GET /metrics` with one counter series per instance (`ceph_rgw_req{instance="<host>"}` by
// default); each counter rises at a rate the test sets, measured on the given clock, so a scraper
// computing rates sees exactly that load. Binds to loopback only.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace ceph_planner::sim {
class HttpServer;
}

namespace ceph_planner::testing {

class FakeMetricsServer {
 public:
  explicit FakeMetricsServer(const Clock& clock, std::string metric = "ceph_rgw_req",
                             std::string instanceLabel = "instance");
  ~FakeMetricsServer();
  FakeMetricsServer(const FakeMetricsServer&) = delete;
  FakeMetricsServer& operator=(const FakeMetricsServer&) = delete;

  // Listens on `127.0.0.1:port` (0 = a free port).
  Status start(int port = 0);
  void stop();
  // `http://127.0.0.1:<port>/metrics`.
  std::string url() const;

  // From now on `instance`'s counter rises by `perSecond` each second (it keeps its value so far).
  void setRate(const std::string& instance, double perSecond);
  // Stops serving `instance` (its counter is forgotten).
  void remove(const std::string& instance);
  // Every instance rises at `total / n` for the given `n` instances (others are removed).
  void spread(const std::vector<std::string>& instances, double total);
  // The page as served now.
  std::string page() const;
  int scrapes() const;

 private:
  struct Counter {
    double base = 0;
    double perSecond = 0;
    Clock::Duration since{0};
  };
  double valueAt(const Counter& c, Clock::Duration now) const;

  const Clock& clock_;
  std::string metric_;
  std::string instanceLabel_;
  mutable std::mutex mu_;
  std::map<std::string, Counter> counters_;
  int scrapes_ = 0;
  std::unique_ptr<sim::HttpServer> server_;
};

}  // namespace ceph_planner::testing
