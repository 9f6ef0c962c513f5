#pragma once

// Small POSIX file helpers for `FileTopologyStore`: crash-safe replacement of a file, whole-file
// reads, directory listings and an exclusive `flock` guard. Errors carry the path.

#include <string>
#include <vector>

#include "common/result.h"

namespace ceph_planner::store {

// Creates `dir` and its parents with `mode` (existing directories are left alone).
Status makeDirs(const std::string& dir, unsigned mode);

// Replaces `path` with `data` atomically: write a temp file in the same directory, fsync, rename,
// fsync the directory. Readers see the old or the new content, never a mix.
Status writeFileAtomic(const std::string& path, const std::string& data, unsigned mode);

// The whole file; `NotFound` if it does not exist.
Result<std::string> readFile(const std::string& path);

// Removes `path`; absent is fine.
Status removeFile(const std::string& path);

// Names in `dir` that do not start with `.`, sorted; empty if `dir` does not exist.
Result<std::vector<std::string>> listDir(const std::string& dir);

// Holds an exclusive `flock` on `path` (created if missing) for its lifetime.
class FileLock {
 public:
  static Result<FileLock> acquire(const std::string& path);
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace ceph_planner::store
