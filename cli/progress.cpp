#include "cli/progress.h"

#include <ostream>

namespace ceph_planner::cli {

std::string ProgressPrinter::line(const engine::StepProgress& p) const {
  return "[" + std::to_string(p.stepNumber) + "/" + std::to_string(p.stepCount) + "] " + p.step +
         ": " + std::to_string(p.appsDone) + "/" + std::to_string(p.appsTotal) + " apps, " +
         std::to_string(p.tasksHealthy) + "/" + std::to_string(p.tasksWanted) + " tasks healthy, " +
         engine::formatDuration(p.elapsed);
}

void ProgressPrinter::stepStarted(const engine::StepProgress& p) {
  lastLogged_ = Clock::Duration(0);
  if (live_) {
    out_ << line(p) << std::flush;
  } else {
    out_ << "[" << p.stepNumber << "/" << p.stepCount << "] " << p.step << ": submitting "
         << p.appsTotal << (p.appsTotal == 1 ? " app" : " apps") << "\n";
  }
}

void ProgressPrinter::stepProgress(const engine::StepProgress& p) {
  if (live_) {
    out_ << "\r\033[K" << line(p) << std::flush;
  } else if (p.elapsed - lastLogged_ >= std::chrono::seconds(10)) {
    lastLogged_ = p.elapsed;
    out_ << line(p) << "\n";
  }
}

void ProgressPrinter::stepFinished(const engine::StepProgress& p) {
  if (live_) out_ << "\r\033[K";
  out_ << line(p) << " — done\n";
}

void ProgressPrinter::note(const std::string& message) {
  if (live_) out_ << "\r\033[K";
  out_ << message << "\n";
}

}  // namespace ceph_planner::cli
