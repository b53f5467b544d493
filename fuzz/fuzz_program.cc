// See fuzz_program.h.
#include "fuzz/fuzz_program.h"

#include <cstdlib>
#include <string>
#include <vector>

namespace gilbench::fuzz {

std::unique_ptr<vm::Interpreter> LoadProgram(const uint8_t* data, size_t size,
                                             const gil::GilConfig& gil_config) {
  std::string error;
  std::unique_ptr<gil::Gil> gil = gil::MakeGil(gil_config, &error);
  if (!gil) std::abort();  // a bad configuration is the target's bug, not the input's
  auto interp =
      std::make_unique<vm::Interpreter>(std::move(gil), std::vector<std::string>{"fuzz.py"});
  if (!interp->Load(Source(data, size), "fuzz.py", &error)) return nullptr;
  return interp;
}

}  // namespace gilbench::fuzz
