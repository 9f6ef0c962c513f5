#!/usr/bin/env bash
# The local cluster-in-a-box: a real ZooKeeper server and marathon-sim, on loopback, in the
# background, with their state, logs and PIDs under .box/.
#
#   scripts/box.sh start [EXAMPLE]   start (idempotent); EXAMPLE defaults to local
#   scripts/box.sh stop              stop everything started by `start`
#   scripts/box.sh status            show what runs
#
# Ports (override with env): CP_ZK_PORT (12181), CP_MARATHON_PORT (18080).
# The planner's ZooKeeper credentials are generated into .box/zk.credentials.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
box="$root/.box"
zk_port="${CP_ZK_PORT:-12181}"
marathon_port="${CP_MARATHON_PORT:-18080}"
build_dir="${BUILD_DIR:-build}"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$(( $(date +%s) + $1 )); local what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "box: $what did not come up; see the logs in $box" >&2
      return 1
    fi
    sleep 0.2
  done
}

zk_serving() {
  exec 3<>"/dev/tcp/127.0.0.1/$zk_port" || return 1
  printf 'srvr' >&3
  timeout 2 cat <&3 | grep -q '^Mode:'
}

start_zookeeper() {
  if alive "$box/zk.pid"; then echo "box: zookeeper already running on 127.0.0.1:$zk_port"; return; fi
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
  wait_for 30 "zookeeper" zk_serving
  echo "box: zookeeper serving on 127.0.0.1:$zk_port"
}

start_marathon() {
  local example="$1"
  if alive "$box/marathon.pid"; then
    echo "box: marathon-sim already running on http://127.0.0.1:$marathon_port"; return
  fi
  local agents="$root/examples/$example.agents.yaml"
  [ -f "$agents" ] || { echo "box: no agents file $agents" >&2; exit 1; }
  nohup "$root/$build_dir/sim/marathon/marathon-sim" --listen "127.0.0.1:$marathon_port" \
    --agents "$agents" --time-scale "${CP_TIME_SCALE:-10}" > "$box/marathon.log" 2>&1 &
  echo $! > "$box/marathon.pid"
  wait_for 30 "marathon-sim" curl -sf "http://127.0.0.1:$marathon_port/ping"
  echo "box: marathon-sim serving on http://127.0.0.1:$marathon_port (agents: examples/$example.agents.yaml)"
}

stop_one() {
  local name="$1" pidfile="$box/$1.pid"
  if alive "$pidfile"; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pidfile" || break; sleep 0.1; done
    alive "$pidfile" && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    echo "box: stopped $name"
  fi
  rm -f "$pidfile"
}

# The planner's ZooKeeper digest credentials for this box (generated once, mode 0600).
ensure_credentials() {
  if [ ! -s "$box/zk.credentials" ]; then
    (umask 077; echo "planner:$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" > "$box/zk.credentials")
  fi
}

case "${1:-}" in
  start)
    mkdir -p "$box"
    ensure_credentials
    start_zookeeper
    start_marathon "${2:-local}"
    ;;
  stop)
    stop_one marathon
    stop_one zk
    ;;
  status)
    alive "$box/zk.pid" && echo "zookeeper: running (pid $(cat "$box/zk.pid"), 127.0.0.1:$zk_port)" \
      || echo "zookeeper: stopped"
    alive "$box/marathon.pid" && echo "marathon-sim: running (pid $(cat "$box/marathon.pid"), http://127.0.0.1:$marathon_port)" \
      || echo "marathon-sim: stopped"
    ;;
  *)
    echo "usage: scripts/box.sh start [EXAMPLE] | stop | status" >&2
    exit 1
    ;;
esac
