// The disassembler behind `gilvm --dis`: one line per instruction, nested code objects after
// their parent. The operands' annotations come from their kinds in opcodes.def: no opcode is
// spelled here.
#pragma once

#include <string>

#include "vm/code.h"

namespace gilbench::vm {

// The listing of `code` and of every code object among its constants, with `global_names` to
// annotate LOAD_GLOBAL / STORE_GLOBAL.
std::string Disassemble(const CodeObj& code, const std::vector<std::string>& global_names);

}  // namespace gilbench::vm
