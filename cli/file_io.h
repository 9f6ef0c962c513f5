#pragma once

// File access for the CLI (the pure core never touches files).

#include <map>
#include <string>

#include "common/result.h"

namespace ceph_planner::cli {

// Whole file as text; `NotFound` / `InvalidInput` with the path in the message. "-" reads stdin.
Result<std::string> readFile(const std::string& path);

// Writes `content` to `path` atomically (temp file in the same directory + rename), creating parent
// directories.
Status writeFileAtomic(const std::string& path, const std::string& content);

// Every `*.json` file below `dir`, keyed by its path relative to `dir` (`docker/osd.json`).
Result<std::map<std::string, std::string>> readTemplateDir(const std::string& dir);

}  // namespace ceph_planner::cli
