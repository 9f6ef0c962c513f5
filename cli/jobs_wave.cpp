#include "cli/jobs_wave.h"

#include <filesystem>
#include <ostream>

#include "chronos_client/cpprest_chronos_client.h"
#include "common/strings.h"
#include "engine/job_applier.h"
#include "planner/jobs.h"

namespace ceph_planner::cli {
namespace {

constexpr const char* kNoChronos =
    "skipped: no Chronos URL (pass --chronos URL or set cluster.chronos.url); the maintenance "
    "jobs are not registered";

std::string absolutePath(const std::string& path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

// `http://user:secret@host` would put the secret into the job's command line.
bool hasUserInfo(const std::string& url) {
  auto scheme = url.find("://");
  std::string rest = scheme == std::string::npos ? url : url.substr(scheme + 3);
  auto at = rest.find('@');
  return at != std::string::npos && at < rest.find('/');
}

std::string chronosUrlOf(const ChronosOptions& options, const topology::Topology& topology) {
  return options.url.empty() ? topology.cluster.chronosUrl : options.url;
}

std::string orNever(const std::string& when) {
  return when.empty() ? "never" : when;
}

}  // namespace

Result<chronos::ChronosApiPtr> makeChronos(const ChronosOptions& options,
                                           const topology::Topology& topology) {
  chronos::ChronosClientOptions client;
  std::string urls = chronosUrlOf(options, topology);
  if (urls.empty()) return makeError(ErrorCode::NotFound, "no chronos url");
  client.baseUrls = splitNonEmpty(urls, ',');
  client.callTimeout = std::chrono::seconds(options.timeoutSeconds);
  client.caFile = options.caFile;
  auto kind = marathon::parseAuthKind(options.authKind);
  if (!kind) return kind.error().withContext("--chronos_auth");
  if (kind.value() != marathon::AuthKind::None) {
    if (options.credentialsFile.empty() == options.credentialsEnv.empty()) {
      return makeError(ErrorCode::InvalidInput,
                       "--chronos_auth " + options.authKind +
                           " needs exactly one of --chronos_credentials_file or "
                           "--chronos_credentials_env");
    }
    marathon::AuthSource source{kind.value(), options.credentialsFile, options.credentialsEnv};
    auto credentials = marathon::loadCredentials(source);
    if (!credentials) return credentials.error().withContext("cannot load Chronos credentials");
    client.credentials = std::move(credentials).value();
  }
  auto made = chronos::CppRestChronosClient::create(std::move(client));
  if (!made) return made.error().withContext("cannot set up the Chronos client");
  return chronos::ChronosApiPtr(std::move(made).value());
}

Result<std::vector<std::string>> jobConnectionArgs(const MarathonOptions& marathon,
                                                   const StoreOptions& store) {
  std::vector<std::string> args;
  if (!marathon.urls.empty()) {
    for (const auto& url : marathon.urls) {
      if (hasUserInfo(url)) {
        return makeError(ErrorCode::InvalidInput,
                         "the Marathon URL " + ceph_planner::quoted(url) +
                             " holds credentials, which the maintenance jobs' command lines would "
                             "show in Chronos; use --marathon_credentials_file");
      }
    }
    args.insert(args.end(), {"--marathon", joinStrings(marathon.urls, ",")});
  }
  if (marathon.authKind != "none" && !marathon.authKind.empty()) {
    args.insert(args.end(), {"--marathon_auth", marathon.authKind});
    // Only where the secret is, never the secret: a file path or a variable NAME that must then
    // be set on the Mesos agents.
    if (!marathon.credentialsFile.empty()) {
      args.insert(args.end(),
                  {"--marathon_credentials_file", absolutePath(marathon.credentialsFile)});
    }
    if (!marathon.credentialsEnv.empty()) {
      args.insert(args.end(), {"--marathon_credentials_env", marathon.credentialsEnv});
    }
  }
  if (!marathon.caFile.empty()) {
    args.insert(args.end(), {"--marathon_ca_file", absolutePath(marathon.caFile)});
  }
  if (!store.zk.empty()) args.insert(args.end(), {"--zk", store.zk});
  if (!store.zkCredentialsFile.empty()) {
    args.insert(args.end(), {"--zk_credentials_file", absolutePath(store.zkCredentialsFile)});
  }
  if (!store.stateDir.empty())
    args.insert(args.end(), {"--state_dir", absolutePath(store.stateDir)});
  return args;
}

bool planJobsWave(const ChronosOptions& chronos, const MarathonOptions& marathon,
                  const StoreOptions& store, const topology::Topology& topology,
                  planner::Plan& plan, JobsContext& context, std::ostream& err) {
  const std::string url = chronosUrlOf(chronos, topology);
  if (url.empty()) {
    // Nothing to say when there is nothing to schedule.
    if (!topology.maintenance.empty()) plan.jobs.note = kNoChronos;
    return true;
  }
  auto client = makeChronos(chronos, topology);
  if (!client) {
    err << "error: " << client.error().message << "\n";
    return false;
  }
  auto args = jobConnectionArgs(marathon, store);
  if (!args) {
    err << "error: " << args.error().message << "\n";
    return false;
  }
  planner::JobRenderOptions render;
  render.plannerBinary = chronos.jobBinary;
  render.connectionArgs = std::move(args).value();
  auto desired = planner::renderJobs(topology, render);
  if (!desired) {
    err << "error: " << desired.error().message << "\n";
    return false;
  }
  auto observed = client.value()->listJobs();
  if (!observed) {
    err << "error: cannot read jobs from Chronos at " << url << ": " << observed.error().message
        << "\n";
    return false;
  }
  plan.jobs = planner::diffJobs(desired.value(), observed.value(), topology.cluster.name);
  plan.jobs.chronosUrl = url;
  context.chronos = std::move(client).value();
  context.observed = std::move(observed).value();
  return true;
}

bool applyJobsWave(const planner::Plan& plan, JobsContext& context, engine::ApplyListener& listener,
                   std::ostream& out, std::ostream& err) {
  if (!plan.jobs.planned || !context.chronos) return true;
  if (!plan.jobs.hasChanges()) {
    out << "Chronos jobs: nothing to do.\n";
    return true;
  }
  engine::JobApplier applier(*context.chronos, listener);
  auto report = applier.apply(plan.jobs, context.observed);
  if (!report) {
    err << "error: " << report.error().message << "\n";
    return false;
  }
  out << "Chronos jobs: " << report->created << " created, " << report->updated << " updated, "
      << report->deleted << " deleted.\n";
  return true;
}

Result<JobsStatus> readJobsStatus(const ChronosOptions& chronos,
                                  const topology::Topology& topology) {
  JobsStatus status;
  status.url = chronosUrlOf(chronos, topology);
  status.ownerName = planner::jobOwnerName(topology.cluster.name);
  if (status.url.empty()) {
    if (!topology.maintenance.empty()) status.skipNote = kNoChronos;
    return status;
  }
  auto client = makeChronos(chronos, topology);
  if (!client) return client.error();
  auto jobs = client.value()->listJobs();
  if (!jobs) return jobs.error().withContext("cannot list the jobs at " + status.url);
  const std::string prefix = planner::jobPrefix(topology.cluster.name);
  for (auto& j : jobs.value()) {
    if (startsWith(j.name, prefix)) status.jobs.push_back(std::move(j));
  }
  return status;
}

void printJobsStatus(const JobsStatus& status, std::ostream& out) {
  if (status.url.empty()) {
    if (!status.skipNote.empty()) out << "\nChronos jobs: " << status.skipNote << "\n";
    return;
  }
  out << "\nChronos jobs at " << status.url << " (" << status.jobs.size() << "):\n";
  if (status.jobs.empty()) return;
  size_t width = 4;
  for (const auto& j : status.jobs) width = std::max(width, j.name.size());
  auto pad = [](const std::string& s, size_t w) {
    return s + std::string(w > s.size() ? w - s.size() : 0, ' ');
  };
  out << "  " << pad("NAME", width) << "  " << pad("SCHEDULE", 40) << "  "
      << pad("LAST SUCCESS", 24) << "  " << pad("LAST ERROR", 24) << "  OK  ERR\n";
  for (const auto& j : status.jobs) {
    std::string when = j.isDependent() ? "after " + joinStrings(j.parents, ",") : j.schedule;
    if (!j.scheduleTimeZone.empty()) when += " " + j.scheduleTimeZone;
    if (j.disabled) when += " (disabled)";
    std::string name = j.ownerName == status.ownerName ? j.name : j.name + " (foreign)";
    out << "  " << pad(name, width) << "  " << pad(when, 40) << "  "
        << pad(orNever(j.lastSuccess), 24) << "  " << pad(orNever(j.lastError), 24) << "  "
        << j.successCount << "  " << j.errorCount << "\n";
  }
}

}  // namespace ceph_planner::cli
