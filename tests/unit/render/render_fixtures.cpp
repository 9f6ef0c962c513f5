#include "render_fixtures.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ceph_planner::planner::testing {

topology::Topology smallTopology(topology::Runtime runtime) {
  topology::Topology t;
  t.apiVersion = topology::kApiVersion;
  t.kind = topology::kKind;
  t.cluster.name = "t1";
  t.cluster.image = "quay.io/ceph/ceph:v18.2.4";
  t.cluster.runtime = runtime;
  t.networks.publicCidrs = {"10.0.0.0/16"};
  t.networks.clusterCidrs = {"10.1.0.0/16"};
  t.crush.failureDomain = "rack";
  const char* racks[] = {"r1", "r1", "r2"};
  for (int i = 0; i < 3; ++i) {
    topology::Host h;
    h.name = "node" + std::to_string(i + 1) + ".example.com";
    h.location = {{"rack", racks[i]}};
    h.labels = {"mon", "osd", "rgw"};
    h.publicIp = "10.0.0." + std::to_string(i + 11);
    t.hosts.push_back(h);
  }
  t.hosts[0].labels.push_back("mgr");
  t.hosts[0].attributes = {{"ceph_osd_host", "true"}, {"rack", "r1"}};

  t.mons.present = true;
  t.mons.placement.label = "mon";
  t.mgrs.present = true;
  t.mgrs.placement.label = "mgr";
  t.mgrs.resources.cpus = 0.5;
  t.mgrs.resources.mem = 1024;

  topology::OsdGroup g;
  g.serviceId = "hdd";
  g.placement.label = "osd";
  g.dataDevices.present = true;
  g.dataDevices.slots = {{"s00", "/dev/disk/by-path/pci-0000:3b:00.0-sas-phy0-lun-0"},
                         {"s01", "/dev/disk/by-path/pci-0000:3b:00.0-sas-phy1-lun-0"}};
  g.dbDevices.present = true;
  g.dbDevices.slots = {{"d0", "/dev/disk/by-path/pci-0000:00:17.0-ata-1"}};
  g.dbSlots = 2;
  g.blockDbSize = 64ull << 30;
  g.crushDeviceClass = "hdd";
  t.osdGroups.push_back(g);

  topology::RgwService rgw;
  rgw.serviceId = "s3";
  rgw.port = 8080;
  rgw.placement.label = "rgw";
  rgw.autoscale.present = true;
  rgw.autoscale.min = 2;
  rgw.autoscale.max = 3;
  t.rgw.push_back(rgw);
  return t;
}

const AppSpec* findApp(const DesiredState& state, const std::string& id) {
  for (const auto& app : state.apps) {
    if (app.id == id) return &app;
  }
  return nullptr;
}

std::string readRepoFile(const std::string& path) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/" + path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace ceph_planner::planner::testing
