// `ceph-volume inventory --format json` → `CephVolumeInventory`. yaml-cpp reads the JSON (JSON is
// YAML's flow style); its exceptions are caught here and become located messages.

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "common/strings.h"
#include "topology/ceph_volume_inventory.h"

namespace ceph_planner::topology {
namespace {

constexpr size_t kMaxProblems = 20;

class ReportReader {
 public:
  explicit ReportReader(CephVolumeInventory* out) : out_(out) {}

  void report(const YAML::Node& root) {
    if (!root.IsSequence()) {
      problem("",
              "expected a JSON array of devices (the output of `ceph-volume inventory "
              "--format json`), got " +
                  describe(root));
      return;
    }
    for (size_t i = 0; i < root.size(); ++i) device(root[i], "[" + std::to_string(i) + "]");
  }

  const std::vector<std::string>& problems() const { return problems_; }
  size_t problemCount() const { return problemCount_; }

 private:
  static std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
      case YAML::NodeType::Map:
        return "an object";
      case YAML::NodeType::Sequence:
        return "an array";
      case YAML::NodeType::Scalar:
        return quoted(node.Scalar());
      default:
        return "null";
    }
  }

  void problem(const std::string& path, const std::string& message) {
    ++problemCount_;
    if (problems_.size() < kMaxProblems) {
      problems_.push_back(path.empty() ? message : path + ": " + message);
    }
  }

  // An optional string field; absent or null is "".
  std::string optionalString(const YAML::Node& parent, const char* key, const std::string& path) {
    YAML::Node n = parent[key];
    if (!n.IsDefined() || n.IsNull()) return "";
    if (!n.IsScalar()) {
      problem(path + "." + key, "expected a string, got " + describe(n));
      return "";
    }
    return n.Scalar();
  }

  void device(const YAML::Node& n, const std::string& path) {
    if (!n.IsMap()) {
      problem(path, "expected a device object, got " + describe(n));
      return;
    }
    ++out_->reported;
    Device d;
    bool ok = true;

    YAML::Node pathNode = n["path"];
    if (!pathNode.IsDefined() || pathNode.IsNull()) {
      problem(path + ".path", "missing");
      ok = false;
    } else if (!pathNode.IsScalar() || !startsWith(pathNode.Scalar(), "/")) {
      problem(path + ".path", "expected an absolute device path, got " + describe(pathNode));
      ok = false;
    } else {
      d.path = pathNode.Scalar();
      auto [it, inserted] = firstIndex_.emplace(d.path, path);
      if (!inserted) {
        problem(path + ".path",
                "device " + quoted(d.path) + " is reported twice (also " + it->second + ")");
        ok = false;
      }
    }

    bool available = false;
    YAML::Node availableNode = n["available"];
    if (!availableNode.IsDefined() || availableNode.IsNull()) {
      problem(path + ".available", "missing");
      ok = false;
    } else if (!availableNode.IsScalar() ||
               (availableNode.Scalar() != "true" && availableNode.Scalar() != "false")) {
      problem(path + ".available", "expected true or false, got " + describe(availableNode));
      ok = false;
    } else {
      available = availableNode.Scalar() == "true";
    }

    ok = sysApi(n["sys_api"], path + ".sys_api", &d) && ok;
    bool carriesOsd = false;
    ok = lvs(n["lvs"], path + ".lvs", &carriesOsd) && ok;
    std::vector<std::string> reasons;
    ok = rejectedReasons(n["rejected_reasons"], path + ".rejected_reasons", &reasons) && ok;
    if (!ok) return;

    if (available) {
      ++out_->available;
    } else if (carriesOsd) {
      ++out_->withOsd;
    } else {
      out_->dropped.push_back(
          d.path + " (" +
          (reasons.empty() ? std::string("not available") : joinStrings(reasons, ", ")) + ")");
      return;
    }
    out_->inventory.devices.push_back(std::move(d));
  }

  bool sysApi(const YAML::Node& n, const std::string& path, Device* d) {
    if (!n.IsDefined() || n.IsNull()) {
      problem(path, "missing");
      return false;
    }
    if (!n.IsMap()) {
      problem(path, "expected an object, got " + describe(n));
      return false;
    }
    bool ok = true;
    YAML::Node rotational = n["rotational"];
    if (!rotational.IsDefined() || rotational.IsNull()) {
      problem(path + ".rotational", "missing");
      ok = false;
    } else if (rotational.IsScalar() &&
               (rotational.Scalar() == "1" || rotational.Scalar() == "true")) {
      d->rotational = true;
    } else if (rotational.IsScalar() &&
               (rotational.Scalar() == "0" || rotational.Scalar() == "false")) {
      d->rotational = false;
    } else {
      problem(path + ".rotational", "expected \"1\" or \"0\", got " + describe(rotational));
      ok = false;
    }

    YAML::Node size = n["size"];
    if (!size.IsDefined() || size.IsNull()) {
      problem(path + ".size", "missing");
      ok = false;
    } else if (!size.IsScalar() || !parseBytes(size.Scalar(), &d->sizeBytes)) {
      problem(path + ".size", "expected a number of bytes, got " + describe(size));
      ok = false;
    }
    // ceph-volume pads vendor and model with spaces the way the kernel reports them.
    d->model = trim(optionalString(n, "model", path));
    d->vendor = trim(optionalString(n, "vendor", path));
    return ok;
  }

  // ceph-volume prints sizes as floats (`34359738368.0`); integers are accepted too.
  static bool parseBytes(const std::string& text, uint64_t* bytes) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return false;
    // 2^64 itself does not fit; every double below it does.
    if (!std::isfinite(value) || value < 0 || value >= 18446744073709551616.0) return false;
    *bytes = static_cast<uint64_t>(value);
    return true;
  }

  bool lvs(const YAML::Node& n, const std::string& path, bool* carriesOsd) {
    if (!n.IsDefined() || n.IsNull()) return true;
    if (!n.IsSequence()) {
      problem(path, "expected an array, got " + describe(n));
      return false;
    }
    bool ok = true;
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string p = path + "[" + std::to_string(i) + "]";
      if (!n[i].IsMap()) {
        problem(p, "expected a logical volume object, got " + describe(n[i]));
        ok = false;
        continue;
      }
      YAML::Node osdId = n[i]["osd_id"];
      if (!osdId.IsDefined() || osdId.IsNull()) continue;
      if (!osdId.IsScalar()) {
        problem(p + ".osd_id", "expected an OSD id, got " + describe(osdId));
        ok = false;
        continue;
      }
      if (!trim(osdId.Scalar()).empty()) *carriesOsd = true;
    }
    return ok;
  }

  bool rejectedReasons(const YAML::Node& n, const std::string& path,
                       std::vector<std::string>* reasons) {
    if (!n.IsDefined() || n.IsNull()) return true;
    if (!n.IsSequence()) {
      problem(path, "expected an array of strings, got " + describe(n));
      return false;
    }
    bool ok = true;
    for (size_t i = 0; i < n.size(); ++i) {
      if (!n[i].IsScalar()) {
        problem(path + "[" + std::to_string(i) + "]", "expected a string, got " + describe(n[i]));
        ok = false;
        continue;
      }
      reasons->push_back(n[i].Scalar());
    }
    return ok;
  }

  CephVolumeInventory* out_;
  std::map<std::string, std::string> firstIndex_;  // Device path → where it was first reported.
  std::vector<std::string> problems_;
  size_t problemCount_ = 0;
};

}  // namespace

Result<CephVolumeInventory> parseCephVolumeInventory(std::string_view json) {
  if (trim(json).empty()) {
    return makeError(ErrorCode::InvalidInput,
                     "empty inventory: expected the output of `ceph-volume inventory --format "
                     "json`");
  }
  CephVolumeInventory out;
  ReportReader reader(&out);
  try {
    reader.report(YAML::Load(std::string(json)));
  } catch (const YAML::Exception& e) {
    std::string where = e.mark.is_null() ? std::string()
                                         : "line " + std::to_string(e.mark.line + 1) + ", column " +
                                               std::to_string(e.mark.column + 1) + ": ";
    return makeError(ErrorCode::InvalidInput, where + "invalid JSON: " + e.msg);
  }
  if (!reader.problems().empty()) {
    std::string message = joinStrings(reader.problems(), "; ");
    if (reader.problemCount() > reader.problems().size()) {
      message +=
          "; and " + std::to_string(reader.problemCount() - reader.problems().size()) + " more";
    }
    return makeError(ErrorCode::InvalidInput, message);
  }
  return out;
}

}  // namespace ceph_planner::topology
