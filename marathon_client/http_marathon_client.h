#pragma once

// `MarathonApi` over HTTP, independent of the HTTP library: base-URL failover, per-call timeouts,
// retries with jittered exponential backoff for idempotent calls only, leader redirects, auth
// headers and Marathon error mapping. The library is behind `HttpTransport`;
// `CppRestMarathonClient` (cpprest_marathon_client.h) is this class with the cpprest transport.

#include <atomic>
#include <string>
#include <vector>

#include "common/clock.h"
#include "marathon_client/auth.h"
#include "marathon_client/http_retry.h"
#include "marathon_client/http_transport.h"
#include "marathon_client/marathon_api.h"

namespace ceph_planner::marathon {

struct MarathonClientOptions {
  // `http(s)://host:port[/prefix]` of each Marathon instance. Requests go to the one that answered
  // last; when a connection cannot be made, the next one is tried (in order, wrapping around).
  std::vector<std::string> baseUrls;
  Clock::Duration callTimeout{std::chrono::seconds(10)};
  RetryPolicy retry;
  Credentials credentials;
  // PEM bundle of CA certificates for HTTPS, in addition to the system store. Certificates are
  // always verified; there is deliberately no switch to turn that off.
  std::string caFile;
  int maxRedirects = 3;
  // `streamEvents`: the longest silence on an open stream before it is re-opened, and the backoff
  // between re-connections (its attempt count and budget are ignored: a stream retries forever).
  Clock::Duration streamIdleTimeout{std::chrono::seconds(120)};
  RetryPolicy streamReconnect{0, std::chrono::milliseconds(500), std::chrono::seconds(30),
                              Clock::Duration(0)};
  ClockPtr clock = systemClock();
  uint64_t jitterSeed = 0;  // 0 = seeded from std::random_device.
};

// Checks the options (non-empty URL list, http/https schemes, positive timeouts).
Status validateOptions(const MarathonClientOptions& options);

class HttpMarathonClient : public MarathonApi {
 public:
  // `options` must pass `validateOptions` (checked by the factories; violated here = abort).
  HttpMarathonClient(MarathonClientOptions options, HttpTransportPtr transport);

  Result<planner::ObservedState> getGroup(const std::string& groupId) override;
  Result<DeploymentRef> putApp(const planner::AppSpec& app, bool force) override;
  Result<DeploymentRef> putApps(const std::vector<planner::AppSpec>& apps, bool force) override;
  Result<DeploymentRef> scaleApp(const std::string& appId, int instances, bool force) override;
  Result<DeploymentRef> deleteApp(const std::string& appId, bool force) override;
  Result<KillResult> killTasks(const std::string& appId, const std::vector<std::string>& taskIds,
                               bool scale) override;
  Result<std::vector<Deployment>> listDeployments() override;
  Result<std::optional<DeploymentRef>> deleteDeployment(const std::string& id, bool force) override;
  Result<std::vector<QueueEntry>> getQueue() override;
  Result<MarathonInfo> info() override;
  Result<std::string> leader() override;
  Status streamEvents(const EventFilter& filter, const EventCallback& callback,
                      std::stop_token stop) override;

  // How many HTTP requests this client has sent (every attempt and redirect hop counts).
  int requestsSent() const { return requestsSent_.load(); }

 private:
  // One logical call: retries (idempotent methods only), failover and redirects; any non-2xx
  // answer becomes an `Error` built by `errorFromResponse`.
  Result<HttpReply> call(const std::string& method, const std::string& pathAndQuery,
                         const std::string& body);
  // One attempt: the base URLs in turn while connections fail, then redirects.
  Result<HttpReply> attempt(const std::string& method, const std::string& pathAndQuery,
                            const std::string& body);
  // Follows redirects from `url`. `connectFailed` tells the caller to try the next base URL.
  Result<HttpReply> sendFollowingRedirects(const std::string& method, std::string url,
                                           const std::string& body, bool& connectFailed);
  Headers headersFor(const std::string& url, bool hasBody, bool eventStream) const;
  // One event-stream connection: returns ok when `stop` ended it, a retryable error when the
  // connection ended or failed, a permanent error otherwise.
  Status streamOnce(const std::string& pathAndQuery, const EventFilter& filter,
                    const EventCallback& callback, std::stop_token stop, bool& delivered);

  MarathonClientOptions options_;
  HttpTransportPtr transport_;
  Backoff backoff_;
  Backoff streamBackoff_;
  std::atomic<size_t> active_{0};  // Index of the base URL that answered last.
  std::atomic<int> requestsSent_{0};
};

}  // namespace ceph_planner::marathon
