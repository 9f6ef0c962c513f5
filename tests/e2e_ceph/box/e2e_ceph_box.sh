#!/usr/bin/env bash
# Issue 8 acceptance: real Ceph 16.2 daemons as marathon-sim --exec tasks, applied by ceph-planner
# from examples/local.yaml through scripts/box_ceph.sh (real ZooKeeper, the planner daemon serving
# the bootstrap files). Steps, each failing the test with a reason:
#   1. from nothing: apply -> every OSD up/in, every PG active+clean, every Marathon app healthy by
#      its real admin-socket / HTTP check; no health check outside the explicit allowed list; the
#      store's slot bindings (osds/<host>-<slot>) are exactly `ceph osd dump`'s ids and uuids;
#   2. S3 (SigV4, curl --aws-sigv4) with the planner's generated S3 user (`show --secret s3`; the
#      test makes no user): bucket, put, get identical; `show` never prints its keys;
#   3. RGW flexup 1 -> 3: three endpoints serve the object; flexdown -> 1: two radosgw processes
#      gone, the remaining one serves the object;
#   4. SIGKILL one OSD: its admin-socket check fails, marathon-sim relaunches the slot, same OSD
#      id, no new OSD, binding unchanged; then its local uuid file deleted and SIGKILL again: the
#      relaunch still starts the same OSD (the store's binding wins), back to active+clean;
#   5. apply again: zero Marathon writes, no task replaced;
#   6. whole box stopped (directories kept) and started: same fsid, same OSD ids and bindings,
#      active+clean.
# Figures (apply -> active+clean, peak RSS of the box, duration) are printed and written to
# <build>/e2e_ceph_figures.txt. Usage: e2e_ceph_box.sh BUILD_DIR
set -euo pipefail
build_dir="$(cd "${1:?usage: e2e_ceph_box.sh BUILD_DIR}" && pwd)"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
box_sh="$root/scripts/box_ceph.sh"
export BUILD_DIR="$build_dir"
export CP_CEPH_BOX="$(mktemp -d /tmp/cp-e2e-ceph-XXXXXX)"
export CP_CEPH_ZK_PORT="${CP_CEPH_ZK_PORT:-12291}"
export CP_CEPH_MARATHON_PORT="${CP_CEPH_MARATHON_PORT:-18190}"
export CP_CEPH_DAEMON_PORT="${CP_CEPH_DAEMON_PORT:-18990}"
M="http://127.0.0.1:$CP_CEPH_MARATHON_PORT"
D="http://127.0.0.1:$CP_CEPH_DAEMON_PORT"
conf="$CP_CEPH_BOX/ceph.conf"
admin="$CP_CEPH_BOX/ceph.client.admin.keyring"
t0=$SECONDS

step() { echo "=== [$((SECONDS - t0)) s] $*"; }
fail() {
  echo "FAIL: $*" >&2
  echo "--- logs in $CP_CEPH_BOX (kept); last lines of marathon-sim and daemon:" >&2
  tail -n 20 "$CP_CEPH_BOX/marathon.log" "$CP_CEPH_BOX/daemon.log" >&2 || true
  exit 1
}
# until SECONDS WHAT COMMAND...: polls every second.
until_ok() {
  local limit=$1 what=$2 start=$SECONDS; shift 2
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - start < limit )) || fail "$what (waited $limit s)"
    sleep 1
  done
}

ceph_() { ceph -c "$conf" -k "$admin" -n client.admin --connect-timeout 10 "$@" 2>/dev/null; }
planner_() {
  "$build_dir/cli/ceph-planner" "$@" --zk "127.0.0.1:$CP_CEPH_ZK_PORT" \
    --zk_credentials_file "$CP_CEPH_BOX/zk.credentials"
}
# The health checks a box on one machine may raise, and nothing else: MON_DISK_LOW because the mons
# share the host's disk (below 30 % free on the build machine).
allowed_health_checks="MON_DISK_LOW"
only_allowed_health() {
  ceph_ health detail -f json | ALLOWED="$allowed_health_checks" py '
import json, os, sys
checks = set(json.load(sys.stdin).get("checks", {}))
extra = checks - set(os.environ["ALLOWED"].split())
print(" ".join(sorted(extra)))
sys.exit(1 if extra else 0)'
}
# "slot id fsid" lines from the store (show -o json) and from `ceph osd dump`, each sorted.
store_bindings() {
  planner_ show --cluster box -o json | py '
import json, sys
for b in json.load(sys.stdin)["osd_bindings"]:
    print(b["slot"], b["osd_id"], b["osd_fsid"])'
}
ceph_osds() {
  ceph_ osd dump -f json | py '
import json, sys
for o in sorted(json.load(sys.stdin)["osds"], key=lambda o: o["osd"]):
    print(o["osd"], o["uuid"])'
}
bindings_match_ceph() {  # the store's "id fsid" pairs are exactly ceph's, and each slot's data agrees
  local b c
  b=$(store_bindings) || return 1
  c=$(ceph_osds) || return 1
  [ "$(echo "$b" | awk '{print $2, $3}' | sort -n)" = "$c" ] || { echo "store: $b / ceph: $c"; return 1; }
  while read -r slot id fsid; do
    [ "$(cat "/var/lib/ceph/box/osd/$slot/data/whoami")" = "$id" ] &&
      [ "$(cat "/var/lib/ceph/box/osd/$slot/data/fsid")" = "$fsid" ] || { echo "slot $slot data differs from its binding"; return 1; }
  done <<< "$b"
}
mjson() { curl -sf "$M$1"; }
py() { python3 -c "$@"; }

# Every Marathon app of the cluster running its instances, healthy, no deployment in flight.
all_apps_healthy() {
  mjson "/v2/apps?embed=apps.counts&embed=apps.deployments" | py '
import json, sys
apps = [a for a in json.load(sys.stdin)["apps"] if a["id"].startswith("/ceph/box/")]
bad = [a["id"] for a in apps if a["tasksHealthy"] != a["instances"] or a["tasksRunning"] != a["instances"] or a["deployments"]]
sys.exit(0 if apps and not bad else 1)'
}
task_ids() {
  mjson "/v2/tasks" | py '
import json, sys
print(" ".join(sorted(t["id"] for t in json.load(sys.stdin)["tasks"] if t["appId"].startswith("/ceph/box/"))))'
}
box_pids() {  # pids of every process of this box (their command lines name the box directory)
  # The bracketed first character keeps grep from matching its own command line.
  grep -lsa -- "[${CP_CEPH_BOX:0:1}]${CP_CEPH_BOX:1}" /proc/[0-9]*/cmdline | cut -d/ -f3
}
sample_memory() {  # background: peak summed RSS (kB) of the box's processes into $1
  local peak=0 sum pid
  while :; do
    sum=0
    for pid in $(box_pids); do
      sum=$(( sum + $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0) ))
    done
    (( sum > peak )) && { peak=$sum; echo "$peak" > "$1"; }
    sleep 2
  done
}
cleanup() {
  local rc=$?
  [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null || true
  if [ $rc -eq 0 ] || [ -z "${CP_E2E_CEPH_KEEP:-}" ]; then "$box_sh" purge >/dev/null 2>&1 || true; fi
  [ $rc -eq 0 ] && rm -rf "$CP_CEPH_BOX"
  exit $rc
}
trap cleanup EXIT

# --- preconditions: never skip, fail with the reason ---
for b in ceph ceph-mon ceph-mgr ceph-osd radosgw radosgw-admin java curl python3; do
  command -v "$b" >/dev/null || fail "'$b' is missing: run scripts/setup.sh --ceph"
done
[ "$(id -u)" = 0 ] || fail "needs root (Ceph data under /var/lib/ceph/box, /var/run/ceph/box)"
for ip in 127.0.0.2 127.0.0.3 127.0.0.4; do
  for port in 3300 6789 7480; do
    (exec 3<>"/dev/tcp/$ip/$port") 2>/dev/null && fail "$ip:$port is in use (another box running?)"
  done
done
[ -e /var/lib/ceph/box ] && fail "/var/lib/ceph/box exists: a previous box was not purged (scripts/box_ceph.sh purge)"

sample_memory "$CP_CEPH_BOX/peak_rss_kb" &
sampler=$!

# --- 1. from nothing to active+clean ---
step "box up: zookeeper, marathon-sim --exec, planner daemon, apply"
up_log="$CP_CEPH_BOX/up.log"
"$box_sh" up 2>&1 | tee "$up_log" || fail "box up"
apply_to_clean=$(sed -n 's/.*apply to active+clean: \([0-9]*\) s.*/\1/p' "$up_log")
[ -n "$apply_to_clean" ] || fail "box up did not report active+clean"
until_ok 300 "every Marathon app healthy by its real check" all_apps_healthy
ceph_ -s
fsid=$(ceph_ fsid)
osd_ids=$(ceph_ osd ls | sort -n | tr '\n' ' ')
[ "$(echo $osd_ids | wc -w)" = 4 ] || fail "expected 4 OSDs, got '$osd_ids'"
extra=$(only_allowed_health) || fail "health checks outside the allowed list ($allowed_health_checks): $extra"
bindings=$(store_bindings) || fail "show -o json (bindings)"
[ "$(echo "$bindings" | awk '{print $1}' | tr '\n' ' ')" = "ceph-box-1-osd0 ceph-box-1-osd1 ceph-box-2-osd0 ceph-box-3-osd0 " ] ||
  fail "expected a binding per OSD slot, got: $bindings"
why=$(bindings_match_ceph) || fail "the store's bindings do not match ceph osd dump: $why"
echo "$bindings"

# --- 2. S3 ---
step "S3 with the planner's generated S3 user (SigV4)"
creds=$("$box_sh" s3-credentials) || fail "box_ceph.sh s3-credentials"
ak=$(echo "$creds" | sed -n 's/^AWS_ACCESS_KEY_ID=//p')
sk=$(echo "$creds" | sed -n 's/^AWS_SECRET_ACCESS_KEY=//p')
[ ${#ak} = 20 ] && [ ${#sk} = 40 ] || fail "s3-credentials printed no key pair"
for o in text json; do
  shown=$(planner_ show --cluster box -o $o) || fail "show -o $o"
  case "$shown" in *"$sk"*|*"$ak"*) fail "show -o $o prints the S3 keys" ;; esac
done
s3() {  # s3 METHOD URL [curl args...]: prints the HTTP status
  local method=$1 url=$2; shift 2
  curl -s -o "$CP_CEPH_BOX/s3.out" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$ak:$sk" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -X "$method" "$@" "$url"
}
head -c 300000 /dev/urandom > "$CP_CEPH_BOX/object.bin"
[ "$(s3 PUT http://127.0.0.2:7480/e2e-bucket)" = 200 ] || fail "create bucket: $(cat "$CP_CEPH_BOX/s3.out")"
[ "$(s3 PUT http://127.0.0.2:7480/e2e-bucket/object.bin -T "$CP_CEPH_BOX/object.bin")" = 200 ] ||
  fail "put object: $(cat "$CP_CEPH_BOX/s3.out")"
get_identical() {  # get_identical IP
  [ "$(s3 GET "http://$1:7480/e2e-bucket/object.bin")" = 200 ] && cmp -s "$CP_CEPH_BOX/s3.out" "$CP_CEPH_BOX/object.bin"
}
get_identical 127.0.0.2 || fail "get object back byte-identical"
[ "$(s3 GET http://127.0.0.2:7480/e2e-bucket/object.bin --user "$ak:wrong")" = 403 ] ||
  fail "a wrong secret must be refused"

# --- 3. RGW 1 -> 3 -> 1 ---
step "flexup rgw main 1 -> 3"
token=$(cat "$CP_CEPH_BOX/api.token")
flex() {
  curl -sf -X POST -H "Authorization: Bearer $token" -d "{\"kind\":\"rgw\",\"service\":\"main\",\"count\":$2}" "$D/$1" >/dev/null
}
flex flexup 2 || fail "POST /flexup"
rgw_count() { pgrep -f -- "radosgw -c $CP_CEPH_BOX/" | wc -l; }
three_serve() { get_identical 127.0.0.2 && get_identical 127.0.0.3 && get_identical 127.0.0.4; }
until_ok 180 "three RGW endpoints serve the object" three_serve
[ "$(rgw_count)" = 3 ] || fail "expected 3 radosgw processes, got $(rgw_count)"
until_ok 120 "3 healthy rgw instances in Marathon" all_apps_healthy
step "flexdown rgw main 3 -> 1"
flex flexdown 2 || fail "POST /flexdown"
one_left() { [ "$(rgw_count)" = 1 ]; }
until_ok 120 "two radosgw processes gone" one_left
remaining=""
for ip in 127.0.0.2 127.0.0.3 127.0.0.4; do get_identical $ip && remaining="$remaining $ip"; done
[ "$(echo $remaining | wc -w)" = 1 ] || fail "expected exactly one endpoint serving, got '$remaining'"
until_ok 120 "rgw back to 1 healthy instance" all_apps_healthy

# --- 4. kill one OSD ---
step "SIGKILL the OSD of slot ceph-box-2/osd0"
app=/ceph/box/osd/ceph-box-2-osd0
data=/var/lib/ceph/box/osd/ceph-box-2-osd0/data
check=$(mjson "/v2/apps$app" | py 'import json,sys; print(json.load(sys.stdin)["app"]["healthChecks"][0]["command"]["value"])')
id_before=$(cat "$data/whoami")
pid=$(pgrep -f -- "ceph-osd .*--osd-data $data ") || fail "no ceph-osd process for $app"
old_task=$(mjson "/v2/apps$app?embed=app.tasks" | py 'import json,sys; print(json.load(sys.stdin)["app"]["tasks"][0]["id"])')
sh -c "$check" >/dev/null 2>&1 || fail "the rendered health check fails on a running OSD: $check"
kill -9 "$pid"
sleep 0.5
sh -c "$check" >/dev/null 2>&1 && fail "the rendered health check passes on a killed OSD: $check"
relaunched() {
  mjson "/v2/apps$app?embed=app.tasks&embed=app.lastTaskFailure" | OLD="$old_task" py '
import json, os, sys
a = json.load(sys.stdin)["app"]
t = a["tasks"]
ok = (len(t) == 1 and t[0]["id"] != os.environ["OLD"] and t[0]["state"] == "TASK_RUNNING"
      and all(h.get("alive") for h in t[0].get("healthCheckResults", [])) and t[0].get("healthCheckResults")
      and a.get("lastTaskFailure", {}).get("taskId") == os.environ["OLD"])
sys.exit(0 if ok else 1)'
}
until_ok 240 "marathon-sim relaunched $app and its check passes" relaunched
[ "$(cat "$data/whoami")" = "$id_before" ] || fail "the slot's OSD id changed"
new_pid=$(pgrep -f -- "ceph-osd .*--osd-data $data ") || fail "no relaunched ceph-osd"
[ "$new_pid" != "$pid" ] || fail "the OSD was not relaunched"
[ "$(ceph_ osd ls | sort -n | tr '\n' ' ')" = "$osd_ids" ] || fail "OSD ids changed: $(ceph_ osd ls)"
[ "$(store_bindings)" = "$bindings" ] || fail "the bindings changed after the relaunch: $(store_bindings)"

step "delete the slot's local uuid file, SIGKILL again: the store's binding wins"
slot_dir=$(dirname "$data")
rm -f "$slot_dir/uuid"
old_task=$(mjson "/v2/apps$app?embed=app.tasks" | py 'import json,sys; print(json.load(sys.stdin)["app"]["tasks"][0]["id"])')
kill -9 "$new_pid"
until_ok 240 "marathon-sim relaunched $app without its uuid file" relaunched
[ "$(cat "$data/whoami")" = "$id_before" ] || fail "the slot's OSD id changed without its uuid file"
bound_fsid=$(echo "$bindings" | awk '$1 == "ceph-box-2-osd0" {print $3}')
[ "$(cat "$slot_dir/uuid")" = "$bound_fsid" ] || fail "the uuid file was not restored from the binding"
pgrep -f -- "ceph-osd .*--osd-data $data " >/dev/null || fail "no ceph-osd after the second relaunch"
[ "$(ceph_ osd ls | sort -n | tr '\n' ' ')" = "$osd_ids" ] || fail "a new OSD was created: $(ceph_ osd ls)"
why=$(bindings_match_ceph) || fail "bindings after the relaunches: $why"
"$box_sh" wait 300 || fail "back to active+clean after the OSD relaunches"

# --- 5. re-apply: no change ---
step "apply again: zero writes, nothing restarted"
until_ok 120 "apps healthy before re-apply" all_apps_healthy
tasks_before=$(task_ids)
curl -sf -X DELETE "$M/sim/requests" >/dev/null || fail "clear the sim request log"
reapply=$("$build_dir/cli/ceph-planner" apply "$root/examples/local.yaml" --marathon "$M" \
  --zk "127.0.0.1:$CP_CEPH_ZK_PORT" --zk_credentials_file "$CP_CEPH_BOX/zk.credentials" \
  --bootstrap_url "$D" --yes 2>&1) || fail "re-apply: $reapply"
writes=$(mjson /sim/requests | py 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["method"] != "GET"))')
[ "$writes" = 0 ] || fail "re-apply made $writes Marathon writes: $(mjson /sim/requests)"
[ "$(task_ids)" = "$tasks_before" ] || fail "re-apply replaced tasks"

# --- 6. restart the whole box ---
step "stop the box (directories kept) and start it again"
"$box_sh" stop
[ -z "$(box_pids)" ] || fail "processes left after stop: $(box_pids)"
"$box_sh" start
"$box_sh" wait 600 || fail "active+clean after the restart"
[ "$(ceph_ fsid)" = "$fsid" ] || fail "fsid changed across the restart"
[ "$(ceph_ osd ls | sort -n | tr '\n' ' ')" = "$osd_ids" ] || fail "OSD ids changed across the restart"
[ "$(store_bindings)" = "$bindings" ] || fail "the bindings changed across the restart"
why=$(bindings_match_ceph) || fail "bindings after the restart: $why"
until_ok 300 "every Marathon app healthy after the restart" all_apps_healthy
served=0
for ip in 127.0.0.2 127.0.0.3 127.0.0.4; do get_identical $ip && served=$((served + 1)); done
[ "$served" = 1 ] || fail "after the restart $served RGW endpoints serve the object (want 1)"

peak_kb=$(cat "$CP_CEPH_BOX/peak_rss_kb" 2>/dev/null || echo 0)
figures="apply -> active+clean: ${apply_to_clean} s; peak RSS of the box: $((peak_kb / 1024)) MB; e2e duration: $((SECONDS - t0)) s"
echo "$figures" | tee "$build_dir/e2e_ceph_figures.txt"
step "PASS"
