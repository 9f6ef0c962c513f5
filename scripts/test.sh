#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds from scratch into build-test/, runs every
# ctest label (unit, component, contract, e2e, e2e-ceph), then a short libFuzzer smoke run.
# A missing dependency fails loudly; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/setup.sh --ceph
rm -rf build-test
BUILD_DIR=build-test bash scripts/build.sh
(cd build-test && ctest --output-on-failure -j2 --timeout 600)
bash fuzz/run.sh "${FUZZ_SECONDS:-30}"
echo "test.sh: all passed in $(( $(date +%s) - start )) s"
