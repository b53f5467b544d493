// Tests of how a compile-time error is printed (vm/syntax_error.h), where the source line itself
// needs care.
#include "vm/syntax_error.h"

#include <gtest/gtest.h>

#include <string>

namespace gilbench::vm {
namespace {

// A line holding a NUL byte shows the text before it, as CPython 3.12 does (3.11 misreads the
// file), so the message that follows it is never cut short.
TEST(SyntaxErrorTest, LineWithNulByteShownUpToIt) {
  using std::string_literals::operator""s;
  std::string source = "x = 1\ny = 2\0 z\nw = 3\n"s;
  SyntaxErrorInfo error;
  error.message = "source code cannot contain null bytes";
  error.line = 2;
  EXPECT_EQ(FormatSyntaxError("prog.py", source, error),
            "  File \"prog.py\", line 2\n"
            "    y = 2\n"
            "SyntaxError: source code cannot contain null bytes\n");
}

}  // namespace
}  // namespace gilbench::vm
