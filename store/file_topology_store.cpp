#include "store/file_topology_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "store/atomic_file.h"
#include "store/record_codec.h"

namespace ceph_planner::store {
namespace {

constexpr unsigned kDirMode = 0700;
constexpr unsigned kFileMode = 0600;

Status checkName(const std::string& kind, const std::string& name) {
  if (isValidStoreName(name)) return okStatus();
  return makeError(ErrorCode::InvalidInput,
                   kind + " name '" + name + "' must be non-empty and use only [A-Za-z0-9._-]");
}

}  // namespace

struct FileTopologyStore::Impl {
  FileStoreOptions options;

  // Watches: polled by one thread, started with the first watch.
  struct Watch {
    std::string cluster;
    std::function<void()> onChange;
    std::string lastSeen;  // `fingerprint` of the current file when last polled.
  };
  std::mutex watchMutex;
  std::condition_variable watchCv;
  std::map<WatchId, Watch> watches;
  WatchId nextWatchId = 1;
  WatchId runningWatch = 0;  // The watch whose callback is running right now (0: none).
  std::thread::id pollerThreadId;
  bool stopping = false;
  std::thread poller;

  std::string clusterDir(const std::string& cluster) const {
    return options.root + "/clusters/" + cluster;
  }

  Result<int64_t> currentVersion(const std::string& cluster) {
    auto text = readFile(clusterDir(cluster) + "/topology");
    if (!text) {
      if (text.error().code == ErrorCode::NotFound) return int64_t{0};
      return text.error();
    }
    auto m = decodeManifest(*text, cluster + "/topology");
    if (!m) return m.error();
    return m->version;
  }

  Result<Manifest> readManifest(const std::string& path, const std::string& what) {
    auto text = readFile(path);
    if (!text) return text.error();
    auto m = decodeManifest(*text, what);
    if (!m) return m.error();
    if (!m->inlineData || checksumHex(*m->inlineData) != m->checksum) {
      return makeError(ErrorCode::Internal, "stored record '" + what + "' fails its checksum");
    }
    return m;
  }

  Status writeValue(const std::string& cluster, const std::string& sub, const std::string& name,
                    const std::string& data) {
    const std::string dir = clusterDir(cluster) + (sub.empty() ? "" : "/" + sub);
    if (auto s = makeDirs(dir, kDirMode); !s) return s;
    return writeFileAtomic(dir + "/" + name, data, kFileMode);
  }

  Result<FileLock> lock(const std::string& cluster) {
    if (auto s = makeDirs(clusterDir(cluster), kDirMode); !s) return s.error();
    return FileLock::acquire(clusterDir(cluster) + "/.lock");
  }

  // Identity of the current topology file without reading it: every put renames a new file into
  // place, so the inode (with size and mtime as a second guard) changes on each write.
  std::string fingerprint(const std::string& cluster) const {
    struct stat st {};
    if (::stat((clusterDir(cluster) + "/topology").c_str(), &st) != 0) {
      return errno == ENOENT ? "absent" : "error";
    }
    return std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
  }

  void pollLoop() {
    std::unique_lock<std::mutex> l(watchMutex);
    while (!stopping) {
      // Snapshot the ids; callbacks run without the mutex so they may call the store.
      std::vector<WatchId> ids;
      for (const auto& [id, w] : watches) ids.push_back(id);
      for (const WatchId id : ids) {
        auto it = watches.find(id);
        if (it == watches.end()) continue;
        const std::string cluster = it->second.cluster;
        l.unlock();
        const std::string seen = fingerprint(cluster);
        l.lock();
        it = watches.find(id);
        if (it == watches.end() || stopping) continue;
        if (it->second.lastSeen == seen) continue;
        it->second.lastSeen = seen;
        auto callback = it->second.onChange;
        runningWatch = id;
        l.unlock();
        callback();
        l.lock();
        runningWatch = 0;
        watchCv.notify_all();
      }
      watchCv.wait_for(l, options.pollInterval, [&] { return stopping; });
    }
  }
};

FileTopologyStore::FileTopologyStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

FileTopologyStore::~FileTopologyStore() {
  {
    std::lock_guard<std::mutex> g(impl_->watchMutex);
    impl_->stopping = true;
  }
  impl_->watchCv.notify_all();
  if (impl_->poller.joinable()) impl_->poller.join();
}

Result<std::unique_ptr<FileTopologyStore>> FileTopologyStore::open(FileStoreOptions options) {
  if (options.root.empty()) {
    return makeError(ErrorCode::InvalidInput, "file store root directory must not be empty");
  }
  while (options.root.size() > 1 && options.root.back() == '/') options.root.pop_back();
  if (!options.clock) options.clock = systemClock();
  if (auto s = makeDirs(options.root + "/clusters", kDirMode); !s) {
    return s.error().withContext("failed to open file store '" + options.root + "'");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  return std::unique_ptr<FileTopologyStore>(new FileTopologyStore(std::move(impl)));
}

Result<TopologyRecord> FileTopologyStore::getTopology(const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  auto m = impl_->readManifest(impl_->clusterDir(cluster) + "/topology", cluster + "/topology");
  if (!m) {
    if (m.error().code == ErrorCode::NotFound) {
      return makeError(ErrorCode::NotFound, "cluster '" + cluster + "' has no topology");
    }
    return m.error();
  }
  return toRecord(*m, *m->inlineData);
}

Result<TopologyRecord> FileTopologyStore::putTopology(const std::string& cluster,
                                                      const PutRequest& request) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  if (request.yaml.empty()) {
    return makeError(ErrorCode::InvalidInput, "topology of cluster '" + cluster + "' is empty");
  }
  auto guard = impl_->lock(cluster);
  if (!guard) return guard.error();
  auto current = getTopology(cluster);
  int64_t currentVersion = 0;
  if (current) {
    currentVersion = current->version;
  } else if (current.error().code != ErrorCode::NotFound) {
    return current.error();
  }
  if (currentVersion != request.expected.version) {
    return makeError(ErrorCode::Conflict,
                     casConflictMessage(request.expected.version, currentVersion,
                                        current ? current->author : std::string("nobody")));
  }
  auto putId = randomId();
  if (!putId) return putId.error();
  Manifest m;
  m.version = currentVersion + 1;
  m.author = request.author;
  m.message = request.message;
  m.timestampMs = impl_->options.clock->now().time_since_epoch().count();
  m.sizeBytes = int64_t(request.yaml.size());
  m.checksum = checksumHex(request.yaml);
  m.putId = *putId;
  m.inlineData = request.yaml;
  const std::string text = encodeManifest(m);
  // History first, current last: the current file is the commit point.
  if (auto s = impl_->writeValue(cluster, "history", historyName(m.version), text); !s) {
    return s.error();
  }
  if (auto s = impl_->writeValue(cluster, "", "topology", text); !s) return s.error();
  return toRecord(m, request.yaml);
}

Result<std::vector<TopologyVersionInfo>> FileTopologyStore::listHistory(
    const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  auto current = impl_->currentVersion(cluster);
  if (!current) return current.error();
  auto names = listDir(impl_->clusterDir(cluster) + "/history");
  if (!names) return names.error();
  std::vector<TopologyVersionInfo> out;
  for (const auto& name : *names) {
    const auto v = parseHistoryName(name);
    if (!v || *v > *current) continue;  // Not committed (see the header).
    auto m = impl_->readManifest(impl_->clusterDir(cluster) + "/history/" + name,
                                 cluster + "/history/" + name);
    if (!m) return m.error();
    out.push_back(toVersionInfo(*m));
  }
  return out;
}

Result<TopologyRecord> FileTopologyStore::getTopologyVersion(const std::string& cluster,
                                                             int64_t version) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  auto current = impl_->currentVersion(cluster);
  if (!current) return current.error();
  const auto notFound =
      makeError(ErrorCode::NotFound,
                "cluster '" + cluster + "' has no topology version " + std::to_string(version));
  if (version <= 0 || version > *current) return notFound;
  const std::string name = historyName(version);
  auto m = impl_->readManifest(impl_->clusterDir(cluster) + "/history/" + name,
                               cluster + "/history/" + name);
  if (!m) return m.error().code == ErrorCode::NotFound ? notFound : m.error();
  return toRecord(*m, *m->inlineData);
}

Result<WatchId> FileTopologyStore::watchTopology(const std::string& cluster,
                                                 std::function<void()> onChange) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  const std::string seen = impl_->fingerprint(cluster);
  std::lock_guard<std::mutex> g(impl_->watchMutex);
  const WatchId id = impl_->nextWatchId++;
  impl_->watches[id] = Impl::Watch{cluster, std::move(onChange), seen};
  if (!impl_->poller.joinable()) {
    impl_->poller = std::thread([this] { impl_->pollLoop(); });
  }
  return id;
}

void FileTopologyStore::unwatch(WatchId id) {
  std::unique_lock<std::mutex> l(impl_->watchMutex);
  impl_->watches.erase(id);
  if (std::this_thread::get_id() == impl_->poller.get_id()) return;  // From inside a callback.
  impl_->watchCv.wait(l, [&] { return impl_->runningWatch != id; });
}

Result<std::vector<std::string>> FileTopologyStore::listClusters() {
  return listDir(impl_->options.root + "/clusters");
}

Result<std::string> FileTopologyStore::getSecret(const std::string& cluster,
                                                 const std::string& name) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  if (auto s = checkName("secret", name); !s) return s.error();
  auto value = readFile(impl_->clusterDir(cluster) + "/secrets/" + name);
  if (!value && value.error().code == ErrorCode::NotFound) {
    return makeError(ErrorCode::NotFound, "cluster '" + cluster + "' has no secret '" + name + "'");
  }
  return value;
}

Result<std::string> FileTopologyStore::putSecretIfAbsent(const std::string& cluster,
                                                         const std::string& name,
                                                         const std::string& value) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  if (auto s = checkName("secret", name); !s) return s.error();
  auto guard = impl_->lock(cluster);
  if (!guard) return guard.error();
  auto existing = getSecret(cluster, name);
  if (existing || existing.error().code != ErrorCode::NotFound) return existing;
  if (auto s = impl_->writeValue(cluster, "secrets", name, value); !s) return s.error();
  return value;
}

Result<std::vector<std::string>> FileTopologyStore::listSecrets(const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  return listDir(impl_->clusterDir(cluster) + "/secrets");
}

Result<OsdBinding> FileTopologyStore::getOsdBinding(const std::string& cluster,
                                                    const std::string& host,
                                                    const std::string& slot) {
  for (const auto& [kind, name] : {std::pair{"cluster", cluster}, {"host", host}, {"slot", slot}}) {
    if (auto s = checkName(kind, name); !s) return s.error();
  }
  const std::string key = host + "-" + slot;
  auto text = readFile(impl_->clusterDir(cluster) + "/osds/" + key);
  if (!text) {
    if (text.error().code == ErrorCode::NotFound) {
      return makeError(ErrorCode::NotFound,
                       "slot '" + key + "' of cluster '" + cluster + "' has no osd binding");
    }
    return text.error();
  }
  return decodeOsdBinding(*text, key);
}

Status FileTopologyStore::putOsdBinding(const std::string& cluster, const std::string& host,
                                        const std::string& slot, const OsdBinding& binding) {
  for (const auto& [kind, name] : {std::pair{"cluster", cluster}, {"host", host}, {"slot", slot}}) {
    if (auto s = checkName(kind, name); !s) return s;
  }
  return impl_->writeValue(cluster, "osds", host + "-" + slot, encodeOsdBinding(binding));
}

Status FileTopologyStore::deleteOsdBinding(const std::string& cluster, const std::string& host,
                                           const std::string& slot) {
  for (const auto& [kind, name] : {std::pair{"cluster", cluster}, {"host", host}, {"slot", slot}}) {
    if (auto s = checkName(kind, name); !s) return s;
  }
  return removeFile(impl_->clusterDir(cluster) + "/osds/" + host + "-" + slot);
}

Result<std::vector<std::pair<std::string, OsdBinding>>> FileTopologyStore::listOsdBindings(
    const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  auto names = listDir(impl_->clusterDir(cluster) + "/osds");
  if (!names) return names.error();
  std::vector<std::pair<std::string, OsdBinding>> out;
  for (const auto& key : *names) {
    auto text = readFile(impl_->clusterDir(cluster) + "/osds/" + key);
    if (!text) {
      if (text.error().code == ErrorCode::NotFound) continue;  // Deleted meanwhile.
      return text.error();
    }
    auto b = decodeOsdBinding(*text, key);
    if (!b) return b.error();
    out.emplace_back(key, *b);
  }
  return out;
}

Result<std::string> FileTopologyStore::getInventory(const std::string& cluster,
                                                    const std::string& host) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  if (auto s = checkName("host", host); !s) return s.error();
  auto text = readFile(impl_->clusterDir(cluster) + "/inventory/" + host);
  if (!text && text.error().code == ErrorCode::NotFound) {
    return makeError(ErrorCode::NotFound,
                     "host '" + host + "' of cluster '" + cluster + "' has no inventory");
  }
  return text;
}

Status FileTopologyStore::putInventory(const std::string& cluster, const std::string& host,
                                       const std::string& json) {
  if (auto s = checkName("cluster", cluster); !s) return s;
  if (auto s = checkName("host", host); !s) return s;
  if (json.size() > kMaxInventoryBytes) {
    return makeError(ErrorCode::InvalidInput,
                     "inventory of host '" + host + "' is " + std::to_string(json.size()) +
                         " bytes; the limit is " + std::to_string(kMaxInventoryBytes));
  }
  return impl_->writeValue(cluster, "inventory", host, json);
}

Result<std::vector<std::string>> FileTopologyStore::listInventoryHosts(const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  return listDir(impl_->clusterDir(cluster) + "/inventory");
}

Result<std::string> FileTopologyStore::getStatus(const std::string& cluster) {
  if (auto s = checkName("cluster", cluster); !s) return s.error();
  auto text = readFile(impl_->clusterDir(cluster) + "/status");
  if (!text && text.error().code == ErrorCode::NotFound) {
    return makeError(ErrorCode::NotFound, "cluster '" + cluster + "' has no status");
  }
  return text;
}

Status FileTopologyStore::putStatus(const std::string& cluster, const std::string& blob) {
  if (auto s = checkName("cluster", cluster); !s) return s;
  return impl_->writeValue(cluster, "", "status", blob);
}

}  // namespace ceph_planner::store
