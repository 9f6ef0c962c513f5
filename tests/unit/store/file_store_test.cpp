#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "store/atomic_file.h"
#include "store/file_topology_store.h"
#include "store/record_codec.h"
#include "tests/unit/store/store_cases.h"

namespace ceph_planner::store {
namespace {

std::vector<std::string>& createdDirs() {
  static std::vector<std::string> dirs;
  return dirs;
}

std::string makeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "cp-store-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  createdDirs().push_back(tmpl);
  return tmpl;
}

class RemoveTempDirs : public ::testing::Environment {
 public:
  void TearDown() override {
    for (const auto& d : createdDirs()) std::filesystem::remove_all(d);
  }
};
[[maybe_unused]] auto* const kRemoveTempDirs =
    ::testing::AddGlobalTestEnvironment(new RemoveTempDirs());

struct FileStoreFactory {
  static TopologyStorePtr make() {
    FileStoreOptions options;
    options.root = makeTempDir() + "/store";
    options.pollInterval = std::chrono::milliseconds(20);
    auto store = FileTopologyStore::open(options);
    if (!store) return nullptr;
    return std::move(*store);
  }
};

}  // namespace

namespace testing {
using FileStoreTypes = ::testing::Types<FileStoreFactory>;
INSTANTIATE_TYPED_TEST_SUITE_P(File, TopologyStoreContract, FileStoreTypes);
}  // namespace testing

namespace {

TEST(FileTopologyStore, EmptyRootIsInvalidInput) {
  EXPECT_ERROR_CODE(FileTopologyStore::open(FileStoreOptions{}), ErrorCode::InvalidInput);
}

TEST(FileTopologyStore, SecretsAreOwnerOnly) {
  const std::string root = makeTempDir();
  auto store = FileTopologyStore::open({root, std::chrono::milliseconds(20), nullptr});
  ASSERT_OK(store);
  ASSERT_OK((*store)->putSecretIfAbsent("c1", "fsid", "x"));
  struct stat st {};
  ASSERT_EQ(::stat((root + "/clusters/c1/secrets/fsid").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((root + "/clusters/c1/secrets").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(FileTopologyStore, UncommittedHistoryEntryIsIgnoredAndOverwritten) {
  const std::string root = makeTempDir();
  auto store = FileTopologyStore::open({root, std::chrono::milliseconds(20), nullptr});
  ASSERT_OK(store);
  ASSERT_OK((*store)->putTopology("c1", {"a: 1\n", "alice", "", {0}}));
  // Simulate a crash between writing history v2 and the current pointer.
  auto committed = readFile(root + "/clusters/c1/topology");
  ASSERT_OK(committed);
  ASSERT_OK(writeFileAtomic(root + "/clusters/c1/history/" + historyName(2), *committed, 0600));
  auto history = (*store)->listHistory("c1");
  ASSERT_OK(history);
  EXPECT_EQ(history->size(), 1u);
  EXPECT_ERROR_CODE((*store)->getTopologyVersion("c1", 2), ErrorCode::NotFound);
  auto put = (*store)->putTopology("c1", {"a: 2\n", "bob", "", {1}});
  ASSERT_OK(put);
  auto v2 = (*store)->getTopologyVersion("c1", 2);
  ASSERT_OK(v2);
  EXPECT_EQ(v2->yaml, "a: 2\n");
}

TEST(FileTopologyStore, CorruptedRecordIsAnErrorNotData) {
  const std::string root = makeTempDir();
  auto store = FileTopologyStore::open({root, std::chrono::milliseconds(20), nullptr});
  ASSERT_OK(store);
  ASSERT_OK((*store)->putTopology("c1", {"a: 1\n", "alice", "", {0}}));
  auto text = readFile(root + "/clusters/c1/topology");
  ASSERT_OK(text);
  std::string tampered = *text;
  tampered.replace(tampered.find("a: 1"), 4, "a: 2");
  ASSERT_OK(writeFileAtomic(root + "/clusters/c1/topology", tampered, 0600));
  EXPECT_ERROR_CODE((*store)->getTopology("c1"), ErrorCode::Internal);
}

TEST(FileTopologyStore, TwoStoresOnOneDirectoryShareCas) {
  const std::string root = makeTempDir();
  auto a = FileTopologyStore::open({root, std::chrono::milliseconds(20), nullptr});
  auto b = FileTopologyStore::open({root, std::chrono::milliseconds(20), nullptr});
  ASSERT_OK(a);
  ASSERT_OK(b);
  ASSERT_OK((*a)->putTopology("c1", {"a: 1\n", "alice", "", {0}}));
  auto lost = (*b)->putTopology("c1", {"b: 1\n", "bob", "", {0}});
  EXPECT_ERROR_CODE(lost, ErrorCode::Conflict);
  EXPECT_EQ(lost.error().message,
            "topology changed since you planned (v0 → v1) by alice; re-run plan");
}

}  // namespace
}  // namespace ceph_planner::store
