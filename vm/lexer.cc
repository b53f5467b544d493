// The lexer: turns source bytes into the tokens the parser reads, all at once (Tokenize) or as
// the parser asks for them (TokenStream). Error messages and positions follow CPython 3.11's
// tokenizer, because differential tests compare the last line of stderr against CPython's.
#include "vm/lexer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "vm/utf8.h"

namespace gilbench::vm {
namespace {

// CPython's limits: MAXLEVEL for brackets, MAXINDENT for indentation levels. They also keep our
// recursive-descent parser's stack bounded.
constexpr int kMaxBracketDepth = 200;
constexpr int kMaxIndentLevels = 100;
constexpr int kTabSize = 8;

bool IsIdentStart(unsigned char c) { return c == '_' || std::isalpha(c) || c >= 0x80; }
bool IsIdentChar(unsigned char c) { return IsIdentStart(c) || std::isdigit(c); }
bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Non-ASCII code points that are punctuation or symbols rather than letters: CPython calls them
// "invalid character" instead of reading them as part of an identifier. An approximation of
// Unicode's XID_Start that covers what people actually paste (dashes, quotes, arrows, nbsp).
bool IsInvalidNonAsciiChar(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
         (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFF01 && cp <= 0xFF0F) || cp == 0xFEFF;
}

// Code points that str.isprintable() rejects (controls, format characters, spaces other than
// ' ', unassigned ones) among the ASCII controls and IsInvalidNonAsciiChar's: CPython names them
// by number only, since printing them shows nothing useful (a stray byte order mark, U+FEFF).
bool IsNonPrintable(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD || (cp >= 0x2000 && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) ||
         (cp >= 0x2427 && cp <= 0x243F) || (cp >= 0x244B && cp <= 0x245F) || cp == 0x2B74 ||
         cp == 0x2B75 || cp == 0x2B96 || cp == 0x3000 || cp == 0xFEFF;
}

// CPython's message for character `cp` (UTF-8 `text`) where no token can start.
std::string InvalidCharacterMessage(uint32_t cp, std::string_view text) {
  char buf[96];
  if (IsNonPrintable(cp)) {
    std::snprintf(buf, sizeof buf, "invalid non-printable character U+%04X", cp);
  } else {
    std::snprintf(buf, sizeof buf, "invalid character '%.*s' (U+%04X)",
                  static_cast<int>(text.size()), text.data(), cp);
  }
  return buf;
}

// Reads exactly `n` hex digits of an escape; false when fewer are there.
bool ReadHex(std::string_view body, size_t start, int n, uint32_t* value) {
  *value = 0;
  for (int k = 0; k < n; ++k) {
    if (start + k >= body.size() || !IsHexDigit(body[start + k])) return false;
    char c = body[start + k];
    int digit =
        std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::tolower(c) - 'a' + 10);
    *value = *value * 16 + static_cast<uint32_t>(digit);
  }
  return true;
}

int CountHex(std::string_view body, size_t start, int n) {
  int k = 0;
  while (k < n && start + k < body.size() && IsHexDigit(body[start + k])) ++k;
  return k;
}

std::string CodecError(bool bytes, size_t pos, size_t end, const char* what) {
  char buf[160];
  if (bytes) {
    std::snprintf(buf, sizeof buf, "(value error) invalid \\x escape at position %zu", pos);
  } else {
    std::snprintf(buf, sizeof buf,
                  "(unicode error) 'unicodeescape' codec can't decode bytes in position %zu-%zu: "
                  "%s",
                  pos, end, what);
  }
  return buf;
}

// Decodes one \x, \u or \U escape starting at body[i] == '\\'; advances `i` past it.
bool DecodeHexEscape(std::string_view body, bool bytes, size_t* i, std::string* out,
                     std::string* error) {
  char kind = body[*i + 1];
  int digits = kind == 'x' ? 2 : kind == 'u' ? 4 : 8;
  uint32_t value = 0;
  if (!ReadHex(body, *i + 2, digits, &value)) {
    const char* what = kind == 'x'   ? "truncated \\xXX escape"
                       : kind == 'u' ? "truncated \\uXXXX escape"
                                     : "truncated \\UXXXXXXXX escape";
    *error = CodecError(bytes, *i, *i + 1 + CountHex(body, *i + 2, digits), what);
    return false;
  }
  if (value > 0x10FFFF) {
    *error = CodecError(false, *i, *i + 1 + digits, "illegal Unicode character");
    return false;
  }
  if (bytes) {
    out->push_back(static_cast<char>(value));
  } else {
    utf8::Append(value, out);
  }
  *i += 2 + digits;
  return true;
}

// The one-character escapes; 0 when `c` is not one of them.
char SimpleEscape(char c) {
  switch (c) {
    case '\\':
      return '\\';
    case '\'':
      return '\'';
    case '"':
      return '"';
    case 'a':
      return '\a';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    default:
      return 0;
  }
}

}  // namespace

bool DecodeEscapes(std::string_view body, bool bytes, std::string* out, std::string* error) {
  out->clear();
  size_t i = 0;
  while (i < body.size()) {
    char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) {
      out->push_back(c);
      ++i;
      continue;
    }
    char next = body[i + 1];
    if (next == '\n') {  // backslash-newline inside a literal joins the lines
      i += 2;
    } else if (next == '\r') {
      i += (i + 2 < body.size() && body[i + 2] == '\n') ? 3 : 2;
    } else if (char simple = SimpleEscape(next)) {
      out->push_back(simple);
      i += 2;
    } else if (next >= '0' && next <= '7') {
      uint32_t value = 0;
      size_t j = i + 1;
      for (int k = 0; k < 3 && j < body.size() && body[j] >= '0' && body[j] <= '7'; ++k, ++j) {
        value = value * 8 + static_cast<uint32_t>(body[j] - '0');
      }
      if (bytes) {
        out->push_back(static_cast<char>(value & 0xFF));
      } else {
        utf8::Append(value, out);
      }
      i = j;
    } else if (next == 'x' || (!bytes && (next == 'u' || next == 'U'))) {
      if (!DecodeHexEscape(body, bytes, &i, out, error)) return false;
    } else if (next == 'N' && !bytes) {
      *error = "\\N{...} escapes are not supported";
      return false;
    } else {  // unknown escapes keep their backslash, as CPython does (with a warning)
      out->push_back('\\');
      ++i;
    }
  }
  return true;
}

bool IsKeyword(std::string_view name) {
  static constexpr std::array<std::string_view, 35> kKeywords = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  for (std::string_view keyword : kKeywords) {
    if (keyword == name) return true;
  }
  return false;
}

namespace {

// One pass over the source. Each Lex* method consumes one construct and either emits tokens or
// calls Fail(), after which the main loop stops.
class Lexer {
 public:
  Lexer(std::string_view source, const LexOptions& options)
      : src_(source), options_(options), line_(options.first_line) {}

  LexResult Run();
  // Lexes one more construct (checking the input's bytes first, the first time): false once the
  // input has ended (kEndMarker) or failed (kError). Tokens pile up in result().tokens, which a
  // TokenStream empties as it goes.
  bool Step();
  LexResult& result() { return result_; }

 private:
  struct OpenBracket {
    char ch;
    int line;
    int col;
  };

  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  bool AtEnd() const { return pos_ >= src_.size(); }
  int ColAt(size_t pos) const {
    return static_cast<int>(pos - line_start_) +
           (line_ == options_.first_line ? options_.first_col : 0);
  }
  int Col() const { return ColAt(pos_); }
  // Consumes a newline (\n, \r\n or a lone \r) at pos_ and starts a new line.
  void ConsumeNewline() {
    if (Peek() == '\r' && Peek(1) == '\n') ++pos_;
    ++pos_;
    ++line_;
    line_start_ = pos_;
  }
  bool AtNewline() const { return Peek() == '\n' || Peek() == '\r'; }
  int LineLength() const;

  void Fail(const std::string& type, const std::string& message, int line, int col,
            LexErrorWeight weight = LexErrorWeight::kOverrides);
  Token& Emit(TokenKind kind, std::string text, int line, int col);

  bool CheckBytes();
  void LexLineStart();
  void Indent(int col, int alt_col);
  void LexToken();
  void LexEnd();
  void LexContinuation();
  void LexName();
  void LexNumber();
  bool LexDigits(bool (*is_digit)(char), const char* kind);
  void LexNumberTail(size_t start, int col, bool is_float);
  void EmitDecimalInt(std::string digits, int col);
  bool CheckNumberEnd(const char* kind);
  void LexString(size_t prefix_start, std::string_view prefix);
  bool ScanStringBody(char quote, bool triple, int line, int col);
  void LexOperator();
  void LexBracket(char c);

  std::string_view src_;
  LexOptions options_;
  size_t pos_ = 0;
  int line_;
  size_t line_start_ = 0;
  bool at_line_start_ = true;
  bool failed_ = false;
  std::vector<int> indents_{0};      // columns with tabs to multiples of 8
  std::vector<int> alt_indents_{0};  // the same with tabs as 1: disagreement means a TabError
  std::vector<OpenBracket> brackets_;
  bool bytes_checked_ = false;
  // The last token emitted (for LexEnd: result_.tokens may have been handed on since).
  bool emitted_any_ = false;
  TokenKind last_kind_ = TokenKind::kEndMarker;
  int last_line_ = 0;
  LexResult result_;
};

LexResult Lexer::Run() {
  while (Step()) {
  }
  return std::move(result_);
}

bool Lexer::Step() {
  if (!bytes_checked_) {
    bytes_checked_ = true;
    if (!CheckBytes()) return false;
  }
  if (failed_) return false;
  if (at_line_start_ && !options_.fstring_expr && brackets_.empty()) {
    LexLineStart();
  } else {
    LexToken();
  }
  return !failed_;
}

int Lexer::LineLength() const {
  size_t end = line_start_;
  while (end < src_.size() && src_[end] != '\n' && src_[end] != '\r') ++end;
  return static_cast<int>(end - line_start_);
}

void Lexer::Fail(const std::string& type, const std::string& message, int line, int col,
                 LexErrorWeight weight) {
  result_.ok = false;
  result_.weight = weight;
  result_.error.type = type;
  result_.error.message = message;
  result_.error.line = line;
  result_.error.col = col;
  Emit(TokenKind::kError, "", line, col < 0 ? 0 : col);
  failed_ = true;
}

Token& Lexer::Emit(TokenKind kind, std::string text, int line, int col) {
  Token& token = result_.tokens.emplace_back();
  emitted_any_ = true;
  last_kind_ = kind;
  last_line_ = line;
  token.kind = kind;
  token.text = std::move(text);
  token.line = line;
  token.col = col;
  token.end_line = line_;
  token.end_col = Col();
  token.level = static_cast<int>(brackets_.size());
  return token;
}

// CPython refuses NUL bytes and undecodable UTF-8 before tokenizing anything.
bool Lexer::CheckBytes() {
  int line = options_.first_line;
  for (size_t i = 0; i < src_.size();) {
    uint32_t cp = 0;
    int len = utf8::DecodeStrict(src_, i, &cp);
    if (src_[i] == '\0') {
      Fail("SyntaxError", "source code cannot contain null bytes", line, -1);
      return false;
    }
    if (len == 0) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned char>(src_[i]));
      Fail("SyntaxError",
           std::string("Non-UTF-8 code starting with '\\x") + buf + "' on line " +
               std::to_string(line) +
               ", but no encoding declared; see https://peps.python.org/pep-0263/ for details",
           0, -1);
      return false;
    }
    if (src_[i] == '\n') ++line;
    i += len;
  }
  return true;
}

// At the start of a physical line outside brackets: measure the indentation, skip the line when it
// is blank or only a comment, otherwise emit INDENT/DEDENTs.
void Lexer::LexLineStart() {
  int col = 0;
  int alt_col = 0;
  for (;; ++pos_) {
    char c = Peek();
    if (c == ' ') {
      ++col;
      ++alt_col;
    } else if (c == '\t') {
      col = (col / kTabSize + 1) * kTabSize;
      ++alt_col;
    } else if (c == '\f') {
      col = alt_col = 0;
    } else {
      break;
    }
  }
  if (Peek() == '#') {
    while (!AtEnd() && !AtNewline()) ++pos_;
  }
  if (AtNewline()) {  // blank or comment-only line: no tokens at all
    ConsumeNewline();
    return;
  }
  at_line_start_ = false;
  if (AtEnd()) return;  // LexToken emits the end of input
  Indent(col, alt_col);
}

void Lexer::Indent(int col, int alt_col) {
  static const char kTabError[] = "inconsistent use of tabs and spaces in indentation";
  if (col == indents_.back()) {
    if (alt_col != alt_indents_.back())
      Fail("TabError", kTabError, line_, -1, LexErrorWeight::kQuiet);
    return;
  }
  if (col > indents_.back()) {
    if (static_cast<int>(indents_.size()) >= kMaxIndentLevels) {
      Fail("IndentationError", "too many levels of indentation", line_, -1, LexErrorWeight::kQuiet);
    } else if (alt_col <= alt_indents_.back()) {
      Fail("TabError", kTabError, line_, -1, LexErrorWeight::kQuiet);
    } else {
      indents_.push_back(col);
      alt_indents_.push_back(alt_col);
      Emit(TokenKind::kIndent, "", line_, 0);
    }
    return;
  }
  int dedents = 0;
  while (indents_.size() > 1 && col < indents_.back()) {
    indents_.pop_back();
    alt_indents_.pop_back();
    ++dedents;
  }
  if (col != indents_.back()) {
    Fail("IndentationError", "unindent does not match any outer indentation level", line_,
         LineLength(), LexErrorWeight::kQuiet);
    return;
  }
  if (alt_col != alt_indents_.back()) {
    Fail("TabError", kTabError, line_, -1, LexErrorWeight::kQuiet);
    return;
  }
  for (int k = 0; k < dedents; ++k) Emit(TokenKind::kDedent, "", line_, -1);
}

void Lexer::LexToken() {
  while (Peek() == ' ' || Peek() == '\t' || Peek() == '\f') ++pos_;
  char c = Peek();
  if (AtEnd()) return LexEnd();
  if (c == '#') {
    while (!AtEnd() && !AtNewline()) ++pos_;
    return;
  }
  if (AtNewline()) {
    if (brackets_.empty() && !options_.fstring_expr) {
      Emit(TokenKind::kNewline, "", line_, Col());
      at_line_start_ = true;
    }
    ConsumeNewline();
    return;
  }
  if (c == '\\') return LexContinuation();
  if (IsIdentStart(static_cast<unsigned char>(c))) return LexName();
  if (std::isdigit(static_cast<unsigned char>(c)) ||
      (c == '.' && std::isdigit(static_cast<unsigned char>(Peek(1))))) {
    return LexNumber();
  }
  if (c == '\'' || c == '"') return LexString(pos_, "");
  LexOperator();
}

// End of input: close the last logical line and every open block, as CPython does.
void Lexer::LexEnd() {
  if (!brackets_.empty()) {
    const OpenBracket& open = brackets_.back();
    Fail("SyntaxError", std::string("'") + open.ch + "' was never closed", open.line, open.col,
         LexErrorWeight::kUnclosedBracket);
    return;
  }
  int last_line = line_;
  if (!options_.fstring_expr) {
    if (emitted_any_ && last_kind_ != TokenKind::kNewline && last_kind_ != TokenKind::kDedent) {
      Emit(TokenKind::kNewline, "", line_, Col());
    }
    if (emitted_any_) last_line = last_line_;
    for (size_t k = 1; k < indents_.size(); ++k) Emit(TokenKind::kDedent, "", last_line, -1);
  }
  Emit(TokenKind::kEndMarker, "", last_line, -1);
  failed_ = true;  // not an error: just stops the loop
}

void Lexer::LexContinuation() {
  int col = Col();
  ++pos_;
  if (!AtNewline()) {
    Fail("SyntaxError", "unexpected character after line continuation character", line_, col + 1,
         LexErrorWeight::kQuiet);
    return;
  }
  int line = line_;
  ConsumeNewline();
  if (AtEnd()) {
    Fail("SyntaxError", "unexpected EOF while parsing", line, col + 1, LexErrorWeight::kQuiet);
  }
}

void Lexer::LexName() {
  size_t start = pos_;
  int col = Col();
  while (!AtEnd() && IsIdentChar(static_cast<unsigned char>(Peek()))) {
    uint32_t cp = 0;
    int len = utf8::DecodeStrict(src_, pos_, &cp);
    if (cp >= 0x80 && IsInvalidNonAsciiChar(cp)) {
      if (pos_ > start) break;  // an operator-like character ends the name
      Fail("SyntaxError", InvalidCharacterMessage(cp, src_.substr(pos_, len)), line_, col);
      return;
    }
    pos_ += len > 0 ? len : 1;
  }
  std::string_view name = src_.substr(start, pos_ - start);
  if ((Peek() == '\'' || Peek() == '"') && name.size() <= 2) {
    std::string lower;
    for (char ch : name) lower.push_back(static_cast<char>(std::tolower(ch)));
    static constexpr std::array<std::string_view, 8> kPrefixes = {"r",  "u",  "b",  "f",
                                                                  "br", "rb", "fr", "rf"};
    for (std::string_view prefix : kPrefixes) {
      if (lower == prefix) return LexString(start, prefix);
    }
  }
  Emit(TokenKind::kName, std::string(name), line_, col);
}

bool IsDecDigit(char c) { return c >= '0' && c <= '9'; }
bool IsOctDigit(char c) { return c >= '0' && c <= '7'; }
bool IsBinDigit(char c) { return c == '0' || c == '1'; }
bool IsHexChar(char c) { return IsHexDigit(c); }

// Reads `digit ('_'? digit)*` for a 0x/0o/0b literal (the prefix already consumed). CPython
// names a stray decimal digit in octal and binary literals.
bool Lexer::LexDigits(bool (*is_digit)(char), const char* kind) {
  do {
    if (Peek() == '_') ++pos_;
    if (!is_digit(Peek())) {
      if (is_digit != IsHexChar && IsDecDigit(Peek())) {
        Fail("SyntaxError", std::string("invalid digit '") + Peek() + "' in " + kind + " literal",
             line_, Col());
      } else {
        Fail("SyntaxError", std::string("invalid ") + kind + " literal", line_, Col());
      }
      return false;
    }
    while (is_digit(Peek())) ++pos_;
  } while (Peek() == '_');
  return true;
}

// A number may be followed directly by a few keywords (`1if x else 2`, CPython warns); any other
// identifier character right after it is an error.
bool Lexer::CheckNumberEnd(const char* kind) {
  if (!IsIdentStart(static_cast<unsigned char>(Peek()))) return true;
  static constexpr std::array<std::string_view, 8> kAllowed = {"and", "else", "for", "if",
                                                               "in",  "is",   "not", "or"};
  std::string_view rest = src_.substr(pos_);
  for (std::string_view keyword : kAllowed) {
    if (rest.substr(0, keyword.size()) == keyword &&
        (rest.size() == keyword.size() ||
         !IsIdentChar(static_cast<unsigned char>(rest[keyword.size()])))) {
      return true;
    }
  }
  Fail("SyntaxError", std::string("invalid ") + kind + " literal", line_, Col());
  return false;
}

void Lexer::LexNumber() {
  size_t start = pos_;
  int col = Col();
  char radix = static_cast<char>(std::tolower(static_cast<unsigned char>(Peek(1))));
  if (Peek() == '0' && (radix == 'x' || radix == 'o' || radix == 'b')) {
    pos_ += 2;
    bool (*is_digit)(char) = radix == 'x' ? IsHexChar : radix == 'o' ? IsOctDigit : IsBinDigit;
    const char* kind = radix == 'x' ? "hexadecimal" : radix == 'o' ? "octal" : "binary";
    if (!LexDigits(is_digit, kind) || !CheckNumberEnd(kind)) return;
    int base = radix == 'x' ? 16 : radix == 'o' ? 8 : 2;
    int64_t value = 0;
    std::string error;
    for (size_t i = start + 2; i < pos_ && error.empty(); ++i) {
      if (src_[i] == '_') continue;
      int digit = IsDecDigit(src_[i]) ? src_[i] - '0' : std::tolower(src_[i]) - 'a' + 10;
      if (__builtin_mul_overflow(value, base, &value) ||
          __builtin_add_overflow(value, digit, &value)) {
        error = "integer literal too large";
      }
    }
    Token& token = Emit(TokenKind::kInt, std::string(src_.substr(start, pos_ - start)), line_, col);
    token.int_value = value;
    token.error = std::move(error);
    return;
  }
  bool is_float = false;
  if (Peek() != '.' && !LexDigits(IsDecDigit, "decimal")) return;
  if (Peek() == '.') {
    is_float = true;
    ++pos_;
    if (IsDecDigit(Peek()) && !LexDigits(IsDecDigit, "decimal")) return;
  }
  LexNumberTail(start, col, is_float);
}

// The exponent, the imaginary suffix and the value of a decimal literal.
void Lexer::LexNumberTail(size_t start, int col, bool is_float) {
  if (Peek() == 'e' || Peek() == 'E') {
    size_t sign = (Peek(1) == '+' || Peek(1) == '-') ? 1 : 0;
    if (IsDecDigit(Peek(1 + sign))) {
      is_float = true;
      pos_ += 1 + sign;
      if (!LexDigits(IsDecDigit, "decimal")) return;
    } else if (sign != 0) {
      Fail("SyntaxError", "invalid decimal literal", line_, Col());
      return;
    }
  }
  std::string digits;
  for (size_t i = start; i < pos_; ++i) {
    if (src_[i] != '_') digits.push_back(src_[i]);
  }
  if (Peek() == 'j' || Peek() == 'J') {
    ++pos_;
    if (CheckNumberEnd("imaginary")) Emit(TokenKind::kImaginary, digits, line_, col);
    return;
  }
  if (!CheckNumberEnd("decimal")) return;
  if (is_float) {
    Emit(TokenKind::kFloat, digits, line_, col).float_value = std::strtod(digits.c_str(), nullptr);
    return;
  }
  EmitDecimalInt(std::move(digits), col);
}

// A decimal integer literal (underscores already removed). Too large for int64 is an error only
// once the parser reaches it, since CPython itself accepts big literals.
void Lexer::EmitDecimalInt(std::string digits, int col) {
  if (digits.size() > 1 && digits[0] == '0' && digits.find_first_not_of('0') != std::string::npos) {
    Fail("SyntaxError",
         "leading zeros in decimal integer literals are not permitted; use an 0o prefix for "
         "octal integers",
         line_, col);
    return;
  }
  int64_t value = 0;
  std::string error;
  for (char c : digits) {
    if (__builtin_mul_overflow(value, 10, &value) ||
        __builtin_add_overflow(value, c - '0', &value)) {
      error = "integer literal too large";
      break;
    }
  }
  Token& token = Emit(TokenKind::kInt, std::move(digits), line_, col);
  token.int_value = value;
  token.error = std::move(error);
}

// CPython reads source with universal newlines, so a literal never contains "\r\n".
std::string NormalizeNewlines(std::string body) {
  if (body.find('\r') == std::string::npos) return body;
  std::string normalized;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\r') {
      normalized.push_back(body[i]);
    } else if (i + 1 >= body.size() || body[i + 1] != '\n') {
      normalized.push_back('\n');
    }
  }
  return normalized;
}

// Moves pos_ from just after the opening quote(s) to the closing quote(s); false (with the error
// recorded) when the literal is unterminated. `line`/`col` are where the literal starts.
bool Lexer::ScanStringBody(char quote, bool triple, int line, int col) {
  for (;;) {
    if (AtEnd() || (!triple && AtNewline())) {
      int detected = (AtEnd() && pos_ == line_start_ && line_ > line) ? line_ - 1 : line_;
      Fail("SyntaxError",
           std::string(triple ? "unterminated triple-quoted string literal"
                              : "unterminated string literal") +
               " (detected at line " + std::to_string(detected) + ")",
           line, col);
      return false;
    }
    char c = Peek();
    if (c == quote && (!triple || (Peek(1) == quote && Peek(2) == quote))) return true;
    if (c == '\\') {  // the escaped character, even a quote or newline, never ends the literal
      ++pos_;
      if (AtEnd()) continue;
    }
    if (AtNewline()) {
      ConsumeNewline();
    } else {
      ++pos_;
    }
  }
}

// Scans a string literal (prefix already read; pos_ on the opening quote) and decodes it.
void Lexer::LexString(size_t prefix_start, std::string_view prefix) {
  int line = line_;
  int col = ColAt(prefix_start);
  pos_ = prefix_start + prefix.size();
  char quote = Peek();
  bool triple = Peek(1) == quote && Peek(2) == quote;
  pos_ += triple ? 3 : 1;
  int body_line = line_;
  int body_col = Col();
  size_t body_start = pos_;
  if (!ScanStringBody(quote, triple, line, col)) return;
  std::string body = NormalizeNewlines(std::string(src_.substr(body_start, pos_ - body_start)));
  pos_ += triple ? 3 : 1;
  bool is_bytes = prefix.find('b') != std::string_view::npos;
  bool is_raw = prefix.find('r') != std::string_view::npos;
  bool is_f = prefix.find('f') != std::string_view::npos;
  std::string value;
  std::string error;
  for (char ch : body) {
    if (is_bytes && static_cast<unsigned char>(ch) >= 0x80) {
      error = "bytes can only contain ASCII literal characters";
    }
  }
  if (is_f || is_raw || !error.empty()) {
    value = std::move(body);
  } else if (!DecodeEscapes(body, is_bytes, &value, &error)) {
    value.clear();
  }
  Token& token = Emit(TokenKind::kString, std::move(value), line, col);
  token.string_kind = is_f       ? StringKind::kFString
                      : is_bytes ? StringKind::kBytes
                                 : StringKind::kStr;
  token.raw = is_raw;
  token.body_line = body_line;
  token.body_col = body_col;
  token.error = std::move(error);
}

void Lexer::LexOperator() {
  static constexpr std::array<std::string_view, 5> kThree = {"**=", "//=", ">>=", "<<=", "..."};
  static constexpr std::array<std::string_view, 19> kTwo = {
      "**", "//", "==", "!=", "<=", ">=", "->", ":=", "+=", "-=",
      "*=", "/=", "%=", "&=", "|=", "^=", "@=", "<<", ">>"};
  std::string_view rest = src_.substr(pos_);
  int col = Col();
  char c = rest[0];
  if (c == '(' || c == '[' || c == '{' || c == ')' || c == ']' || c == '}') return LexBracket(c);
  auto unsigned_c = static_cast<unsigned char>(c);
  if (unsigned_c < 0x20 || unsigned_c == 0x7F) {
    Fail("SyntaxError", InvalidCharacterMessage(unsigned_c, rest.substr(0, 1)), line_, col);
    return;
  }
  size_t len = 1;
  for (std::string_view op : kThree) {
    if (rest.substr(0, 3) == op) len = 3;
  }
  for (std::string_view op : kTwo) {
    if (len == 1 && rest.substr(0, 2) == op) len = 2;
  }
  pos_ += len;
  Emit(TokenKind::kOp, std::string(rest.substr(0, len)), line_, col);
}

void Lexer::LexBracket(char c) {
  int col = Col();
  if (c == '(' || c == '[' || c == '{') {
    if (static_cast<int>(brackets_.size()) >= kMaxBracketDepth) {
      Fail("SyntaxError", "too many nested parentheses", line_, col);
      return;
    }
    Emit(TokenKind::kOp, std::string(1, c), line_, col);
    ++pos_;
    brackets_.push_back({c, line_, col});
    return;
  }
  if (brackets_.empty()) {
    Fail("SyntaxError", std::string("unmatched '") + c + "'", line_, col);
    return;
  }
  OpenBracket open = brackets_.back();
  char expected = open.ch == '(' ? ')' : open.ch == '[' ? ']' : '}';
  if (c != expected) {
    std::string message = std::string("closing parenthesis '") + c +
                          "' does not match opening parenthesis '" + open.ch + "'";
    if (open.line != line_) message += " on line " + std::to_string(open.line);
    Fail("SyntaxError", message, line_, col);
    return;
  }
  brackets_.pop_back();
  ++pos_;
  Emit(TokenKind::kOp, std::string(1, c), line_, col);
}

}  // namespace

std::string_view SkipUtf8Bom(std::string_view source) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  return source.substr(0, kBom.size()) == kBom ? source.substr(kBom.size()) : source;
}

LexResult Tokenize(std::string_view source, const LexOptions& options) {
  Lexer lexer(source, options);
  return lexer.Run();
}

struct TokenStream::Impl {
  Impl(std::string_view source, const LexOptions& options) : lexer(source, options) {}
  Lexer lexer;
};

TokenStream::TokenStream(std::string_view source, const LexOptions& options)
    : impl_(std::make_unique<Impl>(source, options)) {}

TokenStream::~TokenStream() = default;

// At's slow path: lexes until there is a token at `index` or the input is done.
const Token& TokenStream::LexUpTo(size_t index) {
  std::vector<Token>& fresh = impl_->lexer.result().tokens;
  while (!done_ && index >= lexed_) {
    done_ = !impl_->lexer.Step();
    for (Token& token : fresh) {
      if ((lexed_ & (kChunkSize - 1)) == 0) {
        chunks_.push_back(spare_ ? std::move(spare_) : std::make_unique<Chunk>());
      }
      (*chunks_.back())[lexed_ & (kChunkSize - 1)] = std::move(token);
      ++lexed_;
    }
    fresh.clear();
  }
  return At(std::min(index, lexed_ - 1));  // past the end: the last token, kEndMarker or kError
}

void TokenStream::Forget(size_t index) {
  // Whole chunks before the one holding `index` (the last token's chunk always stays).
  size_t keep_from = std::min(index, lexed_ == 0 ? 0 : lexed_ - 1) >> kChunkBits;
  if (keep_from <= first_chunk_) return;
  auto end = chunks_.begin() + static_cast<ptrdiff_t>(keep_from - first_chunk_);
  spare_ = std::move(*(end - 1));  // reused for the next chunk: no allocation per chunk
  chunks_.erase(chunks_.begin(), end);
  first_chunk_ = keep_from;
}

const LexResult& TokenStream::Verdict() {
  while (!done_) {
    done_ = !impl_->lexer.Step();
    impl_->lexer.result().tokens.clear();
  }
  return impl_->lexer.result();
}

}  // namespace gilbench::vm
