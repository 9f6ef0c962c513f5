#!/usr/bin/env bash
# The first-run demo: installs what is missing, builds, starts the local cluster-in-a-box (a real
# ZooKeeper and marathon-sim) in the background, validates the examples and shows the plan for the
# local example against the live simulator. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "demo: building (first time: a few minutes on 2 cores)"
bash scripts/build.sh
bash scripts/box.sh start local

cp=build/cli/ceph-planner
port="${CP_MARATHON_PORT:-18080}"
echo
echo "\$ ceph-planner validate examples/local.yaml"
"$cp" validate examples/local.yaml
echo "\$ ceph-planner validate examples/production.yaml"
"$cp" validate examples/production.yaml
echo
curl -sf "http://127.0.0.1:$port/v2/groups?embed=group.groups&embed=group.apps" > .box/observed.json
echo "\$ ceph-planner plan examples/local.yaml --observed .box/observed.json"
"$cp" plan examples/local.yaml --observed .box/observed.json
echo
echo "The box is running in the background:"
bash scripts/box.sh status
echo "Marathon API: http://127.0.0.1:$port/v2/groups   (try: curl -s http://127.0.0.1:$port/v2/info)"
echo "Stop it with: bash scripts/box.sh stop"
