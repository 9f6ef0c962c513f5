#pragma once

// Plan → text for people (Terraform-style) and JSON for machines. Pure.

#include <string>

#include "planner/plan.h"

namespace ceph_planner::planner {

struct TextFormatOptions {
  bool showUnchanged = false;
  bool color = false;  // ANSI colours (only on a TTY).
};

// Terraform-style: `+` create, `~` update (with `field: before → after` lines), `-` delete,
// `±`-free scale lines (`instances 2 → 3`); OSD lines show host, slot/device and DB device like
// cephadm's OSDSPEC preview; grouped by wave; ends with the summary line
// `Plan: N to add, N to change, N to scale, N to destroy.` or `No changes. ...`.
std::string formatPlanText(const Plan& plan, const TextFormatOptions& options = {});

struct JsonFormatOptions {
  bool showUnchanged = false;  // Also list Unchanged actions (always counted in the summary).
  bool pretty = true;          // 2-space indentation; false = one line.
};

// `{"group":..., "summary":{...}, "actions":[...], "conflicts":[...]}`; stable key order. A
// change's `before`/`after` are embedded as JSON values (null when absent). docs/plan-format.md has
// the schema.
std::string formatPlanJson(const Plan& plan, const JsonFormatOptions& options = {});

}  // namespace ceph_planner::planner
