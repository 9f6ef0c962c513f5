#!/bin/sh
# Scale check for marathon-sim: HOSTS agents (default 1,000), 24 OSD-style pinned apps + 1 crash
# collector per host, 10 RGWs (25,010 apps by default), then the time and size of the group
# queries the Marathon UI and the planner make, and the simulator's peak RSS.
#
#   sim/marathon/scale_bench.sh [path/to/marathon-sim]        (HOSTS=200 for a quick run)
#
# Prints: the PUT time, apps accepted, seconds until every task runs and no deployment is left,
# for each GET variant the time (best of 3) and bytes, and the server's peak RSS (VmHWM).
# Use a Release/RelWithDebInfo (-O2) build; timings depend on the machine's load.
set -eu
SIM=${1:-build-m2/sim/marathon/marathon-sim}
HOSTS=${HOSTS:-1000}
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
python3 - "$WORK" "$HOSTS" <<'PY'
import json, sys
work, hosts = sys.argv[1], int(sys.argv[2])
with open(f"{work}/agents.yaml", "w") as f:
    f.write("agents:\n")
    for h in range(hosts):
        f.write(f"  - hostname: host{h:04d}\n    attributes: {{rack: r{h // 40}}}\n"
                "    resources: {cpus: 64, mem: 262144, disk: 2000000, ports: \"[31000-32000]\"}\n")
groups = []
for h in range(hosts):
    apps = [{"id": f"osd-{d:02d}", "cmd": "ceph-osd -f", "cpus": 1, "mem": 4096,
             "portDefinitions": [],
             "constraints": [["hostname", "CLUSTER", f"host{h:04d}"]],
             "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}}
            for d in range(24)]
    apps.append({"id": "crash", "cmd": "ceph-crash", "cpus": 0.1, "mem": 128,
                 "portDefinitions": [],
                 "constraints": [["hostname", "CLUSTER", f"host{h:04d}"]]})
    groups.append({"id": f"/ceph/osd/host{h:04d}", "apps": apps})
extra = [{"id": f"rgw-{i}", "cmd": "radosgw -f", "cpus": 1, "mem": 1024,
          "constraints": [["hostname", "UNIQUE"]]} for i in range(10)]
body = {"id": "/ceph", "groups": [{"id": "/ceph/osd", "groups": groups}], "apps": extra}
json.dump(body, open(f"{work}/group.json", "w"))
PY
"$SIM" --listen 127.0.0.1:0 --agents "$WORK/agents.yaml" --time_scale 100 > "$WORK/out.txt" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/out.txt" 2>/dev/null && break; sleep 0.2; done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/out.txt")
now() { date +%s.%N; }
T0=$(now)
curl -sS -o /dev/null -w 'PUT /v2/groups/ceph: %{http_code} in %{time_total}s\n' -X PUT \
  -H 'Content-Type: application/json' --data-binary @"$WORK/group.json" "$URL/v2/groups/ceph"
for _ in $(seq 600); do
  [ "$(curl -s "$URL/v2/deployments")" = "[]" ] && break; sleep 0.5
done
T1=$(now)
echo "apps accepted: $(curl -s "$URL/v2/apps" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["apps"]))')"
echo "tasks running: $(curl -s "$URL/v2/tasks?status=running" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tasks"]))')"
echo "time from PUT to all placed and deployed: $(echo "$T1 - $T0" | bc)s"
echo "after placement: $(grep -E 'VmHWM' "/proc/$PID/status" | tr -s ' \t' ' ')"
bench() {  # label, path+query
  best=
  for _ in 1 2 3; do
    out=$(curl -sS -o /dev/null -w '%{http_code} %{time_total} %{size_download}' "$URL$2")
    t=$(echo "$out" | cut -d' ' -f2)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "GET $1: status $(echo "$out" | cut -d' ' -f1), best of 3 ${best}s, $(echo "$out" | cut -d' ' -f3) bytes"
}
bench "root, apps+counts" "/v2/groups?embed=group.apps&embed=group.apps.counts"
bench "whole tree (UI)" "/v2/groups?embed=group.groups&embed=group.apps&embed=group.apps.counts"
bench "/ceph as the planner asks" "/v2/groups/ceph?embed=group.groups&embed=group.apps&embed=group.apps.tasks&embed=group.apps.counts&embed=group.apps.deployments"
echo "at the end: $(grep -E 'VmHWM|VmRSS' "/proc/$PID/status" | tr -s ' \t' ' ' | tr '\n' ' ')"
kill -TERM "$PID"; wait "$PID" || true
PID=
