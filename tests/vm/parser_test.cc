// Tests of the parser: the tree shape of every construct (printed as s-expressions so that each
// expectation reads like the source), precedence, the CPython-worded errors, the messages for
// constructs outside the subset, FormatSyntaxError, and robustness on garbage input.
#include "vm/parser.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

namespace gilbench::vm {
namespace {

std::string Dump(const Expr* e);

std::string DumpAll(const std::vector<ExprPtr>& items) {
  std::string out;
  for (const ExprPtr& item : items) out += " " + Dump(item.get());
  return out;
}

const char* BinaryName(BinaryOp op) {
  static const char* const kNames[] = {"+",  "-", "*", "/", "//", "%",
                                       "**", "|", "^", "&", "<<", ">>"};
  return kNames[static_cast<int>(op)];
}

const char* CompareName(CompareOp op) {
  static const char* const kNames[] = {"==", "!=", "<",      "<=", ">",
                                       ">=", "in", "not-in", "is", "is-not"};
  return kNames[static_cast<int>(op)];
}

std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string Dump(const Expr* e) {
  if (e == nullptr) return "_";
  switch (e->kind) {
    case ExprKind::kInt:
      return std::to_string(e->int_value);
    case ExprKind::kFloat: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", e->float_value);
      return std::string(buf) + "f";
    }
    case ExprKind::kStr:
      return Quote(e->str_value);
    case ExprKind::kBytes:
      return "b" + Quote(e->str_value);
    case ExprKind::kTrue:
      return "True";
    case ExprKind::kFalse:
      return "False";
    case ExprKind::kNone:
      return "None";
    case ExprKind::kName:
      return e->str_value;
    case ExprKind::kUnary: {
      const char* op = e->unary_op == UnaryOp::kNeg   ? "neg"
                       : e->unary_op == UnaryOp::kPos ? "pos"
                       : e->unary_op == UnaryOp::kNot ? "not"
                                                      : "invert";
      return std::string("(") + op + " " + Dump(e->operand.get()) + ")";
    }
    case ExprKind::kBinary:
      return std::string("(") + BinaryName(e->binary_op) + " " + Dump(e->left.get()) + " " +
             Dump(e->right.get()) + ")";
    case ExprKind::kCompare: {
      std::string out = "(cmp " + Dump(e->left.get());
      for (size_t i = 0; i < e->items.size(); ++i) {
        out += std::string(" ") + CompareName(e->compare_ops[i]) + " " + Dump(e->items[i].get());
      }
      return out + ")";
    }
    case ExprKind::kBoolOp:
      return std::string(e->bool_op == BoolOpKind::kAnd ? "(and" : "(or") + DumpAll(e->items) + ")";
    case ExprKind::kIfExp:
      return "(ifexp " + Dump(e->left.get()) + " " + Dump(e->operand.get()) + " " +
             Dump(e->right.get()) + ")";
    case ExprKind::kCall: {
      std::string out = "(call " + Dump(e->left.get()) + DumpAll(e->items);
      for (const Keyword& keyword : e->keywords) {
        out += " " + keyword.name + "=" + Dump(keyword.value.get());
      }
      return out + ")";
    }
    case ExprKind::kAttribute:
      return "(. " + Dump(e->left.get()) + " " + e->str_value + ")";
    case ExprKind::kSubscript:
      return "([] " + Dump(e->left.get()) + " " + Dump(e->right.get()) + ")";
    case ExprKind::kSlice:
      return "(slice " + Dump(e->left.get()) + " " + Dump(e->slice_lower.get()) + " " +
             Dump(e->slice_upper.get()) + ")";
    case ExprKind::kList:
      return "[" + DumpAll(e->items) + " ]";
    case ExprKind::kTuple:
      return "(tuple" + DumpAll(e->items) + ")";
    case ExprKind::kFString:
      return "(fstr" + DumpAll(e->items) + ")";
    case ExprKind::kFormatted:
      return "(fmt " + Dump(e->operand.get()) +
             (e->int_value != 0 ? std::string(" !") + static_cast<char>(e->int_value) : "") + " " +
             Quote(e->str_value) + ")";
    case ExprKind::kDict:
      return "(dict" + DumpAll(e->items) + ")";
    case ExprKind::kSet:
      return "(set" + DumpAll(e->items) + ")";
    case ExprKind::kLambda: {
      std::string out = "(lambda (";
      for (size_t i = 0; i < e->keywords.size(); ++i) {
        out += (i ? " " : "") + e->keywords[i].name;
        if (e->keywords[i].value) out += "=" + Dump(e->keywords[i].value.get());
      }
      return out + ") " + Dump(e->operand.get()) + ")";
    }
    case ExprKind::kListComp:
    case ExprKind::kSetComp:
    case ExprKind::kDictComp:
    case ExprKind::kGenExp: {
      static const char* const kNames[] = {"listcomp", "setcomp", "dictcomp", "genexp"};
      std::string out = std::string("(") +
                        kNames[static_cast<int>(e->kind) - static_cast<int>(ExprKind::kListComp)] +
                        " " + Dump(e->left.get()) + (e->right ? " " + Dump(e->right.get()) : "");
      return out + " " + Dump(e->operand.get()) + ")";
    }
    case ExprKind::kCompFor:
      return "(for " + Dump(e->left.get()) + " " + Dump(e->right.get()) + DumpAll(e->items) +
             (e->operand ? " " + Dump(e->operand.get()) : "") + ")";
    case ExprKind::kYield:
      return "(yield " + Dump(e->operand.get()) + ")";
    case ExprKind::kYieldFrom:
      return "(yield-from " + Dump(e->operand.get()) + ")";
    case ExprKind::kStarred:
      return "(* " + Dump(e->operand.get()) + ")";
  }
  return "?";
}

std::string DumpBody(const Block& body);

std::string DumpStmt(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::kExpr:
      return Dump(s.value.get());
    case StmtKind::kAssign:
      return "(= " + DumpAll(s.targets).substr(1) + " " + Dump(s.value.get()) + ")";
    case StmtKind::kAugAssign:
      return std::string("(") + BinaryName(s.aug_op) + "= " + Dump(s.targets[0].get()) + " " +
             Dump(s.value.get()) + ")";
    case StmtKind::kIf:
      return "(if " + Dump(s.test.get()) + " " + DumpBody(s.body) +
             (s.orelse.empty() ? "" : " else " + DumpBody(s.orelse)) + ")";
    case StmtKind::kWhile:
      return "(while " + Dump(s.test.get()) + " " + DumpBody(s.body) +
             (s.orelse.empty() ? "" : " else " + DumpBody(s.orelse)) + ")";
    case StmtKind::kFor:
      return "(for " + Dump(s.targets[0].get()) + " " + Dump(s.value.get()) + " " +
             DumpBody(s.body) + (s.orelse.empty() ? "" : " else " + DumpBody(s.orelse)) + ")";
    case StmtKind::kBreak:
      return "break";
    case StmtKind::kContinue:
      return "continue";
    case StmtKind::kPass:
      return "pass";
    case StmtKind::kAssert:
      return "(assert " + Dump(s.test.get()) + " " + Dump(s.msg.get()) + ")";
    case StmtKind::kFunctionDef: {
      std::string out = "(def " + s.name + " (";
      for (size_t i = 0; i < s.params.size(); ++i) out += (i ? " " : "") + s.params[i];
      return out + ")" + DumpAll(s.defaults) + " " + DumpBody(s.body) + ")";
    }
    case StmtKind::kTry:
      return "(try " + DumpBody(s.body) + " " + DumpBody(s.orelse) + ")";
    case StmtKind::kExceptHandler:
      return "(except " + Dump(s.value.get()) + (s.name.empty() ? "" : " as " + s.name) + " " +
             DumpBody(s.body) + ")";
    case StmtKind::kTryElse:
      return "(else " + DumpBody(s.body) + ")";
    case StmtKind::kTryFinally:
      return "(finally " + DumpBody(s.body) + ")";
    case StmtKind::kWith:
      return "(with " + Dump(s.value.get()) +
             (s.targets.empty() ? "" : " as " + Dump(s.targets[0].get())) + " " + DumpBody(s.body) +
             ")";
    case StmtKind::kReturn:
      return "(return " + Dump(s.value.get()) + ")";
    case StmtKind::kYield:
      return "(yield " + Dump(s.value.get()) + ")";
    case StmtKind::kGlobal:
    case StmtKind::kNonlocal: {
      std::string out = s.kind == StmtKind::kGlobal ? "(global" : "(nonlocal";
      for (const std::string& name : s.names) out += " " + name;
      return out + ")";
    }
    case StmtKind::kImport:
      return "(import " + s.module + (s.alias.empty() ? "" : " as " + s.alias) + ")";
    case StmtKind::kImportFrom: {
      std::string out = "(from " + s.module;
      for (size_t i = 0; i < s.names.size(); ++i) {
        out += " " + s.names[i] + (s.aliases[i].empty() ? "" : "/" + s.aliases[i]);
      }
      return out + ")";
    }
    case StmtKind::kDelete:
      return "(del " + Dump(s.targets[0].get()) + ")";
    case StmtKind::kRaise:
      return "(raise " + Dump(s.value.get()) + " " + Dump(s.msg.get()) + ")";
    case StmtKind::kClassDef:
      return "(class " + s.name + DumpAll(s.targets) + " " + DumpBody(s.body) + ")";
  }
  return "?";
}

// A block, decoded statement by statement as the compiler reads it.
std::string DumpBody(const Block& body) {
  std::string out = "{";
  Block::Reader reader(body);
  while (StmtPtr s = reader.Next()) out += (out.size() > 1 ? "; " : "") + DumpStmt(*s);
  return out + "}";
}

// The module's statements (each decoded from its own buffer already).
std::string DumpBody(const std::vector<StmtPtr>& body) {
  std::string out = "{";
  for (size_t i = 0; i < body.size(); ++i) out += (i ? "; " : "") + DumpStmt(*body[i]);
  return out + "}";
}

// The module's statements, or "ERROR: Type: message @line:col".
std::string P(std::string_view source) {
  Module module;
  SyntaxErrorInfo error;
  if (!Parse(source, "prog.py", &module, &error)) {
    return "ERROR: " + error.type + ": " + error.message + " @" + std::to_string(error.line) + ":" +
           std::to_string(error.col);
  }
  std::string body = DumpBody(module.body);
  return body.substr(1, body.size() - 2);
}

// Just the error message (or "OK").
std::string E(std::string_view source) {
  Module module;
  SyntaxErrorInfo error;
  if (Parse(source, "prog.py", &module, &error)) return "OK";
  return error.type + ": " + error.message;
}

TEST(ParserTest, Literals) {
  EXPECT_EQ(P("1\n1.5\n'a'\nb'b'\nTrue\nFalse\nNone\nx\n"),
            "1; 1.5f; 'a'; b'b'; True; False; None; x");
}

TEST(ParserTest, ArithmeticPrecedence) {
  EXPECT_EQ(P("a + b * c"), "(+ a (* b c))");
  EXPECT_EQ(P("(a + b) * c"), "(* (+ a b) c)");
  EXPECT_EQ(P("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(P("a / b // c % d"), "(% (// (/ a b) c) d)");
  EXPECT_EQ(P("-a * b"), "(* (neg a) b)");
  EXPECT_EQ(P("+a"), "(pos a)");
}

TEST(ParserTest, PowerBindsTighterThanUnaryMinus) {
  EXPECT_EQ(P("-2**2"), "(neg (** 2 2))");
  EXPECT_EQ(P("2**-1"), "(** 2 (neg 1))");
  EXPECT_EQ(P("--x"), "(neg (neg x))");
}

TEST(ParserTest, PowerIsRightAssociative) { EXPECT_EQ(P("2**3**2"), "(** 2 (** 3 2))"); }

TEST(ParserTest, ChainedComparison) {
  EXPECT_EQ(P("a < b <= c"), "(cmp a < b <= c)");
  EXPECT_EQ(P("a == b != c > d >= e"), "(cmp a == b != c > d >= e)");
}

TEST(ParserTest, MembershipAndIdentity) {
  EXPECT_EQ(P("a in b"), "(cmp a in b)");
  EXPECT_EQ(P("a not in b"), "(cmp a not-in b)");
  EXPECT_EQ(P("a is b"), "(cmp a is b)");
  EXPECT_EQ(P("a is not b"), "(cmp a is-not b)");
  EXPECT_EQ(P("a is not b not in c"), "(cmp a is-not b not-in c)");
}

TEST(ParserTest, NotIsLowerThanComparison) {
  EXPECT_EQ(P("not a == b"), "(not (cmp a == b))");
  EXPECT_EQ(P("not not a"), "(not (not a))");
}

TEST(ParserTest, BoolOpsFlattenAndNest) {
  EXPECT_EQ(P("a and b and c"), "(and a b c)");
  EXPECT_EQ(P("a or b or c"), "(or a b c)");
  EXPECT_EQ(P("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(P("a and not b or c"), "(or (and a (not b)) c)");
}

TEST(ParserTest, ConditionalExpression) {
  EXPECT_EQ(P("x if c else y"), "(ifexp x c y)");
  EXPECT_EQ(P("a if b else c if d else e"), "(ifexp a b (ifexp c d e))");
  EXPECT_EQ(P("x = a or b if c else d"), "(= x (ifexp (or a b) c d))");
}

TEST(ParserTest, CallsAndKeywords) {
  EXPECT_EQ(P("f()"), "(call f)");
  EXPECT_EQ(P("f(a, b, k=v, j=1)"), "(call f a b k=v j=1)");
  EXPECT_EQ(P("f(a,)"), "(call f a)");
  EXPECT_EQ(P("print(x, end='')"), "(call print x end='')");
  EXPECT_EQ(P("f(a)(b)"), "(call (call f a) b)");
}

TEST(ParserTest, AttributesAndMethods) {
  EXPECT_EQ(P("time.time()"), "(call (. time time))");
  EXPECT_EQ(P("threading.current_thread().name"), "(. (call (. threading current_thread)) name)");
  EXPECT_EQ(P("' '.join(xs)"), "(call (. ' ' join) xs)");
}

TEST(ParserTest, SubscriptsAndSlices) {
  EXPECT_EQ(P("xs[-1]"), "([] xs (neg 1))");
  EXPECT_EQ(P("xs[a:b]"), "(slice xs a b)");
  EXPECT_EQ(P("xs[:b]"), "(slice xs _ b)");
  EXPECT_EQ(P("xs[a:]"), "(slice xs a _)");
  EXPECT_EQ(P("xs[:]"), "(slice xs _ _)");
  EXPECT_EQ(P("xs[::]"), "(slice xs _ _)");
  EXPECT_EQ(P("xs[i][j]"), "([] ([] xs i) j)");
  EXPECT_EQ(P("d[1, 2]"), "([] d (tuple 1 2))");
}

TEST(ParserTest, ListsAndTuples) {
  EXPECT_EQ(P("[]"), "[ ]");
  EXPECT_EQ(P("[1, 2,]"), "[ 1 2 ]");
  EXPECT_EQ(P("()"), "(tuple)");
  EXPECT_EQ(P("(1,)"), "(tuple 1)");
  EXPECT_EQ(P("(1)"), "1");
  EXPECT_EQ(P("1, 2"), "(tuple 1 2)");
  EXPECT_EQ(P("(1, (2, 3))"), "(tuple 1 (tuple 2 3))");
}

TEST(ParserTest, DictAndSetDisplays) {
  EXPECT_EQ(P("{}"), "(dict)");
  EXPECT_EQ(P("{1: 'a', x: y + 1,}"), "(dict 1 'a' x (+ y 1))");
  EXPECT_EQ(P("{1}"), "(set 1)");
  EXPECT_EQ(P("{1, (2, 3), a,}"), "(set 1 (tuple 2 3) a)");
  EXPECT_EQ(P("{'k': {1, 2}}[k]"), "([] (dict 'k' (set 1 2)) k)");
}

TEST(ParserTest, DisplayErrorsInCPythonsWords) {
  EXPECT_EQ(P("x = {1: }\n"),
            "ERROR: SyntaxError: expression expected after dictionary key and ':' @1:6");
  EXPECT_EQ(P("x = {1: 2, 3}\n"), "ERROR: SyntaxError: ':' expected after dictionary key @1:11");
  EXPECT_EQ(P("x = {1, 2: 3}\n"), "ERROR: SyntaxError: invalid syntax @1:9");
  EXPECT_EQ(P("x = {1 2}\n"),
            "ERROR: SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:5");
  EXPECT_EQ(
      E("{1: 2} = 3\n"),
      "SyntaxError: cannot assign to dict literal here. Maybe you meant '==' instead of '='?");
  EXPECT_EQ(E("for {1} in x: pass\n"), "SyntaxError: cannot assign to set display");
}

TEST(ParserTest, BitwiseOperatorsBindBetweenComparisonsAndSums) {
  EXPECT_EQ(P("a | b ^ c & d << e >> f"), "(| a (^ b (& c (>> (<< d e) f))))");
  EXPECT_EQ(P("a | b | c"), "(| (| a b) c)");
  EXPECT_EQ(P("a + b << c - d"), "(<< (+ a b) (- c d))");
  EXPECT_EQ(P("a & b == c"), "(cmp (& a b) == c)");
  EXPECT_EQ(P("~a ** b"), "(invert (** a b))");
  EXPECT_EQ(P("-~a"), "(neg (invert a))");
  EXPECT_EQ(P("x |= 1\ny <<= 2\nz **= 3"), "(|= x 1); (<<= y 2); (**= z 3)");
}

TEST(ParserTest, DelStatement) {
  EXPECT_EQ(P("del x"), "(del x)");
  EXPECT_EQ(P("del d[k], xs[0]"), "(del (tuple ([] d k) ([] xs 0)))");
  EXPECT_EQ(P("del (a, [b])"), "(del (tuple a [ b ]))");
  EXPECT_EQ(E("del 1\n"), "SyntaxError: cannot delete literal");
  EXPECT_EQ(E("del f()\n"), "SyntaxError: cannot delete function call");
  EXPECT_EQ(E("del a, 1\n"), "SyntaxError: cannot delete literal");
  EXPECT_EQ(E("del {}\n"), "SyntaxError: cannot delete dict literal");
  EXPECT_EQ(P("del\n"), "ERROR: SyntaxError: invalid syntax @1:3");
  EXPECT_EQ(E("del a[1] = 2\n"), "SyntaxError: invalid syntax");
}

TEST(ParserTest, Strings) {
  EXPECT_EQ(P("'a' 'b' \"c\""), "'abc'");
  EXPECT_EQ(P("b'a' b'b'"), "b'ab'");
  EXPECT_EQ(P("'a\\tb'"), "'a\\x09b'");
  EXPECT_EQ(P("r'a\\tb'"), "'a\\tb'");
  EXPECT_EQ(P("'''a\nb'''"), "'a\\nb'");
}

TEST(ParserTest, FStringLayout) {
  EXPECT_EQ(P("f'x={x}!'"), "(fstr 'x=' (fmt x '') '!')");
  EXPECT_EQ(P("f'{a}{b}'"), "(fstr (fmt a '') (fmt b ''))");
  EXPECT_EQ(P("f'{x:>5}'"), "(fstr (fmt x '>5'))");
  EXPECT_EQ(P("f'{x:.2f} {y:,}'"), "(fstr (fmt x '.2f') ' ' (fmt y ','))");
  EXPECT_EQ(P("f'{{{x}}}'"), "(fstr '{' (fmt x '') '}')");
  EXPECT_EQ(P("f'{a + b * 2}'"), "(fstr (fmt (+ a (* b 2)) ''))");
  EXPECT_EQ(P("f'{d[\"k\"]}'"), "(fstr (fmt ([] d 'k') ''))");
  EXPECT_EQ(P("f'{a, b}'"), "(fstr (fmt (tuple a b) ''))");
  EXPECT_EQ(P("f'{a != b}'"), "(fstr (fmt (cmp a != b) ''))");
  EXPECT_EQ(P("f'{f(x)!s:}'"), "(fstr (fmt (call f x) !s ''))");
  EXPECT_EQ(P("f'{x!r:>8} {y!a}'"), "(fstr (fmt x !r '>8') ' ' (fmt y !a ''))");
}

TEST(ParserTest, FStringWithoutFieldsIsAPlainString) {
  EXPECT_EQ(P("f''"), "''");
  EXPECT_EQ(P("f'a{{b}}\\n'"), "'a{b}\\n'");
}

TEST(ParserTest, FStringConcatenation) {
  EXPECT_EQ(P("'a' f'{x}' 'b'"), "(fstr 'a' (fmt x '') 'b')");
  EXPECT_EQ(P("f'{x}' f'{y}'"), "(fstr (fmt x '') (fmt y ''))");
}

TEST(ParserTest, FStringEscapesAndRaw) {
  EXPECT_EQ(P("f'\\t{x}'"), "(fstr '\\x09' (fmt x ''))");
  EXPECT_EQ(P("rf'\\t{x}'"), "(fstr '\\t' (fmt x ''))");
}

TEST(ParserTest, FStringPositions) {
  Module module;
  SyntaxErrorInfo error;
  ASSERT_TRUE(Parse("y = f'ab{x + 1}'\n", "prog.py", &module, &error));
  const Expr& fstring = *module.body[0]->value;
  const Expr& formatted = *fstring.items[1];
  EXPECT_EQ(formatted.kind, ExprKind::kFormatted);
  EXPECT_EQ(formatted.pos.col, 9);
  EXPECT_EQ(formatted.operand->right->pos.col, 13);
}

TEST(ParserTest, ExpressionStatement) { EXPECT_EQ(P("print(1)\n"), "(call print 1)"); }

TEST(ParserTest, ChainedAssignment) { EXPECT_EQ(P("a = b = 0"), "(= a b 0)"); }

TEST(ParserTest, TupleUnpacking) {
  EXPECT_EQ(P("a, b = b, a"), "(= (tuple a b) (tuple b a))");
  EXPECT_EQ(P("(a, b) = t"), "(= (tuple a b) t)");
  EXPECT_EQ(P("[a, b] = t"), "(= [ a b ] t)");
  EXPECT_EQ(P("xs[i], xs[j] = xs[j], xs[i]"),
            "(= (tuple ([] xs i) ([] xs j)) (tuple ([] xs j) ([] xs i)))");
}

TEST(ParserTest, SubscriptTarget) { EXPECT_EQ(P("xs[i] = v"), "(= ([] xs i) v)"); }

TEST(ParserTest, AugmentedAssignment) {
  EXPECT_EQ(P("x += 1\nx -= 1\nx *= 2\nx /= 2\nx //= 2\nx %= 2\n"),
            "(+= x 1); (-= x 1); (*= x 2); (/= x 2); (//= x 2); (%= x 2)");
  EXPECT_EQ(P("total[0] += 1"), "(+= ([] total 0) 1)");
}

TEST(ParserTest, IfElifElse) {
  EXPECT_EQ(P("if a:\n  x\nelif b:\n  y\nelif c:\n  z\nelse:\n  w\n"),
            "(if a {x} else {(if b {y} else {(if c {z} else {w})})})");
  EXPECT_EQ(P("if a: x; y\n"), "(if a {x; y})");
}

TEST(ParserTest, WhileWithElse) {
  EXPECT_EQ(P("while x:\n  break\nelse:\n  pass\n"), "(while x {break} else {pass})");
  EXPECT_EQ(P("while True:\n  continue\n"), "(while True {continue})");
}

TEST(ParserTest, ForLoops) {
  EXPECT_EQ(P("for i in range(3):\n  pass\n"), "(for i (call range 3) {pass})");
  EXPECT_EQ(P("for i, x in xs:\n  pass\n"), "(for (tuple i x) xs {pass})");
  EXPECT_EQ(P("for (i, x) in xs:\n  pass\n"), "(for (tuple i x) xs {pass})");
  EXPECT_EQ(P("for x in 1, 2:\n  pass\nelse:\n  pass\n"), "(for x (tuple 1 2) {pass} else {pass})");
  EXPECT_EQ(P("for x in a if c else b:\n  pass\n"), "(for x (ifexp a c b) {pass})");
}

TEST(ParserTest, FunctionDefinitions) {
  EXPECT_EQ(P("def f():\n  pass\n"), "(def f () {pass})");
  EXPECT_EQ(P("def f(a, b=1, c='x'):\n  return a\n"), "(def f (a b c) 1 'x' {(return a)})");
  EXPECT_EQ(P("def f(a,):\n  return\n"), "(def f (a) {(return _)})");
  EXPECT_EQ(P("def g():\n  yield 1\n  yield\n"), "(def g () {(yield 1); (yield _)})");
  EXPECT_EQ(P("def g():\n  return 1, 2\n"), "(def g () {(return (tuple 1 2))})");
}

TEST(ParserTest, NestedScopesAndParameters) {
  EXPECT_EQ(P("def f(a, b=1, *args, c, d=2, **kw):\n  def g():\n    nonlocal a\n"),
            "(def f (a b) 1 {(def g () {(nonlocal a)})})");
  EXPECT_EQ(P("f = lambda x, y=2, *r, z, **k: x"), "(= f (lambda (x y=2 *r z **k) x))");
  EXPECT_EQ(P("g = lambda *, k: k"), "(= g (lambda (* k) k))");
  EXPECT_EQ(P("f(*a, b, **c)"), "(call f (* a) b =c)");  // a keyword named "" is **c
  EXPECT_EQ(P("@d\n@e(1)\ndef f():\n  pass\n"), "(def f () {pass})");
}

TEST(ParserTest, ComprehensionsAndYield) {
  EXPECT_EQ(P("[x for x in y if x if z for w in x]"), "(listcomp x (for x y x z (for w x)))");
  EXPECT_EQ(P("{k: v for k, v in d}"), "(dictcomp k v (for (tuple k v) d))");
  EXPECT_EQ(P("{x for x in y}"), "(setcomp x (for x y))");
  EXPECT_EQ(P("sum(x for x in y)"), "(call sum (genexp x (for x y)))");
  EXPECT_EQ(P("def f():\n  x = yield 1\n  yield from g()\n  print((yield))\n"),
            "(def f () {(= x (yield 1)); (yield-from (call g)); (call print (yield _))})");
}

TEST(ParserTest, Global) { EXPECT_EQ(P("def f():\n  global a, b\n"), "(def f () {(global a b)})"); }

TEST(ParserTest, Imports) {
  EXPECT_EQ(P("import time"), "(import time)");
  EXPECT_EQ(P("import os, sys"), "(import os); (import sys)");
  EXPECT_EQ(P("import threading as th"), "(import threading as th)");
  EXPECT_EQ(P("from time import sleep, time as now"), "(from time sleep time/now)");
  EXPECT_EQ(P("from os import (getpid,\n  cpu_count,)"), "(from os getpid cpu_count)");
  EXPECT_EQ(P("import os.path"), "(import os.path)");
}

TEST(ParserTest, AssertAndPass) {
  EXPECT_EQ(P("assert x\nassert x, 'msg'\npass\n"), "(assert x _); (assert x 'msg'); pass");
}

TEST(ParserTest, Semicolons) { EXPECT_EQ(P("a = 1; b = 2;\n"), "(= a 1); (= b 2)"); }

TEST(ParserTest, MainGuard) {
  EXPECT_EQ(P("if __name__ == \"__main__\":\n    main()\n"),
            "(if (cmp __name__ == '__main__') {(call main)})");
}

TEST(ParserTest, MatchIsStillAName) {
  EXPECT_EQ(P("match = 1\nmatch(x)\n"), "(= match 1); (call match x)");
}

TEST(ParserTest, Positions) {
  Module module;
  SyntaxErrorInfo error;
  ASSERT_TRUE(
      Parse("x = 1\nif a:\n    y = b + c\nelif d:\n    pass\n", "prog.py", &module, &error));
  EXPECT_EQ(module.filename, "prog.py");
  const Stmt& assign = *module.body[0];
  EXPECT_EQ(assign.pos.line, 1);
  EXPECT_EQ(assign.pos.col, 0);
  EXPECT_EQ(assign.value->pos.col, 4);
  const Stmt& if_stmt = *module.body[1];
  EXPECT_EQ(if_stmt.pos.line, 2);
  StmtPtr inner_stmt = Block::Reader(if_stmt.body).Next();
  const Stmt& inner = *inner_stmt;
  EXPECT_EQ(inner.pos.line, 3);
  EXPECT_EQ(inner.pos.col, 4);
  EXPECT_EQ(inner.value->pos.col, 8);  // a binary op starts at its left operand
  EXPECT_EQ(inner.value->right->pos.col, 12);
  ASSERT_EQ(if_stmt.orelse.size(), 1u);
  StmtPtr elif_stmt = if_stmt.orelse.Last();
  const Stmt& elif = *elif_stmt;
  EXPECT_EQ(elif.pos.line, 4);
  EXPECT_EQ(elif.pos.col, 0);
}

TEST(ParserTest, CallPositionsAndKeywords) {
  Module module;
  SyntaxErrorInfo error;
  ASSERT_TRUE(Parse("  \n(f)(a, k=-1)\n", "prog.py", &module, &error));
  const Expr& call = *module.body[0]->value;
  EXPECT_EQ(call.pos.line, 2);
  EXPECT_EQ(call.pos.col, 1);  // the parenthesised callee's own position
  EXPECT_EQ(call.keywords[0].pos.col, 7);
  EXPECT_EQ(call.keywords[0].value->pos.col, 9);
}

struct ErrorCase {
  const char* source;
  const char* expected;  // "Type: message @line:col"
};

void CheckErrors(const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& c : cases)
    EXPECT_EQ(P(c.source), std::string("ERROR: ") + c.expected) << c.source;
}

TEST(ParserTest, GenericSyntaxErrors) {
  CheckErrors({
      {"x = = 1\n", "SyntaxError: invalid syntax @1:4"},
      {"x = \n", "SyntaxError: invalid syntax @1:4"},
      {"x = 1 2\n", "SyntaxError: invalid syntax @1:6"},
      {"x = 1 +\n", "SyntaxError: invalid syntax @1:7"},
      {"else:\n  pass\n", "SyntaxError: invalid syntax @1:0"},
      {"pass pass\n", "SyntaxError: invalid syntax @1:5"},
      {"import\n", "SyntaxError: invalid syntax @1:6"},
      {"def f(1):\n pass\n", "SyntaxError: invalid syntax @1:6"},
      {"x = a.1\n", "SyntaxError: invalid syntax @1:5"},
      {"if x: if y: pass\n", "SyntaxError: invalid syntax @1:6"},
      {"x = $\n", "SyntaxError: invalid syntax @1:4"},
  });
}

TEST(ParserTest, ExpectedColonAndParen) {
  CheckErrors({
      {"if x\n  pass\n", "SyntaxError: expected ':' @1:4"},
      {"while x\n  pass\n", "SyntaxError: expected ':' @1:7"},
      {"for x in y\n  pass\n", "SyntaxError: expected ':' @1:10"},
      {"if x:\n  pass\nelse\n  pass\n", "SyntaxError: expected ':' @3:4"},
      {"if x:\n  pass\nelif y\n  pass\n", "SyntaxError: expected ':' @3:6"},
      {"def f()\n  pass\n", "SyntaxError: expected ':' @1:7"},
      {"def f:\n  pass\n", "SyntaxError: expected '(' @1:5"},
      {"if x y:\n  pass\n", "SyntaxError: invalid syntax @1:5"},
  });
}

TEST(ParserTest, IndentationErrors) {
  CheckErrors({
      {"if x:\npass\n",
       "IndentationError: expected an indented block after 'if' statement on line 1 @2:0"},
      {"if x:\n",
       "IndentationError: expected an indented block after 'if' statement on line 1 @1:-1"},
      {"x = 1\nwhile x:\nx\n",
       "IndentationError: expected an indented block after 'while' statement on line 2 @3:0"},
      {"for a in b:\n",
       "IndentationError: expected an indented block after 'for' statement on line 1 @1:-1"},
      {"def f():\nreturn\n",
       "IndentationError: expected an indented block after function definition on line 1 @2:0"},
      {"if x:\n pass\nelif y:\nz\n",
       "IndentationError: expected an indented block after 'elif' statement on line 3 @4:0"},
      {"if x:\n pass\nelse:\nz\n",
       "IndentationError: expected an indented block after 'else' statement on line 3 @4:0"},
      {"def f():\n  if x:\ny = 1\n",
       "IndentationError: expected an indented block after 'if' statement on line 2 @3:-1"},
      {"x = 1\n  y = 2\n", "IndentationError: unexpected indent @2:-1"},
      {"def f():\n    x = 1\n  y = 2\n",
       "IndentationError: unindent does not match any outer indentation level @3:7"},
      {"if 1:\n\tx = 1\n        y = 2\n",
       "TabError: inconsistent use of tabs and spaces in indentation @3:-1"},
  });
}

TEST(ParserTest, BracketErrors) {
  CheckErrors({
      {"x = (1,\ny = 2\n", "SyntaxError: '(' was never closed @1:4"},
      {"foo(\n", "SyntaxError: '(' was never closed @1:3"},
      {"x = [1,\n  2\n", "SyntaxError: '[' was never closed @1:4"},
      {"x = )\n", "SyntaxError: unmatched ')' @1:4"},
      {"x = (]\n",
       "SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' @1:5"},
  });
}

TEST(ParserTest, LexicalErrorsOverrideGenericOnes) {
  // CPython re-tokenizes the rest of the file when its error is the generic one.
  EXPECT_EQ(P("x = = 1\ns = 'abc\n"),
            "ERROR: SyntaxError: unterminated string literal (detected at line 2) @2:4");
  // So does a specific one, when CPython's tokenizer raises the error itself.
  EXPECT_EQ(P("if x\ns = 'abc\n"),
            "ERROR: SyntaxError: unterminated string literal (detected at line 2) @2:4");
  // An unclosed bracket replaces only errors found on later lines than the bracket.
  EXPECT_EQ(P("x = (1 +\nif\n"), "ERROR: SyntaxError: '(' was never closed @1:4");
  EXPECT_EQ(P("if x\n  pass\nz = (\n"), "ERROR: SyntaxError: expected ':' @1:4");
  // Indentation errors further on never replace a syntax error.
  EXPECT_EQ(P("x = = 1\nif 1:\n  x\n y\n"), "ERROR: SyntaxError: invalid syntax @1:4");
  // "unexpected indent" is final in CPython too.
  EXPECT_EQ(P("x = 1\n  y = 2\nz = 'abc\n"), "ERROR: IndentationError: unexpected indent @2:-1");
}

TEST(ParserTest, StringErrors) {
  CheckErrors({
      {"s = 'abc\n", "SyntaxError: unterminated string literal (detected at line 1) @1:4"},
      {"s = \"\"\"abc\nfoo\n",
       "SyntaxError: unterminated triple-quoted string literal (detected at line 2) @1:4"},
      {"x = 'a' b'c'\n", "SyntaxError: cannot mix bytes and nonbytes literals @1:8"},
      {"x = b'\xc3\xa9'\n", "SyntaxError: bytes can only contain ASCII literal characters @1:4"},
  });
}

TEST(ParserTest, LiteralErrors) {
  CheckErrors({
      {"x = 9223372036854775808\n", "SyntaxError: integer literal too large @1:4"},
      {"x = 9223372036854775807\ny = 0x8000000000000000\n",
       "SyntaxError: integer literal too large @2:4"},
      {"x = '\\x4'\n",
       "SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: "
       "truncated \\xXX escape @1:4"},
      // The literal's error is a parser error: a lexical error further on replaces it.
      {"x = '\\x4'\ny = 'abc\n",
       "SyntaxError: unterminated string literal (detected at line 2) @2:4"},
  });
}

TEST(ParserTest, FStringErrors) {
  EXPECT_EQ(E("f'{}'"), "SyntaxError: f-string: empty expression not allowed");
  EXPECT_EQ(E("f'{ }'"), "SyntaxError: f-string: empty expression not allowed");
  EXPECT_EQ(E("f'{x'"), "SyntaxError: f-string: expecting '}'");
  EXPECT_EQ(E("f'}'"), "SyntaxError: f-string: single '}' is not allowed");
  EXPECT_EQ(E("f'{x}}'"), "SyntaxError: f-string: single '}' is not allowed");
  EXPECT_EQ(E("f'{a b}'"), "SyntaxError: f-string: invalid syntax. Perhaps you forgot a comma?");
  EXPECT_EQ(E("f'{a +}'"), "SyntaxError: f-string: invalid syntax");
  EXPECT_EQ(E("f'{\\'a\\'}'"), "SyntaxError: f-string expression part cannot include a backslash");
  EXPECT_EQ(E("f'{#}'"), "SyntaxError: f-string expression part cannot include '#'");
  EXPECT_EQ(E("f'{)}'"), "SyntaxError: f-string: unmatched ')'");
  EXPECT_EQ(
      E("f'{(}'"),
      "SyntaxError: f-string: closing parenthesis '}' does not match opening parenthesis '('");
  EXPECT_EQ(E("f'{x!z}'"),
            "SyntaxError: f-string: invalid conversion character: expected 's', 'r', or 'a'");
  EXPECT_EQ(E("f'{x!rr}'"), "SyntaxError: f-string: expecting '}'");
  EXPECT_EQ(E("f'{x=}'"), "SyntaxError: f-string '=' specifiers are not supported");
  EXPECT_EQ(E("f'{x:{w}}'"), "SyntaxError: nested f-string format specs are not supported");
  EXPECT_EQ(E("f'{lambda: 1}'"), "SyntaxError: f-string: invalid syntax");
  EXPECT_EQ(E("f'{yield}'"), "SyntaxError: yield expressions are not supported");
}

TEST(ParserTest, InvalidAssignmentTargets) {
  CheckErrors({
      {"1 = x\n",
       "SyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='? @1:0"},
      {"f() = x\n",
       "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='? "
       "@1:0"},
      {"a + b = c\n",
       "SyntaxError: cannot assign to expression here. Maybe you meant '==' instead of '='? @1:0"},
      {"x = 1 = 2\n", "SyntaxError: cannot assign to literal @1:4"},
      {"(a, 1) = x\n", "SyntaxError: cannot assign to literal @1:4"},
      {"[a, b()] = x\n", "SyntaxError: cannot assign to function call @1:4"},
      {"None = 1\n", "SyntaxError: cannot assign to None @1:0"},
      {"True = 1\n", "SyntaxError: cannot assign to True @1:0"},
      {"x if y else z = 1\n", "SyntaxError: cannot assign to conditional expression @1:0"},
      {"a and b = 1\n", "SyntaxError: cannot assign to expression @1:0"},
      {"a < b = 1\n", "SyntaxError: cannot assign to comparison @1:0"},
      {"for 1 in x:\n pass\n", "SyntaxError: cannot assign to literal @1:4"},
      {"for f() in x:\n pass\n", "SyntaxError: cannot assign to function call @1:4"},
      {"a, b += 1\n",
       "SyntaxError: 'tuple' is an illegal expression for augmented assignment @1:0"},
      {"f() += 1\n",
       "SyntaxError: 'function call' is an illegal expression for augmented assignment @1:0"},
      {"if x = 1:\n pass\n",
       "SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='? @1:3"},
      {"if x + 1 = 2:\n pass\n",
       "SyntaxError: cannot assign to expression here. Maybe you meant '==' instead of '='? @1:3"},
  });
}

TEST(ParserTest, ArgumentAndParameterErrors) {
  CheckErrors({
      {"f(a=1, 2)\n", "SyntaxError: positional argument follows keyword argument @1:7"},
      {"f(1=2)\n",
       "SyntaxError: expression cannot contain assignment, perhaps you meant \"==\"? @1:2"},
      {"f(a=1, a=2)\n", "SyntaxError: keyword argument repeated: a @1:7"},
      {"def f(a=1, b):\n pass\n",
       "SyntaxError: non-default argument follows default argument @1:11"},
      {"def f(a, a):\n pass\n", "SyntaxError: duplicate argument 'a' in function definition @1:9"},
  });
}

TEST(ParserTest, CommaHints) {
  EXPECT_EQ(P("f(a b)"), "ERROR: SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:2");
  EXPECT_EQ(P("x = [1 2]"), "ERROR: SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:5");
  EXPECT_EQ(P("x = (1 2)"), "ERROR: SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:5");
  EXPECT_EQ(P("x = [a 'b']"), "ERROR: SyntaxError: invalid syntax @1:7");
  EXPECT_EQ(
      P("print 'hi'"),
      "ERROR: SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)? @1:0");
}

TEST(ParserTest, HintsNeedTheRestToParse) {
  // The legacy-print hint applies in any expression, but only when an expression follows.
  EXPECT_EQ(E("def f():\n  return print 'x'\n"),
            "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?");
  EXPECT_EQ(E("print not (-a, -(b 1))\n"), "SyntaxError: invalid syntax");
  EXPECT_EQ(E("print\nprint - 1\n"), "OK");
  // A missing comma is reported before the order of positional and keyword arguments.
  EXPECT_EQ(E("f(a=1, b c=2)\n"), "SyntaxError: invalid syntax. Perhaps you forgot a comma?");
  // "non-default argument" needs a complete parameter.
  EXPECT_EQ(E("def f(a=1, b c):\n  pass\n"), "SyntaxError: invalid syntax");
  // A bad first target is reported at its '=' even when the right-hand side is broken.
  EXPECT_EQ(E("n = 5 =\n"), "SyntaxError: cannot assign to literal");
  EXPECT_EQ(E("print((1, z=3))\n"),
            "SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
}

TEST(ParserTest, ConditionalExpressionErrors) {
  EXPECT_EQ(E("x = a if b\n"), "SyntaxError: expected 'else' after 'if' expression");
  EXPECT_EQ(E("x = (a if b)\n"), "SyntaxError: expected 'else' after 'if' expression");
}

TEST(ParserTest, ContextErrorsComeAfterSyntaxErrors) {
  EXPECT_EQ(P("return 1\n"), "ERROR: SyntaxError: 'return' outside function @1:0");
  EXPECT_EQ(P("yield 1\n"), "ERROR: SyntaxError: 'yield' outside function @1:0");
  EXPECT_EQ(P("break\n"), "ERROR: SyntaxError: 'break' outside loop @1:0");
  EXPECT_EQ(P("continue\n"), "ERROR: SyntaxError: 'continue' not properly in loop @1:0");
  EXPECT_EQ(P("while x:\n  def f():\n    break\n"),
            "ERROR: SyntaxError: 'break' outside loop @3:4");
  // A later syntax error wins over an earlier context error, as in CPython.
  EXPECT_EQ(P("return 1\nx = = 2\n"), "ERROR: SyntaxError: invalid syntax @2:4");
  EXPECT_EQ(P("for x in y:\n  break\nelse:\n  continue\n"),
            "ERROR: SyntaxError: 'continue' not properly in loop @4:2");
}

TEST(ParserTest, UnsupportedConstructs) {
  const std::pair<const char*, const char*> cases[] = {
      {"def f():\n  class A:\n    pass\n", "class definitions are not supported"},
      {"class A:\n  class B:\n    pass\n", "class definitions are not supported"},
      {"class A(metaclass=M):\n  pass\n", "class keyword arguments are not supported"},
      {"class A(B, C):\n  pass\n", "multiple inheritance is not supported"},
      {"x = {**a}\n", "dict unpacking is not supported"},
      {"x = {1: 2, **a}\n", "dict unpacking is not supported"},
      {"x = {*a}\n", "star expressions are not supported"},
      {"def f(a, /):\n  pass\n", "positional-only parameters are not supported"},
      {"def f(a: int):\n  pass\n", "annotations are not supported"},
      {"def f() -> int:\n  pass\n", "annotations are not supported"},
      {"x: int = 1\n", "annotations are not supported"},
      {"async def f():\n  pass\n", "async is not supported"},
      {"def f():\n  await g()\n", "async is not supported"},
      {"a, *b = xs\n", "star expressions are not supported"},
      {"if (n := 10) > 5:\n  pass\n", "walrus operator is not supported"},
      {"match x:\n  case 1:\n    pass\n", "match statements are not supported"},
      {"x = a @ b\n", "the '@' operator is not supported"},
      {"x @= 2\n", "augmented assignment with '@=' is not supported"},
      {"from . import x\n", "relative imports are not supported"},
      {"from os import *\n", "star imports are not supported"},
      {"x = 1j\n", "complex literals are not supported"},
      {"x = ...\n", "ellipsis literals are not supported"},
      {"x = xs[1:2, 3]\n", "multi-dimensional slices are not supported"},
      {"x = 99999999999999999999\n", "integer literal too large"},
      {"x = '\\N{DASH}'\n", "\\N{...} escapes are not supported"},
  };
  for (const auto& [source, message] : cases) {
    EXPECT_EQ(E(source), std::string("SyntaxError: ") + message) << source;
  }
}

TEST(ParserTest, UnsupportedCaretPointsAtTheConstruct) {
  EXPECT_EQ(P("x = 1\ny = {**x}\n"), "ERROR: SyntaxError: dict unpacking is not supported @2:5");
  EXPECT_EQ(P("def f():\n    class A: pass\n"),
            "ERROR: SyntaxError: class definitions are not supported @2:4");
  EXPECT_EQ(P("x = 1 + lambda: 2\n"), "ERROR: SyntaxError: invalid syntax @1:8");
}

TEST(ParserTest, FormatSyntaxErrorShape) {
  SyntaxErrorInfo error;
  error.message = "invalid syntax";
  error.line = 3;
  error.col = 8;
  std::string source = "a = 1\nb = 2\n    x = = 1\n";
  EXPECT_EQ(FormatSyntaxError("prog.py", source, error),
            "  File \"prog.py\", line 3\n"
            "    x = = 1\n"
            "        ^\n"
            "SyntaxError: invalid syntax\n");
}

TEST(ParserTest, FormatSyntaxErrorWithoutCaret) {
  SyntaxErrorInfo error;
  error.type = "IndentationError";
  error.message = "unexpected indent";
  error.line = 2;
  error.col = -1;
  EXPECT_EQ(FormatSyntaxError("p.py", "x = 1\n\t  y = 2\r\n", error),
            "  File \"p.py\", line 2\n"
            "    y = 2\n"
            "IndentationError: unexpected indent\n");
}

TEST(ParserTest, FormatSyntaxErrorEdgeCases) {
  SyntaxErrorInfo error;
  error.message = "m";
  error.line = 7;  // beyond the file: no source line at all
  error.col = 0;
  EXPECT_EQ(FormatSyntaxError("p.py", "x\n", error), "  File \"p.py\", line 7\nSyntaxError: m\n");
  error.line = 1;
  error.col = 50;  // past the end of the line: clipped to the end
  EXPECT_EQ(FormatSyntaxError("p.py", "ab", error),
            "  File \"p.py\", line 1\n    ab\n      ^\nSyntaxError: m\n");
  error.line = 0;  // no position (undecodable source)
  EXPECT_EQ(FormatSyntaxError("p.py", "", error), "SyntaxError: m\n");
}

TEST(ParserTest, FormatRealError) {
  std::string source = "if x:\n    y = (1 +\n";
  Module module;
  SyntaxErrorInfo error;
  ASSERT_FALSE(Parse(source, "prog.py", &module, &error));
  EXPECT_EQ(FormatSyntaxError("prog.py", source, error),
            "  File \"prog.py\", line 2\n"
            "    y = (1 +\n"
            "        ^\n"
            "SyntaxError: '(' was never closed\n");
}

TEST(ParserTest, NonUtf8NamesTheFile) {
  EXPECT_EQ(E("x = '\xff'\n"),
            "SyntaxError: Non-UTF-8 code starting with '\\xff' in file prog.py on line 1, but no "
            "encoding declared; see https://peps.python.org/pep-0263/ for details");
}

TEST(ParserTest, DeepNestingIsAnErrorNotACrash) {
  EXPECT_EQ(E("x = " + std::string(199, '(') + "1" + std::string(199, ')')), "OK");
  EXPECT_EQ(E("x = " + std::string(250, '(') + "1" + std::string(250, ')')),
            "SyntaxError: too many nested parentheses");
  EXPECT_EQ(E("x = " + std::string(100000, '-') + "1"),
            "SyntaxError: expression is too deeply nested");
  std::string nots;
  for (int i = 0; i < 50000; ++i) nots += "not ";
  EXPECT_EQ(E(nots + "x"), "SyntaxError: expression is too deeply nested");
  std::string powers;
  for (int i = 0; i < 50000; ++i) powers += "2**";
  EXPECT_EQ(E(powers + "2"), "SyntaxError: expression is too deeply nested");
  std::string sum = "x = 1";
  for (int i = 0; i < 50000; ++i) sum += "+1";
  EXPECT_EQ(E(sum), "SyntaxError: expression is too deeply nested");
  std::string attributes = "x = a";
  for (int i = 0; i < 50000; ++i) attributes += ".b";
  EXPECT_EQ(E(attributes), "SyntaxError: expression is too deeply nested");
}

// An elif chain is an else clause holding one if, 100,000 deep: parsed and written with no
// recursion per elif, and read back the same way (each elif decoded from the one before).
TEST(ParserTest, HundredThousandElifsParse) {
  const int kElifs = 100000;
  std::string source = "if x == 0:\n    y = 0\n";
  for (int i = 1; i <= kElifs; ++i) source += "elif x == " + std::to_string(i) + ":\n    y = 1\n";
  source += "else:\n    y = -1\n";
  Module module;
  SyntaxErrorInfo error;
  ASSERT_TRUE(Parse(source, "prog.py", &module, &error)) << error.message;
  ASSERT_EQ(module.body.size(), 1u);
  StmtPtr current;
  const Stmt* s = module.body[0].get();
  int elifs = 0;
  while (s->orelse.size() == 1) {
    StmtPtr next = s->orelse.Last();
    if (next->kind != StmtKind::kIf) break;
    ASSERT_EQ(next->test->items[0]->int_value, elifs + 1);
    ASSERT_EQ(next->pos.line, 3 + 2 * elifs);
    current = std::move(next);
    s = current.get();
    ++elifs;
  }
  EXPECT_EQ(elifs, kElifs);
  EXPECT_EQ(DumpBody(s->orelse), "{(= y (neg 1))}");
}

// Blocks nest up to the indentation limit (99 levels, as CPython's tokenizer allows), and the one
// beyond is CPython's error.
TEST(ParserTest, BlocksNestToTheIndentationLimit) {
  auto nested = [](int levels) {
    std::string source;
    for (int i = 0; i < levels; ++i) source += std::string(4 * i, ' ') + "while x:\n";
    return source + std::string(4 * levels, ' ') + "y = 1\n";
  };
  Module module;
  SyntaxErrorInfo error;
  ASSERT_TRUE(Parse(nested(99), "prog.py", &module, &error)) << error.message;
  std::string expected = "(= y 1)";
  for (int i = 0; i < 99; ++i) expected = "(while x {" + expected + "})";
  EXPECT_EQ(DumpBody(module.body), "{" + expected + "}");
  EXPECT_EQ(E(nested(100)), "IndentationError: too many levels of indentation");
}

TEST(ParserTest, NeverCrashesOnGarbage) {
  static const char* const kPieces[] = {
      "(",    ")",   "[",    "]",      "{",      "}",    "if ",    "else", ":",    "\n",
      "\t",   "  ",  "\"",   "'",      "\"\"\"", "f'{",  "}",      "\\",   "#",    "def f(a=1):\n",
      "x",    " = ", "for ", " in ",   "**",     "-",    "yield ", ",",    "0x",   "1e",
      ".",    "é",   "b'",   "\r\n",   "lambda", "@",    ":=",     "*",    "\xff", "not ",
      "elif", "1_0", "\x00", "while ", "f'{x:",  "!r}'", "return", "\\\n", "pass", ";",
      "'''",  "rb'"};
  std::mt19937 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    std::string source;
    int pieces = static_cast<int>(rng() % 40);
    for (int i = 0; i < pieces; ++i) {
      if (rng() % 10 == 0) {
        source.push_back(static_cast<char>(rng() % 256));
      } else {
        source += kPieces[rng() % (sizeof kPieces / sizeof kPieces[0])];
      }
    }
    Module module;
    SyntaxErrorInfo error;
    if (!Parse(source, "fuzz.py", &module, &error)) {
      EXPECT_FALSE(error.message.empty()) << source;
      FormatSyntaxError("fuzz.py", source, error);
    }
  }
}

TEST(ParserTest, ParsesARealisticProgram) {
  const char* source = R"(import time
import threading
from os import getpid as pid

COUNT = 10_000
results = [0] * 4


def worker(index, n=COUNT):
    global results
    total = 0
    i = 0
    while i < n:
        if i % 3 == 0 and not i % 5 == 0:
            total += i
        elif i % 7 in (1, 2):
            total -= 1
        else:
            pass
        i += 1
    results[index] = total
    return total


def gen(n):
    for i in range(n):
        yield i * 2


if __name__ == "__main__":
    start = time.perf_counter()
    threads = []
    for k in range(4):
        t = threading.Thread(target=worker, args=(k,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    print(f"total={sum(results):,} took {elapsed:.3f}s", "%5d" % pid())
    assert list(gen(3)) == [0, 2, 4], "generator broke"
)";
  Module module;
  SyntaxErrorInfo error;
  ASSERT_TRUE(Parse(source, "prog.py", &module, &error))
      << FormatSyntaxError("prog.py", source, error);
  EXPECT_EQ(module.body.size(), 8u);
}

}  // namespace
}  // namespace gilbench::vm
