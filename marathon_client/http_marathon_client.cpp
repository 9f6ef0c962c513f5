#include "marathon_client/http_marathon_client.h"

#include <algorithm>
#include <random>

#include "common/strings.h"
#include "marathon_client/error_mapping.h"
#include "marathon_client/marathon_json.h"
#include "marathon_client/sse_parser.h"
#include "marathon_client/task_ids.h"
#include "marathon_client/urls.h"
#include "planner/app_json.h"

namespace ceph_planner::marathon {
namespace {

constexpr char kEventStreamAttached[] = "event_stream_attached";

uint64_t seedFrom(uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device rd;
  return (uint64_t(rd()) << 32) | rd();
}

bool isRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

const char* boolText(bool b) {
  return b ? "true" : "false";
}

Error transportError(const TransportError& e, const std::string& url) {
  switch (e.kind) {
    case TransportError::Kind::Timeout:
      return makeError(ErrorCode::Timeout,
                       "no answer from " + ceph_planner::quoted(url) + ": " + e.message);
    case TransportError::Kind::ConnectFailed:
      return makeError(ErrorCode::Unavailable,
                       "cannot connect to " + ceph_planner::quoted(url) + ": " + e.message);
    case TransportError::Kind::Stopped:
    case TransportError::Kind::Failed:
      break;
  }
  return makeError(ErrorCode::Unavailable,
                   "request to " + ceph_planner::quoted(url) + " failed: " + e.message);
}

}  // namespace

Status validateOptions(const MarathonClientOptions& options) {
  if (options.baseUrls.empty()) {
    return makeError(ErrorCode::InvalidInput, "no marathon url given");
  }
  for (const auto& url : options.baseUrls) {
    std::string scheme = schemeOf(url);
    if (scheme != "http" && scheme != "https") {
      return makeError(ErrorCode::InvalidInput, "marathon url " + ceph_planner::quoted(url) +
                                                    " must start with http:// or https://");
    }
  }
  if (options.callTimeout.count() <= 0 || options.streamIdleTimeout.count() <= 0) {
    return makeError(ErrorCode::InvalidInput, "marathon timeouts must be positive");
  }
  if (options.retry.maxAttempts < 1) {
    return makeError(ErrorCode::InvalidInput, "marathon retry attempts must be at least 1");
  }
  if (!options.clock) return makeError(ErrorCode::InvalidInput, "marathon client needs a clock");
  return okStatus();
}

HttpMarathonClient::HttpMarathonClient(MarathonClientOptions options, HttpTransportPtr transport)
    : options_(std::move(options)),
      transport_(std::move(transport)),
      backoff_(options_.retry, seedFrom(options_.jitterSeed)),
      streamBackoff_(options_.streamReconnect, seedFrom(options_.jitterSeed) + 1) {
  if (auto status = validateOptions(options_); !status) {
    detail::resultAbort("invalid marathon client options", status.error().message);
  }
}

Headers HttpMarathonClient::headersFor(const std::string& url, bool hasBody,
                                       bool eventStream) const {
  Headers headers;
  headers.emplace_back("Accept", eventStream ? "text/event-stream" : "application/json");
  if (hasBody) headers.emplace_back("Content-Type", "application/json");
  // Credentials never travel in clear text to a server that the user configured as https.
  bool downgrade = schemeOf(url) == "http" && schemeOf(options_.baseUrls.front()) == "https";
  std::string auth = authorizationHeader(options_.credentials);
  if (!auth.empty() && !downgrade) headers.emplace_back("Authorization", std::move(auth));
  return headers;
}

Result<HttpReply> HttpMarathonClient::sendFollowingRedirects(const std::string& method,
                                                             std::string url,
                                                             const std::string& body,
                                                             bool& connectFailed) {
  connectFailed = false;
  for (int hop = 0;; ++hop) {
    HttpCall httpCall{method, url, headersFor(url, !body.empty(), false), body,
                      options_.callTimeout};
    ++requestsSent_;
    TransportResult result = transport_->send(httpCall);
    if (auto* err = std::get_if<TransportError>(&result)) {
      connectFailed = err->kind == TransportError::Kind::ConnectFailed && hop == 0;
      return transportError(*err, url);
    }
    HttpReply reply = std::get<HttpReply>(std::move(result));
    if (!isRedirect(reply.status)) return reply;
    if (hop >= options_.maxRedirects) {
      return makeError(ErrorCode::Unavailable, "too many redirects (" + std::to_string(hop + 1) +
                                                   ") from " + ceph_planner::quoted(url));
    }
    auto next = resolveLocation(url, reply.header("Location"));
    if (!next)
      return next.error().withContext("marathon redirect from " + ceph_planner::quoted(url));
    url = std::move(next.value());
  }
}

Result<HttpReply> HttpMarathonClient::attempt(const std::string& method,
                                              const std::string& pathAndQuery,
                                              const std::string& body) {
  const size_t n = options_.baseUrls.size();
  const size_t first = active_.load();
  std::vector<std::string> unreachable;
  for (size_t i = 0; i < n; ++i) {
    size_t index = (first + i) % n;
    bool connectFailed = false;
    auto reply = sendFollowingRedirects(method, joinUrl(options_.baseUrls[index], pathAndQuery),
                                        body, connectFailed);
    if (!connectFailed) {
      if (reply) active_.store(index);
      return reply;
    }
    unreachable.push_back(reply.error().message);
  }
  return makeError(ErrorCode::Unavailable, joinStrings(unreachable, "; "));
}

Result<HttpReply> HttpMarathonClient::call(const std::string& method,
                                           const std::string& pathAndQuery,
                                           const std::string& body) {
  Clock& clock = *options_.clock;
  const bool retryable = isIdempotentMethod(method);
  const auto start = clock.monotonic();
  const auto& policy = backoff_.policy();
  for (int attemptNo = 1;; ++attemptNo) {
    auto reply = attempt(method, pathAndQuery, body);
    std::optional<Error> error;
    if (!reply) {
      error = reply.error();
    } else if (reply->status < 200 || reply->status > 299) {
      error = errorFromResponse(reply->status, reply->body);
    } else {
      return reply;
    }
    std::string what = method + " " + pathAndQuery;
    if (!retryable || !error->isRetryable()) return error->withContext(what);
    if (attemptNo >= policy.maxAttempts) {
      return error->withContext(what + " (gave up after " + std::to_string(attemptNo) +
                                " attempts)");
    }
    auto wait = backoff_.next(attemptNo - 1);
    if (policy.budget.count() > 0 && clock.monotonic() + wait - start > policy.budget) {
      return error->withContext(what + " (retry budget of " +
                                std::to_string(policy.budget.count()) + " ms spent after " +
                                std::to_string(attemptNo) + " attempts)");
    }
    clock.sleepFor(wait);
  }
}

Result<planner::ObservedState> HttpMarathonClient::getGroup(const std::string& groupId) {
  static const QueryParams kEmbeds = {
      {"embed", "group.groups"},           {"embed", "group.apps"},
      {"embed", "group.apps.tasks"},       {"embed", "group.apps.counts"},
      {"embed", "group.apps.deployments"},
  };
  auto reply = call("GET", buildPath("/v2/groups", groupId, kEmbeds), "");
  if (!reply) {
    if (reply.error().code == ErrorCode::NotFound) {
      planner::ObservedState empty;
      empty.groupId = groupId;
      empty.groupExists = false;
      return empty;
    }
    return reply.error().withContext("failed to read group " + ceph_planner::quoted(groupId));
  }
  auto state = planner::observedFromGroupJson(reply->body);
  if (!state)
    return state.error().withContext("failed to read group " + ceph_planner::quoted(groupId));
  state->groupId = groupId;
  state->groupExists = true;
  return state;
}

Result<DeploymentRef> HttpMarathonClient::putApp(const planner::AppSpec& app, bool force) {
  auto reply =
      call("PUT",
           buildPath("/v2/apps", app.id, {{"force", boolText(force)}, {"partialUpdate", "false"}}),
           planner::appToJson(app));
  if (!reply) return reply.error().withContext("failed to put app " + ceph_planner::quoted(app.id));
  auto ref = deploymentRefFromJson(reply->body);
  if (!ref) return ref.error().withContext("failed to put app " + ceph_planner::quoted(app.id));
  return ref;
}

Result<DeploymentRef> HttpMarathonClient::putApps(const std::vector<planner::AppSpec>& apps,
                                                  bool force) {
  if (apps.empty()) return makeError(ErrorCode::InvalidInput, "put apps: no apps given");
  std::string what = "failed to put " + std::to_string(apps.size()) + " apps (" +
                     ceph_planner::quoted(apps.front().id) + (apps.size() > 1 ? ", ...)" : ")");
  auto reply = call(
      "PUT", buildPath("/v2/apps", "", {{"force", boolText(force)}, {"partialUpdate", "false"}}),
      appsArrayJson(apps));
  if (!reply) return reply.error().withContext(what);
  auto ref = deploymentRefFromJson(reply->body);
  if (!ref) return ref.error().withContext(what);
  return ref;
}

Result<DeploymentRef> HttpMarathonClient::scaleApp(const std::string& appId, int instances,
                                                   bool force) {
  std::string what =
      "failed to scale app " + ceph_planner::quoted(appId) + " to " + std::to_string(instances);
  if (instances < 0) return makeError(ErrorCode::InvalidInput, what + ": negative instances");
  // PUT with partialUpdate=true and only `instances` in the body: works on every Marathon version
  // (PATCH appeared in 1.5), is idempotent, and leaves every other field alone, so no restart.
  auto reply = call(
      "PUT", buildPath("/v2/apps", appId, {{"force", boolText(force)}, {"partialUpdate", "true"}}),
      scaleBodyJson(instances));
  if (!reply) return reply.error().withContext(what);
  auto ref = deploymentRefFromJson(reply->body);
  if (!ref) return ref.error().withContext(what);
  return ref;
}

Result<DeploymentRef> HttpMarathonClient::deleteApp(const std::string& appId, bool force) {
  auto reply = call("DELETE", buildPath("/v2/apps", appId, {{"force", boolText(force)}}), "");
  if (!reply)
    return reply.error().withContext("failed to delete app " + ceph_planner::quoted(appId));
  auto ref = deploymentRefFromJson(reply->body);
  if (!ref) return ref.error().withContext("failed to delete app " + ceph_planner::quoted(appId));
  return ref;
}

Result<KillResult> HttpMarathonClient::killTasks(const std::string& appId,
                                                 const std::vector<std::string>& taskIds,
                                                 bool scale) {
  std::string what = "failed to kill " + std::to_string(taskIds.size()) + " tasks of app " +
                     ceph_planner::quoted(appId);
  if (auto check = checkKillRequest(appId, taskIds); !check) {
    return check.error().withContext(what);
  }
  // POST /v2/tasks/delete kills all of them in one deployment; as a POST it is never retried.
  auto reply = call("POST", buildPath("/v2/tasks/delete", "", {{"scale", boolText(scale)}}),
                    killBodyJson(taskIds));
  if (!reply) return reply.error().withContext(what);
  KillResult result;
  if (scale) {
    auto ref = deploymentRefFromJson(reply->body);
    if (!ref) return ref.error().withContext(what);
    result.deployment = std::move(ref.value());
  } else {
    auto ids = killedTaskIdsFromJson(reply->body);
    if (!ids) return ids.error().withContext(what);
    result.killedTaskIds = std::move(ids.value());
  }
  return result;
}

Result<std::vector<Deployment>> HttpMarathonClient::listDeployments() {
  auto reply = call("GET", "/v2/deployments", "");
  if (!reply) return reply.error().withContext("failed to list deployments");
  auto list = deploymentsFromJson(reply->body);
  if (!list) return list.error().withContext("failed to list deployments");
  return list;
}

Result<std::optional<DeploymentRef>> HttpMarathonClient::deleteDeployment(const std::string& id,
                                                                          bool force) {
  std::string what = "failed to cancel deployment " + ceph_planner::quoted(id);
  auto reply = call("DELETE", buildPath("/v2/deployments", id, {{"force", boolText(force)}}), "");
  if (!reply) return reply.error().withContext(what);
  if (force || trim(reply->body).empty()) return std::optional<DeploymentRef>();
  auto ref = deploymentRefFromJson(reply->body);
  if (!ref) return ref.error().withContext(what);
  return std::optional<DeploymentRef>(std::move(ref.value()));
}

Result<std::vector<QueueEntry>> HttpMarathonClient::getQueue() {
  auto reply = call("GET", "/v2/queue", "");
  if (!reply) return reply.error().withContext("failed to read the launch queue");
  auto queue = queueFromJson(reply->body);
  if (!queue) return queue.error().withContext("failed to read the launch queue");
  return queue;
}

Result<MarathonInfo> HttpMarathonClient::info() {
  auto reply = call("GET", "/v2/info", "");
  if (!reply) return reply.error().withContext("failed to read marathon info");
  auto parsed = infoFromJson(reply->body);
  if (!parsed) return parsed.error().withContext("failed to read marathon info");
  return parsed;
}

Result<std::string> HttpMarathonClient::leader() {
  auto reply = call("GET", "/v2/leader", "");
  if (!reply) return reply.error().withContext("failed to read the marathon leader");
  auto parsed = leaderFromJson(reply->body);
  if (!parsed) return parsed.error().withContext("failed to read the marathon leader");
  return parsed;
}

Status HttpMarathonClient::streamOnce(const std::string& pathAndQuery, const EventFilter& filter,
                                      const EventCallback& callback, std::stop_token stop,
                                      bool& delivered) {
  const size_t n = options_.baseUrls.size();
  const size_t first = active_.load();
  std::vector<std::string> unreachable;
  for (size_t i = 0; i < n && !stop.stop_requested(); ++i) {
    std::string url = joinUrl(options_.baseUrls[(first + i) % n], pathAndQuery);
    for (int hop = 0; hop <= options_.maxRedirects; ++hop) {
      SseParser parser;
      auto onFrame = [&](const SseFrame& frame) {
        bool wanted =
            filter.types.empty() || frame.event == kEventStreamAttached ||
            std::find(filter.types.begin(), filter.types.end(), frame.event) != filter.types.end();
        delivered = true;
        if (wanted) callback(MarathonEvent{frame.event, frame.data});
      };
      HttpCall httpCall{"GET", url, headersFor(url, false, true), "", options_.streamIdleTimeout};
      ++requestsSent_;
      TransportResult result = transport_->stream(
          httpCall, [&](std::string_view chunk) { parser.feed(chunk, onFrame); }, stop);
      if (auto* err = std::get_if<TransportError>(&result)) {
        if (err->kind == TransportError::Kind::Stopped || stop.stop_requested()) {
          return okStatus();
        }
        if (err->kind == TransportError::Kind::ConnectFailed && hop == 0) {
          unreachable.push_back(transportError(*err, url).message);
          break;  // Next base URL.
        }
        return transportError(*err, url);
      }
      const HttpReply& reply = std::get<HttpReply>(result);
      if (isRedirect(reply.status)) {
        auto next = resolveLocation(url, reply.header("Location"));
        if (!next) return next.error().withContext("event stream redirect");
        url = std::move(next.value());
        continue;
      }
      if (reply.status < 200 || reply.status > 299)
        return errorFromResponse(reply.status, reply.body);
      active_.store((first + i) % n);
      return makeError(ErrorCode::Unavailable,
                       "marathon closed the event stream at " + ceph_planner::quoted(url));
    }
    if (unreachable.size() != i + 1) {
      return makeError(ErrorCode::Unavailable, "too many redirects for the event stream");
    }
  }
  if (stop.stop_requested()) return okStatus();
  return makeError(ErrorCode::Unavailable, joinStrings(unreachable, "; "));
}

Status HttpMarathonClient::streamEvents(const EventFilter& filter, const EventCallback& callback,
                                        std::stop_token stop) {
  QueryParams query;
  if (!filter.types.empty()) {
    for (const auto& type : filter.types) query.emplace_back("event_type", type);
    query.emplace_back("event_type", kEventStreamAttached);
  }
  const std::string path = buildPath("/v2/events", "", query);
  Clock& clock = *options_.clock;
  int retry = 0;
  while (!stop.stop_requested()) {
    bool delivered = false;
    Status status = streamOnce(path, filter, callback, stop, delivered);
    if (stop.stop_requested()) break;
    if (status) continue;  // Not reached: streamOnce returns ok only when stopped.
    if (!status.error().isRetryable()) {
      return status.error().withContext("event stream failed");
    }
    if (delivered) retry = 0;
    // Sleep in slices so that a stop request is honoured within one slice.
    auto remaining = streamBackoff_.next(retry++);
    const Clock::Duration slice(std::chrono::milliseconds(100));
    while (remaining.count() > 0 && !stop.stop_requested()) {
      auto step = std::min(remaining, slice);
      clock.sleepFor(step);
      remaining -= step;
    }
  }
  return okStatus();
}

}  // namespace ceph_planner::marathon
