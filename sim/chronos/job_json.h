#pragma once

// The Chronos 3.x wire format of a job: the lenient input rules of its JobDeserializer (missing
// keys take defaults, values are coerced like Jackson's asText/asInt/asBoolean, JSON null is
// "present") and the output of its JobSerializer (every field, serializer order).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "sim/chronos/job.h"

namespace ceph_planner::chronos_sim {

// Errors (`InvalidInput`) stand for what Jersey/Jackson reject before Chronos code runs: malformed
// JSON, a non-object body, no `name`, environment variables without name/value, a bad network.
Result<ChronosJob> decodeJob(std::string_view body);

// The job object of `GET /v1/scheduler/job/{name}`. `forListing` applies the listing-only fill of
// `fetch` from `uris` (or the reverse) when just one of them is set.
nlohmann::ordered_json encodeJob(const ChronosJob& job, bool forListing = false);

}  // namespace ceph_planner::chronos_sim
