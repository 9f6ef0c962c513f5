#include <ostream>

#include "cli/commands.h"
#include "cli/loading.h"
#include "topology/devices.h"

namespace ceph_planner::cli {

int runValidate(const ValidateOptions& options, std::ostream& out, std::ostream& err) {
  auto topology = loadValidTopology(options.file, err);
  if (!topology) return kExitError;
  // Rendering is part of validity: a topology whose apps cannot be rendered is not valid.
  auto desired = renderTopology(*topology, options.common, err);
  if (!desired) return kExitError;
  if (!options.quiet) {
    auto slots = topology::resolveOsdSlots(*topology);
    out << options.file << ": valid (cluster '" << topology->cluster.name << "', "
        << topology->hosts.size() << " hosts, " << slots.slots.size() << " OSDs, "
        << desired->apps.size() << " Marathon apps)\n";
  }
  return kExitOk;
}

}  // namespace ceph_planner::cli
