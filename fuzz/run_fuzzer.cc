// libFuzzer target: any bytes as a program, compiled and run (single-threaded) within a budget.
// A finding is a crash or an ASan/UBSan report while running bytecode; an uncaught Python error
// is a normal outcome.
//
// The budget: under py2 (whose eval breaker is always set) the interpreter's step limit stops a
// program after kStepLimit backward jumps and calls, so an endless loop or call tree is not a
// finding. What a step cannot bound -- one native call over a huge range, one huge allocation --
// is left to libFuzzer's -timeout, -rss_limit_mb and -malloc_limit_mb, which scripts/fuzz runs in
// fork mode so that they skip the input instead of ending the run. Memory leaks are not findings
// here (see __asan_default_options): the VM counts references without a cycle collector, so
// `x = []; x.append(x)` leaks by design.
//
// Programs that name the os, time, threading or concurrent (.futures) modules are compiled but
// not run: they could block (time.sleep, os.read on an empty pipe, join, a future's result),
// close the fuzzer's own fds or start threads whose interleaving would make a finding
// irreproducible.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_program.h"
#include "vm/lexer.h"

namespace {

constexpr uint64_t kStepLimit = 20000;

// Whether the source uses a module that could block or touch the process (see above): those can
// only be imported by name, so any NAME token that spells one is enough to skip the run.
bool NamesAnUnsafeModule(std::string_view source) {
  static constexpr std::array<std::string_view, 4> kUnsafe = {"os", "time", "threading",
                                                              "concurrent"};
  for (const gilbench::vm::Token& token : gilbench::vm::Tokenize(source).tokens) {
    if (token.kind != gilbench::vm::TokenKind::kName) continue;
    for (std::string_view name : kUnsafe) {
      if (token.text == name) return true;
    }
  }
  return false;
}

}  // namespace

// LeakSanitizer off by default in this target (ASAN_OPTIONS=detect_leaks=1 turns it back on to
// look at one input): a reference cycle is never freed, by design. The compile target keeps it.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gilbench::gil::GilConfig config;
  config.policy = "py2";                     // the step limit counts at its always-set breaker
  config.check_interval = int64_t{1} << 40;  // one thread: no point in dropping the GIL
  auto interp = gilbench::fuzz::LoadProgram(data, size, config);
  if (!interp || NamesAnUnsafeModule(gilbench::fuzz::Source(data, size))) return 0;
  interp->set_step_limit(kStepLimit);
  std::string error;
  (void)interp->RunModule(&error);
  return 0;
}
