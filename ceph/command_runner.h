#pragma once

// Runs one short command (argv, no shell) and captures its output, with a deadline. Used by
// `CliCephAdmin` to run the `ceph` CLI; behind an interface so tests can substitute it.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace ceph_planner::ceph {

struct CommandOutput {
  int exitCode = -1;  // The process's exit status; 128 + N when killed by signal N.
  std::string out;
  std::string err;
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;

  // Runs `argv` (argv[0] looked up in `PATH` when it has no `/`) with the caller's environment,
  // stdin from /dev/null, in its own process group. A non-zero exit is a value, not an error.
  // Errors: `InvalidInput` (empty argv), `NotFound` (the executable does not exist), `Timeout`
  // (still running after `timeout`: the whole process group is SIGKILLed and reaped first),
  // `Internal` (pipes or spawn failed).
  virtual Result<CommandOutput> run(const std::vector<std::string>& argv,
                                    std::chrono::milliseconds timeout) = 0;
};

using CommandRunnerPtr = std::unique_ptr<CommandRunner>;

// The real runner (posix_spawn + poll).
CommandRunnerPtr makeProcessCommandRunner();

}  // namespace ceph_planner::ceph
