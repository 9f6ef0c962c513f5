#include "planner/jobs_format.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/strings.h"

namespace ceph_planner::planner {
namespace {

constexpr const char* kArrow = " → ";

char symbol(JobActionKind kind) {
  switch (kind) {
    case JobActionKind::Create:
      return '+';
    case JobActionKind::Update:
      return '~';
    case JobActionKind::Delete:
      return '-';
    case JobActionKind::Unchanged:
      break;
  }
  return '=';
}

std::string orAbsent(const std::string& v) {
  return v.empty() ? "(none)" : v;
}

// What a job line shows after the name: its schedule, or what it waits for.
std::string when(const JobAction& a) {
  if (!a.parents.empty()) return "after " + joinStrings(a.parents, ", ");
  return a.schedule;
}

}  // namespace

std::string formatJobsText(const JobsWave& wave, bool showUnchanged) {
  if (!wave.shown()) return "";
  std::ostringstream w;
  if (!wave.planned) {
    w << "Chronos jobs: " << wave.note << "\n\n";
    return w.str();
  }
  size_t width = 0;
  int listed = 0;
  for (const auto& a : wave.actions) {
    if (a.kind == JobActionKind::Unchanged && !showUnchanged) continue;
    width = std::max(width, a.name.size());
    ++listed;
  }
  if (listed > 0) {
    w << "# wave 5: chronos jobs at " << wave.chronosUrl << " (" << listed
      << (listed == 1 ? " job" : " jobs") << ")\n";
    for (const auto& a : wave.actions) {
      if (a.kind == JobActionKind::Unchanged && !showUnchanged) continue;
      w << "  " << symbol(a.kind) << " " << a.name;
      std::string schedule = when(a);
      if (!schedule.empty()) w << std::string(width - a.name.size() + 2, ' ') << schedule;
      w << "\n";
      for (const auto& c : a.changes) {
        w << "      " << c.field << ": " << orAbsent(c.before) << kArrow << orAbsent(c.after)
          << "\n";
      }
    }
    w << "\n";
  }
  if (!wave.conflicts.empty()) {
    w << "Conflicts: chronos jobs named " << wave.prefix << "* that ceph-planner will not touch:\n";
    for (const auto& c : wave.conflicts) w << "  ! " << c.name << ": " << c.message << "\n";
    w << "\n";
  }
  if (!wave.note.empty()) w << "Chronos jobs: " << wave.note << "\n\n";
  return w.str();
}

std::string jobsSummarySentence(const JobsWave& wave) {
  if (!wave.planned) return "";
  const JobSummary& s = wave.summary;
  return "Jobs: " + std::to_string(s.toAdd) + " to add, " + std::to_string(s.toChange) +
         " to change, " + std::to_string(s.toDestroy) + " to destroy.";
}

std::string formatJobsJson(const JobsWave& wave, bool showUnchanged) {
  using Json = nlohmann::ordered_json;
  Json out = Json::object();
  out["planned"] = wave.planned;
  out["note"] = wave.note;
  out["chronos"] = wave.chronosUrl;
  out["summary"] = Json{{"add", wave.summary.toAdd},
                        {"change", wave.summary.toChange},
                        {"destroy", wave.summary.toDestroy},
                        {"unchanged", wave.summary.unchanged}};
  Json actions = Json::array();
  for (const auto& a : wave.actions) {
    if (a.kind == JobActionKind::Unchanged && !showUnchanged) continue;
    Json changes = Json::array();
    for (const auto& c : a.changes) {
      changes.push_back(Json{{"field", c.field}, {"before", c.before}, {"after", c.after}});
    }
    actions.push_back(Json{{"kind", jobActionKindName(a.kind)},
                           {"name", a.name},
                           {"schedule", a.schedule},
                           {"parents", a.parents},
                           {"changes", std::move(changes)}});
  }
  out["actions"] = std::move(actions);
  Json conflicts = Json::array();
  for (const auto& c : wave.conflicts) {
    conflicts.push_back(Json{{"job", c.name}, {"message", c.message}});
  }
  out["conflicts"] = std::move(conflicts);
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace ceph_planner::planner
