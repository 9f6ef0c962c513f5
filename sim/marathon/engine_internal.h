#pragma once

// Private records of `Engine`, shared by its implementation files only.

#include "sim/marathon/engine.h"

namespace ceph_planner::marathon_sim {

struct Engine::AppRecord {
  JsonPtr def;  // Normalised, with version and versionInfo; never null.
  AppParams p;
  std::vector<std::string> versionOrder;    // Oldest first.
  std::map<std::string, JsonPtr> versions;  // Shares `def` for the current version.
  double delaySeconds = 0;
  TimePoint delayUntil{};
  std::optional<Json> lastTaskFailure;
  std::optional<TimePoint> queuedSince;
  int pendingLaunch = 0;
  std::map<std::string, int> rejects;
  int processedOffers = 0;
  int unusedOffers = 0;
  std::optional<TimePoint> lastUnusedOfferAt;
  std::optional<TimePoint> lastUsedOfferAt;
  std::string restartingBy;  // Deployment running a RestartApplication for this app.
};

// A group's state at one version: the apps beneath it and every group id with its dependencies.
struct Engine::GroupSnapshot {
  std::vector<JsonPtr> apps;
  Json groups;  // [{id, dependencies}]
};

struct Engine::GroupRecord {
  std::string id;
  std::vector<std::string> dependencies;
  std::string version;
  bool enforceRole = false;
  std::vector<std::pair<std::string, GroupSnapshot>> versions;  // After group-API changes.
};

// What a request wants the world to look like for the apps it names.
struct Engine::Change {
  std::map<std::string, std::optional<Json>> apps;  // Normalised defs; nullopt = remove.
  std::set<std::string> restarts;                   // Forced restarts (restart endpoint).
  std::map<std::string, std::vector<std::string>> groupUpserts;  // id → dependencies.
  std::set<std::string> groupRemovals;
  std::set<std::string> sentenced;  // Task ids killed by kill-and-scale.
  std::set<std::string> snapshotGroups;
};

struct Engine::Prepared {
  Change change;
  Deployment deployment;
  std::map<std::string, JsonPtr> stamped;  // Final defs of new/changed apps.
  std::set<std::string> configChanged;
  std::vector<std::string> cancel;
};

inline Millis secondsToMillis(double s) {
  return Millis(static_cast<int64_t>(s * 1000));
}

}  // namespace ceph_planner::marathon_sim
