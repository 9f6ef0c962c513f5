#pragma once

// `ceph-planner daemon`: the runtime that keeps one cluster converged (DESIGN.md §6).
//
// Wiring: a leader election in the store (only the leader acts: its reconcile loop runs passes,
// its autoscaler ticks after each pass, it writes the status conditions and serves flexup /
// flexdown; followers keep their store session, event stream and HTTP API up, answer `/health`
// and `/status`, and serve bootstrap files), the reconcile loop (triggered by the topology watch,
// Marathon's event stream and the periodic resync), and the HTTP API (api.h).
//
// Every Marathon call of the reconciler, the applier and the autoscaler goes through a guard that
// fails once leadership is gone, so a leader that loses its ZooKeeper session stops acting at once
// — even in the middle of a pass.

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "engine/metric_source.h"
#include "engine/reconciler.h"
#include "engine/rgw_autoscaler.h"
#include "marathon_client/marathon_api.h"
#include "store/leader_election.h"
#include "store/topology_store.h"

namespace ceph_planner::daemon {

struct DaemonOptions {
  std::string cluster;
  std::string listenHost = "127.0.0.1";
  int listenPort = 8888;
  // Bearer token for the write API (read from a file by the CLI, never from argv). Empty: the
  // write API refuses everything.
  std::string apiToken;
  Clock::Duration resyncInterval{std::chrono::seconds(30)};
  std::string candidateId;  // `host:pid`, stored in the election node and in the status blob.
  engine::ReconcilerOptions reconciler;
  bool autoscale = true;
  engine::RgwAutoscalerOptions autoscaler;
  uint64_t seed = 1;  // Backoff jitter.
};

// Creates this daemon's election candidate with the given callbacks; null = no election (a file
// store: one daemon, always the leader).
using ElectionFactory =
    std::function<Result<store::LeaderElectionPtr>(store::LeaderCallbacks callbacks)>;

class Daemon {
 public:
  // The references must outlive the daemon. `metricSource` may be null when `autoscale` is off.
  Daemon(store::TopologyStore& store, ElectionFactory elections, marathon::MarathonApi& marathon,
         engine::MetricSource* metricSource, Clock& clock, DaemonOptions options,
         std::ostream& log);
  ~Daemon();

  // Starts the HTTP API, the watch, the event stream, the loop, then joins the election.
  // Errors: the listener cannot bind, the watch or the election cannot be set up.
  Status start();
  // Leaves the election (leadership ends first), stops the threads and the listener. Idempotent.
  void stop();

  bool isLeader() const;
  std::string baseUrl() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ceph_planner::daemon
