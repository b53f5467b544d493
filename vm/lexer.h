// The lexer: source bytes to Tokens, CPython 3.11's way (INDENT/DEDENT from a stack of indentation
// columns, implicit line joining inside brackets, blank and comment-only lines dropped).
//
// A lexical error does not stop the parser at once: the tokens end in a kError token at the point
// of the error. CPython tokenizes lazily, so a
// syntax error earlier in the file wins over a lexical error later; the parser reproduces that by
// reporting the lexical error only when it reaches the kError token (or when its own error is the
// generic "invalid syntax", which CPython also overrides with any tokenizer error in the file).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
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

// `source` without the UTF-8 byte order mark it may start with: CPython skips one when it decodes
// a file (anywhere else U+FEFF is an invalid character).
std::string_view SkipUtf8Bom(std::string_view source);

// Tokenizes `source`. Never throws; any byte sequence gives either tokens or an error.
LexResult Tokenize(std::string_view source, const LexOptions& options = {});

// The tokens of `source`, lexed as the parser asks for them and dropped once it has moved past
// them, so that parsing a file takes memory for the statement at hand, not for every token of
// the file (a token is larger than the bytes it stands for). Indexes count from the first token
// of the input. `source` must outlive the stream.
class TokenStream {
 public:
  explicit TokenStream(std::string_view source, const LexOptions& options = {});
  ~TokenStream();
  TokenStream(const TokenStream&) = delete;
  TokenStream& operator=(const TokenStream&) = delete;

  // The token at `index`, lexing as far as that; past the end, the last token (kEndMarker or
  // kError). Requires: `index` not forgotten. The reference stays valid until Forget drops it.
  // Inline: the parser asks for each token many times.
  const Token& At(size_t index) {
    if (index >= lexed_) return LexUpTo(index);
    return (*chunks_[(index >> kChunkBits) - first_chunk_])[index & (kChunkSize - 1)];
  }
  // Drops the tokens before `index` (never the last one): the parser will not look back there.
  void Forget(size_t index);
  // Lexes the rest of the input, keeping no token, for the lexer's verdict on the whole of it
  // (ok, or the error and its weight); `tokens` is empty. For when parsing is over: At cannot
  // reach the tokens it drops.
  const LexResult& Verdict();

 private:
  struct Impl;  // the lexer, whose class lives in lexer.cc
  const Token& LexUpTo(size_t index);

  // The tokens kept, in chunks of a fixed size: indexing is a shift and a mask, and appending
  // moves no token, so references stay valid.
  static constexpr size_t kChunkBits = 8;
  static constexpr size_t kChunkSize = size_t{1} << kChunkBits;
  using Chunk = std::array<Token, kChunkSize>;
  std::unique_ptr<Impl> impl_;
  std::vector<std::unique_ptr<Chunk>> chunks_;  // chunks_[0] holds tokens from first_chunk_ on
  std::unique_ptr<Chunk> spare_;                // a chunk dropped by Forget, for reuse
  size_t first_chunk_ = 0;
  size_t lexed_ = 0;   // tokens lexed so far: the next token's index
  bool done_ = false;  // the lexer has emitted its last token
};

// Decodes the escapes of a str (or, with `bytes`, a bytes) literal body as CPython does: the
// known escapes, octal and \x/\u/\U codes (as UTF-8), unknown escapes kept with their backslash.
// Returns false with `error` set to CPython's message on a malformed escape.
bool DecodeEscapes(std::string_view body, bool bytes, std::string* out, std::string* error);

// True for Python's reserved words (not the soft keywords `match`, `case`, `_`).
bool IsKeyword(std::string_view name);

}  // namespace gilbench::vm
