#include "tests/e2e/daemon/daemon_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/fakes/stop_child.h"

namespace ceph_planner::testing {

namespace fs = std::filesystem;

namespace {

std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string plannerBinary() {
  return std::string(CP_BINARY_DIR) + "/cli/ceph-planner";
}

}  // namespace

HttpReply httpCall(const std::string& method, const std::string& url, const std::string& body,
                   const std::vector<std::string>& headers, const std::string& fromAddress) {
  std::string cmd = "curl -s -m 10 -X " + method + " -w '\\n%{http_code}'";
  if (!fromAddress.empty()) cmd += " --interface " + fromAddress;
  for (const auto& h : headers) cmd += " -H " + shellQuote(h);
  if (!body.empty())
    cmd += " -H 'Content-Type: application/json' --data-binary " + shellQuote(body);
  cmd += " " + shellQuote(url) + " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  HttpReply reply;
  if (pipe == nullptr) return reply;
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  pclose(pipe);
  auto nl = out.rfind('\n');
  if (nl == std::string::npos) return reply;
  reply.status = std::atoi(out.c_str() + nl + 1);
  reply.body = out.substr(0, nl);
  return reply;
}

int freeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::optional<double> metricValue(const std::string& page, const std::string& series) {
  std::istringstream in(page);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

DaemonProcess::~DaemonProcess() {
  kill(SIGKILL);
}

Status DaemonProcess::start(const std::string& binary, const std::vector<std::string>& args,
                            const std::string& logFile) {
  if (!fs::exists(binary)) {
    return makeError(ErrorCode::NotFound, "missing '" + binary + "' (build ceph-planner)");
  }
  pid_t pid = ::fork();
  if (pid < 0) return makeError(ErrorCode::Internal, "fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int fd = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    std::vector<std::string> all = {binary};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  return okStatus();
}

void DaemonProcess::kill(int signal) {
  if (pid_ <= 0) return;
  // A SIGTERM'd daemon leaves the election and stops its threads; bound the wait, then force.
  stopChild(pid_, signal);
  pid_ = -1;
}

Result<std::unique_ptr<DaemonCluster>> DaemonCluster::start(double timeScale) {
  DaemonClusterOptions options;
  options.timeScale = timeScale;
  return start(options);
}

Result<std::unique_ptr<DaemonCluster>> DaemonCluster::start(const DaemonClusterOptions& opts) {
  const double timeScale = opts.timeScale;
  std::unique_ptr<DaemonCluster> c(new DaemonCluster());
  c->dir_ = (fs::temp_directory_path() / ("cp-daemon-e2e-" + std::to_string(::getpid()) + "-" +
                                          std::to_string(freeLoopbackPort())))
                .string();
  fs::remove_all(c->dir_);
  fs::create_directories(c->dir_);
  c->zkSessionTimeout_ = opts.zkSessionTimeout;
  c->credentialsFile_ = c->dir_ + "/zk-credentials";
  c->tokenFile_ = c->dir_ + "/api-token";
  c->token_ = "e2e-token-" + std::to_string(::getpid());
  {
    std::ofstream(c->credentialsFile_) << "planner:e2e-digest-secret\n";
    std::ofstream(c->tokenFile_) << c->token_ << "\n";
    fs::permissions(c->credentialsFile_, fs::perms::owner_read | fs::perms::owner_write);
    fs::permissions(c->tokenFile_, fs::perms::owner_read | fs::perms::owner_write);
  }
  if (opts.zkNodes > 1) {
    auto ensemble = ZkEnsemble::start(opts.zkNodes);
    if (!ensemble) return ensemble.error().withContext("zookeeper ensemble");
    c->ensemble_ = std::move(ensemble).value();
  } else {
    auto zk = ZkServer::start();
    if (!zk) return zk.error().withContext("zookeeper");
    c->zk_ = std::move(zk).value();
  }
  if (Status s =
          c->sim_.start(std::string(CP_SOURCE_DIR) + "/examples/local.agents.yaml", timeScale);
      !s) {
    return s.error().withContext("marathon-sim");
  }
  store::ZkStoreOptions options;
  options.connect = c->zkConnect() + "/ceph-planner";
  options.credentialsFile = c->credentialsFile_;
  options.worldReadable = true;
  auto connected = store::ZkTopologyStore::connect(options);
  if (!connected) return connected.error().withContext("store");
  c->store_ = std::move(connected).value();
  c->yaml_ = readAll(std::string(CP_SOURCE_DIR) + "/examples/local.yaml");
  if (Status s = c->putTopology(c->yaml_, "e2e v1"); !s) return s.error();
  return c;
}

DaemonCluster::~DaemonCluster() {
  for (auto& [i, d] : daemons_) d->kill(SIGTERM);
  daemons_.clear();
  store_.reset();
  sim_.stop();
  zk_.reset();
  ensemble_.reset();
  fs::remove_all(dir_);
}

Status DaemonCluster::startDaemon(int index, const std::string& resync) {
  if (!ports_.count(index)) ports_[index] = freeLoopbackPort();
  // Every daemon renders the same fetch URIs: one service address for the bootstrap files (in
  // production a VIP or DNS name in front of all daemons). Per-daemon URLs would make each leader
  // change rewrite every app's `fetch` and restart every Ceph daemon. Daemon 0's address stands in.
  if (!ports_.count(0)) ports_[0] = freeLoopbackPort();
  auto d = std::make_unique<DaemonProcess>();
  std::vector<std::string> args = {"daemon",
                                   "--cluster",
                                   "box",
                                   "--listen",
                                   "127.0.0.1:" + std::to_string(ports_[index]),
                                   "--zk",
                                   zkConnect() + "/ceph-planner",
                                   "--zk_credentials_file",
                                   credentialsFile_,
                                   "--marathon",
                                   sim_.url(),
                                   "--api_token_file",
                                   tokenFile_,
                                   "--resync_interval",
                                   resync,
                                   "--bootstrap_url",
                                   "http://127.0.0.1:" + std::to_string(ports_[0])};
  if (!zkSessionTimeout_.empty()) {
    args.insert(args.end(), {"--zk_session_timeout", zkSessionTimeout_});
  }
  if (Status s = d->start(plannerBinary(), args, daemonLog(index)); !s) return s;
  daemons_[index] = std::move(d);
  // Up once /health answers.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (httpCall("GET", daemonUrl(index) + "/health").status == 200) return okStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return makeError(ErrorCode::Timeout, "daemon " + std::to_string(index) +
                                           " did not answer /health; log:\n" +
                                           readAll(daemonLog(index)));
}

void DaemonCluster::killDaemon(int index, int signal) {
  auto it = daemons_.find(index);
  if (it != daemons_.end()) it->second->kill(signal);
}

bool DaemonCluster::daemonRunning(int index) const {
  auto it = daemons_.find(index);
  return it != daemons_.end() && it->second->running();
}

std::vector<int> DaemonCluster::daemonIndexes() const {
  std::vector<int> out;
  for (const auto& [i, d] : daemons_) out.push_back(i);
  return out;
}

std::string DaemonCluster::zkConnect() const {
  return ensemble_ ? ensemble_->connectString() : zk_->connectString();
}

std::string DaemonCluster::daemonUrl(int index) const {
  return "http://127.0.0.1:" + std::to_string(ports_.at(index));
}

std::string DaemonCluster::daemonLog(int index) const {
  return dir_ + "/daemon-" + std::to_string(index) + ".log";
}

int DaemonCluster::leaderIndex() {
  int leader = -1;
  for (const auto& [i, d] : daemons_) {
    if (!d->running()) continue;
    auto reply = httpCall("GET", daemonUrl(i) + "/health");
    if (reply.status == 200 && reply.body.find("\"role\":\"leader\"") != std::string::npos) {
      leader = i;
    }
  }
  return leader;
}

int DaemonCluster::waitForLeader(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int l = leaderIndex();
    if (l >= 0) return l;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

Status DaemonCluster::putTopology(const std::string& yaml, const std::string& message) {
  int64_t current = 0;
  if (auto record = store_->getTopology("box")) current = record->version;
  auto put = store_->putTopology("box", {yaml, "e2e", message, {current}});
  if (!put) return put.error();
  return okStatus();
}

std::optional<std::string> DaemonCluster::marathonApp(const std::string& appId) {
  auto reply = httpCall("GET", sim_.url() + "/v2/apps" + appId);
  if (reply.status != 200) return std::nullopt;
  return reply.body;
}

std::vector<std::string> DaemonCluster::simRequests() {
  auto log = httpCall("GET", sim_.url() + "/sim/requests");
  std::vector<std::string> out;
  std::regex object(R"re(\{[^{}]*\})re");
  std::regex method(R"re("method"\s*:\s*"([A-Z]+)")re");
  std::regex path(R"re("path"\s*:\s*"([^"]*)")re");
  for (auto it = std::sregex_iterator(log.body.begin(), log.body.end(), object);
       it != std::sregex_iterator(); ++it) {
    std::string entry = it->str();
    std::smatch m, p;
    if (std::regex_search(entry, m, method) && std::regex_search(entry, p, path)) {
      out.push_back(m[1].str() + " " + p[1].str());
    }
  }
  return out;
}

void DaemonCluster::clearSimRequests() {
  httpCall("DELETE", sim_.url() + "/sim/requests");
}

}  // namespace ceph_planner::testing
