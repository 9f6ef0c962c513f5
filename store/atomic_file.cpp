#include "store/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "store/record_codec.h"

namespace ceph_planner::store {
namespace {

Error ioError(const std::string& what, const std::string& path) {
  return makeError(ErrorCode::Internal, what + " '" + path + "' failed: " + std::strerror(errno));
}

std::string parentOf(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status fsyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ioError("open directory", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return ioError("fsync directory", dir);
  return okStatus();
}

}  // namespace

Status makeDirs(const std::string& dir, unsigned mode) {
  if (dir.empty()) return okStatus();
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return okStatus();
    return makeError(ErrorCode::Internal, "'" + dir + "' exists and is not a directory");
  }
  if (const auto parent = parentOf(dir); parent != dir) {
    if (auto s = makeDirs(parent, mode); !s) return s;
  }
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) return ioError("mkdir", dir);
  return okStatus();
}

Status writeFileAtomic(const std::string& path, const std::string& data, unsigned mode) {
  auto id = randomId();
  if (!id) return id.error();
  const std::string dir = parentOf(path);
  const std::string tmp = dir + "/.tmp-" + *id;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return ioError("create", tmp);
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto err = ioError("write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return err;
    }
    done += size_t(n);
  }
  if (::fsync(fd) != 0) {
    auto err = ioError("fsync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return err;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto err = ioError("rename onto", path);
    ::unlink(tmp.c_str());
    return err;
  }
  return fsyncDir(dir);
}

Result<std::string> readFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return makeError(ErrorCode::NotFound, "'" + path + "' does not exist");
    if (errno == EACCES) {
      return makeError(ErrorCode::PermissionDenied, "no permission to read '" + path + "'");
    }
    return ioError("open", path);
  }
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto err = ioError("read", path);
      ::close(fd);
      return err;
    }
    if (n == 0) break;
    out.append(buf, size_t(n));
  }
  ::close(fd);
  return out;
}

Status removeFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ioError("unlink", path);
  return okStatus();
}

Result<std::vector<std::string>> listDir(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return out;
    return ioError("opendir", dir);
  }
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    out.emplace_back(e->d_name);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

Result<FileLock> FileLock::acquire(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return ioError("open lock file", path);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    auto err = ioError("flock", path);
    ::close(fd);
    return err;
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // Closing releases the flock.
}

}  // namespace ceph_planner::store
