#pragma once

// `CppRestMarathonClient`: `HttpMarathonClient` over cpprestsdk. This header is free of cpprest;
// only cpprest_marathon_client.cpp includes it, and every cpprest exception is caught there.

#include <memory>

#include "marathon_client/http_marathon_client.h"
#include "marathon_client/http_transport.h"

namespace ceph_planner::marathon {

class CppRestMarathonClient final : public HttpMarathonClient {
 public:
  // Validates `options` (see `validateOptions`; a `caFile` must be readable) and builds the client.
  static Result<std::unique_ptr<CppRestMarathonClient>> create(MarathonClientOptions options);

 private:
  CppRestMarathonClient(MarathonClientOptions options, HttpTransportPtr transport);
};

// The cpprest transport on its own (HTTP/1.1, keep-alive connections per origin, certificate
// verification always on, `caFile` added to the trusted roots when not empty).
HttpTransportPtr makeCppRestTransport(const std::string& caFile);

}  // namespace ceph_planner::marathon
