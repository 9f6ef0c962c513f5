#include "ceph/cli_ceph_admin.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "ceph/ceph_json.h"
#include "common/strings.h"

namespace ceph_planner::ceph {
namespace {

std::string commandText(const std::vector<std::string>& command) {
  return "ceph " + joinStrings(command, " ");
}

// The first non-empty line of stderr without Ceph's `Error EXXX: ` prefix.
std::string cephMessage(const CommandOutput& output) {
  for (const auto& line : splitString(output.err, '\n')) {
    std::string text = trim(line);
    if (text.empty()) continue;
    if (text.rfind("Error E", 0) == 0) {
      auto colon = text.find(": ");
      if (colon != std::string::npos) text = text.substr(colon + 2);
    }
    return text;
  }
  return "";
}

std::string formatWeight(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

}  // namespace

Error cephCommandError(const std::string& command, const CommandOutput& output) {
  ErrorCode code = ErrorCode::Internal;
  switch (output.exitCode) {
    case EPERM:
    case EACCES:
      code = ErrorCode::PermissionDenied;
      break;
    case ENOENT:
    case EOPNOTSUPP:
      code = ErrorCode::NotFound;
      break;
    case EINVAL:
    case ERANGE:
      code = ErrorCode::InvalidInput;
      break;
    case ETIMEDOUT:
    case ECONNREFUSED:
    case EAGAIN:
    case ENOTCONN:
      code = ErrorCode::Unavailable;
      break;
    default:
      break;
  }
  std::string message = cephMessage(output);
  return makeError(code, "'" + command + "' failed with exit code " +
                             std::to_string(output.exitCode) +
                             (message.empty() ? "" : ": " + message));
}

std::vector<std::string> osdIdWords(const std::vector<int>& ids) {
  std::vector<std::string> words;
  for (int id : ids) words.push_back(std::to_string(id));
  return words;
}

std::vector<std::string> reweightWords(const ReweightBounds& bounds) {
  return {std::to_string(bounds.overloadPercent), formatWeight(bounds.maxChange),
          std::to_string(bounds.maxOsds)};
}

CliCephAdmin::CliCephAdmin(CliCephAdminOptions options, CommandRunnerPtr runner)
    : options_(std::move(options)), runner_(std::move(runner)) {}

std::vector<std::string> CliCephAdmin::argvFor(const std::vector<std::string>& command) const {
  std::vector<std::string> argv{options_.binary};
  if (!options_.conf.empty()) argv.insert(argv.end(), {"--conf", options_.conf});
  if (!options_.name.empty()) argv.insert(argv.end(), {"--name", options_.name});
  if (!options_.keyring.empty()) argv.insert(argv.end(), {"--keyring", options_.keyring});
  // Seconds, a little below our own deadline (at least 1).
  auto connect = std::max<int64_t>(
      1, std::chrono::duration_cast<std::chrono::seconds>(options_.timeout).count() - 1);
  argv.insert(argv.end(), {"--connect-timeout", std::to_string(connect)});
  argv.insert(argv.end(), command.begin(), command.end());
  argv.insert(argv.end(), {"-f", "json"});
  return argv;
}

Result<CommandOutput> CliCephAdmin::exec(const std::vector<std::string>& command) {
  auto output = runner_->run(argvFor(command), options_.timeout);
  if (!output) {
    Error e = output.error();
    // A missing CLI is a setup problem of this host, reported as the cluster being unreachable.
    if (e.code == ErrorCode::NotFound) e.code = ErrorCode::Unavailable;
    return e.withContext("cannot run '" + commandText(command) + "'");
  }
  return output;
}

Result<CommandOutput> CliCephAdmin::execOk(const std::vector<std::string>& command) {
  auto output = exec(command);
  if (!output) return output;
  if (output->exitCode != 0) return cephCommandError(commandText(command), output.value());
  return output;
}

Result<HealthReport> CliCephAdmin::health() {
  auto out = execOk({"health", "detail"});
  if (!out) return out.error();
  return parseHealth(out->out);
}

Result<PgStat> CliCephAdmin::pgStat() {
  auto out = execOk({"pg", "stat"});
  if (!out) return out.error();
  return parsePgStat(out->out);
}

Result<OsdDf> CliCephAdmin::osdDf() {
  auto out = execOk({"osd", "df"});
  if (!out) return out.error();
  return parseOsdDf(out->out);
}

Result<BalancerStatus> CliCephAdmin::balancerStatus() {
  auto out = execOk({"balancer", "status"});
  if (!out) return out.error();
  return parseBalancerStatus(out->out);
}

Result<QuorumStatus> CliCephAdmin::quorumStatus() {
  auto out = execOk({"quorum_status"});
  if (!out) return out.error();
  return parseQuorumStatus(out->out);
}

Result<OkToStop> CliCephAdmin::okToStop(const std::vector<int>& ids) {
  if (ids.empty()) return makeError(ErrorCode::InvalidInput, "ok-to-stop needs at least one OSD");
  std::vector<std::string> command{"osd", "ok-to-stop"};
  auto words = osdIdWords(ids);
  command.insert(command.end(), words.begin(), words.end());
  auto out = exec(command);
  if (!out) return out.error();
  // "No" is EBUSY; Ceph 16 prints the JSON verdict on stdout in both cases.
  if (out->exitCode != 0 && out->exitCode != EBUSY) {
    return cephCommandError(commandText(command), out.value());
  }
  auto verdict = parseOkToStop(out->out);
  if (!verdict) return verdict;
  if (out->exitCode == EBUSY) {
    verdict->ok = false;
    verdict->message = cephMessage(out.value());
  }
  return verdict;
}

Result<SafeToDestroy> CliCephAdmin::safeToDestroy(const std::vector<int>& ids) {
  if (ids.empty()) {
    return makeError(ErrorCode::InvalidInput, "safe-to-destroy needs at least one OSD");
  }
  std::vector<std::string> command{"osd", "safe-to-destroy"};
  auto words = osdIdWords(ids);
  command.insert(command.end(), words.begin(), words.end());
  auto out = exec(command);
  if (!out) return out.error();
  if (out->exitCode != 0 && out->exitCode != EBUSY) {
    return cephCommandError(commandText(command), out.value());
  }
  auto verdict = parseSafeToDestroy(out->out);
  if (!verdict) return verdict;
  if (out->exitCode == EBUSY) {
    verdict->safe = false;
    verdict->message = cephMessage(out.value());
  }
  return verdict;
}

Result<ReweightResult> CliCephAdmin::testReweightByUtilization(const ReweightBounds& bounds) {
  std::vector<std::string> command{"osd", "test-reweight-by-utilization"};
  auto words = reweightWords(bounds);
  command.insert(command.end(), words.begin(), words.end());
  auto out = execOk(command);
  if (!out) return out.error();
  auto result = parseReweightByUtilization(out->out);
  if (result) result->message = cephMessage(out.value());
  return result;
}

Status CliCephAdmin::setBalancerMode(const std::string& mode) {
  auto out = execOk({"balancer", "mode", mode});
  if (!out) return out.error();
  return okStatus();
}

Status CliCephAdmin::setBalancerActive(bool active) {
  auto out = execOk({"balancer", active ? "on" : "off"});
  if (!out) return out.error();
  return okStatus();
}

Result<BalancerOptimizeResult> CliCephAdmin::balancerOptimize(const std::string& plan) {
  std::vector<std::string> command{"balancer", "optimize", plan};
  auto out = exec(command);
  if (!out) return out.error();
  if (out->exitCode == EALREADY) return BalancerOptimizeResult{false, cephMessage(out.value())};
  if (out->exitCode != 0) return cephCommandError(commandText(command), out.value());
  return BalancerOptimizeResult{true, "plan '" + plan + "' created"};
}

Status CliCephAdmin::balancerExecute(const std::string& plan) {
  auto out = execOk({"balancer", "execute", plan});
  if (!out) return out.error();
  return okStatus();
}

Status CliCephAdmin::balancerRemove(const std::string& plan) {
  auto out = execOk({"balancer", "rm", plan});
  if (!out) return out.error();
  return okStatus();
}

Status CliCephAdmin::reweight(int osd, double weight) {
  if (weight < 0 || weight > 1) {
    return makeError(ErrorCode::InvalidInput,
                     "reweight of osd." + std::to_string(osd) + " must be in [0, 1]");
  }
  auto out = execOk({"osd", "reweight", std::to_string(osd), formatWeight(weight)});
  if (!out) return out.error();
  return okStatus();
}

Result<ReweightResult> CliCephAdmin::reweightByUtilization(const ReweightBounds& bounds) {
  std::vector<std::string> command{"osd", "reweight-by-utilization"};
  auto words = reweightWords(bounds);
  command.insert(command.end(), words.begin(), words.end());
  auto out = execOk(command);
  if (!out) return out.error();
  // Nothing over the threshold: Ceph prints "no change" and no JSON.
  if (trim(out->out).empty()) return ReweightResult{false, 0, 0, {}, cephMessage(out.value())};
  auto result = parseReweightByUtilization(out->out);
  if (result) result->message = cephMessage(out.value());
  return result;
}

}  // namespace ceph_planner::ceph
