#pragma once

// Shared helpers of the ZooKeeper component suite: one standalone server for the whole binary
// (started on first use; a start failure fails every test that needs it) and store factories that
// give each test its own root path on it.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

#include "common/testing.h"
#include "store/zk_topology_store.h"
#include "tests/fakes/zk_server.h"

namespace ceph_planner::store::testing {

inline constexpr const char* kCredentialsEnv = "CP_TEST_ZK_CREDENTIALS";

// The shared server, or nullptr with `error` set.
inline ceph_planner::testing::ZkServer* sharedZk(std::string* error = nullptr) {
  static std::unique_ptr<ceph_planner::testing::ZkServer> server;
  static std::string startError;
  static bool tried = false;
  if (!tried) {
    tried = true;
    auto started = ceph_planner::testing::ZkServer::start();
    if (started) {
      server = std::move(*started);
    } else {
      startError = started.error().toString();
    }
  }
  if (error != nullptr) *error = startError;
  return server.get();
}

// A fresh root on the shared server for each call (`/t-<n>`).
inline std::string freshRoot() {
  static std::atomic<int> counter{0};
  return "/t-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

inline ZkStoreOptions storeOptions(const std::string& connect, bool withCredentials = true) {
  ZkStoreOptions o;
  o.connect = connect;
  o.sessionTimeout = std::chrono::milliseconds(4000);
  o.connectTimeout = std::chrono::milliseconds(10000);
  o.callTimeout = std::chrono::milliseconds(5000);
  if (withCredentials) {
    ::setenv(kCredentialsEnv, "planner:test-password", 1);
    o.credentialsEnv = kCredentialsEnv;
  }
  return o;
}

// Fails the current test (loudly) if the server could not start.
#define CP_REQUIRE_ZK()                                                         \
  do {                                                                          \
    std::string cp_zk_error_;                                                   \
    ASSERT_NE(::ceph_planner::store::testing::sharedZk(&cp_zk_error_), nullptr) \
        << "real zookeeper did not start: " << cp_zk_error_;                    \
  } while (0)

}  // namespace ceph_planner::store::testing
