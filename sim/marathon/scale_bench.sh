#!/bin/sh
# Scale check for marathon-sim: 1,000 agents, 24 OSD-style pinned apps + 1 crash collector per
# host, 10 RGWs (25,010 apps), then the time of the Marathon UI's group query and the simulator's peak RSS.
#
#   sim/marathon/scale_bench.sh [path/to/marathon-sim]
#
# Prints: apps accepted, tasks running, seconds per GET /v2/groups?embed=group.apps&embed=
# group.apps.counts (best of 3), and the server's "Maximum resident set size" from /usr/bin/time -v.
set -eu
SIM=${1:-build-sim/sim/marathon/marathon-sim}
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
with open(f"{work}/agents.yaml", "w") as f:
    f.write("agents:\n")
    for h in range(1000):
        f.write(f"  - hostname: host{h:04d}\n    attributes: {{rack: r{h // 40}}}\n"
                "    resources: {cpus: 64, mem: 262144, disk: 2000000, ports: \"[31000-32000]\"}\n")
groups = []
for h in range(1000):
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
/usr/bin/time -v -o "$WORK/time.txt" "$SIM" --listen 127.0.0.1:0 --agents "$WORK/agents.yaml" \
  --time_scale 100 > "$WORK/out.txt" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/out.txt" 2>/dev/null && break; sleep 0.2; done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/out.txt")
curl -sS -o /dev/null -w 'PUT /v2/groups/ceph: %{http_code} in %{time_total}s\n' -X PUT \
  -H 'Content-Type: application/json' --data-binary @"$WORK/group.json" "$URL/v2/groups/ceph"
for _ in $(seq 300); do
  [ "$(curl -s "$URL/v2/deployments")" = "[]" ] && break; sleep 1
done
echo "apps: $(curl -s "$URL/v2/apps" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["apps"]))')"
echo "tasks running: $(curl -s "$URL/v2/tasks?status=running" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tasks"]))')"
for _ in 1 2 3; do
  curl -s -o /dev/null -w 'GET groups?embed=group.apps&embed=group.apps.counts: %{time_total}s, %{size_download} bytes\n' \
    "$URL/v2/groups?embed=group.apps&embed=group.apps.counts"
  curl -s -o /dev/null -w 'GET the same + embed=group.groups (whole tree, as the UI asks): %{time_total}s, %{size_download} bytes\n' \
    "$URL/v2/groups?embed=group.groups&embed=group.apps&embed=group.apps.counts"
done
# $PID is /usr/bin/time; stop the simulator itself so time can report.
kill -TERM "$(pgrep -P "$PID")"; wait "$PID" || true
grep -E "Maximum resident set size" "$WORK/time.txt"
