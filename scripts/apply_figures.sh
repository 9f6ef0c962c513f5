#!/usr/bin/env bash
# HTTP calls and wall time of a fresh `ceph-planner apply` and of a second (no-op) apply, for the
# examples and for a generated topology of HOSTS hosts, each against a fresh marathon-sim at a high
# time scale. Reads and writes are counted from the simulator's request log (`/sim/requests`);
# wall time is the apply process's, start to exit.
#
#   scripts/apply_figures.sh [BUILD_DIR]            (default BUILD_DIR: build)
#   HOSTS=200 CASES="local generated" scripts/apply_figures.sh build-client
#
# Environment: HOSTS (generated hosts, default 1000), TIME_SCALE (default 200), CASES (any of
# `local production generated`, default all three), KEEP=1 keeps the work directory.
# Needs: ceph-planner, marathon-sim and gen_topology built in BUILD_DIR; curl and jq.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
hosts=${HOSTS:-1000}
time_scale=${TIME_SCALE:-200}
cases=${CASES:-local production generated}
planner=$build/cli/ceph-planner
sim=$build/sim/marathon/marathon-sim
gen=$build/bench/gen_topology
for bin in "$planner" "$sim" "$gen"; do
  [[ -x $bin ]] || { echo "error: missing $bin (build ceph-planner marathon-sim gen_topology)" >&2; exit 1; }
done
for tool in curl jq; do
  command -v $tool >/dev/null || { echo "error: $tool is required" >&2; exit 1; }
done

work=$(mktemp -d /tmp/cp-apply-figures.XXXXXX)
sim_pid=""
cleanup() {
  if [[ -n $sim_pid ]]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  if [[ ${KEEP:-0} == 1 ]]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Agents for the generated topology: the same host names and racks as bench/topology_gen.cpp
# (h00001.dc1.example.com, 20 hosts per rack), sized like examples/production.agents.yaml.
write_generated_agents() {
  local n=$1 out=$2 i
  {
    echo "agents:"
    for ((i = 0; i < n; i++)); do
      printf '  - hostname: h%05d.dc1.example.com\n' $((i + 1))
      printf '    ip: 127.%d.%d.%d\n' $((i / 62500 + 2)) $((i / 250 % 250)) $((i % 250 + 1))
      printf '    attributes: {rack: r%d}\n' $((i / 20 + 1))
      printf '    resources: {cpus: 48, mem: 262144, disk: 1000000, ports: "[3300-3300, 6789-6789, 8080-8080, 31000-32000]"}\n'
    done
  } >"$out"
}

start_sim() {
  local agents=$1 log=$2
  "$sim" --listen 127.0.0.1:0 --agents "$agents" --time_scale "$time_scale" --seed 1 >"$log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 1 300); do
    url=$(sed -n 's/^marathon-sim listening on //p' "$log" | tr -d '\r')
    [[ -n $url ]] && return 0
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "error: marathon-sim did not start:" >&2
  cat "$log" >&2
  exit 1
}

stop_sim() {
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  sim_pid=""
}

# Runs one apply; sets reads, writes, wall (seconds) and apps_added from its output.
run_apply() {
  local topology=$1 store=$2 out=$3 start end
  curl -sf -X DELETE "$url/sim/requests" >/dev/null
  start=$(date +%s.%N)
  if ! "$planner" apply --yes --step_timeout 30m --marathon "$url" --state_dir "$store" \
      "$topology" >"$out" 2>&1; then
    echo "error: apply failed, see below" >&2
    tail -n 30 "$out" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  wall=$(printf '%.2f' "$(echo "$end - $start" | bc)")
  local log
  log=$(curl -sf "$url/sim/requests")
  reads=$(jq '[.[] | select(.method == "GET")] | length' <<<"$log")
  writes=$(jq '[.[] | select(.method != "GET")] | length' <<<"$log")
}

printf '%-22s %6s | %-28s | %-28s\n' "topology" "apps" "fresh apply: reads/writes/s" \
  "no-op apply: reads/writes/s"
for name in $cases; do
  case $name in
    local)
      topology=$root/examples/local.yaml
      agents=$root/examples/local.agents.yaml ;;
    production)
      # Without its Chronos URL: these figures are Marathon's (no Chronos runs here).
      topology=$work/production.yaml
      grep -v 'chronos:' "$root/examples/production.yaml" >"$topology"
      agents=$root/examples/production.agents.yaml ;;
    generated)
      topology=$work/generated.yaml
      agents=$work/generated.agents.yaml
      "$gen" "$hosts" >"$topology"
      write_generated_agents "$hosts" "$agents"
      name="generated-$hosts" ;;
    *) echo "error: unknown case '$name'" >&2; exit 1 ;;
  esac
  start_sim "$agents" "$work/$name.sim.log"
  run_apply "$topology" "$work/$name.store" "$work/$name.fresh.log"
  fresh="$reads / $writes / $wall"
  apps=$(curl -sf "$url/v2/apps" | jq '.apps | length')
  run_apply "$topology" "$work/$name.store" "$work/$name.noop.log"
  noop="$reads / $writes / $wall"
  stop_sim
  printf '%-22s %6s | %-28s | %-28s\n' "$name" "$apps" "$fresh" "$noop"
done
