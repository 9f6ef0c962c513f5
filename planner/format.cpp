// Plan → Terraform-style text. The exact layout is documented in docs/plan-format.md and pinned
// by the golden files in tests/testdata/diff/; change all three together.

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "planner/format.h"
#include "planner/jobs_format.h"

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
  auto add = [&out](std::string_view key, std::string_view value) {
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

// The text of a compact JSON string literal (`"a\nb"` → a, newline, b); nullopt for other JSON.
// Handles the escapes the codec emits; `\uXXXX` below 0x80 only (others are kept verbatim).
std::optional<std::string> jsonStringText(const std::string& json) {
  if (json.size() < 2 || json.front() != '"' || json.back() != '"') return std::nullopt;
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 1; i + 1 < json.size(); ++i) {
    char c = json[i];
    if (c != '\\' || i + 2 >= json.size()) {
      out += c;
      continue;
    }
    char e = json[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u':
        if (i + 4 < json.size() && json.compare(i + 1, 2, "00") == 0) {
          out += static_cast<char>(std::stoi(json.substr(i + 3, 2), nullptr, 16));
          i += 4;
        } else {
          out += "\\u";
        }
        break;
      default:  // `"`, `\`, `/`
        out += e;
        break;
    }
  }
  return out;
}

std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Multi-line string values (scripts in `cmd`) are shown as a line diff: only removed (`-`) and
// added (`+`) lines, in order (longest common subsequence of lines).
bool writeTextChange(Writer& w, const FieldChange& c) {
  std::optional<std::string> before = jsonStringText(c.before);
  std::optional<std::string> after = jsonStringText(c.after);
  if (!before || !after) return false;
  if (before->find('\n') == std::string::npos && after->find('\n') == std::string::npos) {
    return false;
  }
  std::vector<std::string_view> a = lines(*before);
  std::vector<std::string_view> b = lines(*after);
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::string> out;
  if (n * m <= 4'000'000) {
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] == b[j]) {
        ++i;
        ++j;
      } else if (j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
        out.push_back("- " + std::string(a[i++]));
      } else {
        out.push_back("+ " + std::string(b[j++]));
      }
    }
  } else {
    for (auto line : a) out.push_back("- " + std::string(line));
    for (auto line : b) out.push_back("+ " + std::string(line));
  }
  w << "      " << c.field << ": (text, " << static_cast<int>(n) << kArrow << static_cast<int>(m)
    << " lines)\n";
  for (const std::string& line : out) w << "        " << line << "\n";
  return true;
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
      if (writeTextChange(w, c)) continue;
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
  w << formatJobsText(plan.jobs, options.showUnchanged);
  std::string jobs = jobsSummarySentence(plan.jobs);
  w.colored(kBold, jobs.empty() ? summaryLine(plan) : summaryLine(plan) + " " + jobs);
  w << "\n";
  return w.take();
}

}  // namespace ceph_planner::planner
