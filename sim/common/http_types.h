#pragma once

// Plain request/response structs shared by the simulators. Route handlers work on these, so only
// http_server.cpp has to include cpprest (it compiles slowly).

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ceph_planner::sim {

struct HttpRequest {
  std::string method;  // Upper case, e.g. "GET".
  std::string path;    // Decoded, repeated slashes collapsed, no query string.
  std::multimap<std::string, std::string> query;  // Decoded; repeated keys kept in order.
  std::map<std::string, std::string> headers;     // Keys lower-cased.
  std::string body;
  std::string remoteAddress;

  // Last value of query parameter `key`, or `fallback` when absent.
  std::string param(const std::string& key, const std::string& fallback = "") const;
  // Every value of `key` (repeatable parameters such as `embed`).
  std::vector<std::string> params(const std::string& key) const;
  bool has(const std::string& key) const { return query.count(key) > 0; }
  // `true`/`false` query flag; anything other than "true" (case-insensitive) and "" is false.
  // A present but empty value counts as true (`?force`).
  bool flag(const std::string& key, bool fallback) const;
  std::string header(const std::string& lowerKey) const;
};

// One open server-sent-events connection. `send` returns false once the peer has gone.
class SseChannel {
 public:
  virtual ~SseChannel() = default;
  virtual bool send(const std::string& event, const std::string& data) = 0;
  virtual bool open() const = 0;
  virtual void close() = 0;
};
using SseChannelPtr = std::shared_ptr<SseChannel>;

struct HttpResponse {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the response is an event stream: headers go out at once and `onStreamOpen` receives
  // the channel to write frames to (the body above is ignored).
  std::function<void(SseChannelPtr)> onStreamOpen;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

}  // namespace ceph_planner::sim
