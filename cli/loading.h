#pragma once

// The steps every subcommand shares: read and validate a topology (printing every diagnostic),
// load templates, render.

#include <iosfwd>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "planner/render.h"
#include "planner/templates.h"
#include "store/store_factory.h"
#include "topology/inventory.h"
#include "topology/model.h"

namespace ceph_planner::cli {

struct LoadedTopology {
  std::string text;  // The document as read (what the store keeps).
  topology::Topology topology;
  // Stored inventories (`inventory/<host>`) of hosts without inline `devices:`, as validation used
  // them; render with the same. Empty when no store was given.
  topology::Inventory inventory;
};

// Parses and validates `text`; `source` names it in diagnostics (a file name, or `store v7`).
// Prints every diagnostic to `err` as `SOURCE:LINE:COL: ...`. nullopt when it has errors (warnings
// alone do not fail). With a `store`, hosts without inline devices resolve against their stored
// inventories (engine/stored_inventory.h); a store that cannot be read is an error.
std::optional<LoadedTopology> validateTopologyText(std::string text, const std::string& source,
                                                   std::ostream& err,
                                                   store::TopologyStore* store = nullptr);

// Reads `file`, then validateTopologyText.
std::optional<LoadedTopology> loadTopologyFile(const std::string& file, std::ostream& err,
                                               store::TopologyStore* store = nullptr);

// For the offline commands (validate, render, plan --observed): the store, only when one is
// configured explicitly (--zk, --state_dir or their environment variables), so that they keep
// working without one. nullopt when none is configured; prints the error to `err` and sets `*ok`
// to false when the configured store cannot be opened.
std::optional<store::OpenedStore> openConfiguredStore(const StoreOptions& options,
                                                      std::ostream& err, bool* ok);

// loadTopologyFile, keeping only the model.
std::optional<topology::Topology> loadValidTopology(const std::string& file, std::ostream& err);

// Built-in templates, with `--templates DIR` overrides when given.
Result<planner::TemplateSet> loadTemplates(const CommonOptions& options);

// loadTemplates + render; prints the error to `err` on failure. `inventory`: the stored
// inventories validation used (`LoadedTopology::inventory`).
std::optional<planner::DesiredState> renderTopology(const topology::Topology& topology,
                                                    const CommonOptions& options, std::ostream& err,
                                                    const std::string& topologyVersion = "0",
                                                    const topology::Inventory& inventory = {});

}  // namespace ceph_planner::cli
