#pragma once

// The HTTP seam under `HttpMarathonClient`: one request in, one answer (or a transport failure)
// out. `CppRestMarathonClient` plugs in cpprest; unit tests plug in a scripted fake, so retries,
// failover, redirects and error mapping are tested without sockets.

#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/clock.h"

namespace ceph_planner::marathon {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpCall {
  std::string method;
  std::string url;  // Absolute.
  Headers headers;
  std::string body;
  Clock::Duration timeout{0};  // Whole call (for a stream: the longest silence tolerated).
};

struct HttpReply {
  int status = 0;
  Headers headers;
  std::string body;

  // The first header named `name` (case-insensitive), "" when absent.
  std::string header(std::string_view name) const;
};

struct TransportError {
  enum class Kind {
    ConnectFailed,  // The request never reached the server (refused, unresolvable, unreachable).
    Timeout,        // No (complete) answer within the call's timeout.
    Failed,         // Anything else after connecting (reset, TLS failure, malformed answer).
    Stopped,        // A stream ended because `stop` was requested.
  };
  Kind kind = Kind::Failed;
  std::string message;
};

using TransportResult = std::variant<HttpReply, TransportError>;

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // Sends `call` and reads the whole answer. Never throws.
  virtual TransportResult send(const HttpCall& call) = 0;

  // Sends `call` and, when the status is 2xx, passes the body to `onData` piece by piece as it
  // arrives until the server ends it (returns the reply with an empty body), the connection fails,
  // or `stop` is requested (returns `Stopped`). For other statuses the whole body is read and
  // returned without calling `onData`. Never throws.
  virtual TransportResult stream(const HttpCall& call,
                                 const std::function<void(std::string_view)>& onData,
                                 std::stop_token stop) = 0;
};

using HttpTransportPtr = std::unique_ptr<HttpTransport>;

}  // namespace ceph_planner::marathon
