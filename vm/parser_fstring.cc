// The parser's string literals and f-strings: adjacent literals concatenated, escapes decoded, and
// each f-string's replacement fields scanned (brackets, quotes, `!r`, nested specs) and parsed as
// expressions of their own, with CPython 3.11's "f-string: ..." errors.
#include <string>
#include <string_view>
#include <utility>

#include "vm/lexer.h"
#include "vm/parser_internal.h"

namespace gilbench::vm::parser_detail {

// ---------------------------------------------------------------------------------------------
// String literals and f-strings

// Adjacent literals concatenate; any f-string among them makes the whole a kFString.
ExprPtr Parser::ParseStrings() {
  const Token& first = Peek();
  SourcePos pos = PosOf(first);
  bool bytes = first.string_kind == StringKind::kBytes;
  ExprPtr fstring = NewExpr(ExprKind::kFString, pos);
  std::string pending;  // literal text not yet placed into `fstring`
  while (Peek().kind == TokenKind::kString) {
    const Token& token = Next();
    if (!token.error.empty()) {
      Fail(PosOf(token), token.error);
      return nullptr;
    }
    if ((token.string_kind == StringKind::kBytes) != bytes) {
      Fail(PosOf(token), "cannot mix bytes and nonbytes literals");
      return nullptr;
    }
    if (token.string_kind != StringKind::kFString) {
      pending += token.text;
    } else if (!ParseFString(token, &pending, fstring.get())) {
      return nullptr;
    }
  }
  if (fstring->items.empty()) {
    ExprPtr str = NewExpr(bytes ? ExprKind::kBytes : ExprKind::kStr, pos);
    str->str_value = std::move(pending);
    return str;
  }
  if (!pending.empty()) {
    fstring->items.push_back(NewExpr(ExprKind::kStr, pos));
    fstring->items.back()->str_value = std::move(pending);
  }
  return fstring;
}

// Appends the literal text `raw_text` (escapes still in it unless `raw`) to `pending`.
bool Parser::FlushLiteral(std::string_view raw_text, bool raw, const Token& token,
                          std::string* pending) {
  if (raw) {
    *pending += raw_text;
    return true;
  }
  std::string decoded;
  std::string error;
  if (!DecodeEscapes(raw_text, false, &decoded, &error)) return Fail(PosOf(token), error);
  *pending += decoded;
  return true;
}

// Splits one f-string body into literal text and {replacement fields}, as CPython 3.11's
// fstring_find_literal / fstring_find_expr do.
bool Parser::ParseFString(const Token& token, std::string* pending, Expr* fstring) {
  std::string_view body = token.text;
  fs_line_ = token.body_line;
  fs_col_ = token.body_col;
  std::string literal;
  size_t i = 0;
  auto advance = [&](size_t n) {
    for (size_t k = 0; k < n && i < body.size(); ++k, ++i) {
      if (body[i] == '\n') {
        ++fs_line_;
        fs_col_ = 0;
      } else {
        ++fs_col_;
      }
    }
  };
  while (i < body.size()) {
    char c = body[i];
    char next = i + 1 < body.size() ? body[i + 1] : '\0';
    if (c == '\\' && !token.raw && next != '{' && next != '}') {
      literal.append(body.substr(i, 2));
      advance(2);
    } else if ((c == '{' || c == '}') && next == c) {
      literal.push_back(c);
      advance(2);
    } else if (c == '}') {
      return Fail({fs_line_, fs_col_}, "f-string: single '}' is not allowed");
    } else if (c != '{') {
      literal.push_back(c);
      advance(1);
    } else {
      if (!FlushLiteral(literal, token.raw, token, pending)) return false;
      literal.clear();
      advance(1);
      if (!ParseReplacementField(token, &i, pending, fstring)) return false;
    }
  }
  return FlushLiteral(literal, token.raw, token, pending);
}

// One {expression[:spec]} field, *i just past its '{'; moves *i past its '}'. Literal text
// gathered so far in `pending` becomes a kStr item in front of the new kFormatted one.
bool Parser::ParseReplacementField(const Token& token, size_t* i, std::string* pending,
                                   Expr* fstring) {
  std::string_view body = token.text;
  size_t start = *i;
  int line = fs_line_;
  int col = fs_col_;
  if (!ScanFieldExpression(body, i)) return false;
  std::string_view text = body.substr(start, *i - start);
  std::string spec;
  char conversion = 0;
  if (!ScanFieldSpec(body, i, &conversion, &spec)) return false;
  ExprPtr value = ParseFieldExpression(text, line, col);
  if (!value) return false;
  if (!pending->empty()) {
    fstring->items.push_back(NewExpr(ExprKind::kStr, PosOf(token)));
    fstring->items.back()->str_value = std::move(*pending);
    pending->clear();
  }
  ExprPtr formatted = NewExpr(ExprKind::kFormatted, value->pos);
  formatted->operand = std::move(value);
  formatted->str_value = std::move(spec);
  formatted->int_value = conversion;  // 0, 's', 'r' or 'a
  fstring->items.push_back(std::move(formatted));
  return true;
}

// Moves *i from the start of a replacement field's expression to the '!', ':', '=' or '}' that
// ends it, skipping nested brackets and strings. Keeps fs_line_/fs_col_ in step.
bool Parser::ScanFieldExpression(std::string_view body, size_t* i) {
  std::string brackets;
  char quote = 0;
  bool triple = false;
  for (; *i < body.size(); ++*i, ++fs_col_) {
    char c = body[*i];
    char next = *i + 1 < body.size() ? body[*i + 1] : '\0';
    SourcePos pos{fs_line_, fs_col_};
    if (c == '\n') {
      ++fs_line_;
      fs_col_ = -1;
      continue;
    }
    if (c == '\\') return Fail(pos, "f-string expression part cannot include a backslash");
    if (quote != 0) {
      if (c == quote && (!triple || body.substr(*i, 3) == std::string(3, quote))) {
        *i += triple ? 2 : 0;
        fs_col_ += triple ? 2 : 0;
        quote = 0;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      triple = body.substr(*i, 3) == std::string(3, c);
      *i += triple ? 2 : 0;
      fs_col_ += triple ? 2 : 0;
      continue;
    }
    if (c == '#') return Fail(pos, "f-string expression part cannot include '#'");
    if (c == '(' || c == '[' || c == '{' || c == ')' || c == ']' ||
        (c == '}' && !brackets.empty())) {
      if (!TrackBracket(c, &brackets)) return false;
      continue;
    }
    if (!brackets.empty()) continue;
    if ((c == '!' || c == '=' || c == '<' || c == '>') && next == '=') {
      ++*i;
      ++fs_col_;
      continue;
    }
    if (c == '!' || c == ':' || c == '}' || c == '=') return true;
  }
  if (quote != 0) return Fail({fs_line_, fs_col_}, "f-string: unterminated string");
  return Fail({fs_line_, fs_col_}, "f-string: expecting '}'");
}

// Pushes or pops one bracket of a replacement field's expression, with CPython's messages for
// unbalanced ones (the field's text is only handed to the real lexer once it is balanced).
bool Parser::TrackBracket(char c, std::string* brackets) {
  SourcePos pos{fs_line_, fs_col_};
  if (c == '(' || c == '[' || c == '{') {
    if (brackets->size() >= 200) return Fail(pos, "f-string: too many nested parenthesis");
    brackets->push_back(c);
    return true;
  }
  if (brackets->empty()) return Fail(pos, std::string("f-string: unmatched '") + c + "'");
  char open = brackets->back();
  brackets->pop_back();
  if ((open == '(') != (c == ')') || (open == '[') != (c == ']')) {
    return Fail(pos, std::string("f-string: closing parenthesis '") + c +
                         "' does not match opening parenthesis '" + open + "'");
  }
  return true;
}

// From the character that ended the expression to just past the closing '}': the format spec,
// if any, goes to `spec` with its escapes decoded.
bool Parser::ScanFieldSpec(std::string_view body, size_t* i, char* conversion, std::string* spec) {
  SourcePos pos{fs_line_, fs_col_};
  char c = body[*i];
  if (c == '=') return Fail(pos, "f-string '=' specifiers are not supported");
  if (c == '!') {
    // !s, !r or !a, then ':' or '}' (CPython 3.11's fstring_find_expr).
    ++*i;
    ++fs_col_;
    if (*i >= body.size()) return Fail({fs_line_, fs_col_}, "f-string: expecting '}'");
    *conversion = body[*i];
    if (*conversion != 's' && *conversion != 'r' && *conversion != 'a') {
      return Fail({fs_line_, fs_col_},
                  "f-string: invalid conversion character: expected 's', 'r', or 'a'");
    }
    ++*i;
    ++fs_col_;
    if (*i >= body.size() || (body[*i] != ':' && body[*i] != '}')) {
      return Fail({fs_line_, fs_col_}, "f-string: expecting '}'");
    }
    c = body[*i];
  }
  if (c == ':') {
    size_t start = ++*i;
    ++fs_col_;
    while (*i < body.size() && body[*i] != '}') {
      if (body[*i] == '{') {
        return Fail({fs_line_, fs_col_}, "nested f-string format specs are not supported");
      }
      if (body[*i] == '\n') {
        ++fs_line_;
        fs_col_ = -1;
      }
      ++*i;
      ++fs_col_;
    }
    std::string error;
    if (!DecodeEscapes(body.substr(start, *i - start), false, spec, &error)) {
      return Fail(pos, error);
    }
  }
  if (*i >= body.size()) return Fail({fs_line_, fs_col_}, "f-string: expecting '}'");
  ++*i;  // '}'
  ++fs_col_;
  return true;
}

// Parses a replacement field's expression with a fresh lexer and parser, positioned where the
// text sits in the real source. CPython prefixes these errors with "f-string: ".
ExprPtr Parser::ParseFieldExpression(std::string_view text, int line, int col) {
  if (text.find_first_not_of(" \t\n\r\f") == std::string_view::npos) {
    Fail({fs_line_, fs_col_}, "f-string: empty expression not allowed");
    return nullptr;
  }
  LexOptions options;
  options.first_line = line;
  options.first_col = col;
  options.fstring_expr = true;
  TokenStream tokens(text, options);
  Parser inner(tokens, depth_ + 1);
  inner.in_function_ = in_function_;
  ExprPtr value = inner.ParseStandaloneExpression();
  if (value) return value;
  SyntaxErrorInfo error = inner.FinalError();
  const LexResult& lex = tokens.Verdict();
  bool raised_by_lexer = !lex.ok && lex.weight == LexErrorWeight::kOverrides &&
                         error.message == lex.error.message && error.line == lex.error.line &&
                         error.col == lex.error.col;
  if (!raised_by_lexer && !EndsWith(error.message, kNotSupported) &&
      error.message.rfind("f-string", 0) != 0) {
    error.message = "f-string: " + error.message;
  }
  Fail({error.line, error.col}, error.message, error.type.c_str());
  return nullptr;
}

}  // namespace gilbench::vm::parser_detail
