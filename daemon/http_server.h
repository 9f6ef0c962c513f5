#pragma once

// The daemon's HTTP listener: cpprest's `http_listener` behind a plain interface (this pair is the
// only daemon file that includes cpprest). Every request is converted to `HttpRequest`, handed to
// one handler, and its `HttpResponse` written back. Exceptions from cpprest stay in the .cpp.

#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "daemon/api.h"

namespace ceph_planner::daemon {

using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

// `host:port` → (host, port). `InvalidInput` for anything else (port 1..65535).
Result<std::pair<std::string, int>> parseListenAddress(const std::string& listen);

class HttpServer {
 public:
  // Binds `host:port` and serves `handler` on cpprest's thread pool (the handler must be
  // thread-safe). `Unavailable` when the address cannot be bound.
  static Result<std::unique_ptr<HttpServer>> start(const std::string& host, int port,
                                                   RequestHandler handler);
  ~HttpServer();  // Stops listening; requests in flight finish first.

  std::string baseUrl() const;

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ceph_planner::daemon
