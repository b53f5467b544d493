// The parser: a recursive-descent parser over the lexer's tokens, one function per grammar level
// of CPython's expression grammar (so precedence falls out of the call structure), producing the
// nodes of ast.h.
//
// Error reporting mimics CPython 3.11 closely enough that the last line of stderr matches for the
// common mistakes: the first error wins; a generic "invalid syntax" is overridden by any lexical
// error in the file (CPython re-tokenizes the rest of the file for that); errors CPython finds only
// after parsing ('return' outside function, duplicate parameters) are deferred until the whole file
// has parsed. Constructs outside the subset fail at once with a message naming them. String
// literals and f-strings are parser_fstring.cc; the class both files share is parser_internal.h.
#include "vm/parser.h"

#include <optional>
#include <utility>

#include "vm/lexer.h"
#include "vm/parser_internal.h"

namespace gilbench::vm {
namespace parser_detail {
namespace {

StmtPtr NewStmt(StmtKind kind, SourcePos pos) { return std::make_unique<Stmt>(kind, pos); }

// How CPython names an expression in "cannot assign to %s" (_PyPegen_get_expr_name).
const char* ExprName(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kName:
      return "name";
    case ExprKind::kSubscript:
    case ExprKind::kSlice:
      return "subscript";
    case ExprKind::kAttribute:
      return "attribute";
    case ExprKind::kList:
      return "list";
    case ExprKind::kTuple:
      return "tuple";
    case ExprKind::kDict:
      return "dict literal";
    case ExprKind::kSet:
      return "set display";
    case ExprKind::kCall:
      return "function call";
    case ExprKind::kCompare:
      return "comparison";
    case ExprKind::kIfExp:
      return "conditional expression";
    case ExprKind::kTrue:
      return "True";
    case ExprKind::kFalse:
      return "False";
    case ExprKind::kNone:
      return "None";
    case ExprKind::kFString:
    case ExprKind::kFormatted:
      return "f-string expression";
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kStr:
    case ExprKind::kBytes:
      return "literal";
    case ExprKind::kLambda:
      return "lambda";
    case ExprKind::kListComp:
      return "list comprehension";
    case ExprKind::kSetComp:
      return "set comprehension";
    case ExprKind::kDictComp:
      return "dict comprehension";
    case ExprKind::kGenExp:
      return "generator expression";
    case ExprKind::kYield:
    case ExprKind::kYieldFrom:
      return "yield expression";
    case ExprKind::kStarred:
      return "starred";
    case ExprKind::kUnary:
    case ExprKind::kBinary:
    case ExprKind::kBoolOp:
    case ExprKind::kCompFor:
      return "expression";
  }
  return "expression";
}

// The first part of `e` that cannot be assigned to, or null (CPython's
// _PyPegen_get_invalid_target).
const Expr* InvalidTarget(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kName:
    case ExprKind::kSubscript:
    case ExprKind::kSlice:
    case ExprKind::kAttribute:
      return nullptr;
    case ExprKind::kTuple:
    case ExprKind::kList:
      for (const ExprPtr& item : e.items) {
        if (const Expr* bad = InvalidTarget(*item)) return bad;
      }
      return nullptr;
    default:
      return &e;
  }
}

// The kinds CPython's bitwise_or rule can produce, minus list/tuple/True/False/None: for these
// `a = b` in a place that wants an expression reads "cannot assign to %s here. Maybe ...".
bool IsAssignHintCandidate(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kCompare:
    case ExprKind::kBoolOp:
    case ExprKind::kIfExp:
    case ExprKind::kList:
    case ExprKind::kTuple:
    case ExprKind::kTrue:
    case ExprKind::kFalse:
    case ExprKind::kNone:
      return false;
    case ExprKind::kUnary:
      return e.unary_op != UnaryOp::kNot;
    default:
      return true;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Errors

bool Parser::Fail(SourcePos pos, std::string message, const char* type) {
  if (failed_) return false;
  failed_ = true;
  lexer_may_override_ = message != "unexpected indent" && message != "unexpected unindent";
  error_.type = type;
  error_.message = std::move(message);
  error_.line = pos.line;
  error_.col = pos.col;
  return false;
}

// CPython's fallback when no specific rule matched: "invalid syntax" at the current token, or an
// indentation error when that token is an INDENT/DEDENT.
bool Parser::FailGeneric() {
  const Token& token = Peek();
  if (token.kind == TokenKind::kIndent) {
    return Fail({token.line, -1}, "unexpected indent", "IndentationError");
  }
  if (token.kind == TokenKind::kDedent) {
    return Fail({token.line, -1}, "unexpected unindent", "IndentationError");
  }
  return Fail(PosOf(token), kInvalidSyntax);
}

// An expression directly followed by another inside brackets: CPython suggests a missing comma
// when the second one parses as an expression (and the first is not NAME STRING, like `f"x"`).
bool Parser::FailMissingComma(const Expr& previous) {
  const Token& next = Peek();
  if (failed_ || !CanStartExpression() ||
      (previous.kind == ExprKind::kName && next.kind == TokenKind::kString)) {
    return FailGeneric();
  }
  size_t saved_pos = pos_;
  ExprPtr probe = ParseExpression();
  pos_ = saved_pos;
  if (!probe) {
    failed_ = false;
    return FailGeneric();
  }
  return Fail(previous.pos, "invalid syntax. Perhaps you forgot a comma?");
}

// Two expressions side by side outside brackets: plain "invalid syntax" at the second, but like
// CPython's second pass we read on through it, which matters for FinalError's choice.
bool Parser::FailJuxtaposed() {
  if (!CanStartExpression()) return FailGeneric();
  size_t saved_pos = pos_;
  ParseExpression();
  pos_ = saved_pos;
  failed_ = false;
  return FailGeneric();
}

void Parser::Defer(SourcePos pos, std::string message) {
  if (deferred_) return;
  SyntaxErrorInfo info;
  info.message = std::move(message);
  info.line = pos.line;
  info.col = pos.col;
  deferred_ = std::move(info);
}

// Counts one more level of a left-deep chain (a+b+c, f()()(), a.b.c) against the depth limit.
bool Parser::Deepen(int* chain) {
  ++*chain;
  if (depth_ + *chain <= kMaxDepth) return true;
  return Fail(PosOf(Peek()), "expression is too deeply nested");
}

// CPython raises a tokenizer error as soon as the parser fetches the bad token; after a parser
// error it tokenizes the rest of the file and lets some tokenizer errors win (see LexErrorWeight).
SyntaxErrorInfo Parser::FinalError() {
  const Token& furthest = tokens_.At(max_peeked_);
  int furthest_line = furthest.line;
  bool reached_last = IsLastToken(furthest);
  const LexResult& lex = tokens_.Verdict();
  if (lex.ok) return error_;
  if (reached_last) return lex.error;
  if (!lexer_may_override_) return error_;
  switch (lex.weight) {
    case LexErrorWeight::kOverrides:
      return lex.error;
    case LexErrorWeight::kUnclosedBracket:
      return furthest_line > lex.error.line ? lex.error : error_;
    case LexErrorWeight::kQuiet:
      return error_;
  }
  return error_;
}

bool Parser::CanStartExpression(size_t ahead) {
  const Token& token = Peek(ahead);
  switch (token.kind) {
    case TokenKind::kName:
      return !IsKeyword(token.text) || token.text == "True" || token.text == "False" ||
             token.text == "None" || token.text == "not" || token.text == "lambda" ||
             token.text == "await";
    case TokenKind::kInt:
    case TokenKind::kFloat:
    case TokenKind::kString:
    case TokenKind::kImaginary:
      return true;
    case TokenKind::kOp:
      return token.text == "(" || token.text == "[" || token.text == "{" || token.text == "-" ||
             token.text == "+" || token.text == "~" || token.text == "...";
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Statements

// Each top-level statement is written into a buffer of its own, its blocks included, then decoded
// and handed over: its blocks stay encoded in that buffer (shared with the Stmt), and every
// statement the compiler sees has gone through the codec. A line such as `import a, b` or
// `x = 1; y = 2` makes several.
bool Parser::ParseModule(const StatementSink& take) {
  while (AtStatementStart()) {
    out_.Reset();
    if (!ParseStatement()) return false;
    size_t offset = 0;
    for (size_t n = out_.Close(); n > 0; --n) take(DecodeStatement(out_.buffer(), &offset));
  }
  if (Peek().kind != TokenKind::kEndMarker) return FailGeneric();
  return true;
}

// Statements until the end of the block (DEDENT) or of the file.
bool Parser::ParseStatements() {
  while (AtStatementStart()) {
    if (!ParseStatement()) return false;
  }
  return true;
}

// Whether a statement starts at the current token (else a block or the file ends). The tokens
// before it are dropped: no caller looks back past the start of a statement, nor keeps a
// reference to an earlier token across the parse of a nested block.
bool Parser::AtStatementStart() {
  tokens_.Forget(pos_);
  TokenKind kind = Peek().kind;
  return kind != TokenKind::kEndMarker && kind != TokenKind::kDedent;
}

bool Parser::ParseStatement() {
  const Token& token = Peek();
  if (token.kind == TokenKind::kIndent) {
    return Fail({token.line, -1}, "unexpected indent", "IndentationError");
  }
  if (IsKw("if")) return ParseIf();
  if (IsKw("while")) return ParseWhile();
  if (IsKw("for")) return ParseFor();
  if (IsKw("def")) return ParseDef({});
  if (IsKw("try")) return ParseTry();
  if (IsKw("with")) return ParseWith();
  if (IsKw("class") && !in_function_ && !in_class_) return ParseClass();
  if (IsOp("@")) return ParseDecorated();
  if (!ParseUnsupportedStatement()) return false;
  return ParseSimpleStatements();
}

// Compound statements outside the subset; true when the statement is not one of them.
bool Parser::ParseUnsupportedStatement() {
  const Token& token = Peek();
  SourcePos pos = PosOf(token);
  if (IsKw("class")) return Fail(pos, "class definitions are not supported");
  if (IsKw("async")) return Fail(pos, "async is not supported");
  if (IsMatchStatement()) return Fail(pos, "match statements are not supported");
  return true;
}

// `match` is a soft keyword: `match x:` on a line of its own is a match statement, while `match`
// used as a name never has an operand right after it.
bool Parser::IsMatchStatement() {
  if (!IsKw("match")) return false;
  TokenKind next = Peek(1).kind;
  if (next != TokenKind::kName && next != TokenKind::kInt && next != TokenKind::kString) {
    return false;
  }
  size_t end = pos_;
  while (!IsLastToken(tokens_.At(end + 1)) && tokens_.At(end + 1).kind != TokenKind::kNewline) {
    ++end;
  }
  const Token& last = tokens_.At(end);
  return last.kind == TokenKind::kOp && last.text == ":";
}

// simple_stmt (';' simple_stmt)* [';'] NEWLINE
bool Parser::ParseSimpleStatements() {
  for (;;) {
    if (!ParseSimpleStatement()) return false;
    if (!AcceptOp(";")) break;
    if (Peek().kind == TokenKind::kNewline) break;
  }
  if (Peek().kind == TokenKind::kEndMarker) return true;
  if (Peek().kind != TokenKind::kNewline) return FailGeneric();
  Next();
  return true;
}

bool Parser::ParseSimpleStatement() {
  const Token& token = Peek();
  if (token.kind == TokenKind::kName && IsKeyword(token.text) && !CanStartExpression()) {
    return ParseKeywordStatement();
  }
  return ParseExprStatement();
}

bool Parser::ParseKeywordStatement() {
  const Token& token = Peek();
  SourcePos pos = PosOf(token);
  const std::string& word = token.text;
  if (word == "pass" || word == "break" || word == "continue") {
    StmtKind kind = word == "pass"    ? StmtKind::kPass
                    : word == "break" ? StmtKind::kBreak
                                      : StmtKind::kContinue;
    if (kind == StmtKind::kBreak && loop_depth_ == 0) Defer(pos, "'break' outside loop");
    if (kind == StmtKind::kContinue && loop_depth_ == 0) {
      Defer(pos, "'continue' not properly in loop");
    }
    Next();
    out_.Write(Stmt(kind, pos));
    return true;
  }
  if (word == "return") return ParseReturnOrYield();
  if (word == "yield") return ParseYieldStatement();
  if (word == "global") return ParseGlobal();
  if (word == "import") return ParseImport();
  if (word == "from") return ParseFromImport();
  if (word == "assert") return ParseAssert();
  if (word == "nonlocal") return ParseGlobal();
  if (word == "del") return ParseDel();
  if (word == "raise") return ParseRaise();
  if (word == "try" || word == "with") return FailGeneric();  // a compound statement after ';'
  if (word == "class" || word == "async") {
    return ParseUnsupportedStatement();
  }
  return FailGeneric();  // else, elif, in, ... where a statement should start
}

// After a compound statement's ':' — an indented block on the next lines, or simple statements
// on the same line, written into the block the caller opened. `what` and `line` word CPython's
// "expected an indented block" error.
bool Parser::ParseBlock(const char* what, int line) {
  if (Peek().kind != TokenKind::kNewline) return ParseSimpleStatements();
  Next();
  const Token& next = Peek();
  if (next.kind != TokenKind::kIndent) {
    if (next.kind == TokenKind::kError) return FailGeneric();
    int col = next.kind == TokenKind::kEndMarker ? -1 : next.col;
    return Fail({next.line, col},
                std::string("expected an indented block after ") + what + " on line " +
                    std::to_string(line),
                "IndentationError");
  }
  Next();
  DepthGuard guard(this);
  if (depth_ > kMaxDepth) return Fail(PosOf(next), "too many levels of indentation");
  if (!ParseStatements()) return false;
  if (Peek().kind != TokenKind::kDedent) return FailGeneric();
  Next();
  return true;
}

// The ':' after an if/elif/while/for header: CPython says "expected ':'" only when the line
// ends there; anything else is plain invalid syntax.
bool Parser::ParseHeaderColon() {
  if (AcceptOp(":")) return true;
  if (Peek().kind == TokenKind::kNewline) return Fail(PosOf(Peek()), "expected ':'");
  return FailGeneric();
}

// An empty else block, for the compound statements that have none.
void Parser::WriteEmptyBlock() {
  out_.OpenBlock();
  out_.CloseBlock();
}

// try: its body, then its clauses as the statements of its else block (ast.h, kTry).
bool Parser::ParseTry() {
  const Token& try_token = Next();
  int line = try_token.line;
  if (!ParseHeaderColon() ||
      !ParseBody(NewStmt(StmtKind::kTry, PosOf(try_token)), "'try' statement", line)) {
    return false;
  }
  out_.OpenBlock();
  bool any_handler = false;
  bool bare_seen = false;
  SourcePos bare_pos;
  while (IsKw("except")) {
    const Token& except_token = Next();
    int except_line = except_token.line;
    SourcePos pos = PosOf(except_token);
    if (bare_seen) return Fail(bare_pos, "default 'except:' must be last");
    StmtPtr handler = NewStmt(StmtKind::kExceptHandler, pos);
    if (IsOp(":")) {
      bare_seen = true;
      bare_pos = pos;
    } else {
      handler->value = ParseTest();
      if (!handler->value) return false;
      if (IsOp(",")) {
        return Fail(handler->value->pos, "multiple exception types must be parenthesized");
      }
      if (AcceptKw("as")) {
        if (!IsIdentifier()) return FailGeneric();
        handler->name = Next().text;
      }
    }
    if (!ParseHeaderColon() || !ParseBody(std::move(handler), "'except' statement", except_line))
      return false;
    WriteEmptyBlock();
    any_handler = true;
  }
  if (IsKw("else")) {
    if (!any_handler) return Fail(PosOf(Peek()), "expected 'except' or 'finally' block");
    const Token& else_token = Next();
    int else_line = else_token.line;
    if (!ParseHeaderColon() ||
        !ParseBody(NewStmt(StmtKind::kTryElse, PosOf(else_token)), "'else' statement", else_line))
      return false;
    WriteEmptyBlock();
  }
  bool has_finally = false;
  if (IsKw("finally")) {
    const Token& finally_token = Next();
    int finally_line = finally_token.line;
    if (!ParseHeaderColon() || !ParseBody(NewStmt(StmtKind::kTryFinally, PosOf(finally_token)),
                                          "'finally' statement", finally_line))
      return false;
    WriteEmptyBlock();
    has_finally = true;
  }
  if (!any_handler && !has_finally) {
    return Fail(PosOf(Peek()), "expected 'except' or 'finally' block");
  }
  out_.CloseBlock();
  return true;
}

// with item, ...: each item a kWith whose body holds the next one, the last holding the body.
bool Parser::ParseWith() {
  const Token& with_token = Next();
  int line = with_token.line;
  SourcePos pos = PosOf(with_token);
  size_t items = 0;
  do {
    StmtPtr item = NewStmt(StmtKind::kWith, pos);
    item->value = ParseTest();
    if (!item->value) return false;
    if (AcceptKw("as")) {
      ExprPtr target = ParseBitOr();
      if (!target || !CheckTarget(*target)) return false;
      item->targets.push_back(std::move(target));
    }
    out_.WriteHeader(*item);
    out_.OpenBlock();
    ++items;
  } while (AcceptOp(","));
  if (!ParseHeaderColon() || !ParseBlock("'with' statement", line)) return false;
  for (; items > 0; --items) {
    out_.CloseBlock();
    WriteEmptyBlock();
  }
  return true;
}

// A loop's or an if's else clause, if one is next: always a block, empty when there is none.
bool Parser::ParseElse() {
  out_.OpenBlock();
  if (IsKw("else")) {
    int line = Next().line;
    if (!AcceptOp(":")) return Fail(PosOf(Peek()), "expected ':'");
    if (!ParseBlock("'else' statement", line)) return false;
  }
  out_.CloseBlock();
  return true;
}

// A compound statement's header, written before its body is parsed into the block opened after it
// (the header's expressions are freed before the body is parsed).
bool Parser::ParseBody(StmtPtr header, const char* what, int line) {
  out_.WriteHeader(*header);
  header.reset();
  out_.OpenBlock();
  if (!ParseBlock(what, line)) return false;
  out_.CloseBlock();
  return true;
}

// if/elif/else. Each elif is an else clause holding one if: the chain is written as an else block
// opened per elif, all closed at the end, so that a long chain costs no recursion (here or in the
// compiler, which compiles it in a loop too) and copies nothing.
bool Parser::ParseIf() {
  const Token& if_token = Next();
  int line = if_token.line;
  StmtPtr stmt = NewStmt(StmtKind::kIf, PosOf(if_token));
  stmt->test = ParseTest();
  if (!stmt->test || !ParseHeaderColon() || !ParseBody(std::move(stmt), "'if' statement", line)) {
    return false;
  }
  size_t elifs = 0;
  while (IsKw("elif")) {
    const Token& elif_token = Next();
    int elif_line = elif_token.line;
    StmtPtr elif = NewStmt(StmtKind::kIf, PosOf(elif_token));
    elif->test = ParseTest();
    if (!elif->test || !ParseHeaderColon()) return false;
    out_.OpenBlock();  // the else clause of the if before, holding this elif
    ++elifs;
    if (!ParseBody(std::move(elif), "'elif' statement", elif_line)) return false;
  }
  if (!ParseElse()) return false;
  for (; elifs > 0; --elifs) out_.CloseBlock();
  return true;
}

bool Parser::ParseWhile() {
  const Token& token = Next();
  int line = token.line;
  StmtPtr stmt = NewStmt(StmtKind::kWhile, PosOf(token));
  stmt->test = ParseTest();
  if (!stmt->test || !ParseHeaderColon()) return false;
  ++loop_depth_;
  bool ok = ParseBody(std::move(stmt), "'while' statement", line);
  --loop_depth_;
  return ok && ParseElse();
}

bool Parser::ParseFor() {
  const Token& token = Next();
  int line = token.line;
  StmtPtr stmt = NewStmt(StmtKind::kFor, PosOf(token));
  ExprPtr target = ParseForTarget();
  if (!target) return false;
  if (!AcceptKw("in")) {
    if (const Expr* bad = InvalidTarget(*target)) {
      return Fail(bad->pos, std::string("cannot assign to ") + ExprName(*bad));
    }
    return FailGeneric();
  }
  if (!CheckTarget(*target)) return false;
  stmt->targets.push_back(std::move(target));
  stmt->value = ParseStarExpressions();
  if (!stmt->value || !ParseHeaderColon()) return false;
  ++loop_depth_;
  bool ok = ParseBody(std::move(stmt), "'for' statement", line);
  --loop_depth_;
  return ok && ParseElse();
}

// The target list of a for loop: operands below the comparison level (so that `in` ends it),
// separated by commas; several make an unparenthesised tuple.
ExprPtr Parser::ParseForTarget() {
  SourcePos pos = PosOf(Peek());
  ExprPtr first = ParseBitOr();
  if (!first || !IsOp(",")) return first;
  ExprPtr tuple = NewExpr(ExprKind::kTuple, pos);
  tuple->items.push_back(std::move(first));
  while (AcceptOp(",")) {
    if (IsKw("in")) break;
    ExprPtr item = ParseBitOr();
    if (!item) return nullptr;
    tuple->items.push_back(std::move(item));
  }
  return tuple;
}

// class NAME [ '(' [bases] ')' ] ':' block -- at module level only (a class in a function would
// need its methods to see the function's locals, and a class in a class is not in the subset).
// The bases go in `targets`.
bool Parser::ParseClass() {
  const Token& class_token = Next();
  SourcePos pos = PosOf(class_token);
  int line = class_token.line;
  if (!IsIdentifier()) return FailGeneric();
  StmtPtr stmt = NewStmt(StmtKind::kClassDef, pos);
  stmt->name = Next().text;
  if (AcceptOp("(")) {
    while (!AcceptOp(")")) {
      if (IsIdentifier() && IsOp("=", 1)) {
        return Fail(PosOf(Peek()), "class keyword arguments are not supported");
      }
      if (!stmt->targets.empty()) {
        return Fail(PosOf(Peek()), "multiple inheritance is not supported");
      }
      ExprPtr base = ParseExpression();
      if (!base) return false;
      stmt->targets.push_back(std::move(base));
      if (!AcceptOp(",") && !IsOp(")")) return FailGeneric();
    }
  }
  if (!ParseHeaderColon()) return false;
  int saved_loop_depth = loop_depth_;
  in_class_ = true;
  loop_depth_ = 0;
  bool ok = ParseBody(std::move(stmt), "class definition", line);
  in_class_ = false;
  loop_depth_ = saved_loop_depth;
  if (!ok) return false;
  out_.OpenBlock();  // a class's else clause: always empty
  out_.CloseBlock();
  return true;
}

// `@decorator NEWLINE` lines, then the def they decorate.
bool Parser::ParseDecorated() {
  std::vector<ExprPtr> decorators;
  while (AcceptOp("@")) {
    ExprPtr decorator = ParseExpression();
    if (!decorator) return false;
    if (Peek().kind != TokenKind::kNewline) return FailGeneric();
    Next();
    decorators.push_back(std::move(decorator));
  }
  if (IsKw("class")) return Fail(PosOf(Peek()), "class decorators are not supported");
  if (!IsKw("def")) return FailGeneric();
  return ParseDef(std::move(decorators));
}

bool Parser::ParseDef(std::vector<ExprPtr> decorators) {
  const Token& def_token = Next();
  SourcePos pos = PosOf(def_token);
  int line = def_token.line;
  if (!IsIdentifier()) return FailGeneric();
  StmtPtr stmt = NewStmt(StmtKind::kFunctionDef, pos);
  stmt->decorators = std::move(decorators);
  stmt->name = Next().text;
  if (!AcceptOp("(")) return Fail(PosOf(Peek()), "expected '('");
  if (!ParseParams(stmt.get(), ")")) return false;
  if (IsOp("->")) return Fail(PosOf(Peek()), "annotations are not supported");
  if (!AcceptOp(":")) return Fail(PosOf(Peek()), "expected ':'");
  int saved_loop_depth = loop_depth_;
  bool saved_in_function = in_function_;
  bool saved_in_class = in_class_;
  in_function_ = true;
  in_class_ = false;
  loop_depth_ = 0;
  bool ok = ParseBody(std::move(stmt), "function definition", line);
  in_function_ = saved_in_function;
  in_class_ = saved_in_class;
  loop_depth_ = saved_loop_depth;
  if (!ok) return false;
  out_.OpenBlock();  // a def's else clause: always empty
  out_.CloseBlock();
  return true;
}

// Parameters up to and including `close` (')' for a def, ':' for a lambda): NAME or NAME=default,
// then `*args` or a bare `*` and keyword-only parameters (each with or without a default), then
// `**kwargs`. Annotations and positional-only parameters are outside the subset.
bool Parser::ParseParams(Stmt* def, const char* close) {
  bool star_seen = false;
  auto duplicate = [&](const std::string& name) {
    bool seen = name == def->vararg || name == def->kwarg;
    for (const std::string& param : def->params) seen = seen || param == name;
    for (const std::string& param : def->kwonly_params) seen = seen || param == name;
    return seen;
  };
  while (!AcceptOp(close)) {
    const Token& token = Peek();
    SourcePos pos = PosOf(token);
    if (!def->kwarg.empty()) return Fail(pos, "arguments cannot follow var-keyword argument");
    if (IsOp("/")) return Fail(pos, "positional-only parameters are not supported");
    bool star = IsOp("*"), double_star = IsOp("**");
    if (star || double_star) {
      Next();
      if (star && star_seen) return Fail(pos, "* argument may appear only once");
      if (star && (IsOp(",") || IsOp(close))) {
        if (IsOp(close)) return Fail(pos, "named arguments must follow bare *");
        star_seen = true;
        Next();
        if (IsOp(close)) return Fail(pos, "named arguments must follow bare *");
        continue;
      }
      if (!IsIdentifier()) return FailGeneric();
      std::string name = Next().text;
      if (IsOp(":") && close[0] == ')') return Fail(PosOf(Peek()), "annotations are not supported");
      if (duplicate(name)) Defer(pos, "duplicate argument '" + name + "' in function definition");
      if (star) {
        star_seen = true;
        def->vararg = name;
      } else {
        def->kwarg = name;
      }
      if (IsOp("=")) {
        return Fail(PosOf(Peek()), star ? "var-positional argument cannot have default value"
                                        : "var-keyword argument cannot have default value");
      }
      if (!AcceptOp(",") && !IsOp(close)) return FailGeneric();
      continue;
    }
    if (!IsIdentifier()) return FailGeneric();
    std::string name = Next().text;
    if (IsOp(":") && close[0] == ')') return Fail(PosOf(Peek()), "annotations are not supported");
    if (duplicate(name)) Defer(pos, "duplicate argument '" + name + "' in function definition");
    ExprPtr value;
    if (AcceptOp("=")) {
      value = ParseExpression();
      if (!value) return false;
    }
    if (star_seen) {
      def->kwonly_params.push_back(name);
      def->kw_defaults.push_back(std::move(value));
    } else {
      def->params.push_back(name);
      if (value) {
        def->defaults.push_back(std::move(value));
      } else if (!def->defaults.empty() && (IsOp(",") || IsOp(close))) {
        return Fail(pos, "non-default argument follows default argument");
      }
    }
    if (!AcceptOp(",") && !IsOp(close)) return FailGeneric();
  }
  bool any_kw_default = false;
  for (const ExprPtr& d : def->kw_defaults) any_kw_default = any_kw_default || d != nullptr;
  if (!any_kw_default) def->kw_defaults.clear();  // nothing to encode
  return true;
}

// A yield expression as a statement: `yield [value]`, `yield from it`, or the value of an
// assignment (`yield = 1` is an error: ParseAssign checks the target).
bool Parser::ParseYieldStatement() {
  ExprPtr value = ParseYield();
  if (!value) return false;
  if (IsOp("=")) return ParseAssign(std::move(value));
  if (!AtStatementEnd()) return FailJuxtaposed();
  Stmt stmt(StmtKind::kExpr, value->pos);
  stmt.value = std::move(value);
  out_.Write(stmt);
  return true;
}

// `return [value]` and the statement form `yield [value]`.
bool Parser::ParseReturnOrYield() {
  const Token& token = Next();
  SourcePos pos = PosOf(token);
  bool is_return = token.text == "return";
  if (!in_function_)
    Defer(pos, is_return ? "'return' outside function" : "'yield' outside function");
  Stmt stmt(StmtKind::kReturn, pos);
  if (!AtStatementEnd()) {
    stmt.value = ParseStarExpressions();
    if (!stmt.value) return false;
  }
  if (!is_return && IsOp("=")) return Fail(pos, "assignment to yield expression not possible");
  out_.Write(stmt);
  return true;
}

// `global NAME, ...` and `nonlocal NAME, ...`.
bool Parser::ParseGlobal() {
  bool nonlocal = Peek().text == "nonlocal";
  SourcePos pos = PosOf(Next());
  if (nonlocal && !in_function_) Defer(pos, "nonlocal declaration not allowed at module level");
  Stmt stmt(nonlocal ? StmtKind::kNonlocal : StmtKind::kGlobal, pos);
  do {
    if (!IsIdentifier()) return FailGeneric();
    stmt.names.push_back(Next().text);
  } while (AcceptOp(","));
  out_.Write(stmt);
  return true;
}

bool Parser::ParseDottedName(std::string* name) {
  if (!IsIdentifier()) return FailGeneric();
  *name = Next().text;
  while (AcceptOp(".")) {
    if (!IsIdentifier()) return FailGeneric();
    *name += "." + Next().text;
  }
  return true;
}

// `import a [as b], c` gives one kImport per module.
bool Parser::ParseImport() {
  SourcePos pos = PosOf(Next());
  do {
    Stmt stmt(StmtKind::kImport, pos);
    if (!ParseDottedName(&stmt.module)) return false;
    if (AcceptKw("as")) {
      if (!IsIdentifier()) return FailGeneric();
      stmt.alias = Next().text;
    }
    out_.Write(stmt);
  } while (AcceptOp(","));
  return true;
}

bool Parser::ParseFromImport() {
  Stmt stmt(StmtKind::kImportFrom, PosOf(Next()));
  if (IsOp(".") || IsOp("...")) return Fail(PosOf(Peek()), "relative imports are not supported");
  if (!ParseDottedName(&stmt.module)) return false;
  if (!AcceptKw("import")) return FailGeneric();
  if (IsOp("*")) return Fail(PosOf(Peek()), "star imports are not supported");
  bool parenthesised = AcceptOp("(");
  do {
    if (parenthesised && IsOp(")") && !stmt.names.empty()) break;
    if (!ParseImportAlias(&stmt)) return false;
  } while (AcceptOp(","));
  if (parenthesised && !AcceptOp(")")) return FailGeneric();
  out_.Write(stmt);
  return true;
}

bool Parser::ParseImportAlias(Stmt* from) {
  if (!IsIdentifier()) return FailGeneric();
  from->names.push_back(Next().text);
  from->aliases.emplace_back();
  if (AcceptKw("as")) {
    if (!IsIdentifier()) return FailGeneric();
    from->aliases.back() = Next().text;
  }
  return true;
}

// `del target, ...`: names, subscripts, and tuples or lists of them; CPython's "cannot delete
// literal" for what is not a target at all.
bool Parser::ParseDel() {
  SourcePos pos = PosOf(Next());
  if (AtStatementEnd()) return FailGeneric();
  ExprPtr target = ParseStarExpressions();
  if (!target) return false;
  if (!AtStatementEnd()) return FailGeneric();
  if (const Expr* bad = InvalidTarget(*target)) {
    return Fail(bad->pos, std::string("cannot delete ") + ExprName(*bad));
  }
  Stmt stmt(StmtKind::kDelete, pos);
  stmt.targets.push_back(std::move(target));
  out_.Write(stmt);
  return true;
}

// raise [expr [from expr]]: the exception in `value`, the cause in `msg`.
bool Parser::ParseRaise() {
  Stmt stmt(StmtKind::kRaise, PosOf(Next()));
  if (!AtStatementEnd()) {
    stmt.value = ParseExpression();
    if (!stmt.value) return false;
    if (IsKw("from")) {
      Next();
      stmt.msg = ParseExpression();
      if (!stmt.msg) return false;
    }
  }
  out_.Write(stmt);
  return true;
}

bool Parser::ParseAssert() {
  Stmt stmt(StmtKind::kAssert, PosOf(Next()));
  stmt.test = ParseExpression();
  if (!stmt.test) return false;
  if (AcceptOp(",")) {
    stmt.msg = ParseExpression();
    if (!stmt.msg) return false;
  }
  out_.Write(stmt);
  return true;
}

// Expression statements, assignments and augmented assignments all start with an expression.
bool Parser::ParseExprStatement() {
  ExprPtr first = ParseStarExpressions();
  if (!first) return false;
  const Token& token = Peek();
  if (token.kind == TokenKind::kOp) {
    const std::string& op = token.text;
    if (op == "=") return ParseAssign(std::move(first));
    if (op.size() >= 2 && op.back() == '=' && op != "==" && op != "!=" && op != "<=" &&
        op != ">=") {
      return ParseAugAssign(std::move(first));
    }
    if (op == ":") return Fail(first->pos, "annotations are not supported");
  }
  if (!AtStatementEnd()) return FailJuxtaposed();
  SourcePos pos = first->pos;
  Stmt stmt(StmtKind::kExpr, pos);
  stmt.value = std::move(first);
  out_.Write(stmt);
  return true;
}

// `t1 = t2 = ... = value`: every expression but the last is a target. Like CPython, a bad target
// is reported when its '=' is reached, before the right-hand side is parsed.
bool Parser::ParseAssign(ExprPtr first) {
  Stmt stmt(StmtKind::kAssign, first->pos);
  std::vector<ExprPtr> chain;
  chain.push_back(std::move(first));
  while (IsOp("=")) {
    if (!CheckAssignTarget(*chain.back(), chain.size() == 1)) return false;
    Next();
    ExprPtr next = IsKw("yield") ? ParseYield() : ParseStarExpressions();
    if (!next) return false;
    chain.push_back(std::move(next));
  }
  stmt.value = std::move(chain.back());
  chain.pop_back();
  stmt.targets = std::move(chain);
  out_.Write(stmt);
  return true;
}

// The target before an '=' (the current token). For the first target of a statement CPython
// words `1 = x` as "cannot assign to literal here. Maybe you meant '==' instead of '='?" when
// what follows the '=' is a plain operand that no further '=' follows.
bool Parser::CheckAssignTarget(const Expr& target, bool first) {
  const Expr* bad = InvalidTarget(target);
  if (bad == nullptr) return true;
  if (first && IsAssignHintCandidate(target)) {
    size_t saved_pos = pos_;
    Next();  // '='
    ExprPtr value = ParseBitOr();
    bool hint = value != nullptr && !IsOp("=") && !IsOp(":=");
    pos_ = saved_pos;
    failed_ = false;
    if (hint) {
      return Fail(target.pos, std::string("cannot assign to ") + ExprName(target) +
                                  " here. Maybe you meant '==' instead of '='?");
    }
  }
  return Fail(bad->pos, std::string("cannot assign to ") + ExprName(*bad));
}

bool Parser::ParseAugAssign(ExprPtr target) {
  const Token& op_token = Peek();
  static constexpr std::pair<std::string_view, BinaryOp> kOps[] = {
      {"+=", BinaryOp::kAdd},    {"-=", BinaryOp::kSub},       {"*=", BinaryOp::kMul},
      {"/=", BinaryOp::kDiv},    {"//=", BinaryOp::kFloorDiv}, {"%=", BinaryOp::kMod},
      {"**=", BinaryOp::kPow},   {"|=", BinaryOp::kBitOr},     {"^=", BinaryOp::kBitXor},
      {"&=", BinaryOp::kBitAnd}, {"<<=", BinaryOp::kLShift},   {">>=", BinaryOp::kRShift}};
  Stmt stmt(StmtKind::kAugAssign, target->pos);
  bool known = false;
  for (const auto& [text, op] : kOps) {
    if (op_token.text == text) {
      stmt.aug_op = op;
      known = true;
    }
  }
  if (!known) {
    return Fail(PosOf(op_token),
                "augmented assignment with '" + op_token.text + "' is not supported");
  }
  if (target->kind != ExprKind::kName && target->kind != ExprKind::kSubscript &&
      target->kind != ExprKind::kAttribute && target->kind != ExprKind::kSlice) {
    return Fail(target->pos, std::string("'") + ExprName(*target) +
                                 "' is an illegal expression for augmented assignment");
  }
  Next();
  stmt.value = IsKw("yield") ? ParseYield() : ParseStarExpressions();
  if (!stmt.value) return false;
  stmt.targets.push_back(std::move(target));
  out_.Write(stmt);
  return true;
}

// A valid Python target.
bool Parser::CheckTarget(const Expr& target) {
  if (const Expr* bad = InvalidTarget(target)) {
    return Fail(bad->pos, std::string("cannot assign to ") + ExprName(*bad));
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Expressions

// expression (',' expression)* [','] — several make a tuple positioned at the first one.
ExprPtr Parser::ParseStarExpressions() {
  ExprPtr first = ParseExpression();
  if (!first || !IsOp(",")) return first;
  ExprPtr tuple = NewExpr(ExprKind::kTuple, first->pos);
  tuple->items.push_back(std::move(first));
  while (AcceptOp(",")) {
    if (!CanStartExpression() && !IsOp("*") && !IsKw("yield")) break;
    ExprPtr item = ParseExpression();
    if (!item) return nullptr;
    tuple->items.push_back(std::move(item));
  }
  return tuple;
}

// The condition of if/elif/while, where CPython explains a stray `=`.
ExprPtr Parser::ParseTest() {
  ExprPtr test = ParseExpression();
  if (test && IsOp("=") && !CheckStrayAssignment(*test)) return nullptr;
  return test;
}

// `NAME = value` or `expr = value` where an expression was expected (CPython's
// invalid_named_expression); false with the error recorded when one of its messages applies.
bool Parser::CheckStrayAssignment(const Expr& test) {
  if (test.kind != ExprKind::kName && !IsAssignHintCandidate(test)) return true;
  size_t saved_pos = pos_;
  Next();  // '='
  ExprPtr value = ParseBitOr();
  bool applies = value != nullptr && !IsOp("=") && !IsOp(":=");
  pos_ = saved_pos;
  failed_ = false;
  if (!applies) return true;
  if (test.kind == ExprKind::kName) {
    return Fail(test.pos, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
  }
  return Fail(test.pos, std::string("cannot assign to ") + ExprName(test) +
                            " here. Maybe you meant '==' instead of '='?");
}

// `print x` / `exec x`: a bare name directly followed by something that parses as an expression
// is never valid, and CPython then suggests the Python 3 call.
bool Parser::CheckLegacyPrint(const Expr& name) {
  if (name.kind != ExprKind::kName || (name.str_value != "print" && name.str_value != "exec") ||
      !CanStartExpression() || IsOp("(")) {
    return true;
  }
  size_t saved_pos = pos_;
  ExprPtr probe = ParseStarExpressions();
  pos_ = saved_pos;
  failed_ = false;
  if (!probe) return true;
  return Fail(name.pos, "Missing parentheses in call to '" + name.str_value + "'. Did you mean " +
                            name.str_value + "(...)?");
}

// disjunction ['if' disjunction 'else' expression]
ExprPtr Parser::ParseExpression() {
  DepthGuard guard(this);
  if (depth_ > kMaxDepth) {
    Fail(PosOf(Peek()), "expression is too deeply nested");
    return nullptr;
  }
  if (IsKw("lambda")) return ParseLambda();
  ExprPtr body = ParseDisjunction();
  if (!body || !CheckLegacyPrint(*body)) return nullptr;
  if (IsOp(":=")) {
    Fail(PosOf(Peek()), "walrus operator is not supported");
    return nullptr;
  }
  if (!AcceptKw("if")) return body;
  ExprPtr test = ParseDisjunction();
  if (!test) return nullptr;
  if (!AcceptKw("else")) {
    if (IsOp(":")) {
      FailGeneric();
    } else {
      Fail(body->pos, "expected 'else' after 'if' expression");
    }
    return nullptr;
  }
  ExprPtr orelse = ParseExpression();
  if (!orelse) return nullptr;
  ExprPtr node = NewExpr(ExprKind::kIfExp, body->pos);
  node->left = std::move(body);
  node->operand = std::move(test);
  node->right = std::move(orelse);
  return node;
}

ExprPtr Parser::ParseDisjunction() {
  return ParseBoolChain("or", BoolOpKind::kOr, &Parser::ParseConjunction);
}

ExprPtr Parser::ParseConjunction() {
  return ParseBoolChain("and", BoolOpKind::kAnd, &Parser::ParseInversion);
}

// `a or b or c` / `a and b and c`: one flat kBoolOp over the operands, or the lone operand.
ExprPtr Parser::ParseBoolChain(const char* keyword, BoolOpKind kind, ExprPtr (Parser::*operand)()) {
  ExprPtr first = (this->*operand)();
  if (!first || !IsKw(keyword)) return first;
  ExprPtr node = NewExpr(ExprKind::kBoolOp, first->pos);
  node->bool_op = kind;
  node->items.push_back(std::move(first));
  while (AcceptKw(keyword)) {
    ExprPtr next = (this->*operand)();
    if (!next) return nullptr;
    node->items.push_back(std::move(next));
  }
  return node;
}

ExprPtr Parser::ParseInversion() {
  if (!IsKw("not")) return ParseComparison();
  DepthGuard guard(this);
  SourcePos pos = PosOf(Next());
  if (depth_ > kMaxDepth) {
    Fail(pos, "expression is too deeply nested");
    return nullptr;
  }
  ExprPtr operand = ParseInversion();
  if (!operand) return nullptr;
  ExprPtr node = NewExpr(ExprKind::kUnary, pos);
  node->unary_op = UnaryOp::kNot;
  node->operand = std::move(operand);
  return node;
}

// Consumes a comparison operator if one is next (two tokens for `not in` and `is not`).
bool Parser::ParseCompareOp(CompareOp* op) {
  static constexpr std::pair<std::string_view, CompareOp> kOps[] = {
      {"==", CompareOp::kEq}, {"!=", CompareOp::kNe}, {"<", CompareOp::kLt},
      {"<=", CompareOp::kLe}, {">", CompareOp::kGt},  {">=", CompareOp::kGe}};
  if (Peek().kind == TokenKind::kOp) {
    for (const auto& [text, value] : kOps) {
      if (Peek().text == text) {
        Next();
        *op = value;
        return true;
      }
    }
    return false;
  }
  if (IsKw("in")) {
    *op = CompareOp::kIn;
  } else if (IsKw("not") && IsKw("in", 1)) {
    Next();
    *op = CompareOp::kNotIn;
  } else if (IsKw("is")) {
    if (IsKw("not", 1)) Next();
    *op = IsKw("not") ? CompareOp::kIsNot : CompareOp::kIs;
  } else {
    return false;
  }
  Next();
  return true;
}

ExprPtr Parser::ParseComparison() {
  ExprPtr first = ParseBitOr();
  if (!first) return nullptr;
  ExprPtr node;
  CompareOp op;
  while (ParseCompareOp(&op)) {
    if (!node) {
      node = NewExpr(ExprKind::kCompare, first->pos);
      node->left = std::move(first);
    }
    ExprPtr next = ParseBitOr();
    if (!next) return nullptr;
    node->compare_ops.push_back(op);
    node->items.push_back(std::move(next));
  }
  return node ? std::move(node) : std::move(first);
}

// One level of left-associative binary operators (a | b | c): `ops` gives each level's tokens and
// operators, `operand` parses the next tighter level.
ExprPtr Parser::ParseBinaryLevel(std::initializer_list<std::pair<std::string_view, BinaryOp>> ops,
                                 ExprPtr (Parser::*operand)()) {
  ExprPtr left = (this->*operand)();
  int chain = 0;
  while (left && Peek().kind == TokenKind::kOp) {
    const auto it = std::find_if(ops.begin(), ops.end(),
                                 [&](const auto& entry) { return Peek().text == entry.first; });
    if (it == ops.end()) break;
    Next();
    ExprPtr right = (this->*operand)();
    if (!right || !Deepen(&chain)) return nullptr;
    left = MakeBinary(it->second, std::move(left), std::move(right));
  }
  return left;
}

// The bitwise operators sit between comparisons and sums, loosest first: | ^ & and the shifts.
ExprPtr Parser::ParseBitOr() {
  return ParseBinaryLevel({{"|", BinaryOp::kBitOr}}, &Parser::ParseBitXor);
}

ExprPtr Parser::ParseBitXor() {
  return ParseBinaryLevel({{"^", BinaryOp::kBitXor}}, &Parser::ParseBitAnd);
}

ExprPtr Parser::ParseBitAnd() {
  return ParseBinaryLevel({{"&", BinaryOp::kBitAnd}}, &Parser::ParseShift);
}

ExprPtr Parser::ParseShift() {
  return ParseBinaryLevel({{"<<", BinaryOp::kLShift}, {">>", BinaryOp::kRShift}},
                          &Parser::ParseSum);
}

// A binary-operator node, placed where its left operand starts (as CPython places it).
ExprPtr Parser::MakeBinary(BinaryOp op, ExprPtr left, ExprPtr right) {
  ExprPtr node = NewExpr(ExprKind::kBinary, left->pos);
  node->binary_op = op;
  node->left = std::move(left);
  node->right = std::move(right);
  return node;
}

ExprPtr Parser::ParseSum() {
  ExprPtr left = ParseTerm();
  int chain = 0;
  while (left && (IsOp("+") || IsOp("-"))) {
    BinaryOp op = Next().text == "+" ? BinaryOp::kAdd : BinaryOp::kSub;
    ExprPtr right = ParseTerm();
    if (!right || !Deepen(&chain)) return nullptr;
    left = MakeBinary(op, std::move(left), std::move(right));
  }
  return left;
}

ExprPtr Parser::ParseTerm() {
  ExprPtr left = ParseFactor();
  int chain = 0;
  while (left && Peek().kind == TokenKind::kOp) {
    const std::string& text = Peek().text;
    if (text == "@") {
      Fail(PosOf(Peek()), "the '@' operator is not supported");
      return nullptr;
    }
    if (text != "*" && text != "/" && text != "//" && text != "%") break;
    BinaryOp op = text == "*"   ? BinaryOp::kMul
                  : text == "/" ? BinaryOp::kDiv
                  : text == "%" ? BinaryOp::kMod
                                : BinaryOp::kFloorDiv;
    Next();
    ExprPtr right = ParseFactor();
    if (!right || !Deepen(&chain)) return nullptr;
    left = MakeBinary(op, std::move(left), std::move(right));
  }
  return left;
}

// Unary +, - and ~ bind looser than ** (so -2**2 == -4) and tighter than * /.
ExprPtr Parser::ParseFactor() {
  if (!IsOp("-") && !IsOp("+") && !IsOp("~")) return ParsePower();
  DepthGuard guard(this);
  const Token& token = Next();
  ExprPtr node = NewExpr(ExprKind::kUnary, PosOf(token));
  node->unary_op = token.text == "-"   ? UnaryOp::kNeg
                   : token.text == "+" ? UnaryOp::kPos
                                       : UnaryOp::kInvert;
  if (depth_ > kMaxDepth) {
    Fail(node->pos, "expression is too deeply nested");
    return nullptr;
  }
  node->operand = ParseFactor();
  if (!node->operand) return nullptr;
  return node;
}

// primary ['**' factor]: right-associative through factor.
ExprPtr Parser::ParsePower() {
  if (IsKw("await")) {
    Fail(PosOf(Peek()), "async is not supported");
    return nullptr;
  }
  ExprPtr base = ParsePrimary();
  if (!base || !AcceptOp("**")) return base;
  DepthGuard guard(this);
  if (depth_ > kMaxDepth) {
    Fail(base->pos, "expression is too deeply nested");
    return nullptr;
  }
  ExprPtr exponent = ParseFactor();
  if (!exponent) return nullptr;
  return MakeBinary(BinaryOp::kPow, std::move(base), std::move(exponent));
}

// atom followed by any number of .name, (args) and [index] trailers.
ExprPtr Parser::ParsePrimary() {
  ExprPtr node = ParseAtom();
  int chain = 0;
  while (node) {
    if (AcceptOp(".")) {
      if (!IsIdentifier()) {
        FailGeneric();
        return nullptr;
      }
      ExprPtr attribute = NewExpr(ExprKind::kAttribute, node->pos);
      attribute->str_value = Next().text;
      attribute->left = std::move(node);
      node = std::move(attribute);
    } else if (AcceptOp("(")) {
      node = ParseCall(std::move(node));
    } else if (AcceptOp("[")) {
      node = ParseSubscript(std::move(node));
    } else {
      break;
    }
    if (node && !Deepen(&chain)) return nullptr;
  }
  return node;
}

ExprPtr Parser::ParseAtom() {
  const Token& token = Peek();
  SourcePos pos = PosOf(token);
  switch (token.kind) {
    case TokenKind::kName:
      if (IsKeyword(token.text)) return ParseKeywordAtom();
      {
        ExprPtr name = NewExpr(ExprKind::kName, pos);
        name->str_value = Next().text;
        return name;
      }
    case TokenKind::kInt: {
      if (!token.error.empty()) {
        Fail(pos, token.error);
        return nullptr;
      }
      ExprPtr number = NewExpr(ExprKind::kInt, pos);
      number->int_value = Next().int_value;
      return number;
    }
    case TokenKind::kFloat: {
      ExprPtr number = NewExpr(ExprKind::kFloat, pos);
      number->float_value = Next().float_value;
      return number;
    }
    case TokenKind::kImaginary:
      Fail(pos, "complex literals are not supported");
      return nullptr;
    case TokenKind::kString:
      return ParseStrings();
    case TokenKind::kOp:
      return ParseOpAtom();
    default:
      FailGeneric();
      return nullptr;
  }
}

ExprPtr Parser::ParseKeywordAtom() {
  const Token& token = Peek();
  SourcePos pos = PosOf(token);
  const std::string& word = token.text;
  if (word == "True" || word == "False" || word == "None") {
    Next();
    return NewExpr(word == "True"    ? ExprKind::kTrue
                   : word == "False" ? ExprKind::kFalse
                                     : ExprKind::kNone,
                   pos);
  }
  if (word == "yield") {
    Fail(pos, "yield expression must be in parentheses here");  // `(yield)` is ParseParen's
  } else if (word == "await" || word == "async") {
    Fail(pos, "async is not supported");
  } else {
    FailGeneric();
  }
  return nullptr;
}

ExprPtr Parser::ParseOpAtom() {
  const Token& token = Peek();
  SourcePos pos = PosOf(token);
  if (token.text == "(") return ParseParen();
  if (token.text == "[") return ParseList();
  if (token.text == "{") return ParseBrace();
  if (token.text == "*" || token.text == "**") {
    Fail(pos, "star expressions are not supported");
  } else if (token.text == "...") {
    Fail(pos, "ellipsis literals are not supported");
  } else {
    FailGeneric();
  }
  return nullptr;
}

// ( ) | ( expr ) | ( expr , ... )
ExprPtr Parser::ParseParen() {
  SourcePos pos = PosOf(Next());
  ExprPtr tuple = NewExpr(ExprKind::kTuple, pos);
  if (AcceptOp(")")) return tuple;
  if (IsKw("yield")) {
    ExprPtr value = ParseYield();
    if (!value) return nullptr;
    if (!AcceptOp(")")) {
      FailGeneric();
      return nullptr;
    }
    return value;
  }
  ExprPtr first = ParseExpression();
  if (!first) return nullptr;
  if (IsKw("for") || IsKw("async")) {
    ExprPtr gen = ParseComprehension(ExprKind::kGenExp, pos, std::move(first), nullptr);
    if (!gen) return nullptr;
    if (!AcceptOp(")")) {
      FailGeneric();
      return nullptr;
    }
    return gen;
  }
  if (AcceptOp(")")) return first;
  if (!IsOp(",")) {
    if (IsOp("=")) CheckStrayAssignment(*first);
    FailMissingComma(*first);
    return nullptr;
  }
  tuple->items.push_back(std::move(first));
  while (AcceptOp(",")) {
    if (IsOp(")")) break;
    ExprPtr item = ParseExpression();
    if (!item) return nullptr;
    tuple->items.push_back(std::move(item));
    if (!IsOp(",") && !IsOp(")")) {
      if (IsOp("=")) CheckStrayAssignment(*tuple->items.back());
      FailMissingComma(*tuple->items.back());
      return nullptr;
    }
  }
  if (!AcceptOp(")")) {
    FailGeneric();
    return nullptr;
  }
  return tuple;
}

// An item of a display: an expression, where CPython would also take *iterable (and, in a dict,
// **mapping).
ExprPtr Parser::ParseDisplayItem() {
  if (IsOp("**")) {
    Fail(PosOf(Peek()), "dict unpacking is not supported");
    return nullptr;
  }
  if (IsOp("*")) {
    Fail(PosOf(Peek()), "star expressions are not supported");
    return nullptr;
  }
  return ParseExpression();
}

// { } | { key: value, ... } | { item, ... }: the first item and what follows it decide which.
ExprPtr Parser::ParseBrace() {
  SourcePos pos = PosOf(Next());
  if (AcceptOp("}")) return NewExpr(ExprKind::kDict, pos);
  ExprPtr first = ParseDisplayItem();
  if (!first) return nullptr;
  if (IsOp(":")) return ParseDictDisplay(pos, std::move(first));
  if (IsKw("for") || IsKw("async")) {
    ExprPtr comp = ParseComprehension(ExprKind::kSetComp, pos, std::move(first), nullptr);
    if (!comp) return nullptr;
    if (!AcceptOp("}")) {
      FailGeneric();
      return nullptr;
    }
    return comp;
  }
  ExprPtr set = NewExpr(ExprKind::kSet, pos);
  set->items.push_back(std::move(first));
  for (;;) {
    if (IsKw("for") || IsKw("async")) {
      FailGeneric();
      return nullptr;
    }
    if (AcceptOp("}")) return set;
    if (!AcceptOp(",")) {
      if (IsOp("=")) CheckStrayAssignment(*set->items.back());
      FailMissingComma(*set->items.back());
      return nullptr;
    }
    if (AcceptOp("}")) return set;
    ExprPtr item = ParseDisplayItem();
    if (!item) return nullptr;
    set->items.push_back(std::move(item));
  }
}

// The rest of a dict display after its first key (at its ':'), with CPython's messages for a
// missing value or a missing ':'.
ExprPtr Parser::ParseDictDisplay(SourcePos pos, ExprPtr key) {
  ExprPtr dict = NewExpr(ExprKind::kDict, pos);
  for (;;) {
    SourcePos colon = PosOf(Next());
    if (IsOp("}") || IsOp(",")) {
      Fail(colon, "expression expected after dictionary key and ':'");
      return nullptr;
    }
    ExprPtr value = ParseExpression();
    if (!value) return nullptr;
    if (IsKw("for") || IsKw("async")) {
      if (!dict->items.empty()) {
        FailGeneric();
        return nullptr;
      }
      ExprPtr comp = ParseComprehension(ExprKind::kDictComp, pos, std::move(key), std::move(value));
      if (!comp) return nullptr;
      if (!AcceptOp("}")) {
        FailGeneric();
        return nullptr;
      }
      return comp;
    }
    dict->items.push_back(std::move(key));
    dict->items.push_back(std::move(value));
    if (AcceptOp("}")) return dict;
    if (!AcceptOp(",")) {
      if (IsOp("=")) CheckStrayAssignment(*dict->items.back());
      FailMissingComma(*dict->items.back());
      return nullptr;
    }
    if (AcceptOp("}")) return dict;
    key = ParseDisplayItem();
    if (!key) return nullptr;
    if (!IsOp(":")) {
      Fail(key->pos, "':' expected after dictionary key");
      return nullptr;
    }
  }
}

ExprPtr Parser::ParseList() {
  SourcePos pos = PosOf(Next());
  ExprPtr list = NewExpr(ExprKind::kList, pos);
  while (!AcceptOp("]")) {
    ExprPtr item = ParseExpression();
    if (!item) return nullptr;
    if ((IsKw("for") || IsKw("async")) && list->items.empty()) {
      ExprPtr comp = ParseComprehension(ExprKind::kListComp, pos, std::move(item), nullptr);
      if (!comp) return nullptr;
      if (!AcceptOp("]")) {
        FailGeneric();
        return nullptr;
      }
      return comp;
    }
    list->items.push_back(std::move(item));
    if (AcceptOp(",")) continue;
    if (!IsOp("]")) {
      if (IsOp("=")) CheckStrayAssignment(*list->items.back());
      FailMissingComma(*list->items.back());
      return nullptr;
    }
  }
  return list;
}

// After '(' of a call: positional arguments, then keyword arguments.
ExprPtr Parser::ParseCall(ExprPtr func) {
  ExprPtr call = NewExpr(ExprKind::kCall, func->pos);
  call->left = std::move(func);
  while (!AcceptOp(")")) {
    const Expr* last = nullptr;
    if (!ParseArgument(call.get(), &last)) return nullptr;
    if (AcceptOp(",")) continue;
    if (!IsOp(")")) {
      FailMissingComma(*last);
      return nullptr;
    }
  }
  return call;
}

// One argument; `last` is set to its value for the comma hint.
bool Parser::ParseArgument(Expr* call, const Expr** last) {
  const Token& token = Peek();
  SourcePos pos = PosOf(token);
  if (IsOp("**")) {
    Next();
    ExprPtr value = ParseExpression();
    if (!value) return false;
    *last = value.get();
    call->keywords.push_back(Keyword{"", std::move(value), pos});
    return true;
  }
  if (IsOp("*")) {
    Next();
    ExprPtr value = ParseExpression();
    if (!value) return false;
    for (const Keyword& keyword : call->keywords) {
      if (keyword.name.empty()) {
        return Fail(pos, "iterable argument unpacking follows keyword argument unpacking");
      }
    }
    ExprPtr starred = NewExpr(ExprKind::kStarred, pos);
    starred->operand = std::move(value);
    *last = starred->operand.get();
    call->items.push_back(std::move(starred));
    return true;
  }
  if (IsIdentifier() && IsOp("=", 1)) {
    std::string name = Next().text;
    Next();
    for (const Keyword& keyword : call->keywords) {
      if (keyword.name == name) return Fail(pos, "keyword argument repeated: " + name);
    }
    ExprPtr value = ParseExpression();
    if (!value) return false;
    *last = value.get();
    call->keywords.push_back(Keyword{name, std::move(value), pos});
    return true;
  }
  ExprPtr arg = ParseExpression();
  if (!arg) return false;
  if (IsOp("=")) {
    return Fail(arg->pos, "expression cannot contain assignment, perhaps you meant \"==\"?");
  }
  if (IsKw("for") || IsKw("async")) {
    // A generator expression as an argument: the call's only one, unparenthesised.
    bool alone = call->items.empty() && call->keywords.empty();
    arg = ParseComprehension(ExprKind::kGenExp, arg->pos, std::move(arg), nullptr);
    if (!arg) return false;
    if (!alone || !IsOp(")")) {
      return Fail(arg->pos, "Generator expression must be parenthesized");
    }
  }
  if (!call->keywords.empty() && (IsOp(",") || IsOp(")"))) {
    bool unpacking = false;
    for (const Keyword& keyword : call->keywords) unpacking = unpacking || keyword.name.empty();
    return Fail(arg->pos, unpacking ? "positional argument follows keyword argument unpacking"
                                    : "positional argument follows keyword argument");
  }
  *last = arg.get();
  call->items.push_back(std::move(arg));
  return true;
}

// After '[': an index (a tuple when there are commas) or a slice, with or without a step.
ExprPtr Parser::ParseSubscript(ExprPtr object) {
  SourcePos pos = object->pos;
  ExprPtr lower;
  if (!IsOp(":")) {
    lower = ParseStarExpressions();
    if (!lower) return nullptr;
  }
  if (!IsOp(":")) {
    if (!AcceptOp("]")) {
      FailMissingComma(*lower);
      return nullptr;
    }
    ExprPtr node = NewExpr(ExprKind::kSubscript, pos);
    node->left = std::move(object);
    node->right = std::move(lower);
    return node;
  }
  Next();  // ':'
  ExprPtr slice = NewExpr(ExprKind::kSlice, pos);
  slice->left = std::move(object);
  slice->slice_lower = std::move(lower);
  if (!IsOp("]") && !IsOp(":") && !IsOp(",")) {
    slice->slice_upper = ParseExpression();
    if (!slice->slice_upper) return nullptr;
  }
  if (AcceptOp(":") && !IsOp("]") && !IsOp(",")) {
    slice->operand = ParseExpression();  // the step
    if (!slice->operand) return nullptr;
  }
  if (IsOp(",")) {
    Fail(PosOf(Peek()), "multi-dimensional slices are not supported");
    return nullptr;
  }
  if (!AcceptOp("]")) {
    FailGeneric();
    return nullptr;
  }
  return slice;
}

// A whole token list holding one expression (a replacement field's text).
ExprPtr Parser::ParseStandaloneExpression() {
  if (IsKw("yield")) {
    Fail(PosOf(Peek()), "yield expressions are not supported");
    return nullptr;
  }
  ExprPtr value = ParseStarExpressions();
  if (!value) return nullptr;
  if (Peek().kind != TokenKind::kEndMarker) {
    if (IsOp("=")) CheckStrayAssignment(*value);
    FailMissingComma(*value);
    return nullptr;
  }
  return value;
}

// `yield [value]` or `yield from iterable` (at the `yield`).
ExprPtr Parser::ParseYield() {
  SourcePos pos = PosOf(Next());
  if (!in_function_) Defer(pos, "'yield' outside function");
  if (AcceptKw("from")) {
    ExprPtr node = NewExpr(ExprKind::kYieldFrom, pos);
    node->operand = ParseExpression();
    if (!node->operand) return nullptr;
    return node;
  }
  ExprPtr node = NewExpr(ExprKind::kYield, pos);
  if (!AtStatementEnd() && !IsOp(")") && !IsOp("=") && !IsOp("]") && !IsOp("}")) {
    node->operand = ParseStarExpressions();
    if (!node->operand) return nullptr;
  }
  return node;
}

// `lambda params: body` (at `lambda`). The parameters go into keywords (see ExprKind::kLambda).
ExprPtr Parser::ParseLambda() {
  SourcePos pos = PosOf(Next());
  Stmt params(StmtKind::kFunctionDef, pos);
  if (!ParseParams(&params, ":")) return nullptr;
  ExprPtr node = NewExpr(ExprKind::kLambda, pos);
  size_t ndefaults = params.defaults.size();
  for (size_t i = 0; i < params.params.size(); ++i) {
    size_t first_default = params.params.size() - ndefaults;
    ExprPtr value = i >= first_default ? std::move(params.defaults[i - first_default]) : nullptr;
    node->keywords.push_back(Keyword{params.params[i], std::move(value), pos});
  }
  if (!params.vararg.empty()) {
    node->keywords.push_back(Keyword{"*" + params.vararg, nullptr, pos});
  } else if (!params.kwonly_params.empty()) {
    node->keywords.push_back(Keyword{"*", nullptr, pos});
  }
  for (size_t i = 0; i < params.kwonly_params.size(); ++i) {
    ExprPtr value = i < params.kw_defaults.size() ? std::move(params.kw_defaults[i]) : nullptr;
    node->keywords.push_back(Keyword{params.kwonly_params[i], std::move(value), pos});
  }
  if (!params.kwarg.empty()) node->keywords.push_back(Keyword{"**" + params.kwarg, nullptr, pos});
  bool saved_in_function = in_function_;
  in_function_ = true;
  node->operand = ParseExpression();
  in_function_ = saved_in_function;
  if (!node->operand) return nullptr;
  return node;
}

// The `for ... in ... [if ...]` clauses after a comprehension's element (at the first `for`).
ExprPtr Parser::ParseComprehension(ExprKind kind, SourcePos pos, ExprPtr element, ExprPtr value) {
  ExprPtr node = NewExpr(kind, pos);
  node->left = std::move(element);
  node->right = std::move(value);
  ExprPtr* next = &node->operand;
  while (IsKw("for") || IsKw("async")) {
    if (IsKw("async")) {
      Fail(PosOf(Peek()), "async is not supported");
      return nullptr;
    }
    ExprPtr clause = NewExpr(ExprKind::kCompFor, PosOf(Next()));
    clause->left = ParseForTarget();
    if (!clause->left || !CheckTarget(*clause->left)) return nullptr;
    if (!AcceptKw("in")) {
      FailGeneric();
      return nullptr;
    }
    clause->right = ParseDisjunction();
    if (!clause->right) return nullptr;
    while (AcceptKw("if")) {
      ExprPtr cond = ParseDisjunction();
      if (!cond) return nullptr;
      clause->items.push_back(std::move(cond));
    }
    *next = std::move(clause);
    next = &(*next)->operand;
  }
  return node;
}

}  // namespace parser_detail

using parser_detail::Parser;

bool ParseEach(std::string_view source, std::string_view filename, const StatementSink& take,
               SyntaxErrorInfo* error) {
  TokenStream tokens(source);
  Parser parser(tokens, 0);
  if (!parser.ParseModule(take)) {
    *error = parser.FinalError();
    static constexpr std::string_view kNonUtf8 = "Non-UTF-8 code starting with '\\xNN'";
    if (error->message.rfind("Non-UTF-8", 0) == 0 && error->message.size() > kNonUtf8.size()) {
      error->message.insert(kNonUtf8.size(), " in file " + std::string(filename));
    }
    return false;
  }
  if (parser.deferred()) {
    *error = *parser.deferred();
    return false;
  }
  return true;
}

bool Parse(std::string_view source, std::string_view filename, Module* module,
           SyntaxErrorInfo* error) {
  module->filename = std::string(filename);
  module->body.clear();
  auto keep = [&](StmtPtr s) { module->body.push_back(std::move(s)); };
  bool ok = ParseEach(source, filename, keep, error);
  if (!ok) module->body.clear();
  return ok;
}

}  // namespace gilbench::vm
