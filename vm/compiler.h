// The compiler: a parsed Module to a tree of code objects.
//
// Names are resolved here, once: a function's parameters and the names it assigns (minus those
// declared `global`) are local slots; every other name is a slot in the interpreter's global
// table, where the builtins also live. The compiler fuses the common sequences into
// superinstructions as it emits them (see opcodes.def).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vm/ast.h"
#include "vm/code.h"
#include "vm/syntax_error.h"

namespace gilbench::vm {

// Compiles `module`. `global_names` is the interpreter's global table: names are looked up and
// appended there. On success stores a new reference to the module's code in *out.
bool Compile(const Module& module, std::string_view filename,
             std::vector<std::string>* global_names, CodeObj** out, SyntaxErrorInfo* error);

}  // namespace gilbench::vm
