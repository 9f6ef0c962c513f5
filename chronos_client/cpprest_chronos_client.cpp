#include "chronos_client/cpprest_chronos_client.h"

#include <fstream>

#include "common/strings.h"
#include "marathon_client/cpprest_marathon_client.h"
#include "marathon_client/urls.h"

namespace ceph_planner::chronos {

CppRestChronosClient::CppRestChronosClient(ChronosClientOptions options,
                                           marathon::HttpTransportPtr transport)
    : HttpChronosClient(std::move(options), std::move(transport)) {}

Result<std::unique_ptr<CppRestChronosClient>> CppRestChronosClient::create(
    ChronosClientOptions options) {
  if (auto status = validateOptions(options); !status) return status.error();
  if (!options.caFile.empty() && !std::ifstream(options.caFile)) {
    return makeError(ErrorCode::InvalidInput,
                     "cannot read ca file " + ceph_planner::quoted(options.caFile));
  }
  for (const auto& url : options.baseUrls) {
    std::string origin = marathon::originOf(url);
    if (origin.size() <= marathon::schemeOf(url).size() + 3) {
      return makeError(ErrorCode::InvalidInput, "invalid chronos url " + ceph_planner::quoted(url));
    }
  }
  auto transport = marathon::makeCppRestTransport(options.caFile);
  return std::unique_ptr<CppRestChronosClient>(
      new CppRestChronosClient(std::move(options), std::move(transport)));
}

}  // namespace ceph_planner::chronos
