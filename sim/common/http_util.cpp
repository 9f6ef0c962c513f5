#include "sim/common/http_util.h"

#include <nlohmann/json.hpp>
#include <thread>

namespace ceph_planner::sim {

namespace {
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::string HttpRequest::param(const std::string& key, const std::string& fallback) const {
  auto [b, e] = query.equal_range(key);
  if (b == e) return fallback;
  return std::prev(e)->second;
}

std::vector<std::string> HttpRequest::params(const std::string& key) const {
  std::vector<std::string> out;
  auto [b, e] = query.equal_range(key);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

bool HttpRequest::flag(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  std::string v = lower(param(key));
  return v == "true" || v.empty();
}

std::string HttpRequest::header(const std::string& lowerKey) const {
  auto it = headers.find(lowerKey);
  return it == headers.end() ? std::string() : it->second;
}

std::string normalisePath(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out.push_back(c);
  }
  if (out.empty()) return "/";
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string urlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size()) {
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) {
        out.push_back(c);
        continue;
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::multimap<std::string, std::string> parseQuery(std::string_view query) {
  std::multimap<std::string, std::string> out;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view part = query.substr(pos, amp - pos);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string_view::npos) {
        out.emplace(urlDecode(part), "");
      } else {
        out.emplace(urlDecode(part.substr(0, eq)), urlDecode(part.substr(eq + 1)));
      }
    }
    pos = amp + 1;
  }
  return out;
}

HttpResponse jsonText(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse textReply(int status, std::string body, std::string contentType) {
  HttpResponse r;
  r.status = status;
  r.contentType = std::move(contentType);
  r.body = std::move(body);
  return r;
}

void RequestLog::add(RequestLogEntry e) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(std::move(e));
}

std::vector<RequestLogEntry> RequestLog::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_;
}

void RequestLog::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
}

std::string RequestLog::toJson() const {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : snapshot()) {
    arr.push_back({{"method", e.method}, {"path", e.path}, {"status", e.status}, {"ms", e.ms}});
  }
  return arr.dump();
}

void FaultInjector::set(FaultRule rule) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& r : rules_) {
    if (r.method == rule.method && r.prefix == rule.prefix) {
      r = std::move(rule);
      return;
    }
  }
  rules_.push_back(std::move(rule));
}

void FaultInjector::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
}

std::vector<FaultRule> FaultInjector::rules() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rules_;
}

std::optional<HttpResponse> FaultInjector::apply(const HttpRequest& req) {
  FaultRule chosen;
  bool found = false;
  bool fail = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& r : rules_) {
      if (!r.method.empty() && r.method != req.method) continue;
      if (req.path.compare(0, r.prefix.size(), r.prefix) != 0) continue;
      if (!found || r.prefix.size() > chosen.prefix.size()) {
        chosen = r;
        found = true;
      }
    }
    if (!found) return std::nullopt;
    if (chosen.errorRate > 0) {
      std::uniform_real_distribution<double> dist(0.0, 1.0);
      fail = dist(rng_) < chosen.errorRate;
    }
  }
  if (chosen.latency.count() > 0) std::this_thread::sleep_for(chosen.latency);
  if (!fail) return std::nullopt;
  nlohmann::json body = {{"message", "injected fault on '" + chosen.prefix + "'"}};
  return jsonText(chosen.errorStatus, body.dump());
}

HttpHandler withLogAndFaults(HttpHandler inner, RequestLog& log, FaultInjector& faults,
                             std::string exemptPrefix) {
  return [inner = std::move(inner), &log, &faults,
          exempt = std::move(exemptPrefix)](const HttpRequest& req) {
    auto start = std::chrono::steady_clock::now();
    HttpResponse resp;
    bool isSim = !exempt.empty() && req.path.compare(0, exempt.size(), exempt) == 0;
    std::optional<HttpResponse> injected;
    if (!isSim) injected = faults.apply(req);
    resp = injected ? std::move(*injected) : inner(req);
    if (!isSim) {
      double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      log.add({req.method, req.path, resp.status, ms});
    }
    return resp;
  };
}

}  // namespace ceph_planner::sim
