// YAML → Topology. The only file in the project that includes yaml-cpp; every YAML::Exception is
// caught here. The walk is schema-driven: each mapping lists its known keys, so unknown keys get a
// "did you mean" hint and the walk continues past every error to find more.

#include "topology/parse.h"

#include "common/duration_text.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "common/strings.h"
#include "topology/devices.h"
#include "topology/positions.h"
#include "topology/validate.h"

namespace ceph_planner::topology {
namespace {

using Keys = std::vector<std::string>;

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Scalar:
      return quoted(node.Scalar());
    default:
      return "null";
  }
}

bool parseInteger(std::string_view text, int64_t* out) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

bool parseNumber(std::string_view text, double* out) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size() &&
         std::isfinite(*out);
}

bool parseBool(std::string_view text, bool* out) {
  std::string t = toLower(text);
  if (t == "true" || t == "yes" || t == "on") {
    *out = true;
    return true;
  }
  if (t == "false" || t == "no" || t == "off") {
    *out = false;
    return true;
  }
  return false;
}

// `LOW:HIGH` with either side empty, or one size meaning exactly that size.
bool parseSizeRange(std::string_view text, SizeRange* out) {
  out->text = std::string(text);
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    uint64_t exact = 0;
    if (!parseSize(text, &exact)) return false;
    out->low = exact;
    out->high = exact;
    return true;
  }
  std::string low = trim(text.substr(0, colon));
  std::string high = trim(text.substr(colon + 1));
  if (low.empty() && high.empty()) return false;
  if (!low.empty()) {
    uint64_t v = 0;
    if (!parseSize(low, &v)) return false;
    out->low = v;
  }
  if (!high.empty()) {
    uint64_t v = 0;
    if (!parseSize(high, &v)) return false;
    out->high = v;
  }
  return true;
}

// The items of a sequence in one pass. yaml-cpp's `size()` and `operator[](i)` on a sequence walk
// it from the start, which made 10,000-host documents quadratic.
std::vector<YAML::Node> elements(const YAML::Node& sequence) {
  std::vector<YAML::Node> out;
  for (auto it = sequence.begin(); it != sequence.end(); ++it) out.push_back(*it);
  return out;
}

size_t countElements(const YAML::Node& sequence) {
  size_t n = 0;
  for (auto it = sequence.begin(); it != sequence.end(); ++it) ++n;
  return n;
}

SourcePos toPos(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return SourcePos{};
  return SourcePos{mark.line + 1, mark.column + 1};
}

class Parser {
 public:
  explicit Parser(ParsedTopology* out) : out_(out), t_(out->topology) {}

  void document(const YAML::Node& root);

 private:
  // --- diagnostics and positions ---
  void note(const std::string& path, const YAML::Node& node) {
    if (++visited_ > kMaxNodes && !stopped_) {
      stopped_ = true;
      error(path, node,
            "the document expands to more than " + std::to_string(kMaxNodes) +
                " nodes (anchors and aliases included); giving up");
    }
    SourcePos pos = toPos(node.Mark());
    if (pos.line > 0) t_.positions.emplace(path, pos);
  }
  void error(const std::string& path, const YAML::Node& node, std::string message) {
    SourcePos pos = toPos(node.Mark());
    if (pos.line == 0) pos = positionOf(t_.positions, path);
    out_->diagnostics.push_back(
        Diagnostic{Severity::Error, path, pos.line, pos.col, std::move(message)});
  }
  void missing(const std::string& parentPath, const YAML::Node& parent, const std::string& key) {
    error(keyPath(parentPath, key), parent, "missing required key " + quoted(key));
  }

  bool isMap(const YAML::Node& node, const std::string& path) {
    if (node.IsMap()) return true;
    error(path, node, "must be a mapping, got " + describe(node));
    return false;
  }
  bool isSeq(const YAML::Node& node, const std::string& path) {
    if (node.IsSequence()) return true;
    error(path, node, "must be a sequence, got " + describe(node));
    return false;
  }
  bool isScalar(const YAML::Node& node, const std::string& path) {
    if (node.IsScalar()) return true;
    error(path, node, "must be a scalar value, got " + describe(node));
    return false;
  }

  // Walks a mapping: records positions, reports unknown and duplicate keys, and calls
  // `fn(key, value, path)` for known keys. Returns the set of keys seen (for required checks).
  template <typename Fn>
  std::unordered_set<std::string> fields(const YAML::Node& node, const std::string& path,
                                         const Keys& known, Fn fn, bool allowExtensions = false) {
    std::unordered_set<std::string> seen;
    if (stopped_) return seen;
    if (node.IsNull()) return seen;  // `key:` with nothing: treated as an empty mapping.
    if (!isMap(node, path)) return seen;
    // `it->first` lives in a temporary proxy: copy the (cheap, shared) Node handles out of it.
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node keyNode = it->first;
      const YAML::Node value = it->second;
      if (!keyNode.IsScalar()) {
        error(path, keyNode, "keys must be strings, got " + describe(keyNode));
        continue;
      }
      const std::string& key = keyNode.Scalar();
      const std::string childPath = keyPath(path, key);
      if (!seen.insert(key).second) {
        error(childPath, keyNode, "duplicate key " + quoted(key));
        continue;
      }
      if (allowExtensions && startsWith(key, "x-")) continue;
      bool isKnown = false;
      for (const auto& k : known) isKnown = isKnown || k == key;
      if (!isKnown) {
        std::string hint = closestMatch(key, known);
        error(childPath, keyNode,
              "unknown key " + quoted(key) +
                  (hint.empty() ? "" : " (did you mean " + quoted(hint) + "?)"));
        continue;
      }
      note(childPath, value);
      fn(key, value, childPath);
    }
    return seen;
  }

  // --- typed readers; a null value means "not given" and leaves the output untouched ---
  void get(const YAML::Node& n, const std::string& path, std::string* out) {
    if (n.IsNull()) return;
    if (!n.IsScalar()) {
      error(path, n, "must be a string, got " + describe(n));
      return;
    }
    *out = n.Scalar();
  }
  bool getInt(const YAML::Node& n, const std::string& path, int* out) {
    if (n.IsNull()) return false;
    int64_t v = 0;
    if (!n.IsScalar() || !parseInteger(n.Scalar(), &v) || v < std::numeric_limits<int>::min() ||
        v > std::numeric_limits<int>::max()) {
      error(path, n, "must be an integer, got " + describe(n));
      return false;
    }
    *out = static_cast<int>(v);
    return true;
  }
  void get(const YAML::Node& n, const std::string& path, int* out) { getInt(n, path, out); }
  void get(const YAML::Node& n, const std::string& path, std::optional<int>* out) {
    int v = 0;
    if (getInt(n, path, &v)) *out = v;
  }
  bool getDouble(const YAML::Node& n, const std::string& path, double* out) {
    if (n.IsNull()) return false;
    if (!n.IsScalar() || !parseNumber(n.Scalar(), out)) {
      error(path, n, "must be a number, got " + describe(n));
      return false;
    }
    return true;
  }
  void get(const YAML::Node& n, const std::string& path, double* out) { getDouble(n, path, out); }
  void get(const YAML::Node& n, const std::string& path, std::optional<double>* out) {
    double v = 0;
    if (getDouble(n, path, &v)) *out = v;
  }
  bool getBool(const YAML::Node& n, const std::string& path, bool* out) {
    if (n.IsNull()) return false;
    if (!n.IsScalar() || !parseBool(n.Scalar(), out)) {
      error(path, n, "must be true or false, got " + describe(n));
      return false;
    }
    return true;
  }
  void get(const YAML::Node& n, const std::string& path, bool* out) { getBool(n, path, out); }
  void get(const YAML::Node& n, const std::string& path, std::vector<std::string>* out) {
    if (n.IsNull()) return;
    if (!isSeq(n, path)) return;
    const std::vector<YAML::Node> items = elements(n);
    for (size_t i = 0; i < items.size() && !stopped_; ++i) {
      const std::string itemPath = indexPath(path, i);
      note(itemPath, items[i]);
      if (!items[i].IsScalar()) {
        error(itemPath, items[i], "must be a string, got " + describe(items[i]));
        continue;
      }
      out->push_back(items[i].Scalar());
    }
  }
  void get(const YAML::Node& n, const std::string& path, std::vector<double>* out) {
    if (n.IsNull()) return;
    if (!isSeq(n, path)) return;
    out->clear();
    const std::vector<YAML::Node> items = elements(n);
    for (size_t i = 0; i < items.size() && !stopped_; ++i) {
      const std::string itemPath = indexPath(path, i);
      note(itemPath, items[i]);
      double v = 0;
      if (getDouble(items[i], itemPath, &v)) out->push_back(v);
    }
  }
  // A mapping of scalar values, in document order.
  void get(const YAML::Node& n, const std::string& path,
           std::vector<std::pair<std::string, std::string>>* out) {
    if (n.IsNull() || !isMap(n, path)) return;
    std::unordered_set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      if (!key.IsScalar()) {
        error(path, key, "keys must be strings, got " + describe(key));
        continue;
      }
      const std::string childPath = keyPath(path, key.Scalar());
      if (!seen.insert(key.Scalar()).second) {
        error(childPath, key, "duplicate key " + quoted(key.Scalar()));
        continue;
      }
      note(childPath, value);
      if (value.IsNull()) {
        out->emplace_back(key.Scalar(), "");
      } else if (isScalar(value, childPath)) {
        out->emplace_back(key.Scalar(), value.Scalar());
      }
    }
  }
  void get(const YAML::Node& n, const std::string& path, std::map<std::string, std::string>* out) {
    std::vector<std::pair<std::string, std::string>> pairs;
    get(n, path, &pairs);
    for (auto& [k, v] : pairs) (*out)[k] = v;
  }
  void getSize(const YAML::Node& n, const std::string& path, std::optional<uint64_t>* out) {
    if (n.IsNull()) return;
    uint64_t v = 0;
    if (!n.IsScalar() || !parseSize(n.Scalar(), &v)) {
      error(path, n, "must be a size such as '300G' or '1.92T', got " + describe(n));
      return;
    }
    *out = v;
  }
  void getDuration(const YAML::Node& n, const std::string& path, int* out) {
    if (n.IsNull()) return;
    if (!n.IsScalar() || !parseDurationSeconds(n.Scalar(), out)) {
      error(path, n, "must be a duration such as '90s', '3m' or '1h', got " + describe(n));
    }
  }

  // --- sections ---
  void cluster(const YAML::Node& n, const std::string& path);
  void networks(const YAML::Node& n, const std::string& path);
  void crush(const YAML::Node& n, const std::string& path);
  void hosts(const YAML::Node& n, const std::string& path);
  void host(const YAML::Node& n, const std::string& path, Host* h);
  void device(const YAML::Node& n, const std::string& path, Device* d);
  void placement(const YAML::Node& n, const std::string& path, Placement* p);
  void resources(const YAML::Node& n, const std::string& path, Resources* r);
  void daemon(const YAML::Node& n, const std::string& path, DaemonSpec* d, bool isMgr);
  void osdGroups(const YAML::Node& n, const std::string& path);
  void osdGroup(const YAML::Node& n, const std::string& path, OsdGroup* g);
  void selector(const YAML::Node& n, const std::string& path, DeviceSelector* s);
  void rgws(const YAML::Node& n, const std::string& path);
  void rgw(const YAML::Node& n, const std::string& path, RgwService* r);
  void autoscale(const YAML::Node& n, const std::string& path, Autoscale* a);
  void window(const YAML::Node& n, const std::string& path, ScaleWindow* w, bool down);
  void maintenance(const YAML::Node& n, const std::string& path);
  void job(const YAML::Node& n, const std::string& path, MaintenanceJob* j, const Keys& keys);
  void policies(const YAML::Node& n, const std::string& path);

  // Aliases let a small document expand into a huge tree (`hosts: [*h, *h, ...]` with `*h` holding
  // thousands of devices). The walk stops after kMaxNodes nodes: about three times the
  // 10,000-host topology of the benchmark.
  static constexpr size_t kMaxNodes = 3'000'000;
  size_t visited_ = 0;
  bool stopped_ = false;

  ParsedTopology* out_;
  Topology& t_;
};

void Parser::document(const YAML::Node& root) {
  if (root.IsNull()) {
    error("", root,
          "the document is empty; expected a mapping with 'apiVersion', 'kind', 'cluster' and "
          "'hosts'");
    return;
  }
  static const Keys kTop = {"apiVersion", "kind",  "cluster",     "networks",
                            "crush",      "hosts", "mons",        "mgrs",
                            "osd_groups", "rgw",   "maintenance", "policies"};
  if (root.IsMap()) note("", root);  // loadTopology validates only documents with a mapping root.
  auto seen = fields(
      root, "", kTop,
      [&](const std::string& key, const YAML::Node& v, const std::string& p) {
        if (key == "apiVersion") get(v, p, &t_.apiVersion);
        if (key == "kind") get(v, p, &t_.kind);
        if (key == "cluster") cluster(v, p);
        if (key == "networks") networks(v, p);
        if (key == "crush") crush(v, p);
        if (key == "hosts") hosts(v, p);
        if (key == "mons") daemon(v, p, &t_.mons, false);
        if (key == "mgrs") daemon(v, p, &t_.mgrs, true);
        if (key == "osd_groups") osdGroups(v, p);
        if (key == "rgw") rgws(v, p);
        if (key == "maintenance") maintenance(v, p);
        if (key == "policies") policies(v, p);
      },
      /*allowExtensions=*/true);
  if (!root.IsMap()) return;
  for (const char* required : {"apiVersion", "kind", "cluster", "hosts"}) {
    if (!seen.count(required)) missing("", root, required);
  }
}

void Parser::cluster(const YAML::Node& n, const std::string& path) {
  static const Keys kKeys = {"name",   "fsid",     "image",   "runtime",
                             "config", "marathon", "chronos", "zookeeper"};
  ClusterSpec& c = t_.cluster;
  auto seen = fields(
      n, path, kKeys, [&](const std::string& key, const YAML::Node& v, const std::string& p) {
        if (key == "name") get(v, p, &c.name);
        if (key == "fsid") get(v, p, &c.fsid);
        if (key == "image") get(v, p, &c.image);
        if (key == "runtime") {
          std::string runtime;
          get(v, p, &runtime);
          if (runtime == "docker") {
            c.runtime = Runtime::Docker;
          } else if (runtime == "host") {
            c.runtime = Runtime::Host;
          } else if (v.IsScalar()) {
            error(p, v, "must be 'docker' or 'host', got " + quoted(runtime));
          }
        }
        if (key == "config") get(v, p, &c.config);
        if (key == "marathon") {
          fields(v, p, {"url", "group"},
                 [&](const std::string& k, const YAML::Node& vv, const std::string& pp) {
                   get(vv, pp, k == "url" ? &c.marathonUrl : &c.marathonGroup);
                 });
        }
        if (key == "chronos") {
          fields(v, p, {"url"},
                 [&](const std::string&, const YAML::Node& vv, const std::string& pp) {
                   get(vv, pp, &c.chronosUrl);
                 });
        }
        if (key == "zookeeper") {
          fields(v, p, {"connect", "root"},
                 [&](const std::string& k, const YAML::Node& vv, const std::string& pp) {
                   get(vv, pp, k == "connect" ? &c.zookeeperConnect : &c.zookeeperRoot);
                 });
        }
      });
  if (n.IsMap() && !seen.count("name")) missing(path, n, "name");
}

void Parser::networks(const YAML::Node& n, const std::string& path) {
  Networks& nw = t_.networks;
  fields(n, path, {"public", "cluster", "msgr2_only"},
         [&](const std::string& key, const YAML::Node& v, const std::string& p) {
           if (key == "public") get(v, p, &nw.publicCidrs);
           if (key == "cluster") get(v, p, &nw.clusterCidrs);
           if (key == "msgr2_only") get(v, p, &nw.msgr2Only);
         });
}

void Parser::crush(const YAML::Node& n, const std::string& path) {
  fields(n, path, {"failure_domain", "device_classes_from_spec"},
         [&](const std::string& key, const YAML::Node& v, const std::string& p) {
           if (key == "failure_domain") get(v, p, &t_.crush.failureDomain);
           if (key == "device_classes_from_spec") get(v, p, &t_.crush.deviceClassesFromSpec);
         });
}

void Parser::hosts(const YAML::Node& n, const std::string& path) {
  if (n.IsNull() || !isSeq(n, path)) return;
  t_.hosts.resize(countElements(n));
  const std::vector<YAML::Node> items = elements(n);
  for (size_t i = 0; i < items.size() && !stopped_; ++i) {
    const std::string p = indexPath(path, i);
    note(p, items[i]);
    host(items[i], p, &t_.hosts[i]);
  }
}

void Parser::host(const YAML::Node& n, const std::string& path, Host* h) {
  static const Keys kKeys = {"name",       "location",  "labels",     "public_ip",
                             "cluster_ip", "addresses", "attributes", "devices"};
  auto seen = fields(n, path, kKeys,
                     [&](const std::string& key, const YAML::Node& v, const std::string& p) {
                       if (key == "name") get(v, p, &h->name);
                       if (key == "location") get(v, p, &h->location);
                       if (key == "labels") get(v, p, &h->labels);
                       if (key == "public_ip") get(v, p, &h->publicIp);
                       if (key == "cluster_ip") get(v, p, &h->clusterIp);
                       if (key == "addresses") get(v, p, &h->addresses);
                       if (key == "attributes") get(v, p, &h->attributes);
                       if (key == "devices") {
                         h->hasInventory = true;
                         if (v.IsNull() || !isSeq(v, p)) return;
                         h->devices.resize(countElements(v));
                         const std::vector<YAML::Node> items = elements(v);
                         for (size_t i = 0; i < items.size() && !stopped_; ++i) {
                           const std::string dp = indexPath(p, i);
                           note(dp, items[i]);
                           device(items[i], dp, &h->devices[i]);
                         }
                       }
                     });
  if (n.IsMap() && !seen.count("name")) missing(path, n, "name");
}

void Parser::device(const YAML::Node& n, const std::string& path, Device* d) {
  static const Keys kKeys = {"path", "rotational", "size", "model", "vendor", "serial"};
  auto seen = fields(n, path, kKeys,
                     [&](const std::string& key, const YAML::Node& v, const std::string& p) {
                       if (key == "path") get(v, p, &d->path);
                       if (key == "rotational") {
                         if (v.IsScalar() && (v.Scalar() == "1" || v.Scalar() == "0")) {
                           d->rotational = v.Scalar() == "1";
                         } else {
                           get(v, p, &d->rotational);
                         }
                       }
                       if (key == "size") {
                         std::optional<uint64_t> size;
                         getSize(v, p, &size);
                         if (size) d->sizeBytes = *size;
                       }
                       if (key == "model") get(v, p, &d->model);
                       if (key == "vendor") get(v, p, &d->vendor);
                       if (key == "serial") get(v, p, &d->serial);
                     });
  if (n.IsMap() && !seen.count("path")) missing(path, n, "path");
}

void Parser::placement(const YAML::Node& n, const std::string& path, Placement* pl) {
  fields(n, path, {"hosts", "label", "host_pattern", "count"},
         [&](const std::string& key, const YAML::Node& v, const std::string& p) {
           if (key == "hosts") get(v, p, &pl->hosts);
           if (key == "label") get(v, p, &pl->label);
           if (key == "host_pattern") get(v, p, &pl->hostPattern);
           if (key == "count") get(v, p, &pl->count);
         });
}

void Parser::resources(const YAML::Node& n, const std::string& path, Resources* r) {
  fields(n, path, {"cpus", "mem", "disk"},
         [&](const std::string& key, const YAML::Node& v, const std::string& p) {
           if (key == "cpus") get(v, p, &r->cpus);
           if (key == "mem") get(v, p, &r->mem);
           if (key == "disk") get(v, p, &r->disk);
         });
}

void Parser::daemon(const YAML::Node& n, const std::string& path, DaemonSpec* d, bool isMgr) {
  static const Keys kMon = {"placement", "resources", "data_dir"};
  static const Keys kMgr = {"placement", "resources", "data_dir", "modules"};
  d->present = true;
  fields(n, path, isMgr ? kMgr : kMon,
         [&](const std::string& key, const YAML::Node& v, const std::string& p) {
           if (key == "placement") placement(v, p, &d->placement);
           if (key == "resources") resources(v, p, &d->resources);
           if (key == "data_dir") get(v, p, &d->dataDir);
           if (key == "modules") get(v, p, &d->modules);
         });
}

void Parser::osdGroups(const YAML::Node& n, const std::string& path) {
  if (n.IsNull() || !isSeq(n, path)) return;
  t_.osdGroups.resize(countElements(n));
  const std::vector<YAML::Node> items = elements(n);
  for (size_t i = 0; i < items.size() && !stopped_; ++i) {
    const std::string p = indexPath(path, i);
    note(p, items[i]);
    osdGroup(items[i], p, &t_.osdGroups[i]);
  }
}

void Parser::osdGroup(const YAML::Node& n, const std::string& path, OsdGroup* g) {
  static const Keys kKeys = {
      "service_id",      "placement",          "data_devices",      "db_devices",
      "wal_devices",     "db_slots",           "block_db_size",     "block_wal_size",
      "osds_per_device", "crush_device_class", "encrypted",         "unmanaged",
      "objectstore",     "resources",          "osd_memory_target", "exceptions"};
  auto seen = fields(
      n, path, kKeys, [&](const std::string& key, const YAML::Node& v, const std::string& p) {
        if (key == "service_id") get(v, p, &g->serviceId);
        if (key == "placement") placement(v, p, &g->placement);
        if (key == "data_devices") selector(v, p, &g->dataDevices);
        if (key == "db_devices") selector(v, p, &g->dbDevices);
        if (key == "wal_devices") selector(v, p, &g->walDevices);
        if (key == "db_slots") get(v, p, &g->dbSlots);
        if (key == "block_db_size") getSize(v, p, &g->blockDbSize);
        if (key == "block_wal_size") getSize(v, p, &g->blockWalSize);
        if (key == "osds_per_device") get(v, p, &g->osdsPerDevice);
        if (key == "crush_device_class") get(v, p, &g->crushDeviceClass);
        if (key == "encrypted") get(v, p, &g->encrypted);
        if (key == "unmanaged") get(v, p, &g->unmanaged);
        if (key == "objectstore") get(v, p, &g->objectstore);
        if (key == "resources") resources(v, p, &g->resources);
        if (key == "osd_memory_target") {
          get(v, p, &g->osdMemoryTarget);
          uint64_t bytes = 0;
          if (v.IsScalar() && !parseSize(g->osdMemoryTarget, &bytes)) {
            error(p, v, "must be a size such as '300G' or '1.92T', got " + describe(v));
          }
        }
        if (key == "exceptions") {
          if (v.IsNull() || !isSeq(v, p)) return;
          g->exceptions.resize(countElements(v));
          const std::vector<YAML::Node> items = elements(v);
          for (size_t i = 0; i < items.size() && !stopped_; ++i) {
            const std::string ep = indexPath(p, i);
            note(ep, items[i]);
            HostException& e = g->exceptions[i];
            auto eseen =
                fields(items[i], ep, {"host", "exclude_slots"},
                       [&](const std::string& k, const YAML::Node& vv, const std::string& pp) {
                         if (k == "host") get(vv, pp, &e.host);
                         if (k == "exclude_slots") get(vv, pp, &e.excludeSlots);
                       });
            if (items[i].IsMap() && !eseen.count("host")) missing(ep, items[i], "host");
          }
        }
      });
  if (n.IsMap() && !seen.count("service_id")) missing(path, n, "service_id");
}

void Parser::selector(const YAML::Node& n, const std::string& path, DeviceSelector* s) {
  static const Keys kKeys = {"slots", "paths",  "rotational", "size",
                             "model", "vendor", "limit",      "all"};
  s->present = true;
  fields(n, path, kKeys, [&](const std::string& key, const YAML::Node& v, const std::string& p) {
    if (key == "slots") get(v, p, &s->slots);
    if (key == "paths") get(v, p, &s->paths);
    if (key == "rotational") {
      bool b = false;
      if (v.IsScalar() && (v.Scalar() == "1" || v.Scalar() == "0")) {
        s->rotational = v.Scalar() == "1";
      } else if (getBool(v, p, &b)) {
        s->rotational = b;
      }
    }
    if (key == "size") {
      if (v.IsNull()) return;
      SizeRange range;
      if (!v.IsScalar() || !parseSizeRange(v.Scalar(), &range)) {
        error(p, v,
              "must be a size range 'LOW:HIGH' such as '10T:' or '1T:4T', got " + describe(v));
      } else {
        s->size = range;
      }
    }
    if (key == "model") get(v, p, &s->model);
    if (key == "vendor") get(v, p, &s->vendor);
    if (key == "limit") get(v, p, &s->limit);
    if (key == "all") get(v, p, &s->all);
  });
}

void Parser::rgws(const YAML::Node& n, const std::string& path) {
  if (n.IsNull() || !isSeq(n, path)) return;
  t_.rgw.resize(countElements(n));
  const std::vector<YAML::Node> items = elements(n);
  for (size_t i = 0; i < items.size() && !stopped_; ++i) {
    const std::string p = indexPath(path, i);
    note(p, items[i]);
    rgw(items[i], p, &t_.rgw[i]);
  }
}

void Parser::rgw(const YAML::Node& n, const std::string& path, RgwService* r) {
  static const Keys kKeys = {"service_id", "realm", "zone",      "frontend",    "placement",
                             "resources",  "count", "autoscale", "loadbalancer"};
  auto seen = fields(
      n, path, kKeys, [&](const std::string& key, const YAML::Node& v, const std::string& p) {
        if (key == "service_id") get(v, p, &r->serviceId);
        if (key == "realm") get(v, p, &r->realm);
        if (key == "zone") get(v, p, &r->zone);
        if (key == "frontend") {
          fields(v, p, {"type", "port", "ssl"},
                 [&](const std::string& k, const YAML::Node& vv, const std::string& pp) {
                   if (k == "type") get(vv, pp, &r->frontendType);
                   if (k == "port") get(vv, pp, &r->port);
                   if (k == "ssl") get(vv, pp, &r->ssl);
                 });
        }
        if (key == "placement") placement(v, p, &r->placement);
        if (key == "resources") resources(v, p, &r->resources);
        if (key == "count") get(v, p, &r->count);
        if (key == "autoscale") autoscale(v, p, &r->autoscale);
        if (key == "loadbalancer") {
          fields(v, p, {"marathon_lb"},
                 [&](const std::string&, const YAML::Node& vv, const std::string& pp) {
                   fields(vv, pp, {"group", "vhost"},
                          [&](const std::string& k, const YAML::Node& v3, const std::string& p3) {
                            get(v3, p3, k == "group" ? &r->marathonLbGroup : &r->marathonLbVhost);
                          });
                 });
        }
      });
  if (n.IsMap() && !seen.count("service_id")) missing(path, n, "service_id");
}

void Parser::autoscale(const YAML::Node& n, const std::string& path, Autoscale* a) {
  static const Keys kKeys = {"min",      "max",        "metric",   "target",   "metric_url",
                             "scale_up", "scale_down", "cooldown", "tolerance"};
  if (n.IsNull()) return;
  a->present = true;
  fields(n, path, kKeys, [&](const std::string& key, const YAML::Node& v, const std::string& p) {
    if (key == "min") get(v, p, &a->min);
    if (key == "max") get(v, p, &a->max);
    if (key == "metric") get(v, p, &a->metric);
    if (key == "target") get(v, p, &a->target);
    if (key == "metric_url") get(v, p, &a->metricUrl);
    if (key == "scale_up") window(v, p, &a->scaleUp, false);
    if (key == "scale_down") window(v, p, &a->scaleDown, true);
    if (key == "cooldown") getDuration(v, p, &a->cooldownSeconds);
    if (key == "tolerance") get(v, p, &a->tolerance);
  });
}

void Parser::window(const YAML::Node& n, const std::string& path, ScaleWindow* w, bool down) {
  static const Keys kUp = {"window", "step"};
  static const Keys kDown = {"window", "step", "drain_seconds"};
  fields(n, path, down ? kDown : kUp,
         [&](const std::string& key, const YAML::Node& v, const std::string& p) {
           if (key == "window") getDuration(v, p, &w->windowSeconds);
           if (key == "step") get(v, p, &w->step);
           if (key == "drain_seconds") get(v, p, &w->drainSeconds);
         });
}

void Parser::maintenance(const YAML::Node& n, const std::string& path) {
  static const Keys kBalancer = {"schedule", "mode", "max_misplaced", "timezone"};
  static const Keys kInventory = {"schedule", "timezone"};
  static const Keys kJob = {"name", "schedule", "parents", "command", "timezone"};
  fields(n, path, {"balancer", "inventory", "jobs"},
         [&](const std::string& key, const YAML::Node& v, const std::string& p) {
           if (key == "balancer" || key == "inventory") {
             if (v.IsNull()) return;
             MaintenanceJob j;
             j.name = key;
             j.yamlPath = p;
             job(v, p, &j, key == "balancer" ? kBalancer : kInventory);
             t_.maintenance.push_back(std::move(j));
             return;
           }
           if (v.IsNull() || !isSeq(v, p)) return;
           const std::vector<YAML::Node> items = elements(v);
           for (size_t i = 0; i < items.size() && !stopped_; ++i) {
             const std::string jp = indexPath(p, i);
             note(jp, items[i]);
             MaintenanceJob j;
             j.yamlPath = jp;
             job(items[i], jp, &j, kJob);
             if (items[i].IsMap() && j.name.empty() && !items[i]["name"])
               missing(jp, items[i], "name");
             t_.maintenance.push_back(std::move(j));
           }
         });
}

void Parser::job(const YAML::Node& n, const std::string& path, MaintenanceJob* j,
                 const Keys& keys) {
  fields(n, path, keys, [&](const std::string& key, const YAML::Node& v, const std::string& p) {
    if (key == "name") get(v, p, &j->name);
    if (key == "schedule") get(v, p, &j->schedule);
    if (key == "timezone") get(v, p, &j->timezone);
    if (key == "parents") get(v, p, &j->parents);
    if (key == "command") get(v, p, &j->command);
    if (key == "mode" || key == "max_misplaced") {
      std::string value;
      get(v, p, &value);
      if (!value.empty()) j->params[key] = value;
    }
  });
}

void Parser::policies(const YAML::Node& n, const std::string& path) {
  Policies& pol = t_.policies;
  fields(n, path, {"drain", "upgrade", "health_checks", "max_misplaced_ratio"},
         [&](const std::string& key, const YAML::Node& v, const std::string& p) {
           if (key == "max_misplaced_ratio") get(v, p, &pol.maxMisplacedRatio);
           if (key == "drain") {
             fields(v, p,
                    {"max_failure_domains_in_flight", "reweight_steps", "require_health",
                     "min_free_ratio_after"},
                    [&](const std::string& k, const YAML::Node& vv, const std::string& pp) {
                      if (k == "max_failure_domains_in_flight") {
                        get(vv, pp, &pol.drain.maxFailureDomainsInFlight);
                      }
                      if (k == "reweight_steps") get(vv, pp, &pol.drain.reweightSteps);
                      if (k == "require_health") get(vv, pp, &pol.drain.requireHealth);
                      if (k == "min_free_ratio_after") get(vv, pp, &pol.drain.minFreeRatioAfter);
                    });
           }
           if (key == "upgrade") {
             fields(v, p, {"order", "osd_batch", "set_noautoscale"},
                    [&](const std::string& k, const YAML::Node& vv, const std::string& pp) {
                      if (k == "order") {
                        pol.upgrade.order.clear();
                        get(vv, pp, &pol.upgrade.order);
                      }
                      if (k == "osd_batch") get(vv, pp, &pol.upgrade.osdBatch);
                      if (k == "set_noautoscale") get(vv, pp, &pol.upgrade.setNoautoscale);
                    });
           }
           if (key == "health_checks") {
             fields(v, p, {"osd_grace_seconds", "mon_grace_seconds"},
                    [&](const std::string& k, const YAML::Node& vv, const std::string& pp) {
                      get(vv, pp,
                          k == "osd_grace_seconds" ? &pol.healthChecks.osdGraceSeconds
                                                   : &pol.healthChecks.monGraceSeconds);
                    });
           }
         });
}

}  // namespace

ParsedTopology parseTopology(std::string_view yamlText) {
  ParsedTopology out;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yamlText));
  } catch (const YAML::Exception& e) {
    SourcePos pos = toPos(e.mark);
    out.diagnostics.push_back(
        Diagnostic{Severity::Error, "", pos.line, pos.col, "yaml syntax error: " + e.msg});
    return out;
  }
  try {
    Parser(&out).document(root);
  } catch (const YAML::Exception& e) {
    // Not expected (the walk checks every type before converting); reported, never thrown.
    SourcePos pos = toPos(e.mark);
    out.diagnostics.push_back(
        Diagnostic{Severity::Error, "", pos.line, pos.col, "yaml error: " + e.msg});
  }
  return out;
}

ParsedTopology loadTopology(std::string_view yamlText) { return loadTopology(yamlText, {}); }

ParsedTopology loadTopology(std::string_view yamlText, const Inventory& inventory) {
  return validateParsed(parseTopology(yamlText), inventory);
}

ParsedTopology validateParsed(ParsedTopology parsed, const Inventory& inventory) {
  if (!parsed.topology.positions.count("")) {
    return parsed;  // A syntax error, an empty document or a root that is not a mapping.
  }
  // Validation runs even after structural errors so that one run reports everything. A finding on
  // a path the parser already complained about, above it or under it, is dropped: it only echoes
  // the structural error (a field the parser could not read looks absent or zero to validation).
  std::unordered_set<std::string> parseErrors;
  std::unordered_set<std::string> parseErrorsAndAncestors;
  for (const auto& d : parsed.diagnostics) {
    parseErrors.insert(d.path);
    std::string prefix = d.path;
    while (true) {
      parseErrorsAndAncestors.insert(prefix);
      size_t cut = prefix.find_last_of(".[");
      if (cut == std::string::npos) break;
      prefix.resize(cut);
    }
  }
  for (auto& d : validateTopology(parsed.topology, inventory)) {
    bool echoed = !d.path.empty() && parseErrorsAndAncestors.count(d.path) > 0;
    std::string prefix = d.path;
    while (!echoed) {
      size_t cut = prefix.find_last_of(".[");
      if (cut == std::string::npos) break;
      prefix.resize(cut);
      echoed = parseErrors.count(prefix) > 0;
    }
    if (!echoed) parsed.diagnostics.push_back(std::move(d));
  }
  return parsed;
}

}  // namespace ceph_planner::topology
