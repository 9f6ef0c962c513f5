#include "http_test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace ceph_planner::testing_http {

namespace {

int connectTo(const std::string& base) {
  std::string hostPort = base.substr(base.find("://") + 3);
  auto colon = hostPort.rfind(':');
  std::string host = hostPort.substr(0, colon);
  int port = std::stoi(hostPort.substr(colon + 1));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void sendAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

std::string buildRequest(const std::string& base, const std::string& method,
                         const std::string& target, const std::string& body,
                         const std::map<std::string, std::string>& headers) {
  std::string host = base.substr(base.find("://") + 3);
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
  bool hasType = false;
  for (const auto& [k, v] : headers) {
    req += k + ": " + v + "\r\n";
    if (lower(k) == "content-type") hasType = true;
  }
  if (!body.empty() && !hasType) req += "Content-Type: application/json\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  return req;
}

// Splits a header block; returns the offset of the body.
size_t parseHead(const std::string& raw, int& status, std::map<std::string, std::string>& headers) {
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return std::string::npos;
  size_t lineEnd = raw.find("\r\n");
  std::string statusLine = raw.substr(0, lineEnd);
  auto sp = statusLine.find(' ');
  status = std::atoi(statusLine.c_str() + sp + 1);
  size_t pos = lineEnd + 2;
  while (pos < end) {
    size_t e = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, e - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string v = line.substr(colon + 1);
      v.erase(0, v.find_first_not_of(' '));
      headers[lower(line.substr(0, colon))] = v;
    }
    pos = e + 2;
  }
  return end + 4;
}

// De-chunks as much of `raw` as is complete; consumed bytes are removed from `raw`.
void dechunk(std::string& raw, std::string& out) {
  while (true) {
    size_t lineEnd = raw.find("\r\n");
    if (lineEnd == std::string::npos) return;
    size_t size = std::strtoul(raw.substr(0, lineEnd).c_str(), nullptr, 16);
    if (raw.size() < lineEnd + 2 + size + 2) return;
    out += raw.substr(lineEnd + 2, size);
    raw.erase(0, lineEnd + 2 + size + 2);
    if (size == 0) return;
  }
}

}  // namespace

Reply request(const std::string& base, const std::string& method, const std::string& target,
              const std::string& body, const std::map<std::string, std::string>& headers) {
  Reply r;
  int fd = connectTo(base);
  if (fd < 0) return r;
  sendAll(fd, buildRequest(base, method, target, body, headers));
  std::string raw;
  char buf[65536];
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 30000) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
    size_t bodyAt = raw.find("\r\n\r\n");
    if (bodyAt != std::string::npos) {
      std::map<std::string, std::string> h;
      int st = 0;
      size_t off = parseHead(raw, st, h);
      if (h.count("content-length") && raw.size() - off >= std::stoul(h["content-length"])) break;
    }
  }
  ::close(fd);
  size_t off = parseHead(raw, r.status, r.headers);
  if (off == std::string::npos) return Reply{};
  std::string rest = raw.substr(off);
  if (lower(r.header("transfer-encoding")) == "chunked") {
    dechunk(rest, r.body);
  } else {
    r.body = rest;
  }
  return r;
}

EventStream::EventStream(const std::string& base, const std::string& target) {
  fd_ = connectTo(base);
  if (fd_ < 0) return;
  std::string host = base.substr(base.find("://") + 3);
  sendAll(fd_,
          "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n\r\n");
  std::string head;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) break;
    head.append(buf, static_cast<size_t>(n));
    std::map<std::string, std::string> h;
    size_t off = parseHead(head, status_, h);
    if (off != std::string::npos) {
      contentType_ = h["content-type"];
      raw_ = head.substr(off);
      dechunk(raw_, data_);
      return;
    }
  }
}

EventStream::~EventStream() {
  if (fd_ >= 0) ::close(fd_);
}

void EventStream::pump(int timeoutMs) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, timeoutMs) <= 0) return;
  char buf[8192];
  ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
  if (n <= 0) return;
  raw_.append(buf, static_cast<size_t>(n));
  dechunk(raw_, data_);
}

bool EventStream::readUntil(const std::string& needle, int timeoutMs) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (data_.find(needle) == std::string::npos) {
    if (fd_ < 0 || std::chrono::steady_clock::now() >= deadline) return false;
    pump(100);
  }
  return true;
}

}  // namespace ceph_planner::testing_http
