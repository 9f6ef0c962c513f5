// Topology → DesiredState (DESIGN.md §4; docs/rendering.md explains every choice). Pure and
// deterministic. Built for 100,000+ apps: per-host facts (short name, attribute constraints,
// failure domain, CRUSH location) are computed once, templates are precompiled, and there is no
// regex and no template parsing per app.

#include "planner/render.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>

#include "common/strings.h"
#include "topology/devices.h"
#include "topology/placement.h"

namespace ceph_planner::planner {
namespace {

using topology::Host;
using topology::Runtime;
using topology::Topology;

struct RoleDefaults {
  double cpus;
  double mem;
  double disk;
};

// Reservations when the topology gives none (docs/rendering.md, "Resources").
constexpr RoleDefaults kMonDefaults{1.0, 2048.0, 0.0};
constexpr RoleDefaults kMgrDefaults{1.0, 2048.0, 0.0};
constexpr RoleDefaults kOsdDefaults{2.0, 5120.0, 0.0};
constexpr RoleDefaults kRgwDefaults{2.0, 4096.0, 0.0};

constexpr int kMonMsgr2Port = 3300;
constexpr int kMonMsgr1Port = 6789;

// Per-host facts shared by every app on that host.
struct HostFacts {
  const Host* host = nullptr;
  std::string shortName;
  SharedVector<Constraint> constraints;  // hostname CLUSTER + one CLUSTER per attribute; shared.
  SharedText failureDomain;              // Value of location[crush.failure_domain] ("" = none).
  std::string crushLocation;             // `host=<short> rack=r1 root=default`.
};

// True when `segment` is one Marathon PathId segment: dot-separated labels of [a-z0-9-] that
// neither start nor end with '-' (state/PathId.scala), and not a reserved name. One pass, one table
// lookup per character: every app id of a render is checked.
bool isValidIdSegment(std::string_view segment) {
  static constexpr auto kLabelChar = [] {
    std::array<bool, 256> table{};
    for (unsigned char c = 'a'; c <= 'z'; ++c) table[c] = true;
    for (unsigned char c = '0'; c <= '9'; ++c) table[c] = true;
    table['-'] = true;
    return table;
  }();
  char previous = '.';  // As if a label ended just before the segment.
  for (char c : segment) {
    if (c == '.') {
      if (previous == '.' || previous == '-') return false;  // Empty label, or ends with '-'.
    } else if (!kLabelChar[static_cast<unsigned char>(c)] || (c == '-' && previous == '.')) {
      return false;  // A character outside [a-z0-9-], or a label that starts with '-'.
    }
    previous = c;
  }
  return previous != '.' && previous != '-';  // Also false for an empty segment.
}

// Checks the segments of `rest` (what follows a valid absolute prefix of `id`).
Status checkIdSegments(std::string_view id, std::string_view rest) {
  std::string_view last;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    if (!isValidIdSegment(segment)) {
      return makeError(ErrorCode::InvalidInput,
                       "app id " + ceph_planner::quoted(id) + ": segment " +
                           ceph_planner::quoted(segment) +
                           " must be dot-separated labels of a-z, 0-9 and '-' that do not start or "
                           "end with '-'");
    }
    last = segment;
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  if (last == "restart" || last == "tasks" || last == "versions") {
    return makeError(ErrorCode::InvalidInput, "app id " + ceph_planner::quoted(id) +
                                                  " ends in the reserved name " +
                                                  ceph_planner::quoted(last));
  }
  return okStatus();
}

Status checkAppId(std::string_view id) {
  if (id.size() < 2 || id.front() != '/') {
    return makeError(ErrorCode::InvalidInput,
                     "app id " + ceph_planner::quoted(id) + " is not an absolute path");
  }
  return checkIdSegments(id, id.substr(1));
}

// `id` of an app under `group` (itself checked): only the segments after the group are checked.
Status checkAppIdUnder(std::string_view group, std::string_view id) {
  if (id.size() > group.size() + 1 && id.substr(0, group.size()) == group &&
      id[group.size()] == '/') {
    return checkIdSegments(id, id.substr(group.size() + 1));
  }
  return checkAppId(id);
}

// Template values are inserted verbatim, and the built-in commands single-quote them for the
// shell: a value with a quote, a backslash or a line break could change the command.
Status checkShellSafe(std::string_view what, std::string_view value, std::string_view app) {
  // One table lookup per character (three paths per OSD: four memchr calls each cost more).
  static constexpr auto kUnsafe = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : {'\'', '\\', '\n', '\r'}) table[c] = true;
    return table;
  }();
  if (std::none_of(value.begin(), value.end(),
                   [](char c) { return kUnsafe[static_cast<unsigned char>(c)]; })) {
    return okStatus();
  }
  return makeError(ErrorCode::InvalidInput,
                   "app " + ceph_planner::quoted(app) + ": " + std::string(what) + " " +
                       ceph_planner::quoted(value) +
                       " contains a quote, backslash or line break, which commands cannot carry");
}

// `^(a|b)$` with every regex metacharacter of the host names escaped (Java regex syntax).
std::string anchoredAlternation(const std::vector<const Host*>& hosts) {
  std::string out = "^(";
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (i > 0) out += '|';
    for (char c : hosts[i]->name) {
      if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  out += ")$";
  return out;
}

// The renderer's labels. Templates cannot set labels, so an app's labels are exactly these; they
// are emitted in key order (no search per insert). Empty values are left out. The values are
// shared (mostly slices of the app's placeholder values), so labelling an app copies no text.
struct LabelValues {
  SharedText haproxyVhost;
  SharedText haproxyGroup;
  SharedText autoscale;
  SharedText cluster;
  SharedText dbDevice;
  SharedText device;
  SharedText failureDomain;
  SharedText host;
  SharedText osdGroup;
  SharedText rgwService;
  SharedText role;
  SharedText slot;
  SharedText topologyVersion;
};

Labels buildLabels(LabelValues&& v) {
  Labels kv;
  kv.reserve(3 + !v.haproxyVhost.empty() + !v.haproxyGroup.empty() + !v.autoscale.empty() +
             !v.dbDevice.empty() + !v.device.empty() + !v.failureDomain.empty() + !v.host.empty() +
             !v.osdGroup.empty() + !v.rgwService.empty() + !v.slot.empty() +
             !v.topologyVersion.empty());
  // The keys are constants: kept by reference, not copied (Key).
  auto add = [&kv](std::string_view key, SharedText&& value) {
    if (!value.empty()) kv.emplace_back(Key::literal(key), std::move(value));
  };
  // In key order (upper case sorts before lower case); a unit test checks the result is sorted.
  add(kLabelHaproxyVhost, std::move(v.haproxyVhost));
  add(kLabelHaproxyGroup, std::move(v.haproxyGroup));
  add(kLabelAutoscale, std::move(v.autoscale));
  add(kLabelCluster, std::move(v.cluster));
  add(kLabelDbDevice, std::move(v.dbDevice));
  add(kLabelDevice, std::move(v.device));
  add(kLabelFailureDomain, std::move(v.failureDomain));
  add(kLabelHost, std::move(v.host));
  add(kLabelManaged, SharedText::literal("true"));
  add(kLabelOsdGroup, std::move(v.osdGroup));
  add(kLabelRgwService, std::move(v.rgwService));
  add(kLabelRole, std::move(v.role));
  add(kLabelSlot, std::move(v.slot));
  add(kLabelTopologyVersion, std::move(v.topologyVersion));
  return kv;
}

// One instance's placeholder values in the layout of the role's placeholder list
// (TemplateSet::placeholderNames): names are resolved to positions once, values set by position.
class Vars {
 public:
  explicit Vars(Role role) : role_(role), values_(TemplateSet::placeholderNames(role).size()) {}
  // The position of `name`, or TemplateSet::kNoPlaceholder (a name no template of the role can
  // use: setting it has no effect).
  std::size_t at(std::string_view name) const { return TemplateSet::placeholderIndex(role_, name); }
  // A value for the apps built from now on, until set again.
  void set(std::size_t at, std::string_view value) {
    if (at >= values_.size()) return;
    values_[at] = value;
    baseStale_ = true;
  }
  void set(std::string_view name, std::string_view value) { set(at(name), value); }
  // A value of each app: set before every build.
  void setOwn(std::size_t at, std::string_view value) {
    if (at >= values_.size()) return;
    values_[at] = value;
    own_ |= uint64_t{1} << at;
  }
  // The app's values. After the first build since a `set`, which stores every value and becomes
  // the base, only the `setOwn` values are stored (template_text.h, "base"): an OSD shares its
  // host's and group's values with the host's first OSD.
  TemplateText::Values build() {
    if (!baseStale_ && own_ != 0 && values_.size() <= 64) {
      return TemplateText::Values::onBase(base_, values_.data(), values_.size(), own_);
    }
    base_ = TemplateText::Values(values_.data(), values_.size());
    baseStale_ = false;
    return base_;
  }
  // Value `at` of built `values`, sharing their storage.
  static SharedText text(const TemplateText::Values& values, std::size_t at) {
    return at < values.count() ? values.text(at) : SharedText();
  }

 private:
  Role role_;
  // Borrowed. A `setOwn` value must live until the next build; a `set` one until it is set again,
  // since any later `set` rebuilds the base from every value.
  std::vector<std::string_view> values_;
  uint64_t own_ = 0;  // Positions set with setOwn.
  bool baseStale_ = true;
  TemplateText::Values base_;
};

class Renderer {
 public:
  Renderer(const Topology& topology, const TemplateSet& templates,
           const topology::Inventory& inventory, const RenderOptions& options)
      : topology_(topology), templates_(templates), inventory_(inventory), options_(options) {}

  Result<DesiredState> run() {
    DesiredState state;
    state.groupId = clusterGroupId(topology_);
    groupId_ = state.groupId;
    Status group = checkAppId(groupId_);
    if (!group) return group.error().withContext("render");
    cluster_ = topology_.cluster.name;
    bootstrapUrl_ = options_.bootstrapUrl;
    while (!bootstrapUrl_.empty() && bootstrapUrl_.back() == '/') bootstrapUrl_.pop_back();
    filesUrl_ = bootstrapUrl_ + "/v1/clusters/" + cluster_ + "/files";
    clusterLabel_ = SharedText(cluster_);
    topologyVersionLabel_ = SharedText(options_.topologyVersion);
    buildHostFacts();
    for (const auto& [what, value] :
         {std::pair<std::string_view, std::string_view>{"cluster.image", topology_.cluster.image},
          {"bootstrap url", bootstrapUrl_}}) {
      Status safe = checkShellSafe(what, value, groupId_);
      if (!safe) return safe.error().withContext("render");
    }
    for (const auto& host : topology_.hosts) {
      Status safe = checkShellSafe("host name", host.name, groupId_);
      if (!safe) return safe.error().withContext("render");
    }

    apps_.reserve(topology_.hosts.size() * 2);

    Status s = renderMgrs();
    if (s) s = renderMons();
    if (s) s = renderOsds();
    if (s) s = renderRgws();
    if (!s) return s.error().withContext("render");

    // Roles are rendered in id order (mgr < mon < osd < rgw) and each role's apps usually come
    // out sorted (hosts and slots in topology order), so the common case is one linear check.
    if (!std::is_sorted(apps_.begin(), apps_.end(),
                        [](const AppSpec& a, const AppSpec& b) { return a.id < b.id; })) {
      sortById();
    }
    for (size_t i = 0; i < apps_.size(); ++i) {
      const AppSpec& app = apps_[i];
      Status id = checkAppIdUnder(groupId_, app.id);
      if (!id) return id.error().withContext("render");
      if (i > 0 && apps_[i - 1].id == app.id) {
        return makeError(ErrorCode::InvalidInput,
                         "render: two daemons map to the app id " + ceph_planner::quoted(app.id) +
                             " (host names must differ in their first label)");
      }
    }
    state.apps = std::move(apps_);
    return state;
  }

 private:
  // Sorts through an index (comparing ids is cheaper than moving 100,000 AppSpecs inside
  // std::sort), then applies the permutation in place, one cycle at a time: no second vector.
  void sortById() {
    std::vector<uint32_t> order(apps_.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [this](uint32_t a, uint32_t b) { return apps_[a].id < apps_[b].id; });
    for (uint32_t start = 0; start < order.size(); ++start) {
      if (order[start] == start) continue;
      AppSpec held = std::move(apps_[start]);
      uint32_t at = start;
      while (order[at] != start) {
        const uint32_t from = order[at];
        apps_[at] = std::move(apps_[from]);
        order[at] = at;
        at = from;
      }
      apps_[at] = std::move(held);
      order[at] = at;
    }
  }

  void buildHostFacts() {
    const std::string& domain = topology_.crush.failureDomain;
    facts_.reserve(topology_.hosts.size());
    for (const Host& host : topology_.hosts) {
      HostFacts f;
      f.host = &host;
      f.shortName = topology::shortHostName(host.name);
      f.constraints.push_back({"hostname", "CLUSTER", host.name});
      for (const auto& [attribute, value] : host.attributes) {
        f.constraints.push_back({attribute, "CLUSTER", value});
      }
      if (domain == "host") {
        f.failureDomain = f.shortName;
      } else if (auto it = host.location.find(domain); it != host.location.end()) {
        f.failureDomain = it->second;
      }
      f.crushLocation = "host=" + f.shortName;
      for (const auto& [key, value] : host.location) {
        if (key != "host") f.crushLocation += " " + key + "=" + value;
      }
      if (host.location.count("root") == 0) f.crushLocation += " root=default";
      byName_.emplace(host.name, facts_.size());
      facts_.push_back(std::move(f));
    }
  }

  const HostFacts* factsFor(std::string_view name) const {
    auto it = byName_.find(name);
    return it == byName_.end() ? nullptr : &facts_[it->second];
  }

  std::string dataDir(const std::string& configured, std::string_view role) const {
    if (configured.empty()) return "/var/lib/ceph/" + cluster_ + "/" + std::string(role);
    std::string out = configured;
    for (size_t pos = out.find("{cluster}"); pos != std::string::npos;
         pos = out.find("{cluster}", pos + cluster_.size())) {
      out.replace(pos, 9, cluster_);
    }
    while (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
  }

  // Values are borrowed: `dataDirValue` must outlive the instantiation.
  void addCommonVars(Vars& vars, const std::string& dataDirValue) const {
    vars.set("bootstrap_url", bootstrapUrl_);
    vars.set("cluster", cluster_);
    vars.set("data_dir", dataDirValue);
    vars.set("files_url", filesUrl_);
    vars.set("image", topology_.cluster.image);
  }

  // The values of a per-host daemon named after its host (mon, mgr). Borrowed, like the above.
  void addHostDaemonVars(Vars& vars, const std::string& dataDirValue, const std::string& appId,
                         const HostFacts& host) const {
    addCommonVars(vars, dataDirValue);
    vars.set("app_id", appId);
    vars.set("host", host.host->name);
    vars.set("short_host", host.shortName);
    vars.set("daemon_id", host.shortName);
  }

  // Instantiates the template with `values` (Vars layout) and sets what every app gets from the
  // renderer. Appends the instantiated app to `apps_` and returns it for the role's own settings.
  Result<AppSpec*> instantiate(Role role, std::string&& id, const TemplateText::Values& values,
                               const topology::Resources& resources, const RoleDefaults& defaults,
                               LabelValues&& labels) {
    AppSpec& out = apps_.emplace_back();
    Status made =
        templates_.instantiateInto({topology_.cluster.runtime, role}, values, &cache_, out);
    if (!made) return made.error().withContext("app " + ceph_planner::quoted(id));
    out.id = std::move(id);
    out.cpus = resources.cpus.value_or(defaults.cpus);
    out.mem = resources.mem.value_or(defaults.mem);
    out.disk = resources.disk.value_or(defaults.disk);
    labels.cluster = clusterLabel_;
    labels.role = SharedText::literal(roleName(role));
    labels.topologyVersion = topologyVersionLabel_;
    out.labels = buildLabels(std::move(labels));
    return &out;
  }

  // mon/mgr/osd: one instance, pinned, never two processes on one store.
  static void makeStateful(AppSpec& app, const HostFacts& host) {
    app.instances = 1;
    app.constraints = host.constraints;
    app.upgradeStrategy = UpgradeStrategy{0.0, 0.0};
    app.unreachableStrategy = UnreachableStrategy{true, 0, 0};
    app.portDefinitions.clear();
    app.requirePorts = false;
  }

  // `host` is the value of the `host` placeholder in `values`.
  static LabelValues hostLabels(const HostFacts& host, const TemplateText::Values& values,
                                std::size_t hostAt) {
    LabelValues labels;
    labels.host = Vars::text(values, hostAt);
    labels.failureDomain = host.failureDomain;
    return labels;
  }

  // Writes only when a value differs: writing detaches the (possibly shared) health checks.
  static void setGrace(AppSpec& app, int seconds) {
    const auto& checks = app.healthChecks.get();
    if (std::all_of(checks.begin(), checks.end(), [seconds](const HealthCheck& hc) {
          return hc.gracePeriodSeconds == seconds;
        })) {
      return;
    }
    for (auto& hc : app.healthChecks) hc.gracePeriodSeconds = seconds;
  }

  Status renderMons() {
    if (!topology_.mons.present) return okStatus();
    const std::string root = dataDir(topology_.mons.dataDir, "mon");
    for (const Host* host : topology::resolvePlacement(topology_, topology_.mons.placement)) {
      const HostFacts& f = *factsFor(host->name);
      std::string id = groupId_ + "/mon/" + f.shortName;
      auto ip = topology::publicAddress(topology_, *host, inventory_);
      if (!ip) {
        return makeError(ErrorCode::InvalidInput,
                         "app " + ceph_planner::quoted(id) + ": mon host " +
                             ceph_planner::quoted(host->name) +
                             " has no public address inside networks.public");
      }
      Vars vars(Role::Mon);
      addHostDaemonVars(vars, root, id, f);
      vars.set("public_ip", *ip);
      const TemplateText::Values values = vars.build();
      auto made = instantiate(Role::Mon, std::move(id), values, topology_.mons.resources,
                              kMonDefaults, hostLabels(f, values, vars.at("host")));
      if (!made) return made.error();
      AppSpec* app = *made;
      makeStateful(*app, f);
      app->portDefinitions.push_back({kMonMsgr2Port, "tcp", "msgr2"});
      if (!topology_.networks.msgr2Only)
        app->portDefinitions.push_back({kMonMsgr1Port, "tcp", "msgr1"});
      app->requirePorts = true;
      setGrace(*app, topology_.policies.healthChecks.monGraceSeconds);
    }
    return okStatus();
  }

  Status renderMgrs() {
    if (!topology_.mgrs.present) return okStatus();
    const std::string root = dataDir(topology_.mgrs.dataDir, "mgr");
    for (const Host* host : topology::resolvePlacement(topology_, topology_.mgrs.placement)) {
      const HostFacts& f = *factsFor(host->name);
      std::string id = groupId_ + "/mgr/" + f.shortName;
      Vars vars(Role::Mgr);
      addHostDaemonVars(vars, root, id, f);
      const TemplateText::Values values = vars.build();
      auto made = instantiate(Role::Mgr, std::move(id), values, topology_.mgrs.resources,
                              kMgrDefaults, hostLabels(f, values, vars.at("host")));
      if (!made) return made.error();
      AppSpec* app = *made;
      makeStateful(*app, f);
    }
    return okStatus();
  }

  Status renderOsds() {
    if (topology_.osdGroups.empty()) return okStatus();
    topology::DeviceSelection selection = topology::resolveOsdSlots(topology_, inventory_);
    if (hasErrors(selection.diagnostics)) {
      std::vector<std::string> problems;
      for (const auto& d : selection.diagnostics) {
        if (d.severity == Severity::Error) problems.push_back(d.path + ": " + d.message);
      }
      return makeError(ErrorCode::InvalidInput,
                       "osd device selection failed: " + joinStrings(problems, "; "));
    }
    apps_.reserve(apps_.size() + selection.slots.size() + topology_.rgw.size());
    std::unordered_map<std::string_view, const topology::OsdGroup*> groups;
    for (const auto& g : topology_.osdGroups) groups.emplace(g.serviceId, &g);
    const std::string root = dataDir("", "osd");
    const std::string osdPrefix = groupId_ + "/osd/";
    static const std::string kNone;
    // The numbers OSD templates print (db slots, sizes) repeat across a group: formatted once.
    struct Numbers {
      std::unordered_map<uint64_t, std::string> text;
      const std::string& of(uint64_t n) {
        auto it = text.find(n);
        if (it == text.end()) it = text.emplace(n, std::to_string(n)).first;
        return it->second;
      }
    } numbers;

    // The values every OSD shares are set once; per OSD only its own are set, by position.
    Vars vars(Role::Osd);
    addCommonVars(vars, root);
    const std::size_t appIdAt = vars.at("app_id");
    const std::size_t hostAt = vars.at("host");
    const std::size_t shortHostAt = vars.at("short_host");
    const std::size_t daemonIdAt = vars.at("daemon_id");
    const std::size_t slotAt = vars.at("osd_slot");
    const std::size_t groupAt = vars.at("osd_group");
    const std::size_t dataDeviceAt = vars.at("data_device");
    const std::size_t dbDeviceAt = vars.at("db_device");
    const std::size_t dbSlotAt = vars.at("db_slot");
    const std::size_t dbSlotsAt = vars.at("db_slots");
    const std::size_t walDeviceAt = vars.at("wal_device");
    const std::size_t dbSizeAt = vars.at("block_db_size");
    const std::size_t walSizeAt = vars.at("block_wal_size");
    const std::size_t deviceClassAt = vars.at("device_class");
    const std::size_t encryptedAt = vars.at("encrypted");
    const std::size_t crushLocationAt = vars.at("crush_location");

    std::string_view checkedPath;  // The last shared (DB/WAL) device path found shell-safe.
    // Slots come host by host, and a slot's host and group are views of the topology's strings:
    // the same view as the previous slot's is the same host or group, found without hashing. The
    // host's and group's values are set only when either changes, so that the OSDs of one host
    // and group share them (Vars::build).
    std::string_view lastHostName;
    std::string_view lastGroupName;
    const HostFacts* lastFacts = nullptr;
    const topology::OsdGroup* lastGroup = nullptr;
    auto sameView = [](std::string_view a, std::string_view b) {
      return a.data() == b.data() && a.size() == b.size();
    };
    for (const topology::OsdSlot& slot : selection.slots) {
      const bool hostChanged = !sameView(slot.host, lastHostName);
      const bool groupChanged = !sameView(slot.group, lastGroupName);
      if (hostChanged) {
        lastFacts = factsFor(slot.host);
        lastHostName = slot.host;
      }
      if (groupChanged) {
        auto g = groups.find(slot.group);
        lastGroup = g == groups.end() ? nullptr : g->second;
        lastGroupName = slot.group;
      }
      const HostFacts* f = lastFacts;
      if (f == nullptr || lastGroup == nullptr) {
        return makeError(ErrorCode::Internal,
                         "osd slot " +
                             ceph_planner::quoted(std::string(slot.host) + "/" + slot.slot) +
                             " refers to an unknown host or group");
      }
      const topology::OsdGroup& group = *lastGroup;
      std::string daemonId;
      daemonId.reserve(f->shortName.size() + 1 + slot.slot.size());
      daemonId.append(f->shortName).append(1, '-').append(slot.slot);
      std::string id;  // One allocation (operator+ chains allocate per step).
      id.reserve(osdPrefix.size() + daemonId.size());
      id.append(osdPrefix).append(daemonId);
      // A DB or WAL device serves several slots in a row: its path (the same view) is checked
      // once.
      for (std::string_view path : {std::string_view(slot.dataPath), std::string_view(slot.dbPath),
                                    std::string_view(slot.walPath)}) {
        if (path.empty() || sameView(path, checkedPath)) continue;
        Status safe = checkShellSafe("device path", path, id);
        if (!safe) return safe;
        if (path.data() != slot.dataPath.data()) checkedPath = path;
      }
      if (hostChanged || groupChanged) {
        vars.set(hostAt, f->host->name);
        vars.set(shortHostAt, f->shortName);
        vars.set(crushLocationAt, f->crushLocation);
        vars.set(groupAt, group.serviceId);
        vars.set(dbSlotsAt, numbers.of(static_cast<uint64_t>(group.dbSlots.value_or(1))));
      }
      vars.setOwn(appIdAt, id);
      vars.setOwn(daemonIdAt, daemonId);
      vars.setOwn(slotAt, slot.slot);
      vars.setOwn(dataDeviceAt, slot.dataPath);
      vars.setOwn(dbDeviceAt, slot.dbPath);
      vars.setOwn(dbSlotAt, slot.dbSlot);
      vars.setOwn(walDeviceAt, slot.walPath);
      vars.setOwn(dbSizeAt, slot.blockDbSize ? numbers.of(slot.blockDbSize) : kNone);
      vars.setOwn(walSizeAt, slot.blockWalSize ? numbers.of(slot.blockWalSize) : kNone);
      vars.setOwn(deviceClassAt, topology_.crush.deviceClassesFromSpec
                                     ? std::string_view(slot.deviceClass)
                                     : std::string_view());
      vars.setOwn(encryptedAt, slot.encrypted ? "true" : "false");
      const TemplateText::Values values = vars.build();
      // The labels are slices of the values (no copy of a host name or device path per app).
      LabelValues labels = hostLabels(*f, values, hostAt);
      labels.slot = Vars::text(values, slotAt);
      labels.device = Vars::text(values, dataDeviceAt);
      labels.dbDevice = Vars::text(values, dbDeviceAt);
      labels.osdGroup = Vars::text(values, groupAt);
      auto made = instantiate(Role::Osd, std::move(id), values, group.resources, kOsdDefaults,
                              std::move(labels));
      if (!made) return made.error();
      AppSpec* app = *made;
      makeStateful(*app, *f);
      setGrace(*app, topology_.policies.healthChecks.osdGraceSeconds);
    }
    return okStatus();
  }

  Status renderRgws() {
    const std::string root = dataDir("", "radosgw");
    for (const topology::RgwService& rgw : topology_.rgw) {
      std::string id = groupId_ + "/rgw/" + rgw.serviceId;
      // Eligible hosts: the placement without its count (count is the number of instances).
      topology::Placement eligiblePlacement = rgw.placement;
      eligiblePlacement.count.reset();
      std::vector<const Host*> eligible = topology::resolvePlacement(topology_, eligiblePlacement);
      if (eligible.empty()) {
        return makeError(ErrorCode::InvalidInput,
                         "app " + ceph_planner::quoted(id) + ": rgw placement matches no host");
      }
      int instances = 1;
      int min = 1;
      int max = 1;
      if (rgw.autoscale.present) {
        instances = rgw.autoscale.min;
        min = rgw.autoscale.min;
        max = rgw.autoscale.max;
      } else {
        instances = rgw.count.value_or(rgw.placement.count.value_or(1));
        min = max = instances;
      }
      Vars vars(Role::Rgw);
      addCommonVars(vars, root);
      vars.set("app_id", id);
      vars.set("rgw_service", rgw.serviceId);
      const std::string port = std::to_string(rgw.port);
      vars.set("rgw_port", port);
      for (std::string_view value : {std::string_view(rgw.realm), std::string_view(rgw.zone)}) {
        Status safe = checkShellSafe("realm/zone", value, id);
        if (!safe) return safe;
      }
      vars.set("rgw_realm", rgw.realm);
      vars.set("rgw_zone", rgw.zone);
      const TemplateText::Values values = vars.build();
      LabelValues labels;
      labels.rgwService = Vars::text(values, vars.at("rgw_service"));
      labels.autoscale = "min=" + std::to_string(min) + ",max=" + std::to_string(max);
      labels.haproxyGroup = rgw.marathonLbGroup;
      labels.haproxyVhost = rgw.marathonLbVhost;
      auto made = instantiate(Role::Rgw, std::string(id), values, rgw.resources, kRgwDefaults,
                              std::move(labels));
      if (!made) return made.error();
      AppSpec* app = *made;
      app->instances = instances;
      app->constraints = {{"hostname", "UNIQUE"},
                          {"hostname", "LIKE", anchoredAlternation(eligible)}};
      app->portDefinitions = {PortDefinition{rgw.port, "tcp", "s3"}};
      app->requirePorts = true;
      // UNIQUE + a fixed port leave no room for an extra instance during a rollout.
      app->upgradeStrategy = UpgradeStrategy{0.5, 0.0};
      app->unreachableStrategy = UnreachableStrategy{false, 300, 600};
    }
    return okStatus();
  }

  const Topology& topology_;
  const TemplateSet& templates_;
  const topology::Inventory& inventory_;
  const RenderOptions& options_;
  std::string groupId_;
  std::string cluster_;
  std::string bootstrapUrl_;
  std::string filesUrl_;
  std::vector<HostFacts> facts_;
  std::unordered_map<std::string_view, size_t> byName_;
  std::vector<AppSpec> apps_;
  TemplateSet::Cache cache_;
  SharedText clusterLabel_;
  SharedText topologyVersionLabel_;
};

}  // namespace

std::string clusterGroupId(const topology::Topology& topology) {
  std::string group = topology.cluster.marathonGroup.empty() ? "/ceph/" + topology.cluster.name
                                                             : topology.cluster.marathonGroup;
  if (group.empty() || group.front() != '/') group.insert(group.begin(), '/');
  while (group.size() > 1 && group.back() == '/') group.pop_back();
  return group;
}

Result<DesiredState> render(const topology::Topology& topology, const TemplateSet& templates,
                            const topology::Inventory& inventory, const RenderOptions& options) {
  return Renderer(topology, templates, inventory, options).run();
}

}  // namespace ceph_planner::planner
