#pragma once

// Behavioural cases of the `TopologyStore` contract, shared by every implementation: the unit
// suite instantiates them for `FileTopologyStore`, the component suite for `ZkTopologyStore`
// against a real ZooKeeper. A `Factory` type provides
//   static ceph_planner::store::TopologyStorePtr make();   // a fresh, empty store
// and may keep per-suite state (a server) in statics.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/testing.h"
#include "store/secrets.h"
#include "store/topology_store.h"

namespace ceph_planner::store::testing {

// A reasonably realistic YAML text of `hosts` hosts (about 2.6 KB per host, 16 disks each).
inline std::string makeLargeTopologyYaml(int hosts) {
  std::string out = "cluster:\n  name: big\n  fsid-hint: none\nhosts:\n";
  for (int h = 0; h < hosts; ++h) {
    const std::string name = "node-" + std::to_string(h);
    out += "  - name: " + name + "\n    address: 10." + std::to_string(h / 250) + "." +
           std::to_string(h % 250) + ".10\n    labels: [osd, rack-" + std::to_string(h % 40) +
           "]\n    inventory:\n";
    for (int d = 0; d < 16; ++d) {
      out += "      - {path: /dev/disk/by-path/pci-0000:3b:00.0-sas-0x5000c500" +
             std::to_string(1000000 + h * 16 + d) +
             "-lun-0, size: 16TB, rotational: true, model: ST16000NM001G, serial: ZL2" +
             std::to_string(500000 + h * 16 + d) + "}\n";
    }
    out += "    db_devices: [/dev/nvme0n1, /dev/nvme1n1]\n";
  }
  return out;
}

template <typename Factory>
class TopologyStoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = Factory::make();
    ASSERT_NE(store_, nullptr);
  }
  PutRequest request(std::string yaml, int64_t expected, std::string author = "alice",
                     std::string message = "") {
    PutRequest r;
    r.yaml = std::move(yaml);
    r.expected.version = expected;
    r.author = std::move(author);
    r.message = std::move(message);
    return r;
  }
  TopologyStorePtr store_;
};

TYPED_TEST_SUITE_P(TopologyStoreContract);

TYPED_TEST_P(TopologyStoreContract, GetOfUnknownClusterIsNotFound) {
  EXPECT_ERROR_CODE(this->store_->getTopology("c1"), ErrorCode::NotFound);
  auto history = this->store_->listHistory("c1");
  ASSERT_OK(history);
  EXPECT_TRUE(history->empty());
}

TYPED_TEST_P(TopologyStoreContract, FirstPutCreatesVersionOne) {
  auto put = this->store_->putTopology("c1", this->request("a: 1\n", 0, "alice", "first"));
  ASSERT_OK(put);
  EXPECT_EQ(put->version, 1);
  EXPECT_GT(put->timestampMs, 0);
  auto got = this->store_->getTopology("c1");
  ASSERT_OK(got);
  EXPECT_EQ(got->yaml, "a: 1\n");
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->author, "alice");
  EXPECT_EQ(got->message, "first");
  EXPECT_EQ(got->timestampMs, put->timestampMs);
}

TYPED_TEST_P(TopologyStoreContract, StaleVersionIsConflictWithExactMessageAndWritesNothing) {
  ASSERT_OK(this->store_->putTopology("c1", this->request("a: 1\n", 0, "alice")));
  ASSERT_OK(this->store_->putTopology("c1", this->request("a: 2\n", 1, "bob")));
  auto stale = this->store_->putTopology("c1", this->request("a: 3\n", 1, "carol"));
  EXPECT_ERROR_CODE(stale, ErrorCode::Conflict);
  EXPECT_EQ(stale.error().message,
            "topology changed since you planned (v1 → v2) by bob; re-run plan");
  auto got = this->store_->getTopology("c1");
  ASSERT_OK(got);
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->yaml, "a: 2\n");
  auto history = this->store_->listHistory("c1");
  ASSERT_OK(history);
  EXPECT_EQ(history->size(), 2u);
}

TYPED_TEST_P(TopologyStoreContract, MustNotExistFailsOnceCreated) {
  ASSERT_OK(this->store_->putTopology("c1", this->request("a: 1\n", 0, "alice")));
  auto again = this->store_->putTopology("c1", this->request("a: 9\n", 0, "bob"));
  EXPECT_ERROR_CODE(again, ErrorCode::Conflict);
  EXPECT_EQ(again.error().message,
            "topology changed since you planned (v0 → v1) by alice; re-run plan");
}

TYPED_TEST_P(TopologyStoreContract, ExpectingAFutureVersionIsConflict) {
  auto put = this->store_->putTopology("c1", this->request("a: 1\n", 5, "alice"));
  EXPECT_ERROR_CODE(put, ErrorCode::Conflict);
  EXPECT_EQ(put.error().message,
            "topology changed since you planned (v5 → v0) by nobody; re-run plan");
  EXPECT_ERROR_CODE(this->store_->getTopology("c1"), ErrorCode::NotFound);
}

TYPED_TEST_P(TopologyStoreContract, EmptyYamlAndBadNamesAreInvalidInput) {
  EXPECT_ERROR_CODE(this->store_->putTopology("c1", this->request("", 0)), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(this->store_->putTopology("a/b", this->request("x: 1\n", 0)),
                    ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(this->store_->getTopology(".."), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(this->store_->getSecret("c1", "../x"), ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(this->store_->getInventory("c1", ""), ErrorCode::InvalidInput);
}

TYPED_TEST_P(TopologyStoreContract, ConcurrentWritersExactlyOneWins) {
  ASSERT_OK(this->store_->putTopology("c1", this->request("base: 1\n", 0, "seed")));
  constexpr int kWriters = 4;
  std::vector<Result<TopologyRecord>> results(kWriters, makeError(ErrorCode::Internal, "unset"));
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      ready++;
      while (ready.load() < kWriters) std::this_thread::yield();
      results[i] = this->store_->putTopology(
          "c1",
          this->request("writer: " + std::to_string(i) + "\n", 1, "writer-" + std::to_string(i)));
    });
  }
  for (auto& t : threads) t.join();
  int winner = -1;
  for (int i = 0; i < kWriters; ++i) {
    if (results[i]) {
      EXPECT_EQ(winner, -1) << "two writers won";
      winner = i;
    }
  }
  ASSERT_NE(winner, -1);
  for (int i = 0; i < kWriters; ++i) {
    if (i == winner) continue;
    EXPECT_EQ(results[i].error().code, ErrorCode::Conflict);
    EXPECT_EQ(results[i].error().message,
              "topology changed since you planned (v1 → v2) by writer-" + std::to_string(winner) +
                  "; re-run plan");
  }
  auto got = this->store_->getTopology("c1");
  ASSERT_OK(got);
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->yaml, "writer: " + std::to_string(winner) + "\n");
  auto history = this->store_->listHistory("c1");
  ASSERT_OK(history);
  EXPECT_EQ(history->size(), 2u);
}

TYPED_TEST_P(TopologyStoreContract, HistoryRoundTrip) {
  for (int v = 1; v <= 3; ++v) {
    ASSERT_OK(this->store_->putTopology(
        "c1", this->request("v: " + std::to_string(v) + "\n", v - 1, "u" + std::to_string(v),
                            "why " + std::to_string(v))));
  }
  auto history = this->store_->listHistory("c1");
  ASSERT_OK(history);
  ASSERT_EQ(history->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*history)[i].version, i + 1);
    EXPECT_EQ((*history)[i].author, "u" + std::to_string(i + 1));
    EXPECT_EQ((*history)[i].message, "why " + std::to_string(i + 1));
    EXPECT_EQ((*history)[i].sizeBytes, 5);
  }
  EXPECT_LE((*history)[0].timestampMs, (*history)[2].timestampMs);
  auto v2 = this->store_->getTopologyVersion("c1", 2);
  ASSERT_OK(v2);
  EXPECT_EQ(v2->yaml, "v: 2\n");
  EXPECT_EQ(v2->author, "u2");
  EXPECT_ERROR_CODE(this->store_->getTopologyVersion("c1", 4), ErrorCode::NotFound);
  EXPECT_ERROR_CODE(this->store_->getTopologyVersion("c1", 0), ErrorCode::NotFound);
  // Rollback = putting an old document as a new version.
  auto rolled = this->store_->putTopology("c1", this->request(v2->yaml, 3, "ops", "rollback to 2"));
  ASSERT_OK(rolled);
  EXPECT_EQ(rolled->version, 4);
  auto got = this->store_->getTopology("c1");
  ASSERT_OK(got);
  EXPECT_EQ(got->yaml, "v: 2\n");
}

TYPED_TEST_P(TopologyStoreContract, WatchFiresOnChangeAndStopsAfterUnwatch) {
  std::mutex m;
  std::condition_variable cv;
  int fired = 0;
  std::vector<int64_t> seen;
  TopologyStore* store = this->store_.get();
  auto id = store->watchTopology("c1", [&] {
    auto got = store->getTopology("c1");  // Callbacks may call the store.
    std::lock_guard<std::mutex> g(m);
    ++fired;
    if (got) seen.push_back(got->version);
    cv.notify_all();
  });
  ASSERT_OK(id);
  ASSERT_OK(store->putTopology("c1", this->request("a: 1\n", 0)));
  {
    std::unique_lock<std::mutex> l(m);
    ASSERT_TRUE(
        cv.wait_for(l, std::chrono::seconds(5), [&] { return !seen.empty() && seen.back() == 1; }));
  }
  ASSERT_OK(store->putTopology("c1", this->request("a: 2\n", 1)));
  {
    std::unique_lock<std::mutex> l(m);
    ASSERT_TRUE(
        cv.wait_for(l, std::chrono::seconds(5), [&] { return !seen.empty() && seen.back() == 2; }));
  }
  store->unwatch(*id);
  int firedAtUnwatch;
  {
    std::lock_guard<std::mutex> g(m);
    firedAtUnwatch = fired;
  }
  ASSERT_OK(store->putTopology("c1", this->request("a: 3\n", 2)));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  std::lock_guard<std::mutex> g(m);
  EXPECT_EQ(fired, firedAtUnwatch);
}

TYPED_TEST_P(TopologyStoreContract, SecretsAreCreatedOnce) {
  EXPECT_ERROR_CODE(this->store_->getSecret("c1", "fsid"), ErrorCode::NotFound);
  auto first = this->store_->putSecretIfAbsent("c1", "fsid", "one");
  ASSERT_OK(first);
  EXPECT_EQ(*first, "one");
  auto second = this->store_->putSecretIfAbsent("c1", "fsid", "two");
  ASSERT_OK(second);
  EXPECT_EQ(*second, "one");
  auto got = this->store_->getSecret("c1", "fsid");
  ASSERT_OK(got);
  EXPECT_EQ(*got, "one");
  ASSERT_OK(this->store_->putSecretIfAbsent("c1", "mon..keyring", "k"));
  auto names = this->store_->listSecrets("c1");
  ASSERT_OK(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"fsid", "mon..keyring"}));
}

TYPED_TEST_P(TopologyStoreContract, BootstrapSecretsAreGeneratedOnceAndNeverRegenerated) {
  auto first = ensureBootstrapSecrets(*this->store_, "c1", 1700000000000);
  ASSERT_OK(first);
  auto second = ensureBootstrapSecrets(*this->store_, "c1", 1800000000000);
  ASSERT_OK(second);
  EXPECT_EQ(first->fsid, second->fsid);
  ASSERT_EQ(first->keys.size(), 5u);
  ASSERT_EQ(second->keys.size(), 5u);
  for (size_t i = 0; i < first->keys.size(); ++i) {
    EXPECT_EQ(first->keys[i].entity, second->keys[i].entity);
    EXPECT_EQ(first->keys[i].key, second->keys[i].key);
  }
  auto stored = this->store_->getSecret("c1", keyringSecretName("client.admin"));
  ASSERT_OK(stored);
  EXPECT_EQ(*stored, renderKeyring(*first->find("client.admin")));
}

TYPED_TEST_P(TopologyStoreContract, OsdBindingsRoundTrip) {
  EXPECT_ERROR_CODE(this->store_->getOsdBinding("c1", "node-1", "s00"), ErrorCode::NotFound);
  const OsdBinding b0{3, "6f1d0c52-58a4-4c1a-9a53-2f1c3a1b0c01"};
  const OsdBinding b1{4, "6f1d0c52-58a4-4c1a-9a53-2f1c3a1b0c02"};
  ASSERT_OK(this->store_->putOsdBinding("c1", "node-1", "s00", b0));
  ASSERT_OK(this->store_->putOsdBinding("c1", "node-1", "s01", b1));
  ASSERT_OK(this->store_->putOsdBinding("c1", "node-1", "s01", b1));  // Idempotent.
  auto got = this->store_->getOsdBinding("c1", "node-1", "s00");
  ASSERT_OK(got);
  EXPECT_EQ(*got, b0);
  auto all = this->store_->listOsdBindings("c1");
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].first, "node-1-s00");
  EXPECT_EQ((*all)[1].second, b1);
  ASSERT_OK(this->store_->deleteOsdBinding("c1", "node-1", "s00"));
  ASSERT_OK(this->store_->deleteOsdBinding("c1", "node-1", "s00"));  // Idempotent.
  EXPECT_ERROR_CODE(this->store_->getOsdBinding("c1", "node-1", "s00"), ErrorCode::NotFound);
}

TYPED_TEST_P(TopologyStoreContract, InventoryAndStatusRoundTrip) {
  EXPECT_ERROR_CODE(this->store_->getInventory("c1", "node-1"), ErrorCode::NotFound);
  ASSERT_OK(this->store_->putInventory("c1", "node-2", R"([{"path": "/dev/sdb"}])"));
  ASSERT_OK(this->store_->putInventory("c1", "node-1", R"([{"path": "/dev/sda"}])"));
  ASSERT_OK(this->store_->putInventory("c1", "node-1", R"([{"path": "/dev/sdc"}])"));
  auto inv = this->store_->getInventory("c1", "node-1");
  ASSERT_OK(inv);
  EXPECT_EQ(*inv, R"([{"path": "/dev/sdc"}])");
  auto hosts = this->store_->listInventoryHosts("c1");
  ASSERT_OK(hosts);
  EXPECT_EQ(*hosts, (std::vector<std::string>{"node-1", "node-2"}));
  EXPECT_ERROR_CODE(
      this->store_->putInventory("c1", "node-3", std::string(kMaxInventoryBytes + 1, 'x')),
      ErrorCode::InvalidInput);
  EXPECT_ERROR_CODE(this->store_->getStatus("c1"), ErrorCode::NotFound);
  ASSERT_OK(this->store_->putStatus("c1", R"({"ready": false})"));
  ASSERT_OK(this->store_->putStatus("c1", R"({"ready": true})"));
  auto status = this->store_->getStatus("c1");
  ASSERT_OK(status);
  EXPECT_EQ(*status, R"({"ready": true})");
}

TYPED_TEST_P(TopologyStoreContract, ListClustersIsSorted) {
  ASSERT_OK(this->store_->putTopology("zeta", this->request("a: 1\n", 0)));
  ASSERT_OK(this->store_->putTopology("alpha", this->request("a: 1\n", 0)));
  auto clusters = this->store_->listClusters();
  ASSERT_OK(clusters);
  EXPECT_EQ(*clusters, (std::vector<std::string>{"alpha", "zeta"}));
}

TYPED_TEST_P(TopologyStoreContract, LargeTopologyRoundTrips) {
  const std::string yaml = makeLargeTopologyYaml(1000);
  ASSERT_GT(yaml.size(), 2u * 1024 * 1024);
  ASSERT_OK(this->store_->putTopology("big", this->request(yaml, 0)));
  auto got = this->store_->getTopology("big");
  ASSERT_OK(got);
  EXPECT_TRUE(got->yaml == yaml);
  auto v1 = this->store_->getTopologyVersion("big", 1);
  ASSERT_OK(v1);
  EXPECT_TRUE(v1->yaml == yaml);
}

REGISTER_TYPED_TEST_SUITE_P(TopologyStoreContract, GetOfUnknownClusterIsNotFound,
                            FirstPutCreatesVersionOne,
                            StaleVersionIsConflictWithExactMessageAndWritesNothing,
                            MustNotExistFailsOnceCreated, ExpectingAFutureVersionIsConflict,
                            EmptyYamlAndBadNamesAreInvalidInput, ConcurrentWritersExactlyOneWins,
                            HistoryRoundTrip, WatchFiresOnChangeAndStopsAfterUnwatch,
                            SecretsAreCreatedOnce,
                            BootstrapSecretsAreGeneratedOnceAndNeverRegenerated,
                            OsdBindingsRoundTrip, InventoryAndStatusRoundTrip, ListClustersIsSorted,
                            LargeTopologyRoundTrips);

}  // namespace ceph_planner::store::testing
