// `ceph-planner export`: the current topology of a cluster, byte for byte as stored, to stdout or
// to a file (for review, for another store, or to plan against later).

#include <ostream>

#include "cli/cmd_stored.h"
#include "cli/commands.h"
#include "cli/file_io.h"

namespace ceph_planner::cli {

int runExport(const ExportOptions& options, std::ostream& out, std::ostream& err) {
  auto stored = openStoredCluster(options.store, options.cluster, err);
  if (!stored) return kExitError;
  auto record = readStoredVersion(*stored, std::nullopt, err);
  if (!record) return kExitError;
  if (options.outFile.empty()) {
    out << record->yaml << std::flush;
    return kExitOk;
  }
  if (Status written = writeFileAtomic(options.outFile, record->yaml); !written) {
    err << "error: cannot export cluster '" << stored->cluster << "': " << written.error().message
        << "\n";
    return kExitError;
  }
  err << "exported cluster '" << stored->cluster << "' v" << record->version << " ("
      << record->yaml.size() << " bytes) to " << options.outFile << "\n";
  return kExitOk;
}

}  // namespace ceph_planner::cli
