#pragma once

// The HTTP surface of chronos-sim: Chronos 3.x routes under `/v1/scheduler`, `/ping`, and the
// simulator's own `/sim/...` routes (request log, fault rules, task history). Pure request →
// response mapping on sim/common's plain types; no cpprest here.

#include <string>

#include "sim/chronos/engine.h"
#include "sim/common/http_types.h"
#include "sim/common/http_util.h"

namespace ceph_planner::chronos_sim {

// `leader` is what `GET /v1/scheduler/leader` reports (`host:port`). The returned handler already
// logs requests into `log` and applies `faults` (both skip `/sim/`), and adds the CORS header
// Chronos puts on every response.
sim::HttpHandler makeChronosApi(ChronosEngine& engine, sim::RequestLog& log,
                                sim::FaultInjector& faults, std::string leader);

}  // namespace ceph_planner::chronos_sim
