#include "cli/cmd_stored.h"

#include <ostream>

#include "common/iso8601.h"
#include "common/strings.h"

namespace ceph_planner::cli {
namespace {

std::string quotedList(const std::vector<std::string>& names) {
  std::vector<std::string> parts;
  for (const auto& name : names) parts.push_back(quoted(name));
  return joinStrings(parts, ", ");
}

}  // namespace

std::optional<StoredCluster> openStoredCluster(const StoreOptions& options,
                                               const std::string& cluster, std::ostream& err) {
  auto opened = makeStore(options);
  if (!opened) {
    err << "error: " << opened.error().message << "\n";
    return std::nullopt;
  }
  StoredCluster stored{std::move(opened->store), opened->description, cluster};
  auto clusters = stored.store->listClusters();
  if (!clusters) {
    err << "error: cannot list the clusters in " << stored.description << ": "
        << clusters.error().message << "\n";
    return std::nullopt;
  }
  if (cluster.empty()) {
    if (clusters->size() == 1) {
      stored.cluster = clusters->front();
      return stored;
    }
    if (clusters->empty()) {
      err << "error: no cluster is stored in " << stored.description
          << "; apply a topology first\n";
    } else {
      err << "error: several clusters are stored in " << stored.description << " ("
          << quotedList(*clusters) << "); pass --cluster NAME\n";
    }
    return std::nullopt;
  }
  for (const auto& name : *clusters) {
    if (name == cluster) return stored;
  }
  err << "error: cluster " << quoted(cluster) << " is not stored in " << stored.description;
  std::string hint = closestMatch(cluster, *clusters);
  if (!hint.empty()) {
    err << "; did you mean " << quoted(hint) << "?";
  } else if (!clusters->empty()) {
    err << " (stored: " << quotedList(*clusters) << ")";
  }
  err << "\n";
  return std::nullopt;
}

std::optional<store::TopologyRecord> readStoredVersion(StoredCluster& stored,
                                                       std::optional<int64_t> version,
                                                       std::ostream& err) {
  auto record = version ? stored.store->getTopologyVersion(stored.cluster, *version)
                        : stored.store->getTopology(stored.cluster);
  if (record) return std::move(record).value();
  std::string what = version ? "version " + std::to_string(*version) : std::string("the topology");
  if (record.error().code == ErrorCode::NotFound) {
    err << "error: " << what << " of cluster " << quoted(stored.cluster) << " does not exist";
    auto current = stored.store->getTopology(stored.cluster);
    if (current) err << " (versions 1 to " << current->version << ")";
    err << "\n";
  } else {
    err << "error: cannot read " << what << " of cluster " << quoted(stored.cluster) << ": "
        << record.error().message << "\n";
  }
  return std::nullopt;
}

std::string formatTimestampMs(int64_t timestampMs) {
  int64_t seconds = timestampMs / 1000;
  int millis = static_cast<int>(timestampMs % 1000);
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  return iso8601::formatDateTime(seconds, millis);
}

}  // namespace ceph_planner::cli
