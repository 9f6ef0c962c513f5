#include <ostream>

#include "cli/commands.h"
#include "cli/loading.h"
#include "topology/devices.h"

namespace ceph_planner::cli {

int runValidate(const ValidateOptions& options, std::ostream& out, std::ostream& err) {
  bool storeOk = true;
  auto store = openConfiguredStore(options.store, err, &storeOk);
  if (!storeOk) return kExitError;
  auto loaded = loadTopologyFile(options.file, err, store ? store->store.get() : nullptr);
  if (!loaded) return kExitError;
  const topology::Topology* topology = &loaded->topology;
  // Rendering is part of validity: a topology whose apps cannot be rendered is not valid.
  auto desired = renderTopology(*topology, options.common, err, "0", loaded->inventory);
  if (!desired) return kExitError;
  if (!options.quiet) {
    auto slots = topology::resolveOsdSlots(*topology, loaded->inventory);
    out << options.file << ": valid (cluster '" << topology->cluster.name << "', "
        << topology->hosts.size() << " hosts, " << slots.slots.size() << " OSDs, "
        << desired->apps.size() << " Marathon apps)\n";
  }
  return kExitOk;
}

}  // namespace ceph_planner::cli
