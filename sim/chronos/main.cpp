// chronos-sim: a Chronos 3.x API simulator. See docs/chronos-sim.md.
//
//   chronos-sim --listen 127.0.0.1:PORT [--time-scale X] [--seed N] [--exec --sandbox DIR]
//               [--failure-retry-ms MS] [--disable-after-failures N]

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "sim/chronos/exec_executor.h"
#include "sim/chronos/sim_server.h"

namespace {

using ceph_planner::chronos_sim::ChronosSim;
using ceph_planner::chronos_sim::ChronosSimOptions;
using ceph_planner::chronos_sim::ExecExecutor;

constexpr const char* kUsage =
    "usage: chronos-sim --listen 127.0.0.1:PORT [--time-scale X] [--seed N]\n"
    "                   [--exec --sandbox DIR] [--failure-retry-ms MS]\n"
    "                   [--disable-after-failures N]\n";

int gStopPipe[2] = {-1, -1};

void onStopSignal(int signal) {
  unsigned char byte = static_cast<unsigned char>(signal);
  ssize_t ignored = write(gStopPipe[1], &byte, 1);  // Async-signal-safe.
  (void)ignored;
}

int fail(const std::string& message) {
  std::cerr << "chronos-sim: " << message << "\n" << kUsage;
  return 2;
}

// `--name value` or `--name=value`; `--exec` is the only value-less flag.
bool parseArgs(int argc, char** argv, std::map<std::string, std::string>* flags,
               std::string* error) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      *error = "unexpected argument '" + arg + "'";
      return false;
    }
    std::string name = arg.substr(2);
    std::string value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (name == "exec" || name == "help") {
      value = "true";
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      *error = "flag '--" + name + "' needs a value";
      return false;
    }
    (*flags)[name] = value;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  std::string error;
  if (!parseArgs(argc, argv, &flags, &error)) return fail(error);
  if (flags.count("help") > 0) {
    std::cout << kUsage;
    return 0;
  }
  static const char* kKnown[] = {"listen",
                                 "time-scale",
                                 "seed",
                                 "exec",
                                 "sandbox",
                                 "failure-retry-ms",
                                 "disable-after-failures"};
  for (const auto& [name, value] : flags) {
    bool known = false;
    for (const char* k : kKnown) known = known || name == k;
    if (!known) return fail("unknown flag '--" + name + "'");
  }
  ChronosSimOptions options;
  try {
    std::string listen = flags.count("listen") > 0 ? flags["listen"] : "127.0.0.1:0";
    size_t colon = listen.rfind(':');
    if (colon == std::string::npos) return fail("--listen wants HOST:PORT, got '" + listen + "'");
    options.host = listen.substr(0, colon);
    options.port = std::stoi(listen.substr(colon + 1));
    if (flags.count("time-scale") > 0) options.timeScale = std::stod(flags["time-scale"]);
    if (flags.count("seed") > 0) options.seed = std::stoull(flags["seed"]);
    if (flags.count("failure-retry-ms") > 0) {
      options.engine.failureRetryMillis = std::stoll(flags["failure-retry-ms"]);
    }
    if (flags.count("disable-after-failures") > 0) {
      options.engine.disableAfterFailures = std::stoll(flags["disable-after-failures"]);
    }
  } catch (const std::exception&) {
    return fail("a numeric flag has a non-numeric value");
  }
  if (options.timeScale <= 0) return fail("--time-scale must be positive");
  if (flags.count("exec") > 0) {
    if (flags.count("sandbox") == 0 || flags["sandbox"].empty()) {
      return fail("--exec needs --sandbox DIR");
    }
    std::string sandbox = flags["sandbox"];
    options.makeExecutor = [sandbox] { return std::make_unique<ExecExecutor>(sandbox); };
  }

  // SIGTERM/SIGINT: the handler (on whichever thread gets the signal; libraries may have started
  // threads before main) writes the signal number into a pipe that main waits on.
  if (pipe(gStopPipe) != 0) return fail("cannot create the stop pipe");
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);

  auto sim = ChronosSim::start(options);
  if (!sim) {
    std::cerr << "chronos-sim: " << sim.error().message << "\n";
    return 1;
  }
  std::cout << "chronos-sim listening on " << (*sim)->baseUrl() << std::endl;
  unsigned char signal = 0;
  while (read(gStopPipe[0], &signal, 1) < 0 && errno == EINTR) {
  }
  (*sim)->stop();
  std::cout << "chronos-sim stopped (signal " << static_cast<int>(signal) << ")" << std::endl;
  return 0;
}
