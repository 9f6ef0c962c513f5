#pragma once

// `ChronosApi` over HTTP, independent of the HTTP library. It reuses marathon_client's generic
// HTTP pieces (the `HttpTransport` seam, `Backoff`, credentials and URL helpers) and adds Chronos's
// paths and error shapes: base-URL failover, per-call timeouts, retries with jittered backoff for
// idempotent calls (GET, DELETE, and the POST upserts, which Chronos applies as replace-by-name),
// redirects to the leader, and the `Authorization` header (never sent over a downgraded scheme).

#include <atomic>
#include <string>
#include <vector>

#include "chronos_client/chronos_api.h"
#include "common/clock.h"
#include "marathon_client/auth.h"
#include "marathon_client/http_retry.h"
#include "marathon_client/http_transport.h"

namespace ceph_planner::chronos {

struct ChronosClientOptions {
  // `http(s)://host:port` of each Chronos node; a failed connection moves on to the next.
  std::vector<std::string> baseUrls;
  std::string prefix = "/v1/scheduler";  // Chronos 3.x.
  Clock::Duration callTimeout{std::chrono::seconds(10)};
  marathon::RetryPolicy retry;
  marathon::Credentials credentials;
  std::string caFile;  // Extra CA certificates (PEM); certificates are always verified.
  int maxRedirects = 3;
  ClockPtr clock = systemClock();
  uint64_t jitterSeed = 0;  // 0 = seeded from std::random_device.
};

// Non-empty URL list with http/https schemes, positive timeout, at least one attempt, a clock.
Status validateOptions(const ChronosClientOptions& options);

class HttpChronosClient : public ChronosApi {
 public:
  // `options` must pass `validateOptions` (checked by the factories; violated here = abort).
  HttpChronosClient(ChronosClientOptions options, marathon::HttpTransportPtr transport);

  Result<std::vector<planner::JobSpec>> listJobs() override;
  Result<planner::JobSpec> getJob(const std::string& name) override;
  Status putJob(const planner::JobSpec& job) override;
  Status deleteJob(const std::string& name) override;
  Status runJob(const std::string& name) override;
  Result<std::string> leader() override;

  // HTTP requests sent so far (every attempt and redirect hop counts).
  int requestsSent() const { return requestsSent_.load(); }

 private:
  Result<marathon::HttpReply> call(const std::string& method, const std::string& path,
                                   const std::string& body, bool retryable);
  Result<marathon::HttpReply> attempt(const std::string& method, const std::string& path,
                                      const std::string& body);
  Result<marathon::HttpReply> sendFollowingRedirects(const std::string& method, std::string url,
                                                     const std::string& body, bool& connectFailed);
  std::string jobPath(const std::string& what, const std::string& name) const;

  ChronosClientOptions options_;
  marathon::HttpTransportPtr transport_;
  marathon::Backoff backoff_;
  std::atomic<size_t> active_{0};
  std::atomic<int> requestsSent_{0};
};

}  // namespace ceph_planner::chronos
