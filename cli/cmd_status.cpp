#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "cli/commands.h"
#include "cli/jobs_wave.h"
#include "cli/loading.h"
#include "cli/wiring.h"
#include "daemon/conditions.h"
#include "planner/diff.h"
#include "planner/status.h"

namespace ceph_planner::cli {
namespace {

// The topology to report on: the file, or the stored topology of the (only) cluster.
std::optional<LoadedTopology> statusTopology(const StatusOptions& options, std::ostream& err) {
  if (!options.file.empty()) {
    bool storeOk = true;
    auto configured = openConfiguredStore(options.store, err, &storeOk);
    if (!storeOk) return std::nullopt;
    return loadTopologyFile(options.file, err, configured ? configured->store.get() : nullptr);
  }
  auto store = makeStore(options.store);
  if (!store) {
    err << "error: " << store.error().message << "\n";
    return std::nullopt;
  }
  std::string cluster = options.cluster;
  if (cluster.empty()) {
    auto clusters = store->store->listClusters();
    if (!clusters) {
      err << "error: cannot list clusters: " << clusters.error().message << "\n";
      return std::nullopt;
    }
    if (clusters->size() != 1) {
      err << "error: "
          << (clusters->empty() ? "no cluster is stored in " : "several clusters are stored in ")
          << store->description << "; pass a topology FILE or --cluster NAME\n";
      return std::nullopt;
    }
    cluster = clusters->front();
  }
  auto record = store->store->getTopology(cluster);
  if (!record) {
    err << "error: cannot read the topology of cluster '" << cluster
        << "': " << record.error().message << "\n";
    return std::nullopt;
  }
  return validateTopologyText(record->yaml, "stored v" + std::to_string(record->version), err,
                              store->store.get());
}

// The status record the daemon last wrote to the store (conditions, pass, leader); nullopt when
// none was written or it cannot be read (status still reports the apps).
std::optional<daemon::ClusterStatusRecord> storedStatusRecord(const StoreOptions& storeOptions,
                                                              const std::string& cluster) {
  auto store = makeStore(storeOptions);
  if (!store) return std::nullopt;
  auto blob = store->store->getStatus(cluster);
  if (!blob) return std::nullopt;
  auto record = daemon::decodeStatusRecord(*blob);
  if (!record) return std::nullopt;
  return std::move(record).value();
}

nlohmann::ordered_json jobJson(const planner::JobSpec& job, const std::string& ownerName) {
  nlohmann::ordered_json j = {{"name", job.name}, {"owned", job.ownerName == ownerName}};
  if (job.isDependent()) {
    j["parents"] = job.parents;
  } else {
    j["schedule"] = job.schedule;
  }
  j["scheduleTimeZone"] = job.scheduleTimeZone;
  j["disabled"] = job.disabled;
  j["lastSuccess"] = job.lastSuccess;
  j["lastError"] = job.lastError;
  j["successCount"] = job.successCount;
  j["errorCount"] = job.errorCount;
  return j;
}

// `jobs` of `status -o json`: {"chronos": URL|null, "jobs": [...]} plus "skipped" or "error".
nlohmann::ordered_json jobsJson(const Result<JobsStatus>& status) {
  nlohmann::ordered_json out;
  if (!status) {
    out["chronos"] = nullptr;
    out["error"] = status.error().message;
    return out;
  }
  out["chronos"] =
      status->url.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(status->url);
  if (!status->skipNote.empty()) out["skipped"] = status->skipNote;
  out["jobs"] = nlohmann::ordered_json::array();
  for (const auto& job : status->jobs) out["jobs"].push_back(jobJson(job, status->ownerName));
  return out;
}

}  // namespace

int runStatus(const StatusOptions& options, std::ostream& out, std::ostream& err) {
  if (options.output != "text" && options.output != "json") {
    err << "error: unknown output format '" << options.output << "' (use text or json)\n";
    return kExitError;
  }
  auto loaded = statusTopology(options, err);
  if (!loaded) return kExitError;
  auto desired = renderTopology(loaded->topology, options.common, err, "0", loaded->inventory);
  if (!desired) return kExitError;
  auto marathon = makeMarathon(options.marathon, &loaded->topology);
  if (!marathon) {
    err << "error: " << marathon.error().message << "\n";
    return kExitError;
  }
  auto observed = marathon.value()->getGroup(desired->groupId);
  if (!observed) {
    err << "error: cannot read group '" << desired->groupId
        << "' from Marathon: " << observed.error().message << "\n";
    return kExitError;
  }
  auto plan = planner::diff(*desired, observed.value(), {loaded->topology.cluster.name});
  auto report = planner::buildStatus(*desired, observed.value(), plan);
  auto jobs = readJobsStatus(options.chronos, loaded->topology);
  // Stored-cluster mode also reports the daemon's conditions.
  std::optional<daemon::ClusterStatusRecord> record;
  if (options.file.empty())
    record = storedStatusRecord(options.store, loaded->topology.cluster.name);
  if (options.output == "json") {
    auto j = nlohmann::ordered_json::parse(planner::formatStatusJson(report));
    j["jobs"] = jobsJson(jobs);
    if (record) j["daemon"] = nlohmann::ordered_json::parse(daemon::encodeStatusRecord(*record));
    out << j.dump() << "\n";
  } else {
    out << planner::formatStatusText(report);
    if (jobs) {
      printJobsStatus(*jobs, out);
    } else {
      err << "warning: chronos jobs not shown: " << jobs.error().message << "\n";
    }
    if (record) {
      out << "\n"
          << daemon::formatConditionsText(*record, systemClock()->now().time_since_epoch().count());
    }
  }
  return report.degraded ? kExitDegraded : kExitOk;
}

}  // namespace ceph_planner::cli
