#include "planner/plan.h"

namespace ceph_planner::planner {

std::string_view actionKindName(ActionKind kind) {
  switch (kind) {
    case ActionKind::Create:
      return "create";
    case ActionKind::Update:
      return "update";
    case ActionKind::Scale:
      return "scale";
    case ActionKind::Delete:
      return "delete";
    case ActionKind::Unchanged:
      return "unchanged";
  }
  return "unknown";
}

Wave waveForRole(Role role) {
  switch (role) {
    case Role::Mon:
      return Wave::Mon;
    case Role::Mgr:
      return Wave::Mgr;
    case Role::Osd:
      return Wave::Osd;
    case Role::Rgw:
      return Wave::Rgw;
  }
  return Wave::Rgw;
}

std::string_view waveName(Wave wave) {
  switch (wave) {
    case Wave::Mon:
      return "mon";
    case Wave::Mgr:
      return "mgr";
    case Wave::Osd:
      return "osd";
    case Wave::Rgw:
      return "rgw";
  }
  return "unknown";
}

}  // namespace ceph_planner::planner
