// `ceph-planner daemon`: wiring only. Opens the store and the Marathon client like every other
// command, creates the election candidate on the ZooKeeper session, and runs daemon::Daemon until
// SIGTERM or SIGINT.

#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <ostream>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/loading.h"
#include "cli/wiring.h"
#include "common/strings.h"
#include "daemon/daemon.h"
#include "daemon/http_server.h"
#include "store/zk_topology_store.h"
#include "topology/parse.h"

namespace ceph_planner::cli {

int runDaemon(const DaemonCommandOptions& options, std::ostream& out, std::ostream& err) {
  // Signals are taken synchronously by this thread: block them before any thread exists, so that
  // every thread the store, the client and the daemon start inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (options.cluster.empty()) {
    err << "error: daemon needs --cluster NAME\n";
    return kExitError;
  }
  if (!store::isValidStoreName(options.cluster)) {
    err << "error: invalid cluster name '" << options.cluster << "'\n";
    return kExitError;
  }
  auto listen = daemon::parseListenAddress(options.listen);
  if (!listen) {
    err << "error: --listen: " << listen.error().message << "\n";
    return kExitError;
  }
  std::string token;
  if (!options.apiTokenFile.empty()) {
    auto text = readFile(options.apiTokenFile);
    if (!text) {
      err << "error: --api_token_file: " << text.error().message << "\n";
      return kExitError;
    }
    token = trim(*text);
    if (token.empty()) {
      err << "error: --api_token_file '" << options.apiTokenFile << "' is empty\n";
      return kExitError;
    }
  }

  auto opened = makeStore(options.store);
  if (!opened) {
    err << "error: " << opened.error().message << "\n";
    return kExitError;
  }
  // The Marathon URL may come from the stored topology (`cluster.marathon.url`).
  std::optional<topology::Topology> stored;
  if (options.marathon.urls.empty()) {
    if (auto record = opened->store->getTopology(options.cluster)) {
      auto parsed = topology::loadTopology(record->yaml);
      stored = std::move(parsed.topology);
    }
  }
  auto marathon = makeMarathon(options.marathon, stored ? &*stored : nullptr);
  if (!marathon) {
    err << "error: " << marathon.error().message << "\n";
    return kExitError;
  }

  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  daemon::DaemonOptions d;
  d.cluster = options.cluster;
  d.listenHost = listen->first;
  d.listenPort = listen->second;
  d.apiToken = token;
  d.resyncInterval = std::chrono::seconds(options.resyncSeconds);
  d.candidateId = std::string(host[0] ? host : "localhost") + ":" + std::to_string(getpid()) + "@" +
                  options.listen;
  d.seed = static_cast<uint64_t>(getpid());
  d.reconciler.cluster = options.cluster;
  if (!options.common.bootstrapUrl.empty()) {
    d.reconciler.render.bootstrapUrl = options.common.bootstrapUrl;
  }
  auto templates = loadTemplates(options.common);
  if (!templates) {
    err << "error: " << templates.error().message << "\n";
    return kExitError;
  }
  planner::TemplateSet templateSet = std::move(templates).value();
  d.reconciler.templates = &templateSet;
  d.reconciler.apply.stepTimeout = std::chrono::seconds(options.stepTimeoutSeconds);
  d.reconciler.apply.lockTimeout = std::chrono::seconds(options.lockTimeoutSeconds);
  d.reconciler.apply.pollInterval = std::chrono::milliseconds(500);
  d.autoscaler.metricsUrl = options.rgwMetricsUrl;
  if (!options.rgwMetric.empty()) d.autoscaler.metric = options.rgwMetric;
  engine::MetricSourcePtr metricSource = engine::makeHttpMetricSource();

  daemon::ElectionFactory elections;
  if (auto* zk = dynamic_cast<store::ZkTopologyStore*>(opened->store.get())) {
    std::string cluster = options.cluster, candidate = d.candidateId;
    elections = [zk, cluster, candidate](store::LeaderCallbacks callbacks) {
      return zk->makeLeaderElection(cluster, candidate, std::move(callbacks));
    };
  }
  ClockPtr clock = systemClock();
  daemon::Daemon runtime(*opened->store, elections, *marathon.value(), metricSource.get(), *clock,
                         d, err);
  err << "ceph-planner daemon: cluster '" << options.cluster << "', store " << opened->description
      << "\n";
  if (Status s = runtime.start(); !s) {
    err << "error: " << s.error().message << "\n";
    return kExitError;
  }
  out << "ceph-planner daemon listening on " << runtime.baseUrl() << "\n" << std::flush;
  int received = 0;
  sigwait(&signals, &received);
  err << "received signal " << received << "; stopping\n";
  runtime.stop();
  return kExitOk;
}

}  // namespace ceph_planner::cli
