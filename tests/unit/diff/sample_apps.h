#pragma once

// Hand-built apps shaped like render's output (docker runtime), for the codec and diff tests.
// Kept independent of render so these tests pin the codec and diff contracts on their own.

#include <string>

#include "planner/app_spec.h"

namespace ceph_planner::planner::testing {

inline constexpr char kCluster[] = "box";
inline constexpr char kGroup[] = "/ceph/box";
inline constexpr char kImage[] = "quay.io/ceph/ceph:v18.2.4";

inline void ownedLabels(AppSpec& app, Role role, const std::string& host) {
  setKeyValue(app.labels, kLabelManaged, "true");
  setKeyValue(app.labels, kLabelCluster, kCluster);
  setKeyValue(app.labels, kLabelRole, std::string(roleName(role)));
  if (!host.empty()) setKeyValue(app.labels, kLabelHost, host);
  setKeyValue(app.labels, kLabelTopologyVersion, "7");
}

inline Container dockerContainer() {
  Container c;
  c.type = "DOCKER";
  c.image = kImage;
  c.network = "HOST";
  c.privileged = true;
  c.parameters = {{"pid", "host"}, {"ipc", "host"}};
  c.volumes = {{"/etc/ceph", "/etc/ceph", "RO"},
               {"/var/lib/ceph", "/var/lib/ceph", "RW"},
               {"/var/run/ceph", "/var/run/ceph", "RW"},
               {"/dev", "/dev", "RW"}};
  return c;
}

inline HealthCheck asokCheck(const std::string& asok, const std::string& what, int grace) {
  HealthCheck h;
  h.protocol = "COMMAND";
  h.command = "ceph --admin-daemon " + asok + " " + what;
  h.gracePeriodSeconds = grace;
  h.intervalSeconds = 30;
  h.timeoutSeconds = 10;
  h.maxConsecutiveFailures = 3;
  h.delaySeconds = 15;
  return h;
}

inline void stateful(AppSpec& app, const std::string& host) {
  app.instances = 1;
  app.constraints = {{"hostname", "CLUSTER", host}};
  app.upgradeStrategy = {0.0, 0.0};
  app.unreachableStrategy.disabled = true;
  app.portDefinitions = {};
  app.container = dockerContainer();
}

inline AppSpec monApp(const std::string& host) {
  AppSpec app;
  app.id = std::string(kGroup) + "/mon/" + host;
  app.args = {"ceph-mon", "-f",        "--cluster", "ceph",       "--id",
              host,       "--setuser", "ceph",      "--setgroup", "ceph"};
  app.cpus = 1.0;
  app.mem = 2048;
  stateful(app, host);
  setKeyValue(app.env, "CEPH_DAEMON", "mon");
  app.healthChecks = {asokCheck("/var/run/ceph/ceph-mon." + host + ".asok", "mon_status", 300)};
  ownedLabels(app, Role::Mon, host);
  app.fetch = {{"http://planner.local:8500/bootstrap/box/ceph.conf", false, false, false, ""}};
  return app;
}

inline AppSpec mgrApp(const std::string& host) {
  AppSpec app = monApp(host);
  app.id = std::string(kGroup) + "/mgr/" + host;
  app.args = {"ceph-mgr", "-f", "--id", host};
  app.mem = 1024;
  app.env.clear();
  setKeyValue(app.env, "CEPH_DAEMON", "mgr");
  app.healthChecks = {asokCheck("/var/run/ceph/ceph-mgr." + host + ".asok", "status", 300)};
  app.labels.clear();
  ownedLabels(app, Role::Mgr, host);
  return app;
}

inline AppSpec osdApp(const std::string& host, const std::string& slot, const std::string& device,
                      const std::string& db = "/dev/nvme0n1") {
  AppSpec app;
  app.id = std::string(kGroup) + "/osd/" + host + "-" + slot;
  app.cmd = "exec /usr/local/bin/ceph-osd-run --host " + host + " --slot " + slot + " --device " +
            device + (db.empty() ? "" : " --db " + db);
  app.cpus = 1.5;
  app.mem = 4096;
  app.disk = 0;
  stateful(app, host);
  setKeyValue(app.env, "CEPH_DAEMON", "osd");
  setKeyValue(app.env, "OSD_DEVICE", device);
  app.healthChecks = {asokCheck("/var/run/ceph/ceph-osd." + slot + ".asok", "status", 1800)};
  app.taskKillGracePeriodSeconds = 120;
  ownedLabels(app, Role::Osd, host);
  setKeyValue(app.labels, kLabelSlot, slot);
  setKeyValue(app.labels, kLabelDevice, device);
  if (!db.empty()) setKeyValue(app.labels, kLabelDbDevice, db);
  setKeyValue(app.labels, kLabelOsdGroup, "hdd");
  setKeyValue(app.labels, kLabelFailureDomain, "rack1");
  return app;
}

inline AppSpec rgwApp(const std::string& service, int instances, int min, int max) {
  AppSpec app;
  app.id = std::string(kGroup) + "/rgw/" + service;
  app.args = {"radosgw", "-f", "--rgw-frontends", "beast port=8080"};
  app.cpus = 2;
  app.mem = 2048;
  app.instances = instances;
  app.constraints = {{"hostname", "UNIQUE"}, {"hostname", "LIKE", "(stor01|stor02|stor03)"}};
  app.container = dockerContainer();
  app.portDefinitions = {{8080, "tcp", "http"}};
  app.requirePorts = true;
  HealthCheck h;
  h.protocol = "MESOS_HTTP";
  h.path = "/";
  h.portIndex = 0;
  h.maxConsecutiveFailures = 0;
  h.gracePeriodSeconds = 120;
  app.healthChecks = {h};
  ownedLabels(app, Role::Rgw, "");
  setKeyValue(app.labels, kLabelRgwService, service);
  setKeyValue(app.labels, kLabelAutoscale,
              "min=" + std::to_string(min) + ",max=" + std::to_string(max));
  return app;
}

}  // namespace ceph_planner::planner::testing
