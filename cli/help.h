#pragma once

#include <string>

namespace ceph_planner::cli {

// Help text for `ceph-planner help [COMMAND]` and `COMMAND --help`; "" names the overview.
// Returns false for an unknown command.
bool helpText(const std::string& command, std::string* text);

}  // namespace ceph_planner::cli
