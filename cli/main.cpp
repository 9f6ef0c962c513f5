// ceph-planner: the one binary. Parses flags (gflags), picks the subcommand and hands it plain
// option structs. Flags are read here and nowhere else.

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/help.h"

DECLARE_bool(help);
DECLARE_bool(version);

namespace {

using namespace ceph_planner::cli;

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
  int count = argc;
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

  if (command == "validate") {
    ValidateOptions options;
    options.common = commonOptions();
    options.quiet = FLAGS_quiet;
    if (!oneFile(positional, command, &options.file)) return kExitError;
    return runValidate(options, std::cout, std::cerr);
  }
  if (command == "render") {
    RenderOptions options;
    options.common = commonOptions();
    options.outDir = FLAGS_out;
    if (!oneFile(positional, command, &options.file)) return kExitError;
    return runRender(options, std::cout, std::cerr);
  }
  if (command == "plan") {
    PlanOptions options;
    options.common = commonOptions();
    options.observedFile = FLAGS_observed;
    options.output = FLAGS_o.empty() ? FLAGS_output : FLAGS_o;
    options.detailedExitcode = FLAGS_detailed_exitcode;
    options.showUnchanged = FLAGS_show_unchanged;
    if (!oneFile(positional, command, &options.file)) return kExitError;
    return runPlan(options, std::cout, std::cerr);
  }
  return usageError("unknown command '" + command + "'");
}
