// addOsdDevice (osd_edit.h): node edits on the yaml-cpp tree, mirrored as line insertions into the
// original text. Every yaml-cpp exception is caught here.
//
// How the text stays the operator's: each edit is "append items to a block sequence" or "add a key
// to a block mapping". Both insert whole lines after the last line that belongs to the collection,
// at the indentation of its existing entries, with the new value in flow style. The result is
// parsed again and compared, node by node, with the edited tree; any difference (or an edit that
// has no block collection to insert into) falls back to re-emitting the edited tree.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>

#include "common/strings.h"
#include "topology/devices.h"
#include "topology/osd_edit.h"
#include "topology/parse.h"
#include "topology/placement.h"

namespace ceph_planner::topology {
namespace {

// A value as text for comparison: structure and scalars, not styles or tags.
void canonical(const YAML::Node& n, std::string* out) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      *out += "s" + std::to_string(n.Scalar().size()) + ":" + n.Scalar();
      return;
    case YAML::NodeType::Sequence:
      *out += "[";
      for (const auto& item : n) canonical(item, out);
      *out += "]";
      return;
    case YAML::NodeType::Map:
      *out += "{";
      for (const auto& kv : n) {
        canonical(kv.first, out);
        canonical(kv.second, out);
      }
      *out += "}";
      return;
    case YAML::NodeType::Null:
      *out += "~";
      return;
    case YAML::NodeType::Undefined:
      *out += "?";
      return;
  }
}

std::string canonical(const YAML::Node& n) {
  std::string out;
  canonical(n, &out);
  return out;
}

std::string flow(const YAML::Node& n) {
  YAML::Emitter e;
  e.SetMapFormat(YAML::Flow);
  e.SetSeqFormat(YAML::Flow);
  e << n;
  return e.c_str();
}

size_t indentOf(const std::string& line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

bool isContent(const std::string& line) {
  size_t i = indentOf(line);
  return i < line.size() && line[i] != '#' && line[i] != '\r';
}

struct Insertion {
  size_t beforeLine = 0;  // 0-based index the new lines go in front of.
  size_t order = 0;       // Edit order, for insertions at the same line.
  std::vector<std::string> lines;
};

// The document being edited: the tree (edited in place) and the text insertions that mirror it.
class Editor {
 public:
  explicit Editor(std::string_view text) {
    std::string t(text);
    std::stringstream in(t);
    std::string line;
    while (std::getline(in, line)) lines_.push_back(line);
  }

  // Appends `items` to sequence `seq` (which must exist).
  void appendToSequence(YAML::Node seq, const std::vector<YAML::Node>& items) {
    if (seq.Style() == YAML::EmitterStyle::Block && seq.size() > 0) {
      YAML::Mark first = seq[0].Mark();
      size_t dash = dashColumn(first);
      YAML::Mark last = seq[seq.size() - 1].Mark();
      if (dash != std::string::npos && last.line >= 0) {
        Insertion ins{endOf(static_cast<size_t>(last.line), dash), insertions_.size(), {}};
        for (const auto& item : items) {
          ins.lines.push_back(std::string(dash, ' ') + "- " + flow(item));
        }
        insertions_.push_back(std::move(ins));
      } else {
        textOk_ = false;
      }
    } else {
      textOk_ = false;
    }
    for (const auto& item : items) seq.push_back(item);
  }

  // Adds `key: value` to mapping `map` (the key must be absent).
  void addKey(YAML::Node map, const std::string& key, const YAML::Node& value) {
    if (map.Style() == YAML::EmitterStyle::Block && map.size() > 0) {
      YAML::Mark first = map.begin()->first.Mark();
      size_t lastLine = 0;
      for (const auto& kv : map) {
        lastLine =
            std::max<size_t>(lastLine, static_cast<size_t>(std::max(0, kv.first.Mark().line)));
        lastLine =
            std::max<size_t>(lastLine, static_cast<size_t>(std::max(0, kv.second.Mark().line)));
      }
      if (first.line >= 0 && first.column >= 0) {
        size_t col = static_cast<size_t>(first.column);
        YAML::Node k(key);
        insertions_.push_back(Insertion{endOf(lastLine, col),
                                        insertions_.size(),
                                        {std::string(col, ' ') + flow(k) + ": " + flow(value)}});
      } else {
        textOk_ = false;
      }
    } else {
      textOk_ = false;
    }
    map[key] = value;
  }

  // Sets `map[key]` where no line can simply be inserted (an empty value): the document will be
  // re-emitted.
  void replace(YAML::Node map, const std::string& key, const YAML::Node& value) {
    textOk_ = false;
    map[key] = value;
  }

  // The edited text: the insertions when they reproduce `root`, else `root` re-emitted.
  std::string result(const YAML::Node& root, bool* textPreserving) {
    if (textOk_) {
      std::vector<std::string> out = lines_;
      std::vector<Insertion> sorted = insertions_;
      std::sort(sorted.begin(), sorted.end(), [](const Insertion& a, const Insertion& b) {
        return a.beforeLine != b.beforeLine ? a.beforeLine > b.beforeLine : a.order > b.order;
      });
      for (const auto& ins : sorted) {
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(ins.beforeLine), ins.lines.begin(),
                   ins.lines.end());
      }
      std::string text = joinStrings(out, "\n") + "\n";
      try {
        if (canonical(YAML::Load(text)) == canonical(root)) {
          *textPreserving = true;
          return text;
        }
      } catch (const YAML::Exception&) {
        // Falls through to re-emission.
      }
    }
    *textPreserving = false;
    YAML::Emitter e;
    e << root;
    return std::string(e.c_str()) + "\n";
  }

 private:
  // Column of the `-` that introduces the sequence item whose content starts at `mark`.
  size_t dashColumn(const YAML::Mark& mark) const {
    if (mark.line < 0 || static_cast<size_t>(mark.line) >= lines_.size()) return std::string::npos;
    const std::string& line = lines_[static_cast<size_t>(mark.line)];
    size_t i = std::min(static_cast<size_t>(std::max(0, mark.column)), line.size());
    while (i > 0) {
      --i;
      if (line[i] == '-') return i;
      if (line[i] != ' ') return std::string::npos;
    }
    return std::string::npos;
  }

  // The line index just after the last content line of an entry that starts on `startLine`, given
  // that the entries of its collection start at column `column`: the entry goes on until the
  // first content line indented at `column` or less.
  size_t endOf(size_t startLine, size_t column) const {
    size_t lastContent = startLine;
    for (size_t i = startLine + 1; i < lines_.size(); ++i) {
      if (!isContent(lines_[i])) continue;
      if (indentOf(lines_[i]) <= column) break;
      lastContent = i;
    }
    return std::min(lastContent + 1, lines_.size());
  }

  std::vector<std::string> lines_;
  std::vector<Insertion> insertions_;
  bool textOk_ = true;
};

YAML::Node deviceNode(const Device& d) {
  YAML::Node n(YAML::NodeType::Map);
  n["path"] = d.path;
  n["rotational"] = d.rotational;
  if (d.sizeBytes > 0) n["size"] = formatSize(d.sizeBytes);
  if (!d.model.empty()) n["model"] = d.model;
  if (!d.vendor.empty()) n["vendor"] = d.vendor;
  if (!d.serial.empty()) n["serial"] = d.serial;
  return n;
}

bool scalarIs(const YAML::Node& n, const std::string& value) {
  return n && n.IsScalar() && n.Scalar() == value;
}

// The element of sequence `seq` whose `key` is `value`, and its index.
std::pair<YAML::Node, int> findByKey(const YAML::Node& seq, const std::string& key,
                                     const std::string& value) {
  if (!seq || !seq.IsSequence()) return {YAML::Node(), -1};
  for (size_t i = 0; i < seq.size(); ++i) {
    YAML::Node item = seq[i];
    if (item.IsMap() && scalarIs(item[key], value)) return {item, static_cast<int>(i)};
  }
  return {YAML::Node(), -1};
}

Result<OsdDeviceEdit> edit(std::string_view yamlText, const OsdDeviceRequest& request) {
  if (request.device.path.empty() || request.device.path[0] != '/') {
    return makeError(ErrorCode::InvalidInput,
                     "device path " + quoted(request.device.path) + " must be absolute");
  }
  ParsedTopology parsed = parseTopology(yamlText);
  if (!parsed.ok()) {
    return makeError(ErrorCode::InvalidInput,
                     "the topology does not parse: " + parsed.diagnostics.front().toString());
  }
  const Topology& topo = parsed.topology;
  const Host* host = nullptr;
  std::vector<std::string> hostNames;
  for (const auto& h : topo.hosts) {
    hostNames.push_back(h.name);
    if (h.name == request.host) host = &h;
  }
  if (host == nullptr) {
    std::string hint = closestMatch(request.host, hostNames);
    return makeError(ErrorCode::NotFound,
                     "no host " + quoted(request.host) + " in the topology" +
                         (hint.empty() ? "" : " (did you mean " + quoted(hint) + "?)"));
  }
  const OsdGroup* group = nullptr;
  std::vector<std::string> groupNames;
  for (const auto& g : topo.osdGroups) {
    groupNames.push_back(g.serviceId);
    if (g.serviceId == request.group) group = &g;
  }
  if (group == nullptr) {
    std::string hint = closestMatch(request.group, groupNames);
    return makeError(ErrorCode::NotFound,
                     "no osd group " + quoted(request.group) +
                         (hint.empty() ? "" : " (did you mean " + quoted(hint) + "?)"));
  }
  if (group->unmanaged) {
    return makeError(ErrorCode::Conflict, "osd group " + quoted(group->serviceId) +
                                              " is unmanaged: it never creates new OSDs");
  }
  std::vector<const Host*> placed = resolvePlacement(topo, group->placement);
  if (std::find(placed.begin(), placed.end(), host) == placed.end()) {
    return makeError(ErrorCode::InvalidInput, "osd group " + quoted(group->serviceId) +
                                                  " does not place host " + quoted(host->name));
  }

  YAML::Node root = YAML::Load(std::string(yamlText));
  Editor editor(yamlText);
  OsdDeviceEdit result;
  result.inlineInventory = host->hasInventory;
  const std::string& path = request.device.path;

  auto [hostNode, hostIndex] = findByKey(root["hosts"], "name", host->name);
  const std::string hostPath = "hosts[" + std::to_string(hostIndex) + "]";
  if (host->hasInventory) {
    bool present = std::any_of(host->devices.begin(), host->devices.end(),
                               [&](const Device& d) { return d.path == path; });
    if (!present) {
      YAML::Node devices = hostNode["devices"];
      if (devices.IsSequence()) {
        editor.appendToSequence(devices, {deviceNode(request.device)});
      } else {  // `devices:` given empty (null).
        YAML::Node seq(YAML::NodeType::Sequence);
        seq.push_back(deviceNode(request.device));
        editor.replace(hostNode, "devices", seq);
      }
      result.changes.push_back(hostPath + ".devices: added " + quoted(path));
    }
  }

  auto [groupNode, groupIndex] = findByKey(root["osd_groups"], "service_id", group->serviceId);
  const std::string groupPath = "osd_groups[" + std::to_string(groupIndex) + "]";
  const DeviceSelector& data = group->dataDevices;
  const size_t inventoryChanges = result.changes.size();
  if (data.isExplicit()) {
    std::string slot = slotNameForPath(path);
    YAML::Node selector = groupNode["data_devices"];
    if (!data.slots.empty()) {
      bool present = false;
      for (const auto& [name, p] : data.slots) {
        if (p == path) {
          present = true;
          slot = name;
        } else if (name == slot) {
          return makeError(ErrorCode::Conflict, groupPath + ".data_devices.slots: slot " +
                                                    quoted(slot) + " already names " + quoted(p));
        }
      }
      if (!present) {
        editor.addKey(selector["slots"], slot, YAML::Node(path));
        result.changes.push_back(groupPath + ".data_devices.slots: added " + quoted(slot) + ": " +
                                 quoted(path));
      }
    } else if (std::find(data.paths.begin(), data.paths.end(), path) == data.paths.end()) {
      editor.appendToSequence(selector["paths"], {YAML::Node(path)});
      result.changes.push_back(groupPath + ".data_devices.paths: added " + quoted(path));
    }
    // Explicit devices apply to every placed host: keep a newly added slot off the others (a path
    // that was already there stays as the operator placed it).
    std::vector<YAML::Node> newEntries;
    for (const Host* other : placed) {
      if (other == host || result.changes.size() == inventoryChanges) continue;
      auto [entry, entryIndex] = findByKey(groupNode["exceptions"], "host", other->name);
      bool excluded = false;
      for (const auto& e : group->exceptions) {
        if (e.host == other->name &&
            std::find(e.excludeSlots.begin(), e.excludeSlots.end(), slot) != e.excludeSlots.end()) {
          excluded = true;
        }
      }
      if (excluded) continue;
      result.changes.push_back(groupPath + ".exceptions: excluded slot " + quoted(slot) +
                               " on host " + quoted(other->name));
      if (entryIndex < 0) {
        YAML::Node e(YAML::NodeType::Map);
        e["host"] = other->name;
        YAML::Node slots(YAML::NodeType::Sequence);
        slots.push_back(slot);
        e["exclude_slots"] = slots;
        newEntries.push_back(e);
      } else if (entry["exclude_slots"] && entry["exclude_slots"].IsSequence()) {
        editor.appendToSequence(entry["exclude_slots"], {YAML::Node(slot)});
      } else {
        YAML::Node slots(YAML::NodeType::Sequence);
        slots.push_back(slot);
        if (entry["exclude_slots"]) {
          editor.replace(entry, "exclude_slots", slots);
        } else {
          editor.addKey(entry, "exclude_slots", slots);
        }
      }
    }
    if (!newEntries.empty()) {
      YAML::Node exceptions = groupNode["exceptions"];
      if (exceptions && exceptions.IsSequence()) {
        editor.appendToSequence(exceptions, newEntries);
      } else {
        YAML::Node seq(YAML::NodeType::Sequence);
        for (const auto& e : newEntries) seq.push_back(e);
        editor.addKey(groupNode, "exceptions", seq);
      }
    }
  }

  if (result.changes.empty()) {
    result.yaml = std::string(yamlText);
    return result;
  }
  result.changed = true;
  result.yaml = editor.result(root, &result.textPreserving);
  return result;
}

}  // namespace

Result<OsdDeviceEdit> addOsdDevice(std::string_view yamlText, const OsdDeviceRequest& request) {
  try {
    return edit(yamlText, request);
  } catch (const YAML::Exception& e) {
    return makeError(ErrorCode::InvalidInput, std::string("cannot edit the topology: ") + e.what());
  }
}

}  // namespace ceph_planner::topology
