// OSD flexup end to end inside one process: the API router (auth, body parsing), addOsd over a
// real file store, and what the store holds afterwards.

#include "daemon/osd_flexup.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/testing.h"
#include "daemon/api.h"
#include "store/file_topology_store.h"
#include "topology/parse.h"

namespace ceph_planner::daemon {
namespace {

namespace fs = std::filesystem;

std::string readExample(const std::string& name) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/examples/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Forwards to a file store; `racePut` makes the next putTopology lose a race against another
// writer (that writer's put lands first).
class RacingStore final : public store::TopologyStore {
 public:
  explicit RacingStore(store::TopologyStore& inner) : inner_(inner) {}
  bool racePut = false;

  Result<store::TopologyRecord> getTopology(const std::string& c) override {
    return inner_.getTopology(c);
  }
  Result<store::TopologyRecord> putTopology(const std::string& c,
                                            const store::PutRequest& r) override {
    if (racePut) {
      racePut = false;
      auto current = inner_.getTopology(c);
      if (!current) return current.error();
      auto other = inner_.putTopology(
          c, {current->yaml + "# touched\n", "someone@else", "race", {current->version}});
      if (!other) return other.error();
    }
    return inner_.putTopology(c, r);
  }
  Result<std::vector<store::TopologyVersionInfo>> listHistory(const std::string& c) override {
    return inner_.listHistory(c);
  }
  Result<store::TopologyRecord> getTopologyVersion(const std::string& c, int64_t v) override {
    return inner_.getTopologyVersion(c, v);
  }
  Result<store::WatchId> watchTopology(const std::string& c, std::function<void()> f) override {
    return inner_.watchTopology(c, std::move(f));
  }
  void unwatch(store::WatchId id) override { inner_.unwatch(id); }
  Result<std::vector<std::string>> listClusters() override { return inner_.listClusters(); }
  Result<std::string> getSecret(const std::string& c, const std::string& n) override {
    return inner_.getSecret(c, n);
  }
  Result<std::string> putSecretIfAbsent(const std::string& c, const std::string& n,
                                        const std::string& v) override {
    return inner_.putSecretIfAbsent(c, n, v);
  }
  Result<std::vector<std::string>> listSecrets(const std::string& c) override {
    return inner_.listSecrets(c);
  }
  Result<store::OsdBinding> getOsdBinding(const std::string& c, const std::string& h,
                                          const std::string& s) override {
    return inner_.getOsdBinding(c, h, s);
  }
  Status putOsdBinding(const std::string& c, const std::string& h, const std::string& s,
                       const store::OsdBinding& b) override {
    return inner_.putOsdBinding(c, h, s, b);
  }
  Status deleteOsdBinding(const std::string& c, const std::string& h,
                          const std::string& s) override {
    return inner_.deleteOsdBinding(c, h, s);
  }
  Result<std::vector<std::pair<std::string, store::OsdBinding>>> listOsdBindings(
      const std::string& c) override {
    return inner_.listOsdBindings(c);
  }
  Result<std::string> getInventory(const std::string& c, const std::string& h) override {
    return inner_.getInventory(c, h);
  }
  Status putInventory(const std::string& c, const std::string& h, const std::string& j) override {
    return inner_.putInventory(c, h, j);
  }
  Result<std::vector<std::string>> listInventoryHosts(const std::string& c) override {
    return inner_.listInventoryHosts(c);
  }
  Result<std::string> getStatus(const std::string& c) override { return inner_.getStatus(c); }
  Status putStatus(const std::string& c, const std::string& b) override {
    return inner_.putStatus(c, b);
  }

 private:
  store::TopologyStore& inner_;
};

// The router's view of the daemon for OSD flexup: the real addOsd over the store.
class Handlers final : public ApiHandlers {
 public:
  explicit Handlers(store::TopologyStore& s) : store_(s) {}
  int calls = 0;
  HttpResponse health() override { return {}; }
  HttpResponse status() override { return {}; }
  HttpResponse metrics() override { return {}; }
  HttpResponse plan() override { return {}; }
  HttpResponse flex(bool, const FlexRequest&) override { return errorResponse(500, "rgw"); }
  HttpResponse file(const std::string&, const std::string&, const std::string&) override {
    return {};
  }
  HttpResponse osdFlexup(const OsdFlexRequest& request) override {
    ++calls;
    OsdFlexOptions options;
    options.cluster = "box";
    options.author = "daemon-test";
    return osdFlexResponse(addOsd(store_, request, options));
  }

 private:
  store::TopologyStore& store_;
};

constexpr char kToken[] = "t0ken";

class OsdFlexupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cp-osd-flexup-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto s = store::FileTopologyStore::open({dir_.string(), std::chrono::milliseconds(50), {}});
    ASSERT_OK(s);
    file_ = std::move(s).value();
    racing_ = std::make_unique<RacingStore>(*file_);
    handlers_ = std::make_unique<Handlers>(*racing_);
  }
  void TearDown() override {
    handlers_.reset();
    racing_.reset();
    file_.reset();
    fs::remove_all(dir_);
  }

  void put(const std::string& yaml) {
    int64_t current = 0;
    if (auto r = file_->getTopology("box")) current = r->version;
    ASSERT_OK(file_->putTopology("box", {yaml, "test", "v", {current}}));
  }

  HttpResponse post(const std::string& path, const std::string& body,
                    const std::string& auth = std::string("Bearer ") + kToken) {
    HttpRequest r;
    r.method = "POST";
    r.path = path;
    r.body = body;
    r.authorization = auth;
    r.peerAddress = "127.0.0.1";
    return route(r, *handlers_, kToken);
  }

  static nlohmann::json json(const HttpResponse& r) { return nlohmann::json::parse(r.body); }

  fs::path dir_;
  std::unique_ptr<store::FileTopologyStore> file_;
  std::unique_ptr<RacingStore> racing_;
  std::unique_ptr<Handlers> handlers_;
};

const char kBox2Osd1[] =
    R"({"kind":"osd","host":"ceph-box-2","group":"files",
        "device":{"path":"/var/tmp/ceph-planner-box/ceph-box-2/osd1","size":"4G","rotational":true}})";

TEST_F(OsdFlexupTest, AddsTheDeviceThroughTheStoreAndIsIdempotent) {
  const std::string example = readExample("local.yaml");
  put(example);
  auto r = post("/flexup", kBox2Osd1);
  ASSERT_EQ(r.status, 202) << r.body;
  auto j = json(r);
  EXPECT_EQ(j["kind"], "osd");
  EXPECT_EQ(j["host"], "ceph-box-2");
  EXPECT_EQ(j["device"], "/var/tmp/ceph-planner-box/ceph-box-2/osd1");
  EXPECT_EQ(j["slot"], "osd1");
  EXPECT_EQ(j["appId"], "/ceph/box/osd/ceph-box-2-osd1");
  EXPECT_EQ(j["fromVersion"], 1);
  EXPECT_EQ(j["toVersion"], 2);
  EXPECT_EQ(j["changed"], true);
  EXPECT_EQ(j["commentsKept"], true);

  auto stored = file_->getTopology("box");
  ASSERT_OK(stored);
  EXPECT_EQ(stored->version, 2);
  EXPECT_EQ(stored->message,
            "flexup: osd ceph-box-2:/var/tmp/ceph-planner-box/ceph-box-2/osd1 (api)");
  EXPECT_EQ(stored->author, "daemon-test");
  // Comments survive; exactly one line was added.
  EXPECT_NE(stored->yaml.find("# Cluster-in-a-box"), std::string::npos);
  EXPECT_EQ(std::count(stored->yaml.begin(), stored->yaml.end(), '\n'),
            std::count(example.begin(), example.end(), '\n') + 1);
  EXPECT_TRUE(topology::loadTopology(stored->yaml).ok());

  auto again = post("/flexup", kBox2Osd1);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json(again)["changed"], false);
  EXPECT_EQ(json(again)["toVersion"], 2);
  EXPECT_EQ(json(again)["appId"], "/ceph/box/osd/ceph-box-2-osd1");
  EXPECT_EQ(file_->getTopology("box")->version, 2);
}

TEST_F(OsdFlexupTest, AnExistingOsdWithoutGroupIsUnchanged) {
  put(readExample("local.yaml"));
  auto r = post("/flexup", R"({"kind":"osd","host":"ceph-box-1",
                  "device":{"path":"/var/tmp/ceph-planner-box/ceph-box-1/osd0"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["group"], "files");
  EXPECT_EQ(json(r)["changed"], false);
}

TEST_F(OsdFlexupTest, CasConflictIsA409AndWritesNothing) {
  put(readExample("local.yaml"));
  racing_->racePut = true;
  auto r = post("/flexup", kBox2Osd1);
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_NE(json(r)["error"].get<std::string>().find("topology changed since"), std::string::npos)
      << r.body;
  auto stored = file_->getTopology("box");
  ASSERT_OK(stored);
  EXPECT_EQ(stored->version, 2);  // Only the racing writer's version.
  EXPECT_EQ(stored->message, "race");
}

// Two HDDs share two SSDs for their DB; a third HDD needs 2 DB slots per SSD. With `db_slots: 1`
// that is invalid (422); without it the existing OSDs move DB position (409: more than one app).
constexpr char kDbDoc[] = R"(apiVersion: ceph-planner/v1
kind: CephTopology
cluster: { name: box, runtime: host }
networks: { public: [10.0.0.0/8] }
hosts:
  - name: stor01
    public_ip: 10.0.0.1
    devices:
      - { path: /dev/sda, rotational: true, size: 8T }
      - { path: /dev/sdb, rotational: true, size: 8T }
      - { path: /dev/nvme0, rotational: false, size: 1T }
      - { path: /dev/nvme1, rotational: false, size: 1T }
mons: { placement: { hosts: [stor01] } }
mgrs: { placement: { hosts: [stor01] } }
osd_groups:
  - service_id: hdd
    placement: { hosts: [stor01] }
    data_devices: { rotational: true }
    db_devices: { rotational: false }
)";

TEST_F(OsdFlexupTest, ValidationFailureIsA422WithEveryDiagnostic) {
  std::string doc = kDbDoc;
  doc += "    db_slots: 1\n";
  put(doc);
  auto r = post("/flexup", R"({"kind":"osd","host":"stor01","group":"hdd",
                  "device":{"path":"/dev/sdc","size":"8T","rotational":true}})");
  ASSERT_EQ(r.status, 422) << r.body;
  auto j = json(r);
  ASSERT_TRUE(j.contains("details")) << r.body;
  ASSERT_EQ(j["details"].size(), 1u) << r.body;
  EXPECT_NE(j["details"][0].get<std::string>().find("need 3 db devices"), std::string::npos)
      << r.body;
  EXPECT_EQ(file_->getTopology("box")->version, 1);
}

TEST_F(OsdFlexupTest, AnEditThatMovesOtherOsdsIsRefusedWithTheDifference) {
  put(kDbDoc);
  auto r = post("/flexup", R"({"kind":"osd","host":"stor01","group":"hdd",
                  "device":{"path":"/dev/sdc","size":"8T","rotational":true}})");
  ASSERT_EQ(r.status, 409) << r.body;
  auto j = json(r);
  EXPECT_NE(j["error"].get<std::string>().find("would change more than its 1 new OSD app(s)"),
            std::string::npos)
      << r.body;
  std::string details = j["details"].dump();
  EXPECT_NE(details.find("create /ceph/box/osd/stor01-sdc"), std::string::npos) << details;
  EXPECT_NE(details.find("update /ceph/box/osd/stor01-sdb"), std::string::npos) << details;
  EXPECT_EQ(file_->getTopology("box")->version, 1);
}

TEST_F(OsdFlexupTest, RefusalsTable) {
  std::string doc = readExample("local.yaml");
  // ceph-box-3 loses its inline inventory (its devices would come from the store) and gets its
  // OSD from an explicit-paths group instead of the filter group.
  const std::string box3 =
      "    labels: [mon, osd, rgw]\n    public_ip: 127.0.0.4\n    cluster_ip: 127.0.0.4\n"
      "    devices:\n      - { path: /var/tmp/ceph-planner-box/ceph-box-3/osd0, rotational: true, "
      "size: 4G }\n";
  auto at = doc.find(box3);
  ASSERT_NE(at, std::string::npos);
  doc.replace(at, box3.size(),
              "    labels: [mon, rgw]\n    public_ip: 127.0.0.4\n    cluster_ip: 127.0.0.4\n");
  const std::string rgw = "\nrgw:\n";
  doc.replace(doc.find(rgw), rgw.size(),
              "  - service_id: explicit\n    placement: { hosts: [ceph-box-3] }\n"
              "    data_devices: { paths: [/var/tmp/ceph-planner-box/ceph-box-3/osd0] }\n" +
                  rgw);
  put(doc);
  struct Case {
    std::string body;
    int status;
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"({"kind":"osd","host":"ceph-box-9","device":{"path":"/dev/sdq"},"group":"files"})", 404,
       "no host 'ceph-box-9' in the topology (did you mean 'ceph-box-1'?)"},
      {R"({"kind":"osd","host":"ceph-box-3","device":{"path":"/dev/sdq"},"group":"files"})", 400,
       "osd group 'files' does not place host 'ceph-box-3'"},
      {R"({"kind":"osd","host":"ceph-box-2","device":{"path":"/dev/sdq"},"group":"file"})", 404,
       "no osd group 'file' (did you mean 'files'?)"},
      {R"({"kind":"osd","host":"ceph-box-2","device":{"path":"dev/sdq"}})", 400,
       "'device.path' must be absolute"},
      {R"({"kind":"osd","host":"ceph-box-2","device":{"path":"/dev/sdq","size":"big"}})", 400,
       "'device.size' must be a size"},
      {R"({"kind":"osd","host":"ceph-box-2","device":{"path":"/dev/sdq","color":"red"}})", 400,
       "unknown field 'device.color'"},
      {R"({"kind":"osd","device":{"path":"/dev/sdq"}})", 400, "'host' is required"},
  };
  for (const auto& c : cases) {
    auto r = post("/flexup", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    EXPECT_NE(r.body.find(c.message), std::string::npos) << c.body << " -> " << r.body;
  }
  EXPECT_EQ(file_->getTopology("box")->version, 1);
  // An explicit-paths group needs no inventory: the path is added to the group.
  auto r = post("/flexup", R"({"kind":"osd","host":"ceph-box-3","device":{"path":"/dev/sdq"}})");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(json(r)["group"], "explicit");
  EXPECT_EQ(json(r)["appId"], "/ceph/box/osd/ceph-box-3-sdq");
  EXPECT_NE(file_->getTopology("box")->yaml.find(
                "paths: [/var/tmp/ceph-planner-box/ceph-box-3/osd0, /dev/sdq]"),
            std::string::npos)
      << file_->getTopology("box")->yaml;
}

TEST_F(OsdFlexupTest, ADeviceTheFiltersDoNotMatchIsRefused) {
  put(readExample("local.yaml"));
  std::string doc = readExample("local.yaml");
  // The group takes rotational devices only; an SSD is not an OSD of it.
  doc.replace(doc.find("data_devices: { all: true }"),
              std::string("data_devices: { all: true }").size(),
              "data_devices: { rotational: true }");
  put(doc);
  auto r = post("/flexup", R"({"kind":"osd","host":"ceph-box-2","group":"files",
                  "device":{"path":"/dev/nvme0","rotational":false}})");
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("makes no OSD of '/dev/nvme0'"), std::string::npos) << r.body;
  EXPECT_EQ(file_->getTopology("box")->version, 2);
}

// A host without inline devices uses its stored inventory (tests/testdata/ceph_volume/stor01.json:
// 12 HDDs kept): a device of it is already an OSD of the filter group; any other is refused, as
// flexup never writes inventories.
TEST_F(OsdFlexupTest, StoredInventoryHostsAreReadNotWritten) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/tests/testdata/ceph_volume/stor01.json");
  std::stringstream report;
  report << in.rdbuf();
  ASSERT_OK(file_->putInventory("box", "stor01", report.str()));
  put(R"(apiVersion: ceph-planner/v1
kind: CephTopology
cluster: { name: box, runtime: host }
networks: { public: [10.0.0.0/8] }
hosts:
  - name: stor01
    public_ip: 10.0.0.1
mons: { placement: { hosts: [stor01] } }
mgrs: { placement: { hosts: [stor01] } }
osd_groups:
  - service_id: hdd
    placement: { hosts: [stor01] }
    data_devices: { rotational: true }
)");
  auto known = post("/flexup", R"({"kind":"osd","host":"stor01","device":{"path":"/dev/sdk"}})");
  ASSERT_EQ(known.status, 200) << known.body;
  EXPECT_EQ(json(known)["appId"], "/ceph/box/osd/stor01-sdk");
  auto unknown = post("/flexup", R"({"kind":"osd","host":"stor01","device":{"path":"/dev/sdz"}})");
  ASSERT_EQ(unknown.status, 409) << unknown.body;
  EXPECT_NE(unknown.body.find("ceph-planner inventory --cluster box --host stor01"),
            std::string::npos)
      << unknown.body;
  EXPECT_EQ(file_->getTopology("box")->version, 1);
}

TEST_F(OsdFlexupTest, WritesNeedTheTokenAndFlexdownNeverRemovesOsds) {
  put(readExample("local.yaml"));
  EXPECT_EQ(post("/flexup", kBox2Osd1, "").status, 401);
  EXPECT_EQ(post("/flexup", kBox2Osd1, "Bearer wrong").status, 403);
  auto down = post("/flexdown", kBox2Osd1);
  EXPECT_EQ(down.status, 400);
  EXPECT_NE(down.body.find("never removes OSDs"), std::string::npos) << down.body;
  EXPECT_EQ(handlers_->calls, 0);
  EXPECT_EQ(file_->getTopology("box")->version, 1);
}

}  // namespace
}  // namespace ceph_planner::daemon
