#include <ostream>

#include "cli/file_io.h"
#include "cli/loading.h"
#include "topology/parse.h"

namespace ceph_planner::cli {

std::optional<topology::Topology> loadValidTopology(const std::string& file, std::ostream& err) {
  auto text = readFile(file);
  if (!text) {
    err << "error: " << text.error().message << "\n";
    return std::nullopt;
  }
  topology::ParsedTopology parsed = topology::loadTopology(text.value());
  int errors = 0;
  for (const auto& d : parsed.diagnostics) {
    err << d.toString(file) << "\n";
    if (d.severity == Severity::Error) ++errors;
  }
  if (errors > 0) {
    err << file << ": " << errors << (errors == 1 ? " error" : " errors")
        << " found; nothing was written\n";
    return std::nullopt;
  }
  return std::move(parsed.topology);
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
                                                    const CommonOptions& options,
                                                    std::ostream& err) {
  auto templates = loadTemplates(options);
  if (!templates) {
    err << "error: " << templates.error().message << "\n";
    return std::nullopt;
  }
  planner::RenderOptions renderOptions;
  if (!options.bootstrapUrl.empty()) renderOptions.bootstrapUrl = options.bootstrapUrl;
  auto desired = planner::render(topology, templates.value(), {}, renderOptions);
  if (!desired) {
    err << "error: cannot render the topology: " << desired.error().message << "\n";
    return std::nullopt;
  }
  return std::move(desired).value();
}

}  // namespace ceph_planner::cli
