#pragma once

// A tiny blocking HTTP/1.1 client on POSIX sockets for the contract tests (fast to compile, and
// independent of the server's HTTP library). Understands Content-Length and chunked bodies.

#include <map>
#include <string>
#include <vector>

namespace ceph_planner::testing_http {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // Lower-cased keys.
  std::string body;
  std::string header(const std::string& k) const {
    auto it = headers.find(k);
    return it == headers.end() ? "" : it->second;
  }
};

// `base` is `http://host:port`. Returns status 0 when the connection failed.
Reply request(const std::string& base, const std::string& method, const std::string& target,
              const std::string& body = "", const std::map<std::string, std::string>& headers = {});

// An open event stream: `readUntil` collects de-chunked bytes until `needle` appears (or timeout).
class EventStream {
 public:
  EventStream(const std::string& base, const std::string& target);
  ~EventStream();
  int status() const { return status_; }
  std::string contentType() const { return contentType_; }
  bool readUntil(const std::string& needle, int timeoutMs);
  const std::string& data() const { return data_; }

 private:
  void pump(int timeoutMs);
  int fd_ = -1;
  int status_ = 0;
  std::string contentType_;
  std::string raw_;   // Undecoded bytes after the headers.
  std::string data_;  // De-chunked body so far.
};

}  // namespace ceph_planner::testing_http
