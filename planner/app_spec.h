#pragma once

// A Marathon app as a typed value: exactly the fields ceph-planner owns and compares. Desired state
// (from render) and observed state (decoded from Marathon's JSON by app_json.h) use the same type,
// with Marathon's defaults applied on decode, so comparing two `AppSpec`s is comparing what
// matters. Fields Marathon fills in by itself (version, versionInfo, tasks, counts, deployments,
// ports it assigns, ...) are not part of `AppSpec`; they live in `AppStatus`.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "planner/shared_text.h"
#include "planner/shared_value.h"
#include "planner/template_text.h"

namespace ceph_planner::planner {

// A label or env key: an owned string, or a string with static storage kept by reference. The
// renderer's label keys (`ceph-planner/...`, longer than std::string's inline buffer) are the
// latter, and so are those keys when decoded from Marathon's JSON (`internKey`): 120,000 apps do
// not allocate ten keys each, and comparing two such keys is comparing two pointers.
class Key {
 public:
  Key() = default;
  Key(std::string_view text) { assign(text); }                   // NOLINT: reads like a string.
  Key(const std::string& text) : Key(std::string_view(text)) {}  // NOLINT
  Key(const char* text) : Key(std::string_view(text)) {}         // NOLINT
  // `text` must outlive every copy: a string literal or a constant with static storage.
  static Key literal(std::string_view text) {
    Key key;
    key.data_ = text.data();
    key.size_ = checkedSize32(text.size(), "label or env key");
    return key;
  }
  Key(const Key& other) {
    if (other.owned_) {
      assign(other.view());
    } else {
      data_ = other.data_;
      size_ = other.size_;
    }
  }
  Key(Key&& other) noexcept : data_(other.data_), size_(other.size_), owned_(other.owned_) {
    other.data_ = "";
    other.size_ = 0;
    other.owned_ = false;
  }
  Key& operator=(Key other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(owned_, other.owned_);
    return *this;
  }
  ~Key() {
    if (owned_) delete[] data_;
  }

  std::string_view view() const { return std::string_view(data_, size_); }
  operator std::string_view() const { return view(); }  // NOLINT
  std::string str() const { return std::string(view()); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  friend bool operator==(const Key& a, const Key& b) {
    return a.size_ == b.size_ && (a.data_ == b.data_ || a.view() == b.view());
  }
  friend bool operator==(const Key& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const Key& a, const char* b) { return a.view() == b; }
  friend bool operator==(const Key& a, const std::string& b) { return a.view() == b; }
  friend auto operator<=>(const Key& a, const Key& b) { return a.view() <=> b.view(); }
  friend auto operator<=>(const Key& a, std::string_view b) { return a.view() <=> b; }
  friend std::ostream& operator<<(std::ostream& os, const Key& key) { return os << key.view(); }

 private:
  void assign(std::string_view text) {
    if (text.empty()) return;
    const uint32_t size = checkedSize32(text.size(), "label or env key");
    char* copy = new char[size];
    text.copy(copy, size);
    data_ = copy;
    size_ = size;
    owned_ = true;
  }

  // 16 bytes: a label is a Key and a SharedText, and an app has ten of them.
  const char* data_ = "";  // Owned (`owned_`) or with static storage; not NUL-terminated if owned.
  uint32_t size_ = 0;
  bool owned_ = false;
};
static_assert(sizeof(Key) == 16);

// `key` as a literal Key when it is one of the label keys ceph-planner writes, else owned.
Key internKey(std::string_view key);

// Sorted by key, unique keys. Cheaper to copy than std::map for the handful of entries apps carry.
using KeyValues = std::vector<std::pair<Key, std::string>>;
// Labels: the same, with values that share their characters (shared_text.h). The renderer's label
// values are slices of the app's placeholder values, and a plan copies them without allocating.
using Labels = std::vector<std::pair<Key, SharedText>>;

// Sets `key` to `value`, keeping `kv` sorted.
void setKeyValue(KeyValues& kv, Key key, std::string value);
void setKeyValue(Labels& kv, Key key, SharedText value);
// The value for `key`, or nullptr.
const std::string* findKeyValue(const KeyValues& kv, std::string_view key);
const SharedText* findKeyValue(const Labels& kv, std::string_view key);

enum class Role { Mon, Mgr, Osd, Rgw };
std::string_view roleName(Role role);

struct PortDefinition {
  int port = 0;
  std::string protocol = "tcp";
  std::string name;
  bool operator==(const PortDefinition&) const = default;
};

struct Volume {
  std::string containerPath;
  std::string hostPath;
  std::string mode = "RW";  // RO | RW
  bool operator==(const Volume&) const = default;
};

struct DockerParameter {
  std::string key;
  std::string value;
  bool operator==(const DockerParameter&) const = default;
};

struct Container {
  std::string type = "DOCKER";  // DOCKER | MESOS
  std::string image;            // docker.image
  std::string network;          // docker.network (HOST for us); "" = absent
  bool privileged = false;
  bool forcePullImage = false;
  std::vector<DockerParameter> parameters;
  std::vector<Volume> volumes;
  bool operator==(const Container&) const = default;
};

struct HealthCheck {
  std::string protocol = "HTTP";  // HTTP HTTPS TCP COMMAND MESOS_HTTP MESOS_HTTPS MESOS_TCP
  TemplateText command;           // COMMAND: command.value (late when rendered: AppSpec::text)
  std::string path;               // HTTP(S): path
  std::optional<int> port;
  std::optional<int> portIndex;
  int gracePeriodSeconds = 300;
  int intervalSeconds = 60;
  int timeoutSeconds = 20;
  int maxConsecutiveFailures = 3;
  int delaySeconds = 15;
  bool ignoreHttp1xx = false;
  bool operator==(const HealthCheck&) const = default;
};

struct FetchUri {
  TemplateText uri;  // Late when rendered from a template with placeholders: AppSpec::text.
  bool extract = true;
  bool executable = false;
  bool cache = false;
  std::string destPath;
  bool operator==(const FetchUri&) const = default;
};

struct UpgradeStrategy {
  double minimumHealthCapacity = 1.0;
  double maximumOverCapacity = 1.0;
  bool operator==(const UpgradeStrategy&) const = default;
};

struct UnreachableStrategy {
  bool disabled = false;  // `"disabled"`
  int inactiveAfterSeconds = 0;
  int expungeAfterSeconds = 0;
  bool operator==(const UnreachableStrategy&) const = default;
};

using Constraint = std::vector<std::string>;  // [field, OPERATOR] or [field, OPERATOR, value]

// The container, fetch list, health checks and constraints are copy-on-write holders
// (shared_value.h): a render of 120,000 OSDs keeps one container, one fetch list and one
// health-check list per template, and one constraint list per host, instead of one of each per
// app. They read like the vector/optional they replace; a write to one app's copy never changes
// another app.
//
// A rendered app's fetch URIs and health-check commands are late texts (template_text.h): the
// lists are the template's, shared by every app of it, and each text reads the app's placeholder
// values, `templateValues`, when it is read. Read them through `text()`, and compare lists with
// `sameFetch` / `sameHealthChecks` (operator== does): the lists alone are equal for every OSD.
struct AppSpec {
  std::string id;                   // Absolute, e.g. `/ceph/prod1/osd/stor03-s07`.
  std::optional<TemplateText> cmd;  // Usually composed (template_text.h): compare, do not copy out.
  std::vector<std::string> args;
  std::string user;
  double cpus = 1.0;
  double mem = 128.0;
  double disk = 0.0;
  int instances = 1;
  SharedVector<Constraint> constraints;
  SharedOptional<Container> container;
  KeyValues env;
  Labels labels;
  SharedVector<FetchUri> fetch;
  std::vector<PortDefinition>
      portDefinitions;  // Marathon's default (one dynamic port) applied on decode.
  bool requirePorts = false;
  SharedVector<HealthCheck> healthChecks;
  UpgradeStrategy upgradeStrategy;
  UnreachableStrategy unreachableStrategy;
  std::string killSelection = "YOUNGEST_FIRST";
  int taskKillGracePeriodSeconds = 0;  // 0 = absent (Mesos default).
  int backoffSeconds = 1;              // An integer in Marathon's schema (unlike backoffFactor).
  double backoffFactor = 1.15;
  int maxLaunchDelaySeconds = 300;
  std::vector<std::string> dependencies;
  // The values the late texts of `fetch` and `healthChecks` read (the template instance's, which
  // `cmd` reads too); empty when no text is late (an app decoded from Marathon's JSON).
  TemplateText::Values templateValues;

  // `t`, a text of this app's fetch list or health checks, with its late values bound.
  TemplateText text(const TemplateText& t) const { return t.bind(templateValues); }

  // Equal Marathon apps: every field, the late texts read with each app's values.
  friend bool operator==(const AppSpec& a, const AppSpec& b);
};

// Whether `a` and `b` have equal fetch lists (health checks), each late text read with its own
// app's values: two OSDs of one template share their lists and differ by their values.
bool sameFetch(const AppSpec& a, const AppSpec& b);
bool sameHealthChecks(const AppSpec& a, const AppSpec& b);

// One task as Marathon reports it (only what status and apply read).
struct TaskStatus {
  std::string id;
  std::string host;
  std::string state;  // TASK_RUNNING, TASK_STAGING, ...
  std::string startedAt;
  std::string version;
  std::vector<int> ports;
  std::optional<bool> healthy;  // nullopt: no health result yet.
  std::string lastFailureCause;
};

// What Marathon adds to an app: never compared, used for status and for waiting.
struct AppStatus {
  std::string version;
  std::string lastConfigChangeAt;
  std::string lastScalingAt;
  int tasksStaged = 0;
  int tasksRunning = 0;
  int tasksHealthy = 0;
  int tasksUnhealthy = 0;
  std::vector<std::string> deploymentIds;
  std::vector<TaskStatus> tasks;
  std::string lastTaskFailureMessage;
};

struct ObservedApp {
  AppSpec spec;
  AppStatus status;
};

// Everything under the cluster's group, as observed (one `GET /v2/groups/<root>?embed=...`).
struct ObservedState {
  std::string groupId;
  bool groupExists = false;
  std::vector<ObservedApp> apps;  // Sorted by id.
};

// What the topology says must run.
struct DesiredState {
  std::string groupId;        // `/ceph/<cluster>`
  std::vector<AppSpec> apps;  // Sorted by id.
};

// Label keys shared by render, diff, apply and status. Only apps with kLabelManaged == "true" and
// kLabelCluster == the cluster name are ever changed or deleted by the planner.
inline constexpr char kLabelManaged[] = "ceph-planner/managed";
inline constexpr char kLabelCluster[] = "ceph-planner/cluster";
inline constexpr char kLabelRole[] = "ceph-planner/role";
inline constexpr char kLabelHost[] = "ceph-planner/host";
inline constexpr char kLabelSlot[] = "ceph-planner/slot";
inline constexpr char kLabelDevice[] = "ceph-planner/device";
inline constexpr char kLabelDbDevice[] = "ceph-planner/db-device";
inline constexpr char kLabelOsdGroup[] = "ceph-planner/osd-group";
inline constexpr char kLabelFailureDomain[] = "ceph-planner/failure-domain";
inline constexpr char kLabelRgwService[] = "ceph-planner/rgw-service";
inline constexpr char kLabelAutoscale[] = "ceph-planner/autoscale";  // "min=2,max=6"
// The topology version that last changed this app. Never a reason for an update by itself (a new
// topology version must not restart every daemon); diff ignores it when comparing.
inline constexpr char kLabelTopologyVersion[] = "ceph-planner/topology-version";
// marathon-lb's labels on RGW apps.
inline constexpr char kLabelHaproxyVhost[] = "HAPROXY_0_VHOST";
inline constexpr char kLabelHaproxyGroup[] = "HAPROXY_GROUP";

}  // namespace ceph_planner::planner
