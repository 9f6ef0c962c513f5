#include "planner/shared_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ceph_planner::planner {
namespace {

using Strings = SharedVector<std::string>;

TEST(SharedVectorTest, CopiesShareUntilOneWrites) {
  Strings a = {"x", "y"};
  Strings b = a;
  EXPECT_EQ(a.payload(), b.payload());
  b[0] = "changed";  // Detaches b only.
  EXPECT_NE(a.payload(), b.payload());
  EXPECT_EQ(a.vector(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(b.vector(), (std::vector<std::string>{"changed", "y"}));
  EXPECT_FALSE(a == b);
}

TEST(SharedVectorTest, EditsThatChangeTheSizeKeepOrderAndLeaveCopiesAlone) {
  Strings a;
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.payload(), nullptr);
  a.push_back("a");
  a.emplace_back("c");
  Strings before = a;
  a.insert(a.begin() + 1, "b");
  EXPECT_EQ(a.vector(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(before.vector(), (std::vector<std::string>{"a", "c"}));
  a.erase(a.begin());
  EXPECT_EQ(a.vector(), (std::vector<std::string>{"b", "c"}));
  a.resize(3);
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a.back(), "");
  a.pop_back();
  a.pop_back();
  a.pop_back();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.payload(), nullptr);
  EXPECT_THROW(a.at(0), std::out_of_range);
}

TEST(SharedVectorTest, ComparesByElementsWhateverTheStorage) {
  Strings a = {"x", "y"};
  Strings b = std::vector<std::string>{"x", "y"};
  EXPECT_NE(a.payload(), b.payload());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, (std::vector<std::string>{"x", "y"}));
  EXPECT_FALSE(a == (std::vector<std::string>{"x"}));
  EXPECT_EQ(Strings(), Strings(std::vector<std::string>{}));
}

TEST(SharedVectorTest, TheLastHolderFreesTheElements) {
  // Under the sanitizer build a leak or a double free here fails the test run.
  auto* a = new Strings{std::string(100, 'a'), std::string(100, 'b')};
  Strings b = *a;
  Strings c = std::move(b);
  delete a;
  EXPECT_EQ(c[1], std::string(100, 'b'));
  c = c;  // NOLINT: self-assignment keeps the elements.
  EXPECT_EQ(c.size(), 2u);
}

}  // namespace
}  // namespace ceph_planner::planner
