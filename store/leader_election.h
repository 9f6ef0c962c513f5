#pragma once

// `LeaderElection`: one candidate in the election of `clusters/<name>/leader/` (an ephemeral
// sequential node per candidate; the lowest sequence number leads; each follower watches only its
// predecessor, so a leader's exit wakes exactly one candidate).
//
// Safety rule: leadership is dropped *before* anyone is told. `isLeader()` turns false at once
// (on the client library's own thread) when the session is disconnected or expired; `onLost` runs
// afterwards. A disconnect shorter than the session timeout therefore also costs leadership for
// its duration: the candidate keeps its node and becomes leader again after reconnecting if it is
// still the lowest. This is stricter than "lost only on expiry" on purpose: with an explicitly
// closed or expired session another candidate may lead before this client hears about it.

#include <functional>
#include <memory>
#include <string>

#include "common/result.h"

namespace ceph_planner::store {

struct LeaderCallbacks {
  // Called once per gain, on a store-owned thread; may call the store.
  std::function<void()> onGained;
  // Called once per loss (after `isLeader()` already returns false), same thread as `onGained`.
  std::function<void()> onLost;
};

class LeaderElection {
 public:
  virtual ~LeaderElection() = default;

  // Joins the election (creates this candidate's node). Returns once the node exists; leadership
  // may be gained right away or later (`onGained`). Calling it again while joined is a no-op.
  // Errors: `Unavailable`/`Timeout` (ZooKeeper unreachable), `PermissionDenied`.
  virtual Status start() = 0;

  // True only while this candidate is the leader and its session is connected.
  virtual bool isLeader() const = 0;

  // Leaves the election: drops leadership first (`onLost` if it was leading), then deletes the
  // node. Idempotent. Also done by the destructor.
  virtual void stop() = 0;

  // The candidate's identity as stored in its node (for logs and `status`).
  virtual const std::string& candidateId() const = 0;
};

using LeaderElectionPtr = std::unique_ptr<LeaderElection>;

}  // namespace ceph_planner::store
