// The bootstrap files' per-task check and contents.

#include "daemon/bootstrap_files.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/testing.h"
#include "store/file_topology_store.h"
#include "store/secrets.h"

namespace ceph_planner::daemon {
namespace {

planner::ObservedApp app(const std::string& id, planner::Role role, const std::string& cluster,
                         std::vector<planner::TaskStatus> tasks) {
  planner::ObservedApp a;
  a.spec.id = id;
  planner::setKeyValue(a.spec.labels, planner::kLabelManaged, "true");
  planner::setKeyValue(a.spec.labels, planner::kLabelCluster, cluster);
  planner::setKeyValue(a.spec.labels, planner::kLabelRole, std::string(planner::roleName(role)));
  a.status.tasks = std::move(tasks);
  return a;
}

planner::TaskStatus task(const std::string& id, const std::string& host, const std::string& state) {
  planner::TaskStatus t;
  t.id = id;
  t.host = host;
  t.state = state;
  return t;
}

std::vector<std::string> addresses(const std::string& host) {
  if (host == "h1") return {"127.0.0.2"};
  if (host == "h2") return {"127.0.0.3"};
  if (host == "h3") return {"127.0.0.4"};
  return {};
}

planner::ObservedState observed() {
  planner::ObservedState s;
  s.apps = {
      app("/ceph/box/mon/h1", planner::Role::Mon, "box", {task("mon1", "h1", "TASK_STAGING")}),
      app("/ceph/box/osd/h2-s00", planner::Role::Osd, "box", {task("osd1", "h2", "TASK_RUNNING")}),
      app("/ceph/box/osd/h3-s00", planner::Role::Osd, "box", {task("osd2", "h3", "TASK_KILLED")}),
      app("/ceph/other/mon/h3", planner::Role::Mon, "other", {task("mon9", "h3", "TASK_RUNNING")})};
  return s;
}

TEST(BootstrapFilesTest, LiveTaskOfTheRightRoleOnThePeerHostIsGranted) {
  auto grant = authorizeFileRequest(observed(), "box", "ceph.mon.keyring", "127.0.0.2", addresses);
  ASSERT_OK(grant);
  EXPECT_EQ(grant->taskId, "mon1");
  EXPECT_EQ(grant->appId, "/ceph/box/mon/h1");
  EXPECT_OK(authorizeFileRequest(observed(), "box", "ceph.conf", "127.0.0.3", addresses));
  EXPECT_OK(authorizeFileRequest(observed(), "box", "ceph.client.bootstrap-osd.keyring",
                                 "127.0.0.3", addresses));
}

TEST(BootstrapFilesTest, EverythingElseIsNotFound) {
  // An OSD host never gets the mon keyring.
  EXPECT_ERROR_CODE(
      authorizeFileRequest(observed(), "box", "ceph.mon.keyring", "127.0.0.3", addresses),
      ErrorCode::NotFound);
  // A finished task no longer counts; another cluster's task does not count.
  EXPECT_ERROR_CODE(authorizeFileRequest(observed(), "box", "ceph.conf", "127.0.0.4", addresses),
                    ErrorCode::NotFound);
  // A machine without any task.
  EXPECT_ERROR_CODE(authorizeFileRequest(observed(), "box", "ceph.conf", "10.9.9.9", addresses),
                    ErrorCode::NotFound);
  // Names no role fetches, including the admin keyring.
  for (const char* name : {"ceph.client.admin.keyring", "fsid", "../secrets/fsid", "monmap"}) {
    EXPECT_ERROR_CODE(authorizeFileRequest(observed(), "box", name, "127.0.0.2", addresses),
                      ErrorCode::NotFound);
  }
}

TEST(BootstrapFilesTest, CephConfHasFsidMonsNetworksAndOverrides) {
  topology::Topology t;
  t.cluster.name = "box";
  t.networks.publicCidrs = {"10.0.0.0/24"};
  t.networks.clusterCidrs = {"10.1.0.0/24"};
  t.cluster.config = {{"osd_pool_default_size", "3"}};
  std::string conf = renderCephConf(t, "f-s-i-d", {"10.0.0.1", "10.0.0.2"});
  EXPECT_NE(conf.find("[global]\nfsid = f-s-i-d\n"), std::string::npos) << conf;
  EXPECT_NE(conf.find("mon_host = [v2:10.0.0.1:3300,v1:10.0.0.1:6789],"
                      "[v2:10.0.0.2:3300,v1:10.0.0.2:6789]\n"),
            std::string::npos)
      << conf;
  EXPECT_NE(conf.find("public_network = 10.0.0.0/24\n"), std::string::npos);
  EXPECT_NE(conf.find("cluster_network = 10.1.0.0/24\n"), std::string::npos);
  EXPECT_NE(conf.find("auth_cluster_required = cephx\n"), std::string::npos);
  EXPECT_NE(conf.find("osd_pool_default_size = 3\n"), std::string::npos);
}

TEST(BootstrapFilesTest, ContentsComeFromTheStoredSecrets) {
  auto dir =
      std::filesystem::temp_directory_path() / ("cp-bootstrap-files-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto store = store::FileTopologyStore::open({dir.string(), std::chrono::milliseconds(50), {}});
  ASSERT_OK(store);
  topology::Topology t;
  t.cluster.name = "box";
  EXPECT_ERROR_CODE(bootstrapFileContent(**store, t, {"127.0.0.2"}, "ceph.conf"),
                    ErrorCode::NotFound);
  auto secrets = store::ensureBootstrapSecrets(**store, "box", 1700000000000);
  ASSERT_OK(secrets);
  auto conf = bootstrapFileContent(**store, t, {"127.0.0.2"}, "ceph.conf");
  ASSERT_OK(conf);
  EXPECT_NE(conf->find("fsid = " + secrets->fsid), std::string::npos);
  auto osd = bootstrapFileContent(**store, t, {}, "ceph.client.bootstrap-osd.keyring");
  ASSERT_OK(osd);
  EXPECT_NE(osd->find("[client.bootstrap-osd]"), std::string::npos);
  EXPECT_EQ(osd->find("client.admin"), std::string::npos);
  auto mon = bootstrapFileContent(**store, t, {}, "ceph.mon.keyring");
  ASSERT_OK(mon);
  for (const char* entity :
       {"[mon.]", "[client.admin]", "[client.bootstrap-osd]", "[client.bootstrap-rgw]"}) {
    EXPECT_NE(mon->find(entity), std::string::npos) << entity;
  }
  EXPECT_ERROR_CODE(bootstrapFileContent(**store, t, {}, "ceph.client.admin.keyring"),
                    ErrorCode::NotFound);
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ceph_planner::daemon
