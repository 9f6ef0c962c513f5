#pragma once

// The Mesos fetcher, as marathon-sim `--exec` runs it before a task's `cmd`: every `fetch` URI of
// the app is put into the task's sandbox, in order; the first failure stops the fetch and fails
// the task (Mesos reports such a task as TASK_FAILED with the fetcher's reason).
//
// Per URI:
// - `http://`, `https://` and `ftp://` are downloaded with the `curl` program (the Mesos fetcher
//   uses libcurl): redirects followed, any HTTP status >= 400 is a failure. `file://<abs path>`
//   (empty host or `localhost`) and a bare absolute path are copied. Other schemes fail.
// - The file is named `destPath` when set (relative to the sandbox, parent directories created;
//   absolute paths and `..` are refused) and otherwise the URI's last path segment (query and
//   fragment dropped). An existing file of that name is replaced.
// - `executable: true` sets mode 0755 and skips extraction (as in Mesos).
// - `extract: true` (the schema's default) unpacks `.tar`, `.tar.gz`/`.tgz`, `.tar.bz2`/`.tbz2`,
//   `.tar.xz`/`.txz` (with `tar`) and `.zip` (with `unzip`) into the file's directory and keeps
//   the archive. Other names are left as they are (Mesos ignores `extract` for them too; plain
//   `.gz` decompression is not supported).
// - `cache` is accepted and ignored: every launch downloads again.
// Each download or extraction is bounded by `timeout`; on expiry its process group is killed.
// Downloads leave from `sourceAddress` when it is set (the agent's own address, as a Mesos agent's
// fetcher would: a file server may authorise a request by the agent it comes from).

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "common/result.h"
#include "sim/marathon/model.h"

namespace ceph_planner::marathon_sim {

inline constexpr std::chrono::milliseconds kFetchTimeout{30000};

struct FetchOptions {
  std::chrono::milliseconds timeout = kFetchTimeout;
  std::string sourceAddress;  // Local address downloads connect from; empty = the kernel's choice.
};

// Fetches one URI into `sandbox` (which must exist). Returns the fetched file's path. Errors name
// the URI: `InvalidInput` (scheme, destPath or file name), `NotFound` (a local source is missing),
// `Unavailable` (download failed, with curl's reason), `Timeout`, `Internal` (extraction, I/O).
Result<std::string> fetchUri(const FetchSpec& fetch, const std::string& sandbox,
                             const FetchOptions& options = {});

// Fetches every URI in order, writing one `fetched '<uri>' to '<path>'` line per file to `log`
// (the sandbox's stderr, where the Mesos fetcher's log appears). Stops at the first error, whose
// message starts with `fetch of '<uri>' failed: `.
Status fetchAll(const std::vector<FetchSpec>& fetches, const std::string& sandbox,
                std::ostream& log, const FetchOptions& options = {});

}  // namespace ceph_planner::marathon_sim
