#!/bin/bash
# record.sh - records the JSON that the `ceph` CLI (Debian 12, Ceph 16.2 pacific) prints for the
# commands CliCephAdmin runs, in several cluster states, into tests/testdata/ceph16/<state>/.
#
#   apt-get install -y ceph-mon ceph-mgr ceph-osd ceph-common
#   tests/testdata/ceph16/record.sh [OUT_DIR]      # default: the directory of this script
#
# A throw-away cluster (1 mon, 1 mgr, 3 bluestore-on-file OSDs, pools of size 2) runs as plain
# foreground processes in a temp dir, on 127.0.0.1 with the mon on 16789 (msgr2) / 16790 (msgr1),
# ports no other test uses. Every process started here is stopped by its PID on exit.
#
# One file per command: <state>/<key>.json holds stdout, <key>.stderr stderr (when not empty) and
# <key>.rc the exit code (when not 0). <key> is the command's words joined with `_`
# (`osd ok-to-stop 0` -> `osd_ok-to-stop_0`); fake-ceph.sh and FakeCephAdmin use the same rule.
set -euo pipefail
OUT=$(realpath "${1:-$(dirname "$0")}")
D=$(mktemp -d /tmp/cp-ceph16-record.XXXXXX)
MON_PORT=16789
CONF=$D/ceph.conf
C=(ceph -c "$CONF" --connect-timeout 10)
PIDS=()

log() { echo "[$(date +%T)] $*" >&2; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$D"
}
trap cleanup EXIT

start() {  # start NAME CMD...: a daemon in the foreground, in the background
  local name=$1; shift
  "$@" > "$D/log/$name.out" 2>&1 &
  PIDS+=($!)
  echo $! > "$D/pids/$name"
}

# rec STATE ARGS...: run `ceph ARGS -f json`, keep stdout, stderr and the exit code.
rec() {
  local state=$1; shift
  local key rc=0
  key=$(IFS=_; echo "$*")
  mkdir -p "$OUT/$state"
  timeout 60 "${C[@]}" "$@" -f json > "$OUT/$state/$key.json" 2> "$OUT/$state/$key.stderr" || rc=$?
  [ -s "$OUT/$state/$key.stderr" ] || rm -f "$OUT/$state/$key.stderr"
  if [ "$rc" -ne 0 ]; then echo "$rc" > "$OUT/$state/$key.rc"; else rm -f "$OUT/$state/$key.rc"; fi
  log "$state: ceph $* -> rc $rc"
}

# The read-only commands, recorded in every state.
rec_reads() {
  local state=$1
  rec "$state" health detail
  rec "$state" pg stat
  rec "$state" osd df
  rec "$state" balancer status
  rec "$state" quorum_status
  rec "$state" osd ok-to-stop 0
  rec "$state" osd safe-to-destroy 2
  rec "$state" osd test-reweight-by-utilization 120 0.05 4
  rec "$state" osd test-reweight-by-utilization 101 0.05 4
}

clean_pgs() {  # true when every PG is active+clean and health is OK
  local pg h
  h=$("${C[@]}" health 2>/dev/null || true)
  pg=$("${C[@]}" pg stat 2>/dev/null || true)
  [[ $h == HEALTH_OK* && $pg =~ ^([0-9]+)\ pgs:\ ([0-9]+)\ active\+clean\; && \
     ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]]
}
wait_clean() {
  local s=$SECONDS
  until clean_pgs; do
    (( SECONDS - s > ${1:-300} )) && { log "not clean after ${1:-300}s"; "${C[@]}" -s; exit 1; }
    sleep 1
  done
  log "HEALTH_OK, all PGs active+clean"
}

mkdir -p "$D"/{log,run,pids,crash,mon.a,mgr.x}
FSID=$(uuidgen)
cat > "$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT,v1:127.0.0.1:$((MON_PORT + 1))]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
keyring = $D/keyring
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
crash dir = $D/crash
osd pool default size = 2
osd pool default min size = 1
osd pool default pg num = 32
osd pool default pgp num = 32
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon osd reporter subtree level = osd
mon osd min down reporters = 1
mon osd down out interval = 600
osd heartbeat grace = 10
osd heartbeat interval = 2
[mon]
mon data = $D/mon.\$id
mon data avail warn = 2
mon data avail crit = 1
[mgr]
mgr data = $D/mgr.\$id
keyring = \$mgr_data/keyring
[osd]
osd data = $D/osd.\$id
keyring = \$osd_data/keyring
osd objectstore = bluestore
bluestore block create = true
bluestore block size = 2147483648
bluestore fsck on mount = false
osd memory target = 1073741824
EOF

ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
  --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
monmaptool --create --clobber --fsid "$FSID" \
  --addv a "[v2:127.0.0.1:$MON_PORT,v1:127.0.0.1:$((MON_PORT + 1))]" "$D/monmap" >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring"
start mon.a ceph-mon -c "$CONF" -f -i a
until "${C[@]}" mon stat >/dev/null 2>&1; do sleep 0.3; done
"${C[@]}" auth get-or-create mgr.x mon 'allow profile mgr' osd 'allow *' mds 'allow *' \
  -o "$D/mgr.x/keyring"
start mgr.x ceph-mgr -c "$CONF" -f -i x
for _ in 1 2 3; do
  uuid=$(uuidgen); secret=$(ceph-authtool --gen-print-key)
  echo "{\"cephx_secret\": \"$secret\"}" > "$D/osd-new.json"
  id=$("${C[@]}" osd new "$uuid" -i "$D/osd-new.json")
  mkdir -p "$D/osd.$id"
  printf '[osd.%s]\n\tkey = %s\n' "$id" "$secret" > "$D/osd.$id/keyring"
  ceph-osd -c "$CONF" -i "$id" --mkfs --key "$secret" --osd-uuid "$uuid" > "$D/log/osd.$id.mkfs" 2>&1
  start "osd.$id" ceph-osd -c "$CONF" -f -i "$id"
done
until "${C[@]}" mgr stat -f json 2>/dev/null | grep -q '"available": *true'; do sleep 1; done
# Two pools with data, so that `osd df` has utilisation and the balancer has PGs to move.
"${C[@]}" osd pool create data 64 64 >/dev/null
"${C[@]}" osd pool create meta 16 16 >/dev/null
"${C[@]}" osd pool application enable data rbd >/dev/null
"${C[@]}" osd pool application enable meta rbd >/dev/null
wait_clean
timeout 120 rados -c "$CONF" -p data bench 8 write -b 1048576 -t 4 --no-cleanup >/dev/null
wait_clean
"${C[@]}" version > "$OUT/VERSION"

# 1. clean, balancer on (the pacific default: active, upmap).
sleep 5  # let the mgr's pg and df statistics catch up with the writes
rec clean health detail
rec_reads clean
rec clean balancer eval

# 2. clean, balancer off: what a scheduled step works with.
rec balancer_off balancer off
rec_reads balancer_off
rec balancer_off balancer mode upmap
rec balancer_off balancer optimize ceph-planner-rebalance
rec balancer_off balancer eval ceph-planner-rebalance
rec balancer_off balancer execute ceph-planner-rebalance
rec balancer_off balancer optimize ceph-planner-rebalance-again
wait_clean
rec balancer_off osd reweight 1 0.95
rec balancer_off osd reweight-by-utilization 101 0.05 4
wait_clean
"${C[@]}" osd reweight 0 1 >/dev/null; "${C[@]}" osd reweight 1 1 >/dev/null
"${C[@]}" osd reweight 2 1 >/dev/null
wait_clean

# 3. backfilling: osd.2 marked out, recovery slowed down so the state can be seen.
"${C[@]}" config set osd osd_recovery_sleep 1 >/dev/null
"${C[@]}" config set osd osd_max_backfills 1 >/dev/null
"${C[@]}" osd out 2 >/dev/null
sleep 4
rec_reads backfilling
"${C[@]}" config set osd osd_recovery_sleep 0 >/dev/null
wait_clean

# 4. osd.2 out and drained: safe to destroy, ok to stop.
rec_reads osd_out_drained
"${C[@]}" osd in 2 >/dev/null
wait_clean

# 5. osd.2 down (SIGKILL): HEALTH_WARN, degraded PGs, ok-to-stop 0 refused.
kill -9 "$(cat "$D/pids/osd.2")"
until "${C[@]}" osd stat 2>/dev/null | grep -q '2 up'; do sleep 0.5; done
sleep 3
rec_reads osd_down
start osd.2b ceph-osd -c "$CONF" -f -i 2
wait_clean
log "recorded into $OUT"
