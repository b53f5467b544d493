// The parser: source text to a Module (see ast.h), or a SyntaxErrorInfo.
//
// A recursive-descent parser over the lexer's tokens, with precedence climbing for binary
// operators. Everything outside the subset of docs/language.md is rejected here with a
// SyntaxError that names the construct ("class definitions are not supported").
#pragma once

#include <string>
#include <string_view>

#include "vm/ast.h"
#include "vm/syntax_error.h"

namespace gilbench::vm {

// Parses `source` (the text of `filename`). Returns true and fills `module` on success; returns
// false and fills `error` otherwise. Never throws, never crashes on any input.
bool Parse(std::string_view source, std::string_view filename, Module* module,
           SyntaxErrorInfo* error);

}  // namespace gilbench::vm
