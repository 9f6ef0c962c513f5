#include "ceph/fake_ceph_admin.h"

#include <fstream>
#include <set>
#include <sstream>

#include "common/strings.h"

namespace ceph_planner::ceph {
namespace {

// Commands that only read; everything else counts as a write.
const std::set<std::string>& readPrefixes() {
  static const std::set<std::string> prefixes = {
      "health",
      "status",
      "pg_stat",
      "osd_df",
      "osd_stat",
      "osd_tree",
      "osd_dump",
      "balancer_status",
      "balancer_eval",
      "balancer_show",
      "balancer_ls",
      "mon_stat",
      "mgr_stat",
      "quorum_status",
      "osd_ok-to-stop",
      "osd_safe-to-destroy",
      "osd_test-reweight-by-utilization",
      "version",
  };
  return prefixes;
}

bool readFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return true;
}

}  // namespace

std::string recordingKey(const std::vector<std::string>& argv) {
  static const std::set<std::string> withValue = {
      "--conf", "-c", "--name", "-n", "--keyring", "-k", "--connect-timeout", "-f", "--format"};
  std::vector<std::string> words;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (withValue.count(argv[i])) {
      ++i;  // Skip the option's value too.
      continue;
    }
    words.push_back(argv[i]);
  }
  return joinStrings(words, "_");
}

bool isWriteKey(const std::string& key) {
  for (const auto& prefix : readPrefixes()) {
    if (key == prefix || startsWith(key, prefix + "_")) return false;
  }
  return true;
}

RecordedCommandRunner::RecordedCommandRunner(std::string dir) : dir_(std::move(dir)) {}

Result<CommandOutput> RecordedCommandRunner::run(const std::vector<std::string>& argv,
                                                 std::chrono::milliseconds /*timeout*/) {
  std::string key = recordingKey(argv);
  std::string dir;
  {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(key);
    if (auto it = overrides_.find(key); it != overrides_.end()) return it->second;
    dir = dir_;
  }
  CommandOutput output;
  std::string base = dir + "/" + key;
  if (!readFile(base + ".json", &output.out)) {
    if (isWriteKey(key)) return CommandOutput{0, "", ""};
    return makeError(ErrorCode::Internal, "no recording '" + base + ".json'");
  }
  readFile(base + ".stderr", &output.err);
  std::string rc;
  output.exitCode = readFile(base + ".rc", &rc) ? std::stoi(trim(rc)) : 0;
  return output;
}

void RecordedCommandRunner::setDir(std::string dir) {
  std::lock_guard<std::mutex> lock(mu_);
  dir_ = std::move(dir);
}

void RecordedCommandRunner::override(const std::string& key, CommandOutput output) {
  std::lock_guard<std::mutex> lock(mu_);
  overrides_[key] = std::move(output);
}

void RecordedCommandRunner::clearOverrides() {
  std::lock_guard<std::mutex> lock(mu_);
  overrides_.clear();
}

std::vector<std::string> RecordedCommandRunner::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

void RecordedCommandRunner::clearCalls() {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.clear();
}

FakeCephAdmin::FakeCephAdmin(std::string stateDir)
    : FakeCephAdmin(std::make_unique<RecordedCommandRunner>(std::move(stateDir))) {}

FakeCephAdmin::FakeCephAdmin(std::unique_ptr<RecordedCommandRunner> runner)
    : runner_(runner.get()), cli_(CliCephAdminOptions{}, std::move(runner)) {}

std::vector<std::string> FakeCephAdmin::writes() const {
  std::vector<std::string> out;
  for (const auto& key : calls()) {
    if (isWriteKey(key)) out.push_back(key);
  }
  return out;
}

}  // namespace ceph_planner::ceph
