#include "sim/common/exec_spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace ceph_planner::sim {
namespace {

std::string errnoText(int err) {
  return std::generic_category().message(err);
}

bool isExecutableFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Resolves `name` the way execvp would, but against the CHILD's `PATH`, not ours.
Result<std::string> resolveExecutable(const std::string& name, const EnvMap& env) {
  if (name.find('/') != std::string::npos) return name;
  auto it = env.find("PATH");
  const std::string path = it == env.end() ? kChildDefaultPath : it->second;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    const std::string dir = path.substr(start, end - start);
    if (!dir.empty()) {
      const std::string candidate = dir + "/" + name;
      if (isExecutableFile(candidate)) return candidate;
    }
    start = end + 1;
  }
  return makeError(ErrorCode::InvalidInput,
                   "executable '" + name + "' not found in PATH '" + path + "'");
}

// Owns the posix_spawn attribute objects so every return path destroys them.
class SpawnSetup {
 public:
  SpawnSetup() {
    ::posix_spawnattr_init(&attr_);
    ::posix_spawn_file_actions_init(&actions_);
  }
  ~SpawnSetup() {
    ::posix_spawnattr_destroy(&attr_);
    ::posix_spawn_file_actions_destroy(&actions_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  posix_spawnattr_t attr_;
  posix_spawn_file_actions_t actions_;
};

int addOutput(posix_spawn_file_actions_t* actions, int target, const std::string& path, int fd) {
  if (!path.empty()) {
    return ::posix_spawn_file_actions_addopen(actions, target, path.c_str(),
                                              O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  if (fd >= 0) return ::posix_spawn_file_actions_adddup2(actions, fd, target);
  return ::posix_spawn_file_actions_addopen(actions, target, "/dev/null", O_WRONLY, 0);
}

}  // namespace

Result<EnvMap> buildChildEnv(const EnvMap& extra, const std::string& sandbox) {
  EnvMap env{{"PATH", kChildDefaultPath}, {"HOME", sandbox}, {"LANG", "C.UTF-8"}};
  for (const auto& [key, value] : extra) {
    if (key.empty() || key.find('=') != std::string::npos || key.find('\0') != std::string::npos) {
      return makeError(ErrorCode::InvalidInput, "invalid environment variable name '" + key + "'");
    }
    if (value.find('\0') != std::string::npos) {
      return makeError(ErrorCode::InvalidInput,
                       "environment variable '" + key + "' contains a NUL byte");
    }
    env[key] = value;
  }
  return env;
}

Result<pid_t> spawnInNewSession(const SpawnRequest& request) {
  const bool hasShell = !request.shellCommand.empty();
  const bool hasArgv = !request.argv.empty();
  if (hasShell == hasArgv) {
    return makeError(ErrorCode::InvalidInput,
                     "exactly one of a shell command or an argv must be given");
  }
  if (request.workDir.empty()) {
    return makeError(ErrorCode::InvalidInput, "a working directory is required");
  }

  std::vector<std::string> args =
      hasShell ? std::vector<std::string>{"/bin/sh", "-c", request.shellCommand} : request.argv;
  std::string executable = "/bin/sh";
  if (hasArgv) {
    auto resolved = resolveExecutable(args[0], request.env);
    if (!resolved) return resolved.error();
    executable = *resolved;
  }

  // Everything the child needs is built before spawning: the child side runs no code of ours.
  std::vector<char*> argvPtrs;
  for (auto& arg : args) argvPtrs.push_back(arg.data());
  argvPtrs.push_back(nullptr);
  std::vector<std::string> envStrings;
  for (const auto& [key, value] : request.env) envStrings.push_back(key + "=" + value);
  std::vector<char*> envPtrs;
  for (auto& entry : envStrings) envPtrs.push_back(entry.data());
  envPtrs.push_back(nullptr);

  SpawnSetup setup;
  sigset_t emptyMask;
  sigemptyset(&emptyMask);
  sigset_t allSignals;
  sigfillset(&allSignals);
  int rc = ::posix_spawnattr_setflags(
      &setup.attr_, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  if (rc == 0) rc = ::posix_spawnattr_setsigmask(&setup.attr_, &emptyMask);
  if (rc == 0) rc = ::posix_spawnattr_setsigdefault(&setup.attr_, &allSignals);
  // chdir first, so relative output paths are relative to the working directory.
  if (rc == 0)
    rc = ::posix_spawn_file_actions_addchdir_np(&setup.actions_, request.workDir.c_str());
  if (rc == 0) {
    rc = ::posix_spawn_file_actions_addopen(&setup.actions_, 0, "/dev/null", O_RDONLY, 0);
  }
  if (rc == 0) rc = addOutput(&setup.actions_, 1, request.stdoutPath, request.stdoutFd);
  if (rc == 0) rc = addOutput(&setup.actions_, 2, request.stderrPath, request.stderrFd);
  if (rc == 0) rc = ::posix_spawn_file_actions_addclosefrom_np(&setup.actions_, 3);
  if (rc != 0) {
    return makeError(ErrorCode::Internal, "failed to prepare the spawn: " + errnoText(rc));
  }

  pid_t pid = -1;
  rc = ::posix_spawn(&pid, executable.c_str(), &setup.actions_, &setup.attr_, argvPtrs.data(),
                     envPtrs.data());
  if (rc != 0) {
    // glibc reports failures of the child's file actions and of execve here.
    return makeError(ErrorCode::Internal, "failed to start '" + executable + "' in '" +
                                              request.workDir + "': " + errnoText(rc));
  }
  return pid;
}

bool signalGroup(pid_t pgid, int signal) {
  // kill(0, …) and kill(-1, …) would hit our own group or every process we may signal.
  if (pgid <= 1) return false;
  return ::kill(-pgid, signal) == 0;
}

int openPidFd(pid_t pid) {
#ifdef SYS_pidfd_open
  const long fd = ::syscall(SYS_pidfd_open, pid, 0);
  return fd < 0 ? -1 : static_cast<int>(fd);
#else
  (void)pid;
  return -1;
#endif
}

std::string ExitStatus::describe() const {
  if (!signaled) return "exited with status " + std::to_string(exitCode);
  const char* abbrev = ::sigabbrev_np(signal);
  return "killed by signal " + std::to_string(signal) +
         (abbrev != nullptr ? std::string(" (SIG") + abbrev + ")" : std::string());
}

ExitStatus decodeWaitStatus(int status) {
  ExitStatus result;
  if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    result.exitCode = WEXITSTATUS(status);
  }
  return result;
}

std::optional<ExitStatus> reapIfExited(pid_t pid) {
  siginfo_t info{};
  int rc;
  do {
    rc = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return ExitStatus{};  // ECHILD: reaped by someone else; the status is lost.
  if (info.si_pid == 0) return std::nullopt;

  // The leader is a zombie now, so its pid (= the group id) cannot be reused yet: clean up the
  // rest of the group before reaping.
  signalGroup(pid, SIGKILL);
  int status = 0;
  pid_t waited;
  do {
    waited = ::waitpid(pid, &status, 0);
  } while (waited < 0 && errno == EINTR);
  if (waited != pid) return ExitStatus{};
  return decodeWaitStatus(status);
}

}  // namespace ceph_planner::sim
