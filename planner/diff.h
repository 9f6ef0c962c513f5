#pragma once

// DesiredState × ObservedState → Plan. Pure and deterministic.
//
// Rules:
// - Apps are compared on `AppSpec` fields only; the `ceph-planner/topology-version` label never
//   causes an update on its own.
// - An observed app under the group without the ownership labels of this cluster is a conflict,
//   never updated or deleted.
// - RGW apps (with a `ceph-planner/autoscale` label `min=A,max=B`) keep their observed `instances`
//   when it lies in [A, B]; outside it they are scaled to the nearest bound. A fresh RGW app starts
//   at its rendered `instances`.
// - Only `instances` differing → Scale; anything else → Update (listing the changed fields).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "planner/app_spec.h"
#include "planner/plan.h"

namespace ceph_planner::planner {

struct DiffOptions {
  std::string clusterName;  // For the ownership check.
};

Plan diff(const DesiredState& desired, const ObservedState& observed, const DiffOptions& options);

// The owned fields in which `desired` and `observed` differ (instances and the topology-version
// label excluded), in a stable order.
std::vector<FieldChange> compareApps(const AppSpec& desired, const AppSpec& observed);

// Identity read from an app's labels (role, host, slot, ...). Unknown roles give nullopt.
struct AppIdentity {
  Role role = Role::Mon;
  std::string host;
  std::string slot;
  std::string device;
  std::string dbDevice;
  std::string osdGroup;
  std::string failureDomain;
  int minInstances = -1;  // RGW autoscale bounds, -1 when absent.
  int maxInstances = -1;
};
std::optional<AppIdentity> identityFromLabels(const AppSpec& app);

// The same, sharing the label values (shared_text.h): what diff reads for every app of every
// plan, and moves into the plan's actions without copying a character.
struct IdentityView : AppIdentityText {
  Role role = Role::Mon;
  int minInstances = -1;
  int maxInstances = -1;
};
std::optional<IdentityView> identityViewFromLabels(const AppSpec& app);

}  // namespace ceph_planner::planner
