// Decoding side of app_json.h: Marathon AppDefinition / AppInfo / GroupInfo JSON → typed values.
//
// Marathon 1.10 defaults are applied to every absent field (API.md §3), so that an app Marathon
// echoes back — with its own additions (version, versionInfo, counts, tasks, deployments, networks,
// role, gpus, executor, ...) and defaults filled in — decodes to the same AppSpec we rendered.
// Fields we do not own are ignored. Normalisations (each documented in docs/plan-format.md):
// - `portDefinitions` absent (and no deprecated `ports`) → one `{"port":0,"name":"default"}`;
//   an explicit `[]` stays empty; deprecated `ports: [p..]` → `[{"port":p,"protocol":"tcp"}..]`.
// - deprecated `uris: [..]` → `fetch` (extract only for archive suffixes, as Marathon does).
// - `docker.network` absent on a DOCKER container → derived from top-level `networks[0].mode`
//   (Marathon ≥ 1.5 moves the deprecated field there and never echoes it).
// - constraint operators upper-cased; labels and env sorted by key; an env value that is not a
//   string (a secret reference) is kept as its compact JSON text.
// - HTTP health check paths get a leading `/` when they lack one.
// Errors are `InvalidInput` naming the JSON path (`healthChecks[0].gracePeriodSeconds`).

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "planner/app_json.h"

namespace ceph_planner::planner {
namespace {

using Json = nlohmann::json;

std::string typeName(const Json& j) {
  return j.type_name();
}

// Collects the first error; every getter is a no-op once an error is recorded.
class Decoder {
 public:
  bool failed() const { return error_.has_value(); }
  Error error() const { return *error_; }

  void fail(const std::string& path, const std::string& message) {
    if (!error_) error_ = makeError(ErrorCode::InvalidInput, path + ": " + message);
  }

  // The member `key` of object `obj`, or nullptr when absent or null.
  static const Json* member(const Json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
  }

  void getString(const Json& obj, const char* key, const std::string& path, std::string& out) {
    const Json* v = member(obj, key);
    if (!v || failed()) return;
    if (!v->is_string()) return fail(join(path, key), "expected a string, got " + typeName(*v));
    out = v->get_ref<const std::string&>();
  }

  void getBool(const Json& obj, const char* key, const std::string& path, bool& out) {
    const Json* v = member(obj, key);
    if (!v || failed()) return;
    if (!v->is_boolean()) return fail(join(path, key), "expected a boolean, got " + typeName(*v));
    out = v->get<bool>();
  }

  void getDouble(const Json& obj, const char* key, const std::string& path, double& out) {
    const Json* v = member(obj, key);
    if (!v || failed()) return;
    if (!v->is_number()) return fail(join(path, key), "expected a number, got " + typeName(*v));
    out = v->get<double>();
  }

  // Integers may arrive as `3` or `3.0`; a fractional value is an error.
  void getInt(const Json& obj, const char* key, const std::string& path, int& out) {
    const Json* v = member(obj, key);
    if (!v || failed()) return;
    out = toInt(*v, join(path, key));
  }

  void getOptionalInt(const Json& obj, const char* key, const std::string& path,
                      std::optional<int>& out) {
    const Json* v = member(obj, key);
    if (!v || failed()) return;
    out = toInt(*v, join(path, key));
  }

  int toInt(const Json& v, const std::string& path) {
    if (v.is_number_integer()) {
      auto wide = v.get<long long>();
      if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
        fail(path, "integer out of range");
        return 0;
      }
      return static_cast<int>(wide);
    }
    if (v.is_number_float()) {
      double d = v.get<double>();
      if (std::floor(d) != d || std::fabs(d) > std::numeric_limits<int>::max()) {
        fail(path, "expected an integer, got " + v.dump());
        return 0;
      }
      return static_cast<int>(d);
    }
    fail(path, "expected an integer, got " + typeName(v));
    return 0;
  }

  // `obj[key]` when it is an array (nullptr when absent/null; error when another type).
  const Json* getArray(const Json& obj, const char* key, const std::string& path) {
    const Json* v = member(obj, key);
    if (!v || failed()) return nullptr;
    if (!v->is_array()) {
      fail(join(path, key), "expected an array, got " + typeName(*v));
      return nullptr;
    }
    return v;
  }

  const Json* getObject(const Json& obj, const char* key, const std::string& path) {
    const Json* v = member(obj, key);
    if (!v || failed()) return nullptr;
    if (!v->is_object()) {
      fail(join(path, key), "expected an object, got " + typeName(*v));
      return nullptr;
    }
    return v;
  }

  void getStringArray(const Json& obj, const char* key, const std::string& path,
                      std::vector<std::string>& out) {
    const Json* arr = getArray(obj, key, path);
    if (!arr) return;
    out.clear();
    out.reserve(arr->size());
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const Json& e = (*arr)[i];
      if (!e.is_string()) return fail(index(join(path, key), i), "expected a string");
      out.push_back(e.get<std::string>());
    }
  }

  // A string→string map into sorted KeyValues; non-string values keep their compact JSON text
  // when `allowNonString`, else they are an error.
  void getKeyValues(const Json& obj, const char* key, const std::string& path, KeyValues& out,
                    bool allowNonString) {
    const Json* map = getObject(obj, key, path);
    if (!map) return;
    out.clear();
    out.reserve(map->size());
    // nlohmann::json objects iterate in sorted key order, which is what KeyValues needs.
    for (auto it = map->begin(); it != map->end(); ++it) {
      if (it->is_string()) {
        out.emplace_back(internKey(it.key()), it->get<std::string>());
      } else if (allowNonString) {
        out.emplace_back(internKey(it.key()), it->dump());
      } else {
        return fail(join(join(path, key), it.key().c_str()), "expected a string");
      }
    }
  }

  // Labels (string values only): every value of the app in one storage, sliced per label.
  void getLabels(const Json& obj, const char* key, const std::string& path, Labels& out) {
    const Json* map = getObject(obj, key, path);
    if (!map) return;
    out.clear();
    out.reserve(map->size());
    std::size_t chars = 0;
    for (auto it = map->begin(); it != map->end(); ++it) {
      if (!it->is_string()) {
        return fail(join(join(path, key), it.key().c_str()), "expected a string");
      }
      chars += it->get_ref<const std::string&>().size();
    }
    TextStorage::Ptr storage;
    if (chars > 0) storage = TextStorage::create(chars);
    std::size_t at = 0;
    for (auto it = map->begin(); it != map->end(); ++it) {
      const std::string& value = it->get_ref<const std::string&>();
      char* bytes = storage ? storage.get()->bytes() + at : nullptr;
      if (bytes) value.copy(bytes, value.size());
      out.emplace_back(internKey(it.key()),
                       SharedText::slice(storage, std::string_view(bytes, value.size())));
      at += value.size();
    }
  }

  static std::string join(const std::string& path, const char* key) {
    return path.empty() ? std::string(key) : path + "." + key;
  }
  static std::string index(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  std::optional<Error> error_;
};

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Marathon's rule for deprecated `uris`: archives are extracted, everything else is not.
bool isArchive(const std::string& uri) {
  for (std::string_view suffix :
       {".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz", ".zip"}) {
    if (endsWith(uri, suffix)) return true;
  }
  return false;
}

void decodeContainer(Decoder& d, const Json& app, const Json& c, Container& out) {
  const std::string path = "container";
  d.getString(c, "type", path, out.type);
  if (const Json* docker = d.getObject(c, "docker", path)) {
    const std::string dpath = "container.docker";
    d.getString(*docker, "image", dpath, out.image);
    d.getString(*docker, "network", dpath, out.network);
    d.getBool(*docker, "privileged", dpath, out.privileged);
    d.getBool(*docker, "forcePullImage", dpath, out.forcePullImage);
    if (const Json* params = d.getArray(*docker, "parameters", dpath)) {
      for (std::size_t i = 0; i < params->size() && !d.failed(); ++i) {
        const Json& p = (*params)[i];
        std::string ppath = Decoder::index("container.docker.parameters", i);
        if (!p.is_object()) return d.fail(ppath, "expected an object");
        DockerParameter param;
        d.getString(p, "key", ppath, param.key);
        d.getString(p, "value", ppath, param.value);
        out.parameters.push_back(std::move(param));
      }
    }
  }
  if (out.type == "DOCKER" && out.network.empty()) {
    // Marathon ≥ 1.5 turns `docker.network` into top-level `networks` and echoes only those.
    if (const Json* networks = d.getArray(app, "networks", "")) {
      if (!networks->empty() && (*networks)[0].is_object()) {
        std::string mode;
        d.getString((*networks)[0], "mode", "networks[0]", mode);
        if (mode == "host") out.network = "HOST";
        if (mode == "container/bridge") out.network = "BRIDGE";
        if (mode == "container") out.network = "USER";
      }
    }
  }
  if (const Json* volumes = d.getArray(c, "volumes", path)) {
    for (std::size_t i = 0; i < volumes->size() && !d.failed(); ++i) {
      const Json& v = (*volumes)[i];
      std::string vpath = Decoder::index("container.volumes", i);
      if (!v.is_object()) return d.fail(vpath, "expected an object");
      Volume vol;
      d.getString(v, "containerPath", vpath, vol.containerPath);
      d.getString(v, "hostPath", vpath, vol.hostPath);
      d.getString(v, "mode", vpath, vol.mode);
      out.volumes.push_back(std::move(vol));
    }
  }
}

void decodeHealthCheck(Decoder& d, const Json& h, const std::string& path, HealthCheck& out) {
  d.getString(h, "protocol", path, out.protocol);
  if (const Json* command = d.getObject(h, "command", path)) {
    std::string value;
    d.getString(*command, "value", path + ".command", value);
    out.command = value;
  }
  d.getString(h, "path", path, out.path);
  if (!out.path.empty() && out.path.front() != '/') out.path.insert(out.path.begin(), '/');
  d.getOptionalInt(h, "port", path, out.port);
  d.getOptionalInt(h, "portIndex", path, out.portIndex);
  d.getInt(h, "gracePeriodSeconds", path, out.gracePeriodSeconds);
  d.getInt(h, "intervalSeconds", path, out.intervalSeconds);
  d.getInt(h, "timeoutSeconds", path, out.timeoutSeconds);
  d.getInt(h, "maxConsecutiveFailures", path, out.maxConsecutiveFailures);
  d.getInt(h, "delaySeconds", path, out.delaySeconds);
  d.getBool(h, "ignoreHttp1xx", path, out.ignoreHttp1xx);
}

void decodePorts(Decoder& d, const Json& app, AppSpec& out) {
  if (const Json* defs = d.getArray(app, "portDefinitions", "")) {
    for (std::size_t i = 0; i < defs->size() && !d.failed(); ++i) {
      const Json& p = (*defs)[i];
      std::string ppath = Decoder::index("portDefinitions", i);
      if (!p.is_object()) return d.fail(ppath, "expected an object");
      PortDefinition def;
      d.getInt(p, "port", ppath, def.port);
      d.getString(p, "protocol", ppath, def.protocol);
      d.getString(p, "name", ppath, def.name);
      out.portDefinitions.push_back(std::move(def));
    }
    return;
  }
  if (const Json* ports = d.getArray(app, "ports", "")) {
    for (std::size_t i = 0; i < ports->size() && !d.failed(); ++i) {
      PortDefinition def;
      def.port = d.toInt((*ports)[i], Decoder::index("ports", i));
      out.portDefinitions.push_back(std::move(def));
    }
    return;
  }
  if (d.failed()) return;
  out.portDefinitions.push_back(PortDefinition{0, "tcp", "default"});
}

void decodeApp(Decoder& d, const Json& app, AppSpec& out) {
  if (!app.is_object()) return d.fail("app", "expected an object, got " + typeName(app));
  const Json* id = Decoder::member(app, "id");
  if (!id || !id->is_string() || id->get_ref<const std::string&>().empty()) {
    return d.fail("id", "missing or not a non-empty string: not a Marathon app");
  }
  out.id = id->get<std::string>();
  if (const Json* cmd = Decoder::member(app, "cmd")) {
    if (!cmd->is_string()) return d.fail("cmd", "expected a string, got " + typeName(*cmd));
    out.cmd = cmd->get<std::string>();
  }
  d.getStringArray(app, "args", "", out.args);
  d.getString(app, "user", "", out.user);
  d.getDouble(app, "cpus", "", out.cpus);
  d.getDouble(app, "mem", "", out.mem);
  d.getDouble(app, "disk", "", out.disk);
  d.getInt(app, "instances", "", out.instances);

  if (const Json* constraints = d.getArray(app, "constraints", "")) {
    for (std::size_t i = 0; i < constraints->size() && !d.failed(); ++i) {
      const Json& c = (*constraints)[i];
      std::string cpath = Decoder::index("constraints", i);
      if (!c.is_array()) return d.fail(cpath, "expected an array");
      Constraint constraint;
      for (std::size_t k = 0; k < c.size(); ++k) {
        if (!c[k].is_string()) return d.fail(Decoder::index(cpath, k), "expected a string");
        constraint.push_back(c[k].get<std::string>());
      }
      if (constraint.size() >= 2) {
        for (char& ch : constraint[1])
          ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      }
      out.constraints.push_back(std::move(constraint));
    }
  }

  if (const Json* container = d.getObject(app, "container", "")) {
    Container c;
    decodeContainer(d, app, *container, c);
    out.container = std::move(c);
  }
  d.getKeyValues(app, "env", "", out.env, /*allowNonString=*/true);
  d.getLabels(app, "labels", "", out.labels);

  if (const Json* fetch = d.getArray(app, "fetch", "")) {
    for (std::size_t i = 0; i < fetch->size() && !d.failed(); ++i) {
      const Json& f = (*fetch)[i];
      std::string fpath = Decoder::index("fetch", i);
      if (!f.is_object()) return d.fail(fpath, "expected an object");
      FetchUri uri;
      std::string text;
      d.getString(f, "uri", fpath, text);
      uri.uri = text;
      d.getBool(f, "extract", fpath, uri.extract);
      d.getBool(f, "executable", fpath, uri.executable);
      d.getBool(f, "cache", fpath, uri.cache);
      d.getString(f, "destPath", fpath, uri.destPath);
      out.fetch.push_back(std::move(uri));
    }
  } else if (const Json* uris = d.getArray(app, "uris", "")) {
    for (std::size_t i = 0; i < uris->size() && !d.failed(); ++i) {
      if (!(*uris)[i].is_string()) return d.fail(Decoder::index("uris", i), "expected a string");
      FetchUri uri;
      const std::string text = (*uris)[i].get<std::string>();
      uri.uri = text;
      uri.extract = isArchive(text);
      out.fetch.push_back(std::move(uri));
    }
  }

  decodePorts(d, app, out);
  d.getBool(app, "requirePorts", "", out.requirePorts);

  if (const Json* checks = d.getArray(app, "healthChecks", "")) {
    for (std::size_t i = 0; i < checks->size() && !d.failed(); ++i) {
      std::string hpath = Decoder::index("healthChecks", i);
      if (!(*checks)[i].is_object()) return d.fail(hpath, "expected an object");
      HealthCheck check;
      decodeHealthCheck(d, (*checks)[i], hpath, check);
      out.healthChecks.push_back(std::move(check));
    }
  }

  if (const Json* upgrade = d.getObject(app, "upgradeStrategy", "")) {
    d.getDouble(*upgrade, "minimumHealthCapacity", "upgradeStrategy",
                out.upgradeStrategy.minimumHealthCapacity);
    d.getDouble(*upgrade, "maximumOverCapacity", "upgradeStrategy",
                out.upgradeStrategy.maximumOverCapacity);
  }
  if (const Json* unreachable = Decoder::member(app, "unreachableStrategy")) {
    if (unreachable->is_string()) {
      if (unreachable->get_ref<const std::string&>() != "disabled") {
        return d.fail("unreachableStrategy", "expected \"disabled\" or an object");
      }
      out.unreachableStrategy.disabled = true;
    } else if (unreachable->is_object()) {
      d.getInt(*unreachable, "inactiveAfterSeconds", "unreachableStrategy",
               out.unreachableStrategy.inactiveAfterSeconds);
      d.getInt(*unreachable, "expungeAfterSeconds", "unreachableStrategy",
               out.unreachableStrategy.expungeAfterSeconds);
    } else {
      return d.fail("unreachableStrategy",
                    "expected \"disabled\" or an object, got " + typeName(*unreachable));
    }
  }
  d.getString(app, "killSelection", "", out.killSelection);
  d.getInt(app, "taskKillGracePeriodSeconds", "", out.taskKillGracePeriodSeconds);
  d.getInt(app, "backoffSeconds", "", out.backoffSeconds);
  d.getDouble(app, "backoffFactor", "", out.backoffFactor);
  d.getInt(app, "maxLaunchDelaySeconds", "", out.maxLaunchDelaySeconds);
  d.getStringArray(app, "dependencies", "", out.dependencies);
}

// healthy: every health result alive → true; any not alive → false; no results → nullopt.
void decodeTask(Decoder& d, const Json& t, const std::string& path, TaskStatus& out) {
  d.getString(t, "id", path, out.id);
  d.getString(t, "host", path, out.host);
  d.getString(t, "state", path, out.state);
  d.getString(t, "startedAt", path, out.startedAt);
  d.getString(t, "version", path, out.version);
  if (const Json* ports = d.getArray(t, "ports", path)) {
    for (std::size_t i = 0; i < ports->size() && !d.failed(); ++i) {
      out.ports.push_back(d.toInt((*ports)[i], Decoder::index(path + ".ports", i)));
    }
  }
  if (const Json* results = d.getArray(t, "healthCheckResults", path)) {
    for (std::size_t i = 0; i < results->size() && !d.failed(); ++i) {
      const Json& r = (*results)[i];
      std::string rpath = Decoder::index(path + ".healthCheckResults", i);
      if (!r.is_object()) return d.fail(rpath, "expected an object");
      bool alive = false;
      d.getBool(r, "alive", rpath, alive);
      out.healthy = out.healthy.value_or(true) && alive;
      if (!alive && out.lastFailureCause.empty()) {
        d.getString(r, "lastFailureCause", rpath, out.lastFailureCause);
      }
    }
  }
}

void decodeStatus(Decoder& d, const Json& app, AppStatus& out) {
  d.getString(app, "version", "", out.version);
  if (const Json* info = d.getObject(app, "versionInfo", "")) {
    d.getString(*info, "lastConfigChangeAt", "versionInfo", out.lastConfigChangeAt);
    d.getString(*info, "lastScalingAt", "versionInfo", out.lastScalingAt);
  }
  d.getInt(app, "tasksStaged", "", out.tasksStaged);
  d.getInt(app, "tasksRunning", "", out.tasksRunning);
  d.getInt(app, "tasksHealthy", "", out.tasksHealthy);
  d.getInt(app, "tasksUnhealthy", "", out.tasksUnhealthy);
  if (const Json* deployments = d.getArray(app, "deployments", "")) {
    for (std::size_t i = 0; i < deployments->size() && !d.failed(); ++i) {
      const Json& dep = (*deployments)[i];
      if (!dep.is_object()) return d.fail(Decoder::index("deployments", i), "expected an object");
      std::string id;
      d.getString(dep, "id", Decoder::index("deployments", i), id);
      out.deploymentIds.push_back(std::move(id));
    }
  }
  if (const Json* tasks = d.getArray(app, "tasks", "")) {
    for (std::size_t i = 0; i < tasks->size() && !d.failed(); ++i) {
      std::string tpath = Decoder::index("tasks", i);
      if (!(*tasks)[i].is_object()) return d.fail(tpath, "expected an object");
      TaskStatus task;
      decodeTask(d, (*tasks)[i], tpath, task);
      out.tasks.push_back(std::move(task));
    }
  }
  if (const Json* failure = d.getObject(app, "lastTaskFailure", "")) {
    d.getString(*failure, "message", "lastTaskFailure", out.lastTaskFailureMessage);
  }
}

Error withAppContext(const Error& e, const Json& app) {
  const Json* id = app.is_object() ? Decoder::member(app, "id") : nullptr;
  if (id && id->is_string()) return e.withContext("app '" + id->get<std::string>() + "'");
  return e;
}

Result<Json> parse(std::string_view text) {
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return makeError(ErrorCode::InvalidInput, "not valid JSON");
  return j;
}

// Marathon wraps single apps as `{"app": {...}}` in GET /v2/apps/{id}; accept both shapes.
const Json& unwrapApp(const Json& j) {
  if (j.is_object() && !j.contains("id")) {
    auto it = j.find("app");
    if (it != j.end() && it->is_object()) return *it;
  }
  return j;
}

Result<ObservedApp> decodeObserved(const Json& app) {
  Decoder d;
  ObservedApp out;
  decodeApp(d, app, out.spec);
  if (!d.failed()) decodeStatus(d, app, out.status);
  if (d.failed()) return withAppContext(d.error(), app);
  return out;
}

void walkGroup(Decoder& d, const Json& group, const std::string& path, ObservedState& out) {
  if (!group.is_object()) return d.fail(path, "expected a group object");
  std::string groupId;
  d.getString(group, "id", path, groupId);
  if (const Json* apps = d.getArray(group, "apps", path)) {
    for (std::size_t i = 0; i < apps->size() && !d.failed(); ++i) {
      Result<ObservedApp> app = decodeObserved((*apps)[i]);
      if (!app) return d.fail(Decoder::index(Decoder::join(path, "apps"), i), app.error().message);
      // Apps inside a group may carry ids relative to it.
      if (!app->spec.id.empty() && app->spec.id.front() != '/') {
        app->spec.id = (groupId == "/" ? "/" : groupId + "/") + app->spec.id;
      }
      out.apps.push_back(std::move(app).value());
    }
  }
  if (const Json* groups = d.getArray(group, "groups", path)) {
    for (std::size_t i = 0; i < groups->size() && !d.failed(); ++i) {
      walkGroup(d, (*groups)[i], Decoder::index(Decoder::join(path, "groups"), i), out);
    }
  }
}

}  // namespace

Result<AppSpec> appFromJson(std::string_view json) {
  try {
    Result<Json> parsed = parse(json);
    if (!parsed) return parsed.error();
    const Json& app = unwrapApp(*parsed);
    Decoder d;
    AppSpec out;
    decodeApp(d, app, out);
    if (d.failed()) return withAppContext(d.error(), app);
    return out;
  } catch (const std::exception& e) {
    return makeError(ErrorCode::InvalidInput, std::string("decoding app: ") + e.what());
  }
}

Result<ObservedApp> observedAppFromJson(std::string_view json) {
  try {
    Result<Json> parsed = parse(json);
    if (!parsed) return parsed.error();
    return decodeObserved(unwrapApp(*parsed));
  } catch (const std::exception& e) {
    return makeError(ErrorCode::InvalidInput, std::string("decoding app: ") + e.what());
  }
}

Result<ObservedState> observedFromGroupJson(std::string_view json) {
  try {
    Result<Json> parsed = parse(json);
    if (!parsed) return parsed.error().withContext("group");
    const Json& root = *parsed;
    if (!root.is_object() || !root.contains("id")) {
      return makeError(ErrorCode::InvalidInput, "group: not a Marathon group object (no 'id')");
    }
    Decoder d;
    ObservedState out;
    out.groupExists = true;
    d.getString(root, "id", "group", out.groupId);
    walkGroup(d, root, "group", out);
    if (d.failed()) return d.error();
    std::sort(out.apps.begin(), out.apps.end(),
              [](const ObservedApp& a, const ObservedApp& b) { return a.spec.id < b.spec.id; });
    return out;
  } catch (const std::exception& e) {
    return makeError(ErrorCode::InvalidInput, std::string("decoding group: ") + e.what());
  }
}

}  // namespace ceph_planner::planner
