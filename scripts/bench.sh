#!/usr/bin/env bash
# Benchmark figures for the closing notes: the core benchmarks (Google Benchmark, one core), then
# the peak memory of render+diff per size, each size in its own process under /usr/bin/time -v.
#   scripts/bench.sh [extra google-benchmark flags]
#   REPS=5 scripts/bench.sh   # repetitions; the "min" aggregate is the least disturbed figure on a
#                             # shared machine (aggregates only are printed when REPS > 1)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build-bench}"
reps="${REPS:-1}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" --target core_bench >/dev/null
bench="$build_dir/bench/core_bench"
rep_flags=()
if [ "$reps" -gt 1 ]; then
  rep_flags=(--benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true)
fi
taskset -c 0 "$bench" --benchmark_min_time=0.5 "${rep_flags[@]}" "$@"
echo
echo "peak memory (max RSS) of one process that builds the fixture and runs render+diff once:"
for n in 10 100 1000 10000; do
  rss=$( { /usr/bin/time -v taskset -c 0 "$bench" --benchmark_filter="BM_RenderDiff/$n\$" \
             --benchmark_min_time=0.01 >/dev/null; } 2>&1 | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}')
  printf '  %6d hosts: %8d KiB\n' "$n" "$rss"
done
