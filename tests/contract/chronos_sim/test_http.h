#pragma once

// A blocking HTTP client for the contract tests (cpprest underneath, only in test_http.cpp).

#include <map>
#include <string>

namespace ceph_planner::chronos_sim::testing {

struct Reply {
  int status = 0;  // 0: the request failed before any response (see `body`).
  std::string body;
  std::string contentType;
  std::map<std::string, std::string> headers;
};

Reply request(const std::string& method, const std::string& url, const std::string& body = "",
              const std::string& contentType = "application/json");

}  // namespace ceph_planner::chronos_sim::testing
