#pragma once

// A small Prometheus registry for the daemon's `/metrics`: counters and gauges with labels, and
// latency histograms. Thread-safe. Rendering follows the text exposition format (version 0.0.4):
// `# HELP` and `# TYPE` once per family, then one line per labelled series, families sorted by
// name and series by labels, so the output is stable.

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace ceph_planner::daemon {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  // Declares a family (idempotent). Series are created on first use.
  void declareCounter(const std::string& name, const std::string& help);
  void declareGauge(const std::string& name, const std::string& help);
  // `bounds` are the histogram's upper bounds in seconds, ascending.
  void declareHistogram(const std::string& name, const std::string& help,
                        std::vector<double> bounds);

  void increment(const std::string& name, const Labels& labels = {}, double by = 1.0);
  void set(const std::string& name, double value, const Labels& labels = {});
  void observe(const std::string& name, double seconds, const Labels& labels = {});

  // The current value of a counter or gauge series (0 when it does not exist); for tests and
  // `/status`.
  double value(const std::string& name, const Labels& labels = {}) const;

  std::string render() const;

 private:
  enum class Kind { Counter, Gauge, Histogram };
  struct Series {
    double value = 0;               // Counter/gauge.
    std::vector<uint64_t> buckets;  // Histogram: cumulative counts per bound.
    uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    Kind kind = Kind::Counter;
    std::string help;
    std::vector<double> bounds;
    std::map<Labels, Series> series;
  };
  Family& family(const std::string& name);  // Aborts for an undeclared name (a bug).

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// Escapes a label value (`\`, `"` and newlines).
std::string escapeLabelValue(const std::string& value);

}  // namespace ceph_planner::daemon
