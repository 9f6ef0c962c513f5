// Plan → Terraform-style text. The exact layout is documented in docs/plan-format.md and pinned
// by the golden files in tests/testdata/diff/; change all three together.

#include <algorithm>
#include <array>
#include <string>

#include "planner/format.h"

namespace ceph_planner::planner {
namespace {

constexpr char kArrow[] = " → ";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kMagenta = "\x1b[35m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kReset = "\x1b[0m";

struct Marker {
  char symbol;
  std::string_view color;
};

Marker markerFor(ActionKind kind) {
  switch (kind) {
    case ActionKind::Create:
      return {'+', kGreen};
    case ActionKind::Update:
      return {'~', kYellow};
    case ActionKind::Scale:
      return {'^', kCyan};
    case ActionKind::Delete:
      return {'-', kRed};
    case ActionKind::Unchanged:
      return {'=', ""};
  }
  return {'?', ""};
}

class Writer {
 public:
  explicit Writer(bool color) : color_(color) {}

  void colored(std::string_view color, std::string_view text) {
    if (color_ && !color.empty()) {
      out_.append(color).append(text).append(kReset);
    } else {
      out_.append(text);
    }
  }
  Writer& operator<<(std::string_view text) {
    out_.append(text);
    return *this;
  }
  Writer& operator<<(int n) {
    out_.append(std::to_string(n));
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  bool color_;
  std::string out_;
};

bool shown(const PlanAction& a, const TextFormatOptions& options) {
  return a.kind != ActionKind::Unchanged || options.showUnchanged;
}

// `host=… slot=… device=… db=…` for OSDs (cephadm's OSDSPEC preview columns), `host=…` for the
// other per-host daemons, nothing for RGW (its identity is the service in the id).
std::string identity(const PlanAction& a) {
  std::string out;
  auto add = [&out](std::string_view key, const std::string& value) {
    if (!out.empty()) out += ' ';
    out.append(key).append("=").append(value.empty() ? "-" : value);
  };
  if (a.role == Role::Osd) {
    add("host", a.host);
    add("slot", a.slot);
    add("device", a.device);
    add("db", a.dbDevice);
  } else if (!a.host.empty()) {
    add("host", a.host);
  }
  return out;
}

std::string instancesNote(const PlanAction& a) {
  switch (a.kind) {
    case ActionKind::Create:
      return a.role == Role::Rgw ? "instances=" + std::to_string(a.toInstances) : "";
    case ActionKind::Scale:
      return "instances " + std::to_string(a.fromInstances) + kArrow +
             std::to_string(a.toInstances);
    default:
      return "";
  }
}

std::string_view orAbsent(const std::string& value) {
  return value.empty() ? std::string_view("(absent)") : std::string_view(value);
}

void writeAction(Writer& w, const PlanAction& a, std::size_t idWidth) {
  Marker m = markerFor(a.kind);
  w << "  ";
  std::string head(1, m.symbol);
  head.append(" ").append(a.appId);
  w.colored(m.color, head);
  std::string details = identity(a);
  std::string note = instancesNote(a);
  if (!note.empty()) details += (details.empty() ? "" : "  ") + note;
  if (!a.reason.empty()) details += (details.empty() ? "(" : "  (") + a.reason + ")";
  if (!details.empty()) {
    w << std::string(idWidth - a.appId.size() + 2, ' ') << details;
  }
  w << "\n";
  if (a.kind == ActionKind::Update) {
    for (const FieldChange& c : a.changes) {
      w << "      " << c.field << ": " << orAbsent(c.before) << kArrow << orAbsent(c.after) << "\n";
    }
    if (a.fromInstances != a.toInstances) {
      w << "      instances: " << a.fromInstances << kArrow << a.toInstances << "\n";
    }
  }
}

std::string summaryLine(const Plan& plan) {
  if (!plan.hasChanges()) {
    return plan.conflicts.empty()
               ? "No changes. Marathon matches the topology."
               : "No changes. Marathon matches the topology, apart from the conflicts above.";
  }
  const PlanSummary& s = plan.summary;
  return "Plan: " + std::to_string(s.toAdd) + " to add, " + std::to_string(s.toChange) +
         " to change, " + std::to_string(s.toScale) + " to scale, " + std::to_string(s.toDestroy) +
         " to destroy.";
}

}  // namespace

std::string formatPlanText(const Plan& plan, const TextFormatOptions& options) {
  Writer w(options.color);
  std::size_t idWidth = 0;
  std::array<int, 4> perWave{};
  for (const PlanAction& a : plan.actions) {
    if (!shown(a, options)) continue;
    idWidth = std::max(idWidth, a.appId.size());
    ++perWave[static_cast<int>(a.wave)];
  }
  bool anyShown = idWidth > 0;

  if (anyShown) {
    w << "ceph-planner will apply these actions to " << plan.groupId
      << ", wave by wave (mon → mgr → osd → rgw):\n";
    w << "  + create   ~ update   ^ scale   - destroy";
    if (options.showUnchanged) w << "   = unchanged";
    w << "\n";
    int lastWave = -1;
    for (const PlanAction& a : plan.actions) {
      if (!shown(a, options)) continue;
      int wave = static_cast<int>(a.wave);
      if (wave != lastWave) {
        w << "\n# wave " << (wave + 1) << ": " << waveName(a.wave) << " (" << perWave[wave]
          << (perWave[wave] == 1 ? " app" : " apps") << ")\n";
        lastWave = wave;
      }
      writeAction(w, a, idWidth);
    }
    w << "\n";
  }

  if (!plan.conflicts.empty()) {
    w.colored(kMagenta,
              "Conflicts: apps under " + plan.groupId + " that ceph-planner will not touch:");
    w << "\n";
    for (const PlanConflict& c : plan.conflicts) {
      w << "  ! " << c.appId << ": " << c.message << "\n";
    }
    w << "\n";
  }

  if (plan.summary.unchanged > 0 && !options.showUnchanged && plan.hasChanges()) {
    w << plan.summary.unchanged << (plan.summary.unchanged == 1 ? " app" : " apps")
      << " unchanged.\n";
  }
  w.colored(kBold, summaryLine(plan));
  w << "\n";
  return w.take();
}

}  // namespace ceph_planner::planner
