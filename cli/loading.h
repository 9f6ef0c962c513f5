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

// Reads, parses and validates `file`. Prints every diagnostic to `err` as `FILE:LINE:COL: ...`.
// nullopt when the file cannot be read or has errors (warnings alone do not fail).
std::optional<topology::Topology> loadValidTopology(const std::string& file, std::ostream& err);

// Built-in templates, with `--templates DIR` overrides when given.
Result<planner::TemplateSet> loadTemplates(const CommonOptions& options);

// loadTemplates + render; prints the error to `err` on failure.
std::optional<planner::DesiredState> renderTopology(const topology::Topology& topology,
                                                    const CommonOptions& options,
                                                    std::ostream& err);

}  // namespace ceph_planner::cli
