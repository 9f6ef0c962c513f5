// End to end: a changed OSD template field (`--templates DIR`) updates only the OSD apps of
// examples/production.yaml, one failure domain (rack) at a time. Proven three ways from the
// simulator: Marathon's deployments polled during the apply never hold OSDs of two racks, the task
// history shows each rack's restarts finishing before the next rack's begin, and the request log
// holds one write per rack and nothing for mon, mgr or rgw.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "common/testing.h"
#include "tests/e2e/apply/apply_harness.h"

namespace ceph_planner::e2e {
namespace {

namespace fs = std::filesystem;

constexpr char kFailureDomainLabel[] = "ceph-planner/failure-domain";
constexpr char kRoleLabel[] = "ceph-planner/role";

// Copies templates/ to `dir` and changes one field of the docker OSD template.
void writeChangedTemplates(const fs::path& dir) {
  fs::copy(sourcePath("templates"), dir, fs::copy_options::recursive);
  const std::string osd = (dir / "docker" / "osd.json").string();
  std::string text = readFile(osd);
  const std::string from = "\"taskKillGracePeriodSeconds\": 120";
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "templates/docker/osd.json changed; pick another field";
  text.replace(at, from.size(), "\"taskKillGracePeriodSeconds\": 180");
  writeFile(osd, text);
}

TEST(ApplyOsdRolloutE2eTest, AChangedOsdTemplateFieldUpdatesOnlyOsdsOneFailureDomainAtATime) {
  Simulator sim;
  ASSERT_OK(sim.start(sourcePath("examples/production.agents.yaml"), 50.0));
  TempDir dir;
  PlannerCli cli(sim, dir.path());
  const std::string topology =
      withoutChronos(sourcePath("examples/production.yaml"), dir.file("production.yaml"));
  ShellRun fresh = cli.run("apply --yes --step_timeout 120s " + topology);
  ASSERT_EQ(fresh.exitCode, 0) << fresh.output;

  auto before = sim.apps("/ceph/prod1");
  ASSERT_EQ(before.size(), 126u);
  std::map<std::string, std::string> domainOf;  // OSD app id → failure domain.
  for (const auto& [id, app] : before) {
    if (app["labels"].value(kRoleLabel, "") == "osd") {
      domainOf[id] = app["labels"].value(kFailureDomainLabel, "");
      ASSERT_FALSE(domainOf[id].empty()) << id;
    }
  }
  ASSERT_EQ(domainOf.size(), 120u);

  const fs::path templates = dir.path() / "templates";
  writeChangedTemplates(templates);
  const std::string args = "--templates " + templates.string() + " " + topology;

  // The plan: 120 OSD updates naming the changed field, nothing else.
  nlohmann::json plan = cli.runJson("plan -o json " + args);
  ASSERT_TRUE(plan.is_object());
  EXPECT_EQ(plan["summary"],
            (nlohmann::json{
                {"add", 0}, {"change", 120}, {"scale", 0}, {"destroy", 0}, {"unchanged", 6}}));
  for (const auto& action : plan["actions"]) {
    EXPECT_EQ(action["kind"], "update") << action.dump();
    EXPECT_EQ(action["role"], "osd") << action.dump();
    ASSERT_EQ(action["changes"].size(), 1u) << action.dump();
    EXPECT_EQ(action["changes"][0]["field"], "taskKillGracePeriodSeconds") << action.dump();
  }

  const size_t historyBefore = sim.history().size();
  ASSERT_TRUE(sim.clearRequests());
  auto running = cli.runAsync("apply --yes --step_timeout 120s " + args);
  // Polls Marathon's deployments while the apply runs: each observation's set of racks with an
  // OSD being deployed, in order.
  std::vector<std::string> domainsInOrder;
  int polls = 0;
  while (running.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
    nlohmann::json deployments = sim.getJson("/v2/deployments");
    if (!deployments.is_array()) continue;
    ++polls;
    std::set<std::string> domains;
    for (const auto& d : deployments) {
      for (const auto& appId : d["affectedApps"]) {
        auto it = domainOf.find(appId.get<std::string>());
        ASSERT_NE(it, domainOf.end()) << "a non-OSD app was deployed: " << appId;
        domains.insert(it->second);
      }
    }
    EXPECT_LE(domains.size(), 1u) << "two failure domains deploying at once: " << deployments;
    if (domains.size() == 1 &&
        (domainsInOrder.empty() || domainsInOrder.back() != *domains.begin())) {
      domainsInOrder.push_back(*domains.begin());
    }
  }
  ShellRun apply = running.get();
  ASSERT_EQ(apply.exitCode, 0) << apply.output;
  EXPECT_NE(apply.output.find("Apply complete: 0 added, 120 changed, 0 scaled, 0 destroyed in 3 "
                              "steps"),
            std::string::npos)
      << apply.output;
  // Each rack was seen deploying exactly once (a step takes far longer than a poll: a kill, a
  // launch and the first health check), in the name order apply promises.
  std::set<std::string> racks;
  for (const auto& [id, domain] : domainOf) racks.insert(domain);
  EXPECT_EQ(domainsInOrder, std::vector<std::string>(racks.begin(), racks.end()))
      << "after " << polls << " polls";

  // The request log: one batch PUT per rack; everything else was a read.
  std::vector<std::string> writes;
  for (const auto& r : sim.requests()) {
    if (r.isWrite()) writes.push_back(r.method + " " + r.path);
  }
  EXPECT_EQ(writes, std::vector<std::string>(3, "PUT /v2/apps"));

  // The task history: every OSD restarted once, nothing else did, and a rack's first old task
  // ended only after the previous rack's last new task had started.
  nlohmann::json history = sim.history();
  std::map<std::string, long long> firstEnd;   // Rack → earliest end of a replaced task.
  std::map<std::string, long long> lastStart;  // Rack → latest start of a new task.
  std::map<std::string, int> newTasks;
  for (size_t i = 0; i < history.size(); ++i) {
    const auto& task = history[i];
    const std::string appId = task["appId"];
    auto osd = domainOf.find(appId);
    if (i >= historyBefore) {
      ASSERT_NE(osd, domainOf.end()) << "a non-OSD task was launched: " << task;
      ++newTasks[appId];
      long long started = parseSimTime(task["startedAt"]);
      lastStart[osd->second] = std::max(lastStart[osd->second], started);
      EXPECT_TRUE(task["endedAt"].is_null()) << task;
    } else if (osd == domainOf.end()) {
      EXPECT_TRUE(task["endedAt"].is_null()) << "a non-OSD task was stopped: " << task;
    } else {
      long long ended = parseSimTime(task["endedAt"]);
      ASSERT_GE(ended, 0) << "an OSD kept its old task: " << task;
      auto [it, inserted] = firstEnd.emplace(osd->second, ended);
      if (!inserted) it->second = std::min(it->second, ended);
    }
  }
  EXPECT_EQ(newTasks.size(), 120u);
  for (const auto& [appId, n] : newTasks) EXPECT_EQ(n, 1) << appId;
  std::vector<std::string> ordered(racks.begin(), racks.end());
  for (size_t r = 1; r < ordered.size(); ++r) {
    EXPECT_LT(lastStart[ordered[r - 1]], firstEnd[ordered[r]])
        << "rack " << ordered[r] << " restarted before " << ordered[r - 1] << " was up";
  }

  // Marathon: OSD apps carry the new field at a new version; the others are untouched.
  auto after = sim.apps("/ceph/prod1");
  for (const auto& [id, app] : before) {
    if (domainOf.count(id)) {
      EXPECT_NE(after[id]["version"], app["version"]) << id;
      EXPECT_EQ(after[id]["taskKillGracePeriodSeconds"], 180) << id;
    } else {
      EXPECT_EQ(after[id]["version"], app["version"]) << id << " was written";
    }
  }
}

}  // namespace
}  // namespace ceph_planner::e2e
