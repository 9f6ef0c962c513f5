#pragma once

// The daemon's HTTP API as plain values: routing, write authentication and request parsing, with
// the work behind an interface (`ApiHandlers`, implemented by the daemon runtime). The cpprest
// listener (http_server.h) only converts to and from these types, so everything here is testable
// without a socket. Shapes are documented in docs/daemon.md.
//
//   GET  /health                                   liveness (leader or follower), never 5xx
//   GET  /status                                   JSON: leadership, conditions, last pass
//   GET  /metrics                                  Prometheus text
//   GET  /plan                                     JSON plan of the leader's last pass
//   POST /flexup, /flexdown                        RGW instances ± count (token required)
//   POST /flexup {"kind":"osd", ...}               add a host's device as an OSD (osd_flexup.h)
//   GET  /v1/clusters/<cluster>/files/<name>       bootstrap files (per-task check, never listed)

#include <map>
#include <optional>
#include <string>

#include "common/result.h"
#include "topology/model.h"

namespace ceph_planner::daemon {

struct HttpRequest {
  std::string method;  // GET, POST, ...
  std::string path;    // Without the query string.
  std::map<std::string, std::string> query;
  std::string authorization;  // The `Authorization` header ("" if absent).
  std::string body;
  std::string peerAddress;  // The client's IP address.
};

struct HttpResponse {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
};

// `{"error": message}` with `status`.
HttpResponse errorResponse(int status, const std::string& message);
// The HTTP status for an error code (400, 404, 409, 503, 504, 403, 500).
int httpStatusFor(ErrorCode code);

// POST /flexup and /flexdown body: `{"kind": "rgw", "service": "<service_id>", "count": N}`.
// `kind` defaults to `rgw`, `count` to 1 (1..100).
struct FlexRequest {
  std::string kind = "rgw";
  std::string service;
  int count = 1;
};
Result<FlexRequest> parseFlexRequest(const std::string& body);

// POST /flexup body with `"kind": "osd"`:
// `{"kind":"osd","host":"stor03","device":{"path":"/dev/sdq","size":"8T","rotational":true,
//   "model":"...","vendor":"...","serial":"..."},"group":"hdd"}`. `device.path` (absolute) and
// `host` are required; `group` may be omitted when exactly one OSD group places the host.
struct OsdFlexRequest {
  std::string host;
  topology::Device device;
  std::string group;
};
Result<OsdFlexRequest> parseOsdFlexRequest(const std::string& body);

// What `/flexdown` answers for `"kind": "osd"`: the API never removes OSDs.
inline constexpr char kOsdFlexdownRefusal[] =
    "the daemon never removes OSDs: an OSD leaves only through the safe drain; take the device "
    "out of the topology and run `ceph-planner apply` (the deletion is held as "
    "StatefulAppsPendingDrain until it is drained)";

class ApiHandlers {
 public:
  virtual ~ApiHandlers() = default;
  virtual HttpResponse health() = 0;
  virtual HttpResponse status() = 0;
  virtual HttpResponse metrics() = 0;
  virtual HttpResponse plan() = 0;
  // `up`: flexup (+count) or flexdown (−count).
  virtual HttpResponse flex(bool up, const FlexRequest& request) = 0;
  // OSD flexup (token already checked). The default refuses: handlers without a store.
  virtual HttpResponse osdFlexup(const OsdFlexRequest& request) {
    (void)request;
    return errorResponse(501, "osd flexup is not available here");
  }
  virtual HttpResponse file(const std::string& cluster, const std::string& name,
                            const std::string& peerAddress) = 0;
};

// Dispatches `request`. Writes need `Authorization: Bearer <apiToken>`; with an empty `apiToken`
// every write is refused (403): the daemon has no write API without a token file.
HttpResponse route(const HttpRequest& request, ApiHandlers& handlers, const std::string& apiToken);

// Compares in time independent of where the strings differ.
bool constantTimeEquals(const std::string& a, const std::string& b);

}  // namespace ceph_planner::daemon
