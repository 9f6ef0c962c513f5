#!/usr/bin/env bash
# The real-Ceph cluster-in-a-box: Debian's Ceph 16.2 daemons as marathon-sim `--exec` tasks on
# the loopback "hosts" of examples/local.agents.yaml (127.0.0.2-4), applied by ceph-planner from
# examples/local.yaml, with a real ZooKeeper and the planner daemon serving the bootstrap files.
#
#   scripts/box_ceph.sh up        install check, devices, zookeeper, marathon-sim, daemon, apply,
#                                 then wait until every OSD is up/in and every PG active+clean
#   scripts/box_ceph.sh start     start the processes again on the kept directories (no apply)
#   scripts/box_ceph.sh wait      wait for active+clean
#   scripts/box_ceph.sh status    ceph -s, the Marathon apps and the processes' memory
#   scripts/box_ceph.sh ceph ARGS run the ceph CLI against the box (admin key)
#   scripts/box_ceph.sh s3-credentials  the planner's S3 user as AWS_ACCESS_KEY_ID=/
#                                 AWS_SECRET_ACCESS_KEY= lines (`ceph-planner show --secret s3`)
#   scripts/box_ceph.sh stop      stop everything (SIGTERM by pid; the Ceph data stays)
#   scripts/box_ceph.sh purge     stop, then delete the box's directories, data and devices
#
# State lives in $CP_CEPH_BOX (default .box/ceph): zookeeper, the marathon-sim sandboxes, logs,
# pids, the admin keyring. Ceph's own data goes where the topology says (/var/lib/ceph/box/...,
# /var/run/ceph/box), the OSD devices are the sparse files the topology lists. Ports (env):
# CP_CEPH_ZK_PORT (12191), CP_CEPH_MARATHON_PORT (18090), CP_CEPH_DAEMON_PORT (18890); Ceph itself
# uses 3300/6789 (mons), 6800-7300 (osd, mgr) and 7480 (rgw) on 127.0.0.2-4 and 127.0.0.1.
# Needs the packages of `scripts/setup.sh --ceph` and a build (BUILD_DIR, default build).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
box="${CP_CEPH_BOX:-$root/.box/ceph}"
build_dir="${BUILD_DIR:-build}"
[[ "$build_dir" = /* ]] || build_dir="$root/$build_dir"
zk_port="${CP_CEPH_ZK_PORT:-12191}"
marathon_port="${CP_CEPH_MARATHON_PORT:-18090}"
daemon_port="${CP_CEPH_DAEMON_PORT:-18890}"
topology="$root/examples/local.yaml"
agents="$root/examples/local.agents.yaml"
cluster=box
device_size=4G
planner="$build_dir/cli/ceph-planner"
marathon_url="http://127.0.0.1:$marathon_port"
conf="$box/ceph.conf"
admin="$box/ceph.client.admin.keyring"

log() { echo "[$(date +%T)] box-ceph: $*" >&2; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$(( $(date +%s) + $1 )) what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then log "$what: not ready after $1 s (logs in $box)"; return 1; fi
    sleep 0.5
  done
}

check_install() {
  local missing=()
  for b in ceph ceph-mon ceph-mgr ceph-osd radosgw radosgw-admin java curl; do
    command -v "$b" >/dev/null || missing+=("$b")
  done
  [ ${#missing[@]} -eq 0 ] || { log "missing ${missing[*]}: run scripts/setup.sh --ceph"; exit 1; }
  for b in "$planner" "$build_dir/sim/marathon/marathon-sim"; do
    [ -x "$b" ] || { log "missing $b: build first (BUILD_DIR=$build_dir)"; exit 1; }
  done
}

# The OSD devices the topology lists (`path:` entries under hosts[].devices).
device_paths() { sed -n 's/.*{ *path: *\([^,} ]*\).*/\1/p' "$topology"; }

make_devices() {
  local d
  for d in $(device_paths); do
    [ -e "$d" ] && continue
    mkdir -p "$(dirname "$d")"
    truncate -s "$device_size" "$d"  # Sparse: only what BlueStore writes takes disk space.
  done
}

zk_serving() {
  exec 3<>"/dev/tcp/127.0.0.1/$zk_port" || return 1
  printf 'srvr' >&3
  timeout 2 cat <&3 | grep -q '^Mode:'
}

start_zookeeper() {
  alive "$box/zk.pid" && return
  mkdir -p "$box/zk/data"
  cat > "$box/zk/zoo.cfg" <<CFG
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$box/zk/data
clientPortAddress=127.0.0.1
clientPort=$zk_port
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr,stat,mntr
maxClientCnxns=0
CFG
  nohup java -Xmx256m -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar \
    org.apache.zookeeper.server.ZooKeeperServerMain "$box/zk/zoo.cfg" > "$box/zk/zk.log" 2>&1 &
  echo $! > "$box/zk.pid"
  wait_for 60 zookeeper zk_serving
  log "zookeeper on 127.0.0.1:$zk_port"
}

start_marathon() {
  alive "$box/marathon.pid" && return
  mkdir -p "$box/sandbox"
  nohup "$build_dir/sim/marathon/marathon-sim" --listen "127.0.0.1:$marathon_port" \
    --agents "$agents" --exec --sandbox "$box/sandbox" --time_scale 1 \
    --state "$box/marathon.state.json" > "$box/marathon.log" 2>&1 &
  echo $! > "$box/marathon.pid"
  wait_for 30 marathon-sim curl -sf "$marathon_url/ping"
  log "marathon-sim --exec on $marathon_url (sandboxes in $box/sandbox)"
}

zk_flags() { echo "--zk 127.0.0.1:$zk_port --zk_credentials_file $box/zk.credentials"; }

# The planner's ZooKeeper digest credentials and the daemon's API token (flexup/flexdown), both
# generated once, mode 0600.
ensure_credentials() {
  [ -s "$box/zk.credentials" ] ||
    (umask 077; echo "planner:$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" > "$box/zk.credentials")
  [ -s "$box/api.token" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$box/api.token")
}

start_daemon() {
  alive "$box/daemon.pid" && return
  # shellcheck disable=SC2046
  nohup "$planner" daemon --cluster "$cluster" --marathon "$marathon_url" $(zk_flags) \
    --listen "127.0.0.1:$daemon_port" --bootstrap_url "http://127.0.0.1:$daemon_port" \
    --api_token_file "$box/api.token" > "$box/daemon.log" 2>&1 &
  echo $! > "$box/daemon.pid"
  wait_for 30 "planner daemon" curl -sf "http://127.0.0.1:$daemon_port/health"
  log "planner daemon on http://127.0.0.1:$daemon_port (bootstrap files)"
}

apply() {
  # shellcheck disable=SC2046
  "$planner" apply "$topology" --marathon "$marathon_url" $(zk_flags) \
    --bootstrap_url "http://127.0.0.1:$daemon_port" --yes --step_timeout 10m
}

# ceph.conf from a mon's sandbox (what the daemon served it), the admin key through the mon. key
# (as `ceph-deploy gatherkeys` does): the box's own client credentials.
gather_admin() {
  local c k
  [ -s "$admin" ] && [ -s "$conf" ] && return 0
  c=$(ls -t "$box"/sandbox/*mon*/ceph.conf 2>/dev/null | head -1)
  k=$(ls /var/lib/ceph/$cluster/mon/$cluster-*/keyring 2>/dev/null | head -1)
  [ -n "$c" ] && [ -n "$k" ] || return 1
  cp "$c" "$conf"
  ceph -c "$conf" -n mon. -k "$k" --connect-timeout 10 auth get client.admin -o "$admin.tmp" >/dev/null 2>&1 || return 1
  mv "$admin.tmp" "$admin"
}

ceph_cli() { ceph -c "$conf" -k "$admin" -n client.admin --connect-timeout 10 "$@"; }

# shellcheck disable=SC2046
s3_credentials() { "$planner" show --cluster "$cluster" --secret s3 $(zk_flags); }

# Every OSD the topology asks for up and in, every PG active+clean, and no health check beyond
# the ones a box on one machine raises (MON_DISK_LOW: the shared disk is the host's).
healthy() {
  local want=$1 st
  st=$(ceph_cli status -f json 2>/dev/null) || return 1
  python3 - "$want" "$st" <<'PY'
import json, sys
want, s = int(sys.argv[1]), json.loads(sys.argv[2])
o = s["osdmap"]
pgs = s["pgmap"]
clean = sum(x["count"] for x in pgs.get("pgs_by_state", []) if x["state_name"] == "active+clean")
allowed = {"MON_DISK_LOW"}
checks = set(s["health"]["checks"].keys()) - allowed
ok = (o["num_osds"] == want and o["num_up_osds"] == want and o["num_in_osds"] == want
      and pgs["num_pgs"] > 0 and clean == pgs["num_pgs"] and not checks)
sys.exit(0 if ok else 1)
PY
}

wait_clean() {
  local want start=$SECONDS
  want=$(device_paths | wc -l)
  wait_for 300 "admin key" gather_admin
  wait_for "${1:-600}" "active+clean" healthy "$want"
  log "$want OSDs up/in, all PGs active+clean ($((SECONDS - start)) s)"
}

stop_one() {
  local name="$1" pidfile="$box/$1.pid"
  if alive "$pidfile"; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for _ in $(seq 300); do alive "$pidfile" || break; sleep 0.1; done
    alive "$pidfile" && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    log "stopped $name"
  fi
  rm -f "$pidfile"
}

show_status() {
  ceph_cli -s || true
  curl -s "$marathon_url/v2/apps?embed=apps.counts" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["apps"]:
    print("%-32s %d/%d healthy" % (a["id"], a["tasksHealthy"], a["instances"]))' || true
  ps -eo pid,rss,comm | awk '$3 ~ /^(ceph-mon|ceph-mgr|ceph-osd|radosgw|marathon-sim|java|ceph-planner)$/ {
    s += $2; printf "%-8s %-14s %7.1f MB\n", $1, $3, $2/1024 } END { printf "total %.1f MB\n", s/1024 }'
}

case "${1:-}" in
  up)
    check_install
    mkdir -p "$box"
    ensure_credentials
    make_devices
    start_zookeeper
    start_marathon
    start_daemon
    apply_start=$SECONDS
    apply
    wait_clean
    log "apply to active+clean: $((SECONDS - apply_start)) s"
    cat <<'TXT'
S3 (radosgw, beast) answers on http://127.0.0.2:7480 (more gateways on .3/.4 when scaled), with
the S3 user the planner generated (stored under secrets/, printed only on request):
  eval "$(scripts/box_ceph.sh s3-credentials)"   # sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
  H='x-amz-content-sha256: UNSIGNED-PAYLOAD'; U="$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"
  curl --aws-sigv4 aws:amz:us-east-1:s3 --user "$U" -H "$H" -X PUT http://127.0.0.2:7480/bucket
  curl --aws-sigv4 aws:amz:us-east-1:s3 --user "$U" -H "$H" -T README.md http://127.0.0.2:7480/bucket/readme
  curl --aws-sigv4 aws:amz:us-east-1:s3 --user "$U" -H "$H" http://127.0.0.2:7480/bucket/readme
TXT
    ;;
  start)
    check_install
    ensure_credentials
    make_devices
    start_zookeeper
    start_marathon
    start_daemon
    ;;
  wait) wait_clean "${2:-600}" ;;
  status) show_status ;;
  ceph) shift; ceph_cli "$@" ;;
  s3-credentials) s3_credentials ;;
  stop)
    stop_one daemon
    stop_one marathon  # SIGTERM stops every task process (each daemon gets its kill grace).
    stop_one zk
    ;;
  purge)
    "$0" stop
    for d in $(device_paths); do
      rm -f "$d"
      rmdir -p --ignore-fail-on-non-empty "$(dirname "$d")" 2>/dev/null || true
    done
    rm -rf "/var/lib/ceph/$cluster" "/var/run/ceph/$cluster" "$box"
    log "purged"
    ;;
  *) sed -n '2,23p' "$0" >&2; exit 1 ;;
esac
