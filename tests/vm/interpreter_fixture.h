// A fixture for unit tests that call the runtime directly: an interpreter under the default GIL
// policy and its main thread's ThreadState, for helpers that need a `ts` to raise into.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "gil/gil.h"
#include "gil/lock_stats.h"
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

// A whole program's run under a policy: its status, stdout, the lock statistics and, on asking,
// the statistics' JSON and the trace.
struct ProgramRun {
  int status = -1;
  std::string out;
  gil::LockThreadStats locks;
  std::string stats_json;
  std::string trace_json;  // empty unless traced
};

inline ProgramRun RunProgram(const std::string& source, const std::string& policy = "py3",
                             int64_t switch_interval_us = 5000, bool trace = false) {
  gil::GilConfig config;
  config.policy = policy;
  config.switch_interval_us = switch_interval_us;
  config.trace = trace;
  std::string error;
  auto gil = gil::MakeGil(config, &error);
  EXPECT_NE(gil, nullptr) << error;
  ProgramRun run;
  Interpreter interp(std::move(gil), {"program.py"});
  EXPECT_TRUE(interp.Load(source, "program.py", &error)) << error;
  testing::internal::CaptureStdout();
  run.status = interp.RunMain();
  run.out = testing::internal::GetCapturedStdout();
  run.locks = interp.gil().TotalStats().locks;
  run.stats_json = interp.gil().StatsJson();
  if (trace) run.trace_json = interp.gil().TraceJson();
  return run;
}

}  // namespace gilbench::vm::test_support
