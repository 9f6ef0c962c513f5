#pragma once

// A small HTTP server on cpprest's http_listener. It converts requests to `HttpRequest`, calls one
// handler, and writes the `HttpResponse` back (or keeps an event stream open).

#include <memory>
#include <string>

#include "common/result.h"
#include "sim/common/http_types.h"

namespace ceph_planner::sim {

class HttpServer {
 public:
  HttpServer();
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds `host:port` (port 0 = a free port picked by the kernel) and starts serving `handler`.
  Status start(const std::string& host, int port, HttpHandler handler);
  // Closes event streams and stops the listener. Idempotent.
  void stop();
  int port() const;
  // `http://host:port`.
  std::string baseUrl() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A TCP port on `host` that was free a moment ago (bind to 0, read, close).
Result<int> pickFreePort(const std::string& host);

}  // namespace ceph_planner::sim
