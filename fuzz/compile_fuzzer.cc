// libFuzzer target: any bytes as a program, compiled, verified and disassembled, as `gilvm --dis`
// does. A finding is a crash or a sanitizer report (ASan, UBSan, LeakSanitizer) anywhere in the
// lexer, parser, compiler, verifier or disassembler; a SyntaxError is the normal outcome.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_program.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto interp = gilbench::fuzz::LoadProgram(data, size, gilbench::gil::GilConfig{});
  if (interp) (void)interp->Disassembly();
  return 0;
}
