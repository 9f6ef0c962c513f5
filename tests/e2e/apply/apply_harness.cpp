#include "tests/e2e/apply/apply_harness.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace ceph_planner::e2e {

namespace fs = std::filesystem;

ShellRun runShell(const std::string& command, bool withStderr) {
  ShellRun run;
  FILE* pipe = popen((command + (withStderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    run.output.append(buffer.data(), n);
  }
  int status = pclose(pipe);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string sourcePath(const std::string& relative) {
  return std::string(CP_SOURCE_DIR) + "/" + relative;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string withoutChronos(const std::string& source, const std::string& dest) {
  std::istringstream in(readFile(source));
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.find("chronos:") == std::string::npos) out += line + "\n";
  }
  writeFile(dest, out);
  return dest;
}

Status Simulator::start(const std::string& agentsFile, double timeScale) {
  return process_.start(agentsFile, timeScale);
}

ShellRun Simulator::call(const std::string& method, const std::string& path,
                         const std::string& body) const {
  std::string command = "curl -s -X " + method + " '" + url() + path + "'";
  // Bodies are test literals without single quotes.
  if (!body.empty()) command += " -H 'Content-Type: application/json' -d '" + body + "'";
  return runShell(command);
}

nlohmann::json Simulator::getJson(const std::string& path) const {
  ShellRun reply = call("GET", path);
  return nlohmann::json::parse(reply.output, nullptr, /*allow_exceptions=*/false);
}

std::vector<LoggedRequest> Simulator::requests() const {
  std::vector<LoggedRequest> out;
  nlohmann::json log = getJson("/sim/requests");
  if (!log.is_array()) {
    ADD_FAILURE() << "unreadable request log";
    return out;
  }
  for (const auto& entry : log) {
    LoggedRequest r;
    r.method = entry.value("method", "");
    r.path = entry.value("path", "");
    r.status = entry.value("status", 0);
    out.push_back(r);
  }
  return out;
}

bool Simulator::clearRequests() const {
  return call("DELETE", "/sim/requests").exitCode == 0;
}

std::map<std::string, nlohmann::json> Simulator::apps(const std::string& groupId) const {
  std::map<std::string, nlohmann::json> out;
  nlohmann::json reply = getJson("/v2/apps?embed=apps.counts");
  if (!reply.is_object() || !reply.contains("apps")) {
    ADD_FAILURE() << "unreadable app list";
    return out;
  }
  for (const auto& app : reply["apps"]) {
    std::string id = app.value("id", "");
    if (id.rfind(groupId + "/", 0) == 0) out[id] = app;
  }
  return out;
}

int countWrites(const std::vector<LoggedRequest>& log) {
  int n = 0;
  for (const auto& r : log) n += r.isWrite();
  return n;
}

std::string PlannerCli::binary() {
  return std::string(CP_BINARY_DIR) + "/cli/ceph-planner";
}

std::string PlannerCli::commandLine(const std::string& args) const {
  return binary() + " " + args + " --marathon " + sim_.url() + " --state_dir " +
         (stateDir_ / "store").string();
}

nlohmann::json PlannerCli::runJson(const std::string& args) const {
  ShellRun run = runShell(commandLine(args), /*withStderr=*/false);
  return nlohmann::json::parse(run.output, nullptr, /*allow_exceptions=*/false);
}

std::future<ShellRun> PlannerCli::runAsync(const std::string& args) const {
  return std::async(std::launch::async,
                    [command = commandLine(args)] { return runShell(command); });
}

TempDir::TempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info != nullptr ? info->name() : "harness";
  path_ = fs::temp_directory_path() / ("cp-e2e-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

long long parseSimTime(const nlohmann::json& value) {
  if (!value.is_string()) return -1;
  std::tm tm{};
  int millis = 0;
  const std::string text = value.get<std::string>();
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) != 7) {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<long long>(timegm(&tm)) * 1000 + millis;
}

}  // namespace ceph_planner::e2e
