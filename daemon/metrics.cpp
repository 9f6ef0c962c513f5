#include "daemon/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace ceph_planner::daemon {
namespace {

std::string formatNumber(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<long long>(v));
  }
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

std::string labelText(const Labels& labels, const std::string& extraKey = "",
                      const std::string& extraValue = "") {
  if (labels.empty() && extraKey.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ",";
    first = false;
    out += k + "=\"" + escapeLabelValue(v) + "\"";
  }
  if (!extraKey.empty()) {
    if (!first) out += ",";
    out += extraKey + "=\"" + extraValue + "\"";
  }
  return out + "}";
}

}  // namespace

std::string escapeLabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Metrics::declareCounter(const std::string& name, const std::string& help) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& f = families_[name];
  f.kind = Kind::Counter;
  f.help = help;
}

void Metrics::declareGauge(const std::string& name, const std::string& help) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& f = families_[name];
  f.kind = Kind::Gauge;
  f.help = help;
}

void Metrics::declareHistogram(const std::string& name, const std::string& help,
                               std::vector<double> bounds) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& f = families_[name];
  f.kind = Kind::Histogram;
  f.help = help;
  f.bounds = std::move(bounds);
}

Metrics::Family& Metrics::family(const std::string& name) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    std::fprintf(stderr, "fatal: metric '%s' used before it was declared\n", name.c_str());
    std::abort();
  }
  return it->second;
}

void Metrics::increment(const std::string& name, const Labels& labels, double by) {
  std::lock_guard<std::mutex> lock(mu_);
  family(name).series[labels].value += by;
}

void Metrics::set(const std::string& name, double value, const Labels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  family(name).series[labels].value = value;
}

void Metrics::observe(const std::string& name, double seconds, const Labels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  Family& f = family(name);
  Series& s = f.series[labels];
  if (s.buckets.empty()) s.buckets.assign(f.bounds.size(), 0);
  for (size_t i = 0; i < f.bounds.size(); ++i) {
    if (seconds <= f.bounds[i]) ++s.buckets[i];
  }
  ++s.count;
  s.sum += seconds;
}

double Metrics::value(const std::string& name, const Labels& labels) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto s = it->second.series.find(labels);
  return s == it->second.series.end() ? 0 : s->second.value;
}

std::string Metrics::render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::ostringstream out;
  for (const auto& [name, f] : families_) {
    out << "# HELP " << name << " " << f.help << "\n";
    out << "# TYPE " << name << " "
        << (f.kind == Kind::Counter ? "counter"
            : f.kind == Kind::Gauge ? "gauge"
                                    : "histogram")
        << "\n";
    for (const auto& [labels, s] : f.series) {
      if (f.kind != Kind::Histogram) {
        out << name << labelText(labels) << " " << formatNumber(s.value) << "\n";
        continue;
      }
      for (size_t i = 0; i < f.bounds.size(); ++i) {
        out << name << "_bucket" << labelText(labels, "le", formatNumber(f.bounds[i])) << " "
            << s.buckets[i] << "\n";
      }
      out << name << "_bucket" << labelText(labels, "le", "+Inf") << " " << s.count << "\n";
      out << name << "_sum" << labelText(labels) << " " << formatNumber(s.sum) << "\n";
      out << name << "_count" << labelText(labels) << " " << s.count << "\n";
    }
  }
  return out.str();
}

}  // namespace ceph_planner::daemon
