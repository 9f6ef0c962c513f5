// `ceph-planner rollback --to N`: stores a NEW version whose document equals version N, through
// the normal apply path (plan shown, deletions confirmed, compare-and-set on the version read
// here, then the Marathon steps). History is never rewritten.

#include <ostream>

#include "cli/cmd_stored.h"
#include "cli/commands.h"

namespace ceph_planner::cli {

int runRollback(const RollbackOptions& options, std::ostream& out, std::ostream& err) {
  if (options.toVersion <= 0) {
    err << "error: rollback needs --to N, the stored version to return to\n";
    return kExitError;
  }
  ApplyOptions apply = options.apply;
  {
    // Read the target and the current version, then close the store before apply opens its own.
    auto stored = openStoredCluster(options.apply.store, options.cluster, err);
    if (!stored) return kExitError;
    auto current = readStoredVersion(*stored, std::nullopt, err);
    if (!current) return kExitError;
    auto target = readStoredVersion(*stored, options.toVersion, err);
    if (!target) return kExitError;
    err << "rollback: cluster '" << stored->cluster << "' is at v" << current->version
        << "; storing the document of v" << target->version << " (" << target->author << ", "
        << formatTimestampMs(target->timestampMs) << ") as a new version\n";
    if (current->yaml == target->yaml) {
      err << "rollback: v" << current->version << " already equals v" << target->version
          << "; only Marathon is brought in line\n";
    }
    apply.file = "stored v" + std::to_string(target->version);
    apply.text = target->yaml;
    if (apply.message.empty()) apply.message = "rollback to v" + std::to_string(target->version);
    // The compare-and-set is on the version read here unless the operator pinned an earlier one.
    if (!apply.plannedVersion) apply.plannedVersion = current->version;
  }
  return runApply(apply, out, err);
}

}  // namespace ceph_planner::cli
