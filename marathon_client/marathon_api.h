#pragma once

// `MarathonApi`: the slice of Marathon's REST API v2 that ceph-planner needs, as a synchronous
// interface with plain value types. Implementations: `CppRestMarathonClient` (HTTP, in
// cpprest_marathon_client.h) and `FakeMarathon` (in-memory, tests/fakes/fake_marathon.h). Both run
// the same contract suite (tests/contract/marathon_api), so they agree on every behaviour below.
//
// Error codes shared by every method (see docs/marathon-client.md for the full mapping):
// - `Conflict`: HTTP 409, an app is locked by running deployments; the message names the blocking
//   deployment ids in quotes. Retry later or pass `force`.
// - `InvalidInput`: HTTP 400/422; the message quotes Marathon's `details[].path` and `errors`.
// - `NotFound`: HTTP 404 (except where a method says otherwise).
// - `PermissionDenied`: HTTP 401/403 (403 is also Marathon's "too many running deployments").
// - `Unavailable`: HTTP 5xx or the connection failed; retryable.
// - `Timeout`: no answer within the call's deadline; retryable.
// Write methods return as soon as Marathon has stored the deployment plan; completion must be
// observed with `listDeployments`, the app's `deploymentIds` in `getGroup`, or `streamEvents`.

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "common/result.h"
#include "planner/app_spec.h"

namespace ceph_planner::marathon {

// What every deployment-starting call returns (Marathon's `DeploymentResult`).
struct DeploymentRef {
  std::string deploymentId;
  std::string version;  // The new root version, an ISO 8601 timestamp.
};

struct DeploymentAction {
  std::string action;  // StartApplication, ScaleApplication, RestartApplication, StopApplication.
  std::string app;
  bool operator==(const DeploymentAction&) const = default;
};

struct Deployment {
  std::string id;
  std::string version;
  std::vector<std::string> affectedApps;
  int currentStep = 0;  // 1-based; 0 = stored but not started.
  int totalSteps = 0;
  std::vector<DeploymentAction> currentActions;
};

// One `processedOffersSummary.rejectSummaryLastOffers` row with a non-zero `declined` count.
struct RejectReason {
  std::string reason;  // e.g. `UnfulfilledConstraint`, `InsufficientMemory`.
  int declined = 0;
  int processed = 0;
};

// One `/v2/queue` entry: an app with instances Marathon still has to launch.
struct QueueEntry {
  std::string appId;
  int count = 0;              // Instances still to launch.
  bool delayOverdue = false;  // True: waiting for a matching offer; false: in launch backoff.
  int delayTimeLeftSeconds = 0;
  std::string since;
  int processedOffers = 0;
  int unusedOffers = 0;
  std::vector<RejectReason> rejectReasons;  // In Marathon's funnel order, declined > 0 only.
};

struct MarathonInfo {
  std::string name;
  std::string version;
  std::string leader;  // `host:port`; empty when Marathon knows none.
  bool elected = false;
  std::string frameworkId;
};

// Result of `killTasks`.
struct KillResult {
  // Set when `scale` was true (Marathon started a deployment lowering `instances`).
  std::optional<DeploymentRef> deployment;
  // Tasks Marathon reported as killed when `scale` was false.
  std::vector<std::string> killedTaskIds;
};

// One server-sent event from `/v2/events`.
struct MarathonEvent {
  std::string type;  // The SSE `event:` name, e.g. `deployment_success`.
  std::string json;  // The `data:` payload, one JSON object as text.
};

struct EventFilter {
  std::vector<std::string> types;  // Empty = every event type.
};

using EventCallback = std::function<void(const MarathonEvent&)>;

class MarathonApi {
 public:
  virtual ~MarathonApi() = default;

  // Observes every app beneath `groupId` (recursively) with tasks, counts and deployments, in one
  // read. A group that does not exist is NOT an error: it yields `groupExists == false` and no
  // apps. Read-only; safe to retry.
  virtual Result<planner::ObservedState> getGroup(const std::string& groupId) = 0;

  // Creates or replaces app `app.id` with exactly this definition (`partialUpdate=false`: fields
  // absent from the definition return to Marathon's defaults, so the same `app` always yields the
  // same result). Idempotent: re-sending an unchanged definition starts a zero-step deployment.
  // `force` cancels deployments that lock the app instead of failing with `Conflict`.
  virtual Result<DeploymentRef> putApp(const planner::AppSpec& app, bool force) = 0;

  // `putApp` for several apps in ONE deployment (one wave). All or nothing: a validation error on
  // any app rejects the whole batch (`InvalidInput`), a lock on any app gives `Conflict`.
  // Idempotent like `putApp`. `apps` must not be empty (`InvalidInput`).
  virtual Result<DeploymentRef> putApps(const std::vector<planner::AppSpec>& apps, bool force) = 0;

  // Sets only `instances` of an existing app (no restart: the body is `{"instances":N}` alone).
  // Idempotent. For an app that does not exist Marathon validates the body as a new app and
  // rejects it (`InvalidInput`, "must either contain one of 'cmd' or 'args'"); it never creates.
  virtual Result<DeploymentRef> scaleApp(const std::string& appId, int instances, bool force) = 0;

  // Stops and removes an app. Not repeatable: a second call gives `NotFound`. `force=false` (unlike
  // Marathon's own default) fails with `Conflict` while a deployment holds the app.
  virtual Result<DeploymentRef> deleteApp(const std::string& appId, bool force) = 0;

  // Kills the given tasks of `appId`. `scale=true` lowers `instances` by the number killed (a
  // deployment); `scale=false` lets Marathon replace them (an in-place restart). NOT idempotent and
  // never retried by the client: repeating it kills the replacements. Task ids Marathon does not
  // know (already gone, or of an app that does not exist) are skipped without an error; with
  // `scale` and nothing to kill the deployment has zero steps. `InvalidInput` for an empty list or
  // a task id that does not belong to `appId` (checked before anything is sent).
  virtual Result<KillResult> killTasks(const std::string& appId,
                                       const std::vector<std::string>& taskIds, bool scale) = 0;

  // Every running deployment. Read-only. A finished deployment is absent (Marathon keeps no
  // history), so "absent" means done, cancelled or never existed.
  virtual Result<std::vector<Deployment>> listDeployments() = 0;

  // Cancels a deployment. `force=false`: Marathon also starts a deployment reverting its changes,
  // returned here; `force=true`: just stops it (partial effects stay) and returns no deployment.
  // `NotFound` when it is not running (any more).
  virtual Result<std::optional<DeploymentRef>> deleteDeployment(const std::string& id,
                                                                bool force) = 0;

  // Apps waiting for instances to launch, with why offers were declined. Read-only.
  virtual Result<std::vector<QueueEntry>> getQueue() = 0;

  // `/v2/info`. Read-only.
  virtual Result<MarathonInfo> info() = 0;

  // The current leader as `host:port`; `NotFound` when there is none. Read-only.
  virtual Result<std::string> leader() = 0;

  // Follows `/v2/events` and calls `callback` (on the calling thread) for each event matching
  // `filter`, until `stop` is requested, then returns ok. Lost connections are re-opened with
  // backoff; each (re)connection first delivers `event_stream_attached`, which callers must treat
  // as "events may have been missed: re-read state". Returns an error only for failures retrying
  // cannot fix (`PermissionDenied`, `InvalidInput`, `NotFound`).
  virtual Status streamEvents(const EventFilter& filter, const EventCallback& callback,
                              std::stop_token stop) = 0;
};

using MarathonApiPtr = std::unique_ptr<MarathonApi>;

}  // namespace ceph_planner::marathon
