// CppRestMarathonClient against marathon-sim's fault injection (`/sim/faults`): retries survive
// injected 5xx on idempotent calls, POSTs are sent once, and injected latency beyond the call
// timeout is reported as `Timeout`. Simulator only: FakeMarathon has no wire to break.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/testing.h"
#include "marathon_client/cpprest_marathon_client.h"
#include "tests/contract/marathon_api/sim_process.h"

namespace ceph_planner::marathon {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class SimFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = sim_.start(std::string(CP_SOURCE_DIR) + "/examples/local.agents.yaml", 50);
    ASSERT_TRUE(s.has_value()) << s.error().toString();
    raw_ = makeCppRestTransport("");
  }

  std::unique_ptr<CppRestMarathonClient> client(RetryPolicy retry, Clock::Duration timeout) {
    MarathonClientOptions options;
    options.baseUrls = {sim_.url()};
    options.callTimeout = timeout;
    options.retry = retry;
    options.jitterSeed = 11;
    auto c = CppRestMarathonClient::create(options);
    EXPECT_TRUE(c.has_value());
    return std::move(c.value());
  }

  HttpReply simCall(const std::string& method, const std::string& path, std::string body = "") {
    HttpCall call{method,
                  sim_.url() + path,
                  {{"Content-Type", "application/json"}},
                  std::move(body),
                  seconds(5)};
    auto r = raw_->send(call);
    EXPECT_TRUE(std::holds_alternative<HttpReply>(r)) << method << " " << path;
    return std::holds_alternative<HttpReply>(r) ? std::get<HttpReply>(r) : HttpReply{};
  }

  // Requests the simulator logged for `path` (exact) and `method`, by status.
  std::map<int, int> logged(const std::string& method, const std::string& path) {
    std::map<int, int> byStatus;
    auto log = nlohmann::json::parse(simCall("GET", "/sim/requests").body);
    for (const auto& e : log) {
      if (e.value("method", "") == method && e.value("path", "") == path) {
        ++byStatus[e.value("status", 0)];
      }
    }
    return byStatus;
  }

  testing::SimProcess sim_;
  HttpTransportPtr raw_;
};

TEST_F(SimFaultsTest, IdempotentCallsSurviveInjected5xx) {
  ASSERT_EQ(simCall("PUT", "/sim/faults", R"({"prefix":"/v2/info","errorRate":0.5,"status":503})")
                    .status /
                100,
            2);
  auto c = client(RetryPolicy{10, milliseconds(5), milliseconds(50), seconds(10)}, seconds(5));
  for (int i = 0; i < 20; ++i) ASSERT_OK(c->info());
  auto byStatus = logged("GET", "/v2/info");
  EXPECT_EQ(byStatus[200], 20);
  EXPECT_GT(byStatus[503], 0) << "the fault rule never fired, so retries were not exercised";
  EXPECT_EQ(c->requestsSent(), byStatus[200] + byStatus[503]);
}

TEST_F(SimFaultsTest, RetriesGiveUpWithTheQuotedError) {
  ASSERT_EQ(simCall("PUT", "/sim/faults", R"({"prefix":"/v2/leader","errorRate":1,"status":502})")
                    .status /
                100,
            2);
  auto c = client(RetryPolicy{3, milliseconds(5), milliseconds(20), seconds(10)}, seconds(5));
  auto r = c->leader();
  EXPECT_ERROR_CODE(r, ErrorCode::Unavailable);
  EXPECT_NE(r.error().message.find("marathon answered 502"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(logged("GET", "/v2/leader")[502], 3);
}

TEST_F(SimFaultsTest, PostIsSentOnceEvenWhenItFails) {
  ASSERT_EQ(
      simCall("PUT", "/sim/faults", R"({"prefix":"/v2/tasks/delete","errorRate":1,"status":503})")
              .status /
          100,
      2);
  auto c = client(RetryPolicy{5, milliseconds(5), milliseconds(20), seconds(10)}, seconds(5));
  auto r = c->killTasks("/cp-test/a", {"cp-test_a.instance-1._app.1"}, true);
  EXPECT_ERROR_CODE(r, ErrorCode::Unavailable);
  EXPECT_EQ(logged("POST", "/v2/tasks/delete")[503], 1);
}

TEST_F(SimFaultsTest, LatencyBeyondTheCallTimeoutIsATimeout) {
  ASSERT_EQ(
      simCall("PUT", "/sim/faults", R"({"prefix":"/v2/queue","latencyMs":1500})").status / 100, 2);
  auto c =
      client(RetryPolicy{2, milliseconds(5), milliseconds(10), seconds(10)}, milliseconds(300));
  auto start = std::chrono::steady_clock::now();
  auto r = c->getQueue();
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_ERROR_CODE(r, ErrorCode::Timeout);
  EXPECT_NE(r.error().message.find("gave up after 2 attempts"), std::string::npos)
      << r.error().message;
  EXPECT_LT(elapsed, seconds(3)) << "the call timeout was not applied";
  // Without the fault the same client answers at once.
  ASSERT_EQ(simCall("DELETE", "/sim/faults").status / 100, 2);
  EXPECT_OK(c->getQueue());
}

TEST_F(SimFaultsTest, FailsOverFromADeadUrlToTheSimulator) {
  MarathonClientOptions options;
  options.baseUrls = {"http://127.0.0.1:1", sim_.url()};  // Port 1: nothing listens there.
  options.callTimeout = seconds(5);
  auto c = CppRestMarathonClient::create(options);
  ASSERT_OK(c);
  auto info = (*c)->info();
  ASSERT_OK(info);
  EXPECT_EQ(info->name, "marathon");
}

TEST(SimBinaryTest, SimulatorBinaryExists) {
  // Fails (never skips) when marathon-sim was not built, so the contract cannot pass vacuously.
  EXPECT_TRUE(std::filesystem::exists(testing::marathonSimPath())) << testing::marathonSimPath();
}

}  // namespace
}  // namespace ceph_planner::marathon
