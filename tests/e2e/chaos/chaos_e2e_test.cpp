// The bounded chaos run of issue 6, loopback only. Set-up: a 3-node ZooKeeper ensemble,
// marathon-sim (three agents, `examples/local.agents.yaml`), three `ceph-planner daemon` processes
// (tests/e2e/daemon's harness) and `examples/local.yaml` converged. Then, for CP_CHAOS_SECONDS
// (default 60), one event at a time at random 1–4 s intervals from a seeded generator (the seed is
// printed; CP_CHAOS_SEED replays it):
//   faults      Marathon 5xx at a random rate plus latency on /v2 for 2–6 s, then cleared;
//   agent       an agent is lost for 2–5 s, then back;
//   leader      the leader daemon is SIGKILLed and started again;
//   zookeeper   one ensemble member is killed and restarted (never two: quorum stays);
//   task        a running mon/mgr/osd task crashes;
//   hand        an app is deleted by hand (mgr/rgw) or a stateful app is scaled to 0 by hand.
// At the end everything is healed and, within a bound: the leader reports Ready/Converged, Marathon
// has no deployment, exactly one daemon is leader (`/health` and the `ceph_planner_leader` gauges),
// and `/sim/history` shows no two tasks of one stateful app (mon, mgr, osd) running at the same
// time. The counts go to stdout and to the test's properties.

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/testing.h"
#include "tests/e2e/daemon/daemon_harness.h"

namespace ceph_planner::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kDaemons = 3;
const std::vector<std::string> kAgents = {"ceph-box-1", "ceph-box-2", "ceph-box-3"};

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int64_t envInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoll(v) : fallback;
}

bool isStatefulApp(const std::string& appId) {
  return appId.find("/mon/") != std::string::npos || appId.find("/mgr/") != std::string::npos ||
         appId.find("/osd/") != std::string::npos;
}

// Pairs of tasks of one stateful app whose [startedAt, endedAt) intervals overlap (no end = still
// running). Timestamps are marathon-sim's fixed-width ISO text, so they compare as strings.
std::vector<std::string> overlappingStatefulTasks(const nlohmann::json& history) {
  struct Run {
    std::string id, start, end;
  };
  std::map<std::string, std::vector<Run>> byApp;
  for (const auto& e : history) {
    std::string app = e.value("appId", "");
    if (!isStatefulApp(app)) continue;
    Run r{e.value("id", ""), e.value("startedAt", ""),
          e["endedAt"].is_string() ? e["endedAt"].get<std::string>() : std::string()};
    byApp[app].push_back(r);
  }
  std::vector<std::string> out;
  for (const auto& [app, runs] : byApp) {
    for (size_t i = 0; i < runs.size(); ++i) {
      for (size_t j = i + 1; j < runs.size(); ++j) {
        const Run& a = runs[i];
        const Run& b = runs[j];
        bool aBeforeBEnds = b.end.empty() || a.start < b.end;
        bool bBeforeAEnds = a.end.empty() || b.start < a.end;
        if (aBeforeBEnds && bBeforeAEnds) {
          out.push_back(app + ": " + a.id + " [" + a.start + ", " + a.end + ") and " + b.id + " [" +
                        b.start + ", " + b.end + ")");
        }
      }
    }
  }
  return out;
}

// Sums every series of `family` on a Prometheus page; adds each series to `bySeries` when given.
double familyTotal(const std::string& page, const std::string& family,
                   std::map<std::string, double>* bySeries = nullptr) {
  std::istringstream in(page);
  std::string line;
  double total = 0;
  while (std::getline(in, line)) {
    if (line.rfind(family, 0) != 0) continue;
    if (line.size() > family.size() && line[family.size()] != '{' && line[family.size()] != ' ') {
      continue;
    }
    auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    double v = std::atof(line.c_str() + space + 1);
    total += v;
    if (bySeries != nullptr) (*bySeries)[line.substr(0, space)] += v;
  }
  return total;
}

class ChaosRun {
 public:
  ChaosRun(DaemonCluster& cluster, uint64_t seed) : c_(cluster), rng_(seed) {}

  void run(seconds duration) {
    auto end = SteadyClock::now() + duration;
    while (SteadyClock::now() < end) {
      pause(1000, 4000);
      switch (pick(6)) {
        case 0:
          faults();
          break;
        case 1:
          agentLoss();
          break;
        case 2:
          leaderKill();
          break;
        case 3:
          zookeeperRestart();
          break;
        case 4:
          taskCrash();
          break;
        default:
          handEdit();
          break;
      }
    }
  }

  // Clears every injected fault and brings every piece back.
  void heal() {
    httpCall("DELETE", c_.simUrl() + "/sim/faults");
    for (const auto& a : kAgents) httpCall("POST", c_.simUrl() + "/sim/agents/" + a + "/up");
    for (size_t i = 0; i < c_.ensemble()->size(); ++i) {
      if (!c_.ensemble()->node(i).running()) (void)c_.ensemble()->node(i).restart(true);
    }
    for (int i = 0; i < kDaemons; ++i) {
      if (!c_.daemonRunning(i)) restartDaemon(i);
    }
  }

  // Adds the counters of daemon `i` before it dies (counters restart with the process).
  void collectMetrics(int i) {
    auto page = httpCall("GET", c_.daemonUrl(i) + "/metrics").body;
    passes += familyTotal(page, "ceph_planner_passes_total", &detail);
    errors += familyTotal(page, "ceph_planner_errors_total", &detail);
    actions += familyTotal(page, "ceph_planner_actions_total", &detail);
    drift += familyTotal(page, "ceph_planner_drift_repairs_total", &detail);
  }

  std::map<std::string, int> events;
  std::map<std::string, int> failures;  // Chaos actions that could not be carried out.
  double passes = 0, errors = 0, actions = 0, drift = 0;
  std::map<std::string, double>
      detail;  // Per series, e.g. `..._drift_repairs_total{kind="deleted"}`.

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  void pause(int loMs, int hiMs) { std::this_thread::sleep_for(milliseconds(between(loMs, hiMs))); }
  void log(const std::string& line) { std::cout << "chaos: " << line << std::endl; }

  void faults() {
    int ratePercent = between(10, 60);
    int latency = between(0, 400);
    int status = pick(2) == 0 ? 503 : 500;
    nlohmann::json rule = {{"prefix", "/v2"},
                           {"latencyMs", latency},
                           {"errorRate", ratePercent / 100.0},
                           {"status", status}};
    auto r = httpCall("PUT", c_.simUrl() + "/sim/faults", rule.dump());
    if (r.status != 200) {
      ++failures["faults"];
      return;
    }
    ++events["faults"];
    log("marathon faults: " + std::to_string(ratePercent) + "% " + std::to_string(status) + ", " +
        std::to_string(latency) + " ms");
    pause(2000, 6000);
    httpCall("DELETE", c_.simUrl() + "/sim/faults");
  }

  void agentLoss() {
    const std::string& agent = kAgents[static_cast<size_t>(pick(static_cast<int>(kAgents.size())))];
    if (httpCall("POST", c_.simUrl() + "/sim/agents/" + agent + "/down").status / 100 != 2) {
      ++failures["agent"];
      return;
    }
    ++events["agent"];
    log("agent " + agent + " lost");
    pause(2000, 5000);
    httpCall("POST", c_.simUrl() + "/sim/agents/" + agent + "/up");
  }

  void restartDaemon(int i) {
    Status s = c_.startDaemon(i, "2s");
    if (!s) {
      ++failures["daemon-restart"];
      log("daemon " + std::to_string(i) + " did not restart: " + s.error().message);
    }
  }

  void leaderKill() {
    int leader = c_.leaderIndex();
    if (leader < 0) {
      ++failures["leader"];
      return;
    }
    collectMetrics(leader);
    c_.killDaemon(leader, SIGKILL);
    ++events["leader"];
    log("leader daemon " + std::to_string(leader) + " killed");
    pause(500, 3000);
    restartDaemon(leader);
  }

  void zookeeperRestart() {
    ZkEnsemble& zk = *c_.ensemble();
    size_t node = static_cast<size_t>(pick(static_cast<int>(zk.size())));
    zk.node(node).stop(true);
    ++events["zookeeper"];
    log("zookeeper node " + std::to_string(node) + " killed");
    pause(1000, 3000);
    if (Status s = zk.node(node).restart(true); !s) {
      ++failures["zookeeper"];
      log("zookeeper node " + std::to_string(node) + " did not restart: " + s.error().message);
    }
  }

  // A running task of a stateful app, from the simulator's history ("" if none).
  std::string runningStatefulTask() {
    auto reply = httpCall("GET", c_.simUrl() + "/sim/history");
    auto j = nlohmann::json::parse(reply.body, nullptr, false);
    if (!j.is_array()) return "";
    std::vector<std::string> running;
    for (const auto& e : j) {
      if (isStatefulApp(e.value("appId", "")) && !e["endedAt"].is_string()) {
        running.push_back(e.value("id", ""));
      }
    }
    if (running.empty()) return "";
    return running[static_cast<size_t>(pick(static_cast<int>(running.size())))];
  }

  void taskCrash() {
    std::string task = runningStatefulTask();
    if (task.empty() ||
        httpCall("POST", c_.simUrl() + "/sim/tasks/" + task + "/kill").status / 100 != 2) {
      ++failures["task"];
      return;
    }
    ++events["task"];
    log("task " + task + " crashed");
  }

  void handEdit() {
    // Deleting a mgr or the rgw app, or scaling a mon/osd to 0. Never more than one instance of a
    // stateful app: that would be the operator running a duplicate, not the planner.
    static const std::vector<std::string> kDeletable = {
        "/ceph/box/mgr/ceph-box-1", "/ceph/box/mgr/ceph-box-2", "/ceph/box/rgw/main"};
    static const std::vector<std::string> kScalable = {
        "/ceph/box/mon/ceph-box-1", "/ceph/box/mon/ceph-box-3", "/ceph/box/osd/ceph-box-1-osd0",
        "/ceph/box/osd/ceph-box-2-osd0"};
    HttpReply r;
    std::string what;
    if (pick(2) == 0) {
      what = kDeletable[static_cast<size_t>(pick(static_cast<int>(kDeletable.size())))];
      r = httpCall("DELETE", c_.simUrl() + "/v2/apps" + what + "?force=true");
      what = "deleted " + what;
    } else {
      what = kScalable[static_cast<size_t>(pick(static_cast<int>(kScalable.size())))];
      r = httpCall("PUT", c_.simUrl() + "/v2/apps" + what + "?force=true&partialUpdate=true",
                   R"({"instances":0})");
      what = "scaled " + what + " to 0";
    }
    if (r.status / 100 != 2) {
      ++failures["hand"];
      return;
    }
    ++events["hand"];
    log("by hand: " + what);
  }

  DaemonCluster& c_;
  std::mt19937_64 rng_;
};

bool converged(DaemonCluster& c, std::string* why) {
  int leader = c.leaderIndex();
  if (leader < 0) {
    *why = "no leader";
    return false;
  }
  auto status = httpCall("GET", c.daemonUrl(leader) + "/status");
  if (status.body.find("\"reason\": \"Converged\"") == std::string::npos) {
    *why = "leader not Ready/Converged: " + status.body;
    return false;
  }
  auto deployments = httpCall("GET", c.simUrl() + "/v2/deployments");
  auto d = nlohmann::json::parse(deployments.body, nullptr, false);
  if (!d.is_array() || !d.empty()) {
    *why = "deployments open: " + deployments.body;
    return false;
  }
  return true;
}

TEST(ChaosE2eTest, BoundedChaosEndsConvergedWithOneLeaderAndNoDuplicateStatefulTask) {
  const auto duration = seconds(envInt("CP_CHAOS_SECONDS", 60));
  const uint64_t seed = static_cast<uint64_t>(
      envInt("CP_CHAOS_SEED",
             static_cast<int64_t>(SteadyClock::now().time_since_epoch().count() % 1000000)));
  std::cout << "chaos: seed " << seed << " (CP_CHAOS_SEED), " << duration.count()
            << " s (CP_CHAOS_SECONDS)" << std::endl;
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  ::testing::Test::RecordProperty("seconds", std::to_string(duration.count()));

  DaemonClusterOptions options;
  options.timeScale = 20.0;
  options.zkNodes = 3;
  auto started = DaemonCluster::start(options);
  ASSERT_OK(started);
  DaemonCluster& c = **started;
  for (int i = 0; i < kDaemons; ++i) ASSERT_OK(c.startDaemon(i, "2s"));
  ASSERT_GE(c.waitForLeader(seconds(30)), 0);
  std::string why;
  auto deadline = SteadyClock::now() + seconds(90);
  while (!converged(c, &why) && SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(200));
  }
  ASSERT_TRUE(converged(c, &why)) << "initial apply: " << why;

  ChaosRun chaos(c, seed);
  auto chaosStart = SteadyClock::now();
  chaos.run(duration);
  chaos.heal();
  auto healed = SteadyClock::now();

  deadline = healed + seconds(180);
  bool ok = false;
  while (SteadyClock::now() < deadline) {
    if ((ok = converged(c, &why))) break;
    std::this_thread::sleep_for(milliseconds(250));
  }
  auto convergedAfter =
      std::chrono::duration_cast<milliseconds>(SteadyClock::now() - healed).count();
  if (!ok) {
    for (int i : c.daemonIndexes()) {
      std::cerr << "---- daemon " << i << " ----\n" << readAll(c.daemonLog(i)) << "\n";
    }
  }
  ASSERT_TRUE(ok) << "not converged " << convergedAfter << " ms after healing: " << why;

  // Exactly one leader: by /health and by the gauges.
  int leaders = 0;
  double gauge = 0;
  for (int i : c.daemonIndexes()) {
    if (!c.daemonRunning(i)) continue;
    auto health = httpCall("GET", c.daemonUrl(i) + "/health");
    if (health.body.find("\"role\":\"leader\"") != std::string::npos) ++leaders;
    auto page = httpCall("GET", c.daemonUrl(i) + "/metrics").body;
    gauge += metricValue(page, "ceph_planner_leader").value_or(0);
    chaos.collectMetrics(i);
  }
  EXPECT_EQ(leaders, 1);
  EXPECT_EQ(gauge, 1);

  auto history =
      nlohmann::json::parse(httpCall("GET", c.simUrl() + "/sim/history").body, nullptr, false);
  ASSERT_TRUE(history.is_array());
  auto duplicates = overlappingStatefulTasks(history);
  EXPECT_TRUE(duplicates.empty()) << "stateful tasks that ran at the same time:\n"
                                  << ::testing::PrintToString(duplicates);

  std::ostringstream report;
  report << "chaos: " << duration.count() << " s of chaos (seed " << seed << ", "
         << std::chrono::duration_cast<seconds>(healed - chaosStart).count()
         << " s including the last event); events:";
  int total = 0;
  for (const auto& [kind, n] : chaos.events) {
    report << " " << kind << "=" << n;
    total += n;
    ::testing::Test::RecordProperty("events_" + kind, std::to_string(n));
  }
  report << " (total " << total << "); not carried out:";
  for (const auto& [kind, n] : chaos.failures) report << " " << kind << "=" << n;
  report << "; tasks in history " << history.size() << "; daemon passes "
         << static_cast<int64_t>(chaos.passes) << ", errors " << static_cast<int64_t>(chaos.errors)
         << ", actions " << static_cast<int64_t>(chaos.actions) << ", drift repairs "
         << static_cast<int64_t>(chaos.drift) << "; converged " << convergedAfter
         << " ms after healing; leaders " << leaders << "; overlapping stateful tasks "
         << duplicates.size();
  std::cout << report.str() << std::endl;
  for (const auto& [series, n] : chaos.detail) {
    std::cout << "chaos: daemon counters " << series << " " << static_cast<int64_t>(n) << "\n";
  }
  ::testing::Test::RecordProperty("passes", std::to_string(static_cast<int64_t>(chaos.passes)));
  ::testing::Test::RecordProperty("errors", std::to_string(static_cast<int64_t>(chaos.errors)));
  ::testing::Test::RecordProperty("converged_after_ms", std::to_string(convergedAfter));
  ::testing::Test::RecordProperty("history_tasks", std::to_string(history.size()));
}

}  // namespace
}  // namespace ceph_planner::testing
