// The parser's class, shared by its two files: parser.cc (statements and expressions) and
// parser_fstring.cc (string literals and f-strings, whose replacement fields are parsed as
// expressions of their own). Internal to those files; the interface is parser.h.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vm/ast_codec.h"
#include "vm/lexer.h"
#include "vm/parser.h"

namespace gilbench::vm::parser_detail {

// Bound on recursion (nested expressions plus left-deep operator chains) so that neither this
// parser nor the compiler walking the tree, nor the tree's destructor, can exhaust the C stack.
inline constexpr int kMaxDepth = 1000;
inline constexpr char kInvalidSyntax[] = "invalid syntax";
inline constexpr char kNotSupported[] = "not supported";

inline SourcePos PosOf(const Token& token) { return {token.line, token.col}; }

// The input's last token, and only that one, is kEndMarker or kError.
inline bool IsLastToken(const Token& token) {
  return token.kind == TokenKind::kEndMarker || token.kind == TokenKind::kError;
}

inline ExprPtr NewExpr(ExprKind kind, SourcePos pos) { return std::make_unique<Expr>(kind, pos); }

inline bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The parser proper. Every Parse* method returns null/false after recording an error; the first
// error recorded wins and parsing unwinds.
class Parser {
 public:
  Parser(TokenStream& tokens, int depth) : tokens_(tokens), depth_(depth) {}

  // Hands each top-level statement to `take` as soon as it is parsed.
  bool ParseModule(const StatementSink& take);
  ExprPtr ParseStandaloneExpression();
  // The error to report: ours, or the lexer's when CPython would have reported that instead
  // (which takes lexing the rest of the input).
  SyntaxErrorInfo FinalError();
  const std::optional<SyntaxErrorInfo>& deferred() const { return deferred_; }

 private:
  // RAII depth counter for the recursive rules.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser* parser) : parser_(parser) { ++parser_->depth_; }
    ~DepthGuard() { --parser_->depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser* parser_;
  };

  // Token access. Past the end, the last token (kEndMarker or kError) again.
  const Token& Peek(size_t ahead = 0) {
    max_peeked_ = std::max(max_peeked_, pos_ + ahead);
    return tokens_.At(pos_ + ahead);
  }
  const Token& Next() {
    const Token& token = Peek();
    if (!IsLastToken(token)) ++pos_;
    return token;
  }
  bool IsOp(std::string_view op, size_t ahead = 0) {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kOp && token.text == op;
  }
  bool IsKw(std::string_view keyword, size_t ahead = 0) {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kName && token.text == keyword;
  }
  bool IsIdentifier(size_t ahead = 0) {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kName && !IsKeyword(token.text);
  }
  bool AcceptOp(std::string_view op) { return IsOp(op) ? (Next(), true) : false; }
  bool AcceptKw(std::string_view keyword) { return IsKw(keyword) ? (Next(), true) : false; }
  bool AtStatementEnd() {
    TokenKind kind = Peek().kind;
    return kind == TokenKind::kNewline || kind == TokenKind::kEndMarker || IsOp(";");
  }
  bool CanStartExpression(size_t ahead = 0);

  // Errors.
  bool Fail(SourcePos pos, std::string message, const char* type = "SyntaxError");
  bool FailGeneric();
  bool FailMissingComma(const Expr& previous);
  bool FailJuxtaposed();
  void Defer(SourcePos pos, std::string message);
  bool Deepen(int* chain);

  // Statements.
  bool ParseStatements();
  bool AtStatementStart();
  bool ParseStatement();
  bool ParseUnsupportedStatement();
  bool IsMatchStatement();
  bool ParseSimpleStatements();
  bool ParseSimpleStatement();
  bool ParseKeywordStatement();
  bool ParseBlock(const char* what, int line);
  bool ParseBody(StmtPtr header, const char* what, int line);
  bool ParseHeaderColon();
  bool ParseElse();
  bool ParseIf();
  bool ParseWhile();
  bool ParseFor();
  ExprPtr ParseForTarget();
  bool ParseDef(std::vector<ExprPtr> decorators);
  bool ParseClass();
  bool ParseRaise();
  bool ParseYieldStatement();
  bool ParseParams(Stmt* def, const char* close);
  bool ParseTry();
  bool ParseWith();
  void WriteEmptyBlock();
  bool ParseDecorated();
  ExprPtr ParseYield();
  ExprPtr ParseLambda();
  ExprPtr ParseComprehension(ExprKind kind, SourcePos pos, ExprPtr element, ExprPtr value);
  bool ParseReturnOrYield();
  bool ParseGlobal();
  bool ParseImport();
  bool ParseFromImport();
  bool ParseDottedName(std::string* name);
  bool ParseImportAlias(Stmt* from);
  bool ParseAssert();
  bool ParseDel();
  bool ParseExprStatement();
  bool ParseAssign(ExprPtr first);
  bool ParseAugAssign(ExprPtr target);
  bool CheckTarget(const Expr& target);
  bool CheckAssignTarget(const Expr& target, bool first);

  // Expressions, loosest binding first.
  ExprPtr ParseStarExpressions();
  ExprPtr ParseTest();
  bool CheckStrayAssignment(const Expr& test);
  bool CheckLegacyPrint(const Expr& name);
  ExprPtr ParseExpression();
  ExprPtr ParseDisjunction();
  ExprPtr ParseConjunction();
  ExprPtr MakeBinary(BinaryOp op, ExprPtr left, ExprPtr right);
  ExprPtr ParseBoolChain(const char* keyword, BoolOpKind kind, ExprPtr (Parser::*operand)());
  ExprPtr ParseInversion();
  ExprPtr ParseComparison();
  bool ParseCompareOp(CompareOp* op);
  ExprPtr ParseBinaryLevel(std::initializer_list<std::pair<std::string_view, BinaryOp>> ops,
                           ExprPtr (Parser::*operand)());
  ExprPtr ParseBitOr();
  ExprPtr ParseBitXor();
  ExprPtr ParseBitAnd();
  ExprPtr ParseShift();
  ExprPtr ParseSum();
  ExprPtr ParseTerm();
  ExprPtr ParseFactor();
  ExprPtr ParsePower();
  ExprPtr ParsePrimary();
  ExprPtr ParseAtom();
  ExprPtr ParseKeywordAtom();
  ExprPtr ParseOpAtom();
  ExprPtr ParseParen();
  ExprPtr ParseList();
  ExprPtr ParseDisplayItem();
  ExprPtr ParseBrace();
  ExprPtr ParseDictDisplay(SourcePos pos, ExprPtr key);
  ExprPtr ParseCall(ExprPtr func);
  bool ParseArgument(Expr* call, const Expr** last);
  ExprPtr ParseSubscript(ExprPtr object);
  ExprPtr ParseStrings();
  bool ParseFString(const Token& token, std::string* pending, Expr* fstring);
  bool FlushLiteral(std::string_view raw_text, bool raw, const Token& token, std::string* pending);
  bool ParseReplacementField(const Token& token, size_t* i, std::string* pending, Expr* fstring);
  bool ScanFieldExpression(std::string_view body, size_t* i);
  bool TrackBracket(char c, std::string* brackets);
  bool ScanFieldSpec(std::string_view body, size_t* i, char* conversion, std::string* spec);
  ExprPtr ParseFieldExpression(std::string_view text, int line, int col);

  TokenStream& tokens_;
  // Where statements go as they are parsed: the top-level statement being parsed, its blocks
  // written in place (ast_codec.h).
  BlockWriter out_;
  size_t pos_ = 0;
  // The furthest token looked at, for FinalError. Never forgotten: it lies at or after pos_.
  size_t max_peeked_ = 0;
  int depth_;
  bool failed_ = false;
  // False for "unexpected indent": CPython reports it without re-tokenizing the rest of the file,
  // so no lexical error further on can replace it.
  bool lexer_may_override_ = true;
  SyntaxErrorInfo error_;
  std::optional<SyntaxErrorInfo> deferred_;
  bool in_function_ = false;
  bool in_class_ = false;  // directly in a class body (its methods may be decorated)
  int loop_depth_ = 0;
  // Where scanning an f-string currently is (line/col in the real source).
  int fs_line_ = 0;
  int fs_col_ = 0;
};

}  // namespace gilbench::vm::parser_detail
