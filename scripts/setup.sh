#!/usr/bin/env bash
# Installs every Debian 12 package ceph-planner needs to build, test and run its demo, and only
# those that are missing. Safe to run again. Needs root (or sudo). `--ceph` adds the Ceph packages.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build clang libclang-rt-dev
  # libraries (see README: Dependencies)
  libcpprest-dev libssl-dev libyaml-cpp-dev libzookeeper-mt-dev libgflags-dev
  nlohmann-json3-dev libvalijson-dev libgtest-dev libgmock-dev libbenchmark-dev
  libgoogle-perftools-dev
  # the cluster-in-a-box and tests: a real ZooKeeper server, HTTP tools
  zookeeper default-jre-headless python3 curl time tzdata procps iproute2 unzip
)
# `--ceph`: also Debian's Ceph 16.2 daemons, for the real-Ceph box (scripts/box_ceph.sh) and the
# e2e-ceph tests. Only installed when asked for (about 280 MB).
if [ "${1:-}" = "--ceph" ]; then
  packages+=(ceph-mon ceph-mgr ceph-osd radosgw ceph-common)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
