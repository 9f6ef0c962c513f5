#pragma once

// Subcommands of `ceph-planner`. Each takes already-parsed options (flags are read only in
// flags.cpp/main.cpp) and returns the process exit code. Output contract:
//   stdout: the command's result (plan, rendered JSON, tables);
//   stderr: diagnostics, errors and progress;
//   exit:   0 success / no changes, 1 error, 2 changes present (`plan --detailed-exitcode`).

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/jobs_wave.h"
#include "cli/wiring.h"

namespace ceph_planner::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitChanges = 2;
inline constexpr int kExitDegraded =
    3;  // `status`: some daemon is not running, healthy or current.

struct CommonOptions {
  std::string templatesDir;  // --templates: overrides for the built-in templates.
  std::string bootstrapUrl;  // --bootstrap_url: where tasks fetch ceph.conf and keyrings.
  bool color = false;        // Colour the plan (stdout is a TTY and --color not disabled).
};

struct ValidateOptions {
  CommonOptions common;
  StoreOptions store;  // Stored inventories are used only when a store is configured explicitly.
  std::string file;
  bool quiet = false;
};

struct RenderOptions {
  CommonOptions common;
  StoreOptions store;  // Stored inventories are used only when a store is configured explicitly.
  std::string file;
  std::string outDir;  // "" = the group JSON to stdout.
};

struct PlanOptions {
  CommonOptions common;
  MarathonOptions marathon;
  ChronosOptions chronos;  // The jobs wave; skipped (with a note) without a Chronos URL.
  StoreOptions store;
  std::string file;
  std::string observedFile;     // Offline: a saved `GET /v2/groups/<group>?embed=...` response.
  std::string output = "text";  // text | json
  bool detailedExitcode = false;
  bool showUnchanged = false;
};

struct ApplyOptions {
  CommonOptions common;
  MarathonOptions marathon;
  ChronosOptions chronos;  // The jobs wave; skipped (with a note) without a Chronos URL.
  StoreOptions store;
  std::string file;
  // The document itself instead of reading `file` (rollback); `file` then only names it in
  // diagnostics (`stored v3`).
  std::optional<std::string> text = std::nullopt;
  bool yes = false;                       // Skip the confirmation that deletions need.
  bool interactive = false;               // stdin and stderr are terminals (prompt, live progress).
  bool force = false;                     // Override Marathon deployments that hold our apps.
  bool dryRun = false;                    // Only plan.
  std::string message;                    // Why, kept in the topology history.
  std::optional<int64_t> plannedVersion;  // Stored version the operator planned against.
  int stepTimeoutSeconds = 600;
  int lockTimeoutSeconds = 300;
  int pollMillis = 1000;
};

struct StatusOptions {
  CommonOptions common;
  MarathonOptions marathon;
  ChronosOptions chronos;  // Lists the maintenance jobs when a Chronos URL is known.
  StoreOptions store;
  std::string file;     // Topology file; "" = the stored topology of `cluster`.
  std::string cluster;  // With no file: which stored cluster ("" = the only one).
  std::string output = "text";
};

// `rebalance`: one bounded maintenance step (docs/rebalance.md).
struct RebalanceCommandOptions {
  MarathonOptions marathon;
  StoreOptions store;
  std::string file;     // Topology file; "" = the stored topology of `cluster`.
  std::string cluster;  // With no file: which stored cluster ("" = the only one).
  bool dryRun = false;
  bool skipRgwSpread = false;
  bool skipDataBalance = false;
  std::string cephBinary = "ceph";  // --ceph_binary (tests: a script replaying recordings).
  std::string cephConf;             // --ceph_conf
  std::string cephName;             // --ceph_name, e.g. client.admin
  std::string cephKeyring;          // --ceph_keyring
  int cephTimeoutSeconds = 30;
  int rgwWaitSeconds = 300;  // How long a moved RGW task may take to be healthy again.
  int reweightOverloadPercent = 120;
  double reweightMaxChange = 0.05;
  int reweightMaxOsds = 4;
};

struct DestroyOptions {
  MarathonOptions marathon;
  StoreOptions store;
  std::string file;     // Topology file naming the cluster, or:
  std::string cluster;  // the cluster name (group `/ceph/<cluster>`).
  bool reallyMeanIt = false;
  int timeoutSeconds = 600;
};

// `history`, `show`, `diff-versions`, `rollback`, `export`: the stored topology of one cluster.
// `cluster` "" = the only cluster in the store (an error listing them when there are several).
struct HistoryOptions {
  StoreOptions store;
  std::string cluster;
  std::string output = "text";  // text | json
};

struct ShowOptions {
  StoreOptions store;
  std::string cluster;
  std::optional<int64_t> version;  // nullopt = the current version.
  std::string output = "text";     // text | json
  std::string secret;              // "s3": print the S3 user's keys (only on this request).
};

struct DiffVersionsOptions {
  CommonOptions common;
  StoreOptions store;
  std::string cluster;
  int64_t from = 0;
  int64_t to = 0;
  bool detailedExitcode = false;  // Exit 2 when the versions differ.
};

struct RollbackOptions {
  ApplyOptions apply;  // Its `file` and `text` are set by rollback (the stored document).
  std::string cluster;
  int64_t toVersion = 0;
};

struct ExportOptions {
  StoreOptions store;
  std::string cluster;
  std::string outFile;  // "" = stdout.
};

// `daemon`: the leader-elected reconciler with its HTTP API (docs/daemon.md).
struct DaemonCommandOptions {
  CommonOptions common;
  MarathonOptions marathon;
  StoreOptions store;
  std::string cluster;
  std::string listen = "127.0.0.1:8888";  // --listen host:port
  std::string apiTokenFile;               // --api_token_file: bearer token for the write API.
  int resyncSeconds = 30;                 // --resync_interval
  int stepTimeoutSeconds = 120;           // A pass's applier step deadline.
  int lockTimeoutSeconds = 60;
  std::string rgwMetricsUrl;  // RGW autoscaler metric endpoint (a service's metric_url wins).
  std::string rgwMetric;      // Counter name ("" = the autoscaler's default).
};

// `inventory`: store one host's `ceph-volume inventory --format json` report, or list the hosts
// that have one (docs/cli.md).
struct InventoryOptions {
  StoreOptions store;
  std::string cluster;
  std::string host;      // "" = list the hosts with a stored inventory.
  std::string fromFile;  // --from: a saved report, "-" = stdin; "" = run ceph-volume.
  std::string cephVolumeBinary = "ceph-volume";
  int cephVolumeTimeoutSeconds = 120;
};

int runInventory(const InventoryOptions& options, std::ostream& out, std::ostream& err);
int runDaemon(const DaemonCommandOptions& options, std::ostream& out, std::ostream& err);
int runApply(const ApplyOptions& options, std::ostream& out, std::ostream& err);
int runHistory(const HistoryOptions& options, std::ostream& out, std::ostream& err);
int runShow(const ShowOptions& options, std::ostream& out, std::ostream& err);
int runDiffVersions(const DiffVersionsOptions& options, std::ostream& out, std::ostream& err);
int runRollback(const RollbackOptions& options, std::ostream& out, std::ostream& err);
int runExport(const ExportOptions& options, std::ostream& out, std::ostream& err);
int runStatus(const StatusOptions& options, std::ostream& out, std::ostream& err);
int runRebalance(const RebalanceCommandOptions& options, std::ostream& out, std::ostream& err);
int runDestroy(const DestroyOptions& options, std::ostream& out, std::ostream& err);
int runValidate(const ValidateOptions& options, std::ostream& out, std::ostream& err);
int runRender(const RenderOptions& options, std::ostream& out, std::ostream& err);
int runPlan(const PlanOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ceph_planner::cli
