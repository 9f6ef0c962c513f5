#!/usr/bin/env bash
# The first-run demo: installs what is missing, builds, starts the local cluster-in-a-box (a real
# ZooKeeper and marathon-sim) in the background, applies examples/local.yaml through the
# ZooKeeper-backed topology store, and shows `status`. Safe to run again: a second run applies
# nothing (the cluster has converged) and shows the same status.
#
# `scripts/demo.sh --ceph` brings up the real-Ceph box instead (Debian's Ceph 16.2 daemons run by
# marathon-sim --exec, the planner daemon serving their bootstrap files; see docs/ceph-box.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--ceph" ]; then
  bash scripts/setup.sh --ceph
  echo "demo: building ceph-planner and marathon-sim (the first build takes several minutes on 2 cores)"
  TARGETS="ceph-planner marathon-sim" bash scripts/build.sh
  bash scripts/box_ceph.sh up
  echo "S3 keys:  eval \"\$(bash scripts/box_ceph.sh s3-credentials)\"   (the planner's generated S3 user)"
  echo "Status: bash scripts/box_ceph.sh status    Stop it with: bash scripts/box_ceph.sh stop"
  exit 0
fi
bash scripts/setup.sh
echo "demo: building ceph-planner and marathon-sim (the first build takes several minutes on 2 cores)"
TARGETS="ceph-planner marathon-sim" bash scripts/build.sh
bash scripts/box.sh start local

cp=build/cli/ceph-planner
port="${CP_MARATHON_PORT:-18080}"
zk="127.0.0.1:${CP_ZK_PORT:-12181}/ceph-planner"
flags=(--marathon "http://127.0.0.1:$port" --zk "$zk" --zk_credentials_file .box/zk.credentials)

echo
echo "\$ ceph-planner validate examples/local.yaml"
"$cp" validate examples/local.yaml
echo
echo "\$ ceph-planner apply examples/local.yaml --yes --message 'demo'"
"$cp" apply examples/local.yaml --yes --message demo "${flags[@]}"
echo
echo "\$ ceph-planner status examples/local.yaml"
"$cp" status examples/local.yaml "${flags[@]}" || true
echo
echo "The box keeps running in the background:"
bash scripts/box.sh status
echo "Marathon API:  http://127.0.0.1:$port/v2/groups/ceph/box   (curl -s ... | python3 -m json.tool)"
echo "Try:          $cp plan examples/local.yaml ${flags[*]}"
echo "Stop it with: bash scripts/box.sh stop"
