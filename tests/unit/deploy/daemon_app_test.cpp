// deploy/ceph-planner-daemon.json: valid against Marathon's AppDefinition.json, and shaped as the
// daemon needs (two instances on distinct hosts, /health check, fixed API port, no secrets).

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace {

nlohmann::json readJson(const std::string& relative) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/" + relative);
  std::stringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str());
}

std::string violations(const nlohmann::json& doc) {
  static const nlohmann::json schemaDoc =
      readJson("third_party/marathon-schema/AppDefinition.json");
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
  valijson::adapters::NlohmannJsonAdapter schemaAdapter(schemaDoc);
  parser.populateSchema(schemaAdapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(doc);
  if (validator.validate(schema, adapter, &results)) return "";
  std::string out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string path;
    for (const auto& p : error.context) path += p;
    out += path + ": " + error.description + "\n";
  }
  return out;
}

TEST(DaemonAppTest, ValidatesAgainstMarathonSchema) {
  EXPECT_EQ(violations(readJson("deploy/ceph-planner-daemon.json")), "");
}

TEST(DaemonAppTest, SchemaCheckCatchesBrokenApps) {
  auto app = readJson("deploy/ceph-planner-daemon.json");
  app["instances"] = "two";
  EXPECT_NE(violations(app), "");
  app = readJson("deploy/ceph-planner-daemon.json");
  app["healthChecks"][0]["protocol"] = "GOPHER";
  EXPECT_NE(violations(app), "");
}

TEST(DaemonAppTest, TwoInstancesOnDistinctHostsWithHealthCheck) {
  auto app = readJson("deploy/ceph-planner-daemon.json");
  EXPECT_EQ(app["instances"], 2);
  EXPECT_EQ(app["constraints"], nlohmann::json::parse(R"([["hostname","UNIQUE"]])"));
  ASSERT_EQ(app["healthChecks"].size(), 1u);
  EXPECT_EQ(app["healthChecks"][0]["protocol"], "MESOS_HTTP");
  EXPECT_EQ(app["healthChecks"][0]["path"], "/health");
  EXPECT_EQ(app["portDefinitions"][0]["port"], 8888);
  EXPECT_TRUE(app["requirePorts"].get<bool>());
  EXPECT_GT(app["cpus"].get<double>(), 0);
  EXPECT_GT(app["mem"].get<double>(), 0);
  // A leader must survive an upgrade: never both instances down at once.
  EXPECT_GT(app["upgradeStrategy"]["minimumHealthCapacity"].get<double>(), 0);
}

TEST(DaemonAppTest, CredentialsOnlyFromFiles) {
  auto app = readJson("deploy/ceph-planner-daemon.json");
  EXPECT_FALSE(app.contains("env"));
  std::string cmd = app["cmd"];
  EXPECT_NE(cmd.find("--api_token_file "), std::string::npos);
  EXPECT_NE(cmd.find("--zk_credentials_file "), std::string::npos);
  EXPECT_EQ(cmd.find("--token"), std::string::npos);
  EXPECT_EQ(cmd.find("password"), std::string::npos);
}

}  // namespace
