// Enforces the module boundaries of DESIGN.md §2 on the source tree: which files may include
// which third-party headers, and that the pure core includes no I/O, clock or thread headers.
// CMake target links give the dependency direction; this test catches includes that links alone
// cannot (every Debian header sits in /usr/include, visible to every target).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct SourceFile {
  std::string path;  // Relative to the repo root, with '/'.
  std::vector<std::string> includes;
};

std::vector<SourceFile> scanSources() {
  std::vector<SourceFile> files;
  const fs::path root = CP_SOURCE_DIR;
  const std::regex includeLine(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  for (const char* dir : {"common", "topology", "planner", "marathon_client", "chronos_client",
                          "store", "ceph", "cli", "daemon", "sim"}) {
    if (!fs::exists(root / dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".h")) continue;
      SourceFile file;
      file.path = fs::relative(entry.path(), root).generic_string();
      std::ifstream in(entry.path());
      std::string line;
      std::smatch m;
      while (std::getline(in, line)) {
        if (std::regex_search(line, m, includeLine)) file.includes.push_back(m[1]);
      }
      files.push_back(std::move(file));
    }
  }
  return files;
}

bool matches(const std::string& path, const std::string& pattern) {
  return std::regex_match(path, std::regex(pattern));
}

struct Rule {
  std::string includePrefix;  // Header prefix, e.g. `yaml-cpp/`.
  std::string allowedFiles;   // Regex over repo-relative paths allowed to include it.
  std::string why;
};

TEST(IncludeRulesTest, ThirdPartyHeadersStayInTheirAdapters) {
  const std::vector<Rule> rules = {
      {"yaml-cpp/", R"(topology/(parse|yaml_[a-z_]+)\.cpp|sim/[a-z_]+/(agents|yaml)[a-z_]*\.cpp)",
       "yaml-cpp only in the topology parser and the simulators' agent-file readers"},
      {"cpprest/",
       R"((marathon_client|chronos_client)/cpprest_[a-z_]+\.cpp|sim/common/http_[a-z_]+\.cpp|daemon/http_[a-z_]+\.cpp)",
       "cpprest only in the HTTP adapters"},
      {"zookeeper/", R"(store/zk_[a-z_]+\.cpp)", "zookeeper.h only in the ZooKeeper store"},
      {"gflags/", R"(cli/(main|flags)\.(cpp|h)|daemon/(main|flags)\.(cpp|h)|sim/[a-z_]+/main\.cpp)",
       "flags are read only in the binaries' wiring"},
      {"valijson/", R"(sim/[a-z_]+/[a-z_]*schema[a-z_]*\.cpp)",
       "schema validation only in the simulator's validator"},
  };
  for (const auto& file : scanSources()) {
    for (const auto& include : file.includes) {
      for (const auto& rule : rules) {
        if (include.rfind(rule.includePrefix, 0) == 0) {
          EXPECT_TRUE(matches(file.path, rule.allowedFiles))
              << file.path << " includes <" << include << ">: " << rule.why;
        }
      }
    }
  }
}

TEST(IncludeRulesTest, HeadersOfThePureCoreAndInterfacesHaveNoThirdPartyIncludes) {
  for (const auto& file : scanSources()) {
    if (!matches(
            file.path,
            R"((common|topology|planner|store|marathon_client|chronos_client|ceph)/[a-z_]+\.h)")) {
      continue;
    }
    // `*_internal.h` belongs to one adapter's .cpp files (checked below), not to an interface.
    if (matches(file.path, R"(.*_internal\.h)")) continue;
    for (const auto& include : file.includes) {
      for (const char* lib : {"yaml-cpp/", "cpprest/", "zookeeper/", "gflags/", "nlohmann/",
                              "valijson/", "boost/", "pplx/"}) {
        EXPECT_NE(include.rfind(lib, 0), 0u) << file.path << " includes <" << include << ">";
      }
    }
  }
}

TEST(IncludeRulesTest, PureCoreDoesNoIoClockOrThreads) {
  for (const auto& file : scanSources()) {
    if (!matches(file.path, R"((topology|planner)/[a-z_]+\.(cpp|h))")) continue;
    if (matches(file.path, R"(planner/reconciler[a-z_]*\.(cpp|h))")) continue;  // Over interfaces.
    for (const auto& include : file.includes) {
      for (const char* banned :
           {"thread", "mutex", "future", "fstream", "filesystem", "common/clock.h", "cpprest/",
            "zookeeper/", "store/", "marathon_client/", "chronos_client/", "cli/", "daemon/"}) {
        EXPECT_NE(include.rfind(banned, 0), 0u)
            << file.path << " (pure core) includes <" << include << ">";
      }
    }
  }
}

TEST(IncludeRulesTest, LowerModulesDoNotIncludeHigherOnes) {
  // common ← topology ← planner ← clients/store ← cli/daemon; the simulators use common only.
  const std::vector<std::pair<std::string, std::string>> forbidden = {
      {"common/",
       R"((topology|planner|store|marathon_client|chronos_client|ceph|cli|daemon|sim)/)"},
      {"topology/", R"((planner|store|marathon_client|chronos_client|ceph|cli|daemon|sim)/)"},
      {"planner/", R"((store|marathon_client|chronos_client|ceph|cli|daemon|sim)/)"},
      {"sim/", R"((topology|planner|store|marathon_client|chronos_client|ceph|cli|daemon)/)"},
  };
  for (const auto& file : scanSources()) {
    for (const auto& [module, banned] : forbidden) {
      if (file.path.rfind(module, 0) != 0) continue;
      for (const auto& include : file.includes) {
        EXPECT_FALSE(std::regex_search(include, std::regex("^" + banned)))
            << file.path << " includes \"" << include << "\" from a module above it";
      }
    }
  }
}

TEST(IncludeRulesTest, InternalHeadersAreIncludedOnlyNextToThem) {
  for (const auto& file : scanSources()) {
    std::string dir = file.path.substr(0, file.path.rfind('/') + 1);
    for (const auto& include : file.includes) {
      if (!matches(include, R"(.*_internal\.h)")) continue;
      std::string includeDir = include.substr(0, include.rfind('/') + 1);
      EXPECT_TRUE(includeDir == dir && matches(file.path, R"(.*\.cpp)"))
          << file.path << " includes the internal header \"" << include << "\" of another module";
    }
  }
}

TEST(IncludeRulesTest, ScannerSeesTheTree) {
  // Guards against a silently empty scan (which would make the rules above vacuous).
  auto files = scanSources();
  bool sawParser = false;
  for (const auto& f : files) sawParser |= f.path == "topology/parse.cpp";
  EXPECT_TRUE(sawParser);
  EXPECT_GT(files.size(), 20u);
}

}  // namespace
