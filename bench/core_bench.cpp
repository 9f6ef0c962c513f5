// Benchmarks of the pure core at 10, 100, 1,000 and 10,000 hosts × (12 HDD + 2 SSD):
// parse+validate, render, diff (converged: observed equals desired, the daemon's steady state),
// render+diff converged and with 1% of the apps changed (the quality bar: ≤ 35 ms at 1,000 hosts, ≤
// 0.6 s at 10,000 on one core), and JSON encode/decode of the 1,000-host group. Peak memory per
// size: scripts/bench.sh runs each size under /usr/bin/time -v.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include "bench/topology_gen.h"
#include "planner/app_json.h"
#include "planner/diff.h"
#include "planner/render.h"
#include "planner/templates.h"
#include "topology/parse.h"

namespace ceph_planner::bench {
namespace {

struct Fixture {
  std::string yaml;
  topology::Topology topology;
  planner::DesiredState desired;
  planner::ObservedState observed;
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "core_bench: %s\n", message.c_str());
  std::exit(1);
}

const Fixture& fixture(int hosts) {
  static std::map<int, std::unique_ptr<Fixture>> cache;
  auto& slot = cache[hosts];
  if (slot) return *slot;
  slot = std::make_unique<Fixture>();
  GenOptions options;
  options.hosts = hosts;
  slot->yaml = generateTopologyYaml(options);
  auto parsed = topology::loadTopology(slot->yaml);
  if (!parsed.ok()) {
    die("generated topology is invalid: " + parsed.diagnostics.front().toString());
  }
  slot->topology = std::move(parsed.topology);
  auto desired = planner::render(slot->topology, planner::TemplateSet::builtin());
  if (!desired) die("render failed: " + desired.error().toString());
  slot->desired = std::move(desired).value();
  slot->observed.groupId = slot->desired.groupId;
  slot->observed.groupExists = true;
  for (const auto& app : slot->desired.apps) {
    planner::ObservedApp observed;
    observed.spec = app;
    observed.status.tasksRunning = app.instances;
    observed.status.tasksHealthy = app.instances;
    slot->observed.apps.push_back(std::move(observed));
  }
  return *slot;
}

// The fixture's observed state with every 100th app changed (mem and cmd), as a topology edit
// would: built only by the benchmark that uses it, so other benchmarks' peak memory excludes it.
const planner::ObservedState& changedObserved(int hosts) {
  static std::map<int, std::unique_ptr<planner::ObservedState>> cache;
  auto& slot = cache[hosts];
  if (slot) return *slot;
  slot = std::make_unique<planner::ObservedState>(fixture(hosts).observed);
  for (size_t i = 0; i < slot->apps.size(); i += 100) {
    planner::AppSpec& spec = slot->apps[i].spec;
    spec.mem += 1024;
    if (spec.cmd) spec.cmd = spec.cmd->str() + "\n# edited";
  }
  return *slot;
}

void setAppCounter(benchmark::State& state, const Fixture& f) {
  state.counters["apps"] = static_cast<double>(f.desired.apps.size());
}

void BM_ParseValidate(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto parsed = topology::loadTopology(f.yaml);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(f.yaml.size()));
  setAppCounter(state, f);
}

void BM_Render(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto desired = planner::render(f.topology, planner::TemplateSet::builtin());
    benchmark::DoNotOptimize(desired);
  }
  setAppCounter(state, f);
}

void BM_DiffConverged(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto plan = planner::diff(f.desired, f.observed, {f.topology.cluster.name});
    if (plan.hasChanges()) die("converged diff reported changes");
    benchmark::DoNotOptimize(plan);
  }
  setAppCounter(state, f);
}

void BM_RenderDiff(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto desired = planner::render(f.topology, planner::TemplateSet::builtin());
    auto plan = planner::diff(desired.value(), f.observed, {f.topology.cluster.name});
    benchmark::DoNotOptimize(plan);
  }
  setAppCounter(state, f);
}

// Render + diff against a state where 1% of the apps differ (cmd and mem): the plan has ~1%
// updates, each with its field-level changes.
void BM_RenderDiffChanged(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<int>(state.range(0)));
  const planner::ObservedState& observed = changedObserved(static_cast<int>(state.range(0)));
  size_t updates = 0;
  for (auto _ : state) {
    auto desired = planner::render(f.topology, planner::TemplateSet::builtin());
    auto plan = planner::diff(desired.value(), observed, {f.topology.cluster.name});
    updates = static_cast<size_t>(plan.summary.toChange);
    benchmark::DoNotOptimize(plan);
  }
  if (updates != (f.desired.apps.size() + 99) / 100) die("changed diff: unexpected update count");
  setAppCounter(state, f);
  state.counters["updates"] = static_cast<double>(updates);
}

void BM_DiffFresh(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<int>(state.range(0)));
  planner::ObservedState empty;
  empty.groupId = f.desired.groupId;
  for (auto _ : state) {
    auto plan = planner::diff(f.desired, empty, {f.topology.cluster.name});
    benchmark::DoNotOptimize(plan);
  }
  setAppCounter(state, f);
}

void BM_GroupJsonEncode(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<int>(state.range(0)));
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = planner::groupToJson(f.desired, /*pretty=*/false);
    bytes = json.size();
    benchmark::DoNotOptimize(json);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  setAppCounter(state, f);
}

void BM_GroupJsonDecode(benchmark::State& state) {
  const Fixture& f = fixture(static_cast<int>(state.range(0)));
  std::string json = planner::groupToJson(f.desired, /*pretty=*/false);
  for (auto _ : state) {
    auto observed = planner::observedFromGroupJson(json);
    if (!observed) die("decode failed: " + observed.error().toString());
    benchmark::DoNotOptimize(observed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
  setAppCounter(state, f);
}

// The machine is shared (other builds run on the same cores): with --benchmark_repetitions=N the
// "min" aggregate is the figure least disturbed by them.
double minOf(const std::vector<double>& v) {
  return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
}

#define CP_SIZES                      \
  ->Arg(10)                           \
      ->Arg(100)                      \
      ->Arg(1000)                     \
      ->Arg(10000)                    \
      ->Unit(benchmark::kMillisecond) \
      ->ComputeStatistics("min", minOf)
BENCHMARK(BM_ParseValidate) CP_SIZES;
BENCHMARK(BM_Render) CP_SIZES;
BENCHMARK(BM_DiffConverged) CP_SIZES;
BENCHMARK(BM_DiffFresh) CP_SIZES;
BENCHMARK(BM_RenderDiff) CP_SIZES;
BENCHMARK(BM_RenderDiffChanged) CP_SIZES;
BENCHMARK(BM_GroupJsonEncode)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", minOf);
BENCHMARK(BM_GroupJsonDecode)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->ComputeStatistics("min", minOf);

}  // namespace
}  // namespace ceph_planner::bench

BENCHMARK_MAIN();
