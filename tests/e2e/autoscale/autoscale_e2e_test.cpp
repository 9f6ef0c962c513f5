// RGW autoscaling end to end: a real ZooKeeper, a marathon-sim subprocess with five agents, the
// synthetic metric endpoint (tests/fakes/fake_metrics_server) and a `ceph-planner daemon` process.
// The load drives the RGW service 2 → 5 → 2; every step must be visible in Marathon's app
// and in the daemon's `/metrics`.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <variant>

#include "common/testing.h"
#include "marathon_client/cpprest_marathon_client.h"
#include "planner/prometheus_text.h"
#include "sim/common/exec_spawn.h"
#include "sim/common/http_server.h"
#include "store/zk_topology_store.h"
#include "tests/contract/marathon_api/sim_process.h"
#include "tests/fakes/fake_metrics_server.h"
#include "tests/fakes/zk_server.h"

namespace ceph_planner::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Steady = std::chrono::steady_clock;

constexpr char kApp[] = "/ceph/box/rgw/gw";
constexpr int kHosts = 5;

std::string hostName(int i) {
  return "gw-" + std::to_string(i + 1);
}
std::string hostIp(int i) {
  return "127.0.0." + std::to_string(i + 2);
}

std::string agentsYaml() {
  std::string out = "agents:\n";
  for (int i = 0; i < kHosts; ++i) {
    out += "  - hostname: " + hostName(i) + "\n    ip: " + hostIp(i) +
           "\n    attributes: {rack: r1}\n    resources:\n      cpus: 8\n      mem: 16384\n"
           "      disk: 100000\n      ports: \"[3300-3300, 6789-6789, 7480-7480, 31000-32000]\"\n";
  }
  return out;
}

// One mon and one mgr on the first host, RGW autoscaled over all five with short windows.
std::string topologyYaml(const std::string& metricsUrl) {
  std::string out =
      "apiVersion: ceph-planner/v1\nkind: CephTopology\ncluster:\n  name: box\n  fsid: auto\n"
      "  runtime: host\nnetworks:\n  public: [127.0.0.0/8]\n  cluster: [127.0.0.0/8]\nhosts:\n";
  for (int i = 0; i < kHosts; ++i) {
    out += "  - name: " + hostName(i) + "\n    labels: [" + (i == 0 ? "mon, mgr, " : "") +
           "rgw]\n    public_ip: " + hostIp(i) + "\n    cluster_ip: " + hostIp(i) + "\n";
  }
  out +=
      "mons:\n  placement: { label: mon }\nmgrs:\n  placement: { label: mgr }\nrgw:\n"
      "  - service_id: gw\n    frontend: { type: beast, port: 7480 }\n"
      "    placement: { label: rgw }\n    autoscale:\n      min: 2\n      max: 5\n"
      "      target: 100\n      metric_url: " +
      metricsUrl +
      "\n      scale_up: { window: 2s, step: 1 }\n      scale_down: { window: 3s, step: 1 }\n"
      "      cooldown: 1s\n";
  return out;
}

struct Reply {
  int status = 0;  // 0: no answer.
  std::string body;
};

// One plain HTTP request (marathon_client's transport; 5 s deadline).
Reply httpCall(const std::string& method, const std::string& url) {
  static marathon::HttpTransportPtr transport = marathon::makeCppRestTransport("");
  marathon::HttpCall call;
  call.method = method;
  call.url = url;
  call.timeout = seconds(5);
  auto sent = transport->send(call);
  if (auto* reply = std::get_if<marathon::HttpReply>(&sent)) return {reply->status, reply->body};
  return {};
}

int freeLoopbackPort() {
  auto port = sim::pickFreePort("127.0.0.1");
  EXPECT_TRUE(port.has_value());
  return port ? *port : 0;
}

// The daemon as a child process in its own session, output appended to a log file.
class DaemonProcess {
 public:
  ~DaemonProcess() { stop(); }
  Status start(const std::vector<std::string>& argv, const std::string& workDir,
               const std::string& logFile) {
    auto env = sim::buildChildEnv({}, workDir);
    if (!env) return env.error();
    sim::SpawnRequest request;
    request.argv = argv;
    request.env = *env;
    request.workDir = workDir;
    request.stdoutPath = logFile;
    request.stderrPath = logFile;
    auto pid = sim::spawnInNewSession(request);
    if (!pid) return pid.error();
    pid_ = *pid;
    return okStatus();
  }
  // SIGTERM, then SIGKILL after 5 s; reaps the child.
  void stop() {
    if (pid_ <= 0) return;
    sim::signalGroup(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    sim::signalGroup(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int instancesOf(const std::string& appJson) {
  auto pos = appJson.find("\"instances\":");
  if (pos == std::string::npos) return -1;
  return std::atoi(appJson.c_str() + pos + 12);
}

// The value of `name` whose labels include every pair of `labels`, summed; 0 when absent.
double metricSum(const std::string& page, const std::string& name,
                 const std::vector<std::pair<std::string, std::string>>& labels) {
  auto parsed = planner::parsePrometheusText(page);
  if (!parsed) return 0;
  double sum = 0;
  for (const auto& s : parsed->samples) {
    if (s.name != name) continue;
    bool all = true;
    for (const auto& [k, v] : labels) all = all && s.label(k) && *s.label(k) == v;
    if (all) sum += s.value;
  }
  return sum;
}

class AutoscaleE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("cp-autoscale-e2e-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(freeLoopbackPort())))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const std::string credentials = dir_ + "/zk-credentials";
    const std::string tokenFile = dir_ + "/api-token";
    std::ofstream(credentials) << "planner:e2e-digest-secret\n";
    std::ofstream(tokenFile) << "e2e-token\n";
    fs::permissions(credentials, fs::perms::owner_read | fs::perms::owner_write);
    fs::permissions(tokenFile, fs::perms::owner_read | fs::perms::owner_write);
    std::ofstream(dir_ + "/agents.yaml") << agentsYaml();

    auto zk = ZkServer::start();
    ASSERT_OK(zk);
    zk_ = std::move(zk).value();
    ASSERT_OK(sim_.start(dir_ + "/agents.yaml", 20.0));
    ASSERT_OK(metrics_.start());

    store::ZkStoreOptions options;
    options.connect = zk_->connectString() + "/ceph-planner";
    options.credentialsFile = credentials;
    options.worldReadable = true;
    auto store = store::ZkTopologyStore::connect(options);
    ASSERT_OK(store);
    store_ = std::move(store).value();
    ASSERT_OK(store_->putTopology("box", {topologyYaml(metrics_.url()), "e2e", "autoscale", {0}}));

    port_ = freeLoopbackPort();
    const std::vector<std::string> args = {std::string(CP_BINARY_DIR) + "/cli/ceph-planner",
                                           "daemon",
                                           "--cluster",
                                           "box",
                                           "--listen",
                                           "127.0.0.1:" + std::to_string(port_),
                                           "--zk",
                                           zk_->connectString() + "/ceph-planner",
                                           "--zk_credentials_file",
                                           credentials,
                                           "--marathon",
                                           sim_.url(),
                                           "--api_token_file",
                                           tokenFile,
                                           "--resync_interval",
                                           "1s",
                                           "--bootstrap_url",
                                           "http://127.0.0.1:" + std::to_string(port_)};
    ASSERT_OK(daemon_.start(args, dir_, log()));
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << "---- daemon ----\n" << readAll(log()) << "\n";
    daemon_.stop();
    store_.reset();
    sim_.stop();
    metrics_.stop();
    zk_.reset();
    fs::remove_all(dir_);
  }

  std::string log() const { return dir_ + "/daemon.log"; }
  std::string daemonUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

  int marathonInstances() {
    auto reply = httpCall("GET", sim_.url() + "/v2/apps" + std::string(kApp));
    return reply.status == 200 ? instancesOf(reply.body) : -1;
  }
  std::string daemonMetrics() { return httpCall("GET", daemonUrl() + "/metrics").body; }

  // Every host serves `perInstance` req/s: the load grows with the instances Marathon runs.
  void setLoadPerInstance(double perInstance) {
    for (int i = 0; i < kHosts; ++i) metrics_.setRate(hostName(i), perInstance);
  }

  // Polls Marathon and /metrics every 50 ms until Marathon runs `target` instances (or `timeout`),
  // recording each distinct value in the order seen.
  void follow(int target, Steady::duration timeout, std::vector<int>& marathonSeen,
              std::vector<int>& metricSeen) {
    const auto deadline = Steady::now() + timeout;
    while (Steady::now() < deadline) {
      const int now = marathonInstances();
      if (now > 0 && (marathonSeen.empty() || marathonSeen.back() != now)) {
        marathonSeen.push_back(now);
      }
      const int gauge = static_cast<int>(
          metricSum(daemonMetrics(), "ceph_planner_rgw_instances", {{"service", "gw"}}));
      if (gauge > 0 && (metricSeen.empty() || metricSeen.back() != gauge)) {
        metricSeen.push_back(gauge);
      }
      if (now == target && gauge == target) return;
      std::this_thread::sleep_for(milliseconds(50));
    }
  }

  std::string dir_;
  std::unique_ptr<ZkServer> zk_;
  marathon::testing::SimProcess sim_;
  FakeMetricsServer metrics_{*systemClock()};
  std::unique_ptr<store::ZkTopologyStore> store_;
  DaemonProcess daemon_;
  int port_ = 0;
};

TEST_F(AutoscaleE2eTest, LoadDrivesRgwTwoToFiveAndBackToTwo) {
  // Converged at min with no load served yet.
  const auto deadline = Steady::now() + seconds(60);
  while (Steady::now() < deadline && marathonInstances() != 2) {
    std::this_thread::sleep_for(milliseconds(100));
  }
  ASSERT_EQ(marathonInstances(), 2) << "the RGW app was not created at min";

  // 250 req/s per instance against a target of 100: up one step per cooldown until max.
  setLoadPerInstance(250);
  std::vector<int> marathonUp = {2}, metricUp;
  follow(5, seconds(90), marathonUp, metricUp);
  EXPECT_EQ(marathonUp, (std::vector<int>{2, 3, 4, 5}));
  EXPECT_EQ(metricUp, (std::vector<int>{3, 4, 5}));
  const std::string upPage = daemonMetrics();
  EXPECT_EQ(metricSum(upPage, "ceph_planner_autoscale_decisions_total",
                      {{"service", "gw"}, {"direction", "up"}}),
            3)
      << upPage;

  // 30 req/s per instance: down one step per cooldown (after the longer window) until min.
  setLoadPerInstance(30);
  std::vector<int> marathonDown = {5}, metricDown = {5};
  follow(2, seconds(90), marathonDown, metricDown);
  EXPECT_EQ(marathonDown, (std::vector<int>{5, 4, 3, 2}));
  EXPECT_EQ(metricDown, (std::vector<int>{5, 4, 3, 2}));
  const std::string downPage = daemonMetrics();
  EXPECT_EQ(metricSum(downPage, "ceph_planner_autoscale_decisions_total",
                      {{"service", "gw"}, {"direction", "down"}}),
            3)
      << downPage;
  // Scale-down killed chosen tasks with scale=true, never a plain scale of a running service.
  const std::string requests = httpCall("GET", sim_.url() + "/sim/requests").body;
  EXPECT_NE(requests.find("/v2/tasks/delete"), std::string::npos);
  EXPECT_NE(readAll(log()).find("autoscale: rgw 'gw': scale_down 3 -> 2 (load)"),
            std::string::npos);
  EXPECT_GE(metrics_.scrapes(), 10);
}

}  // namespace
}  // namespace ceph_planner::testing
