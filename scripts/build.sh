#!/usr/bin/env bash
# Configures and builds ceph-planner into build/ (or $BUILD_DIR). Extra args go to cmake configure.
# TARGETS="a b" builds only those targets (the demo needs two programs, not the test suites).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
targets=()
for t in ${TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build_dir" -j"$(nproc)" "${targets[@]}"
