// End to end: a host with disks added to a converged cluster's topology gets exactly its OSD apps;
// nothing else in Marathon is written.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/testing.h"
#include "tests/e2e/apply/apply_harness.h"

namespace ceph_planner::e2e {
namespace {

// A fourth loopback agent for the local example, so the new host's apps can be placed.
constexpr char kFourthAgent[] = R"(  - hostname: ceph-box-4
    ip: 127.0.0.5
    attributes: {rack: r1}
    resources:
      cpus: 8
      mem: 16384
      disk: 100000
      ports: "[3300-3300, 6789-6789, 7480-7480, 31000-32000]"
)";

// The new host: OSD label only (no mon, mgr or rgw placement matches it), two disks.
constexpr char kFourthHost[] = R"(  - name: ceph-box-4
    labels: [osd]
    public_ip: 127.0.0.5
    cluster_ip: 127.0.0.5
    devices:
      - { path: /var/tmp/ceph-planner-box/ceph-box-4/osd0, rotational: true, size: 4G }
      - { path: /var/tmp/ceph-planner-box/ceph-box-4/osd1, rotational: true, size: 4G }
)";

TEST(ApplyAddHostE2eTest, AddingAHostWithDisksCreatesExactlyItsOsdApps) {
  TempDir dir;
  const std::string agents = dir.file("agents.yaml");
  writeFile(agents, readFile(sourcePath("examples/local.agents.yaml")) + kFourthAgent);
  Simulator sim;
  ASSERT_OK(sim.start(agents, 50.0));
  PlannerCli cli(sim, dir.path());

  ShellRun fresh = cli.run("apply --yes --step_timeout 60s " + sourcePath("examples/local.yaml"));
  ASSERT_EQ(fresh.exitCode, 0) << fresh.output;
  auto before = sim.apps("/ceph/box");
  ASSERT_EQ(before.size(), 10u);

  std::string text = readFile(sourcePath("examples/local.yaml"));
  const size_t mons = text.find("\nmons:");
  ASSERT_NE(mons, std::string::npos);
  text.insert(mons, kFourthHost);
  const std::string grown = dir.file("grown.yaml");
  writeFile(grown, text);

  // The plan: two creates, both OSDs of the new host, and nothing else.
  nlohmann::json plan = cli.runJson("plan -o json " + grown);
  ASSERT_TRUE(plan.is_object()) << cli.run("plan -o json " + grown).output;
  EXPECT_EQ(
      plan["summary"],
      (nlohmann::json{{"add", 2}, {"change", 0}, {"scale", 0}, {"destroy", 0}, {"unchanged", 10}}));
  std::set<std::string> planned;
  for (const auto& action : plan["actions"]) {
    EXPECT_EQ(action["kind"], "create") << action.dump();
    EXPECT_EQ(action["role"], "osd") << action.dump();
    EXPECT_EQ(action["host"], "ceph-box-4") << action.dump();
    planned.insert(action["app"].get<std::string>());
  }
  const std::set<std::string> expected = {"/ceph/box/osd/ceph-box-4-osd0",
                                          "/ceph/box/osd/ceph-box-4-osd1"};
  EXPECT_EQ(planned, expected);

  ASSERT_TRUE(sim.clearRequests());
  ShellRun apply = cli.run("apply --yes --step_timeout 60s " + grown);
  ASSERT_EQ(apply.exitCode, 0) << apply.output;
  EXPECT_NE(
      apply.output.find("Apply complete: 2 added, 0 changed, 0 scaled, 0 destroyed in 1 steps"),
      std::string::npos)
      << apply.output;

  // One write: the batch PUT of the new host's failure-domain step.
  std::vector<std::string> writes;
  for (const auto& r : sim.requests()) {
    if (r.isWrite()) writes.push_back(r.method + " " + r.path);
  }
  EXPECT_EQ(writes, (std::vector<std::string>{"PUT /v2/apps"}));

  // Marathon now holds the old apps at their old versions, plus the two new ones, running.
  auto after = sim.apps("/ceph/box");
  EXPECT_EQ(after.size(), before.size() + 2);
  for (const auto& [id, app] : before) {
    ASSERT_TRUE(after.count(id)) << id;
    EXPECT_EQ(after[id]["version"], app["version"]) << id << " was written";
  }
  for (const auto& id : expected) {
    ASSERT_TRUE(after.count(id)) << id;
    EXPECT_EQ(after[id]["tasksRunning"], 1) << id;
    EXPECT_EQ(after[id]["labels"]["ceph-planner/host"], "ceph-box-4") << id;
  }
}

}  // namespace
}  // namespace ceph_planner::e2e
