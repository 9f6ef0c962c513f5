// ZooKeeper-specific behaviour: chunked large topologies read atomically under concurrent writes,
// ACLs, credentials handling, logging routed away from stderr, session expiry recovery.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "store/secrets.h"
#include "tests/component/store_zk/zk_test_env.h"
#include "tests/unit/store/store_cases.h"

namespace ceph_planner::store::testing {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

double msSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

std::unique_ptr<ZkTopologyStore> connectOrFail(const ZkStoreOptions& options) {
  auto store = ZkTopologyStore::connect(options);
  if (!store) {
    ADD_FAILURE() << store.error().toString();
    return nullptr;
  }
  return std::move(*store);
}

TEST(ZkTopologyStore, ThousandHostTopologyIsChunkedAndReadAtomically) {
  CP_REQUIRE_ZK();
  const std::string connect = sharedZk()->connectString() + freshRoot();
  auto writer = connectOrFail(storeOptions(connect));
  auto reader = connectOrFail(storeOptions(connect));
  ASSERT_TRUE(writer && reader);

  // Two different large documents; a torn read would mix their chunks.
  const std::string docA = makeLargeTopologyYaml(1000);
  std::string docB = docA;
  std::replace(docB.begin(), docB.end(), 'n', 'm');
  ASSERT_GT(docA.size(), 2u * 1024 * 1024);

  auto t0 = SteadyClock::now();
  auto first = writer->putTopology("big", {docA, "alice", "1000 hosts", {0}});
  const double firstPutMs = msSince(t0);
  ASSERT_OK(first);
  auto size = writer->storedTopologySize("big");
  ASSERT_OK(size);
  EXPECT_GE(size->chunks, 5);
  EXPECT_EQ(size->chunkBytes, int64_t(docA.size()));
  t0 = SteadyClock::now();
  auto got = reader->getTopology("big");
  const double getMs = msSince(t0);
  ASSERT_OK(got);
  EXPECT_TRUE(got->yaml == docA);

  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::atomic<int> torn{0};
  std::atomic<int> errors{0};
  std::thread hammer([&] {
    while (!stop) {
      auto r = reader->getTopology("big");
      if (!r) {
        errors++;
        continue;
      }
      // Odd versions hold A, even ones B: the document must match its version exactly.
      const std::string& expected = r->version % 2 == 1 ? docA : docB;
      if (r->yaml != expected) torn++;
      reads++;
    }
  });
  int64_t version = first->version;
  double putTotalMs = 0;
  constexpr int kPuts = 6;
  for (int i = 0; i < kPuts; ++i) {
    const std::string& doc = (version + 1) % 2 == 1 ? docA : docB;
    t0 = SteadyClock::now();
    auto put = writer->putTopology("big", {doc, "alice", "flip", {version}});
    putTotalMs += msSince(t0);
    ASSERT_OK(put);
    version = put->version;
  }
  // Let the reader finish a few reads of the final version too.
  const int readsAtEnd = reads.load();
  while (reads.load() < readsAtEnd + 2) std::this_thread::sleep_for(milliseconds(5));
  stop = true;
  hammer.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GE(reads.load(), 3);
  auto history = reader->listHistory("big");
  ASSERT_OK(history);
  EXPECT_EQ(history->size(), size_t(kPuts + 1));

  std::printf(
      "[ size report ] 1000-host topology: %zu bytes yaml; stored as %lld manifest bytes + %lld "
      "chunk bytes in %d chunks; first put %.0f ms; put avg %.0f ms; get %.0f ms; concurrent "
      "reads %d\n",
      docA.size(), static_cast<long long>(size->manifestBytes),
      static_cast<long long>(size->chunkBytes), size->chunks, firstPutMs, putTotalMs / kPuts, getMs,
      reads.load());
  ::testing::Test::RecordProperty("yaml_bytes", std::to_string(docA.size()));
  ::testing::Test::RecordProperty("chunks", std::to_string(size->chunks));
}

TEST(ZkTopologyStore, TwoSessionsRaceExactlyOneWinsAndTheLoserWritesNothing) {
  CP_REQUIRE_ZK();
  const std::string connect = sharedZk()->connectString() + freshRoot();
  auto alice = connectOrFail(storeOptions(connect));
  auto bob = connectOrFail(storeOptions(connect));
  ASSERT_TRUE(alice && bob);
  ASSERT_OK(alice->putTopology("c1", {"base: 1\n", "seed", "", {0}}));
  for (int round = 0; round < 5; ++round) {
    auto planned = alice->getTopology("c1");  // Both planned against the same version.
    ASSERT_OK(planned);
    const int64_t v = planned->version;
    std::atomic<int> ready{0};
    Result<TopologyRecord> ra = makeError(ErrorCode::Internal, "unset");
    Result<TopologyRecord> rb = makeError(ErrorCode::Internal, "unset");
    std::thread ta([&] {
      ready++;
      while (ready < 2) std::this_thread::yield();
      ra = alice->putTopology("c1", {"by: alice\n", "alice", "", {v}});
    });
    std::thread tb([&] {
      ready++;
      while (ready < 2) std::this_thread::yield();
      rb = bob->putTopology("c1", {"by: bob\n", "bob", "", {v}});
    });
    ta.join();
    tb.join();
    ASSERT_NE(ra.has_value(), rb.has_value()) << "exactly one writer must win";
    const auto& loser = ra ? rb : ra;
    const std::string winner = ra ? "alice" : "bob";
    EXPECT_EQ(loser.error().code, ErrorCode::Conflict);
    EXPECT_EQ(loser.error().message, "topology changed since you planned (v" + std::to_string(v) +
                                         " → v" + std::to_string(v + 1) + ") by " + winner +
                                         "; re-run plan");
    auto now = bob->getTopology("c1");
    ASSERT_OK(now);
    EXPECT_EQ(now->version, v + 1);
    EXPECT_EQ(now->yaml, "by: " + winner + "\n");
    auto history = bob->listHistory("c1");
    ASSERT_OK(history);
    EXPECT_EQ(int64_t(history->size()), v + 1);
  }
}

TEST(ZkTopologyStore, ClientWithoutCredentialsCannotReadSecrets) {
  CP_REQUIRE_ZK();
  const std::string connect = sharedZk()->connectString() + freshRoot();
  auto owner = connectOrFail(storeOptions(connect));
  ASSERT_TRUE(owner);
  auto secrets = ensureBootstrapSecrets(*owner, "c1", 1700000000000);
  ASSERT_OK(secrets);
  ASSERT_OK(owner->putTopology("c1", {"a: 1\n", "alice", "", {0}}));

  auto anonymous = connectOrFail(storeOptions(connect, /*withCredentials=*/false));
  ASSERT_TRUE(anonymous);
  EXPECT_ERROR_CODE(anonymous->getSecret("c1", "fsid"), ErrorCode::PermissionDenied);
  EXPECT_ERROR_CODE(anonymous->getSecret("c1", keyringSecretName("client.admin")),
                    ErrorCode::PermissionDenied);
  EXPECT_ERROR_CODE(anonymous->listSecrets("c1"), ErrorCode::PermissionDenied);
  EXPECT_ERROR_CODE(anonymous->putSecretIfAbsent("c1", "fsid", "mine"),
                    ErrorCode::PermissionDenied);
  // The whole tree is digest-protected unless `worldReadable`.
  EXPECT_ERROR_CODE(anonymous->getTopology("c1"), ErrorCode::PermissionDenied);

  ::setenv("CP_TEST_ZK_WRONG", "planner:wrong-password", 1);
  auto wrong = storeOptions(connect, false);
  wrong.credentialsEnv = "CP_TEST_ZK_WRONG";
  auto intruder = connectOrFail(wrong);
  ASSERT_TRUE(intruder);
  EXPECT_ERROR_CODE(intruder->getSecret("c1", "fsid"), ErrorCode::PermissionDenied);

  // With `worldReadable`, others may read the topology but still not the secrets.
  const std::string openConnect = sharedZk()->connectString() + freshRoot();
  auto readable = storeOptions(openConnect);
  readable.worldReadable = true;
  auto owner2 = connectOrFail(readable);
  ASSERT_TRUE(owner2);
  ASSERT_OK(owner2->putTopology("c1", {"a: 1\n", "alice", "", {0}}));
  ASSERT_OK(owner2->putSecretIfAbsent("c1", "fsid", "f"));
  auto reader = connectOrFail(storeOptions(openConnect, false));
  ASSERT_TRUE(reader);
  EXPECT_OK(reader->getTopology("c1"));
  EXPECT_ERROR_CODE(reader->getSecret("c1", "fsid"), ErrorCode::PermissionDenied);
  EXPECT_ERROR_CODE(reader->putTopology("c1", {"b: 1\n", "eve", "", {1}}),
                    ErrorCode::PermissionDenied);
}

TEST(ZkTopologyStore, SecretValuesNeverReachTheClientLibraryLog) {
  CP_REQUIRE_ZK();
  std::string log;
  std::mutex m;
  setZkLogSink(
      [&](const std::string& line) {
        std::lock_guard<std::mutex> g(m);
        log += line + "\n";
      },
      ZkLogLevel::Debug);
  Result<BootstrapSecrets> secrets = makeError(ErrorCode::Internal, "not run");
  {
    auto store = connectOrFail(storeOptions(sharedZk()->connectString() + freshRoot()));
    ASSERT_TRUE(store);
    secrets = ensureBootstrapSecrets(*store, "c1", 1700000000000);
    ASSERT_OK(secrets);
    ASSERT_OK(store->getSecret("c1", keyringSecretName("client.admin")));
  }
  setZkLogSink(nullptr, ZkLogLevel::Error);
  std::lock_guard<std::mutex> g(m);
  ASSERT_FALSE(log.empty()) << "debug logging produced nothing: the check would be vacuous";
  for (const auto& k : secrets->keys) {
    EXPECT_EQ(log.find(k.key), std::string::npos) << k.entity;
    EXPECT_EQ(log.find(k.key.substr(0, 20)), std::string::npos) << k.entity;
  }
  EXPECT_EQ(log.find("test-password"), std::string::npos);
}

TEST(ZkTopologyStore, SecretsWithoutCredentialsAreRefused) {
  CP_REQUIRE_ZK();
  auto store = connectOrFail(storeOptions(sharedZk()->connectString() + freshRoot(), false));
  ASSERT_TRUE(store);
  auto put = store->putSecretIfAbsent("c1", "fsid", "x");
  EXPECT_ERROR_CODE(put, ErrorCode::PermissionDenied);
  EXPECT_NE(put.error().message.find("needs credentials"), std::string::npos);
}

TEST(ZkTopologyStore, BadConnectSettingsAreClearErrors) {
  auto empty = storeOptions("");
  EXPECT_ERROR_CODE(ZkTopologyStore::connect(empty), ErrorCode::InvalidInput);

  auto missingVar = storeOptions("127.0.0.1:1/x", false);
  missingVar.credentialsEnv = "CP_TEST_ZK_NOT_SET_ANYWHERE";
  EXPECT_ERROR_CODE(ZkTopologyStore::connect(missingVar), ErrorCode::NotFound);

  ::setenv("CP_TEST_ZK_MALFORMED", "no-colon-secret-text", 1);
  auto malformed = storeOptions("127.0.0.1:1/x", false);
  malformed.credentialsEnv = "CP_TEST_ZK_MALFORMED";
  auto r = ZkTopologyStore::connect(malformed);
  EXPECT_ERROR_CODE(r, ErrorCode::InvalidInput);
  EXPECT_EQ(r.error().message.find("no-colon-secret-text"), std::string::npos);

  auto missingFile = storeOptions("127.0.0.1:1/x", false);
  missingFile.credentialsFile = "/nonexistent/cp-credentials";
  EXPECT_ERROR_CODE(ZkTopologyStore::connect(missingFile), ErrorCode::NotFound);
}

TEST(ZkTopologyStore, UnreachableServerIsUnavailableAndLibraryLogsGoToOurSink) {
  std::vector<std::string> lines;
  std::mutex m;
  setZkLogSink(
      [&](const std::string& line) {
        std::lock_guard<std::mutex> g(m);
        lines.push_back(line);
      },
      ZkLogLevel::Info);
  auto options = storeOptions("127.0.0.1:1/x", false);  // Port 1: nothing listens.
  options.connectTimeout = milliseconds(800);
  const auto t0 = SteadyClock::now();
  auto r = ZkTopologyStore::connect(options);
  const double ms = msSince(t0);
  setZkLogSink(nullptr, ZkLogLevel::Error);
  EXPECT_ERROR_CODE(r, ErrorCode::Unavailable);
  EXPECT_NE(r.error().message.find("zookeeper quorum unavailable"), std::string::npos)
      << r.error().message;
  EXPECT_LT(ms, 3000);
  std::lock_guard<std::mutex> g(m);
  EXPECT_FALSE(lines.empty()) << "the client library logged nothing to the sink";
}

TEST(ZkTopologyStore, WatchSeesWritesOfAnotherClient) {
  CP_REQUIRE_ZK();
  const std::string connect = sharedZk()->connectString() + freshRoot();
  auto a = connectOrFail(storeOptions(connect));
  auto b = connectOrFail(storeOptions(connect));
  ASSERT_TRUE(a && b);
  std::mutex m;
  std::condition_variable cv;
  int64_t seen = 0;
  auto id = a->watchTopology("c1", [&] {
    auto got = a->getTopology("c1");
    std::lock_guard<std::mutex> g(m);
    if (got) seen = got->version;
    cv.notify_all();
  });
  ASSERT_OK(id);
  for (int64_t v = 1; v <= 3; ++v) {
    ASSERT_OK(b->putTopology("c1", {"v: " + std::to_string(v) + "\n", "bob", "", {v - 1}}));
    std::unique_lock<std::mutex> l(m);
    ASSERT_TRUE(cv.wait_for(l, std::chrono::seconds(5), [&] { return seen == v; })) << v;
  }
  a->unwatch(*id);
}

TEST(ZkTopologyStore, SessionExpiryIsRecoveredWithANewSessionAndWatchesComeBack) {
  CP_REQUIRE_ZK();
  const std::string connect = sharedZk()->connectString() + freshRoot();
  auto store = connectOrFail(storeOptions(connect));
  auto other = connectOrFail(storeOptions(connect));
  ASSERT_TRUE(store && other);
  ASSERT_OK(store->putTopology("c1", {"a: 1\n", "alice", "", {0}}));
  std::mutex m;
  std::condition_variable cv;
  int fired = 0;
  int64_t seen = 0;
  auto id = store->watchTopology("c1", [&] {
    auto got = store->getTopology("c1");
    std::lock_guard<std::mutex> g(m);
    ++fired;
    if (got) seen = got->version;
    cv.notify_all();
  });
  ASSERT_OK(id);
  ASSERT_OK(store->expireSessionForTesting());
  // Calls either fail with the session-expired error or (once the new session is up) succeed.
  const auto deadline = SteadyClock::now() + std::chrono::seconds(8);
  Result<TopologyRecord> got = makeError(ErrorCode::Internal, "not tried");
  while (SteadyClock::now() < deadline) {
    got = store->getTopology("c1");
    if (got) break;
    EXPECT_TRUE(isSessionExpiredError(got.error())) << got.error().toString();
    std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_OK(got);
  EXPECT_EQ(got->version, 1);
  {
    // The new session fires every watch once (a change may have been missed meanwhile).
    std::unique_lock<std::mutex> l(m);
    ASSERT_TRUE(cv.wait_for(l, std::chrono::seconds(8), [&] { return fired >= 1; }));
  }
  // ... and the watch is armed on the new session.
  ASSERT_OK(other->putTopology("c1", {"a: 2\n", "bob", "", {1}}));
  std::unique_lock<std::mutex> l(m);
  EXPECT_TRUE(cv.wait_for(l, std::chrono::seconds(5), [&] { return seen == 2; }));
  l.unlock();
  store->unwatch(*id);
  EXPECT_TRUE(isSessionExpiredError(
      makeError(ErrorCode::Unavailable, "zookeeper session expired during reading 'x'")));
  EXPECT_FALSE(isSessionExpiredError(makeError(ErrorCode::Unavailable, "other")));
}

}  // namespace
}  // namespace ceph_planner::store::testing
