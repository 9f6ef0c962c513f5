#include "bench/topology_gen.h"

#include <cstdio>

namespace ceph_planner::bench {
namespace {

std::string hostName(int i) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "h%05d.dc1.example.com", i + 1);
  return buf;
}

std::string hostIp(int i) {
  return "10.10." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
}

}  // namespace

std::string generateTopologyYaml(const GenOptions& o) {
  std::string y;
  y.reserve(static_cast<size_t>(o.hosts) * 200 + 4096);
  y += "apiVersion: ceph-planner/v1\nkind: CephTopology\n";
  y += "cluster:\n  name: " + o.clusterName +
       "\n  fsid: auto\n  image: quay.io/ceph/ceph:v18.2.4\n  runtime: docker\n";
  y += "networks:\n  public: [10.10.0.0/16]\n  cluster: [10.20.0.0/16]\n";
  y += "crush:\n  failure_domain: rack\n";
  // One chassis layout shared by every host (anchors), as on identical hardware.
  y += "x-data: &data\n";
  for (int d = 0; d < o.hdds; ++d) {
    char slot[16];
    std::snprintf(slot, sizeof(slot), "s%02d", d);
    y += "  " + std::string(slot) + ": /dev/disk/by-path/pci-0000:3b:00.0-sas-phy" +
         std::to_string(d) + "-lun-0\n";
  }
  y += "x-db: &db\n";
  for (int d = 0; d < o.ssds; ++d) {
    y += "  d" + std::to_string(d) + ": /dev/disk/by-path/pci-0000:00:17.0-ata-" +
         std::to_string(d + 1) + "\n";
  }
  y += "x-inventory: &inventory\n";
  for (int d = 0; d < o.hdds; ++d) {
    y += "  - {path: /dev/disk/by-path/pci-0000:3b:00.0-sas-phy" + std::to_string(d) +
         "-lun-0, rotational: true, size: 12T, model: ST12000NM0008, vendor: SEAGATE}\n";
  }
  for (int d = 0; d < o.ssds; ++d) {
    y += "  - {path: /dev/disk/by-path/pci-0000:00:17.0-ata-" + std::to_string(d + 1) +
         ", rotational: false, size: 1.92T, model: MZ7LH1T9, vendor: SAMSUNG}\n";
  }
  y += "hosts:\n";
  for (int i = 0; i < o.hosts; ++i) {
    std::string labels = "[osd";
    if (i < 5) labels += ", mon";
    if (i < 2) labels += ", mgr";
    if (i % 10 == 0) labels += ", rgw";
    labels += "]";
    y += "  - name: " + hostName(i) + "\n    location: {rack: r" +
         std::to_string(i / o.hostsPerRack + 1) + "}\n    labels: " + labels +
         "\n    public_ip: " + hostIp(i) + "\n    devices: *inventory\n";
  }
  int mons = o.hosts >= 5 ? 5 : (o.hosts >= 3 ? 3 : 1);
  y += "mons:\n  placement:\n    label: mon\n    count: " + std::to_string(mons) +
       "\n  resources: {cpus: 1, mem: 4096}\n";
  y += "mgrs:\n  placement: {label: mgr, count: 2}\n  resources: {cpus: 1, mem: 2048}\n";
  y += "osd_groups:\n  - service_id: hdd-ssd-db\n    placement: {label: osd}\n";
  y += "    data_devices:\n      slots: *data\n    db_devices:\n      slots: *db\n";
  int dbSlots = (o.hdds + o.ssds - 1) / (o.ssds > 0 ? o.ssds : 1);
  if (o.ssds > 0) {
    y += "    db_slots: " + std::to_string(dbSlots) + "\n    block_db_size: 150G\n";
  }
  y += "    crush_device_class: hdd\n    resources: {cpus: 2, mem: 6144}\n";
  int rgwHosts = (o.hosts + 9) / 10;
  int rgwMax = rgwHosts < 6 ? rgwHosts : 6;
  int rgwMin = rgwMax < 2 ? rgwMax : 2;
  y += "rgw:\n  - service_id: main\n    frontend: {type: beast, port: 8080}\n";
  y += "    placement: {label: rgw}\n    resources: {cpus: 4, mem: 8192}\n";
  y += "    autoscale: {min: " + std::to_string(rgwMin) + ", max: " + std::to_string(rgwMax) +
       ", target: 800}\n";
  return y;
}

}  // namespace ceph_planner::bench
