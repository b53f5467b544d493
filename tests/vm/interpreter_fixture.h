// A fixture for unit tests that call the runtime directly: an interpreter under the default GIL
// policy and its main thread's ThreadState, for helpers that need a `ts` to raise into.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "gil/gil.h"
#include "vm/interpreter.h"

namespace gilbench::vm::test_support {

// The default policy's GIL; a failure to build it fails the test.
inline std::unique_ptr<gil::Gil> NewGil() {
  std::string error;
  std::unique_ptr<gil::Gil> gil = gil::MakeGil(gil::GilConfig{}, &error);
  EXPECT_NE(gil, nullptr) << error;
  return gil;
}

class InterpreterTest : public ::testing::Test {
 protected:
  InterpreterTest() : interp_(NewGil(), {"t.py"}), ts_(&interp_, interp_.main_thread()) {}

  Interpreter interp_;
  ThreadState ts_;
};

}  // namespace gilbench::vm::test_support
