// Tests of the step limit (Interpreter::set_step_limit), the fuzz target's guard against
// programs that never end: counted at eval-breaker checks (backward jumps and calls) under py2,
// whose breaker is always set.
#include <gtest/gtest.h>

#include <string>

#include "gil/gil.h"
#include "vm/interpreter.h"

namespace gilbench::vm {
namespace {

// Runs `source` under py2 with the given step limit (0: none); returns whether it ran to the end,
// and its error text otherwise.
bool RunWithStepLimit(const std::string& source, uint64_t step_limit, std::string* error) {
  gil::GilConfig config;
  config.policy = "py2";
  auto gil = gil::MakeGil(config, error);
  EXPECT_NE(gil, nullptr) << *error;
  Interpreter interp(std::move(gil), {"step_limit_test.py"});
  EXPECT_TRUE(interp.Load(source, "step_limit_test.py", error)) << *error;
  interp.set_step_limit(step_limit);
  return interp.RunModule(error);
}

constexpr char kLimitError[] = "RuntimeError: step limit of 1000 eval-breaker checks exceeded\n";

TEST(StepLimitTest, StopsAnEndlessLoop) {
  std::string error;
  EXPECT_FALSE(RunWithStepLimit("while True:\n    pass\n", 1000, &error));
  EXPECT_TRUE(error.ends_with(kLimitError)) << error;
}

TEST(StepLimitTest, CountsCalls) {
  // 2**40 calls and no loop: only the calls' checks can stop it.
  const char* source =
      "def f(n):\n"
      "    if n == 0:\n"
      "        return 1\n"
      "    return f(n - 1) + f(n - 1)\n"
      "x = f(40)\n";
  std::string error;
  EXPECT_FALSE(RunWithStepLimit(source, 1000, &error));
  EXPECT_TRUE(error.ends_with(kLimitError)) << error;
}

TEST(StepLimitTest, ProgramWithinTheLimitRunsToTheEnd) {
  std::string error;
  EXPECT_TRUE(RunWithStepLimit("for i in range(900):\n    pass\n", 1000, &error)) << error;
}

TEST(StepLimitTest, NoLimitByDefault) {
  std::string error;
  EXPECT_TRUE(RunWithStepLimit("for i in range(100000):\n    pass\n", 0, &error)) << error;
}

}  // namespace
}  // namespace gilbench::vm
