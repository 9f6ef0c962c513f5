// marathon-sim: a Marathon v2 API simulator. See docs/marathon-sim.md.

#include <gflags/gflags.h>
#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <iostream>

#include "sim/marathon/agents.h"
#include "sim/marathon/sim_server.h"

DEFINE_string(listen, "127.0.0.1:0", "host:port to listen on (port 0 = pick a free one)");
DEFINE_string(agents, "", "agents YAML file (default: three loopback agents)");
DEFINE_double(time_scale, 1.0, "simulated time runs this many times faster than real time");
DEFINE_uint64(seed, 1, "seed for ids and placement order");
DEFINE_string(state, "", "JSON file: apps and groups loaded at start and saved at shutdown");
DEFINE_bool(exec, false, "run task commands as real local processes (needs --sandbox)");
DEFINE_string(sandbox, "", "directory for exec-mode task sandboxes");

namespace {
volatile std::sig_atomic_t gStop = 0;
void onSignal(int) {
  gStop = 1;
}
}  // namespace

int main(int argc, char** argv) {
  gflags::SetUsageMessage("marathon-sim --listen 127.0.0.1:PORT --agents AGENTS.yaml");
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  // Memory at scale (25,000 apps): requests are served on cpprest's pool threads, and glibc's
  // per-thread arenas keep what a big PUT freed on one thread out of reach of the next GET on
  // another; its dynamic mmap threshold also moves multi-MB reply strings onto the heap, where
  // they stay resident after they are freed. Two arenas and a fixed 1 MiB threshold keep the
  // peak RSS to what is actually live.
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  using namespace ceph_planner::marathon_sim;
  if (FLAGS_exec && FLAGS_sandbox.empty()) {
    std::cerr << "marathon-sim: --exec needs --sandbox DIR\n";
    return 2;
  }
  SimOptions opts;
  auto colon = FLAGS_listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "marathon-sim: --listen must be host:port\n";
    return 2;
  }
  opts.host = FLAGS_listen.substr(0, colon);
  opts.port = std::atoi(FLAGS_listen.c_str() + colon + 1);
  opts.timeScale = FLAGS_time_scale;
  opts.seed = FLAGS_seed;
  opts.statePath = FLAGS_state;
  opts.execMode = FLAGS_exec;
  opts.sandbox = FLAGS_sandbox;
  if (!FLAGS_agents.empty()) {
    auto agents = loadAgentsFile(FLAGS_agents);
    if (!agents) {
      std::cerr << "marathon-sim: " << agents.error().message << "\n";
      return 2;
    }
    opts.agents = *agents;
  }
  std::signal(SIGTERM, onSignal);
  std::signal(SIGINT, onSignal);
  std::signal(SIGPIPE, SIG_IGN);
  auto sim = MarathonSim::start(opts);
  if (!sim) {
    std::cerr << "marathon-sim: " << sim.error().message << "\n";
    return 1;
  }
  std::cout << "marathon-sim listening on " << (*sim)->baseUrl() << std::endl;
  while (!gStop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  (*sim)->stop();
  std::cout << "marathon-sim stopped" << std::endl;
  return 0;
}
