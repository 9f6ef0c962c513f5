#!/usr/bin/env bash
# Usage: fuzz/run.sh SECONDS
# Configures a clang build in build-fuzz (or $CP_FUZZ_BUILD_DIR), builds topology_fuzz and runs it
# for SECONDS on a scratch copy of fuzz/corpus. Exits non-zero when libFuzzer finds a crash, a leak,
# a sanitizer report or a timeout; the reproducer lands in <build>/artifacts/.
set -euo pipefail

seconds=${1:?usage: fuzz/run.sh SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CP_FUZZ_BUILD_DIR:-$root/build-fuzz}

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCP_FUZZ=ON -DCP_BUILD_TESTS=OFF \
  -DCP_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target topology_fuzz

# libFuzzer adds new inputs to its first corpus directory: keep the checked-in seeds untouched.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$build/artifacts"
cp "$root"/fuzz/corpus/* "$work/corpus/"

"$build/fuzz/topology_fuzz" "$work/corpus" \
  -dict="$root/fuzz/topology.dict" \
  -max_total_time="$seconds" \
  -max_len=16384 \
  -timeout=60 \
  -rss_limit_mb=4096 \
  -print_final_stats=1 \
  -artifact_prefix="$build/artifacts/"
