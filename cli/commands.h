#pragma once

// Subcommands of `ceph-planner`. Each takes already-parsed options (flags are read only in
// flags.cpp/main.cpp) and returns the process exit code. Output contract:
//   stdout: the command's result (plan, rendered JSON, tables);
//   stderr: diagnostics, errors and progress;
//   exit:   0 success / no changes, 1 error, 2 changes present (`plan --detailed-exitcode`).

#include <iosfwd>
#include <string>
#include <vector>

namespace ceph_planner::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitChanges = 2;

struct CommonOptions {
  std::string templatesDir;  // --templates: overrides for the built-in templates.
  std::string bootstrapUrl;  // --bootstrap_url: where tasks fetch ceph.conf and keyrings.
  bool color = false;        // Colour the plan (stdout is a TTY and --color not disabled).
};

struct ValidateOptions {
  CommonOptions common;
  std::string file;
  bool quiet = false;
};

struct RenderOptions {
  CommonOptions common;
  std::string file;
  std::string outDir;  // "" = the group JSON to stdout.
};

struct PlanOptions {
  CommonOptions common;
  std::string file;
  std::string observedFile;     // Saved `GET /v2/groups/<group>?embed=group.apps...` response.
  std::string output = "text";  // text | json
  bool detailedExitcode = false;
  bool showUnchanged = false;
};

int runValidate(const ValidateOptions& options, std::ostream& out, std::ostream& err);
int runRender(const RenderOptions& options, std::ostream& out, std::ostream& err);
int runPlan(const PlanOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ceph_planner::cli
