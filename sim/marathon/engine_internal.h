#pragma once

// Private records of `Engine`, shared by its implementation files only.

#include "sim/marathon/engine.h"

namespace ceph_planner::marathon_sim {

struct Engine::AppRecord {
  Json def;  // Normalised, with version and versionInfo.
  AppParams p;
  std::vector<std::string> versionOrder;  // Oldest first.
  std::map<std::string, Json> versions;
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

struct Engine::GroupRecord {
  std::string id;
  std::vector<std::string> dependencies;
  std::string version;
  bool enforceRole = false;
  std::vector<std::pair<std::string, Json>> versions;  // Snapshots after group-API changes.
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
  std::map<std::string, Json> stamped;  // Final defs of new/changed apps.
  std::set<std::string> configChanged;
  std::vector<std::string> cancel;
};

inline Millis secondsToMillis(double s) {
  return Millis(static_cast<int64_t>(s * 1000));
}

}  // namespace ceph_planner::marathon_sim
