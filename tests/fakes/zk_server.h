#pragma once

// A REAL ZooKeeper for tests: Debian's `zookeeper` package run as
//   java -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar <main class> <abs cfg>
// on free 127.0.0.1 ports with a fresh data directory, stopped by PID.
//
// Use:   auto zk = ZkServer::start();  ASSERT_OK(zk);  connect to (*zk)->connectString().
// Start fails with an error (never skips) when java or the jars are missing or the server does
// not serve in time; tests must `ASSERT_OK` it so that CI fails loudly. The child gets
// PR_SET_PDEATHSIG so a crashed test does not leave servers behind; destructors stop the
// processes and delete the directories. Build: add tests/fakes/zk_server.cpp to the suite's
// EXTRA_SOURCES.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace ceph_planner::testing {

// Sends a four-letter word (`srvr`, `mntr`, ...) to 127.0.0.1:`port`; returns the reply.
Result<std::string> zkFourLetterWord(int port, const std::string& word);

// One server process (standalone, or one member of a `ZkEnsemble`).
class ZkServer {
 public:
  // A standalone server (tickTime 500 ms: sessions may be 1–10 s).
  static Result<std::unique_ptr<ZkServer>> start();
  ~ZkServer();

  std::string connectString() const;  // `127.0.0.1:<port>`
  int port() const { return clientPort_; }
  bool running() const { return pid_ > 0; }

  // SIGKILL (a crash) or SIGTERM, then waits for the process; no-op if stopped.
  void stop(bool hard = true);
  // Starts the process again on the same ports and data; `wait` = until it serves.
  Status restart(bool wait = true);
  // Polls `srvr` until the reply has `Mode:` or `timeout` passes.
  Status waitServing(std::chrono::milliseconds timeout);
  // The server's log (for failure messages).
  std::string logTail(size_t bytes = 4000) const;

 private:
  friend class ZkEnsemble;
  ZkServer() = default;
  Status spawn();

  std::string dir_;
  std::string config_;
  std::string mainClass_;
  int clientPort_ = 0;
  pid_t pid_ = -1;
  bool ownsDir_ = true;
};

// A 3-node (or `n`-node) ensemble on loopback (QuorumPeerMain, tickTime 500 ms).
class ZkEnsemble {
 public:
  static Result<std::unique_ptr<ZkEnsemble>> start(int nodes = 3);
  ~ZkEnsemble();

  std::string connectString() const;  // All members, comma-separated.
  size_t size() const { return servers_.size(); }
  ZkServer& node(size_t i) { return *servers_.at(i); }
  // Index of the member listening on `hostPort` (`127.0.0.1:21812`), or -1.
  int indexOf(const std::string& hostPort) const;
  // Waits until at least `count` members serve (`Mode: leader|follower`).
  Status waitServing(size_t count, std::chrono::milliseconds timeout);

 private:
  ZkEnsemble() = default;
  std::string dir_;
  std::vector<std::unique_ptr<ZkServer>> servers_;
};

}  // namespace ceph_planner::testing
