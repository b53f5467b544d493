// The exception table's look-up and structural checks (vm/exception_table.h).
#include "vm/exception_table.h"

#include <gtest/gtest.h>

#include <vector>

namespace gilbench::vm {
namespace {

TEST(ExceptionTableTest, FindsTheEntryCoveringAnOffset) {
  // Two handlers side by side (an inner range splits an outer one), a gap, then a third.
  const std::vector<ExceptionHandler> table = {
      {0, 10, 100, 0}, {10, 20, 200, 1}, {20, 30, 100, 0}, {40, 50, 300, 2}};
  EXPECT_EQ(FindExceptionHandler(table, 0)->target, 100u);
  EXPECT_EQ(FindExceptionHandler(table, 9)->target, 100u);
  EXPECT_EQ(FindExceptionHandler(table, 10)->target, 200u);
  EXPECT_EQ(FindExceptionHandler(table, 19)->depth, 1);
  EXPECT_EQ(FindExceptionHandler(table, 29)->target, 100u);
  EXPECT_EQ(FindExceptionHandler(table, 30), nullptr);
  EXPECT_EQ(FindExceptionHandler(table, 39), nullptr);
  EXPECT_EQ(FindExceptionHandler(table, 45)->target, 300u);
  EXPECT_EQ(FindExceptionHandler(table, 50), nullptr);
  EXPECT_EQ(FindExceptionHandler({}, 0), nullptr);
}

TEST(ExceptionTableTest, ChecksRangesAndTargets) {
  EXPECT_EQ(ExceptionTableProblem({}, 10), nullptr);
  EXPECT_EQ(ExceptionTableProblem({{0, 5, 5, 0}, {5, 8, 9, 0}}, 10), nullptr);
  EXPECT_STREQ(ExceptionTableProblem({{5, 5, 0, 0}}, 10), "empty exception range");
  EXPECT_STREQ(ExceptionTableProblem({{0, 6, 8, 0}, {5, 7, 8, 0}}, 10),
               "exception ranges overlap or are unsorted");
  EXPECT_STREQ(ExceptionTableProblem({{5, 7, 8, 0}, {0, 2, 8, 0}}, 10),
               "exception ranges overlap or are unsorted");
  EXPECT_STREQ(ExceptionTableProblem({{0, 11, 8, 0}}, 10),
               "exception range past the end of the code");
  EXPECT_STREQ(ExceptionTableProblem({{0, 5, 10, 0}}, 10),
               "exception handler past the end of the code");
}

}  // namespace
}  // namespace gilbench::vm
