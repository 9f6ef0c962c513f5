#include "ceph/command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace ceph_planner::ceph {
namespace {

using Steady = std::chrono::steady_clock;

std::string errnoText(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// Both ends close-on-exec; the child's ends are dup'ed into place by posix_spawn.
bool makePipe(int fds[2]) {
  return ::pipe2(fds, O_CLOEXEC) == 0;
}

void closeFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// True when `name` can be executed as given or through PATH (posix_spawnp reports a missing
// executable only as exit 127 of the child, which we could not tell from a command's own 127).
bool findExecutable(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (dir.empty()) dir = ".";
    if (::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

class ProcessCommandRunner final : public CommandRunner {
 public:
  Result<CommandOutput> run(const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout) override {
    if (argv.empty()) return makeError(ErrorCode::InvalidInput, "empty command");
    if (!findExecutable(argv[0])) {
      return makeError(ErrorCode::NotFound, "executable '" + argv[0] + "' not found");
    }
    int outPipe[2], errPipe[2];
    if (!makePipe(outPipe)) return makeError(ErrorCode::Internal, errnoText("pipe"));
    if (!makePipe(errPipe)) {
      ::close(outPipe[0]);
      ::close(outPipe[1]);
      return makeError(ErrorCode::Internal, errnoText("pipe"));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);

    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    if (rc != 0) {
      ::close(outPipe[0]);
      ::close(errPipe[0]);
      errno = rc;
      return makeError(ErrorCode::Internal, errnoText(("cannot run '" + argv[0] + "'").c_str()));
    }

    CommandOutput output;
    bool timedOut = drain(outPipe[0], errPipe[0], Steady::now() + timeout, output);
    if (timedOut) ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut) {
      return makeError(ErrorCode::Timeout, "'" + argv[0] + "' did not finish within " +
                                               std::to_string(timeout.count()) + "ms");
    }
    output.exitCode = WIFEXITED(status) ? WEXITSTATUS(status)
                                        : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return output;
  }

 private:
  // Reads both pipes until both reach EOF (returns false) or the deadline passes (returns true).
  static bool drain(int outFd, int errFd, Steady::time_point deadline, CommandOutput& output) {
    int fds[2] = {outFd, errFd};
    std::string* sinks[2] = {&output.out, &output.err};
    char buffer[8192];
    bool timedOut = false;
    while (fds[0] >= 0 || fds[1] >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now());
      if (left.count() <= 0) {
        timedOut = true;
        break;
      }
      pollfd polls[2];
      nfds_t n = 0;
      int which[2];
      for (int i = 0; i < 2; ++i) {
        if (fds[i] < 0) continue;
        polls[n] = pollfd{fds[i], POLLIN, 0};
        which[n++] = i;
      }
      int ready = ::poll(polls, n, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) break;
      for (nfds_t k = 0; k < n; ++k) {
        if (polls[k].revents == 0) continue;
        int i = which[k];
        ssize_t got = ::read(fds[i], buffer, sizeof(buffer));
        if (got > 0) {
          sinks[i]->append(buffer, static_cast<size_t>(got));
        } else if (got == 0 || errno != EINTR) {
          closeFd(fds[i]);
        }
      }
    }
    closeFd(fds[0]);
    closeFd(fds[1]);
    return timedOut;
  }
};

}  // namespace

CommandRunnerPtr makeProcessCommandRunner() {
  return std::make_unique<ProcessCommandRunner>();
}

}  // namespace ceph_planner::ceph
