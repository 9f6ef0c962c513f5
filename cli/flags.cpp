#include "cli/flags.h"

DEFINE_string(templates, "", "directory of template overrides (<runtime>/<role>.json)");
DEFINE_string(bootstrap_url, "", "base URL from which tasks fetch ceph.conf and keyrings");
DEFINE_string(out, "",
              "render: write one JSON file per app below this directory; export: the file");
DEFINE_string(observed, "", "plan: saved Marathon group JSON to diff against");
DEFINE_string(output, "text", "plan: output format, text or json");
DEFINE_string(o, "", "short for --output");
DEFINE_bool(detailed_exitcode, false, "plan: exit 0 without changes, 1 on error, 2 with changes");
DEFINE_bool(show_unchanged, false, "plan: also list apps that need no change");
DEFINE_string(color, "auto", "colour the plan: auto (on a terminal), always or never");
DEFINE_bool(quiet, false, "validate: print nothing when the topology is valid");
DEFINE_string(marathon, "",
              "Marathon base URL(s), comma-separated (default: $CEPH_PLANNER_MARATHON, then "
              "cluster.marathon.url)");
DEFINE_string(marathon_auth, "none", "Marathon authentication: none, basic or bearer");
DEFINE_string(marathon_credentials_file, "",
              "file holding `user:password` (basic) or the token (bearer)");
DEFINE_string(marathon_credentials_env, "",
              "NAME of an environment variable holding the Marathon credentials");
DEFINE_string(marathon_ca_file, "", "extra CA certificates (PEM) for HTTPS to Marathon");
DEFINE_int32(marathon_timeout, 10, "seconds per Marathon call");
DEFINE_string(chronos, "",
              "Chronos base URL(s), comma-separated, for the maintenance jobs wave (default: "
              "$CEPH_PLANNER_CHRONOS, then cluster.chronos.url; none = the wave is skipped)");
DEFINE_string(chronos_auth, "none", "Chronos authentication: none, basic or bearer");
DEFINE_string(chronos_credentials_file, "",
              "file holding `user:password` (basic) or the token (bearer) for Chronos");
DEFINE_string(chronos_credentials_env, "",
              "NAME of an environment variable holding the Chronos credentials");
DEFINE_string(chronos_ca_file, "", "extra CA certificates (PEM) for HTTPS to Chronos");
DEFINE_int32(chronos_timeout, 10, "seconds per Chronos call");
DEFINE_string(chronos_job_binary, "ceph-planner",
              "the ceph-planner executable the maintenance jobs run on the agents");
DEFINE_string(zk, "",
              "ZooKeeper connect string with optional root, host:port[,host:port][/root] "
              "(default: $CEPH_PLANNER_ZK; without it the file store under --state_dir)");
DEFINE_string(zk_credentials_file, "",
              "file holding the ZooKeeper digest `user:password` (default: the variable "
              "$CEPH_PLANNER_ZK_CREDENTIALS)");
DEFINE_string(
    zk_session_timeout, "10s",
    "ZooKeeper session timeout to ask the server for (it bounds it to [2, 20] ticks, 4s-40s "
    "by default): how long a lost daemon keeps its leadership node, so how soon a "
    "follower takes over");
DEFINE_string(state_dir, "",
              "file store directory when no ZooKeeper is given (default: "
              "$CEPH_PLANNER_STORE_DIR, then ~/.ceph-planner)");
DEFINE_bool(yes, false, "apply: do not ask before deleting apps");
DEFINE_bool(force, false, "apply: override Marathon deployments that hold our apps");
DEFINE_bool(dry_run, false, "apply: only show the plan; rebalance: only print the decisions");
DEFINE_string(message, "", "apply: why, kept in the topology history");
DEFINE_int64(planned_version, -1,
             "apply: the stored topology version you planned against; apply stops if it moved");
DEFINE_string(step_timeout, "10m", "apply: deadline of one step (90s, 10m, 1h)");
DEFINE_string(lock_timeout, "5m", "apply: how long to wait for a foreign deployment on our apps");
DEFINE_string(cluster, "",
              "status, destroy, history, show, diff-versions, rollback, export: the cluster name");
DEFINE_bool(yes_i_really_mean_it, false, "destroy: confirm stopping every daemon of the cluster");
DEFINE_int64(to, -1, "rollback: the stored version to return to");
DEFINE_int64(show_version, -1,
             "show: the stored version to print (also spelled `--version N`; default: current)");
DEFINE_string(secret, "",
              "show: print one secret in the clear instead of the document (`s3`: the S3 user's "
              "keys as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY lines)");
DEFINE_bool(skip_rgw_spread, false, "rebalance: do not move RGW tasks");
DEFINE_bool(skip_data_balance, false, "rebalance: do not run the balancer or reweight OSDs");
DEFINE_string(ceph_binary, "ceph", "rebalance: the ceph CLI to run (path or name in PATH)");
DEFINE_string(ceph_conf, "", "rebalance: ceph.conf for the ceph CLI (default: Ceph's own)");
DEFINE_string(ceph_name, "", "rebalance: Ceph client name, e.g. client.admin");
DEFINE_string(ceph_keyring, "", "rebalance: keyring file of that client");
DEFINE_string(ceph_timeout, "30s", "rebalance: deadline of one ceph command");
DEFINE_string(rgw_wait_timeout, "5m",
              "rebalance: how long a moved RGW task may take to be healthy");
DEFINE_int32(
    reweight_overload, 120,
    "rebalance: without a balancer, reweight OSDs above this % of the average utilization");
DEFINE_double(reweight_max_change, 0.05, "rebalance: largest reweight change of one OSD per run");
DEFINE_int32(reweight_max_osds, 4, "rebalance: at most this many OSDs reweighted per run");
DEFINE_string(listen, "127.0.0.1:8888", "daemon: address of the HTTP API, host:port");
DEFINE_string(api_token_file, "",
              "daemon: file holding the bearer token the write API (flexup/flexdown) requires");
DEFINE_string(resync_interval, "30s", "daemon: periodic full pass even without events");
DEFINE_string(rgw_metrics_url, "",
              "daemon: Prometheus endpoint of RGW load (a service's autoscale.metric_url wins)");
DEFINE_string(rgw_metric, "", "daemon: RGW request counter name (default ceph_rgw_req)");
DEFINE_string(host, "", "inventory: the host whose device inventory is stored");
DEFINE_string(from, "",
              "inventory: a saved `ceph-volume inventory --format json` report (- = stdin) "
              "instead of running ceph-volume");
DEFINE_string(ceph_volume_binary, "ceph-volume", "inventory: the ceph-volume executable to run");
DEFINE_string(ceph_volume_timeout, "2m", "inventory: deadline of the ceph-volume run");
