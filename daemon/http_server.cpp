#include "daemon/http_server.h"

#include <cpprest/http_listener.h>
#include <cpprest/uri.h>

#include "common/strings.h"

namespace ceph_planner::daemon {

namespace http = web::http;
using web::http::experimental::listener::http_listener;

Result<std::pair<std::string, int>> parseListenAddress(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    return makeError(ErrorCode::InvalidInput,
                     "listen address must be host:port, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  int port = 0;
  for (char c : listen.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) {
      return makeError(ErrorCode::InvalidInput, "invalid port in '" + listen + "'");
    }
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) {
    return makeError(ErrorCode::InvalidInput, "port must be 1..65535 in '" + listen + "'");
  }
  return std::make_pair(host, port);
}

struct HttpServer::Impl {
  std::unique_ptr<http_listener> listener;
  RequestHandler handler;
  std::string baseUrl;

  void serve(http::http_request msg) {
    HttpRequest req;
    req.method = msg.method();
    auto uri = msg.relative_uri();
    req.path = web::uri::decode(uri.path());
    for (const auto& [k, v] : web::uri::split_query(uri.query())) {
      req.query[web::uri::decode(k)] = web::uri::decode(v);
    }
    if (msg.headers().has("Authorization")) req.authorization = msg.headers()["Authorization"];
    req.peerAddress = msg.remote_address();
    // `::ffff:127.0.0.2` (a v4 client on a dual-stack socket) is the v4 address.
    if (req.peerAddress.rfind("::ffff:", 0) == 0) req.peerAddress = req.peerAddress.substr(7);
    try {
      req.body = msg.extract_utf8string(true).get();
    } catch (const std::exception&) {
      req.body.clear();
    }
    HttpResponse resp;
    try {
      resp = handler(req);
    } catch (const std::exception& e) {
      resp = errorResponse(500, std::string("internal error: ") + e.what());
    }
    http::http_response out(static_cast<http::status_code>(resp.status));
    out.headers().add("Cache-Control", "no-store");
    if (!resp.body.empty()) out.set_body(std::move(resp.body), resp.contentType);
    msg.reply(out).then([](pplx::task<void> t) {
      try {
        t.get();
      } catch (const std::exception&) {
        // The client went away; nothing to do.
      }
    });
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  if (!impl_ || !impl_->listener) return;
  try {
    impl_->listener->close().wait();
  } catch (const std::exception&) {
    // Closing a listener whose socket already failed: nothing left to release.
  }
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const std::string& host, int port,
                                                      RequestHandler handler) {
  auto impl = std::make_unique<Impl>();
  impl->handler = std::move(handler);
  impl->baseUrl = "http://" + host + ":" + std::to_string(port);
  try {
    web::uri_builder b;
    b.set_scheme("http").set_host(host).set_port(port);
    impl->listener = std::make_unique<http_listener>(b.to_uri());
    Impl* raw = impl.get();
    impl->listener->support([raw](http::http_request msg) { raw->serve(std::move(msg)); });
    impl->listener->open().wait();
  } catch (const std::exception& e) {
    return makeError(ErrorCode::Unavailable,
                     "cannot listen on '" + host + ":" + std::to_string(port) + "': " + e.what());
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::string HttpServer::baseUrl() const {
  return impl_->baseUrl;
}

}  // namespace ceph_planner::daemon
