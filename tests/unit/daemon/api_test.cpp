// Routing, write authentication and flex request parsing of the daemon's HTTP API.

#include "daemon/api.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace ceph_planner::daemon {
namespace {

class RecordingHandlers : public ApiHandlers {
 public:
  HttpResponse health() override { return hit("health"); }
  HttpResponse status() override { return hit("status"); }
  HttpResponse metrics() override { return hit("metrics"); }
  HttpResponse plan() override { return hit("plan"); }
  HttpResponse flex(bool up, const FlexRequest& r) override {
    flexes.push_back((up ? "+" : "-") + std::to_string(r.count) + " " + r.service);
    return hit("flex");
  }
  HttpResponse file(const std::string& cluster, const std::string& name,
                    const std::string& peer) override {
    files.push_back(cluster + "/" + name + " from " + peer);
    return hit("file");
  }
  HttpResponse hit(const std::string& what) {
    calls.push_back(what);
    return HttpResponse{200, "text/plain", what};
  }
  std::vector<std::string> calls, flexes, files;
};

HttpRequest get(const std::string& path) {
  HttpRequest r;
  r.method = "GET";
  r.path = path;
  r.peerAddress = "127.0.0.2";
  return r;
}

HttpRequest post(const std::string& path, const std::string& body, const std::string& auth) {
  HttpRequest r;
  r.method = "POST";
  r.path = path;
  r.body = body;
  r.authorization = auth;
  return r;
}

TEST(ApiRouteTest, ReadEndpoints) {
  RecordingHandlers h;
  for (const char* path : {"/health", "/status", "/metrics", "/plan"}) {
    EXPECT_EQ(route(get(path), h, "tok").status, 200) << path;
  }
  EXPECT_EQ(h.calls, (std::vector<std::string>{"health", "status", "metrics", "plan"}));
  EXPECT_EQ(route(get("/nope"), h, "tok").status, 404);
  EXPECT_EQ(route(post("/health", "", ""), h, "tok").status, 405);
}

TEST(ApiRouteTest, WritesNeedTheBearerToken) {
  RecordingHandlers h;
  std::string body = R"({"service":"main","count":2})";
  EXPECT_EQ(route(post("/flexup", body, ""), h, "s3cret").status, 401);
  EXPECT_EQ(route(post("/flexup", body, "Bearer wrong"), h, "s3cret").status, 403);
  EXPECT_EQ(route(post("/flexup", body, "Bearer s3cre"), h, "s3cret").status, 403);
  EXPECT_EQ(route(post("/flexup", body, "Basic s3cret"), h, "s3cret").status, 401);
  // No token configured: the write API is closed.
  EXPECT_EQ(route(post("/flexup", body, "Bearer "), h, "").status, 403);
  EXPECT_TRUE(h.flexes.empty());
  EXPECT_EQ(route(post("/flexup", body, "Bearer s3cret"), h, "s3cret").status, 200);
  EXPECT_EQ(route(post("/flexdown", R"({"service":"main"})", "Bearer s3cret"), h, "s3cret").status,
            200);
  EXPECT_EQ(h.flexes, (std::vector<std::string>{"+2 main", "-1 main"}));
  EXPECT_EQ(route(get("/flexup"), h, "s3cret").status, 405);
}

TEST(ApiRouteTest, FlexBodiesAreValidated) {
  RecordingHandlers h;
  for (const char* body :
       {"", "[]", R"({"service":"main","count":0})", R"({"service":"main","count":101})",
        R"({"count":1})", R"({"service":"main","kind":"osd"})", R"({"service":"main","x":1})",
        R"({"service":3})", R"({"service":"main","count":"2"})"}) {
    auto r = route(post("/flexup", body, "Bearer t"), h, "t");
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_NE(r.body.find("error"), std::string::npos) << body;
  }
  EXPECT_TRUE(h.flexes.empty());
}

TEST(ApiRouteTest, BootstrapFilesAreRoutedWithThePeerAndNeverListed) {
  RecordingHandlers h;
  EXPECT_EQ(route(get("/v1/clusters/box/files/ceph.conf"), h, "").status, 200);
  EXPECT_EQ(h.files, (std::vector<std::string>{"box/ceph.conf from 127.0.0.2"}));
  EXPECT_EQ(route(get("/v1/clusters/box/files"), h, "").status, 404);
  EXPECT_EQ(route(get("/v1/clusters/box/files/"), h, "").status, 404);
  EXPECT_EQ(route(post("/v1/clusters/box/files/ceph.conf", "", ""), h, "").status, 405);
  EXPECT_EQ(h.files.size(), 1u);
}

TEST(ApiRouteTest, ConstantTimeEquals) {
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(constantTimeEquals("abc", ""));
  EXPECT_FALSE(constantTimeEquals("", ""));
}

TEST(ApiRouteTest, ErrorCodesMapToHttpStatuses) {
  EXPECT_EQ(httpStatusFor(ErrorCode::InvalidInput), 400);
  EXPECT_EQ(httpStatusFor(ErrorCode::NotFound), 404);
  EXPECT_EQ(httpStatusFor(ErrorCode::Conflict), 409);
  EXPECT_EQ(httpStatusFor(ErrorCode::Unavailable), 503);
  EXPECT_EQ(httpStatusFor(ErrorCode::Timeout), 504);
}

}  // namespace
}  // namespace ceph_planner::daemon
