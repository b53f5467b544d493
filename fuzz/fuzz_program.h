// What both fuzz targets do with an input: take its bytes as a program's source and compile and
// verify it, as `gilvm --dis` does (and the run target then runs it). Keeping that in one place
// makes both targets load programs exactly as gilvm does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "gil/gil.h"
#include "vm/interpreter.h"

namespace gilbench::fuzz {

// An interpreter under `gil_config` with the input loaded (compiled and verified) into it, or
// null when the input is not a valid program (a SyntaxError: the expected outcome of most inputs).
std::unique_ptr<vm::Interpreter> LoadProgram(const uint8_t* data, size_t size,
                                             const gil::GilConfig& gil_config);

// The input as source text.
inline std::string_view Source(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace gilbench::fuzz
