// Measured run (not a timed test): how long a topology change takes from the store write until
// Marathon has it, with one `ceph-planner daemon` driven by the ZooKeeper watch, real ZooKeeper
// and marathon-sim. Prints every sample, the median, p90 and max over N changes (default 20).
//
//   build/bench/daemon_latency [N]
//
// Each change bumps the mgr's cpus in the stored topology (a new version); the sample ends when
// `GET /v2/apps/ceph/box/mgr/ceph-box-1` on the simulator shows the new value. The probe polls
// every 10 ms through curl, so samples carry a few ms of probe overhead.

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "tests/e2e/daemon/daemon_harness.h"

using namespace ceph_planner::testing;
using SteadyClock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  int changes = argc > 1 ? std::atoi(argv[1]) : 20;
  auto cluster = DaemonCluster::start(20.0);
  if (!cluster) {
    std::fprintf(stderr, "setup failed: %s\n", cluster.error().toString().c_str());
    return 1;
  }
  auto& c = **cluster;
  // A long resync: changes must arrive through the watch, not the timer.
  if (auto s = c.startDaemon(0, "10m"); !s) {
    std::fprintf(stderr, "daemon failed: %s\n", s.error().toString().c_str());
    return 1;
  }
  auto converged = [&](const std::string& cpus) {
    auto app = c.marathonApp("/ceph/box/mgr/ceph-box-1");
    if (!app) return false;
    auto pos = app->find("\"cpus\":" + cpus);
    if (pos == std::string::npos) return false;
    char next = (*app)[pos + 7 + cpus.size()];
    return next < '0' || next > '9';
  };
  auto deadline = SteadyClock::now() + std::chrono::seconds(60);
  while (!converged("0.5") && SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!converged("0.5")) {
    std::fprintf(stderr, "initial convergence failed\n");
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));  // Let the first deployment settle.

  const std::string base = c.topologyYaml();
  const std::string anchor =
      "mgrs:\n  placement: { label: mgr, count: 2 }\n  modules: [prometheus]\n"
      "  resources: { cpus: 0.5";
  auto at = base.find(anchor);
  if (at == std::string::npos) {
    std::fprintf(stderr, "examples/local.yaml changed: mgr resources not found\n");
    return 1;
  }
  std::vector<double> samples;
  for (int i = 1; i <= changes; ++i) {
    char cpus[16];
    // Always ends in a non-zero digit, so the text matches how Marathon prints the number.
    std::snprintf(cpus, sizeof(cpus), "0.5%02d1", i);
    std::string yaml = base;
    yaml.replace(yaml.find("cpus: 0.5", at), 9, std::string("cpus: ") + cpus);
    auto start = SteadyClock::now();
    if (auto s = c.putTopology(yaml, "latency sample"); !s) {
      std::fprintf(stderr, "put failed: %s\n", s.error().toString().c_str());
      return 1;
    }
    auto limit = start + std::chrono::seconds(30);
    while (!converged(cpus) && SteadyClock::now() < limit) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!converged(cpus)) {
      std::fprintf(stderr, "change %d did not reach Marathon within 30 s\n", i);
      return 1;
    }
    double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
    samples.push_back(ms);
    std::printf("change %2d: %.1f ms\n", i, ms);
    // Let the step's deployment finish before the next change.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  }
  std::sort(samples.begin(), samples.end());
  auto pct = [&](double p) {
    return samples[std::min(samples.size() - 1, static_cast<size_t>(p * samples.size()))];
  };
  double median = samples.size() % 2
                      ? samples[samples.size() / 2]
                      : (samples[samples.size() / 2 - 1] + samples[samples.size() / 2]) / 2;
  std::printf(
      "topology change -> Marathon over %zu changes: median %.1f ms, p90 %.1f ms, max %.1f "
      "ms\n",
      samples.size(), median, pct(0.9), samples.back());
  return 0;
}
