#include "sim/common/http_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cpprest/http_listener.h>
#include <cpprest/producerconsumerstream.h>

#include <mutex>
#include <vector>

#include "sim/common/http_util.h"

namespace ceph_planner::sim {

namespace http = web::http;
using web::http::experimental::listener::http_listener;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Frames written into a producer/consumer buffer that cpprest streams out as a chunked body.
class BufferSseChannel final : public SseChannel {
 public:
  explicit BufferSseChannel(concurrency::streams::producer_consumer_buffer<uint8_t> buf)
      : buf_(std::move(buf)) {}
  bool send(const std::string& event, const std::string& data) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!open_) return false;
    std::string frame = "event: " + event + "\ndata: " + data + "\n\n";
    try {
      buf_.putn_nocopy(reinterpret_cast<const uint8_t*>(frame.data()), frame.size()).wait();
      buf_.sync().wait();
    } catch (...) {
      open_ = false;
    }
    return open_;
  }
  bool open() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return open_;
  }
  void close() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!open_) return;
    open_ = false;
    try {
      buf_.close(std::ios_base::out).wait();
    } catch (...) {
    }
  }

 private:
  mutable std::mutex mu_;
  concurrency::streams::producer_consumer_buffer<uint8_t> buf_;
  bool open_ = true;
};

// cpprest exposes no socket options. Large replies (the UI's 20 MB group tree) are written in
// 64 KiB pieces, and Nagle's algorithm meeting the client's delayed ACK costs ~40 ms per piece.
// Linux copies TCP_NODELAY from a listening socket to the sockets it accepts, so set it on our
// listening socket, found among our descriptors by its port.
void disableNagleOnListener(int port) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return;
  while (dirent* e = ::readdir(dir)) {
    int fd = std::atoi(e->d_name);
    if (fd <= 2) continue;
    int listening = 0;
    socklen_t len = sizeof(listening);
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    sockaddr_in addr{};
    socklen_t alen = sizeof(addr);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) continue;
    if (addr.sin_family != AF_INET || ntohs(addr.sin_port) != port) continue;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  ::closedir(dir);
}

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<http_listener> listener;
  HttpHandler handler;
  std::string host;
  int port = 0;
  std::mutex mu;
  std::vector<std::weak_ptr<SseChannel>> streams;

  void serve(http::http_request msg) {
    HttpRequest req;
    req.method = msg.method();
    auto uri = msg.relative_uri();
    req.path = normalisePath(urlDecode(uri.path()));
    req.query = parseQuery(uri.query());
    for (const auto& [k, v] : msg.headers()) req.headers[lower(k)] = v;
    req.remoteAddress = msg.remote_address();
    try {
      req.body = msg.extract_utf8string(true).get();
    } catch (...) {
      req.body.clear();
    }
    HttpResponse resp;
    try {
      resp = handler(req);
    } catch (const std::exception& e) {
      resp = jsonText(500, std::string("{\"message\":\"internal error\"}"));
    }
    http::http_response out(static_cast<http::status_code>(resp.status));
    for (const auto& [k, v] : resp.headers) out.headers().add(k, v);
    if (resp.onStreamOpen) {
      concurrency::streams::producer_consumer_buffer<uint8_t> buf;
      out.headers().set_content_type("text/event-stream");
      out.headers().add("Cache-Control", "no-cache");
      out.set_body(concurrency::streams::istream(buf), "text/event-stream");
      auto channel = std::make_shared<BufferSseChannel>(buf);
      {
        std::lock_guard<std::mutex> lock(mu);
        streams.push_back(channel);
      }
      msg.reply(out);
      resp.onStreamOpen(channel);
      return;
    }
    // The body is moved: a group tree can be tens of MB.
    if (resp.status != 204 && !resp.body.empty())
      out.set_body(std::move(resp.body), resp.contentType);
    msg.reply(out).then([](pplx::task<void> t) {
      try {
        t.get();
      } catch (...) {
      }
    });
  }
};

HttpServer::HttpServer() : impl_(std::make_unique<Impl>()) {}
HttpServer::~HttpServer() {
  stop();
}

Status HttpServer::start(const std::string& host, int port, HttpHandler handler) {
  if (port == 0) {
    auto p = pickFreePort(host);
    if (!p) return p.error();
    port = *p;
  }
  impl_->handler = std::move(handler);
  impl_->host = host;
  impl_->port = port;
  try {
    web::uri_builder b;
    b.set_scheme("http").set_host(host).set_port(port);
    impl_->listener = std::make_unique<http_listener>(b.to_uri());
    Impl* impl = impl_.get();
    impl_->listener->support([impl](http::http_request msg) { impl->serve(std::move(msg)); });
    impl_->listener->open().wait();
    disableNagleOnListener(port);
  } catch (const std::exception& e) {
    impl_->listener.reset();
    return makeError(ErrorCode::Unavailable,
                     "cannot listen on '" + host + ":" + std::to_string(port) + "': " + e.what());
  }
  return okStatus();
}

void HttpServer::stop() {
  if (!impl_ || !impl_->listener) return;
  std::vector<std::weak_ptr<SseChannel>> streams;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    streams.swap(impl_->streams);
  }
  for (auto& w : streams) {
    if (auto s = w.lock()) s->close();
  }
  try {
    impl_->listener->close().wait();
  } catch (...) {
  }
  impl_->listener.reset();
}

int HttpServer::port() const {
  return impl_->port;
}

std::string HttpServer::baseUrl() const {
  return "http://" + impl_->host + ":" + std::to_string(impl_->port);
}

Result<int> pickFreePort(const std::string& host) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return makeError(ErrorCode::Unavailable, "socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    ::close(fd);
    return makeError(ErrorCode::InvalidInput, "not an IPv4 address: '" + host + "'");
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return makeError(ErrorCode::Unavailable, "cannot bind '" + host + "'");
  }
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

}  // namespace ceph_planner::sim
