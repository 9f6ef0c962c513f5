#include <cmath>
#include <cstring>
#include <regex>
#include <variant>

#include "sim/marathon/app_validation.h"

#include "common/strings.h"

namespace ceph_planner::marathon_sim {

namespace {

const char* const kIdSegmentRegex =
    "^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\."
    "\\.)$";

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool isInteger(const std::string& s) {
  static const std::regex re("^-?[0-9]+$");
  return std::regex_match(s, re);
}

class Collector {
 public:
  void add(const std::string& path, const std::string& error) {
    for (auto& v : out_) {
      if (v.path == path) {
        v.errors.push_back(error);
        return;
      }
    }
    out_.push_back({path, {error}});
  }
  bool empty() const { return out_.empty(); }
  ValidationFailure failure() const { return {"Object is not valid", out_}; }

 private:
  std::vector<Violation> out_;
};

void checkConstraints(const Json& cs, Collector& c) {
  if (!cs.is_array()) return;
  for (size_t i = 0; i < cs.size(); ++i) {
    std::string path = "/constraints(" + std::to_string(i) + ")";
    const Json& con = cs[i];
    if (!con.is_array() || con.size() < 2 || con.size() > 3) {
      c.add(path, "Each constraint must have either 2 or 3 fields");
      continue;
    }
    std::string op = con[1].is_string() ? upper(con[1].get<std::string>()) : "";
    bool hasValue = con.size() == 3;
    std::string value = hasValue && con[2].is_string() ? con[2].get<std::string>() : "";
    if (op == "UNIQUE") {
      if (hasValue) c.add(path, "UNIQUE does not accept a value");
    } else if (op == "CLUSTER") {
    } else if (op == "GROUP_BY") {
      if (hasValue && !isInteger(value))
        c.add(path, "GROUP BY must define an integer value or else no value at all");
    } else if (op == "LIKE" || op == "UNLIKE") {
      if (!hasValue || value.empty()) {
        c.add(path, "LIKE and UNLIKE require a non-empty, regular expression value");
      } else {
        try {
          std::regex re(value);
        } catch (const std::regex_error&) {
          c.add(path, "'" + value + "' is not a valid regular expression");
        }
      }
    } else if (op == "MAX_PER") {
      if (!hasValue || !isInteger(value)) c.add(path, "MAX_PER requires an integer value");
    } else if (op == "IS") {
      static const std::regex isRe("^[a-zA-Z0-9_/.-]*$");
      if (!hasValue || !std::regex_match(value, isRe))
        c.add(path,
              "IS only supports Mesos text and float values (see "
              "http://mesos.apache.org/documentation/latest/attributes-resources/)");
    } else {
      c.add(path,
            "operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, "
            "UNLIKE or IS");
    }
  }
}

Json normaliseHealthCheck(const Json& in) {
  Json hc = in;
  if (!hc.contains("protocol")) hc["protocol"] = "HTTP";
  std::string proto = hc["protocol"].get<std::string>();
  if (proto == "HTTP" || proto == "HTTPS" || proto == "MESOS_HTTP" || proto == "MESOS_HTTPS") {
    std::string path = hc.value("path", std::string("/"));
    if (path.empty() || path[0] != '/') path = "/" + path;
    hc["path"] = path;
  }
  if (!hc.contains("gracePeriodSeconds")) hc["gracePeriodSeconds"] = 300;
  if (!hc.contains("intervalSeconds")) hc["intervalSeconds"] = 60;
  if (!hc.contains("timeoutSeconds")) hc["timeoutSeconds"] = 20;
  if (!hc.contains("maxConsecutiveFailures")) hc["maxConsecutiveFailures"] = 3;
  if (!hc.contains("delaySeconds")) hc["delaySeconds"] = 15;
  if (proto != "COMMAND" && !hc.contains("port") && !hc.contains("portIndex")) hc["portIndex"] = 0;
  return hc;
}

}  // namespace

Json ValidationFailure::toJson() const {
  Json d = Json::array();
  for (const auto& v : details) d.push_back({{"path", v.path}, {"errors", v.errors}});
  return {{"message", message}, {"details", d}};
}

std::optional<std::string> checkPathId(const std::string& id) {
  if (id.empty() || id[0] != '/') return "Path must be absolute";
  auto segs = splitNonEmpty(id, '/');
  if (segs.empty()) return "Path must contain at least one path element";
  static const std::regex re(kIdSegmentRegex);
  for (const auto& s : segs) {
    if (!std::regex_match(s, re))
      return std::string("must fully match regular expression '") + kIdSegmentRegex + "'";
  }
  const std::string& last = segs.back();
  if (last == "restart" || last == "tasks" || last == "versions" || last == "." || last == "..")
    return "must not end with restart, tasks, versions, . or ..";
  return std::nullopt;
}

std::string absolutePath(const std::string& id, const std::string& base) {
  std::vector<std::string> parts;
  if (id.empty() || id[0] != '/') parts = splitNonEmpty(base, '/');
  for (const auto& s : splitNonEmpty(id, '/')) {
    if (s == ".") continue;
    if (s == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(s);
  }
  std::string out;
  for (const auto& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

std::string parentPath(const std::string& id) {
  auto pos = id.rfind('/');
  if (pos == std::string::npos || pos == 0) return "/";
  return id.substr(0, pos);
}

std::variant<Json, ValidationFailure> normaliseApp(const Json& raw, const NormaliseOptions& o) {
  Collector c;
  Json app = raw;
  // Identity.
  std::string rawId = app.value("id", std::string());
  std::string rawIdCheck = rawId;
  bool badSegment = false;
  for (const auto& s : splitNonEmpty(rawId, '/')) {
    if (s == "." || s == "..") continue;
    static const std::regex re(kIdSegmentRegex);
    if (!std::regex_match(s, re)) badSegment = true;
  }
  std::string id = absolutePath(rawId, o.baseGroup);
  if (id == "/") {
    c.add("/id", "Path must contain at least one path element");
  } else if (badSegment) {
    c.add("/id", std::string("must fully match regular expression '") + kIdSegmentRegex + "'");
  } else if (auto err = checkPathId(id)) {
    c.add("/id", *err);
  }
  app["id"] = id;
  if (o.baseGroup != "/" && id.rfind(o.baseGroup + "/", 0) != 0)
    c.add("/id", "Identifier is not child of '" + o.baseGroup + "'");

  // Command.
  bool hasCmd = app.contains("cmd") && !app["cmd"].is_null();
  bool hasArgs = app.contains("args") && !app["args"].is_null();
  bool hasContainer = app.contains("container") && app["container"].is_object();
  bool docker = hasContainer && app["container"].value("type", std::string("DOCKER")) == "DOCKER";
  bool hasImage =
      hasContainer && ((app["container"].contains("docker") &&
                        app["container"]["docker"].value("image", std::string()) != "") ||
                       app["container"].contains("appc"));
  if (hasCmd && app["cmd"].is_string() && app["cmd"].get<std::string>().empty())
    c.add("/cmd", "must not be an empty string");
  if ((hasCmd && hasArgs) || (!hasCmd && !hasArgs && !hasImage))
    c.add("/", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
  if (hasContainer) {
    Json& ct = app["container"];
    if (!ct.contains("type")) ct["type"] = "DOCKER";
    if (!ct.contains("volumes") || !ct["volumes"].is_array()) ct["volumes"] = Json::array();
    if (ct.contains("docker") && ct["docker"].is_object() &&
        ct["docker"].value("image", std::string("x")).empty())
      c.add("/container/docker/image", "must not be empty");
    if (docker && o.execMode)
      c.add("/container",
            "DOCKER containers cannot run in exec mode: marathon-sim runs commands as local "
            "processes; use 'cmd' or 'args' without a container");
  }
  if (app.contains("gpus") && app["gpus"].is_number() && app["gpus"].get<double>() > 0)
    c.add("/gpus",
          "Feature gpu_resources is not enabled. Enable with --enable_features gpu_resources)");

  // Legacy fields.
  if (app.contains("uris") && app.contains("fetch") && !app["uris"].empty() &&
      !app["fetch"].empty())
    c.add("/", "may not be set in conjunction with fetch");
  if (app.contains("uris")) {
    if (!app.contains("fetch") || app["fetch"].empty()) {
      Json f = Json::array();
      for (const auto& u : app["uris"]) {
        std::string uri = u.get<std::string>();
        bool extract = false;
        for (const char* ext : {".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz", ".zip"})
          if (uri.size() >= std::strlen(ext) &&
              uri.compare(uri.size() - std::strlen(ext), std::strlen(ext), ext) == 0)
            extract = true;
        f.push_back({{"uri", uri}, {"extract", extract}, {"executable", false}, {"cache", false}});
      }
      app["fetch"] = f;
    }
    app.erase("uris");
  }
  if (app.contains("ports")) {
    Json defs = Json::array();
    for (const auto& p : app["ports"]) defs.push_back({{"port", p}, {"protocol", "tcp"}});
    if (app.contains("portDefinitions")) {
      bool same = app["portDefinitions"].size() == defs.size();
      for (size_t i = 0; same && i < defs.size(); ++i)
        same = app["portDefinitions"][i].value("port", -1) == defs[i]["port"].get<int>();
      if (!same) c.add("/", "You cannot specify both ports and port definitions");
    } else {
      app["portDefinitions"] = defs;
    }
    app.erase("ports");
  }
  app.erase("ipAddress");

  // Defaults.
  auto def = [&](const char* k, Json v) {
    if (!app.contains(k) || app[k].is_null()) app[k] = std::move(v);
  };
  def("instances", 1);
  def("cpus", 1);
  def("mem", 128);
  def("disk", 0);
  def("gpus", 0);
  def("executor", "");
  def("backoffSeconds", 1);
  def("backoffFactor", 1.15);
  def("maxLaunchDelaySeconds", 300);
  def("constraints", Json::array());
  def("dependencies", Json::array());
  def("env", Json::object());
  def("labels", Json::object());
  def("fetch", Json::array());
  def("healthChecks", Json::array());
  def("readinessChecks", Json::array());
  def("requirePorts", false);
  def("killSelection", "YOUNGEST_FIRST");
  def("unreachableStrategy", Json{{"inactiveAfterSeconds", 0}, {"expungeAfterSeconds", 0}});
  def("upgradeStrategy", Json{{"minimumHealthCapacity", 1}, {"maximumOverCapacity", 1}});
  def("secrets", Json::object());
  def("networks", Json::array({Json{{"mode", "host"}}}));
  def("role", "*");
  def("taskKillGracePeriodSeconds", 3);
  if (!app["upgradeStrategy"].contains("minimumHealthCapacity"))
    app["upgradeStrategy"]["minimumHealthCapacity"] = 1;
  if (!app["upgradeStrategy"].contains("maximumOverCapacity"))
    app["upgradeStrategy"]["maximumOverCapacity"] = 1;
  for (const char* k : {"minimumHealthCapacity", "maximumOverCapacity"}) {
    double v = app["upgradeStrategy"][k].get<double>();
    if (v > 1) c.add(std::string("/upgradeStrategy/") + k, "is greater than 1");
    if (v < 0) c.add(std::string("/upgradeStrategy/") + k, "is less than 0");
  }
  bool hostNetwork = true;
  for (const auto& n : app["networks"])
    if (n.value("mode", std::string("host")) != "host") hostNetwork = false;
  if (hostNetwork && hasContainer && app["container"].contains("portMappings") &&
      !app["container"]["portMappings"].empty())
    c.add("/container/portMappings", "portMappings are not allowed with host-networking");
  if (!app.contains("portDefinitions")) {
    app["portDefinitions"] =
        hostNetwork ? Json::array({Json{{"port", 0}, {"name", "default"}, {"protocol", "tcp"}}})
                    : Json::array();
  }

  // Dependencies are resolved against the app's group.
  Json deps = Json::array();
  for (const auto& d : app["dependencies"]) {
    if (d.is_string()) deps.push_back(absolutePath(d.get<std::string>(), parentPath(id)));
  }
  app["dependencies"] = deps;

  // Constraints: operators are upper-cased before parsing.
  for (auto& con : app["constraints"])
    if (con.is_array() && con.size() >= 2 && con[1].is_string())
      con[1] = upper(con[1].get<std::string>());
  checkConstraints(app["constraints"], c);

  // Ports.
  std::set<std::string> names;
  std::set<int> numbers;
  Json& pds = app["portDefinitions"];
  for (size_t i = 0; i < pds.size(); ++i) {
    Json& pd = pds[i];
    if (!pd.contains("protocol")) pd["protocol"] = "tcp";
    if (pd.contains("name")) {
      if (!names.insert(pd["name"].get<std::string>()).second)
        c.add("/portDefinitions", "Port names must be unique.");
    }
    int port = pd.value("port", 0);
    if (port != 0 && !numbers.insert(port).second)
      c.add("/portDefinitions", "Ports must be unique.");
  }
  // Service ports: port 0 gets a fresh number (or keeps the one it had at the same index).
  std::set<int> taken = o.usedServicePorts ? *o.usedServicePorts : std::set<int>();
  for (size_t i = 0; i < pds.size(); ++i) {
    if (pds[i].value("port", 0) != 0) continue;
    int reuse = 0;
    if (o.previous && o.previous->contains("portDefinitions") &&
        i < (*o.previous)["portDefinitions"].size())
      reuse = (*o.previous)["portDefinitions"][i].value("port", 0);
    if (reuse == 0) {
      for (int p = 10000; p <= 20000; ++p) {
        if (!taken.count(p) && !numbers.count(p)) {
          reuse = p;
          break;
        }
      }
    }
    taken.insert(reuse);
    numbers.insert(reuse);
    pds[i]["port"] = reuse;
  }

  // Health checks.
  int mesosChecks = 0;
  size_t portCount = pds.size();
  if (hasContainer && app["container"].contains("portMappings"))
    portCount = std::max(portCount, app["container"]["portMappings"].size());
  Json hcs = Json::array();
  for (size_t i = 0; i < app["healthChecks"].size(); ++i) {
    Json hc = normaliseHealthCheck(app["healthChecks"][i]);
    std::string proto = hc["protocol"].get<std::string>();
    if (proto.rfind("MESOS_", 0) == 0) ++mesosChecks;
    if (proto != "COMMAND" && !hc.contains("port")) {
      int idx = hc.value("portIndex", 0);
      if (idx < 0 || static_cast<size_t>(idx) >= portCount)
        c.add("/healthChecks(" + std::to_string(i) + ")",
              "Health check port indices must address an element of the ports array or "
              "container port mappings.");
    }
    if (proto == "COMMAND" && (!hc.contains("command") || !hc["command"].is_object()))
      c.add("/healthChecks(" + std::to_string(i) + ")", "command is required for COMMAND checks");
    hcs.push_back(hc);
  }
  app["healthChecks"] = hcs;
  if (mesosChecks > 1) c.add("/", "AppDefinition can contain at most one Mesos health check");

  // Readiness checks.
  if (app["readinessChecks"].size() > 1) c.add("/readinessChecks", "a maximum of 1 is allowed");
  for (size_t i = 0; i < app["readinessChecks"].size(); ++i) {
    auto& rc = app["readinessChecks"][i];
    std::string pn = rc.value("portName", std::string());
    if (!names.count(pn))
      c.add("/readinessChecks(" + std::to_string(i) + ")",
            "readinessCheck must reference an existing port name");
  }

  // Single-instance apps.
  if (app["labels"].value("MARATHON_SINGLE_INSTANCE_APP", std::string()) == "true") {
    if (app["instances"].get<int>() > 1)
      c.add("/instances", "Instance count must be 0 or 1 for single instance apps");
    if (app["upgradeStrategy"]["minimumHealthCapacity"].get<double>() != 0 ||
        app["upgradeStrategy"]["maximumOverCapacity"].get<double>() != 0)
      c.add("/upgradeStrategy",
            "single instance app may only have an upgrade strategy with minimumHealthCapacity "
            "and maximumOverCapacity set to 0");
  }
  if (app["unreachableStrategy"].is_object()) {
    auto& us = app["unreachableStrategy"];
    if (!us.contains("inactiveAfterSeconds")) us["inactiveAfterSeconds"] = 0;
    if (!us.contains("expungeAfterSeconds")) us["expungeAfterSeconds"] = 0;
  }
  app.erase("version");
  app.erase("versionInfo");
  if (!c.empty()) return c.failure();
  return app;
}

bool isUpgrade(const Json& before, const Json& after) {
  Json a = before, b = after;
  for (Json* j : {&a, &b}) {
    j->erase("instances");
    j->erase("version");
    j->erase("versionInfo");
  }
  return a != b;
}

}  // namespace ceph_planner::marathon_sim
