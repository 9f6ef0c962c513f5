#pragma once

// gtest helpers that print the carried error when a `Result` is not what the test expected.
// Include only from tests.

#include <gtest/gtest.h>

#include "common/result.h"

#define CP_RESULT_MESSAGE_(r) ((r).has_value() ? std::string("ok") : (r).error().toString())

#define ASSERT_OK(expr)                                                           \
  do {                                                                            \
    const auto& cp_r_ = (expr);                                                   \
    ASSERT_TRUE(cp_r_.has_value()) << #expr << ": " << CP_RESULT_MESSAGE_(cp_r_); \
  } while (0)

#define EXPECT_OK(expr)                                                           \
  do {                                                                            \
    const auto& cp_r_ = (expr);                                                   \
    EXPECT_TRUE(cp_r_.has_value()) << #expr << ": " << CP_RESULT_MESSAGE_(cp_r_); \
  } while (0)

#define EXPECT_ERROR_CODE(expr, expected_code)                                  \
  do {                                                                          \
    const auto& cp_r_ = (expr);                                                 \
    ASSERT_FALSE(cp_r_.has_value()) << #expr << ": expected an error";          \
    EXPECT_EQ(cp_r_.error().code, (expected_code)) << cp_r_.error().toString(); \
  } while (0)
