// The lexer: source bytes to Tokens, CPython 3.11's way (INDENT/DEDENT from a stack of indentation
// columns, implicit line joining inside brackets, blank and comment-only lines dropped).
//
// The whole input is tokenized up front, but a lexical error does not stop the parser at once: the
// token list ends in a kError token at the point of the error. CPython tokenizes lazily, so a
// syntax error earlier in the file wins over a lexical error later; the parser reproduces that by
// reporting the lexical error only when it reaches the kError token (or when its own error is the
// generic "invalid syntax", which CPython also overrides with any tokenizer error in the file).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vm/syntax_error.h"
#include "vm/token.h"

namespace gilbench::vm {

struct LexOptions {
  int first_line = 1;  // line number of the first byte of `source`
  int first_col = 0;   // column of the first byte (only the first line is shifted)
  // Lex the text of an f-string replacement field: no NEWLINE/INDENT/DEDENT at all, as if the
  // whole text sat inside parentheses.
  bool fstring_expr = false;
};

// How a lexical error competes with a parser error found earlier in the file. After a parser
// error CPython tokenizes the rest of the file, and some tokenizer errors replace the parser's.
enum class LexErrorWeight : uint8_t {
  kOverrides,  // errors CPython's tokenizer raises itself (strings, numbers, characters, brackets)
  kUnclosedBracket,  // "'(' was never closed": replaces parser errors on later lines only
  kQuiet,            // indentation and continuation errors: only when the parser reaches them
};

struct LexResult {
  std::vector<Token> tokens;  // ends with kEndMarker, or with kError when `ok` is false
  bool ok = true;
  SyntaxErrorInfo error;  // when !ok: what the kError token stands for
  LexErrorWeight weight = LexErrorWeight::kOverrides;
};

// Tokenizes `source`. Never throws; any byte sequence gives either tokens or an error.
LexResult Tokenize(std::string_view source, const LexOptions& options = {});

// Decodes the escapes of a str (or, with `bytes`, a bytes) literal body as CPython does: the
// known escapes, octal and \x/\u/\U codes (as UTF-8), unknown escapes kept with their backslash.
// Returns false with `error` set to CPython's message on a malformed escape.
bool DecodeEscapes(std::string_view body, bool bytes, std::string* out, std::string* error);

// True for Python's reserved words (not the soft keywords `match`, `case`, `_`).
bool IsKeyword(std::string_view name);

}  // namespace gilbench::vm
