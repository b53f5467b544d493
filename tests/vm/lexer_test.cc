// Tests of the lexer: token streams for each lexical construct, and the CPython-worded errors.
#include "vm/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace gilbench::vm {
namespace {

// The token stream as one compact string: names and ops by spelling, the rest by kind.
std::string Kinds(std::string_view source) {
  LexResult result = Tokenize(source);
  std::string out;
  for (const Token& token : result.tokens) {
    if (!out.empty()) out += ' ';
    switch (token.kind) {
      case TokenKind::kEndMarker:
        out += "END";
        break;
      case TokenKind::kNewline:
        out += "NL";
        break;
      case TokenKind::kIndent:
        out += "IN";
        break;
      case TokenKind::kDedent:
        out += "DE";
        break;
      case TokenKind::kName:
      case TokenKind::kOp:
        out += token.text;
        break;
      case TokenKind::kInt:
        out += "i" + std::to_string(token.int_value);
        break;
      case TokenKind::kFloat:
        out += "f" + std::to_string(token.float_value);
        break;
      case TokenKind::kString:
        out += "s'" + token.text + "'";
        break;
      case TokenKind::kImaginary:
        out += "j";
        break;
      case TokenKind::kError:
        out += "ERR";
        break;
    }
  }
  return out;
}

SyntaxErrorInfo LexError(std::string_view source) {
  LexResult result = Tokenize(source);
  EXPECT_FALSE(result.ok) << source;
  EXPECT_EQ(result.tokens.back().kind, TokenKind::kError);
  return result.error;
}

TEST(LexerTest, SimpleLine) { EXPECT_EQ(Kinds("x = 1\n"), "x = i1 NL END"); }

TEST(LexerTest, MissingFinalNewlineIsAdded) { EXPECT_EQ(Kinds("x"), "x NL END"); }

TEST(LexerTest, EmptySource) {
  EXPECT_EQ(Kinds(""), "END");
  EXPECT_EQ(Kinds("\n\n# only a comment\n   \n"), "END");
}

TEST(LexerTest, IndentAndDedent) {
  EXPECT_EQ(Kinds("if x:\n  y\n  if z:\n    w\nv\n"),
            "if x : NL IN y NL if z : NL IN w NL DE DE v NL END");
}

TEST(LexerTest, DedentsAtEndOfFile) {
  EXPECT_EQ(Kinds("if x:\n  if y:\n    z"), "if x : NL IN if y : NL IN z NL DE DE END");
}

TEST(LexerTest, BlankAndCommentLinesDoNotAffectIndentation) {
  EXPECT_EQ(Kinds("if x:\n\n# c\n        # deeper comment\n  y  # trailing\n"),
            "if x : NL IN y NL DE END");
}

TEST(LexerTest, TabsIndent) {
  EXPECT_EQ(Kinds("if x:\n\ty\n\tz\n"), "if x : NL IN y NL z NL DE END");
}

TEST(LexerTest, ImplicitLineJoiningInBrackets) {
  EXPECT_EQ(Kinds("x = (1,\n     2)\ny = [\n  3,\n]\n"), "x = ( i1 , i2 ) NL y = [ i3 , ] NL END");
}

TEST(LexerTest, BackslashContinuation) {
  EXPECT_EQ(Kinds("x = 1 + \\\n    2\n"), "x = i1 + i2 NL END");
}

TEST(LexerTest, CrLfLineEndings) {
  EXPECT_EQ(Kinds("if x:\r\n  y\r\n"), "if x : NL IN y NL DE END");
}

TEST(LexerTest, IntegerLiterals) {
  EXPECT_EQ(Kinds("0 42 1_000 0x1F 0o17 0b101 0X_ff 00"), "i0 i42 i1000 i31 i15 i5 i255 i0 NL END");
  EXPECT_EQ(Kinds("9223372036854775807"), "i9223372036854775807 NL END");
}

TEST(LexerTest, FloatLiterals) {
  LexResult result = Tokenize("1.5 1e9 .5 1_000.5 2. 1E-3 3.0e+2");
  std::vector<double> expected = {1.5, 1e9, 0.5, 1000.5, 2.0, 1e-3, 300.0};
  ASSERT_EQ(result.tokens.size(), expected.size() + 2);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(result.tokens[i].kind, TokenKind::kFloat);
    EXPECT_DOUBLE_EQ(result.tokens[i].float_value, expected[i]);
  }
}

TEST(LexerTest, NumberFollowedByKeyword) {
  EXPECT_EQ(Kinds("1if x else 2"), "i1 if x else i2 NL END");
}

TEST(LexerTest, ImaginaryLiteral) { EXPECT_EQ(Kinds("1j"), "j NL END"); }

TEST(LexerTest, Operators) {
  EXPECT_EQ(Kinds("a ** b // c -> d := e += f //= g **= h != i <= j >= k == l"),
            "a ** b // c -> d := e += f //= g **= h != i <= j >= k == l NL END");
  EXPECT_EQ(Kinds("x.y[0](z)"), "x . y [ i0 ] ( z ) NL END");
}

TEST(LexerTest, StrayCharactersBecomeOps) { EXPECT_EQ(Kinds("a $ b ? c"), "a $ b ? c NL END"); }

TEST(LexerTest, StringLiterals) {
  EXPECT_EQ(Kinds(R"('a' "b" '''c''' """d""")"), "s'a' s'b' s'c' s'd' NL END");
  EXPECT_EQ(Kinds("'''multi\nline'''"), "s'multi\nline' NL END");
}

TEST(LexerTest, StringEscapes) {
  LexResult result = Tokenize(R"('\n\t\\\'\"\r\0\x41\u00e9\U0001F600\q\101')");
  ASSERT_EQ(result.tokens[0].kind, TokenKind::kString);
  EXPECT_EQ(result.tokens[0].text,
            "\n\t\\'\"\r" + std::string(1, '\0') + "A\xc3\xa9\xf0\x9f\x98\x80\\qA");
}

TEST(LexerTest, BackslashNewlineInsideString) {
  EXPECT_EQ(Tokenize("'a\\\nb'").tokens[0].text, "ab");
}

TEST(LexerTest, RawStrings) {
  EXPECT_EQ(Tokenize(R"(r'\n\'x')").tokens[0].text, R"(\n\'x)");
  EXPECT_EQ(Tokenize(R"(R"\d")").tokens[0].text, R"(\d)");
}

TEST(LexerTest, BytesLiterals) {
  LexResult result = Tokenize(R"(b'a\x00\xff' rb'\n')");
  EXPECT_EQ(result.tokens[0].string_kind, StringKind::kBytes);
  EXPECT_EQ(result.tokens[0].text, std::string("a\0\xff", 3));
  EXPECT_EQ(result.tokens[1].string_kind, StringKind::kBytes);
  EXPECT_EQ(result.tokens[1].text, "\\n");
}

TEST(LexerTest, BytesKeepUnicodeEscapesLiterally) {
  EXPECT_EQ(Tokenize(R"(b'\u1234')").tokens[0].text, "\\u1234");
}

TEST(LexerTest, FStringKeepsRawBody) {
  LexResult result = Tokenize("x = f'a{b}\\n'");
  const Token& token = result.tokens[2];
  EXPECT_EQ(token.string_kind, StringKind::kFString);
  EXPECT_EQ(token.text, "a{b}\\n");
  EXPECT_EQ(token.body_line, 1);
  EXPECT_EQ(token.body_col, 6);
}

TEST(LexerTest, PrefixLettersAloneAreNames) { EXPECT_EQ(Kinds("r b f rb"), "r b f rb NL END"); }

TEST(LexerTest, UnicodeIdentifiers) {
  EXPECT_EQ(Kinds("\xc3\xa9t\xc3\xa9 = 1"), "\xc3\xa9t\xc3\xa9 = i1 NL END");
}

TEST(LexerTest, TokenPositions) {
  LexResult result = Tokenize("if x:\n    yy = 10\n");
  const Token& yy = result.tokens[5];
  EXPECT_EQ(yy.text, "yy");
  EXPECT_EQ(yy.line, 2);
  EXPECT_EQ(yy.col, 4);
  EXPECT_EQ(yy.end_col, 6);
  EXPECT_EQ(result.tokens[4].kind, TokenKind::kIndent);
}

TEST(LexerTest, BracketLevel) {
  LexResult result = Tokenize("f((a))");
  EXPECT_EQ(result.tokens[0].level, 0);
  EXPECT_EQ(result.tokens[3].level, 2);  // a
}

TEST(LexerTest, DecodeEscapesDirectly) {
  std::string out;
  std::string error;
  EXPECT_TRUE(DecodeEscapes("\\u20ac", false, &out, &error));
  EXPECT_EQ(out, "\xe2\x82\xac");
  EXPECT_TRUE(DecodeEscapes("\\777", false, &out, &error));
  EXPECT_EQ(out, "\xc7\xbf");
  EXPECT_FALSE(DecodeEscapes("\\x4", false, &out, &error));
  EXPECT_EQ(error,
            "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated "
            "\\xXX escape");
  EXPECT_FALSE(DecodeEscapes("\\N{DASH}", false, &out, &error));
  EXPECT_FALSE(DecodeEscapes("\\U00110000", false, &out, &error));
}

TEST(LexerTest, Keywords) {
  EXPECT_TRUE(IsKeyword("while"));
  EXPECT_TRUE(IsKeyword("None"));
  EXPECT_FALSE(IsKeyword("match"));
  EXPECT_FALSE(IsKeyword("print"));
}

struct LexErrorCase {
  const char* source;
  const char* type;
  const char* message;
  int line;
  int col;
};

TEST(LexerTest, Errors) {
  const LexErrorCase cases[] = {
      {"if 1:\n\tx\n        y\n", "TabError", "inconsistent use of tabs and spaces in indentation",
       3, -1},
      {"if 1:\n        x\n\ty\n", "TabError", "inconsistent use of tabs and spaces in indentation",
       3, -1},
      {"if 1:\n    x\n  y\n", "IndentationError",
       "unindent does not match any outer indentation level", 3, 3},
      {"s = 'abc\n", "SyntaxError", "unterminated string literal (detected at line 1)", 1, 4},
      {"s = \"\"\"abc\n\nx\n", "SyntaxError",
       "unterminated triple-quoted string literal (detected at line 3)", 1, 4},
      {"x = (1,\n", "SyntaxError", "'(' was never closed", 1, 4},
      {"x = [(1]\n", "SyntaxError",
       "closing parenthesis ']' does not match opening parenthesis '('", 1, 7},
      {"x = (\n]\n", "SyntaxError",
       "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2, 0},
      {"x = 1)\n", "SyntaxError", "unmatched ')'", 1, 5},
      {"x = 1 + \\\n", "SyntaxError", "unexpected EOF while parsing", 1, 9},
      {"x = \\ 1\n", "SyntaxError", "unexpected character after line continuation character", 1, 5},
      {"x = 1\x01\n", "SyntaxError", "invalid non-printable character U+0001", 1, 5},
      {"x = 5 \xe2\x80\x93 3\n", "SyntaxError", "invalid character '\xe2\x80\x93' (U+2013)", 1, 6},
      {"x = 12abc\n", "SyntaxError", "invalid decimal literal", 1, 6},
      {"x = 1_\n", "SyntaxError", "invalid decimal literal", 1, 6},
      {"x = 1e\n", "SyntaxError", "invalid decimal literal", 1, 5},
      {"x = 0x\n", "SyntaxError", "invalid hexadecimal literal", 1, 6},
      {"x = 0b2\n", "SyntaxError", "invalid digit '2' in binary literal", 1, 6},
      {"x = 0o8\n", "SyntaxError", "invalid digit '8' in octal literal", 1, 6},
      {"x = 0777\n", "SyntaxError",
       "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal "
       "integers",
       1, 4},
  };
  for (const LexErrorCase& c : cases) {
    SyntaxErrorInfo error = LexError(c.source);
    EXPECT_EQ(error.type, c.type) << c.source;
    EXPECT_EQ(error.message, c.message) << c.source;
    EXPECT_EQ(error.line, c.line) << c.source;
    EXPECT_EQ(error.col, c.col) << c.source;
  }
}

// CPython only rejects these when it builds the tree, so tokenizing goes on past them.
TEST(LexerTest, LiteralErrorsAreCarriedByTheToken) {
  LexResult result =
      Tokenize("a = 9223372036854775808 + 0x1FFFFFFFFFFFFFFFF\nb = '\\x4' b'\xc3\xa9'\n");
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.tokens[2].error, "integer literal too large");
  EXPECT_EQ(result.tokens[4].error, "integer literal too large");
  EXPECT_EQ(result.tokens[8].error,
            "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated "
            "\\xXX escape");
  EXPECT_EQ(result.tokens[9].error, "bytes can only contain ASCII literal characters");
  EXPECT_EQ(result.tokens[0].error, "");
}

TEST(LexerTest, NullByte) {
  SyntaxErrorInfo error = LexError(std::string_view("x = 1\n\0\n", 8));
  EXPECT_EQ(error.message, "source code cannot contain null bytes");
  EXPECT_EQ(error.line, 2);
  EXPECT_EQ(error.col, -1);
}

TEST(LexerTest, InvalidUtf8) {
  SyntaxErrorInfo error = LexError("x = 1\n\xff\n");
  EXPECT_EQ(error.message,
            "Non-UTF-8 code starting with '\\xff' on line 2, but no encoding declared; see "
            "https://peps.python.org/pep-0263/ for details");
  EXPECT_EQ(error.line, 0);
}

TEST(LexerTest, TooManyNestedParentheses) {
  EXPECT_TRUE(Tokenize(std::string(199, '(') + std::string(199, ')')).ok);
  SyntaxErrorInfo error = LexError(std::string(200, '(') + "(");
  EXPECT_EQ(error.message, "too many nested parentheses");
}

TEST(LexerTest, TooManyIndentationLevels) {
  std::string source;
  for (int i = 0; i < 120; ++i) source += std::string(i, ' ') + "if x:\n";
  SyntaxErrorInfo error = LexError(source);
  EXPECT_EQ(error.type, "IndentationError");
  EXPECT_EQ(error.message, "too many levels of indentation");
}

TEST(LexerTest, ErrorStopsTheStream) {
  LexResult result = Tokenize("x = 1\ny = 'oops\nz = 2\n");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(Kinds("x = 1\ny = 'oops\nz = 2\n"), "x = i1 NL y = ERR");
}

TEST(LexerTest, FStringExpressionMode) {
  LexOptions options;
  options.first_line = 3;
  options.first_col = 10;
  options.fstring_expr = true;
  LexResult result = Tokenize("a +\n b", options);
  ASSERT_TRUE(result.ok);
  ASSERT_EQ(result.tokens.size(), 4u);  // a + b END: no NEWLINE in this mode
  EXPECT_EQ(result.tokens[0].line, 3);
  EXPECT_EQ(result.tokens[0].col, 10);
  EXPECT_EQ(result.tokens[2].line, 4);
  EXPECT_EQ(result.tokens[2].col, 1);
}

// CPython names a character that str.isprintable() rejects by its code point only; a printable
// one is shown too.
TEST(LexerTest, NonPrintableCharacterNamedByCodePoint) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"\xef\xbb\xbf", "invalid non-printable character U+FEFF"},  // a byte order mark
      {"\xc2\xa0", "invalid non-printable character U+00A0"},      // a no-break space
      {"\xe2\x80\x8b", "invalid non-printable character U+200B"},  // a zero-width space
      {"\x01", "invalid non-printable character U+0001"},
      {"\xe2\x80\x94", "invalid character '\xe2\x80\x94' (U+2014)"},  // an em dash
  };
  for (const auto& [character, message] : cases) {
    EXPECT_EQ(LexError("x = " + std::string(character) + "1\n").message, message) << message;
  }
}

TEST(LexerTest, SkipUtf8BomOnlyAtTheStart) {
  EXPECT_EQ(SkipUtf8Bom("\xef\xbb\xbfx = 1\n"), "x = 1\n");
  EXPECT_EQ(SkipUtf8Bom("\xef\xbb\xbf"), "");
  EXPECT_EQ(SkipUtf8Bom("x\xef\xbb\xbf"), "x\xef\xbb\xbf");
  EXPECT_EQ(SkipUtf8Bom("\xef\xbbx"), "\xef\xbbx");
  EXPECT_EQ(SkipUtf8Bom(""), "");
}

}  // namespace
}  // namespace gilbench::vm
