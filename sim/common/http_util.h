#pragma once

// HTTP plumbing without cpprest: path normalisation, query parsing, JSON replies, the request log
// and per-endpoint fault injection.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "sim/common/http_types.h"

namespace ceph_planner::sim {

// Collapses repeated slashes (`/v2/apps//x` → `/v2/apps/x`) and drops a trailing slash (except
// for `/` itself). The Marathon UI sends doubled slashes.
std::string normalisePath(std::string_view path);

// `%xx` and `+` decoding.
std::string urlDecode(std::string_view s);

// Parses `a=1&b=2&a=3` into a multimap, decoding keys and values.
std::multimap<std::string, std::string> parseQuery(std::string_view query);

// A reply with `body` serialised by the caller (already JSON text).
HttpResponse jsonText(int status, std::string body);
HttpResponse textReply(int status, std::string body, std::string contentType = "text/plain");

struct RequestLogEntry {
  std::string method;
  std::string path;
  int status = 0;
  double ms = 0;
};

// Every request the server answered, oldest first. Thread-safe.
class RequestLog {
 public:
  void add(RequestLogEntry e);
  std::vector<RequestLogEntry> snapshot() const;
  void clear();
  // JSON array `[{"method","path","status","ms"}]`.
  std::string toJson() const;

 private:
  mutable std::mutex mu_;
  std::vector<RequestLogEntry> entries_;
};

struct FaultRule {
  std::string method;  // Empty = any method.
  std::string prefix;  // Path prefix the rule applies to.
  std::chrono::milliseconds latency{0};
  double errorRate = 0;  // 0..1 probability of answering `errorStatus`.
  int errorStatus = 503;
};

// Latency and error-rate injection per endpoint prefix. The longest matching prefix wins.
class FaultInjector {
 public:
  explicit FaultInjector(uint64_t seed = 1) : rng_(seed) {}
  void set(FaultRule rule);  // Replaces a rule with the same method+prefix.
  void clear();
  std::vector<FaultRule> rules() const;
  // Sleeps for the rule's latency; returns an error reply when the dice say so.
  std::optional<HttpResponse> apply(const HttpRequest& req);

 private:
  mutable std::mutex mu_;
  std::vector<FaultRule> rules_;
  std::mt19937_64 rng_;
};

// Wraps `inner` with fault injection (skipped for paths under `exemptPrefix`, e.g. `/sim/`) and the
// request log.
HttpHandler withLogAndFaults(HttpHandler inner, RequestLog& log, FaultInjector& faults,
                             std::string exemptPrefix);

}  // namespace ceph_planner::sim
