#pragma once

// Shared pieces of the apply e2e suites: the `ceph-planner` binary run through a shell, a
// marathon-sim subprocess with its request log and task history read as JSON, and temp files.
// Test-only; everything binds to 127.0.0.1 (the simulator picks its own free port).

#include <nlohmann/json.hpp>

#include <filesystem>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "tests/contract/marathon_api/sim_process.h"

namespace ceph_planner::e2e {

struct ShellRun {
  int exitCode = -1;
  std::string output;  // stdout and stderr together.
};

// Runs `command` under /bin/sh, capturing stdout and (unless `withStderr` is false) stderr.
ShellRun runShell(const std::string& command, bool withStderr = true);

// A path below the repository root.
std::string sourcePath(const std::string& relative);
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& text);

// One entry of the simulator's request log (`GET /sim/requests`); `path` has no query string.
struct LoggedRequest {
  std::string method;
  std::string path;
  int status = 0;
  bool isWrite() const { return method != "GET"; }
};

// Copies the topology `source` to `dest` without its `chronos:` setting, so that apply has no
// Chronos jobs wave (these suites are about Marathon; no Chronos runs next to the simulator).
std::string withoutChronos(const std::string& source, const std::string& dest);

// A marathon-sim subprocess plus the HTTP calls a test makes to it (through curl).
class Simulator {
 public:
  Status start(const std::string& agentsFile, double timeScale);
  void stop() { process_.stop(); }
  const std::string& url() const { return process_.url(); }

  // `curl -s -X METHOD url+path [-d body]`; the output is the reply body.
  ShellRun call(const std::string& method, const std::string& path,
                const std::string& body = "") const;
  // GET `path` parsed as JSON; a parse failure gives a JSON null.
  nlohmann::json getJson(const std::string& path) const;

  std::vector<LoggedRequest> requests() const;
  bool clearRequests() const;
  // Every task ever launched: `{id, appId, host, startedAt, endedAt, state}` (simulated time).
  nlohmann::json history() const { return getJson("/sim/history"); }
  // Every app below `groupId` as `id → app JSON`, with labels and versions.
  std::map<std::string, nlohmann::json> apps(const std::string& groupId) const;

 private:
  marathon::testing::SimProcess process_;
};

// Counts the write (non-GET) requests in `log`.
int countWrites(const std::vector<LoggedRequest>& log);

// Runs `ceph-planner` against a simulator with a private file store in `stateDir`.
class PlannerCli {
 public:
  PlannerCli(const Simulator& sim, std::filesystem::path stateDir)
      : sim_(sim), stateDir_(std::move(stateDir)) {}

  static std::string binary();
  std::string commandLine(const std::string& args) const;
  ShellRun run(const std::string& args) const { return runShell(commandLine(args)); }
  // `plan -o json` and the like: stdout only, parsed (a JSON null when it is not JSON).
  nlohmann::json runJson(const std::string& args) const;
  // Starts the command in the background; the future yields its result.
  std::future<ShellRun> runAsync(const std::string& args) const;

 private:
  const Simulator& sim_;
  std::filesystem::path stateDir_;
};

// A fresh directory under the system temp dir, named after the running test; removed by the
// destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Simulated timestamps of `/sim/history` (`2026-01-01T00:00:12.345Z`) as milliseconds since the
// epoch; -1 for a null or malformed value.
long long parseSimTime(const nlohmann::json& value);

}  // namespace ceph_planner::e2e
