// Tests of the built-in modules (vm/modules.cc) where gilvm has no CPython to be compared with:
// its sys.setcheckinterval extension (CPython 3 removed it), and values CPython accepts only by
// undefined behaviour (sys.setswitchinterval(1e300) casts an out-of-range double).
#include <gtest/gtest.h>

#include <string>

#include "gil/gil.h"
#include "vm/interpreter.h"

namespace gilbench::vm {
namespace {

struct Outcome {
  int status;
  std::string out;
  std::string last_error_line;  // the last line of stderr
};

Outcome RunProgram(const std::string& source) {
  std::string error;
  auto gil = gil::MakeGil(gil::GilConfig{}, &error);
  EXPECT_NE(gil, nullptr) << error;
  Interpreter interp(std::move(gil), {"prog.py"});
  EXPECT_TRUE(interp.Load(source, "prog.py", &error)) << error;
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  Outcome outcome;
  outcome.status = interp.RunMain();
  outcome.out = testing::internal::GetCapturedStdout();
  std::string err = testing::internal::GetCapturedStderr();
  if (!err.empty() && err.back() == '\n') err.pop_back();
  outcome.last_error_line = err.substr(err.rfind('\n') + 1);
  return outcome;
}

TEST(ModulesTest, SetCheckIntervalTakesPositiveTicks) {
  Outcome ok = RunProgram(
      "import sys\n"
      "sys.setcheckinterval(1)\n"
      "print(sys.getcheckinterval())\n"
      "sys.setcheckinterval(2 ** 62)\n"
      "print(sys.getcheckinterval() == 2 ** 62)\n");
  EXPECT_EQ(ok.status, 0) << ok.last_error_line;
  EXPECT_EQ(ok.out, "1\nTrue\n");
}

// Python 2 took n <= 0 as "every tick"; gilvm used to raise such a value to 1 silently.
TEST(ModulesTest, SetCheckIntervalRefusesZeroAndNegativeTicks) {
  for (const char* value : {"0", "-1", "-9223372036854775807", "False"}) {
    Outcome bad = RunProgram(std::string("import sys\nsys.setcheckinterval(") + value +
                             ")\nprint('never')\n");
    EXPECT_EQ(bad.status, 1) << value;
    EXPECT_EQ(bad.out, "") << value;
    EXPECT_EQ(bad.last_error_line, "ValueError: check interval must be strictly positive") << value;
  }
  Outcome kept = RunProgram(
      "import sys\n"
      "sys.setcheckinterval(7)\n"
      "sys.setcheckinterval(0)\n");
  EXPECT_EQ(kept.last_error_line, "ValueError: check interval must be strictly positive");
}

// The GIL adds the interval to a monotonic clock in int64 nanoseconds: an interval beyond a
// century is refused rather than overflowing there.
TEST(ModulesTest, SetSwitchIntervalRefusesIntervalsBeyondTheClock) {
  for (const char* value : {"1e300", "float('inf')", "4.7e9"}) {
    Outcome bad = RunProgram(std::string("import sys\nsys.setswitchinterval(") + value +
                             ")\nprint('never')\n");
    EXPECT_EQ(bad.status, 1) << value;
    EXPECT_EQ(bad.last_error_line, "OverflowError: switch interval is too large") << value;
  }
  Outcome ok = RunProgram(
      "import sys\n"
      "sys.setswitchinterval(4.5e9)\n"
      "print(sys.getswitchinterval())\n");
  EXPECT_EQ(ok.status, 0) << ok.last_error_line;
  EXPECT_EQ(ok.out, "4500000000.0\n");
}

}  // namespace
}  // namespace gilbench::vm
