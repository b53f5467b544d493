// Tests of loading a program (Interpreter::Load, vm/run.cc) where the source's bytes need care.
#include <gtest/gtest.h>

#include <string>

#include "gil/gil.h"
#include "vm/interpreter.h"

namespace gilbench::vm {
namespace {

// Loads `source`; returns the SyntaxError text, or "" when it compiled.
std::string LoadError(const std::string& source) {
  std::string error;
  auto gil = gil::MakeGil(gil::GilConfig{}, &error);
  EXPECT_NE(gil, nullptr) << error;
  Interpreter interp(std::move(gil), {"prog.py"});
  return interp.Load(source, "prog.py", &error) ? "" : error;
}

// CPython skips a UTF-8 byte order mark at the start of a file; the line shown with an error
// does not carry it either.
TEST(RunTest, LoadSkipsAByteOrderMark) {
  EXPECT_EQ(LoadError("\xef\xbb\xbfx = 1\n"), "");
  EXPECT_EQ(LoadError("\xef\xbb\xbfx = = 1\n"),
            "  File \"prog.py\", line 1\n"
            "    x = = 1\n"
            "        ^\n"
            "SyntaxError: invalid syntax\n");
}

TEST(RunTest, ByteOrderMarkElsewhereIsAnError) {
  EXPECT_EQ(LoadError("x = 1\n\xef\xbb\xbfy = 2\n"),
            "  File \"prog.py\", line 2\n"
            "    \xef\xbb\xbfy = 2\n"
            "    ^\n"
            "SyntaxError: invalid non-printable character U+FEFF\n");
}

}  // namespace
}  // namespace gilbench::vm
