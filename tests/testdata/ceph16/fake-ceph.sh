#!/bin/bash
# fake-ceph.sh - stands in for the `ceph` CLI in tests (`ceph-planner rebalance --ceph_binary`):
# prints what a real Ceph 16.2 printed for the same command, from a recorded state directory.
#
#   CEPH_FAKE_STATE=tests/testdata/ceph16/clean   the state to replay (required)
#   CEPH_FAKE_LOG=/tmp/calls.log                  optional: one line per call, the command's key
#
# Key rule (same as FakeCephAdmin's `recordingKey`): drop the global options (--conf/-c,
# --name/-n, --keyring/-k, --connect-timeout, -f/--format, each with its value), join the
# remaining words with `_`. Replays <key>.json to stdout, <key>.stderr to stderr and exits with
# <key>.rc (0 when absent). A read without a recording fails like Ceph (ENOENT, exit 2); a write
# without one succeeds silently.
set -u
state=${CEPH_FAKE_STATE:?set CEPH_FAKE_STATE to a recorded state directory}
words=()
while [ $# -gt 0 ]; do
  case $1 in
    --conf|-c|--name|-n|--keyring|-k|--connect-timeout|-f|--format) shift 2 ;;
    *) words+=("$1"); shift ;;
  esac
done
key=$(IFS=_; echo "${words[*]}")
[ -n "${CEPH_FAKE_LOG:-}" ] && echo "$key" >> "$CEPH_FAKE_LOG"
base=$state/$key
if [ -f "$base.json" ]; then
  cat "$base.json"
  [ -f "$base.stderr" ] && cat "$base.stderr" >&2
  [ -f "$base.rc" ] && exit "$(cat "$base.rc")"
  exit 0
fi
case $key in
  health*|status|pg_stat|osd_df|osd_stat|osd_tree|osd_dump|balancer_status|balancer_eval*|\
  balancer_show*|balancer_ls|mon_stat|mgr_stat|quorum_status|osd_ok-to-stop*|\
  osd_safe-to-destroy*|osd_test-reweight-by-utilization*|version)
    echo "Error ENOENT: no recording '$base.json'" >&2
    exit 2 ;;
esac
exit 0
