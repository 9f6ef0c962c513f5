// Renders every example topology and checks the result three ways: against golden files (one JSON
// file per app, `CP_UPDATE_GOLDEN=1` rewrites them), against Marathon's AppDefinition.json schema
// with valijson, and against Marathon's PathId rules.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "common/strings.h"
#include "common/testing.h"
#include "planner/app_json.h"
#include "planner/render.h"
#include "render_fixtures.h"
#include "topology/parse.h"

namespace ceph_planner::planner {
namespace {

namespace fs = std::filesystem;
using testing::readRepoFile;

const char* const kExamples[] = {"local", "production"};

DesiredState renderExample(const std::string& name) {
  auto parsed = topology::loadTopology(readRepoFile("examples/" + name + ".yaml"));
  std::string problems;
  for (const auto& d : parsed.diagnostics) problems += d.toString(name + ".yaml") + "\n";
  EXPECT_TRUE(parsed.ok()) << problems;
  auto state = render(parsed.topology, TemplateSet::builtin());
  EXPECT_TRUE(state.has_value()) << (state ? "" : state.error().toString());
  return state ? std::move(state).value() : DesiredState{};
}

// `/ceph/prod1/osd/stor01-s00` → `osd_stor01-s00.json` (relative to the group).
std::string goldenName(const DesiredState& state, const AppSpec& app) {
  std::string rel = app.id.substr(state.groupId.size() + 1);
  std::replace(rel.begin(), rel.end(), '/', '_');
  return rel + ".json";
}

TEST(ExamplesGoldenTest, RenderedAppsMatchGoldenFiles) {
  const bool update = std::getenv("CP_UPDATE_GOLDEN") != nullptr &&
                      std::string(std::getenv("CP_UPDATE_GOLDEN")) == "1";
  for (const char* example : kExamples) {
    SCOPED_TRACE(example);
    DesiredState state = renderExample(example);
    ASSERT_FALSE(state.apps.empty());
    const fs::path dir = fs::path(CP_SOURCE_DIR) / "tests/testdata/render" / example;
    std::set<std::string> expectedFiles;
    if (update) {
      fs::remove_all(dir);
      fs::create_directories(dir);
    }
    for (const auto& app : state.apps) {
      const std::string name = goldenName(state, app);
      expectedFiles.insert(name);
      const std::string json = appToJson(app, /*pretty=*/true) + "\n";
      if (update) {
        std::ofstream(dir / name) << json;
        continue;
      }
      std::ifstream in(dir / name);
      ASSERT_TRUE(in) << "missing golden file " << (dir / name)
                      << " (run with CP_UPDATE_GOLDEN=1 to create it)";
      std::string golden((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(json, golden) << "app " << app.id << " differs from " << (dir / name)
                              << " (CP_UPDATE_GOLDEN=1 rewrites it)";
    }
    std::set<std::string> actualFiles;
    for (const auto& entry : fs::directory_iterator(dir)) {
      actualFiles.insert(entry.path().filename().string());
    }
    EXPECT_EQ(actualFiles, expectedFiles) << "stale or missing golden files in " << dir;
  }
}

TEST(ExamplesGoldenTest, ExampleShapes) {
  DesiredState prod = renderExample("production");
  size_t mons = 0, mgrs = 0, osds = 0, rgws = 0;
  for (const auto& app : prod.apps) {
    const std::string role = findKeyValue(app.labels, kLabelRole)->str();
    mons += role == "mon";
    mgrs += role == "mgr";
    osds += role == "osd";
    rgws += role == "rgw";
  }
  EXPECT_EQ(prod.groupId, "/ceph/prod1");
  EXPECT_EQ(mons, 3u);
  EXPECT_EQ(mgrs, 2u);
  EXPECT_EQ(osds, 120u);
  EXPECT_EQ(rgws, 1u);

  DesiredState local = renderExample("local");
  for (const auto& app : local.apps) {
    EXPECT_FALSE(app.container.has_value()) << app.id << ": the local example runs on the host";
  }
}

class SchemaValidator {
 public:
  SchemaValidator() {
    nlohmann::json doc =
        nlohmann::json::parse(readRepoFile("third_party/marathon-schema/AppDefinition.json"));
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
    valijson::adapters::NlohmannJsonAdapter adapter(doc);
    parser.populateSchema(adapter, schema_);
  }

  // Empty when valid; otherwise every violation with its JSON path.
  std::string violations(const std::string& json) const {
    nlohmann::json doc = nlohmann::json::parse(json);
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter adapter(doc);
    if (validator.validate(schema_, adapter, &results)) return "";
    std::string out;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      out += joinStrings(error.context, "") + ": " + error.description + "\n";
    }
    return out.empty() ? "invalid" : out;
  }

 private:
  valijson::Schema schema_;
};

const SchemaValidator& validator() {
  static const SchemaValidator v;
  return v;
}

TEST(ExamplesSchemaTest, EveryAppOfEveryExampleValidates) {
  for (const char* example : kExamples) {
    DesiredState state = renderExample(example);
    ASSERT_FALSE(state.apps.empty());
    for (const auto& app : state.apps) {
      EXPECT_EQ(validator().violations(appToJson(app)), "") << example << ": " << app.id;
    }
  }
}

TEST(ExamplesSchemaTest, EveryAppOfBothRuntimesValidates) {
  for (auto runtime : {topology::Runtime::Docker, topology::Runtime::Host}) {
    auto state = render(testing::smallTopology(runtime), TemplateSet::builtin());
    ASSERT_OK(state);
    for (const auto& app : state->apps) {
      EXPECT_EQ(validator().violations(appToJson(app)), "") << app.id;
    }
  }
}

// The schema check must be able to fail: a field the schema forbids or a wrong value is caught.
TEST(ExamplesSchemaTest, SchemaRejectsBrokenApps) {
  DesiredState state = renderExample("production");
  ASSERT_FALSE(state.apps.empty());
  AppSpec app = state.apps.front();
  app.id = "/ceph/prod1/mon/Bad_Host";
  EXPECT_NE(validator().violations(appToJson(app)), "");
  app = state.apps.front();
  app.constraints.push_back({"hostname", "NEAR", "x"});
  EXPECT_NE(validator().violations(appToJson(app)), "");
  nlohmann::json doc = nlohmann::json::parse(appToJson(state.apps.front()));
  doc["portDefinitions"] = nlohmann::json::array({{{"port", 3300}, {"name", "Msgr2"}}});
  EXPECT_NE(validator().violations(doc.dump()), "");
  doc = nlohmann::json::parse(appToJson(state.apps.front()));
  doc["unknownField"] = true;
  EXPECT_NE(validator().violations(doc.dump()), "");
}

TEST(ExamplesIdTest, EveryIdPassesMarathonPathIdRules) {
  const std::regex segment(
      R"(^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])|(\.|\.\.)$)");
  for (const char* example : kExamples) {
    DesiredState state = renderExample(example);
    ASSERT_FALSE(state.apps.empty());
    for (const auto& app : state.apps) {
      ASSERT_EQ(app.id.rfind(state.groupId + "/", 0), 0u) << app.id;
      const auto parts = splitString(std::string_view(app.id).substr(1), '/');
      for (const auto& part : parts) {
        EXPECT_TRUE(std::regex_match(part, segment)) << example << ": " << app.id;
      }
      const std::string& last = parts.back();
      EXPECT_TRUE(last != "restart" && last != "tasks" && last != "versions" && last != "." &&
                  last != "..")
          << app.id;
    }
  }
}

}  // namespace
}  // namespace ceph_planner::planner
