// The only file that includes the ZooKeeper C client. Sections: logging, credentials and ACLs,
// the session (handle, state, retries), the worker thread, the store operations, watches, leader
// election.

#include "store/zk_topology_store.h"

#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>

#include "store/record_codec.h"
#include "store/worker_thread.h"
#include "store/zk_credentials.h"

namespace ceph_planner::store {
namespace {

using SteadyClock = std::chrono::steady_clock;
using Deadline = SteadyClock::time_point;
using std::chrono::milliseconds;

constexpr std::string_view kSessionExpiredPrefix = "zookeeper session expired";
constexpr std::string_view kQuorumUnavailablePrefix = "zookeeper quorum unavailable";
// Largest value we ever read: the server refuses anything near 1 MiB anyway.
constexpr int kMaxReadBytes = 1024 * 1024;
constexpr milliseconds kRetryPause{50};

// ---- logging ---------------------------------------------------------------------------------

std::mutex& logMutex() {
  static std::mutex m;
  return m;
}
std::function<void(const std::string&)>& logSink() {
  static std::function<void(const std::string&)> sink;
  return sink;
}

void zkLogCallback(const char* message) {
  std::lock_guard<std::mutex> g(logMutex());
  if (logSink()) logSink()(message == nullptr ? std::string() : std::string(message));
}

// Messages logged before a handle exists go to the global stream: point it at /dev/null once.
void silenceGlobalStream() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (FILE* devNull = std::fopen("/dev/null", "w")) zoo_set_log_stream(devNull);
    zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
  });
}

std::string describe(int rc) {
  return zerror(rc);
}

// ---- credentials and ACLs --------------------------------------------------------------------

// Owns the strings an `ACL_vector` points into.
class AclList {
 public:
  void add(int32_t perms, std::string scheme, std::string id) {
    entries_.push_back({perms, std::move(scheme), std::move(id)});
    rebuild();
  }
  const ACL_vector* get() const { return &vector_; }

 private:
  struct Entry {
    int32_t perms;
    std::string scheme;
    std::string id;
  };
  void rebuild() {
    acls_.clear();
    for (auto& e : entries_) {
      acls_.push_back(ACL{e.perms, Id{e.scheme.data(), e.id.data()}});
    }
    vector_.count = int32_t(acls_.size());
    vector_.data = acls_.data();
  }
  std::deque<Entry> entries_;  // Stable addresses for the char pointers.
  std::vector<ACL> acls_;
  ACL_vector vector_{0, nullptr};
};

Status checkName(const std::string& kind, const std::string& name) {
  if (isValidStoreName(name)) return okStatus();
  return makeError(ErrorCode::InvalidInput,
                   kind + " name '" + name + "' must be non-empty and use only [A-Za-z0-9._-]");
}

std::string childName(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

}  // namespace

void setZkLogSink(std::function<void(const std::string& line)> sink, ZkLogLevel level) {
  silenceGlobalStream();
  {
    std::lock_guard<std::mutex> g(logMutex());
    logSink() = std::move(sink);
  }
  switch (level) {
    case ZkLogLevel::Error:
      zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
      break;
    case ZkLogLevel::Warn:
      zoo_set_debug_level(ZOO_LOG_LEVEL_WARN);
      break;
    case ZkLogLevel::Info:
      zoo_set_debug_level(ZOO_LOG_LEVEL_INFO);
      break;
    case ZkLogLevel::Debug:
      zoo_set_debug_level(ZOO_LOG_LEVEL_DEBUG);
      break;
  }
}

bool isSessionExpiredError(const Error& error) {
  return error.code == ErrorCode::Unavailable &&
         std::string_view(error.message).substr(0, kSessionExpiredPrefix.size()) ==
             kSessionExpiredPrefix;
}

class ZkElectionState;

// ---- the session -----------------------------------------------------------------------------

struct ZkTopologyStore::Impl : std::enable_shared_from_this<ZkTopologyStore::Impl> {
  ZkStoreOptions options;
  std::string hosts;
  std::string root;  // "" or "/a/b".
  std::optional<ZkCredentials> credentials;
  AclList nodeAcl;
  AclList secretAcl;

  // The handle. Calls hold `handleMutex` shared; replacing the handle holds it exclusively. The
  // client library's threads never take it (they compare against `currentHandle`).
  std::shared_mutex handleMutex;
  zhandle_t* zh = nullptr;
  std::atomic<zhandle_t*> currentHandle{nullptr};
  // Context of the session watcher of the current handle. The generation tells the watcher
  // whether an event belongs to the current handle: the first events can arrive before
  // `zookeeper_init2` has even returned the handle, so comparing handles is not enough there.
  struct HandleContext {
    Impl* impl;
    uint64_t generation;
  };
  std::unique_ptr<HandleContext> handleContext;

  // Session state of the current handle, as told by the session watcher.
  std::mutex stateMutex;
  std::condition_variable stateCv;
  int state = 0;
  bool expired = false;
  uint64_t sessionGeneration = 0;  // +1 per new handle.

  WorkerThread worker;

  // Watches of current topologies.
  struct WatchEntry {
    std::string cluster;
    std::string path;
    std::function<void()> onChange;
  };
  std::mutex watchMutex;
  std::condition_variable watchCv;
  std::map<WatchId, WatchEntry> watches;
  WatchId nextWatchId = 1;
  WatchId runningWatch = 0;

  // Elections on this session.
  std::mutex electionMutex;
  std::set<std::shared_ptr<ZkElectionState>> elections;

  std::atomic<bool> closing{false};

  ~Impl() { shutdown(); }

  // Closes the session and joins the worker. Idempotent. Runs in the store's destructor, so the
  // worker thread is gone before the last reference to `Impl` can be dropped anywhere.
  void shutdown() {
    closing = true;
    {
      std::lock_guard<std::mutex> g(stateMutex);
      stateCv.notify_all();
    }
    {
      std::unique_lock<std::shared_mutex> l(handleMutex);
      if (zh != nullptr) {
        currentHandle = nullptr;
        zookeeper_close(zh);
        zh = nullptr;
      }
    }
    worker.stop();
  }

  // -- paths

  std::string clusterPath(const std::string& cluster) const {
    return root + "/clusters/" + cluster;
  }

  // -- errors

  Error quorumError(const std::string& what, int rc) const {
    return makeError(ErrorCode::Unavailable, std::string(kQuorumUnavailablePrefix) + ": " + what +
                                                 " got no answer from '" + hosts + "' within " +
                                                 std::to_string(options.callTimeout.count()) +
                                                 "ms (last error: " + describe(rc) + ")");
  }

  Error sessionExpiredError(const std::string& what) const {
    return makeError(ErrorCode::Unavailable,
                     std::string(kSessionExpiredPrefix) + " during " + what +
                         " (a new session is being opened; ephemeral nodes and leadership of the "
                         "old one are gone)");
  }

  Error toError(int rc, const std::string& what) const {
    switch (rc) {
      case ZNONODE:
        return makeError(ErrorCode::NotFound, what + ": no such node");
      case ZNODEEXISTS:
        return makeError(ErrorCode::Conflict, what + ": node exists");
      case ZBADVERSION:
        return makeError(ErrorCode::Conflict, what + ": version changed");
      case ZNOAUTH:
      case ZAUTHFAILED:
        return makeError(ErrorCode::PermissionDenied,
                         what + ": not authorised (check the zookeeper credentials)");
      case ZBADARGUMENTS:
        return makeError(ErrorCode::InvalidInput, what + ": bad arguments");
      case ZCONNECTIONLOSS:
      case ZOPERATIONTIMEOUT:
        return quorumError(what, rc);
      case ZSESSIONEXPIRED:
        return sessionExpiredError(what);
      default:
        return makeError(ErrorCode::Internal, what + ": zookeeper error " + describe(rc));
    }
  }

  // -- handle management

  static void sessionWatcher(zhandle_t* handle, int type, int state, const char*, void* ctx);
  static void nodeWatcher(zhandle_t* handle, int type, int state, const char* path, void* ctx);

  // Opens a new handle (replacing an expired one) and waits for it to connect.
  // With `replacing`, only the handle of that generation is replaced: when another thread already
  // replaced it, this waits for that one instead (`*opened` false), so racing recoveries do not
  // close each other's fresh sessions.
  Status openHandle(Deadline deadline, std::optional<uint64_t> replacing = std::nullopt,
                    bool* opened = nullptr) {
    silenceGlobalStream();
    uint64_t generation;
    if (opened != nullptr) *opened = false;
    {
      std::unique_lock<std::shared_mutex> l(handleMutex);
      bool replacedAlready = false;
      {
        std::lock_guard<std::mutex> g(stateMutex);
        replacedAlready = replacing && sessionGeneration != *replacing;
        generation = sessionGeneration;
      }
      if (!replacedAlready) {
        if (opened != nullptr) *opened = true;
        if (zh != nullptr) {
          currentHandle = nullptr;
          zookeeper_close(zh);
          zh = nullptr;
        }
        {
          std::lock_guard<std::mutex> g(stateMutex);
          state = 0;
          expired = false;
          generation = ++sessionGeneration;
        }
        handleContext = std::make_unique<HandleContext>(HandleContext{this, generation});
        zh = zookeeper_init2(hosts.c_str(), &Impl::sessionWatcher,
                             int(options.sessionTimeout.count()), nullptr, handleContext.get(), 0,
                             &zkLogCallback);
        if (zh == nullptr) {
          return makeError(ErrorCode::InvalidInput,
                           "cannot create a zookeeper client for '" + hosts + "'");
        }
        currentHandle = zh;
        if (credentials) {
          const std::string cert = credentials->user + ":" + credentials->password;
          // Queued now, sent first on every (re)connection of this handle.
          const int rc =
              zoo_add_auth(zh, "digest", cert.data(), int(cert.size()), nullptr, nullptr);
          if (rc != ZOK) return toError(rc, "adding zookeeper credentials");
        }
      }
    }
    std::unique_lock<std::mutex> l(stateMutex);
    const bool connected = stateCv.wait_until(l, deadline, [&] {
      return sessionGeneration != generation || state == ZOO_CONNECTED_STATE ||
             state == ZOO_AUTH_FAILED_STATE || expired;
    });
    if (state == ZOO_AUTH_FAILED_STATE) {
      return makeError(ErrorCode::PermissionDenied, "zookeeper rejected the credentials");
    }
    if (!connected || state != ZOO_CONNECTED_STATE) {
      return makeError(ErrorCode::Unavailable, std::string(kQuorumUnavailablePrefix) +
                                                   ": could not connect to '" + hosts + "'");
    }
    return okStatus();
  }

  // Waits until the session is connected (opening a new one if it expired), up to `deadline`.
  Status ensureConnected(Deadline deadline, const std::string& what) {
    for (;;) {
      bool needNewHandle = false;
      uint64_t generation = 0;
      {
        std::unique_lock<std::mutex> l(stateMutex);
        const bool ok = stateCv.wait_until(
            l, deadline, [&] { return state == ZOO_CONNECTED_STATE || expired || closing; });
        if (closing) return makeError(ErrorCode::Unavailable, "zookeeper store is closing");
        if (ok && state == ZOO_CONNECTED_STATE && !expired) return okStatus();
        if (!ok) {
          return makeError(ErrorCode::Unavailable,
                           std::string(kQuorumUnavailablePrefix) + ": " + what +
                               " could not reach any server of '" + hosts + "' within " +
                               std::to_string(options.callTimeout.count()) + "ms");
        }
        needNewHandle = expired;
        generation = sessionGeneration;
      }
      if (needNewHandle) {
        bool opened = false;
        if (auto s = openHandle(deadline, generation, &opened); !s) {
          return s.error().withContext(what);
        }
        if (opened) onNewSession();
      }
    }
  }

  // Runs `op(handle)` while connected; transparently retries connection loss (for operations whose
  // retry is safe) until the deadline. Returns the final ZooKeeper code, or an error when the
  // session is unreachable or expired.
  Result<int> run(const std::string& what, Deadline deadline, bool retryConnectionLoss,
                  const std::function<int(zhandle_t*)>& op) {
    for (;;) {
      if (auto s = ensureConnected(deadline, what); !s) return s.error();
      int rc;
      {
        std::shared_lock<std::shared_mutex> l(handleMutex);
        if (zh == nullptr) return makeError(ErrorCode::Unavailable, "zookeeper store is closed");
        rc = op(zh);
      }
      if (rc == ZSESSIONEXPIRED || rc == ZINVALIDSTATE || rc == ZSESSIONMOVED) {
        markExpired();
        return sessionExpiredError(what);
      }
      if (rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT) {
        if (!retryConnectionLoss) return rc;
        if (SteadyClock::now() + kRetryPause >= deadline) return quorumError(what, rc);
        std::this_thread::sleep_for(kRetryPause);
        continue;
      }
      return rc;
    }
  }

  void markExpired() {
    std::lock_guard<std::mutex> g(stateMutex);
    expired = true;
    stateCv.notify_all();
  }

  Deadline deadline() const { return SteadyClock::now() + options.callTimeout; }

  // -- primitive operations (each with its own deadline)

  struct Node {
    std::string data;
    Stat stat{};
  };

  Result<Node> getNode(const std::string& path, Deadline d) {
    Node node;
    std::string buffer(size_t(kMaxReadBytes), '\0');
    int len = 0;
    auto rc = run("reading '" + path + "'", d, true, [&](zhandle_t* h) {
      len = int(buffer.size());
      return zoo_get(h, path.c_str(), 0, buffer.data(), &len, &node.stat);
    });
    if (!rc) return rc.error();
    if (*rc != ZOK) return toError(*rc, "reading '" + path + "'");
    buffer.resize(len < 0 ? 0 : size_t(len));
    node.data = std::move(buffer);
    return node;
  }

  // Children names, sorted; empty if the node does not exist.
  Result<std::vector<std::string>> children(const std::string& path, Deadline d) {
    String_vector kids{0, nullptr};
    auto rc = run("listing '" + path + "'", d, true,
                  [&](zhandle_t* h) { return zoo_get_children(h, path.c_str(), 0, &kids); });
    if (!rc) return rc.error();
    std::vector<std::string> out;
    if (*rc == ZNONODE) return out;
    if (*rc != ZOK) return toError(*rc, "listing '" + path + "'");
    for (int i = 0; i < kids.count; ++i) out.emplace_back(kids.data[i]);
    deallocate_String_vector(&kids);
    std::sort(out.begin(), out.end());
    return out;
  }

  // Creates `path` with `data` if absent (existing is fine: creation is idempotent).
  Status createIfAbsent(const std::string& path, const std::string& data, const ACL_vector* acl,
                        Deadline d) {
    auto rc = run("creating '" + path + "'", d, true, [&](zhandle_t* h) {
      return zoo_create(h, path.c_str(), data.data(), int(data.size()), acl, ZOO_PERSISTENT,
                        nullptr, 0);
    });
    if (!rc) return rc.error();
    if (*rc != ZOK && *rc != ZNODEEXISTS) return toError(*rc, "creating '" + path + "'");
    return okStatus();
  }

  // Creates `path` and every missing parent below the root's parent (empty data).
  Status ensurePath(const std::string& path, const ACL_vector* acl, Deadline d) {
    std::vector<std::string> prefixes;
    for (size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
      prefixes.push_back(path.substr(0, pos));
    }
    prefixes.push_back(path);
    for (const auto& p : prefixes) {
      // Exists first: creating an existing node we may not write is `ZNOAUTH`, not `ZNODEEXISTS`.
      auto rc = run("checking '" + p + "'", d, true,
                    [&](zhandle_t* h) { return zoo_exists(h, p.c_str(), 0, nullptr); });
      if (!rc) return rc.error();
      if (*rc == ZOK) continue;
      if (*rc != ZNONODE) return toError(*rc, "checking '" + p + "'");
      if (auto s = createIfAbsent(p, "", acl, d); !s) return s;
    }
    return okStatus();
  }

  // Unconditional set, creating the node (and parents) if missing. Idempotent.
  Status setOrCreate(const std::string& path, const std::string& data, Deadline d) {
    for (;;) {
      auto rc = run("writing '" + path + "'", d, true, [&](zhandle_t* h) {
        return zoo_set(h, path.c_str(), data.data(), int(data.size()), -1);
      });
      if (!rc) return rc.error();
      if (*rc == ZOK) return okStatus();
      if (*rc != ZNONODE) return toError(*rc, "writing '" + path + "'");
      if (auto s = ensurePath(path.substr(0, path.rfind('/')), nodeAcl.get(), d); !s) return s;
      auto created = run("creating '" + path + "'", d, true, [&](zhandle_t* h) {
        return zoo_create(h, path.c_str(), data.data(), int(data.size()), nodeAcl.get(),
                          ZOO_PERSISTENT, nullptr, 0);
      });
      if (!created) return created.error();
      if (*created == ZOK) return okStatus();
      if (*created != ZNODEEXISTS) return toError(*created, "creating '" + path + "'");
      // Created concurrently: loop and set.
    }
  }

  // Deletes `path` and its children; absent is fine.
  Status deleteTree(const std::string& path, Deadline d) {
    auto kids = children(path, d);
    if (!kids) return kids.error();
    for (const auto& k : *kids) {
      if (auto s = deleteTree(path + "/" + k, d); !s) return s;
    }
    auto rc = run("deleting '" + path + "'", d, true,
                  [&](zhandle_t* h) { return zoo_delete(h, path.c_str(), -1); });
    if (!rc) return rc.error();
    if (*rc != ZOK && *rc != ZNONODE) return toError(*rc, "deleting '" + path + "'");
    return okStatus();
  }

  // -- topology records

  // Reads the document a manifest describes, verifying size and checksum.
  Result<std::string> resolve(const Manifest& m, const std::string& what, Deadline d) {
    std::string data;
    if (m.inlineData) {
      data = *m.inlineData;
    } else {
      data.reserve(size_t(m.sizeBytes));
      for (int i = 0; i < m.chunkCount; ++i) {
        auto chunk = getNode(m.chunkDir + "/" + chunkName(i), d);
        if (!chunk) return chunk.error().withContext("reading '" + what + "'");
        data += chunk->data;
      }
    }
    if (int64_t(data.size()) != m.sizeBytes || checksumHex(data) != m.checksum) {
      return makeError(ErrorCode::Internal, "stored record '" + what + "' fails its checksum");
    }
    return data;
  }

  // The record at `path`: manifest, then its chunks. A failed chunk read or checksum is retried
  // from the manifest (it may have been replaced meanwhile) until the deadline.
  Result<std::pair<TopologyRecord, Stat>> readRecord(const std::string& path,
                                                     const std::string& what, Deadline d) {
    constexpr int kAttempts = 3;  // A real mismatch (corruption) must not spin until the deadline.
    for (int attempt = 1;; ++attempt) {
      auto node = getNode(path, d);
      if (!node) return node.error();
      auto m = decodeManifest(node->data, what);
      if (!m) return m.error();
      auto data = resolve(*m, what, d);
      if (data) return std::make_pair(toRecord(*m, std::move(*data)), node->stat);
      if (data.error().code == ErrorCode::Unavailable || attempt >= kAttempts ||
          SteadyClock::now() >= d) {
        return data.error();
      }
      std::this_thread::sleep_for(kRetryPause);
    }
  }

  // The current manifest (without chunks) or nullopt if none, with its znode stat.
  Result<std::optional<std::pair<Manifest, Stat>>> currentManifest(const std::string& cluster,
                                                                   Deadline d) {
    const std::string path = clusterPath(cluster) + "/topology";
    auto node = getNode(path, d);
    if (!node) {
      if (node.error().code == ErrorCode::NotFound) {
        return std::optional<std::pair<Manifest, Stat>>();
      }
      return node.error();
    }
    auto m = decodeManifest(node->data, cluster + "/topology");
    if (!m) return m.error();
    return std::optional<std::pair<Manifest, Stat>>(std::make_pair(std::move(*m), node->stat));
  }

  Error conflict(int64_t expected, const std::optional<std::pair<Manifest, Stat>>& current) {
    return makeError(ErrorCode::Conflict,
                     casConflictMessage(expected, current ? current->first.version : 0,
                                        current ? current->first.author : std::string("nobody")));
  }

  Result<TopologyRecord> putTopology(const std::string& cluster, const PutRequest& request);

  // -- watches and sessions

  void armWatch(const std::string& path) {
    // Best effort: if the session is down the watch is re-armed by `onNewSession` / reconnect.
    Stat stat;
    auto rc = run("watching '" + path + "'", deadline(), true, [&](zhandle_t* h) {
      return zoo_wexists(h, path.c_str(), &Impl::nodeWatcher, this, &stat);
    });
    (void)rc;
  }

  void fireWatches(const std::string& path);
  void onNewSession();
  void onSessionState(int state, uint64_t generation);
  void onNodeEvent(const std::string& path);
};

// Runs on the client library's completion thread: record state, flip leadership, hand work to the
// worker; never make a synchronous call here.
void ZkTopologyStore::Impl::sessionWatcher(zhandle_t*, int type, int state, const char*,
                                           void* ctx) {
  const auto* context = static_cast<const HandleContext*>(ctx);
  if (type != ZOO_SESSION_EVENT) return;
  context->impl->onSessionState(state, context->generation);
}

void ZkTopologyStore::Impl::nodeWatcher(zhandle_t* handle, int type, int, const char* path,
                                        void* ctx) {
  auto* self = static_cast<Impl*>(ctx);
  if (type == ZOO_SESSION_EVENT || path == nullptr || handle != self->currentHandle.load()) return;
  self->onNodeEvent(path);
}

// ---- leader election ---------------------------------------------------------------------------

// Shared between the public `ZkLeaderElection`, the session callbacks and queued worker tasks.
class ZkElectionState : public std::enable_shared_from_this<ZkElectionState> {
 public:
  ZkElectionState(ZkTopologyStore::Impl& store, std::string cluster, std::string candidateId,
                  LeaderCallbacks callbacks, std::string token)
      : store_(store),
        dir_(store.clusterPath(cluster) + "/leader"),
        candidateId_(std::move(candidateId)),
        token_(std::move(token)),
        callbacks_(std::move(callbacks)) {}

  const std::string& dir() const { return dir_; }
  const std::string& candidateId() const { return candidateId_; }
  bool isLeader() const { return leader_.load(); }

  Status start();
  void stop();

  // Client-library thread: the session is disconnected or expired. Leadership ends now.
  void suspend(bool sessionGone) {
    bool wasLeader;
    {
      std::lock_guard<std::mutex> g(m_);
      ++epoch_;
      wasLeader = leader_.exchange(false);
      if (sessionGone) node_.clear();
    }
    if (wasLeader) postLost();
  }

  // Worker thread: decide whether we lead; otherwise watch the predecessor.
  void check();

  void postCheck() {
    auto self = shared_from_this();
    store_.worker.post([self] { self->check(); });
  }

  // After a failed step (ZooKeeper unreachable): look again a little later, while joined.
  void retryLater() {
    auto self = shared_from_this();
    store_.worker.post([self] {
      if (self->store_.closing) return;
      std::this_thread::sleep_for(4 * kRetryPause);
      self->check();
    });
  }

 private:
  void postLost() {
    auto self = shared_from_this();
    store_.worker.post([self] {
      if (self->callbacks_.onLost) self->callbacks_.onLost();
    });
  }

  // Finds or creates this candidate's node; sets `node_`.
  Status join(Deadline d);

  ZkTopologyStore::Impl& store_;
  const std::string dir_;
  const std::string candidateId_;
  const std::string token_;  // Node data: `<candidateId>\n<random token>` (finds our node after
                             // a create whose reply was lost).
  LeaderCallbacks callbacks_;

  mutable std::mutex m_;
  bool joined_ = false;
  std::string node_;    // Our child name, empty when we have none (not joined or session gone).
  uint64_t epoch_ = 0;  // +1 whenever the session drops: a check that straddles it is void.
  std::atomic<bool> leader_{false};
};

Status ZkElectionState::join(Deadline d) {
  if (auto s = store_.ensurePath(dir_, store_.nodeAcl.get(), d); !s) return s;
  for (;;) {
    // Adopt our node if a previous create applied but its reply was lost.
    auto kids = store_.children(dir_, d);
    if (!kids) return kids.error();
    for (const auto& k : *kids) {
      auto node = store_.getNode(dir_ + "/" + k, d);
      if (node && node->data == token_) {
        std::lock_guard<std::mutex> g(m_);
        node_ = k;
        return okStatus();
      }
    }
    char created[512];
    auto rc = store_.run("joining election '" + dir_ + "'", d, false, [&](zhandle_t* h) {
      return zoo_create(h, (dir_ + "/n_").c_str(), token_.data(), int(token_.size()),
                        store_.nodeAcl.get(), ZOO_EPHEMERAL | ZOO_SEQUENCE, created,
                        sizeof created);
    });
    if (!rc) return rc.error();
    if (*rc == ZOK) {
      std::lock_guard<std::mutex> g(m_);
      node_ = childName(created);
      return okStatus();
    }
    if (*rc != ZCONNECTIONLOSS && *rc != ZOPERATIONTIMEOUT) {
      return store_.toError(*rc, "joining election '" + dir_ + "'");
    }
    if (SteadyClock::now() >= d) return store_.quorumError("joining election '" + dir_ + "'", *rc);
    std::this_thread::sleep_for(kRetryPause);
  }
}

Status ZkElectionState::start() {
  {
    std::lock_guard<std::mutex> g(m_);
    if (joined_) return okStatus();
  }
  if (auto s = join(store_.deadline()); !s) return s;
  {
    std::lock_guard<std::mutex> g(m_);
    joined_ = true;
  }
  postCheck();
  return okStatus();
}

void ZkElectionState::check() {
  uint64_t epoch;
  std::string node;
  {
    std::lock_guard<std::mutex> g(m_);
    if (!joined_) return;
    epoch = epoch_;
    node = node_;
  }
  const Deadline d = store_.deadline();
  if (node.empty()) {
    // The session that held our node is gone: join again on the current one.
    if (!join(d)) return retryLater();
    std::lock_guard<std::mutex> g(m_);
    if (!joined_) {
      // `stop` ran while we were joining: do not leave a candidate node behind.
      const std::string orphan = dir_ + "/" + node_;
      node_.clear();
      store_.worker.post([self = shared_from_this(), orphan] {
        (void)self->store_.run("leaving election", self->store_.deadline(), true,
                               [&](zhandle_t* h) { return zoo_delete(h, orphan.c_str(), -1); });
      });
      return;
    }
    node = node_;
  }
  auto kids = store_.children(dir_, d);
  if (!kids) return retryLater();
  std::vector<std::string> candidates;
  for (const auto& k : *kids) {
    if (k.rfind("n_", 0) == 0) candidates.push_back(k);
  }
  // Sequence suffixes are fixed-width, so name order is sequence order.
  std::sort(candidates.begin(), candidates.end());
  const auto me = std::find(candidates.begin(), candidates.end(), node);
  if (me == candidates.end()) {
    // Our node vanished (expired session seen late): forget it and rejoin.
    {
      std::lock_guard<std::mutex> g(m_);
      if (node_ == node) node_.clear();
    }
    postCheck();
    return;
  }
  if (me == candidates.begin()) {
    bool gained = false;
    {
      std::lock_guard<std::mutex> g(m_);
      std::lock_guard<std::mutex> s(store_.stateMutex);
      // Only lead if nothing happened to the session since the children were read.
      if (joined_ && epoch_ == epoch && store_.state == ZOO_CONNECTED_STATE && !store_.expired) {
        gained = !leader_.exchange(true);
      }
    }
    if (gained && callbacks_.onGained) callbacks_.onGained();
    return;
  }
  const std::string predecessor = dir_ + "/" + *(me - 1);
  Stat stat;
  auto rc = store_.run("watching '" + predecessor + "'", d, true, [&](zhandle_t* h) {
    return zoo_wexists(h, predecessor.c_str(), &ZkTopologyStore::Impl::nodeWatcher, &store_, &stat);
  });
  if (!rc || (*rc != ZOK && *rc != ZNONODE)) return retryLater();
  if (*rc == ZNONODE) postCheck();  // Gone already: look again.
}

void ZkElectionState::stop() {
  std::string node;
  bool wasLeader;
  {
    std::lock_guard<std::mutex> g(m_);
    if (!joined_) return;
    joined_ = false;
    ++epoch_;
    wasLeader = leader_.exchange(false);
    node = node_;
    node_.clear();
  }
  auto self = shared_from_this();
  // Through the worker, so `onLost` never overtakes a queued `onGained`.
  store_.worker.runAndWait([self, wasLeader] {
    if (wasLeader && self->callbacks_.onLost) self->callbacks_.onLost();
  });
  if (!node.empty()) {
    auto rc =
        store_.run("leaving election '" + dir_ + "'", store_.deadline(), true,
                   [&](zhandle_t* h) { return zoo_delete(h, (dir_ + "/" + node).c_str(), -1); });
    (void)rc;  // Best effort: an ephemeral node also goes with the session.
  }
}

namespace {

class ZkLeaderElection final : public LeaderElection {
 public:
  ZkLeaderElection(std::shared_ptr<ZkTopologyStore::Impl> store,
                   std::shared_ptr<ZkElectionState> state)
      : store_(std::move(store)), state_(std::move(state)) {}
  ~ZkLeaderElection() override {
    stop();
    std::lock_guard<std::mutex> g(store_->electionMutex);
    store_->elections.erase(state_);
  }
  Status start() override { return state_->start(); }
  bool isLeader() const override { return state_->isLeader(); }
  void stop() override { state_->stop(); }
  const std::string& candidateId() const override { return state_->candidateId(); }

 private:
  std::shared_ptr<ZkTopologyStore::Impl> store_;
  std::shared_ptr<ZkElectionState> state_;
};

}  // namespace

// ---- session events --------------------------------------------------------------------------

void ZkTopologyStore::Impl::onSessionState(int newState, uint64_t generation) {
  {
    std::lock_guard<std::mutex> g(stateMutex);
    if (generation != sessionGeneration) return;  // An event of a handle being replaced.
  }
  std::vector<std::shared_ptr<ZkElectionState>> current;
  {
    std::lock_guard<std::mutex> g(electionMutex);
    current.assign(elections.begin(), elections.end());
  }
  // Leadership ends before anyone (a caller waiting on the state) can observe the new state.
  if (newState != ZOO_CONNECTED_STATE) {
    const bool gone = newState == ZOO_EXPIRED_SESSION_STATE || newState == ZOO_AUTH_FAILED_STATE;
    for (auto& e : current) e->suspend(/*sessionGone=*/gone);
  }
  int previous;
  {
    std::lock_guard<std::mutex> g(stateMutex);
    previous = state;
    state = newState;
    if (newState == ZOO_EXPIRED_SESSION_STATE) expired = true;
    stateCv.notify_all();
  }
  if (newState == ZOO_EXPIRED_SESSION_STATE || newState == ZOO_AUTH_FAILED_STATE) {
    // Open a new session in the background so that watches and elections come back.
    auto weak = weak_from_this();
    worker.post([weak] {
      auto self = weak.lock();
      if (!self) return;
      while (!self->closing && !self->worker.stopping()) {
        uint64_t generation;
        {
          std::lock_guard<std::mutex> g(self->stateMutex);
          if (!self->expired) return;  // A caller already reopened it.
          generation = self->sessionGeneration;
        }
        bool opened = false;
        if (self->openHandle(SteadyClock::now() + self->options.connectTimeout, generation,
                             &opened)) {
          if (opened) self->onNewSession();
          return;
        }
        std::this_thread::sleep_for(milliseconds(200));
      }
    });
  } else if (newState == ZOO_CONNECTED_STATE) {
    if (previous != ZOO_CONNECTED_STATE) {
      for (auto& e : current) e->postCheck();
    }
  }
}

// Called after a new handle connected (first connect excluded): everything tied to the old session
// is re-established, and every watch fires once because changes may have been missed.
void ZkTopologyStore::Impl::onNewSession() {
  std::set<std::string> paths;
  {
    std::lock_guard<std::mutex> g(watchMutex);
    for (const auto& [id, w] : watches) paths.insert(w.path);
  }
  auto weak = weak_from_this();
  worker.post([weak, paths] {
    auto self = weak.lock();
    if (!self) return;
    for (const auto& p : paths) self->fireWatches(p);
  });
  std::lock_guard<std::mutex> g(electionMutex);
  for (auto& e : elections) e->postCheck();
}

void ZkTopologyStore::Impl::onNodeEvent(const std::string& path) {
  auto weak = weak_from_this();
  bool isWatch = false;
  {
    std::lock_guard<std::mutex> g(watchMutex);
    for (const auto& [id, w] : watches) isWatch = isWatch || w.path == path;
  }
  if (isWatch) {
    worker.post([weak, path] {
      if (auto self = weak.lock()) self->fireWatches(path);
    });
  }
  std::lock_guard<std::mutex> g(electionMutex);
  for (auto& e : elections) {
    if (path.rfind(e->dir() + "/", 0) == 0) e->postCheck();
  }
}

// Worker thread: re-arm first (so no later change is missed), then run the callbacks.
void ZkTopologyStore::Impl::fireWatches(const std::string& path) {
  armWatch(path);
  std::vector<WatchId> ids;
  {
    std::lock_guard<std::mutex> g(watchMutex);
    for (const auto& [id, w] : watches) {
      if (w.path == path) ids.push_back(id);
    }
  }
  for (const WatchId id : ids) {
    std::function<void()> callback;
    {
      std::lock_guard<std::mutex> g(watchMutex);
      auto it = watches.find(id);
      if (it == watches.end()) continue;
      callback = it->second.onChange;
      runningWatch = id;
    }
    callback();
    std::lock_guard<std::mutex> g(watchMutex);
    runningWatch = 0;
    watchCv.notify_all();
  }
}

// ---- topology put ------------------------------------------------------------------------------

Result<TopologyRecord> ZkTopologyStore::Impl::putTopology(const std::string& cluster,
                                                          const PutRequest& request) {
  const Deadline d = deadline();
  const std::string base = clusterPath(cluster);
  const std::string what = "putting the topology of cluster '" + cluster + "'";
  auto current = currentManifest(cluster, d);
  if (!current) return current.error().withContext(what);
  const int64_t currentVersion = *current ? (*current)->first.version : 0;
  if (currentVersion != request.expected.version)
    return conflict(request.expected.version, *current);

  for (const auto& dir : {base + "/history", base + "/chunks"}) {
    if (auto s = ensurePath(dir, nodeAcl.get(), d); !s) return s.error().withContext(what);
  }
  auto putId = randomId();
  if (!putId) return putId.error();
  Manifest m;
  m.version = currentVersion + 1;
  m.author = request.author;
  m.message = request.message;
  m.timestampMs = options.clock->now().time_since_epoch().count();
  m.sizeBytes = int64_t(request.yaml.size());
  m.checksum = checksumHex(request.yaml);
  m.putId = *putId;
  const std::string chunkDir = base + "/chunks/" + *putId;
  if (request.yaml.size() <= options.inlineLimitBytes) {
    m.inlineData = request.yaml;
  } else {
    // Immutable chunks first; nothing refers to them until the multi below commits.
    const auto pieces = splitChunks(request.yaml, options.chunkBytes);
    if (auto s = createIfAbsent(chunkDir, "", nodeAcl.get(), d); !s) return s.error();
    for (size_t i = 0; i < pieces.size(); ++i) {
      if (auto s = createIfAbsent(chunkDir + "/" + chunkName(int(i)), std::string(pieces[i]),
                                  nodeAcl.get(), d);
          !s) {
        return s.error().withContext(what);
      }
    }
    m.chunkDir = chunkDir;
    m.chunkCount = int(pieces.size());
  }
  const std::string manifest = encodeManifest(m);
  const std::string topologyPath = base + "/topology";
  const std::string historyPath = base + "/history/" + historyName(m.version);
  const int znodeVersion = *current ? (*current)->second.version : -1;

  const auto cleanupChunks = [&] {
    if (!m.inlineData) (void)deleteTree(chunkDir, deadline());
  };
  for (;;) {
    zoo_op_t ops[2];
    zoo_op_result_t results[2];
    if (*current) {
      zoo_set_op_init(&ops[0], topologyPath.c_str(), manifest.data(), int(manifest.size()),
                      znodeVersion, nullptr);
    } else {
      zoo_create_op_init(&ops[0], topologyPath.c_str(), manifest.data(), int(manifest.size()),
                         nodeAcl.get(), ZOO_PERSISTENT, nullptr, 0);
    }
    zoo_create_op_init(&ops[1], historyPath.c_str(), manifest.data(), int(manifest.size()),
                       nodeAcl.get(), ZOO_PERSISTENT, nullptr, 0);
    auto rc = run(what, d, /*retryConnectionLoss=*/false,
                  [&](zhandle_t* h) { return zoo_multi(h, 2, ops, results); });
    if (!rc) {
      if (isSessionExpiredError(rc.error())) {
        // The multi may or may not have applied before the session went: re-read below.
      } else {
        return rc.error();
      }
    } else if (*rc == ZOK) {
      return toRecord(m, request.yaml);
    } else if (*rc == ZBADVERSION || *rc == ZNODEEXISTS) {
      cleanupChunks();
      auto now = currentManifest(cluster, deadline());
      if (!now) return now.error().withContext(what);
      return conflict(request.expected.version, *now);
    } else if (*rc != ZCONNECTIONLOSS && *rc != ZOPERATIONTIMEOUT) {
      cleanupChunks();
      return toError(*rc, what);
    }
    // The reply was lost: find out whether our multi applied (our put id is in the manifest).
    auto now = currentManifest(cluster, d);
    if (!now) {
      return makeError(now.error().code, now.error().message + " (whether topology version " +
                                             std::to_string(m.version) + " of cluster '" + cluster +
                                             "' was stored is unknown: re-read before retrying)");
    }
    if (*now && (*now)->first.putId == m.putId) return toRecord(m, request.yaml);
    const int64_t nowVersion = *now ? (*now)->first.version : 0;
    if (nowVersion != currentVersion) {
      cleanupChunks();
      return conflict(request.expected.version, *now);
    }
    // Not applied and nobody else wrote: try the same multi again.
  }
}

// ---- public API --------------------------------------------------------------------------------

ZkTopologyStore::ZkTopologyStore(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

ZkTopologyStore::~ZkTopologyStore() {
  impl_->shutdown();
}

Result<std::unique_ptr<ZkTopologyStore>> ZkTopologyStore::connect(ZkStoreOptions options) {
  if (!options.clock) options.clock = systemClock();
  if (options.chunkBytes == 0 || options.chunkBytes > 900 * 1024 ||
      options.inlineLimitBytes > 400 * 1024) {
    return makeError(ErrorCode::InvalidInput,
                     "zookeeper chunk size must be 1..921600 bytes and the inline limit at most "
                     "409600 bytes");
  }
  auto impl = std::make_shared<Impl>();
  const auto slash = options.connect.find('/');
  impl->hosts = options.connect.substr(0, slash);
  impl->root =
      slash == std::string::npos ? std::string("/ceph-planner") : options.connect.substr(slash);
  while (!impl->root.empty() && impl->root.back() == '/') impl->root.pop_back();
  if (impl->hosts.empty()) {
    return makeError(ErrorCode::InvalidInput,
                     "zookeeper connect string '" + options.connect + "' names no server");
  }
  if (impl->root.find("//") != std::string::npos) {
    return makeError(ErrorCode::InvalidInput,
                     "zookeeper root path '" + impl->root + "' is not a valid path");
  }
  auto creds = loadZkCredentials(options.credentialsFile, options.credentialsEnv);
  if (!creds) return creds.error();
  impl->credentials = std::move(*creds);
  if (impl->credentials) {
    impl->nodeAcl.add(ZOO_PERM_ALL, "digest", impl->credentials->digestId);
    if (options.worldReadable) impl->nodeAcl.add(ZOO_PERM_READ, "world", "anyone");
    impl->secretAcl.add(ZOO_PERM_ALL, "digest", impl->credentials->digestId);
  } else {
    impl->nodeAcl.add(ZOO_PERM_ALL, "world", "anyone");
  }
  impl->options = std::move(options);
  const Deadline d = SteadyClock::now() + impl->options.connectTimeout;
  if (auto s = impl->openHandle(d); !s) {
    return s.error().withContext("failed to connect to zookeeper");
  }
  if (auto s = impl->ensurePath(impl->root + "/clusters", impl->nodeAcl.get(), impl->deadline());
      !s) {
    return s.error().withContext("failed to create the store root '" + impl->root + "'");
  }
  return std::unique_ptr<ZkTopologyStore>(new ZkTopologyStore(std::move(impl)));
}

Result<TopologyRecord> ZkTopologyStore::getTopology(const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  auto r = impl_->readRecord(impl_->clusterPath(cluster) + "/topology", cluster + "/topology",
                             impl_->deadline());
  if (!r) {
    if (r.error().code == ErrorCode::NotFound) {
      return makeError(ErrorCode::NotFound, "cluster '" + cluster + "' has no topology");
    }
    return r.error();
  }
  return std::move(r->first);
}

Result<TopologyRecord> ZkTopologyStore::putTopology(const std::string& cluster,
                                                    const PutRequest& request) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  if (request.yaml.empty()) {
    return makeError(ErrorCode::InvalidInput, "topology of cluster '" + cluster + "' is empty");
  }
  return impl_->putTopology(cluster, request);
}

Result<std::vector<TopologyVersionInfo>> ZkTopologyStore::listHistory(const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  const Deadline d = impl_->deadline();
  const std::string dir = impl_->clusterPath(cluster) + "/history";
  auto names = impl_->children(dir, d);
  if (!names) return names.error();
  std::vector<TopologyVersionInfo> out;
  for (const auto& name : *names) {
    if (!parseHistoryName(name)) continue;
    auto node = impl_->getNode(dir + "/" + name, d);
    if (!node) return node.error();
    auto m = decodeManifest(node->data, cluster + "/history/" + name);
    if (!m) return m.error();
    out.push_back(toVersionInfo(*m));
  }
  return out;
}

Result<TopologyRecord> ZkTopologyStore::getTopologyVersion(const std::string& cluster,
                                                           int64_t version) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  const auto notFound =
      makeError(ErrorCode::NotFound,
                "cluster '" + cluster + "' has no topology version " + std::to_string(version));
  if (version <= 0) return notFound;
  const std::string name = historyName(version);
  auto r = impl_->readRecord(impl_->clusterPath(cluster) + "/history/" + name,
                             cluster + "/history/" + name, impl_->deadline());
  if (!r) return r.error().code == ErrorCode::NotFound ? notFound : r.error();
  return std::move(r->first);
}

Result<WatchId> ZkTopologyStore::watchTopology(const std::string& cluster,
                                               std::function<void()> onChange) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  const std::string path = impl_->clusterPath(cluster) + "/topology";
  WatchId id;
  {
    std::lock_guard<std::mutex> g(impl_->watchMutex);
    id = impl_->nextWatchId++;
    impl_->watches[id] = Impl::WatchEntry{cluster, path, std::move(onChange)};
  }
  Stat stat;
  auto rc = impl_->run("watching '" + path + "'", impl_->deadline(), true, [&](zhandle_t* h) {
    return zoo_wexists(h, path.c_str(), &Impl::nodeWatcher, impl_.get(), &stat);
  });
  if (!rc || (*rc != ZOK && *rc != ZNONODE)) {
    std::lock_guard<std::mutex> g(impl_->watchMutex);
    impl_->watches.erase(id);
    return rc ? impl_->toError(*rc, "watching '" + path + "'") : rc.error();
  }
  return id;
}

void ZkTopologyStore::unwatch(WatchId id) {
  std::unique_lock<std::mutex> l(impl_->watchMutex);
  impl_->watches.erase(id);
  if (impl_->worker.onWorker()) return;
  impl_->watchCv.wait(l, [&] { return impl_->runningWatch != id; });
}

Result<std::vector<std::string>> ZkTopologyStore::listClusters() {
  return impl_->children(impl_->root + "/clusters", impl_->deadline());
}

Result<std::string> ZkTopologyStore::getSecret(const std::string& cluster,
                                               const std::string& name) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  if (auto s = checkName("secret", name); !s) return s.error();
  auto node = impl_->getNode(impl_->clusterPath(cluster) + "/secrets/" + name, impl_->deadline());
  if (!node) {
    if (node.error().code == ErrorCode::NotFound) {
      return makeError(ErrorCode::NotFound,
                       "cluster '" + cluster + "' has no secret '" + name + "'");
    }
    return node.error();
  }
  return std::move(node->data);
}

Result<std::string> ZkTopologyStore::putSecretIfAbsent(const std::string& cluster,
                                                       const std::string& name,
                                                       const std::string& value) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  if (auto s = checkName("secret", name); !s) return s.error();
  if (!impl_->credentials) {
    return makeError(ErrorCode::PermissionDenied,
                     "storing secret '" + name +
                         "' in zookeeper needs credentials (a credentials file or variable), so "
                         "that it can be protected by an acl");
  }
  const Deadline d = impl_->deadline();
  const std::string dir = impl_->clusterPath(cluster) + "/secrets";
  if (auto s = impl_->ensurePath(impl_->clusterPath(cluster), impl_->nodeAcl.get(), d); !s) {
    return s.error();
  }
  if (auto s = impl_->createIfAbsent(dir, "", impl_->secretAcl.get(), d); !s) return s.error();
  const std::string path = dir + "/" + name;
  for (;;) {
    // Create-once: a lost reply is resolved by reading what is there (ours or a racer's).
    auto rc = impl_->run("storing secret '" + name + "'", d, true, [&](zhandle_t* h) {
      return zoo_create(h, path.c_str(), value.data(), int(value.size()), impl_->secretAcl.get(),
                        ZOO_PERSISTENT, nullptr, 0);
    });
    if (!rc) return rc.error();
    if (*rc == ZOK) return value;
    if (*rc != ZNODEEXISTS) return impl_->toError(*rc, "storing secret '" + name + "'");
    auto existing = impl_->getNode(path, d);
    if (existing) return std::move(existing->data);
    if (existing.error().code != ErrorCode::NotFound) return existing.error();
  }
}

Result<std::vector<std::string>> ZkTopologyStore::listSecrets(const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  return impl_->children(impl_->clusterPath(cluster) + "/secrets", impl_->deadline());
}

Result<OsdBinding> ZkTopologyStore::getOsdBinding(const std::string& cluster,
                                                  const std::string& host,
                                                  const std::string& slot) {
  for (const auto& [kind, name] : {std::pair{"cluster", cluster}, {"host", host}, {"slot", slot}}) {
    if (auto s = checkName(kind, name); !s) return s.error();
  }
  const std::string key = host + "-" + slot;
  auto node = impl_->getNode(impl_->clusterPath(cluster) + "/osds/" + key, impl_->deadline());
  if (!node) {
    if (node.error().code == ErrorCode::NotFound) {
      return makeError(ErrorCode::NotFound,
                       "slot '" + key + "' of cluster '" + cluster + "' has no osd binding");
    }
    return node.error();
  }
  return decodeOsdBinding(node->data, key);
}

Status ZkTopologyStore::putOsdBinding(const std::string& cluster, const std::string& host,
                                      const std::string& slot, const OsdBinding& binding) {
  for (const auto& [kind, name] : {std::pair{"cluster", cluster}, {"host", host}, {"slot", slot}}) {
    if (auto s = checkName(kind, name); !s) return s;
  }
  return impl_->setOrCreate(impl_->clusterPath(cluster) + "/osds/" + host + "-" + slot,
                            encodeOsdBinding(binding), impl_->deadline());
}

Status ZkTopologyStore::deleteOsdBinding(const std::string& cluster, const std::string& host,
                                         const std::string& slot) {
  for (const auto& [kind, name] : {std::pair{"cluster", cluster}, {"host", host}, {"slot", slot}}) {
    if (auto s = checkName(kind, name); !s) return s;
  }
  return impl_->deleteTree(impl_->clusterPath(cluster) + "/osds/" + host + "-" + slot,
                           impl_->deadline());
}

Result<std::vector<std::pair<std::string, OsdBinding>>> ZkTopologyStore::listOsdBindings(
    const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  const Deadline d = impl_->deadline();
  const std::string dir = impl_->clusterPath(cluster) + "/osds";
  auto names = impl_->children(dir, d);
  if (!names) return names.error();
  std::vector<std::pair<std::string, OsdBinding>> out;
  for (const auto& key : *names) {
    auto node = impl_->getNode(dir + "/" + key, d);
    if (!node) {
      if (node.error().code == ErrorCode::NotFound) continue;  // Deleted meanwhile.
      return node.error();
    }
    auto b = decodeOsdBinding(node->data, key);
    if (!b) return b.error();
    out.emplace_back(key, *b);
  }
  return out;
}

Result<std::string> ZkTopologyStore::getInventory(const std::string& cluster,
                                                  const std::string& host) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  if (auto s = checkName("host", host); !s) return s.error();
  auto node = impl_->getNode(impl_->clusterPath(cluster) + "/inventory/" + host, impl_->deadline());
  if (!node) {
    if (node.error().code == ErrorCode::NotFound) {
      return makeError(ErrorCode::NotFound,
                       "host '" + host + "' of cluster '" + cluster + "' has no inventory");
    }
    return node.error();
  }
  return std::move(node->data);
}

Status ZkTopologyStore::putInventory(const std::string& cluster, const std::string& host,
                                     const std::string& json) {
  if (auto s = checkName("cluster", cluster); !s) return s;
  if (auto s = checkName("host", host); !s) return s;
  if (json.size() > kMaxInventoryBytes) {
    return makeError(ErrorCode::InvalidInput,
                     "inventory of host '" + host + "' is " + std::to_string(json.size()) +
                         " bytes; the limit is " + std::to_string(kMaxInventoryBytes));
  }
  return impl_->setOrCreate(impl_->clusterPath(cluster) + "/inventory/" + host, json,
                            impl_->deadline());
}

Result<std::vector<std::string>> ZkTopologyStore::listInventoryHosts(const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  return impl_->children(impl_->clusterPath(cluster) + "/inventory", impl_->deadline());
}

Result<std::string> ZkTopologyStore::getStatus(const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  auto node = impl_->getNode(impl_->clusterPath(cluster) + "/status", impl_->deadline());
  if (!node) {
    if (node.error().code == ErrorCode::NotFound) {
      return makeError(ErrorCode::NotFound, "cluster '" + cluster + "' has no status");
    }
    return node.error();
  }
  return std::move(node->data);
}

Status ZkTopologyStore::putStatus(const std::string& cluster, const std::string& blob) {
  if (auto s = checkName("cluster", cluster); !s) return s;
  return impl_->setOrCreate(impl_->clusterPath(cluster) + "/status", blob, impl_->deadline());
}

Result<LeaderElectionPtr> ZkTopologyStore::makeLeaderElection(const std::string& cluster,
                                                              const std::string& candidateId,
                                                              LeaderCallbacks callbacks) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  auto token = randomId();
  if (!token) return token.error();
  auto state = std::make_shared<ZkElectionState>(*impl_, cluster, candidateId, std::move(callbacks),
                                                 candidateId + "\n" + *token);
  {
    std::lock_guard<std::mutex> g(impl_->electionMutex);
    impl_->elections.insert(state);
  }
  return LeaderElectionPtr(new ZkLeaderElection(impl_, std::move(state)));
}

Result<ZkTopologyStore::StoredSize> ZkTopologyStore::storedTopologySize(
    const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  const Deadline d = impl_->deadline();
  auto current = impl_->currentManifest(cluster, d);
  if (!current) return current.error();
  if (!*current) return makeError(ErrorCode::NotFound, "cluster '" + cluster + "' has no topology");
  StoredSize out;
  out.manifestBytes = (*current)->second.dataLength;
  const Manifest& m = (*current)->first;
  for (int i = 0; i < m.chunkCount; ++i) {
    auto rc = impl_->run("sizing chunks", d, true, [&](zhandle_t* h) {
      Stat st;
      const int r = zoo_exists(h, (m.chunkDir + "/" + chunkName(i)).c_str(), 0, &st);
      if (r == ZOK) out.chunkBytes += st.dataLength;
      return r;
    });
    if (!rc) return rc.error();
    if (*rc != ZOK) return impl_->toError(*rc, "sizing chunks");
  }
  out.chunks = m.chunkCount;
  return out;
}

Status ZkTopologyStore::expireSessionForTesting() {
  // The clone and the original handle can steal the session's connection from each other; if the
  // original wins it back before the clone's close is sent, the session survives. So check that
  // the original really saw the expiry, and try again if not.
  for (int attempt = 0; attempt < 5; ++attempt) {
    clientid_t id;
    uint64_t generation;
    {
      std::shared_lock<std::shared_mutex> l(impl_->handleMutex);
      if (impl_->zh == nullptr) return makeError(ErrorCode::Unavailable, "no zookeeper handle");
      id = *zoo_client_id(impl_->zh);
      std::lock_guard<std::mutex> g(impl_->stateMutex);
      generation = impl_->sessionGeneration;
    }
    struct Clone {
      std::mutex m;
      std::condition_variable cv;
      int state = 0;
    } clone;
    const auto watcher = [](zhandle_t*, int type, int state, const char*, void* ctx) {
      auto* c = static_cast<Clone*>(ctx);
      if (type != ZOO_SESSION_EVENT) return;
      std::lock_guard<std::mutex> g(c->m);
      c->state = state;
      c->cv.notify_all();
    };
    zhandle_t* h =
        zookeeper_init2(impl_->hosts.c_str(), watcher, int(impl_->options.sessionTimeout.count()),
                        &id, &clone, 0, &zkLogCallback);
    if (h == nullptr) return makeError(ErrorCode::Internal, "cannot create the clone handle");
    {
      std::unique_lock<std::mutex> l(clone.m);
      clone.cv.wait_for(l, impl_->options.connectTimeout,
                        [&] { return clone.state == ZOO_CONNECTED_STATE; });
    }
    zookeeper_close(h);  // Sends closeSession when connected: the original session ends.
    std::unique_lock<std::mutex> l(impl_->stateMutex);
    if (impl_->stateCv.wait_for(l, std::chrono::milliseconds(2000), [&] {
          return impl_->expired || impl_->sessionGeneration != generation;
        })) {
      return okStatus();
    }
  }
  return makeError(ErrorCode::Unavailable, "could not force the session to expire");
}

std::string ZkTopologyStore::currentServerForTesting() {
  std::shared_lock<std::shared_mutex> l(impl_->handleMutex);
  if (impl_->zh == nullptr) return "";
  const char* server = zoo_get_current_server(impl_->zh);
  return server == nullptr ? "" : server;
}

}  // namespace ceph_planner::store
