#include "daemon/osd_flexup.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "engine/stored_inventory.h"
#include "planner/diff.h"
#include "topology/devices.h"
#include "topology/osd_edit.h"
#include "topology/parse.h"
#include "topology/placement.h"

namespace ceph_planner::daemon {
namespace {

OsdFlexOutcome refuse(int status, std::string message, std::vector<std::string> details = {}) {
  OsdFlexOutcome out;
  out.error = OsdFlexError{status, std::move(message), std::move(details)};
  return out;
}

int statusFor(ErrorCode code) {
  return httpStatusFor(code);
}

std::vector<std::string> errorsOf(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) {
    if (d.severity == Severity::Error) out.push_back(d.toString());
  }
  return out;
}

// OSD apps of `host` built on `path`, from a render.
std::vector<const planner::AppSpec*> osdAppsOf(const planner::DesiredState& state,
                                               const std::string& host, const std::string& path) {
  std::vector<const planner::AppSpec*> out;
  for (const auto& app : state.apps) {
    auto id = planner::identityFromLabels(app);
    if (id && id->role == planner::Role::Osd && id->host == host && id->device == path) {
      out.push_back(&app);
    }
  }
  return out;
}

// Every difference between two renders, as `create|delete|update|scale <app id> ...` lines.
std::vector<std::string> renderDifference(const planner::DesiredState& before,
                                          const planner::DesiredState& after) {
  std::map<std::string, const planner::AppSpec*> old;
  for (const auto& a : before.apps) old[a.id] = &a;
  std::vector<std::string> out;
  for (const auto& a : after.apps) {
    auto it = old.find(a.id);
    if (it == old.end()) {
      out.push_back("create " + a.id);
      continue;
    }
    auto fields = planner::compareApps(a, *it->second);
    if (!fields.empty()) {
      std::vector<std::string> names;
      for (const auto& f : fields) names.push_back(f.field);
      out.push_back("update " + a.id + " (" + joinStrings(names, ", ") + ")");
    } else if (a.instances != it->second->instances) {
      out.push_back("scale " + a.id);
    }
    old.erase(it);
  }
  for (const auto& [id, app] : old) out.push_back("delete " + id);
  return out;
}

}  // namespace

OsdFlexOutcome addOsd(store::TopologyStore& store, const OsdFlexRequest& request,
                      const OsdFlexOptions& options) {
  const std::string& path = request.device.path;
  const std::string what = "osd " + ceph_planner::quoted(request.host + ":" + path);
  auto record = store.getTopology(options.cluster);
  if (!record) {
    return refuse(statusFor(record.error().code), "cannot read the topology of cluster " +
                                                      ceph_planner::quoted(options.cluster) + ": " +
                                                      record.error().message);
  }
  const std::string version = "v" + std::to_string(record->version);
  // Hosts without inline devices use their stored inventories, as in the reconciler's passes.
  auto loadedBefore = engine::loadTopologyWithStoredInventory(record->yaml, &store);
  if (!loadedBefore) {
    return refuse(statusFor(loadedBefore.error().code), loadedBefore.error().message);
  }
  const topology::ParsedTopology& before = loadedBefore->parsed;
  if (!before.ok()) {
    return refuse(409, "the stored topology " + version + " is invalid; fix it first",
                  errorsOf(before.diagnostics));
  }
  const planner::TemplateSet& templates =
      options.templates ? *options.templates : planner::TemplateSet::builtin();
  auto oldApps =
      planner::render(before.topology, templates, loadedBefore->inventory, options.render);
  if (!oldApps) {
    return refuse(
        409, "the stored topology " + version + " does not render: " + oldApps.error().message);
  }

  const topology::Host* host = nullptr;
  for (const auto& h : before.topology.hosts) {
    if (h.name == request.host) host = &h;
  }
  std::string group = request.group;
  if (group.empty() && host != nullptr) {
    std::vector<std::string> placing;
    for (const auto& g : before.topology.osdGroups) {
      auto placed = topology::resolvePlacement(before.topology, g.placement);
      if (std::find(placed.begin(), placed.end(), host) != placed.end()) {
        placing.push_back(g.serviceId);
      }
    }
    if (placing.size() != 1) {
      return refuse(400, std::to_string(placing.size()) + " osd groups place host " +
                             ceph_planner::quoted(request.host) + (placing.empty() ? "" : " (") +
                             joinStrings(placing, ", ") + (placing.empty() ? "" : ")") +
                             ": name one in 'group'");
    }
    group = placing.front();
  }

  OsdFlexResult result;
  result.host = request.host;
  result.devicePath = path;
  result.group = group;
  result.fromVersion = record->version;
  result.toVersion = record->version;

  // Idempotent: the device already is an OSD of that host.
  if (auto existing = osdAppsOf(*oldApps, request.host, path); !existing.empty()) {
    for (const auto* app : existing) {
      auto id = planner::identityFromLabels(*app);
      result.slots.push_back(id->slot);
      result.appIds.push_back(app->id);
      if (!id->osdGroup.empty()) result.group = id->osdGroup;
    }
    OsdFlexOutcome out;
    out.result = std::move(result);
    return out;
  }
  topology::OsdDeviceRequest editRequest{request.host, request.device, group};
  auto edit = topology::addOsdDevice(record->yaml, editRequest);
  if (!edit) return refuse(statusFor(edit.error().code), edit.error().message);
  // A filter group finds devices in the host's inventory; without an inline list that is the
  // stored `inventory/<host>`, which this edit does not write. Explicit paths need no inventory.
  const topology::OsdGroup* chosen = nullptr;
  for (const auto& og : before.topology.osdGroups) {
    if (og.serviceId == group) chosen = &og;
  }
  if (!edit->inlineInventory && chosen != nullptr && !chosen->dataDevices.isExplicit()) {
    return refuse(409, "host " + ceph_planner::quoted(request.host) +
                           " has no inline 'devices:' list and " + ceph_planner::quoted(path) +
                           " is not among the devices of its stored inventory: refresh it with "
                           "`ceph-planner inventory --cluster " +
                           options.cluster + " --host " + request.host +
                           "` (osd flexup does not write inventories)");
  }
  if (!edit->changed) {
    return refuse(409, ceph_planner::quoted(path) + " is already in the topology of host " +
                           ceph_planner::quoted(request.host) + " but group " +
                           ceph_planner::quoted(group) +
                           " makes no OSD of it (do its filters match the device?)");
  }
  auto loadedAfter = engine::loadTopologyWithStoredInventory(edit->yaml, &store);
  if (!loadedAfter) {
    return refuse(statusFor(loadedAfter.error().code), loadedAfter.error().message);
  }
  const topology::ParsedTopology& after = loadedAfter->parsed;
  if (!after.ok()) {
    return refuse(422, "adding " + what + " makes the topology invalid",
                  errorsOf(after.diagnostics));
  }
  auto newApps = planner::render(after.topology, templates, loadedAfter->inventory, options.render);
  if (!newApps) {
    return refuse(422, "adding " + what + " does not render: " + newApps.error().message);
  }

  // Exactly the device's OSD app(s) appear; nothing else changes.
  const topology::OsdGroup* g = nullptr;
  for (const auto& og : after.topology.osdGroups) {
    if (og.serviceId == group) g = &og;
  }
  const size_t expected = g == nullptr ? 1 : static_cast<size_t>(std::max(1, g->osdsPerDevice));
  auto created = osdAppsOf(*newApps, request.host, path);
  std::vector<std::string> difference = renderDifference(*oldApps, *newApps);
  if (created.empty()) {
    return refuse(409, "group " + ceph_planner::quoted(group) + " makes no OSD of " +
                           ceph_planner::quoted(path) + " on host " +
                           ceph_planner::quoted(request.host) +
                           " (do its filters match the device?)");
  }
  if (created.size() != expected || difference.size() != expected) {
    return refuse(409,
                  "adding " + what + " would change more than its " + std::to_string(expected) +
                      " new OSD app(s): " + std::to_string(difference.size()) +
                      " difference(s); edit the topology and apply it instead",
                  difference);
  }
  for (const auto* app : created) {
    result.slots.push_back(planner::identityFromLabels(*app)->slot);
    result.appIds.push_back(app->id);
  }

  store::PutRequest put;
  put.yaml = edit->yaml;
  put.author = options.author;
  put.message = "flexup: osd " + request.host + ":" + path + " (api)";
  put.expected.version = record->version;
  auto stored = store.putTopology(options.cluster, put);
  if (!stored) {
    return refuse(statusFor(stored.error().code), stored.error().message);
  }
  result.changed = true;
  result.toVersion = stored->version;
  result.changes = edit->changes;
  result.textPreserving = edit->textPreserving;
  OsdFlexOutcome out;
  out.result = std::move(result);
  return out;
}

HttpResponse osdFlexResponse(const OsdFlexOutcome& outcome) {
  if (!outcome.result) {
    nlohmann::json j = {{"error", outcome.error.message}};
    if (!outcome.error.details.empty()) j["details"] = outcome.error.details;
    return HttpResponse{outcome.error.httpStatus, "application/json", j.dump() + "\n"};
  }
  const OsdFlexResult& r = *outcome.result;
  nlohmann::json j = {{"kind", "osd"},
                      {"host", r.host},
                      {"device", r.devicePath},
                      {"group", r.group},
                      {"slot", r.slots.empty() ? "" : r.slots.front()},
                      {"slots", r.slots},
                      {"appId", r.appIds.empty() ? "" : r.appIds.front()},
                      {"appIds", r.appIds},
                      {"changed", r.changed},
                      {"fromVersion", r.fromVersion},
                      {"toVersion", r.toVersion}};
  if (r.changed) {
    j["edits"] = r.changes;
    j["commentsKept"] = r.textPreserving;
  }
  return HttpResponse{r.changed ? 202 : 200, "application/json", j.dump() + "\n"};
}

}  // namespace ceph_planner::daemon
