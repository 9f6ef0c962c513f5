#include "tests/contract/chronos_sim/test_http.h"

#include <cpprest/http_client.h>

namespace ceph_planner::chronos_sim::testing {

Reply request(const std::string& method, const std::string& url, const std::string& body,
              const std::string& contentType) {
  Reply reply;
  try {
    web::http::client::http_client_config config;
    config.set_timeout(std::chrono::seconds(10));
    web::http::client::http_client client(url, config);
    web::http::http_request req(method);
    if (!body.empty()) req.set_body(body, contentType);
    web::http::http_response resp = client.request(req).get();
    reply.status = resp.status_code();
    reply.body = resp.extract_utf8string(true).get();
    for (const auto& [name, value] : resp.headers()) reply.headers[name] = value;
    reply.contentType = resp.headers().content_type();
  } catch (const std::exception& e) {
    reply.status = 0;
    reply.body = e.what();
  }
  return reply;
}

}  // namespace ceph_planner::chronos_sim::testing
