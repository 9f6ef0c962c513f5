#pragma once

// Fixture for the Marathon API contract: every test talks HTTP to a base URL. By default a fresh
// in-process marathon-sim (port 0, time scale 50) serves each test; set CP_MARATHON_URL to run the
// same assertions against another server (e.g. a FakeMarathon) instead.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "http_test_client.h"

namespace ceph_planner::marathon_contract {

using Json = nlohmann::json;
using testing_http::Reply;

class MarathonContract : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  Reply call(const std::string& method, const std::string& target, const std::string& body = "",
             const std::map<std::string, std::string>& headers = {});
  Reply get(const std::string& t) { return call("GET", t); }
  Reply post(const std::string& t, const Json& b) { return call("POST", t, b.dump()); }
  Reply put(const std::string& t, const Json& b) { return call("PUT", t, b.dump()); }
  Reply patch(const std::string& t, const Json& b) { return call("PATCH", t, b.dump()); }
  Reply del(const std::string& t) { return call("DELETE", t); }
  static Json body(const Reply& r);

  // Polls until `/v2/deployments` is empty; false on timeout.
  bool waitIdle(int timeoutMs = 15000);
  // Polls until the deployment with `id` is gone.
  bool waitDeployment(const std::string& id, int timeoutMs = 15000);
  // Polls `GET /v2/apps/{id}` until `pred(app)` holds.
  bool waitApp(const std::string& id, const std::function<bool(const Json&)>& pred,
               int timeoutMs = 15000);

  std::string base_;

 private:
  struct Server;
  std::shared_ptr<Server> server_;
};

// A minimal valid app.
Json simpleApp(const std::string& id, int instances = 1);

}  // namespace ceph_planner::marathon_contract
