#include "sim/common/probes.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace ceph_planner::sim {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr size_t kMaxStatusLineBytes = 8192;
// Without a pidfd, the command probe looks for the exit at this period.
constexpr int kFallbackTickMs = 5;

std::string errnoText(int err) {
  return std::generic_category().message(err);
}

std::string endpoint(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

int msLeft(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 24LL * 3600 * 1000));
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// Waits for `events` on `fd` until `deadline`. Returns false on timeout.
bool waitFor(int fd, short events, SteadyClock::time_point deadline) {
  while (true) {
    pollfd p{fd, events, 0};
    const int left = msLeft(deadline);
    const int rc = ::poll(&p, 1, left);
    if (rc > 0) return true;
    if (rc == 0 || (rc < 0 && errno != EINTR)) return false;
  }
}

// Connects to host:port before `deadline`, trying each resolved address. Returns the connected
// (non-blocking, close-on-exec) socket or the failure text.
Result<int> connectBefore(const std::string& host, int port, SteadyClock::time_point deadline) {
  if (port <= 0 || port > 65535) {
    return makeError(ErrorCode::InvalidInput, "invalid port " + std::to_string(port));
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int gai = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (gai != 0) {
    return makeError(ErrorCode::Unavailable,
                     "cannot resolve '" + host + "': " + std::string(::gai_strerror(gai)));
  }
  std::string lastError = "no address";
  ErrorCode lastCode = ErrorCode::Unavailable;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    Fd sock(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (sock.get() < 0) {
      lastError = "socket: " + errnoText(errno);
      continue;
    }
    int rc;
    do {
      rc = ::connect(sock.get(), ai->ai_addr, ai->ai_addrlen);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0 && errno != EINPROGRESS) {
      lastError = "connect: " + errnoText(errno);
      continue;
    }
    if (rc < 0) {
      if (!waitFor(sock.get(), POLLOUT, deadline)) {
        lastError = "connect timed out";
        lastCode = ErrorCode::Timeout;
        break;  // The deadline is shared: no time left for other addresses.
      }
      int soError = 0;
      socklen_t len = sizeof soError;
      ::getsockopt(sock.get(), SOL_SOCKET, SO_ERROR, &soError, &len);
      if (soError != 0) {
        lastError = "connect: " + errnoText(soError);
        continue;
      }
    }
    ::freeaddrinfo(found);
    return sock.release();
  }
  ::freeaddrinfo(found);
  return makeError(lastCode, lastError);
}

ProbeResult finish(ProbeResult result, SteadyClock::time_point start) {
  result.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
  return result;
}

}  // namespace

ProbeResult probeTcp(const std::string& host, int port, std::chrono::milliseconds timeout) {
  const auto start = SteadyClock::now();
  ProbeResult result;
  auto fd = connectBefore(host, port, start + timeout);
  if (!fd) {
    result.error = "tcp " + endpoint(host, port) + ": " + fd.error().message;
    return finish(result, start);
  }
  ::close(*fd);
  result.healthy = true;
  return finish(result, start);
}

ProbeResult probeHttp(const std::string& host, int port, const std::string& path,
                      std::chrono::milliseconds timeout, bool https) {
  const auto start = SteadyClock::now();
  const auto deadline = start + timeout;
  ProbeResult result;
  const std::string target = path.empty() ? "/" : (path.front() == '/' ? path : "/" + path);
  const std::string where = "http://" + endpoint(host, port) + target;
  if (https) {
    result.error = "https health checks are not supported by the simulator (http only)";
    return finish(result, start);
  }
  auto connected = connectBefore(host, port, deadline);
  if (!connected) {
    result.error = where + ": " + connected.error().message;
    return finish(result, start);
  }
  Fd sock(*connected);

  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: " + endpoint(host, port) +
                              "\r\nUser-Agent: ceph-planner-sim-probe\r\nAccept: */*\r\n"
                              "Connection: close\r\n\r\n";
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n =
        ::send(sock.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!waitFor(sock.get(), POLLOUT, deadline)) {
        result.error = where + ": timed out sending the request";
        return finish(result, start);
      }
    } else {
      result.error = where + ": send: " + errnoText(errno);
      return finish(result, start);
    }
  }

  std::string received;
  char buffer[1024];
  while (received.find("\r\n") == std::string::npos) {
    if (received.size() >= kMaxStatusLineBytes) {
      result.error = where + ": no status line in the first 8 KiB of the response";
      return finish(result, start);
    }
    const ssize_t n = ::recv(sock.get(), buffer, sizeof buffer, 0);
    if (n > 0) {
      received.append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      result.error = where + ": connection closed before a complete status line";
      return finish(result, start);
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!waitFor(sock.get(), POLLIN, deadline)) {
        result.error = where + ": timed out after " + std::to_string(timeout.count()) +
                       " ms waiting for the response";
        return finish(result, start);
      }
    } else {
      result.error = where + ": recv: " + errnoText(errno);
      return finish(result, start);
    }
  }

  // "HTTP/1.x SSS reason"
  const std::string line = received.substr(0, received.find("\r\n"));
  const bool wellFormed = line.size() >= 12 && line.compare(0, 7, "HTTP/1.") == 0 &&
                          line[8] == ' ' &&
                          std::all_of(line.begin() + 9, line.begin() + 12,
                                      [](char c) { return c >= '0' && c <= '9'; }) &&
                          (line.size() == 12 || line[12] == ' ');
  if (!wellFormed) {
    result.error = where + ": malformed status line '" + line.substr(0, 80) + "'";
    return finish(result, start);
  }
  result.statusCode = std::stoi(line.substr(9, 3));
  result.healthy = result.statusCode >= 200 && result.statusCode <= 399;
  if (!result.healthy) {
    result.error = where + ": status code " + std::to_string(result.statusCode);
  }
  return finish(result, start);
}

ProbeResult runCommandProbe(const std::string& command, const EnvMap& env,
                            const std::string& sandbox, std::chrono::milliseconds timeout) {
  const auto start = SteadyClock::now();
  const auto deadline = start + timeout;
  ProbeResult result;
  auto childEnv = buildChildEnv(env, sandbox);
  if (!childEnv) {
    result.error = "command probe: " + childEnv.error().message;
    return finish(result, start);
  }
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC | O_NONBLOCK) != 0) {
    result.error = "command probe: pipe: " + errnoText(errno);
    return finish(result, start);
  }
  Fd readEnd(pipeFds[0]);
  Fd writeEnd(pipeFds[1]);

  SpawnRequest request;
  request.shellCommand = command;
  request.env = std::move(*childEnv);
  request.workDir = sandbox;
  request.stdoutFd = writeEnd.get();
  request.stderrFd = writeEnd.get();
  auto pid = spawnInNewSession(request);
  writeEnd.reset();  // Only the child (and its children) write now; EOF once they are gone.
  if (!pid) {
    result.error = "command probe: " + pid.error().message;
    return finish(result, start);
  }
  Fd pidFd(openPidFd(*pid));

  auto drain = [&] {
    char buffer[1024];
    while (readEnd.get() >= 0) {
      const ssize_t n = ::read(readEnd.get(), buffer, sizeof buffer);
      if (n > 0) {
        // Keep the first bytes, discard the rest (but keep reading so the child never blocks).
        const size_t room = kProbeOutputLimit - std::min(kProbeOutputLimit, result.output.size());
        result.output.append(buffer, std::min(room, static_cast<size_t>(n)));
      } else if (n == 0) {
        readEnd.reset();
      } else if (errno != EINTR) {
        return;  // EAGAIN: nothing more for now.
      }
    }
  };

  while (true) {
    drain();
    if (auto status = reapIfExited(*pid)) {
      drain();
      result.exitCode = status->signaled ? -1 : status->exitCode;
      result.healthy = !status->signaled && status->exitCode == 0;
      if (!result.healthy) result.error = "command probe " + status->describe();
      return finish(result, start);
    }
    const int left = msLeft(deadline);
    if (left == 0) break;
    pollfd fds[2];
    nfds_t count = 0;
    if (readEnd.get() >= 0) fds[count++] = pollfd{readEnd.get(), POLLIN, 0};
    if (pidFd.get() >= 0) fds[count++] = pollfd{pidFd.get(), POLLIN, 0};
    ::poll(fds, count, pidFd.get() >= 0 ? left : std::min(left, kFallbackTickMs));
  }

  signalGroup(*pid, SIGKILL);
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  drain();
  result.error = "command probe timed out after " + std::to_string(timeout.count()) + " ms";
  return finish(result, start);
}

}  // namespace ceph_planner::sim
