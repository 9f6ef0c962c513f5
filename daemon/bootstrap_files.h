#pragma once

// The bootstrap files tasks fetch from `<bootstrap_url>/v1/clusters/<cluster>/files/<name>`
// (docs/rendering.md#bootstrap-files): what each is made of, which daemon kind may have which, and
// the per-task check that decides whether a request gets one.
//
// The per-task check. A Mesos fetcher request carries no credential (a token in the URI would show
// in the Marathon UI, like env and labels), so the daemon authenticates the *task* by where it
// runs: a request for file F from address A is served only when Marathon (one fresh read of the
// cluster group) has a live task (staging, starting or running) of an app owned by this cluster,
// whose role needs F, on an agent whose address is A. Agent addresses come from the topology
// (`public_ip`, `cluster_ip`, inventory addresses) and from resolving the agent's host name. So a
// mon host can fetch the mon keyring only while a mon task is being launched or runs there; an OSD
// host never gets the mon or admin keys; and a machine without a task of the cluster gets nothing.
// Names are never listed (unknown names and refusals answer the same 404).
//
// Per-app files. `osd-binding.<host>-<slot>` (the slot's OSD id and fsid, osd_binding.h) is
// granted only to a live task of the OSD app of exactly that host and slot: another OSD app on the
// same agent does not get it.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "planner/app_spec.h"
#include "store/topology_store.h"
#include "topology/model.h"

namespace ceph_planner::daemon {

// Files a daemon of `role` fetches.
std::vector<std::string> filesForRole(planner::Role role);

// True for a name some role fetches (a static name, or an OSD binding file name).
bool isBootstrapFileName(const std::string& name);

// The per-slot binding file of OSD slot `host`/`slot`: `osd-binding.<host>-<slot>`.
std::string osdBindingFileName(const std::string& host, const std::string& slot);
bool isOsdBindingFileName(const std::string& name);

// The RGW tasks' file holding the cluster's S3 user (store/secrets.h `renderS3User`).
inline constexpr char kS3UserFileName[] = "s3-user";

// Addresses of agent `host` (topology overrides first, then name resolution).
using HostAddresses = std::function<std::vector<std::string>(const std::string& host)>;

struct FileGrant {
  std::string appId;
  std::string taskId;
  std::string host;
  // The granted app's OSD slot (its `host` and `slot` labels); empty for other roles.
  std::string osdHost;
  std::string osdSlot;
};

// The per-task check (see above). `NotFound` (deliberately the same answer as an unknown file)
// with a reason for the daemon's log when no live task qualifies.
Result<FileGrant> authorizeFileRequest(const planner::ObservedState& observed,
                                       const std::string& cluster, const std::string& name,
                                       const std::string& peerAddress,
                                       const HostAddresses& addressesOf);

// `ceph.conf` for the cluster: `[global]` with fsid, mon_host (v2 and v1 address of every mon,
// from `monHosts`), networks, cephx and the topology's config overrides.
std::string renderCephConf(const topology::Topology& topology, const std::string& fsid,
                           const std::vector<std::string>& monAddresses);

// The content of `name` from the store's secrets. `NotFound` when the store does not hold what
// the file is made of (for example before the first pass stored the bootstrap secrets). OSD binding
// files are not made here (they may create a binding: `OsdBindings`, osd_binding.h).
Result<std::string> bootstrapFileContent(store::TopologyStore& store,
                                         const topology::Topology& topology,
                                         const std::vector<std::string>& monAddresses,
                                         const std::string& name);

}  // namespace ceph_planner::daemon
