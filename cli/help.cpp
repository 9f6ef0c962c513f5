#include "cli/help.h"

#include <map>

namespace ceph_planner::cli {
namespace {

const char kOverview[] =
    R"(ceph-planner: run a Ceph cluster as Marathon apps, planned from a topology file.

Usage: ceph-planner COMMAND [ARGS] [FLAGS]

Commands:
  validate FILE                 check a topology; print every problem with its line:col
  render FILE [--out DIR]       print the Marathon apps the topology renders to
  plan FILE [--observed GROUP]  show what would change in Marathon (Terraform-style)
  apply FILE                    store the topology and deploy it wave by wave
  status [FILE]                 daemons, their state and health; exit 3 when degraded
  rebalance [FILE]              one safe maintenance step: spread RGW, balance data
  destroy FILE|--cluster NAME   stop every daemon of the cluster (--yes-i-really-mean-it)
  history                       stored versions of the topology: who, when, why
  show [--version N]            a stored topology, its header, the redacted secrets and OSD bindings
  diff-versions A B             two stored versions: text diff and what Marathon would see
  rollback --to N               store version N again as a new version and apply it
  export [--out FILE]           the current stored topology, exactly as stored
  daemon --cluster NAME         keep the cluster converged (leader-elected; HTTP API)
  inventory --host HOST         store a host's device inventory (ceph-volume) in the store
  help [COMMAND]                show help for a command
  version                       print the version

Exit codes: 0 success (no changes), 1 error, 2 changes present (plan --detailed-exitcode),
3 degraded (status).
Results go to stdout; diagnostics, errors and progress to stderr.
Run `ceph-planner COMMAND --help` for a command's flags.
)";

const std::map<std::string, std::string>& commandHelp() {
  static const std::map<std::string, std::string> help = {
      {"validate", R"(Usage: ceph-planner validate FILE [--quiet] [--templates DIR]

Parses and validates a topology file and renders it (without writing anything). Prints every
problem as FILE:LINE:COL: error: PATH: MESSAGE. Exit 0 when valid (warnings allowed), 1 otherwise.

Flags:
  --quiet            print nothing when the topology is valid
  --templates DIR    template overrides (<runtime>/<role>.json), see docs/templates.md
)"},
      {"render",
       R"(Usage: ceph-planner render FILE [--out DIR] [--templates DIR] [--bootstrap_url URL]

Renders the topology into Marathon apps. Without --out, prints the whole group tree as one Marathon
group JSON document on stdout. With --out DIR, writes one file per app, mirroring the app id
(DIR/ceph/<cluster>/osd/<host>-<slot>.json). Nothing is written when the topology is invalid.

Flags:
  --out DIR              write one JSON file per app below DIR
  --templates DIR        template overrides (<runtime>/<role>.json)
  --bootstrap_url URL    base URL from which tasks fetch ceph.conf and keyrings
)"},
      {"plan",
       R"(Usage: ceph-planner plan FILE [--marathon URL | --observed GROUP.json] [-o text|json]
                         [--detailed_exitcode]

Diffs the rendered topology against Marathon's state and prints the plan: + create, ~ update (with
the changed fields), scale, - delete, by wave (mon, mgr, osd, rgw). Apps without the planner's
ownership labels are reported as conflicts and never touched. RGW instance counts inside the
autoscale bounds are never a change.

Live (default): one GET /v2/groups/ceph/<cluster> with embeds from --marathon (or
$CEPH_PLANNER_MARATHON), with the store flags as for apply. Offline: --observed GROUP.json, a saved
response of GET /v2/groups?embed=group.groups&embed=group.apps (or of /v2/groups/ceph/<cluster>);
only apps under the cluster's group are considered.

Flags:
  --observed FILE          diff against a saved group JSON instead of live Marathon
  -o, --output FORMAT      text (default) or json
  --detailed_exitcode      exit 0 without changes, 1 on error, 2 with changes
                           (--detailed-exitcode is accepted too)
  --show_unchanged         also list apps that need no change
  --color auto|always|never
  --chronos URL            also plan the maintenance jobs (wave 5, after rgw); without it (and
                           without cluster.chronos.url) the jobs wave is skipped with a note
)"},
      {"apply", R"(Usage: ceph-planner apply FILE [--yes] [--force] [--dry_run] [--message WHY]
                          [--planned_version N] [--step_timeout 10m] [--lock_timeout 5m]

Stores the topology (compare-and-set on the stored version) and deploys it to Marathon in steps:
mons, mgrs, OSDs one failure domain at a time, RGW, then removals. Each step waits for its
deployment and for healthy tasks. A second apply of the same file makes no Marathon writes.
Deleting mon or OSD apps is refused (they need the safe drain). With a Chronos URL the
maintenance jobs are registered last (only jobs named ceph-planner-<cluster>-* that carry the
planner's ownerName are ever changed or deleted).

Connection flags: --marathon URL[,URL], --marathon_auth, --marathon_credentials_file|_env,
--marathon_ca_file, --zk CONNECT, --zk_credentials_file, --zk_session_timeout 10s, --state_dir DIR,
--chronos URL[,URL], --chronos_auth, --chronos_credentials_file|_env, --chronos_ca_file,
--chronos_timeout, --chronos_job_binary PATH. See docs/cli.md.
)"},
      {"status", R"(Usage: ceph-planner status [FILE | --cluster NAME] [-o text|json]

Shows every daemon: state, tasks, health, and whether it is current with the topology, then a
summary line. Exit 0 when all is well, 3 when degraded, 1 on error. With a Chronos URL
(--chronos or cluster.chronos.url) the maintenance jobs follow, with schedule, last success and
error, and success/error counts.
)"},
      {"rebalance", R"(Usage: ceph-planner rebalance [FILE | --cluster NAME] [--dry_run]
                 [--skip_rgw_spread] [--skip_data_balance] [--ceph_binary ceph]
                 [--ceph_conf F] [--ceph_name client.X] [--ceph_keyring F] [--ceph_timeout 30s]
                 [--rgw_wait_timeout 5m] [--reweight_overload 120] [--reweight_max_change 0.05]
                 [--reweight_max_osds 4]

One bounded, safe step per run (what the Chronos rebalance job runs). Prints every decision on
one line with its inputs, then what it did.
  rgw-spread: moves at most ONE RGW task (kill without scale; Marathon re-places it) when it
    sits on a gone agent, is unhealthy, is on a host the placement dropped, or the tasks are
    unevenly spread over the failure domains; then waits for a healthy replacement.
  data-balance: only with HEALTH_OK, all PGs active+clean, no recovery/backfill and misplaced
    objects within policies.max_misplaced_ratio: one balancer plan in upmap mode (optimize +
    execute), or, without a usable balancer, one bounded osd reweight-by-utilization.
Exit 0: a step was taken, nothing was needed, or a safe skip ("ceph not healthy: skipped").
Exit 1: a real error (Marathon or Ceph unreachable, a write failed, no healthy replacement).
See docs/rebalance.md.
)"},
      {"daemon", R"(Usage: ceph-planner daemon --cluster NAME [--listen 127.0.0.1:8888]
                           [--api_token_file FILE] [--resync_interval 30s]
                           [--rgw_metrics_url URL] [--rgw_metric NAME]

Keeps the cluster's Marathon apps converged on the stored topology: reconcile passes run on
topology changes (ZooKeeper watch), Marathon events and every --resync_interval; hand-made
changes are repaired and logged as drift; RGW services are autoscaled. With ZooKeeper, several
daemons elect one leader and only the leader acts. HTTP API on --listen: GET /health, /status,
/metrics, /plan; POST /flexup, /flexdown (Authorization: Bearer <token from --api_token_file>);
the bootstrap files tasks fetch. Runs until SIGTERM/SIGINT. See docs/daemon.md.

Connection flags as for apply; --bootstrap_url as given to apply. --zk_session_timeout
(default 10s) bounds how long a vanished leader holds leadership before a follower takes over.
)"},      {"destroy", R"(Usage: ceph-planner destroy FILE|--cluster NAME --yes-i-really-mean-it

Stops and deletes every Marathon app ceph-planner owns for the cluster. Foreign apps are left
alone. Data on disk is not touched.
)"},
      {"history", R"(Usage: ceph-planner history [--cluster NAME] [-o text|json]

Lists every stored version of the cluster's topology, oldest first: version, time (UTC), author,
size in bytes and the --message given to apply. The current version is marked with '*'.
--cluster may be omitted when the store holds one cluster.

Store flags: --zk CONNECT, --zk_credentials_file FILE, --zk_session_timeout 10s,
--state_dir DIR (see docs/cli.md).
)"},
      {"show", R"(Usage: ceph-planner show [--version N] [--cluster NAME] [-o text|json]
       ceph-planner show --secret s3 [--cluster NAME] [-o text|json]

Prints a stored topology document (the current one, or version N) after a comment header with its
version, time, author and message, followed by the cluster's bootstrap secrets as comments: the
fsid and each keyring's entity and caps, with `key = <redacted>`, the S3 user's uid, and the slot ->
OSD bindings (`osds/<host>-<slot>`: OSD id and fsid). Key material is never printed.
With -o json: one object with the same fields and the document under "yaml".

`show --secret s3` prints only the cluster's S3 user, in the clear, as shell assignments
(AWS_ACCESS_KEY_ID=..., AWS_SECRET_ACCESS_KEY=...; with -o json an object) that a shell can
eval. Nothing else ever prints it.

Store flags: --zk CONNECT, --zk_credentials_file FILE, --zk_session_timeout 10s,
--state_dir DIR (see docs/cli.md).
)"},
      {"diff-versions", R"(Usage: ceph-planner diff-versions A B [--cluster NAME]
                                         [--detailed_exitcode]

Compares two stored versions of the topology: a unified diff of the documents (A is ---, B is +++),
then the plan a cluster running A's apps would get from B — the Marathon apps that would be
created, updated, scaled or deleted. Neither Marathon nor the store is changed.
With --detailed_exitcode: exit 0 when identical, 2 when they differ, 1 on error.

Store flags: --zk CONNECT, --zk_credentials_file FILE, --zk_session_timeout 10s,
--state_dir DIR; --templates DIR.
)"},
      {"rollback", R"(Usage: ceph-planner rollback --to N [--cluster NAME] [--yes] [--dry_run]
                             [--message WHY] [--force] [--step_timeout 10m] [--lock_timeout 5m]

Stores the document of version N again, as a NEW version (history is never rewritten), through
the same path as apply: the plan is shown, deletions need --yes (or a typed yes on a terminal),
the store write is a compare-and-set on the version read when rollback started, and then the
Marathon steps run. --message defaults to "rollback to vN". --dry_run only shows the plan.

Connection flags as for apply (see `ceph-planner help apply`).
)"},
      {"export", R"(Usage: ceph-planner export [--cluster NAME] [--out FILE]

Writes the current stored topology, byte for byte, to stdout or to FILE (written atomically).
Planning the exported file against the same Marathon shows no changes.

Store flags: --zk CONNECT, --zk_credentials_file FILE, --zk_session_timeout 10s,
--state_dir DIR (see docs/cli.md).
)"},
      {"inventory",
       R"(Usage: ceph-planner inventory --cluster NAME --host HOST [--from FILE|-]
       ceph-planner inventory --cluster NAME

Stores HOST's device inventory in the store (`inventory/HOST`): the output of
`ceph-volume inventory --format json`, run on this machine (--ceph_volume_binary), or a saved
report (--from FILE, `-` = stdin). OSD device filters (rotational, size, model, vendor, all)
resolve against it for hosts without inline `devices:` in validate, render, plan, apply, status
and the daemon. Kept: available devices and devices carrying a Ceph OSD volume; other unavailable
devices are ignored (listed on stderr). A report that does not parse stores nothing.
Prints `stored inventory of host 'HOST': 14 devices (12 hdd, 2 ssd), 3 available`.
Without --host: one line per host with a stored inventory (exit 1 if one no longer parses).
This is what the per-host Chronos inventory jobs run (maintenance.inventory).

Exit: 0 stored (or listed), 1 error (bad report, ceph-volume failed, store unavailable).

Flags:
  --cluster NAME             the cluster (required)
  --host HOST                the host whose inventory this is (its Mesos agent hostname)
  --from FILE                a saved report instead of running ceph-volume (- = stdin)
  --ceph_volume_binary PATH  the ceph-volume to run (default ceph-volume)
  --ceph_volume_timeout D    deadline of the ceph-volume run (default 2m)
Store flags: --zk CONNECT, --zk_credentials_file FILE, --zk_session_timeout 10s,
--state_dir DIR (see docs/cli.md).
)"},
      {"help", "Usage: ceph-planner help [COMMAND]\n"},
      {"version", "Usage: ceph-planner version   (or --version)\n"},
  };
  return help;
}

}  // namespace

bool helpText(const std::string& command, std::string* text) {
  if (command.empty()) {
    *text = kOverview;
    return true;
  }
  auto it = commandHelp().find(command);
  if (it == commandHelp().end()) return false;
  *text = it->second;
  return true;
}

}  // namespace ceph_planner::cli
