#pragma once

// A parser for the Prometheus text exposition format (version 0.0.4), as served by the Ceph mgr's
// prometheus module and most exporters: `# TYPE`/`# HELP` lines and samples
// `name{label="value",...} value [timestamp]`. Enough for counters and gauges (histogram and
// summary series parse too, as plain samples). Pure: text in, samples out.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace ceph_planner::planner {

struct PrometheusSample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // As written (escapes decoded).
  double value = 0;                                         // NaN and ±Inf included.
  std::optional<int64_t> timestampMs;

  // The value of label `name`, or nullptr.
  const std::string* label(std::string_view name) const;
};

struct PrometheusPage {
  std::vector<PrometheusSample> samples;     // In page order.
  std::map<std::string, std::string> types;  // Metric family → `counter`, `gauge`, ...
};

// Parses a whole page. Blank lines and comments other than `# TYPE` are skipped. Errors:
// `InvalidInput` naming the 1-based line and what was expected, e.g.
// `line 4: expected '"' to open the value of label 'instance'`. The first error ends parsing.
Result<PrometheusPage> parsePrometheusText(std::string_view text);

}  // namespace ceph_planner::planner
