#include <ostream>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/loading.h"
#include "planner/app_json.h"

namespace ceph_planner::cli {

int runRender(const RenderOptions& options, std::ostream& out, std::ostream& err) {
  bool storeOk = true;
  auto store = openConfiguredStore(options.store, err, &storeOk);
  if (!storeOk) return kExitError;
  auto loaded = loadTopologyFile(options.file, err, store ? store->store.get() : nullptr);
  if (!loaded) return kExitError;
  auto desired = renderTopology(loaded->topology, options.common, err, "0", loaded->inventory);
  if (!desired) return kExitError;

  if (options.outDir.empty()) {
    out << planner::groupToJson(*desired, /*pretty=*/true) << "\n";
    return kExitOk;
  }
  // One file per app, mirroring the app id: `<out>/ceph/box/osd/ceph-box-1-osd0.json`.
  for (const auto& app : desired->apps) {
    std::string path = options.outDir + app.id + ".json";
    Status written = writeFileAtomic(path, planner::appToJson(app, /*pretty=*/true) + "\n");
    if (!written) {
      err << "error: " << written.error().message << "\n";
      return kExitError;
    }
  }
  err << "wrote " << desired->apps.size() << " app files under " << options.outDir << "\n";
  return kExitOk;
}

}  // namespace ceph_planner::cli
