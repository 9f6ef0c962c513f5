#pragma once

// Builds small topology documents for tests: a valid base document whose top-level sections can be
// replaced one by one, and `@@` markers that give the exact line:col a diagnostic must point at.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/diagnostics.h"

namespace ceph_planner::topology::testing {

using Sections = std::map<std::string, std::string>;

// The base document with `overrides` applied: a section replaced by its text, removed by "", and
// unknown section names appended at the end in name order.
std::string buildDoc(const Sections& overrides = {});

// Strips the first `@@` from `text`; returns the 1-based line:col where it was ({0,0} if none).
std::pair<int, int> takeMarker(std::string* text);

// `SEVERITY LINE:COL PATH: MESSAGE` lines, for readable failure output.
std::string describe(const Diagnostics& diagnostics);

}  // namespace ceph_planner::topology::testing
