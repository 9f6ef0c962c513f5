#pragma once

// The steps every subcommand shares: read and validate a topology (printing every diagnostic),
// load templates, render.

#include <iosfwd>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "planner/render.h"
#include "planner/templates.h"
#include "topology/model.h"

namespace ceph_planner::cli {

struct LoadedTopology {
  std::string text;  // The document as read (what the store keeps).
  topology::Topology topology;
};

// Parses and validates `text`; `source` names it in diagnostics (a file name, or `store v7`).
// Prints every diagnostic to `err` as `SOURCE:LINE:COL: ...`. nullopt when it has errors (warnings
// alone do not fail).
std::optional<LoadedTopology> validateTopologyText(std::string text, const std::string& source,
                                                   std::ostream& err);

// Reads `file`, then validateTopologyText.
std::optional<LoadedTopology> loadTopologyFile(const std::string& file, std::ostream& err);

// loadTopologyFile, keeping only the model.
std::optional<topology::Topology> loadValidTopology(const std::string& file, std::ostream& err);

// Built-in templates, with `--templates DIR` overrides when given.
Result<planner::TemplateSet> loadTemplates(const CommonOptions& options);

// loadTemplates + render; prints the error to `err` on failure.
std::optional<planner::DesiredState> renderTopology(const topology::Topology& topology,
                                                    const CommonOptions& options, std::ostream& err,
                                                    const std::string& topologyVersion = "0");

}  // namespace ceph_planner::cli
