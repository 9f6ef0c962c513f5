#!/usr/bin/env bash
# Compares builds of core_bench on a machine whose speed drifts: runs them alternately, round after
# round, pinned to one core, and prints each build's minimum and median over every repetition, so
# that a slow phase hits all of them alike.
#   scripts/bench_alternate.sh ROUNDS FILTER BINARY...
#   scripts/bench_alternate.sh 8 'BM_RenderDiff/1000$' /tmp/core_bench.old build/bench/core_bench
set -euo pipefail
if [ "$#" -lt 3 ]; then
  echo "usage: $0 ROUNDS FILTER BINARY..." >&2
  exit 1
fi
rounds="$1"
filter="$2"
shift 2
for binary in "$@"; do
  [ -x "$binary" ] || { echo "error: '$binary' is not an executable" >&2; exit 1; }
done
raw="$(mktemp)"
trap 'rm -f "$raw"' EXIT
for ((round = 1; round <= rounds; ++round)); do
  for binary in "$@"; do
    taskset -c 0 "$binary" --benchmark_filter="$filter" --benchmark_min_time=0.2 \
      --benchmark_repetitions=3 2>/dev/null |
      awk -v b="$binary" '$1 ~ /^BM_/ && $1 !~ /_(mean|median|stddev|cv|min)$/ {print b, $1, $2, $3}'
  done
done >"$raw"
python3 - "$raw" <<'PY'
import collections, statistics, sys
samples = collections.defaultdict(list)
for line in open(sys.argv[1]):
    binary, name, value, unit = line.split()
    samples[(binary, name, unit)].append(float(value))
for (binary, name, unit), values in sorted(samples.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    print(f"{name:28} {binary:40} n={len(values):3} min={min(values):9.1f} {unit}"
          f"  median={statistics.median(values):9.1f} {unit}")
PY
