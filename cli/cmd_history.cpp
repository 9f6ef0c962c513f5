// `ceph-planner history`: every stored version of a cluster's topology, oldest first.

#include <algorithm>
#include <iomanip>
#include <ostream>

#include "cli/cmd_json.h"
#include "cli/cmd_stored.h"
#include "cli/commands.h"

namespace ceph_planner::cli {
namespace {

void printTable(const std::vector<store::TopologyVersionInfo>& versions, std::ostream& out) {
  size_t authorWidth = 6;
  for (const auto& v : versions) authorWidth = std::max(authorWidth, v.author.size());
  out << std::left << std::setw(9) << "VERSION" << std::setw(26) << "TIME"
      << std::setw(static_cast<int>(authorWidth) + 2) << "AUTHOR" << std::right << std::setw(10)
      << "SIZE"
      << "  MESSAGE\n";
  for (const auto& v : versions) {
    std::string version = "v" + std::to_string(v.version);
    if (&v == &versions.back()) version += "*";
    out << std::left << std::setw(9) << version << std::setw(26) << formatTimestampMs(v.timestampMs)
        << std::setw(static_cast<int>(authorWidth) + 2) << v.author << std::right << std::setw(10)
        << v.sizeBytes << "  " << v.message << "\n";
  }
  out << std::left;
}

}  // namespace

int runHistory(const HistoryOptions& options, std::ostream& out, std::ostream& err) {
  if (options.output != "text" && options.output != "json") {
    err << "error: unknown output format '" << options.output << "' (use text or json)\n";
    return kExitError;
  }
  auto stored = openStoredCluster(options.store, options.cluster, err);
  if (!stored) return kExitError;
  auto versions = stored->store->listHistory(stored->cluster);
  if (!versions) {
    err << "error: cannot read the history of cluster '" << stored->cluster
        << "': " << versions.error().message << "\n";
    return kExitError;
  }
  if (options.output == "json") {
    out << historyJson(stored->cluster, *versions) << "\n";
    return kExitOk;
  }
  if (versions->empty()) {
    out << "cluster '" << stored->cluster << "' has no stored topology yet\n";
    return kExitOk;
  }
  printTable(*versions, out);
  out << versions->size() << (versions->size() == 1 ? " version" : " versions") << " of cluster '"
      << stored->cluster << "' in " << stored->description << "; * = current\n";
  return kExitOk;
}

}  // namespace ceph_planner::cli
