// The MarathonApi contract, run against every implementation: CppRestMarathonClient talking to a
// marathon-sim subprocess, and FakeMarathon. Same assertions for both, so the fake the planner's
// component tests rely on behaves like (simulated) Marathon.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "common/testing.h"
#include "marathon_client/cpprest_marathon_client.h"
#include "marathon_client/error_mapping.h"
#include "tests/contract/marathon_api/sim_process.h"
#include "tests/fakes/fake_marathon.h"

namespace ceph_planner::marathon {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::vector<std::string> kAgents = {"ceph-box-1", "ceph-box-2", "ceph-box-3"};

std::string agentsFile() {
  return std::string(CP_SOURCE_DIR) + "/examples/local.agents.yaml";
}

// One implementation under test.
class Target {
 public:
  virtual ~Target() = default;
  virtual MarathonApi& api() = 0;
};

class SimTarget final : public Target {
 public:
  Status start() {
    if (auto s = sim_.start(agentsFile(), /*timeScale=*/50); !s) return s;
    MarathonClientOptions options;
    options.baseUrls = {sim_.url()};
    options.callTimeout = seconds(5);
    options.retry = RetryPolicy{3, milliseconds(20), milliseconds(200), seconds(5)};
    auto client = CppRestMarathonClient::create(options);
    if (!client) return client.error();
    client_ = std::move(client.value());
    return okStatus();
  }
  MarathonApi& api() override { return *client_; }

 private:
  testing::SimProcess sim_;
  std::unique_ptr<CppRestMarathonClient> client_;
};

class FakeTarget final : public Target {
 public:
  FakeTarget() : fake_(FakeMarathon::Options{true, kAgents}) {}
  MarathonApi& api() override { return fake_; }

 private:
  FakeMarathon fake_;
};

struct TargetParam {
  std::string name;
  std::function<Result<std::unique_ptr<Target>>()> make;
};

std::string paramName(const ::testing::TestParamInfo<TargetParam>& info) {
  return info.param.name;
}

planner::AppSpec sleeper(const std::string& id, int instances) {
  planner::AppSpec app;
  app.id = id;
  app.cmd = "sleep 100000";
  app.cpus = 0.1;
  app.mem = 32;
  app.instances = instances;
  app.upgradeStrategy = {0, 0};
  // Set explicitly, as every template does: marathon-sim defaults an absent value to 3 where
  // Marathon leaves it absent, which would make the round trip differ.
  app.taskKillGracePeriodSeconds = 10;
  planner::setKeyValue(app.labels, planner::kLabelManaged, "true");
  return app;
}

planner::AppSpec unplaceable(const std::string& id) {
  planner::AppSpec app = sleeper(id, 1);
  app.constraints = {{"hostname", "CLUSTER", "no-such-host"}};
  return app;
}

class MarathonApiContractTest : public ::testing::TestWithParam<TargetParam> {
 protected:
  void SetUp() override {
    auto target = GetParam().make();
    // A missing simulator binary is a failure, never a skip.
    ASSERT_TRUE(target.has_value()) << target.error().toString();
    target_ = std::move(target.value());
  }

  MarathonApi& api() { return target_->api(); }

  // Polls `done` every 20 ms for up to 20 s (simulated time runs 50x faster than real time).
  bool eventually(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return done();
  }

  bool deploymentFinished(const std::string& id) {
    return eventually([&] {
      auto list = api().listDeployments();
      return list && std::none_of(list->begin(), list->end(),
                                  [&](const Deployment& d) { return d.id == id; });
    });
  }

  std::optional<planner::ObservedApp> observed(const std::string& group, const std::string& id) {
    auto state = api().getGroup(group);
    if (!state) return std::nullopt;
    for (auto& a : state->apps) {
      if (a.spec.id == id) return a;
    }
    return std::nullopt;
  }

  // Waits until the app runs `n` tasks and has no deployment.
  std::optional<planner::ObservedApp> settled(const std::string& group, const std::string& id,
                                              int n) {
    std::optional<planner::ObservedApp> app;
    eventually([&] {
      app = observed(group, id);
      return app && app->status.tasksRunning == n && app->status.deploymentIds.empty() &&
             static_cast<int>(app->status.tasks.size()) == n;
    });
    return app;
  }

  std::unique_ptr<Target> target_;
};

TEST_P(MarathonApiContractTest, CreateDeploysAndGroupShowsAppWithCounts) {
  const auto app = sleeper("/cp-test/c1/mon/a", 2);
  auto ref = api().putApp(app, false);
  ASSERT_OK(ref);
  EXPECT_FALSE(ref->deploymentId.empty());
  EXPECT_TRUE(deploymentFinished(ref->deploymentId));
  auto seen = settled("/cp-test/c1", app.id, 2);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->spec, app) << "observed spec differs from the one put";
  EXPECT_EQ(seen->status.tasksRunning, 2);
  EXPECT_FALSE(seen->status.version.empty());
  auto group = api().getGroup("/cp-test/c1");
  ASSERT_OK(group);
  EXPECT_TRUE(group->groupExists);
  EXPECT_EQ(group->apps.size(), 1u);
}

TEST_P(MarathonApiContractTest, PuttingTheSameDefinitionAgainChangesNothing) {
  const auto app = sleeper("/cp-test/c1/mon/a", 1);
  auto first = api().putApp(app, false);
  ASSERT_OK(first);
  auto before = settled("/cp-test/c1", app.id, 1);
  ASSERT_TRUE(before.has_value());
  auto again = api().putApp(app, false);
  ASSERT_OK(again);
  EXPECT_TRUE(deploymentFinished(again->deploymentId));
  auto after = settled("/cp-test/c1", app.id, 1);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status.tasks.at(0).id, before->status.tasks.at(0).id);
  EXPECT_EQ(after->status.lastConfigChangeAt, before->status.lastConfigChangeAt);
}

TEST_P(MarathonApiContractTest, ConfigUpdateRestartsEveryTask) {
  auto app = sleeper("/cp-test/c1/osd/h1-0", 2);
  ASSERT_OK(api().putApp(app, false));
  auto before = settled("/cp-test/c1", app.id, 2);
  ASSERT_TRUE(before.has_value());
  app.cmd = "sleep 200000";
  auto ref = api().putApp(app, false);
  ASSERT_OK(ref);
  EXPECT_TRUE(deploymentFinished(ref->deploymentId));
  std::optional<planner::ObservedApp> after;
  ASSERT_TRUE(eventually([&] {
    after = settled("/cp-test/c1", app.id, 2);
    if (!after) return false;
    for (const auto& t : after->status.tasks) {
      for (const auto& old : before->status.tasks) {
        if (t.id == old.id) return false;
      }
    }
    return true;
  })) << "old tasks were not replaced";
  EXPECT_EQ(after->spec.cmd, app.cmd);
  EXPECT_NE(after->status.lastConfigChangeAt, before->status.lastConfigChangeAt);
}

TEST_P(MarathonApiContractTest, ScaleKeepsRunningTasks) {
  const auto app = sleeper("/cp-test/c1/rgw/s3", 1);
  ASSERT_OK(api().putApp(app, false));
  auto before = settled("/cp-test/c1", app.id, 1);
  ASSERT_TRUE(before.has_value());
  auto ref = api().scaleApp(app.id, 3, false);
  ASSERT_OK(ref);
  EXPECT_TRUE(deploymentFinished(ref->deploymentId));
  auto after = settled("/cp-test/c1", app.id, 3);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->spec.instances, 3);
  auto kept = std::count_if(
      after->status.tasks.begin(), after->status.tasks.end(),
      [&](const planner::TaskStatus& t) { return t.id == before->status.tasks.at(0).id; });
  EXPECT_EQ(kept, 1) << "scaling must not restart the running task";
  EXPECT_EQ(after->status.lastConfigChangeAt, before->status.lastConfigChangeAt);
}

TEST_P(MarathonApiContractTest, ScalingAMissingAppIsRejectedNotCreated) {
  EXPECT_ERROR_CODE(api().scaleApp("/cp-test/c1/rgw/none", 2, false), ErrorCode::InvalidInput);
  auto group = api().getGroup("/cp-test/c1");
  ASSERT_OK(group);
  EXPECT_TRUE(group->apps.empty());
}

TEST_P(MarathonApiContractTest, DeleteRemovesTheAppAndThenIsNotFound) {
  const auto app = sleeper("/cp-test/c1/mgr/a", 1);
  ASSERT_OK(api().putApp(app, false));
  ASSERT_TRUE(settled("/cp-test/c1", app.id, 1).has_value());
  auto ref = api().deleteApp(app.id, false);
  ASSERT_OK(ref);
  EXPECT_TRUE(deploymentFinished(ref->deploymentId));
  EXPECT_TRUE(eventually([&] { return !observed("/cp-test/c1", app.id).has_value(); }));
  auto again = api().deleteApp(app.id, false);
  EXPECT_ERROR_CODE(again, ErrorCode::NotFound);
  EXPECT_NE(again.error().message.find("does not exist"), std::string::npos)
      << again.error().message;
}

TEST_P(MarathonApiContractTest, LockedAppConflictsUnlessForced) {
  auto app = unplaceable("/cp-test/c1/osd/h9-0");
  auto first = api().putApp(app, false);
  ASSERT_OK(first);
  app.cmd = "sleep 300000";
  auto locked = api().putApp(app, false);
  EXPECT_ERROR_CODE(locked, ErrorCode::Conflict);
  EXPECT_EQ(lockingDeploymentIds(locked.error()), std::vector<std::string>{first->deploymentId})
      << locked.error().message;
  EXPECT_NE(locked.error().message.find("locked"), std::string::npos);
  auto forced = api().putApp(app, true);
  ASSERT_OK(forced);
  auto deployments = api().listDeployments();
  ASSERT_OK(deployments);
  std::vector<std::string> ids;
  for (const auto& d : *deployments) ids.push_back(d.id);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), first->deploymentId), 0) << "force must cancel";
  EXPECT_EQ(std::count(ids.begin(), ids.end(), forced->deploymentId), 1);
  ASSERT_OK(api().deleteApp(app.id, true));
}

TEST_P(MarathonApiContractTest, BatchPutIsOneDeployment) {
  auto ref = api().putApps({sleeper("/cp-test/c1/osd/h1-0", 1), sleeper("/cp-test/c1/osd/h2-0", 1)},
                           false);
  ASSERT_OK(ref);
  EXPECT_TRUE(deploymentFinished(ref->deploymentId));
  EXPECT_TRUE(settled("/cp-test/c1", "/cp-test/c1/osd/h1-0", 1).has_value());
  EXPECT_TRUE(settled("/cp-test/c1", "/cp-test/c1/osd/h2-0", 1).has_value());
}

TEST_P(MarathonApiContractTest, ValidationErrorsCarryMarathonDetails) {
  auto bad = sleeper("/cp-test/c1/Bad_Id", 1);
  auto r = api().putApp(bad, false);
  EXPECT_ERROR_CODE(r, ErrorCode::InvalidInput);
  EXPECT_NE(r.error().message.find("/id"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("marathon answered 422"), std::string::npos)
      << r.error().message;
  auto batch = api().putApps({sleeper("/cp-test/c1/ok", 1), bad}, false);
  EXPECT_ERROR_CODE(batch, ErrorCode::InvalidInput);
  auto group = api().getGroup("/cp-test/c1");
  ASSERT_OK(group);
  EXPECT_TRUE(group->apps.empty()) << "a rejected batch must not create any app";
}

TEST_P(MarathonApiContractTest, NotFoundMapping) {
  auto group = api().getGroup("/cp-test/none");
  ASSERT_OK(group);
  EXPECT_FALSE(group->groupExists);
  EXPECT_TRUE(group->apps.empty());
  EXPECT_ERROR_CODE(api().deleteApp("/cp-test/none/x", false), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(api().deleteDeployment("97c136bf-2a3b-4a1e-9b8c-4c1d5e2f3a4b", false),
                    ErrorCode::NotFound);
}

TEST_P(MarathonApiContractTest, KillingUnknownTasksIsIgnored) {
  // Marathon's POST /v2/tasks/delete skips task ids it does not know (already gone): killing
  // twice is harmless, and nothing is scaled down.
  auto plain = api().killTasks("/cp-test/none/x", {"cp-test_none_x.instance-1._app.1"}, false);
  ASSERT_OK(plain);
  EXPECT_TRUE(plain->killedTaskIds.empty());
  auto scaled = api().killTasks("/cp-test/none/x", {"cp-test_none_x.instance-1._app.1"}, true);
  ASSERT_OK(scaled);
  ASSERT_TRUE(scaled->deployment.has_value());
  EXPECT_TRUE(deploymentFinished(scaled->deployment->deploymentId));
  auto group = api().getGroup("/cp-test/none");
  ASSERT_OK(group);
  EXPECT_FALSE(group->groupExists);
}

TEST_P(MarathonApiContractTest, KillWithScaleLowersInstances) {
  const auto app = sleeper("/cp-test/c1/rgw/s3", 2);
  ASSERT_OK(api().putApp(app, false));
  auto before = settled("/cp-test/c1", app.id, 2);
  ASSERT_TRUE(before.has_value());
  const std::string victim = before->status.tasks.at(0).id;
  auto killed = api().killTasks(app.id, {victim}, /*scale=*/true);
  ASSERT_OK(killed);
  ASSERT_TRUE(killed->deployment.has_value());
  EXPECT_TRUE(deploymentFinished(killed->deployment->deploymentId));
  auto after = settled("/cp-test/c1", app.id, 1);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->spec.instances, 1);
  EXPECT_NE(after->status.tasks.at(0).id, victim);
}

TEST_P(MarathonApiContractTest, KillWithoutScaleIsReplaced) {
  const auto app = sleeper("/cp-test/c1/osd/h1-1", 1);
  ASSERT_OK(api().putApp(app, false));
  auto before = settled("/cp-test/c1", app.id, 1);
  ASSERT_TRUE(before.has_value());
  const std::string victim = before->status.tasks.at(0).id;
  auto killed = api().killTasks(app.id, {victim}, /*scale=*/false);
  ASSERT_OK(killed);
  EXPECT_FALSE(killed->deployment.has_value());
  EXPECT_EQ(killed->killedTaskIds, std::vector<std::string>{victim});
  EXPECT_TRUE(eventually([&] {
    auto a = settled("/cp-test/c1", app.id, 1);
    return a && a->spec.instances == 1 && a->status.tasks.at(0).id != victim &&
           a->status.tasks.at(0).state == "TASK_RUNNING";
  }));
}

TEST_P(MarathonApiContractTest, QueueShowsUnplaceableAppWithReason) {
  const auto app = unplaceable("/cp-test/c1/osd/h9-1");
  auto ref = api().putApp(app, false);
  ASSERT_OK(ref);
  std::optional<QueueEntry> entry;
  ASSERT_TRUE(eventually([&] {
    auto queue = api().getQueue();
    if (!queue) return false;
    for (const auto& e : *queue) {
      if (e.appId == app.id && !e.rejectReasons.empty()) entry = e;
    }
    return entry.has_value();
  })) << "the app never showed in the queue with a reject reason";
  EXPECT_EQ(entry->count, 1);
  EXPECT_TRUE(entry->delayOverdue);
  EXPECT_EQ(entry->rejectReasons.front().reason, "UnfulfilledConstraint");
  auto deployments = api().listDeployments();
  ASSERT_OK(deployments);
  auto open = std::find_if(deployments->begin(), deployments->end(),
                           [&](const Deployment& d) { return d.id == ref->deploymentId; });
  ASSERT_NE(open, deployments->end()) << "a deployment that cannot place stays open";
  EXPECT_EQ(open->affectedApps, std::vector<std::string>{app.id});
  EXPECT_GE(open->totalSteps, 1);
  // Cancelling without force reverts (the app did not exist before: a deployment removes it).
  auto cancelled = api().deleteDeployment(ref->deploymentId, false);
  ASSERT_OK(cancelled);
  ASSERT_TRUE(cancelled->has_value());
  EXPECT_TRUE(deploymentFinished((*cancelled)->deploymentId));
  EXPECT_TRUE(eventually([&] { return !observed("/cp-test/c1", app.id).has_value(); }));
}

TEST_P(MarathonApiContractTest, EventStreamDeliversDeploymentSuccess) {
  std::mutex mu;
  std::vector<MarathonEvent> events;
  std::stop_source stop;
  Status streamStatus;
  std::thread reader([&] {
    streamStatus = api().streamEvents(
        EventFilter{{"deployment_success"}},
        [&](const MarathonEvent& e) {
          std::lock_guard lock(mu);
          events.push_back(e);
        },
        stop.get_token());
  });
  // Stops and joins the reader on every exit path, failed assertions included.
  struct Joiner {
    std::stop_source& stop;
    std::thread& thread;
    ~Joiner() {
      stop.request_stop();
      if (thread.joinable()) thread.join();
    }
  } joiner{stop, reader};
  auto has = [&](const std::function<bool(const MarathonEvent&)>& pred) {
    std::lock_guard lock(mu);
    return std::any_of(events.begin(), events.end(), pred);
  };
  ASSERT_TRUE(eventually([&] {
    return has([](const MarathonEvent& e) { return e.type == "event_stream_attached"; });
  }));
  auto ref = api().putApp(sleeper("/cp-test/c1/mon/ev", 1), false);
  ASSERT_OK(ref);
  EXPECT_TRUE(eventually([&] {
    return has([&](const MarathonEvent& e) {
      return e.type == "deployment_success" && e.json.find(ref->deploymentId) != std::string::npos;
    });
  }));
  stop.request_stop();
  reader.join();
  EXPECT_OK(streamStatus);
  std::lock_guard lock(mu);
  for (const auto& e : events) {
    EXPECT_TRUE(e.type == "deployment_success" || e.type == "event_stream_attached") << e.type;
  }
}

TEST_P(MarathonApiContractTest, InfoAndLeader) {
  auto info = api().info();
  ASSERT_OK(info);
  EXPECT_EQ(info->name, "marathon");
  EXPECT_FALSE(info->version.empty());
  auto leader = api().leader();
  ASSERT_OK(leader);
  EXPECT_NE(leader->find(':'), std::string::npos) << *leader;
}

INSTANTIATE_TEST_SUITE_P(Implementations, MarathonApiContractTest,
                         ::testing::Values(TargetParam{"MarathonSim",
                                                       []() -> Result<std::unique_ptr<Target>> {
                                                         auto t = std::make_unique<SimTarget>();
                                                         if (auto s = t->start(); !s)
                                                           return s.error();
                                                         return std::unique_ptr<Target>(
                                                             std::move(t));
                                                       }},
                                           TargetParam{"FakeMarathon",
                                                       []() -> Result<std::unique_ptr<Target>> {
                                                         return std::unique_ptr<Target>(
                                                             std::make_unique<FakeTarget>());
                                                       }}),
                         paramName);

}  // namespace
}  // namespace ceph_planner::marathon
