#include "chronos_client/http_chronos_client.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>

#include "chronos_client/chronos_errors.h"
#include "chronos_client/chronos_json.h"
#include "common/strings.h"
#include "marathon_client/urls.h"

namespace ceph_planner::chronos {
namespace {

using marathon::HttpCall;
using marathon::HttpReply;
using marathon::TransportError;
using marathon::TransportResult;

uint64_t seedFrom(uint64_t seed) {
  return seed != 0 ? seed : std::random_device{}();
}

bool isRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

Error transportError(const TransportError& e, const std::string& url) {
  const std::string where = ceph_planner::quoted(url);
  switch (e.kind) {
    case TransportError::Kind::Timeout:
      return makeError(ErrorCode::Timeout, "no answer from " + where + ": " + e.message);
    case TransportError::Kind::ConnectFailed:
      return makeError(ErrorCode::Unavailable, "cannot connect to " + where + ": " + e.message);
    default:
      return makeError(ErrorCode::Unavailable, "request to " + where + " failed: " + e.message);
  }
}

}  // namespace

Status validateOptions(const ChronosClientOptions& options) {
  if (options.baseUrls.empty()) return makeError(ErrorCode::InvalidInput, "no chronos url given");
  for (const auto& url : options.baseUrls) {
    std::string scheme = marathon::schemeOf(url);
    if (scheme != "http" && scheme != "https") {
      return makeError(ErrorCode::InvalidInput, "chronos url " + ceph_planner::quoted(url) +
                                                    " must start with http:// or https://");
    }
  }
  if (options.callTimeout.count() <= 0) {
    return makeError(ErrorCode::InvalidInput, "chronos timeout must be positive");
  }
  if (options.retry.maxAttempts < 1) {
    return makeError(ErrorCode::InvalidInput, "chronos retry attempts must be at least 1");
  }
  if (!options.clock) return makeError(ErrorCode::InvalidInput, "chronos client needs a clock");
  return okStatus();
}

HttpChronosClient::HttpChronosClient(ChronosClientOptions options,
                                     marathon::HttpTransportPtr transport)
    : options_(std::move(options)),
      transport_(std::move(transport)),
      backoff_(options_.retry, seedFrom(options_.jitterSeed)) {
  if (auto valid = validateOptions(options_); !valid) {
    std::fprintf(stderr, "fatal: invalid chronos client options: %s\n",
                 valid.error().message.c_str());
    std::abort();
  }
}

std::string HttpChronosClient::jobPath(const std::string& what, const std::string& name) const {
  return options_.prefix + what + marathon::percentEncode(name, /*keepSlash=*/false);
}

Result<HttpReply> HttpChronosClient::sendFollowingRedirects(const std::string& method,
                                                            std::string url,
                                                            const std::string& body,
                                                            bool& connectFailed) {
  connectFailed = false;
  for (int hop = 0;; ++hop) {
    marathon::Headers headers = {{"Accept", "application/json"}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    // Credentials never travel in clear text to a server configured as https.
    bool downgrade = marathon::schemeOf(url) == "http" &&
                     marathon::schemeOf(options_.baseUrls.front()) == "https";
    std::string auth = marathon::authorizationHeader(options_.credentials);
    if (!auth.empty() && !downgrade) headers.emplace_back("Authorization", std::move(auth));
    HttpCall httpCall{method, url, std::move(headers), body, options_.callTimeout};
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
    auto next = marathon::resolveLocation(url, reply.header("Location"));
    if (!next)
      return next.error().withContext("chronos redirect from " + ceph_planner::quoted(url));
    url = std::move(next.value());
  }
}

Result<HttpReply> HttpChronosClient::attempt(const std::string& method, const std::string& path,
                                             const std::string& body) {
  const size_t n = options_.baseUrls.size();
  const size_t first = active_.load();
  std::vector<std::string> unreachable;
  for (size_t i = 0; i < n; ++i) {
    size_t index = (first + i) % n;
    bool connectFailed = false;
    auto reply = sendFollowingRedirects(method, marathon::joinUrl(options_.baseUrls[index], path),
                                        body, connectFailed);
    if (!connectFailed) {
      if (reply) active_.store(index);
      return reply;
    }
    unreachable.push_back(reply.error().message);
  }
  return makeError(ErrorCode::Unavailable, joinStrings(unreachable, "; "));
}

Result<HttpReply> HttpChronosClient::call(const std::string& method, const std::string& path,
                                          const std::string& body, bool retryable) {
  Clock& clock = *options_.clock;
  const auto start = clock.monotonic();
  const auto& policy = backoff_.policy();
  for (int attemptNo = 1;; ++attemptNo) {
    auto reply = attempt(method, path, body);
    std::optional<Error> error;
    if (!reply) {
      error = reply.error();
    } else if (reply->status < 200 || reply->status > 299) {
      error = errorFromChronosResponse(reply->status, reply->body);
    } else {
      return reply;
    }
    std::string what = method + " " + path;
    if (!retryable || !error->isRetryable()) return error->withContext(what);
    if (attemptNo >= policy.maxAttempts) {
      return error->withContext(what + " (gave up after " + std::to_string(attemptNo) +
                                " attempts)");
    }
    auto wait = backoff_.next(attemptNo - 1);
    if (policy.budget.count() > 0 && clock.monotonic() + wait - start > policy.budget) {
      return error->withContext(what + " (retry budget spent after " + std::to_string(attemptNo) +
                                " attempts)");
    }
    clock.sleepFor(wait);
  }
}

Result<std::vector<planner::JobSpec>> HttpChronosClient::listJobs() {
  auto reply = call("GET", options_.prefix + "/jobs", "", true);
  if (!reply) return reply.error().withContext("cannot list chronos jobs");
  auto jobs = jobsFromJson(reply->body);
  if (!jobs) return jobs.error().withContext("cannot list chronos jobs");
  return jobs;
}

Result<planner::JobSpec> HttpChronosClient::getJob(const std::string& name) {
  auto reply = call("GET", jobPath("/job/", name), "", true);
  if (!reply)
    return reply.error().withContext("cannot get chronos job " + ceph_planner::quoted(name));
  auto job = jobFromJson(reply->body);
  if (!job) return job.error().withContext("cannot get chronos job " + ceph_planner::quoted(name));
  return job;
}

Status HttpChronosClient::putJob(const planner::JobSpec& job) {
  if (auto ok = checkJobForPut(job); !ok) return ok;
  std::string path = options_.prefix + (job.isDependent() ? "/dependency" : "/iso8601");
  // Replace-by-name is idempotent, so a POST that may or may not have arrived is safe to repeat.
  auto reply = call("POST", path, jobToJson(job), true);
  if (!reply)
    return reply.error().withContext("cannot put chronos job " + ceph_planner::quoted(job.name));
  return okStatus();
}

Status HttpChronosClient::deleteJob(const std::string& name) {
  auto reply = call("DELETE", jobPath("/job/", name), "", true);
  if (!reply)
    return reply.error().withContext("cannot delete chronos job " + ceph_planner::quoted(name));
  return okStatus();
}

Status HttpChronosClient::runJob(const std::string& name) {
  // A manual run is not idempotent (each call starts a run): never retried.
  auto reply = call("PUT", jobPath("/job/", name), "", false);
  if (!reply)
    return reply.error().withContext("cannot run chronos job " + ceph_planner::quoted(name));
  return okStatus();
}

Result<std::string> HttpChronosClient::leader() {
  auto reply = call("GET", options_.prefix + "/leader", "", true);
  if (!reply) return reply.error().withContext("cannot get the chronos leader");
  auto json = nlohmann::json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("leader") || !json["leader"].is_string()) {
    return makeError(ErrorCode::Internal, "chronos leader answer has no 'leader' string");
  }
  return json["leader"].get<std::string>();
}

}  // namespace ceph_planner::chronos
