#pragma once

// Apply progress for people: one live line per step on a terminal, plain log lines otherwise.

#include <iosfwd>

#include "engine/applier.h"

namespace ceph_planner::cli {

class ProgressPrinter final : public engine::ApplyListener {
 public:
  ProgressPrinter(std::ostream& out, bool live) : out_(out), live_(live) {}
  void stepStarted(const engine::StepProgress& p) override;
  void stepProgress(const engine::StepProgress& p) override;
  void stepFinished(const engine::StepProgress& p) override;
  void note(const std::string& message) override;

 private:
  std::string line(const engine::StepProgress& p) const;
  std::ostream& out_;
  bool live_;
  Clock::Duration lastLogged_{0};
};

}  // namespace ceph_planner::cli
