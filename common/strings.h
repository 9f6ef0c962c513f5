#pragma once

// Small string helpers shared by every module (no third-party dependencies).

#include <string>
#include <string_view>
#include <vector>

namespace ceph_planner {

std::vector<std::string> splitString(std::string_view text, char separator);
// Like splitString, but drops empty parts: `/a//b/` by '/' gives {"a", "b"} (path segments).
std::vector<std::string> splitNonEmpty(std::string_view text, char separator);
std::string joinStrings(const std::vector<std::string>& parts, std::string_view separator);
bool startsWith(std::string_view text, std::string_view prefix);
bool endsWith(std::string_view text, std::string_view suffix);
std::string toLower(std::string_view text);
std::string trim(std::string_view text);

// Levenshtein distance, for "did you mean" hints.
size_t editDistance(std::string_view a, std::string_view b);

// The closest candidate within a small edit distance, or "" when none is close enough.
std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates);

// Quotes a value for messages: `'value'`.
std::string quoted(std::string_view value);

}  // namespace ceph_planner
