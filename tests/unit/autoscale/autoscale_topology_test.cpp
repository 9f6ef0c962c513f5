// The `autoscale.tolerance` key this work added to the topology: parsed, defaulted, validated,
// and carried into the policy's parameters. Uses examples/local.yaml as the base document.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "planner/autoscale.h"
#include "topology/parse.h"

namespace ceph_planner::planner {
namespace {

std::string localExample(const std::string& extraAutoscaleLine) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/examples/local.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const std::string anchor = "      cooldown: 1m\n";
  const size_t at = yaml.find(anchor);
  EXPECT_NE(at, std::string::npos) << "examples/local.yaml changed shape";
  if (at != std::string::npos && !extraAutoscaleLine.empty()) {
    yaml.insert(at + anchor.size(), "      " + extraAutoscaleLine + "\n");
  }
  return yaml;
}

std::string errorsOf(const topology::ParsedTopology& parsed) {
  std::string out;
  for (const auto& d : parsed.diagnostics) out += d.path + ": " + d.message + "\n";
  return out;
}

TEST(AutoscaleTopology, ToleranceDefaultsToTenPercent) {
  auto parsed = topology::loadTopology(localExample(""));
  ASSERT_TRUE(parsed.ok()) << errorsOf(parsed);
  const AutoscaleParams p = autoscaleParams(parsed.topology.rgw.at(0).autoscale);
  EXPECT_DOUBLE_EQ(p.tolerance, 0.1);
  EXPECT_EQ(p.upWindow, std::chrono::seconds(30));
  EXPECT_EQ(p.downWindow, std::chrono::seconds(120));
  EXPECT_EQ(p.cooldown, std::chrono::seconds(60));
}

TEST(AutoscaleTopology, ToleranceIsRead) {
  auto parsed = topology::loadTopology(localExample("tolerance: 0.25"));
  ASSERT_TRUE(parsed.ok()) << errorsOf(parsed);
  EXPECT_DOUBLE_EQ(parsed.topology.rgw.at(0).autoscale.tolerance, 0.25);
}

TEST(AutoscaleTopology, ToleranceOutsideZeroToOneIsRejected) {
  for (const char* bad : {"tolerance: 1", "tolerance: -0.1"}) {
    auto parsed = topology::loadTopology(localExample(bad));
    ASSERT_FALSE(parsed.ok()) << bad;
    const std::string errors = errorsOf(parsed);
    EXPECT_NE(errors.find("rgw[0].autoscale.tolerance: must be a ratio in [0, 1)"),
              std::string::npos)
        << errors;
  }
}

}  // namespace
}  // namespace ceph_planner::planner
