#include <cstdlib>
#include <ostream>

#include "cli/file_io.h"
#include "cli/loading.h"
#include "engine/stored_inventory.h"
#include "topology/parse.h"

namespace ceph_planner::cli {

std::optional<LoadedTopology> validateTopologyText(std::string text, const std::string& source,
                                                   std::ostream& err, store::TopologyStore* store) {
  auto loaded = engine::loadTopologyWithStoredInventory(text, store);
  if (!loaded) {
    err << "error: " << loaded.error().message << "\n";
    return std::nullopt;
  }
  topology::ParsedTopology& parsed = loaded->parsed;
  int errors = 0;
  for (const auto& d : parsed.diagnostics) {
    err << d.toString(source) << "\n";
    if (d.severity == Severity::Error) ++errors;
  }
  if (errors > 0) {
    err << source << ": " << errors << (errors == 1 ? " error" : " errors")
        << " found; nothing was written\n";
    return std::nullopt;
  }
  return LoadedTopology{std::move(text), std::move(parsed.topology), std::move(loaded->inventory)};
}

std::optional<LoadedTopology> loadTopologyFile(const std::string& file, std::ostream& err,
                                               store::TopologyStore* store) {
  auto text = readFile(file);
  if (!text) {
    err << "error: " << text.error().message << "\n";
    return std::nullopt;
  }
  return validateTopologyText(std::move(text).value(), file, err, store);
}

std::optional<store::OpenedStore> openConfiguredStore(const StoreOptions& options,
                                                      std::ostream& err, bool* ok) {
  *ok = true;
  auto set = [](const std::string& flag, const char* variable) {
    const char* value = std::getenv(variable);
    return !flag.empty() || (value != nullptr && *value != '\0');
  };
  if (!set(options.zk, store::kZkConnectEnvVar) &&
      !set(options.stateDir, store::kFileStoreEnvVar)) {
    return std::nullopt;
  }
  auto opened = makeStore(options);
  if (!opened) {
    err << "error: " << opened.error().message << "\n";
    *ok = false;
    return std::nullopt;
  }
  return std::move(opened).value();
}

std::optional<topology::Topology> loadValidTopology(const std::string& file, std::ostream& err) {
  auto loaded = loadTopologyFile(file, err);
  if (!loaded) return std::nullopt;
  return std::move(loaded->topology);
}

Result<planner::TemplateSet> loadTemplates(const CommonOptions& options) {
  if (options.templatesDir.empty()) return planner::TemplateSet::builtin();
  auto files = readTemplateDir(options.templatesDir);
  if (!files) return files.error().withContext("cannot load templates");
  auto set = planner::TemplateSet::withOverrides(files.value());
  if (!set) return set.error().withContext("invalid templates in '" + options.templatesDir + "'");
  return set;
}

std::optional<planner::DesiredState> renderTopology(const topology::Topology& topology,
                                                    const CommonOptions& options, std::ostream& err,
                                                    const std::string& topologyVersion,
                                                    const topology::Inventory& inventory) {
  auto templates = loadTemplates(options);
  if (!templates) {
    err << "error: " << templates.error().message << "\n";
    return std::nullopt;
  }
  planner::RenderOptions renderOptions;
  if (!options.bootstrapUrl.empty()) renderOptions.bootstrapUrl = options.bootstrapUrl;
  renderOptions.topologyVersion = topologyVersion;
  auto desired = planner::render(topology, templates.value(), inventory, renderOptions);
  if (!desired) {
    err << "error: cannot render the topology: " << desired.error().message << "\n";
    return std::nullopt;
  }
  return std::move(desired).value();
}

}  // namespace ceph_planner::cli
