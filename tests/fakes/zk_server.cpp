#include "tests/fakes/zk_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/fakes/stop_child.h"

namespace ceph_planner::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr const char* kJava = "/usr/bin/java";
constexpr const char* kClassPath = "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar";
constexpr const char* kStandaloneMain = "org.apache.zookeeper.server.ZooKeeperServerMain";
constexpr const char* kQuorumMain = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

Status checkInstalled() {
  for (const char* path :
       {kJava, "/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-simple.jar"}) {
    if (::access(path, R_OK) != 0) {
      return makeError(ErrorCode::Unavailable,
                       std::string("cannot run a real zookeeper: '") + path +
                           "' is missing (install the Debian packages 'zookeeper' and "
                           "'default-jre-headless')");
    }
  }
  return okStatus();
}

// A port that was free on 127.0.0.1 a moment ago (the kernel picked it for port 0).
Result<int> freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return makeError(ErrorCode::Internal, "socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return makeError(ErrorCode::Internal, std::string("bind failed: ") + std::strerror(errno));
  }
  ::close(fd);
  return int(ntohs(addr.sin_port));
}

// `count` distinct free ports.
Result<std::vector<int>> freePorts(size_t count) {
  std::vector<int> out;
  while (out.size() < count) {
    auto p = freePort();
    if (!p) return p.error();
    if (std::find(out.begin(), out.end(), *p) == out.end()) out.push_back(*p);
  }
  return out;
}

Result<std::string> makeTempDir(const std::string& prefix) {
  std::string tmpl = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    return makeError(ErrorCode::Internal, std::string("mkdtemp failed: ") + std::strerror(errno));
  }
  return tmpl;
}

Status writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) return makeError(ErrorCode::Internal, "cannot write '" + path + "'");
  return okStatus();
}

std::string baseConfig(const std::string& dataDir, int clientPort) {
  return "tickTime=500\ninitLimit=10\nsyncLimit=5\ndataDir=" + dataDir +
         "\nclientPortAddress=127.0.0.1\nclientPort=" + std::to_string(clientPort) +
         "\nadmin.enableServer=false\n4lw.commands.whitelist=ruok,srvr,stat,mntr,conf,isro\n"
         "maxClientCnxns=0\n";
}

}  // namespace

Result<std::string> zkFourLetterWord(int port, const std::string& word) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return makeError(ErrorCode::Internal, "socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(uint16_t(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return makeError(ErrorCode::Unavailable, "nothing listens on port " + std::to_string(port));
  }
  if (::send(fd, word.data(), word.size(), MSG_NOSIGNAL) != ssize_t(word.size())) {
    ::close(fd);
    return makeError(ErrorCode::Unavailable, "send failed");
  }
  std::string reply;
  char buf[4096];
  const auto deadline = SteadyClock::now() + milliseconds(2000);
  for (;;) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, int(left)) <= 0) break;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    reply.append(buf, size_t(n));
  }
  ::close(fd);
  return reply;
}

// ---- ZkServer ----------------------------------------------------------------------------------

Result<std::unique_ptr<ZkServer>> ZkServer::start() {
  if (auto s = checkInstalled(); !s) return s.error();
  auto dir = makeTempDir("cp-zk");
  if (!dir) return dir.error();
  auto port = freePort();
  if (!port) return port.error();
  std::unique_ptr<ZkServer> server(new ZkServer());
  server->dir_ = *dir;
  server->clientPort_ = *port;
  server->mainClass_ = kStandaloneMain;
  server->config_ = *dir + "/zoo.cfg";
  fs::create_directories(*dir + "/data");
  if (auto s = writeText(server->config_, baseConfig(*dir + "/data", *port)); !s) return s.error();
  if (auto s = server->restart(true); !s) return s.error();
  return server;
}

ZkServer::~ZkServer() {
  stop(true);
  if (ownsDir_ && !dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

std::string ZkServer::connectString() const {
  return "127.0.0.1:" + std::to_string(clientPort_);
}

Status ZkServer::spawn() {
  const std::string log = dir_ + "/server.log";
  const std::string heap = "-Xmx256m";
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return makeError(ErrorCode::Internal, "fork failed");
  if (pid == 0) {
    // Child: die with the test process; log to a file; never return.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    const int devNull = ::open("/dev/null", O_RDONLY);
    if (devNull >= 0) ::dup2(devNull, 0);
    const char* argv[] = {kJava,  heap.c_str(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                          "-cp",  kClassPath,   mainClass_.c_str(), config_.c_str(),
                          nullptr};
    ::execv(kJava, const_cast<char* const*>(argv));
    ::_exit(127);
  }
  pid_ = pid;
  return okStatus();
}

Status ZkServer::restart(bool wait) {
  if (pid_ > 0) return okStatus();
  if (auto s = spawn(); !s) return s;
  if (!wait) return okStatus();
  return waitServing(milliseconds(30000));
}

Status ZkServer::waitServing(milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (SteadyClock::now() < deadline) {
    if (pid_ > 0) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return makeError(ErrorCode::Unavailable,
                         "zookeeper exited during start-up; log:\n" + logTail());
      }
    } else {
      return makeError(ErrorCode::Unavailable, "zookeeper is not running");
    }
    auto reply = zkFourLetterWord(clientPort_, "srvr");
    if (reply && reply->find("Mode:") != std::string::npos) return okStatus();
    std::this_thread::sleep_for(milliseconds(50));
  }
  return makeError(ErrorCode::Timeout,
                   "zookeeper on port " + std::to_string(clientPort_) + " did not serve within " +
                       std::to_string(timeout.count()) + "ms; log:\n" + logTail());
}

void ZkServer::stop(bool hard) {
  if (pid_ <= 0) return;
  stopChild(pid_, hard ? SIGKILL : SIGTERM);
  pid_ = -1;
}

std::string ZkServer::logTail(size_t bytes) const {
  std::ifstream in(dir_ + "/server.log");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string all = ss.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

// ---- ZkEnsemble --------------------------------------------------------------------------------

Result<std::unique_ptr<ZkEnsemble>> ZkEnsemble::start(int nodes) {
  if (auto s = checkInstalled(); !s) return s.error();
  auto dir = makeTempDir("cp-zk-ensemble");
  if (!dir) return dir.error();
  std::unique_ptr<ZkEnsemble> ensemble(new ZkEnsemble());
  ensemble->dir_ = *dir;
  auto ports = freePorts(size_t(nodes) * 3);
  if (!ports) return ports.error();
  std::string members;
  for (int i = 0; i < nodes; ++i) {
    members += "server." + std::to_string(i + 1) +
               "=127.0.0.1:" + std::to_string((*ports)[size_t(i) * 3 + 1]) + ":" +
               std::to_string((*ports)[size_t(i) * 3 + 2]) + "\n";
  }
  for (int i = 0; i < nodes; ++i) {
    std::unique_ptr<ZkServer> s(new ZkServer());
    s->dir_ = *dir + "/n" + std::to_string(i + 1);
    s->ownsDir_ = false;
    s->clientPort_ = (*ports)[size_t(i) * 3];
    s->mainClass_ = kQuorumMain;
    s->config_ = s->dir_ + "/zoo.cfg";
    fs::create_directories(s->dir_ + "/data");
    if (auto st = writeText(s->dir_ + "/data/myid", std::to_string(i + 1) + "\n"); !st) {
      return st.error();
    }
    if (auto st = writeText(s->config_, baseConfig(s->dir_ + "/data", s->clientPort_) + members);
        !st) {
      return st.error();
    }
    ensemble->servers_.push_back(std::move(s));
  }
  for (auto& s : ensemble->servers_) {
    if (auto st = s->restart(false); !st) return st.error();
  }
  if (auto st = ensemble->waitServing(size_t(nodes), milliseconds(40000)); !st) return st.error();
  return ensemble;
}

ZkEnsemble::~ZkEnsemble() {
  servers_.clear();  // Stops every member.
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::string ZkEnsemble::connectString() const {
  std::string out;
  for (const auto& s : servers_) out += (out.empty() ? "" : ",") + s->connectString();
  return out;
}

int ZkEnsemble::indexOf(const std::string& hostPort) const {
  for (size_t i = 0; i < servers_.size(); ++i) {
    if (servers_[i]->connectString() == hostPort) return int(i);
  }
  return -1;
}

Status ZkEnsemble::waitServing(size_t count, milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    size_t serving = 0;
    for (auto& s : servers_) {
      if (!s->running()) continue;
      auto reply = zkFourLetterWord(s->port(), "srvr");
      if (reply && (reply->find("Mode: leader") != std::string::npos ||
                    reply->find("Mode: follower") != std::string::npos)) {
        ++serving;
      }
    }
    if (serving >= count) return okStatus();
    if (SteadyClock::now() > deadline) {
      std::string logs;
      for (auto& s : servers_) logs += "---\n" + s->logTail(1500);
      return makeError(ErrorCode::Timeout, "zookeeper ensemble: only " + std::to_string(serving) +
                                               " of " + std::to_string(count) +
                                               " members serve; logs:\n" + logs);
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
}

}  // namespace ceph_planner::testing
