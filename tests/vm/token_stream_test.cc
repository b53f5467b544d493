// Tests of parsing as a stream (TokenStream in vm/lexer.h, ParseEach in vm/parser.h): the tokens
// and errors are exactly those of lexing the whole input at once, and a module's statements are
// handed over one by one, so that compiling a large file needs memory for a statement at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "vm/lexer.h"
#include "vm/parser.h"

namespace gilbench::vm {
namespace {

std::vector<std::string> CorpusSources() {
  std::vector<std::filesystem::path> paths;
  for (const char* folder : {"/tests/programs", "/tests/programs/unsupported"}) {
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(GILBENCH_SOURCE_DIR) + folder)) {
      if (entry.path().extension() == ".py") paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> sources;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    sources.push_back(text.str());
  }
  return sources;
}

// Every field of a token, as text, so that a mismatch shows which one.
std::string Describe(const Token& t) {
  std::ostringstream out;
  out << static_cast<int>(t.kind) << " '" << t.text << "' " << t.line << ":" << t.col << "-"
      << t.end_line << ":" << t.end_col << " level " << t.level << " int " << t.int_value
      << " float " << t.float_value << " str " << static_cast<int>(t.string_kind) << " raw "
      << t.raw << " body " << t.body_line << ":" << t.body_col << " error '" << t.error << "'";
  return out.str();
}

void ExpectSameTokens(const std::string& source) {
  LexResult whole = Tokenize(source);
  TokenStream stream(source);
  for (size_t i = 0; i < whole.tokens.size(); ++i) {
    ASSERT_EQ(Describe(stream.At(i)), Describe(whole.tokens[i])) << "token " << i << " of\n"
                                                                 << source;
    if (i % 3 == 0) stream.Forget(i);  // forgetting what lies behind changes nothing ahead
  }
  // Past the end: the last token again.
  EXPECT_EQ(Describe(stream.At(whole.tokens.size() + 5)), Describe(whole.tokens.back()));
  const LexResult& verdict = stream.Verdict();
  EXPECT_EQ(verdict.ok, whole.ok) << source;
  EXPECT_EQ(verdict.error.message, whole.error.message) << source;
  EXPECT_EQ(verdict.error.line, whole.error.line) << source;
  EXPECT_EQ(verdict.weight, whole.weight) << source;
  EXPECT_TRUE(verdict.tokens.empty());
}

TEST(TokenStreamTest, GivesTheTokensOfLexingAllAtOnce) {
  for (const std::string& source : CorpusSources()) ExpectSameTokens(source);
  const std::string kEdges[] = {"",
                                "x = (1,\n",
                                "if x:\n  y\n   z\n",
                                "s = 'abc\n",
                                std::string("a\0b", 3),
                                "\xef\xbb\xbfx = 1\n",
                                "x = 1 $\n",
                                "def f():\n\tx\n        y\n"};
  for (const std::string& source : kEdges) ExpectSameTokens(source);
}

// The verdict takes lexing the rest: a lexical error far behind where the parser stopped.
TEST(TokenStreamTest, VerdictLexesTheRestOfTheInput) {
  std::string source = "x = 1\n" + std::string(1000, '\n') + "y = 'open\n";
  TokenStream stream(source);
  EXPECT_EQ(stream.At(0).text, "x");
  const LexResult& verdict = stream.Verdict();
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.error.line, 1002);
}

// Each top-level statement is handed over as soon as it is parsed: the two before the error
// arrive (and could be compiled and dropped) before the parser reaches it.
TEST(TokenStreamTest, ParseEachHandsOverStatementsOneByOne) {
  std::vector<std::string> names;
  SyntaxErrorInfo error;
  bool ok = ParseEach(
      "def f():\n    return 1\nx = f()\ny = = 2\nz = 3\n", "prog.py",
      [&](StmtPtr s) {
        names.push_back(s->kind == StmtKind::kFunctionDef ? s->name : s->targets[0]->str_value);
      },
      &error);
  EXPECT_FALSE(ok);
  EXPECT_EQ(error.line, 4);
  EXPECT_EQ(names, (std::vector<std::string>{"f", "x"}));
}

// A later lexical error still wins over a parser error, as when the whole file was lexed first.
TEST(TokenStreamTest, ParseEachReportsALaterLexicalErrorLikeParse) {
  const std::string source = "x = = 1\n" + std::string(50, '\n') + "s = 'never closed\n";
  Module module;
  SyntaxErrorInfo whole, streamed;
  EXPECT_FALSE(Parse(source, "prog.py", &module, &whole));
  EXPECT_FALSE(ParseEach(
      source, "prog.py", [](StmtPtr) {}, &streamed));
  EXPECT_EQ(streamed.message, whole.message);
  EXPECT_EQ(streamed.line, whole.line);
  EXPECT_EQ(whole.line, 52);
}

}  // namespace
}  // namespace gilbench::vm
