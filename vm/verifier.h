// The verifier: checks a code object before it runs, so that the interpreter can trust it.
//
// It rejects unknown opcodes, truncated operands, jump targets that are not instruction starts,
// operands out of range or of the wrong type for their kind in opcodes.def (a local, constant,
// name, global, comparison, code object, defaults, keyword names, flag), stack underflow, paths
// that reach the same instruction with different stack depths, and code that can fall off its end.
// It computes each code object's max_stack on the way, and verifies nested code objects too.
#pragma once

#include <string>

#include "vm/code.h"

namespace gilbench::vm {

// Verifies `code` (and the code objects among its constants) against a global table of
// `nglobals` slots. Sets code->max_stack. On failure returns false with a one-line reason.
bool Verify(CodeObj* code, size_t nglobals, std::string* error);

}  // namespace gilbench::vm
