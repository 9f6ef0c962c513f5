#pragma once

// Real health probes for the simulators' exec mode (Marathon health checks, §3.6 of
// spec/marathon/API.md). Each call is synchronous and bounded by a hard `timeout` covering name
// resolution of numeric addresses, connect, send and receive (or the whole command run); run them
// on worker threads. Plain POSIX sockets: non-blocking connect, `poll`, bounded reads,
// close-on-exec.
//
// A probe never throws and never returns an error value: a failed probe IS the result
// (`healthy == false` with the reason in `error`), exactly as Marathon records `lastFailureCause`.
// Host names other than numeric addresses are resolved with the system resolver before the
// deadline applies, so give addresses (the simulated agents are 127.0.0.x anyway).

#include <chrono>
#include <string>

#include "sim/common/exec_spawn.h"

namespace ceph_planner::sim {

struct ProbeResult {
  bool healthy = false;
  int statusCode = 0;  // HTTP status of the response; 0 when none was read or not HTTP.
  int exitCode = -1;   // Command probes: the exit code; -1 when killed or never started.
  std::string error;   // Why the probe failed (empty when healthy), lower-case.
  std::string output;  // Command probes: the first `kProbeOutputLimit` bytes of stdout+stderr.
  std::chrono::milliseconds elapsed{0};
};

inline constexpr size_t kProbeOutputLimit = 4096;

// HTTP GET `path` (a leading `/` is added when missing; empty = `/`) on host:port with
// `Connection: close`. Healthy iff the status code is 200–399 (Marathon `acceptableResponses`);
// the caller applies `ignoreHttp1xx` to a 1xx `statusCode`. Only the status line is read (at most
// 8 KiB are looked at). `https == true` is not supported by the simulator (no TLS): the probe fails
// with an error saying so, without connecting.
ProbeResult probeHttp(const std::string& host, int port, const std::string& path,
                      std::chrono::milliseconds timeout, bool https = false);

// Healthy iff a TCP connection to host:port is established within `timeout` (then closed).
ProbeResult probeTcp(const std::string& host, int port, std::chrono::milliseconds timeout);

// Runs `/bin/sh -c <command>` in `sandbox` (must exist) in its own process group, with the minimal
// base environment plus `env` (see `buildChildEnv`). Healthy iff it exits with code 0 within
// `timeout`; on timeout the whole group is SIGKILLed and reaped before returning.
ProbeResult runCommandProbe(const std::string& command, const EnvMap& env,
                            const std::string& sandbox, std::chrono::milliseconds timeout);

}  // namespace ceph_planner::sim
