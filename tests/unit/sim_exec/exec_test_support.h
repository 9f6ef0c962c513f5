#pragma once

// Helpers for the exec-mode tests: scratch directories, file reading, liveness checks that treat
// zombies as dead (orphaned grandchildren are reparented to a pid 1 that may never reap them), and
// a tiny loopback HTTP server with scripted answers.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace ceph_planner::sim::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cp-sim-exec-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Polls `condition` every 5 ms until it holds or `timeout` passes; returns the last value.
inline bool waitUntil(const std::function<bool()>& condition,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// True while `pid` exists and is not a zombie.
inline bool processAlive(pid_t pid) {
  if (pid <= 1) return false;
  if (::kill(pid, 0) != 0) return errno == EPERM;
  const std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return false;  // Gone meanwhile.
  const char state = stat[close + 2];
  return state != 'Z' && state != 'X';
}

inline pid_t readPidFile(const std::string& path) {
  const std::string text = readFile(path);
  return text.empty() ? -1 : static_cast<pid_t>(std::stol(text));
}

// A port on 127.0.0.1 that nothing listens on (bound, then released).
inline int unusedLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// HTTP server on 127.0.0.1:<ephemeral> answering by request path: "/hang" never answers (the
// connection is held open until the server stops), "/garbage" sends a non-HTTP line, any other path
// gets the status registered with `respond` (404 otherwise). Records the request lines it received.
class TinyHttpServer {
 public:
  TinyHttpServer() {
    listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listenFd_, 16) != 0) {
      std::abort();
    }
    socklen_t len = sizeof addr;
    ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TinyHttpServer() {
    stop_ = true;
    thread_.join();
    for (int fd : held_) ::close(fd);
    ::close(listenFd_);
  }
  TinyHttpServer(const TinyHttpServer&) = delete;
  TinyHttpServer& operator=(const TinyHttpServer&) = delete;

  int port() const { return port_; }
  void respond(const std::string& path, int status) {
    std::lock_guard<std::mutex> lock(mu_);
    statuses_[path] = status;
  }
  std::vector<std::string> requestLines() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requestLines_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{listenFd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int conn = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      std::string request;
      char buffer[512];
      while (request.find("\r\n\r\n") == std::string::npos) {
        pollfd c{conn, POLLIN, 0};
        if (::poll(&c, 1, 1000) <= 0) break;
        const ssize_t n = ::recv(conn, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      const std::string line = request.substr(0, request.find("\r\n"));
      const auto firstSpace = line.find(' ');
      const std::string path =
          line.substr(firstSpace + 1, line.find(' ', firstSpace + 1) - firstSpace - 1);
      int status = 404;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requestLines_.push_back(line);
        auto it = statuses_.find(path);
        if (it != statuses_.end()) status = it->second;
      }
      if (path == "/hang") {
        held_.push_back(conn);
        continue;
      }
      const std::string response =
          path == "/garbage" ? std::string("SSH-2.0-OpenSSH\r\n")
                             : "HTTP/1.1 " + std::to_string(status) +
                                   " Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      ::send(conn, response.data(), response.size(), MSG_NOSIGNAL);
      ::close(conn);
    }
  }

  int listenFd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::map<std::string, int> statuses_;
  std::vector<std::string> requestLines_;
  std::vector<int> held_;
  std::thread thread_;
};

}  // namespace ceph_planner::sim::testing
