// The tokens the lexer hands the parser.
//
// One flat struct rather than a variant: the parser only ever looks at a token's kind, its text
// and its position, and the few literal payloads are cheap to carry around.
#pragma once

#include <cstdint>
#include <string>

namespace gilbench::vm {

enum class TokenKind : uint8_t {
  kEndMarker,  // end of input; always the last token unless kError is
  kNewline,    // end of a logical line
  kIndent,
  kDedent,
  kName,       // identifiers and keywords alike (text); the parser tells them apart
  kInt,        // int_value
  kFloat,      // float_value
  kString,     // one literal; string_kind says str/bytes/f-string
  kImaginary,  // `1j`: lexed so that the parser can name it as unsupported
  kOp,         // operators and delimiters (text), also stray characters such as `$` or `?`
  kError,      // the lexer stopped here; the error itself is in LexResult
};

enum class StringKind : uint8_t { kStr, kBytes, kFString };

struct Token {
  TokenKind kind = TokenKind::kEndMarker;
  // kName/kOp: the spelling. kString: the decoded value for kStr and kBytes; for kFString the raw
  // body between the quotes, which the parser splits into literal parts and expressions.
  std::string text;
  int line = 0;  // 1-based
  int col = 0;   // 0-based byte column; -1 for a kEndMarker with no sensible column
  int end_line = 0;
  int end_col = 0;
  int level = 0;  // bracket depth in effect at this token (CPython uses it for the comma hint)
  int64_t int_value = 0;
  double float_value = 0.0;
  StringKind string_kind = StringKind::kStr;
  bool raw = false;   // r'' prefix: for f-strings the literal parts keep their backslashes
  int body_line = 0;  // where the body after the opening quote starts (for f-strings)
  int body_col = 0;
  // A literal CPython tokenizes fine but rejects when it builds the tree (a bad escape, non-ASCII
  // in bytes, or our int64 limit): the message, reported when the parser reaches the literal.
  std::string error;
};

}  // namespace gilbench::vm
