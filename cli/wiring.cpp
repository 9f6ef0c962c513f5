#include "cli/wiring.h"

#include <unistd.h>

#include <cstdlib>

#include "common/strings.h"
#include "marathon_client/cpprest_marathon_client.h"

namespace ceph_planner::cli {

Result<marathon::MarathonApiPtr> makeMarathon(const MarathonOptions& options,
                                              const topology::Topology* topology) {
  marathon::MarathonClientOptions client;
  client.baseUrls = options.urls;
  if (client.baseUrls.empty() && topology != nullptr && !topology->cluster.marathonUrl.empty()) {
    client.baseUrls = splitString(topology->cluster.marathonUrl, ',');
  }
  if (client.baseUrls.empty()) {
    return makeError(ErrorCode::InvalidInput,
                     "no Marathon URL: pass --marathon URL, set CEPH_PLANNER_MARATHON, or set "
                     "cluster.marathon.url in the topology");
  }
  client.callTimeout = std::chrono::seconds(options.timeoutSeconds);
  client.caFile = options.caFile;
  auto kind = marathon::parseAuthKind(options.authKind);
  if (!kind) return kind.error().withContext("--marathon_auth");
  if (kind.value() != marathon::AuthKind::None) {
    marathon::AuthSource source{kind.value(), options.credentialsFile, options.credentialsEnv};
    auto credentials = marathon::loadCredentials(source);
    if (!credentials) return credentials.error().withContext("cannot load Marathon credentials");
    client.credentials = std::move(credentials).value();
  }
  auto made = marathon::CppRestMarathonClient::create(std::move(client));
  if (!made) return made.error().withContext("cannot set up the Marathon client");
  return marathon::MarathonApiPtr(std::move(made).value());
}

Result<store::OpenedStore> makeStore(const StoreOptions& options) {
  store::StoreConfig config;
  config.zkConnect = options.zk;
  config.zkCredentialsFile = options.zkCredentialsFile;
  config.fileRoot = options.stateDir;
  config.zkSessionTimeout = std::chrono::seconds(options.zkSessionTimeoutSeconds);
  auto opened = store::openTopologyStore(config);
  if (!opened) return opened.error().withContext("cannot open the topology store");
  return opened;
}

std::string currentAuthor() {
  const char* user = std::getenv("USER");
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::string(user ? user : "unknown") + "@" + (host[0] ? host : "localhost");
}

}  // namespace ceph_planner::cli
