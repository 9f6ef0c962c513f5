#pragma once

// Test-only harness for `ceph-planner daemon` end-to-end tests and the latency benchmark: a real
// ZooKeeper, a marathon-sim subprocess, digest credentials and an API token in a temp dir, the
// stored topology, and daemon processes started and stopped by pid.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/zk_topology_store.h"
#include "tests/contract/marathon_api/sim_process.h"
#include "tests/fakes/zk_server.h"

namespace ceph_planner::testing {

struct HttpReply {
  int status = 0;  // 0: no answer.
  std::string body;
};

// One HTTP request through curl. `fromAddress`: the local address to connect from (curl
// `--interface`), e.g. `127.0.0.2` to look like a task on that agent.
HttpReply httpCall(const std::string& method, const std::string& url, const std::string& body = "",
                   const std::vector<std::string>& headers = {},
                   const std::string& fromAddress = "");

// A TCP port on 127.0.0.1 that was free a moment ago.
int freeLoopbackPort();

// `name{labels} value` from a Prometheus page; nullopt when absent. `series` is the exact text
// before the value, e.g. `ceph_planner_leader` or `ceph_planner_passes_total{outcome="acted"}`.
std::optional<double> metricValue(const std::string& page, const std::string& series);

class DaemonProcess {
 public:
  ~DaemonProcess();
  // Runs `binary` with `args`, stdout+stderr appended to `logFile`.
  Status start(const std::string& binary, const std::vector<std::string>& args,
               const std::string& logFile);
  void kill(int signal);  // Sends `signal` and reaps the process (SIGKILL: a crash).
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

struct DaemonClusterOptions {
  double timeScale = 20.0;  // marathon-sim's `--time_scale`.
  int zkNodes = 1;          // 1: a standalone ZooKeeper; 3 (or more): a ZkEnsemble.
  // `--zk_session_timeout` of every daemon; "" leaves the daemon's default (10s). The test servers
  // run with tickTime=500, so they grant 1s..10s.
  std::string zkSessionTimeout;
};

class DaemonCluster {
 public:
  // ZooKeeper + marathon-sim (`timeScale`) + credentials; stores `examples/local.yaml` as v1.
  static Result<std::unique_ptr<DaemonCluster>> start(double timeScale);
  static Result<std::unique_ptr<DaemonCluster>> start(const DaemonClusterOptions& options);
  ~DaemonCluster();

  // Starts daemon `index` (0, 1, ...) on its own port with `resync`.
  Status startDaemon(int index, const std::string& resync = "2s");
  void killDaemon(int index, int signal);
  std::string daemonUrl(int index) const;
  std::string daemonLog(int index) const;

  // Index of the daemon whose /health says leader, or -1.
  int leaderIndex();
  // Waits until some daemon leads; its index or -1.
  int waitForLeader(std::chrono::milliseconds timeout);

  // Whether daemon `index` was started and not killed since.
  bool daemonRunning(int index) const;
  std::vector<int> daemonIndexes() const;

  // The ensemble when started with `zkNodes > 1`, else null.
  ZkEnsemble* ensemble() { return ensemble_.get(); }
  std::string zkConnect() const;

  store::ZkTopologyStore& store() { return *store_; }
  const std::string& simUrl() const { return sim_.url(); }
  const std::string& token() const { return token_; }
  std::string topologyYaml() const { return yaml_; }

  // Puts `yaml` as the next version.
  Status putTopology(const std::string& yaml, const std::string& message);
  // Whether Marathon has app `appId` (and its JSON when it does).
  std::optional<std::string> marathonApp(const std::string& appId);
  // `METHOD path` of every request marathon-sim logged since the last clear.
  std::vector<std::string> simRequests();
  void clearSimRequests();

 private:
  DaemonCluster() = default;
  std::unique_ptr<ZkServer> zk_;
  std::unique_ptr<ZkEnsemble> ensemble_;
  marathon::testing::SimProcess sim_;
  std::unique_ptr<store::ZkTopologyStore> store_;
  std::string dir_, credentialsFile_, tokenFile_, token_, yaml_;
  std::string zkSessionTimeout_;
  std::map<int, std::unique_ptr<DaemonProcess>> daemons_;
  std::map<int, int> ports_;
};

}  // namespace ceph_planner::testing
