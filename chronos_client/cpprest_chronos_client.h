#pragma once

// `CppRestChronosClient`: `HttpChronosClient` over the cpprest transport that marathon_client
// provides (`marathon::makeCppRestTransport`: keep-alive per origin, certificate verification
// always on, an optional extra CA file). Free of cpprest; nothing here includes it.

#include <memory>

#include "chronos_client/http_chronos_client.h"

namespace ceph_planner::chronos {

class CppRestChronosClient final : public HttpChronosClient {
 public:
  // Validates `options` (`validateOptions`; a `caFile` must be readable) and builds the client.
  static Result<std::unique_ptr<CppRestChronosClient>> create(ChronosClientOptions options);

 private:
  CppRestChronosClient(ChronosClientOptions options, marathon::HttpTransportPtr transport);
};

}  // namespace ceph_planner::chronos
