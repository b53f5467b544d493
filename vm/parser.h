// The parser: source text to a Module (see ast.h), or a SyntaxErrorInfo.
//
// A recursive-descent parser over the lexer's tokens, with precedence climbing for binary
// operators. Everything outside the subset of docs/language.md is rejected here with a
// SyntaxError that names the construct ("class definitions are not supported").
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "vm/ast.h"
#include "vm/syntax_error.h"

namespace gilbench::vm {

// Parses `source` (the text of `filename`). Returns true and fills `module` on success; returns
// false and fills `error` otherwise. Never crashes on any input (running out of memory throws
// std::bad_alloc).
bool Parse(std::string_view source, std::string_view filename, Module* module,
           SyntaxErrorInfo* error);

// Receives the top-level statements of a module one at a time, in order.
using StatementSink = std::function<void(StmtPtr)>;

// Parse, one top-level statement at a time: each goes to `take` as soon as it is parsed, and
// neither its tokens nor its tree stay behind, so that a module of any length parses in the
// memory of its largest statement -- and a statement's blocks stay encoded (ast_codec.h), so that
// the largest, a function of a million lines, is a few bytes per source byte until it compiles. On
// a syntax error returns false with `error` filled -- possibly after handing over statements before
// it, and possibly for an error in front of them (a lexical error reported late, a deferred one
// such as 'break' outside loop).
bool ParseEach(std::string_view source, std::string_view filename, const StatementSink& take,
               SyntaxErrorInfo* error);

}  // namespace gilbench::vm
