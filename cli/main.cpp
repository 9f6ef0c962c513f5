// ceph-planner: the one binary. Parses flags (gflags), picks the subcommand and hands it plain
// option structs. Flags are read here and nowhere else.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/help.h"
#include "common/duration_text.h"
#include "common/strings.h"

DECLARE_bool(help);
DECLARE_bool(version);

namespace {

using namespace ceph_planner::cli;

// `3` or `v3`: a stored topology version.
bool isVersionNumber(const std::string& text) {
  size_t start = !text.empty() && text[0] == 'v' ? 1 : 0;
  if (text.size() == start || text.size() - start > 18) return false;
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

int64_t versionNumber(const std::string& text) {
  return std::stoll(text.substr(!text.empty() && text[0] == 'v' ? 1 : 0));
}

// gflags names use underscores; accept the dashed spelling users type (`--detailed-exitcode`).
std::vector<std::string> normaliseFlagNames(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (i > 0 && arg.size() > 2 && arg.rfind("--", 0) == 0) {
      size_t end = arg.find('=');
      if (end == std::string::npos) end = arg.size();
      for (size_t j = 2; j < end; ++j) {
        if (arg[j] == '-') arg[j] = '_';
      }
    }
    if (arg == "-h") arg = "--help";
    // gflags owns the boolean `--version`; `show --version N` selects a stored version instead.
    if (arg == "--version" && i + 1 < argc && isVersionNumber(argv[i + 1])) {
      arg = std::string("--show_version=") + argv[++i];
    } else if (arg.rfind("--version=", 0) == 0 && isVersionNumber(arg.substr(10))) {
      arg = "--show_version=" + arg.substr(10);
    }
    args.push_back(arg);
  }
  return args;
}

bool wantColor() {
  if (FLAGS_color == "always") return true;
  if (FLAGS_color == "never") return false;
  return isatty(STDOUT_FILENO) != 0;
}

CommonOptions commonOptions() {
  CommonOptions common;
  common.templatesDir = FLAGS_templates;
  common.bootstrapUrl = FLAGS_bootstrap_url;
  common.color = wantColor();
  return common;
}

std::string envOr(const std::string& flag, const char* variable) {
  if (!flag.empty()) return flag;
  const char* value = std::getenv(variable);
  return value ? value : "";
}

MarathonOptions marathonOptions() {
  MarathonOptions m;
  std::string urls = envOr(FLAGS_marathon, "CEPH_PLANNER_MARATHON");
  if (!urls.empty()) m.urls = ceph_planner::splitString(urls, ',');
  m.authKind = FLAGS_marathon_auth;
  m.credentialsFile = FLAGS_marathon_credentials_file;
  m.credentialsEnv = FLAGS_marathon_credentials_env;
  m.caFile = FLAGS_marathon_ca_file;
  m.timeoutSeconds = FLAGS_marathon_timeout;
  return m;
}

ChronosOptions chronosOptions() {
  ChronosOptions c;
  c.url = envOr(FLAGS_chronos, "CEPH_PLANNER_CHRONOS");
  c.authKind = FLAGS_chronos_auth;
  c.credentialsFile = FLAGS_chronos_credentials_file;
  c.credentialsEnv = FLAGS_chronos_credentials_env;
  c.caFile = FLAGS_chronos_ca_file;
  c.timeoutSeconds = FLAGS_chronos_timeout;
  c.jobBinary = FLAGS_chronos_job_binary;
  return c;
}

// --zk_session_timeout, checked once in main() before any command runs.
int zkSessionSeconds = 10;

StoreOptions storeOptions() {
  return StoreOptions{FLAGS_zk, FLAGS_zk_credentials_file, FLAGS_state_dir, zkSessionSeconds};
}

bool durationFlag(const char* name, const std::string& text, int* seconds) {
  if (ceph_planner::parseDurationSeconds(text, seconds) && *seconds > 0) return true;
  std::cerr << "error: --" << name << " must be a duration such as 90s, 10m or 1h, got '" << text
            << "'\n";
  return false;
}

int usageError(const std::string& message) {
  std::cerr << "error: " << message << "\nRun `ceph-planner help` for usage.\n";
  return kExitError;
}

int printHelp(const std::string& command) {
  std::string text;
  if (!helpText(command, &text)) return usageError("unknown command '" + command + "'");
  std::cout << text;
  return kExitOk;
}

// Exactly one positional FILE after the command.
bool oneFile(const std::vector<std::string>& positional, const std::string& command,
             std::string* file) {
  if (positional.size() != 1) {
    usageError(command + " takes exactly one topology FILE (got " +
               std::to_string(positional.size()) + ")");
    return false;
  }
  *file = positional[0];
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  gflags::SetVersionString(CP_VERSION);
  gflags::SetUsageMessage("see `ceph-planner help`");

  std::vector<std::string> normalised = normaliseFlagNames(argc, argv);
  std::vector<char*> args;
  for (auto& a : normalised) args.push_back(a.data());
  args.push_back(nullptr);
  int count = static_cast<int>(normalised.size());  // `--version N` became one argument.
  char** vec = args.data();
  gflags::ParseCommandLineNonHelpFlags(&count, &vec, /*remove_flags=*/true);

  std::vector<std::string> positional(vec + 1, vec + count);
  if (FLAGS_version || (!positional.empty() && positional[0] == "version")) {
    std::cout << "ceph-planner " << CP_VERSION << "\n";
    return kExitOk;
  }
  if (positional.empty()) {
    if (FLAGS_help) return printHelp("");
    std::string text;
    helpText("", &text);
    std::cerr << text;
    return kExitError;
  }
  std::string command = positional[0];
  positional.erase(positional.begin());
  if (command == "help") return printHelp(positional.empty() ? "" : positional[0]);
  if (FLAGS_help) return printHelp(command);

  if (FLAGS_show_version >= 0 && command != "show") {
    return usageError("--version N selects the version for `show` only");
  }
  if (!FLAGS_secret.empty() && command != "show") {
    return usageError("--secret is a `show` flag");
  }
  if (!durationFlag("zk_session_timeout", FLAGS_zk_session_timeout, &zkSessionSeconds)) {
    return kExitError;
  }

  if (command == "validate") {
    ValidateOptions options;
    options.common = commonOptions();
    options.store = storeOptions();
    options.quiet = FLAGS_quiet;
    if (!oneFile(positional, command, &options.file)) return kExitError;
    return runValidate(options, std::cout, std::cerr);
  }
  if (command == "render") {
    RenderOptions options;
    options.common = commonOptions();
    options.store = storeOptions();
    options.outDir = FLAGS_out;
    if (!oneFile(positional, command, &options.file)) return kExitError;
    return runRender(options, std::cout, std::cerr);
  }
  if (command == "plan") {
    PlanOptions options;
    options.common = commonOptions();
    options.marathon = marathonOptions();
    options.chronos = chronosOptions();
    options.store = storeOptions();
    options.observedFile = FLAGS_observed;
    options.output = FLAGS_o.empty() ? FLAGS_output : FLAGS_o;
    options.detailedExitcode = FLAGS_detailed_exitcode;
    options.showUnchanged = FLAGS_show_unchanged;
    if (!oneFile(positional, command, &options.file)) return kExitError;
    return runPlan(options, std::cout, std::cerr);
  }
  if (command == "apply") {
    ApplyOptions options;
    options.common = commonOptions();
    options.marathon = marathonOptions();
    options.chronos = chronosOptions();
    options.store = storeOptions();
    options.yes = FLAGS_yes;
    options.force = FLAGS_force;
    options.dryRun = FLAGS_dry_run;
    options.message = FLAGS_message;
    options.interactive = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
    if (FLAGS_planned_version >= 0) options.plannedVersion = FLAGS_planned_version;
    if (!durationFlag("step_timeout", FLAGS_step_timeout, &options.stepTimeoutSeconds) ||
        !durationFlag("lock_timeout", FLAGS_lock_timeout, &options.lockTimeoutSeconds)) {
      return kExitError;
    }
    if (!oneFile(positional, command, &options.file)) return kExitError;
    return runApply(options, std::cout, std::cerr);
  }
  if (command == "status") {
    StatusOptions options;
    options.common = commonOptions();
    options.marathon = marathonOptions();
    options.chronos = chronosOptions();
    options.store = storeOptions();
    options.cluster = FLAGS_cluster;
    options.output = FLAGS_o.empty() ? FLAGS_output : FLAGS_o;
    if (positional.size() > 1) return usageError("status takes at most one topology FILE");
    if (!positional.empty()) options.file = positional[0];
    return runStatus(options, std::cout, std::cerr);
  }
  if (command == "rebalance") {
    RebalanceCommandOptions options;
    options.marathon = marathonOptions();
    options.store = storeOptions();
    options.cluster = FLAGS_cluster;
    options.dryRun = FLAGS_dry_run;
    options.skipRgwSpread = FLAGS_skip_rgw_spread;
    options.skipDataBalance = FLAGS_skip_data_balance;
    options.cephBinary = FLAGS_ceph_binary;
    options.cephConf = FLAGS_ceph_conf;
    options.cephName = FLAGS_ceph_name;
    options.cephKeyring = FLAGS_ceph_keyring;
    options.reweightOverloadPercent = FLAGS_reweight_overload;
    options.reweightMaxChange = FLAGS_reweight_max_change;
    options.reweightMaxOsds = FLAGS_reweight_max_osds;
    if (!durationFlag("ceph_timeout", FLAGS_ceph_timeout, &options.cephTimeoutSeconds) ||
        !durationFlag("rgw_wait_timeout", FLAGS_rgw_wait_timeout, &options.rgwWaitSeconds)) {
      return kExitError;
    }
    if (options.reweightOverloadPercent <= 100 || options.reweightMaxChange <= 0 ||
        options.reweightMaxChange > 1 || options.reweightMaxOsds < 1) {
      return usageError(
          "--reweight_overload must be > 100, --reweight_max_change in (0, 1], "
          "--reweight_max_osds >= 1");
    }
    if (positional.size() > 1) return usageError("rebalance takes at most one topology FILE");
    if (!positional.empty()) options.file = positional[0];
    return runRebalance(options, std::cout, std::cerr);
  }
  if (command == "destroy") {
    DestroyOptions options;
    options.marathon = marathonOptions();
    options.store = storeOptions();
    options.cluster = FLAGS_cluster;
    options.reallyMeanIt = FLAGS_yes_i_really_mean_it;
    if (positional.size() > 1) return usageError("destroy takes at most one topology FILE");
    if (!positional.empty()) options.file = positional[0];
    return runDestroy(options, std::cout, std::cerr);
  }
  if (command == "history") {
    HistoryOptions options{storeOptions(), FLAGS_cluster, FLAGS_o.empty() ? FLAGS_output : FLAGS_o};
    if (!positional.empty()) return usageError("history takes no arguments (use --cluster NAME)");
    return runHistory(options, std::cout, std::cerr);
  }
  if (command == "show") {
    ShowOptions options;
    options.store = storeOptions();
    options.cluster = FLAGS_cluster;
    options.output = FLAGS_o.empty() ? FLAGS_output : FLAGS_o;
    if (FLAGS_show_version >= 0) options.version = FLAGS_show_version;
    options.secret = FLAGS_secret;
    if (!positional.empty()) return usageError("show takes no arguments (use --version N)");
    return runShow(options, std::cout, std::cerr);
  }
  if (command == "diff-versions") {
    if (positional.size() != 2 || !isVersionNumber(positional[0]) ||
        !isVersionNumber(positional[1])) {
      return usageError("diff-versions takes two stored versions, e.g. `diff-versions 3 5`");
    }
    DiffVersionsOptions options;
    options.common = commonOptions();
    options.store = storeOptions();
    options.cluster = FLAGS_cluster;
    options.from = versionNumber(positional[0]);
    options.to = versionNumber(positional[1]);
    options.detailedExitcode = FLAGS_detailed_exitcode;
    return runDiffVersions(options, std::cout, std::cerr);
  }
  if (command == "rollback") {
    if (FLAGS_to <= 0) return usageError("rollback needs --to N, the stored version to return to");
    if (!positional.empty()) return usageError("rollback takes no FILE (use --to N)");
    RollbackOptions options;
    options.apply.common = commonOptions();
    options.apply.marathon = marathonOptions();
    options.apply.chronos = chronosOptions();
    options.apply.store = storeOptions();
    options.apply.yes = FLAGS_yes;
    options.apply.force = FLAGS_force;
    options.apply.dryRun = FLAGS_dry_run;
    options.apply.message = FLAGS_message;
    options.apply.interactive = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
    if (FLAGS_planned_version >= 0) options.apply.plannedVersion = FLAGS_planned_version;
    if (!durationFlag("step_timeout", FLAGS_step_timeout, &options.apply.stepTimeoutSeconds) ||
        !durationFlag("lock_timeout", FLAGS_lock_timeout, &options.apply.lockTimeoutSeconds)) {
      return kExitError;
    }
    options.cluster = FLAGS_cluster;
    options.toVersion = FLAGS_to;
    return runRollback(options, std::cout, std::cerr);
  }
  if (command == "export") {
    if (!positional.empty()) return usageError("export takes no arguments (use --out FILE)");
    ExportOptions options{storeOptions(), FLAGS_cluster, FLAGS_out};
    return runExport(options, std::cout, std::cerr);
  }
  if (command == "inventory") {
    InventoryOptions options;
    options.store = storeOptions();
    options.cluster = FLAGS_cluster;
    options.host = FLAGS_host;
    options.fromFile = FLAGS_from;
    options.cephVolumeBinary = FLAGS_ceph_volume_binary;
    if (!positional.empty()) {
      return usageError("inventory takes no arguments (use --host HOST and --from FILE)");
    }
    if (!durationFlag("ceph_volume_timeout", FLAGS_ceph_volume_timeout,
                      &options.cephVolumeTimeoutSeconds)) {
      return kExitError;
    }
    return runInventory(options, std::cout, std::cerr);
  }
  if (command == "daemon") {
    DaemonCommandOptions options;
    options.common = commonOptions();
    options.marathon = marathonOptions();
    options.store = storeOptions();
    options.cluster = FLAGS_cluster;
    options.listen = FLAGS_listen;
    options.apiTokenFile = FLAGS_api_token_file;
    options.rgwMetricsUrl = FLAGS_rgw_metrics_url;
    options.rgwMetric = FLAGS_rgw_metric;
    if (!positional.empty()) return usageError("daemon takes no arguments (use --cluster NAME)");
    if (!durationFlag("resync_interval", FLAGS_resync_interval, &options.resyncSeconds)) {
      return kExitError;
    }
    return runDaemon(options, std::cout, std::cerr);
  }
  return usageError("unknown command '" + command + "'");
}
