#include <ostream>

#include "cli/file_io.h"
#include "cli/loading.h"
#include "topology/parse.h"

namespace ceph_planner::cli {

std::optional<LoadedTopology> validateTopologyText(std::string text, const std::string& source,
                                                   std::ostream& err) {
  topology::ParsedTopology parsed = topology::loadTopology(text);
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
  return LoadedTopology{std::move(text), std::move(parsed.topology)};
}

std::optional<LoadedTopology> loadTopologyFile(const std::string& file, std::ostream& err) {
  auto text = readFile(file);
  if (!text) {
    err << "error: " << text.error().message << "\n";
    return std::nullopt;
  }
  return validateTopologyText(std::move(text).value(), file, err);
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
                                                    const std::string& topologyVersion) {
  auto templates = loadTemplates(options);
  if (!templates) {
    err << "error: " << templates.error().message << "\n";
    return std::nullopt;
  }
  planner::RenderOptions renderOptions;
  if (!options.bootstrapUrl.empty()) renderOptions.bootstrapUrl = options.bootstrapUrl;
  renderOptions.topologyVersion = topologyVersion;
  auto desired = planner::render(topology, templates.value(), {}, renderOptions);
  if (!desired) {
    err << "error: cannot render the topology: " << desired.error().message << "\n";
    return std::nullopt;
  }
  return std::move(desired).value();
}

}  // namespace ceph_planner::cli
