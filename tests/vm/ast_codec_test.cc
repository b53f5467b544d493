// Tests of the block codec (vm/ast_codec.h): every node kind and every field, at the values that
// stretch the encoding (the ends of int64, -0.0 and NaN payloads, NUL bytes and non-ASCII in
// strings, negative positions), survive a round trip; blocks nest in one buffer and are read back
// without copies; a decoded statement can be written again; the cheap decodings (kBindings, Skip)
// read what they say; and a function body costs a few bytes per source byte.
//
// Equality is checked on a fingerprint that prints every field of every node (floats by their
// bits), blocks decoded statement by statement.
#include "vm/ast_codec.h"

#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "vm/parser.h"

namespace gilbench::vm {
namespace {

std::string Fingerprint(const Expr* e);

std::string Text(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) out += std::to_string(c) + ",";
  return out + "\"";
}

std::string Pos(SourcePos pos) {
  return "@" + std::to_string(pos.line) + ":" + std::to_string(pos.col);
}

std::string FloatBits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return std::to_string(bits);
}

std::string Fingerprints(const std::vector<ExprPtr>& items) {
  std::string out = "[";
  for (const ExprPtr& item : items) out += Fingerprint(item.get()) + ";";
  return out + "]";
}

std::string Strings(const std::vector<std::string>& texts) {
  std::string out = "[";
  for (const std::string& text : texts) out += Text(text) + ";";
  return out + "]";
}

// Every field of Expr (ast.h), in its order.
std::string Fingerprint(const Expr* e) {
  if (e == nullptr) return "null";
  std::string out = "(expr " + std::to_string(static_cast<int>(e->kind)) + Pos(e->pos);
  out += " unary=" + std::to_string(static_cast<int>(e->unary_op));
  out += " binary=" + std::to_string(static_cast<int>(e->binary_op));
  out += " bool=" + std::to_string(static_cast<int>(e->bool_op));
  out += " int=" + std::to_string(e->int_value);
  out += " float=" + FloatBits(e->float_value);
  out += " str=" + Text(e->str_value);
  out += " cmp=[";
  for (CompareOp op : e->compare_ops) out += std::to_string(static_cast<int>(op)) + ";";
  out += "] left=" + Fingerprint(e->left.get());
  out += " right=" + Fingerprint(e->right.get());
  out += " operand=" + Fingerprint(e->operand.get());
  out += " lower=" + Fingerprint(e->slice_lower.get());
  out += " upper=" + Fingerprint(e->slice_upper.get());
  out += " items=" + Fingerprints(e->items);
  out += " keywords=[";
  for (const Keyword& k : e->keywords) {
    out += Text(k.name) + "=" + Fingerprint(k.value.get()) + Pos(k.pos) + ";";
  }
  return out + "])";
}

std::string Fingerprint(const Block& block);

// Every field of Stmt but the blocks.
std::string HeaderFingerprint(const Stmt& s) {
  std::string out = "(stmt " + std::to_string(static_cast<int>(s.kind)) + Pos(s.pos);
  out += " aug=" + std::to_string(static_cast<int>(s.aug_op));
  out += " value=" + Fingerprint(s.value.get());
  out += " test=" + Fingerprint(s.test.get());
  out += " msg=" + Fingerprint(s.msg.get());
  out += " targets=" + Fingerprints(s.targets);
  out += " name=" + Text(s.name);
  out += " params=" + Strings(s.params);
  out += " defaults=" + Fingerprints(s.defaults);
  out += " module=" + Text(s.module);
  out += " alias=" + Text(s.alias);
  out += " names=" + Strings(s.names);
  out += " aliases=" + Strings(s.aliases);
  return out;
}

// Every field of Stmt, the blocks decoded.
std::string Fingerprint(const Stmt& s) {
  return HeaderFingerprint(s) + " body=" + Fingerprint(s.body) +
         " orelse=" + Fingerprint(s.orelse) + ")";
}

std::string Fingerprint(const Block& block) {
  std::string out = "{" + std::to_string(block.size()) + ":";
  Block::Reader reader(block);
  while (StmtPtr s = reader.Next()) out += Fingerprint(*s) + ";";
  return out + "}";
}

ExprPtr NewExpr(ExprKind kind, SourcePos pos = {3, 4}) { return std::make_unique<Expr>(kind, pos); }

// An expression of `kind` with every field away from its default, whatever the kind uses: the
// codec writes fields by presence, not by kind.
ExprPtr FullExpr(ExprKind kind) {
  ExprPtr e = NewExpr(kind, {7, 2});
  e->unary_op = UnaryOp::kNot;
  e->binary_op = BinaryOp::kPow;
  e->bool_op = BoolOpKind::kOr;
  e->int_value = -1234567;
  e->float_value = 2.5;
  e->str_value = "name";
  e->compare_ops = {CompareOp::kLt, CompareOp::kIsNot, CompareOp::kNotIn};
  e->left = NewExpr(ExprKind::kName, {7, 3});
  e->left->str_value = "l";
  e->right = NewExpr(ExprKind::kInt, {8, 0});
  e->right->int_value = 9;
  e->operand = NewExpr(ExprKind::kTrue, {6, 1});
  e->slice_lower = NewExpr(ExprKind::kNone, {7, 9});
  e->slice_upper = NewExpr(ExprKind::kFalse, {7, 10});
  e->items.push_back(NewExpr(ExprKind::kFloat, {7, 11}));
  e->items.back()->float_value = -0.0;
  e->items.push_back(nullptr);
  e->items.push_back(NewExpr(ExprKind::kStr, {9, 0}));
  e->keywords.push_back(Keyword{"k", NewExpr(ExprKind::kBytes, {7, 20}), {7, 18}});
  e->keywords.push_back(Keyword{"", nullptr, {0, -1}});
  return e;
}

// Writes `statements` as the statements of one top-level buffer and decodes them back.
std::vector<StmtPtr> RoundTrip(const std::vector<const Stmt*>& statements) {
  BlockWriter writer;
  writer.Reset();
  for (const Stmt* s : statements) writer.Write(*s);
  Block written = writer.Finish();
  EXPECT_EQ(written.size(), statements.size());
  std::vector<StmtPtr> out;
  Block::Reader reader(written);
  while (StmtPtr s = reader.Next()) out.push_back(std::move(s));
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.index(), statements.size());
  return out;
}

StmtPtr RoundTrip(const Stmt& s) {
  std::vector<StmtPtr> out = RoundTrip(std::vector<const Stmt*>{&s});
  return out.empty() ? nullptr : std::move(out[0]);
}

StmtPtr ExprStatement(ExprPtr value) {
  auto s = std::make_unique<Stmt>(StmtKind::kExpr, SourcePos{5, 0});
  s->value = std::move(value);
  return s;
}

constexpr ExprKind kEveryExprKind[] = {
    ExprKind::kInt,      ExprKind::kFloat,  ExprKind::kStr,       ExprKind::kBytes,
    ExprKind::kTrue,     ExprKind::kFalse,  ExprKind::kNone,      ExprKind::kName,
    ExprKind::kUnary,    ExprKind::kBinary, ExprKind::kCompare,   ExprKind::kBoolOp,
    ExprKind::kIfExp,    ExprKind::kCall,   ExprKind::kAttribute, ExprKind::kSubscript,
    ExprKind::kSlice,    ExprKind::kList,   ExprKind::kTuple,     ExprKind::kFString,
    ExprKind::kFormatted};

constexpr StmtKind kEveryStmtKind[] = {
    StmtKind::kExpr,  StmtKind::kAssign, StmtKind::kAugAssign,   StmtKind::kIf,
    StmtKind::kWhile, StmtKind::kFor,    StmtKind::kBreak,       StmtKind::kContinue,
    StmtKind::kPass,  StmtKind::kAssert, StmtKind::kFunctionDef, StmtKind::kReturn,
    StmtKind::kYield, StmtKind::kGlobal, StmtKind::kImport,      StmtKind::kImportFrom};

TEST(AstCodecTest, EveryExpressionKindWithEveryFieldRoundTrips) {
  for (ExprKind kind : kEveryExprKind) {
    StmtPtr s = ExprStatement(FullExpr(kind));
    StmtPtr back = RoundTrip(*s);
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(Fingerprint(*back), Fingerprint(*s)) << static_cast<int>(kind);
  }
  // And each at its defaults: nothing but kind and position.
  for (ExprKind kind : kEveryExprKind) {
    StmtPtr s = ExprStatement(NewExpr(kind));
    EXPECT_EQ(Fingerprint(*RoundTrip(*s)), Fingerprint(*s)) << static_cast<int>(kind);
  }
}

TEST(AstCodecTest, EveryOperatorRoundTrips) {
  for (int op = 0; op <= static_cast<int>(UnaryOp::kNot); ++op) {
    ExprPtr e = NewExpr(ExprKind::kUnary);
    e->unary_op = static_cast<UnaryOp>(op);
    StmtPtr s = ExprStatement(std::move(e));
    EXPECT_EQ(Fingerprint(*RoundTrip(*s)), Fingerprint(*s));
  }
  for (int op = 0; op <= static_cast<int>(BinaryOp::kPow); ++op) {
    ExprPtr e = NewExpr(ExprKind::kBinary);
    e->binary_op = static_cast<BinaryOp>(op);
    StmtPtr s = ExprStatement(std::move(e));
    s->kind = StmtKind::kAugAssign;
    s->aug_op = static_cast<BinaryOp>(op);
    EXPECT_EQ(Fingerprint(*RoundTrip(*s)), Fingerprint(*s));
  }
  ExprPtr chain = NewExpr(ExprKind::kCompare);
  for (int op = 0; op <= static_cast<int>(CompareOp::kIsNot); ++op) {
    chain->compare_ops.push_back(static_cast<CompareOp>(op));
    chain->items.push_back(NewExpr(ExprKind::kInt));
  }
  ExprPtr both = NewExpr(ExprKind::kBoolOp);
  both->bool_op = BoolOpKind::kOr;
  both->items.push_back(std::move(chain));
  StmtPtr s = ExprStatement(std::move(both));
  EXPECT_EQ(Fingerprint(*RoundTrip(*s)), Fingerprint(*s));
}

TEST(AstCodecTest, ExtremeValuesRoundTrip) {
  const int64_t kInts[] = {std::numeric_limits<int64_t>::min(),
                           std::numeric_limits<int64_t>::max(),
                           -1,
                           1,
                           63,
                           64,
                           -64,
                           -65,
                           int64_t{1} << 35,
                           -(int64_t{1} << 62)};
  const uint64_t kNanWithPayload = 0x7FF8000000012345u;
  double payload_nan;
  std::memcpy(&payload_nan, &kNanWithPayload, sizeof payload_nan);
  const double kFloats[] = {-0.0,
                            std::nan(""),
                            -std::nan(""),
                            payload_nan,
                            std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity(),
                            std::numeric_limits<double>::denorm_min(),
                            std::numeric_limits<double>::max(),
                            0.1};
  const std::string kStrings[] = {std::string("a\0b\0", 4), "h\xC3\xA9llo \xE2\x9C\x93",
                                  "\xFF\xFE invalid UTF-8", std::string(300, 'x'),
                                  std::string(70000, '\0')};
  const SourcePos kPositions[] = {
      {0, 0}, {INT_MAX, INT_MAX}, {-1, -1}, {INT_MIN, 0}, {1 << 21, 127}};
  ExprPtr list = NewExpr(ExprKind::kList, {100, 0});
  for (int64_t value : kInts) {
    list->items.push_back(NewExpr(ExprKind::kInt));
    list->items.back()->int_value = value;
  }
  for (double value : kFloats) {
    list->items.push_back(NewExpr(ExprKind::kFloat));
    list->items.back()->float_value = value;
  }
  for (const std::string& text : kStrings) {
    list->items.push_back(NewExpr(ExprKind::kStr));
    list->items.back()->str_value = text;
  }
  for (SourcePos pos : kPositions) {  // relative lines from far above and far below the parent
    list->items.push_back(NewExpr(ExprKind::kName, pos));
    list->items.back()->keywords.push_back(Keyword{"k", NewExpr(ExprKind::kNone, pos), pos});
  }
  for (SourcePos pos : kPositions) {
    auto s = std::make_unique<Stmt>(StmtKind::kExpr, pos);
    s->value = NewExpr(ExprKind::kName, {1, 1});
    EXPECT_EQ(Fingerprint(*RoundTrip(*s)), Fingerprint(*s));
  }
  StmtPtr s = ExprStatement(std::move(list));
  StmtPtr back = RoundTrip(*s);
  EXPECT_EQ(Fingerprint(*back), Fingerprint(*s));
  // The fingerprint compares floats by their bits; check the signs the hard way too.
  const Expr& floats = *back->value->items[std::size(kInts)];
  EXPECT_TRUE(floats.float_value == 0.0 && std::signbit(floats.float_value));
  EXPECT_EQ(back->value->items[0]->int_value, std::numeric_limits<int64_t>::min());
}

// A statement of `kind` with every header field away from its default.
StmtPtr FullStmt(StmtKind kind) {
  auto s = std::make_unique<Stmt>(kind, SourcePos{40, 8});
  s->aug_op = BinaryOp::kMod;
  s->value = FullExpr(ExprKind::kCall);
  s->test = FullExpr(ExprKind::kCompare);
  s->msg = NewExpr(ExprKind::kStr, {41, 0});
  s->targets.push_back(NewExpr(ExprKind::kName, {40, 8}));
  s->targets.push_back(nullptr);
  s->targets.push_back(FullExpr(ExprKind::kTuple));
  s->name = "f";
  s->params = {"a", "", "c"};
  s->defaults.push_back(NewExpr(ExprKind::kInt, {40, 12}));
  s->module = "os.path";
  s->alias = "p";
  s->names = {"join", "split"};
  s->aliases = {"", "s"};
  return s;
}

TEST(AstCodecTest, EveryStatementKindWithEveryFieldRoundTrips) {
  for (StmtKind kind : kEveryStmtKind) {
    StmtPtr s = FullStmt(kind);
    StmtPtr back = RoundTrip(*s);
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(Fingerprint(*back), Fingerprint(*s)) << static_cast<int>(kind);
    EXPECT_EQ(HasBlocks(kind), kind == StmtKind::kIf || kind == StmtKind::kWhile ||
                                   kind == StmtKind::kFor || kind == StmtKind::kFunctionDef);
  }
  for (StmtKind kind : kEveryStmtKind) {
    Stmt bare(kind, SourcePos{});
    EXPECT_EQ(Fingerprint(*RoundTrip(bare)), Fingerprint(bare)) << static_cast<int>(kind);
  }
}

// Nested compound statements written in place: for > if (body and else) > while, and a def.
TEST(AstCodecTest, BlocksNestInOneBufferAndReadBackWithoutCopies) {
  BlockWriter writer;
  writer.Reset();
  StmtPtr for_header = FullStmt(StmtKind::kFor);
  StmtPtr if_header = FullStmt(StmtKind::kIf);
  StmtPtr while_header = FullStmt(StmtKind::kWhile);
  Stmt pass(StmtKind::kPass, {50, 12});
  StmtPtr assign = FullStmt(StmtKind::kAssign);
  writer.WriteHeader(*for_header);
  writer.OpenBlock();                 // for body
  writer.Write(*assign);              //   assign
  writer.WriteHeader(*if_header);     //   if
  writer.OpenBlock();                 //   if body
  writer.WriteHeader(*while_header);  //     while
  writer.OpenBlock();                 //     while body
  writer.Write(pass);                 //       pass
  writer.CloseBlock();
  writer.OpenBlock();  // while's else: empty
  writer.CloseBlock();
  writer.CloseBlock();
  writer.OpenBlock();  // if's else
  writer.Write(pass);
  writer.Write(*assign);
  writer.CloseBlock();
  writer.CloseBlock();  // for body
  writer.OpenBlock();   // for's else: empty
  writer.CloseBlock();
  writer.Write(pass);  // a second top-level statement
  Block top = writer.Finish();
  ASSERT_EQ(top.size(), 2u);

  Block::Reader reader(top);
  StmtPtr for_stmt = reader.Next();
  ASSERT_NE(for_stmt, nullptr);
  EXPECT_EQ(HeaderFingerprint(*for_stmt), HeaderFingerprint(*for_header));
  ASSERT_EQ(for_stmt->body.size(), 2u);
  EXPECT_TRUE(for_stmt->orelse.empty());
  EXPECT_EQ(for_stmt->body.buffer().get(), top.buffer().get());  // a view, not a copy

  StmtPtr last = for_stmt->body.Last();  // the if, decoded on its own
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(HeaderFingerprint(*last), HeaderFingerprint(*if_header));
  Block::Reader body(for_stmt->body);
  EXPECT_EQ(Fingerprint(*body.Next()), Fingerprint(*assign));
  StmtPtr if_stmt = body.Next();
  EXPECT_TRUE(body.done());
  EXPECT_EQ(body.Next(), nullptr);
  EXPECT_EQ(Fingerprint(*if_stmt), Fingerprint(*last));
  EXPECT_EQ(if_stmt->orelse.buffer().get(), top.buffer().get());
  EXPECT_EQ(Fingerprint(if_stmt->orelse),
            "{2:" + Fingerprint(pass) + ";" + Fingerprint(*assign) + ";}");
  StmtPtr while_stmt = if_stmt->body.Last();
  EXPECT_EQ(HeaderFingerprint(*while_stmt), HeaderFingerprint(*while_header));
  EXPECT_EQ(Fingerprint(while_stmt->body), "{1:" + Fingerprint(pass) + ";}");
  EXPECT_TRUE(while_stmt->orelse.empty());

  EXPECT_EQ(Fingerprint(*reader.Next()), Fingerprint(pass));
  EXPECT_TRUE(reader.done());

  // Skip steps over a compound statement, blocks and all.
  Block::Reader skipping(top);
  skipping.Skip();
  EXPECT_EQ(skipping.index(), 1u);
  EXPECT_EQ(Fingerprint(*skipping.Next()), Fingerprint(pass));
  skipping.Skip();  // past the end: nothing
  EXPECT_EQ(skipping.index(), 2u);

  // A decoded compound statement written again copies its blocks whole, into another writer or
  // into the very buffer it was decoded from.
  EXPECT_EQ(Fingerprint(*RoundTrip(*for_stmt)), Fingerprint(*for_stmt));
  std::string expected = Fingerprint(*for_stmt);
  writer.Write(*for_stmt);
  Block again = writer.Finish();
  ASSERT_EQ(again.size(), 3u);
  EXPECT_EQ(Fingerprint(*again.Last()), expected);
}

TEST(AstCodecTest, AnEmptyBlockHoldsNoBuffer) {
  Stmt def(StmtKind::kFunctionDef, {1, 0});
  StmtPtr back = RoundTrip(def);
  EXPECT_TRUE(back->body.empty());
  EXPECT_EQ(back->body.buffer(), nullptr);
  EXPECT_EQ(back->body.Last(), nullptr);
  Block::Reader reader(back->orelse);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.Next(), nullptr);
}

TEST(AstCodecTest, BindingsDepthLeavesOutWhatIsEvaluated) {
  StmtPtr s = FullStmt(StmtKind::kFor);
  BlockWriter writer;
  writer.Reset();
  writer.Write(*s);
  writer.Write(Stmt(StmtKind::kPass, {2, 0}));
  Block block = writer.Finish();
  Block::Reader reader(block);
  StmtPtr bindings = reader.Next(DecodeDepth::kBindings);
  EXPECT_EQ(bindings->value, nullptr);
  EXPECT_EQ(bindings->test, nullptr);
  EXPECT_EQ(bindings->msg, nullptr);
  EXPECT_TRUE(bindings->defaults.empty());
  EXPECT_EQ(Fingerprints(bindings->targets), Fingerprints(s->targets));
  EXPECT_EQ(Strings(bindings->names), Strings(s->names));
  EXPECT_EQ(Strings(bindings->aliases), Strings(s->aliases));
  EXPECT_EQ(Strings(bindings->params), Strings(s->params));
  EXPECT_EQ(bindings->name + bindings->module + bindings->alias, s->name + s->module + s->alias);
  // ...and it stepped over exactly the skipped bytes: the next statement reads whole.
  EXPECT_EQ(reader.Next()->kind, StmtKind::kPass);
}

TEST(AstCodecTest, ResetReusesTheBufferOnlyWhenNothingSharesIt) {
  BlockWriter writer;
  writer.Reset();
  StmtPtr if_header = FullStmt(StmtKind::kIf);
  writer.WriteHeader(*if_header);
  writer.OpenBlock();
  writer.Write(Stmt(StmtKind::kBreak, {2, 4}));
  writer.CloseBlock();
  writer.OpenBlock();
  writer.CloseBlock();
  StmtPtr kept = Block::Reader(writer.Finish()).Next();
  std::string expected = Fingerprint(*kept);
  const EncodedBytes* first = kept->body.buffer().get();
  writer.Reset();  // `kept` shares the buffer: a new one
  for (int i = 0; i < 1000; ++i) writer.Write(*FullStmt(StmtKind::kAssign));
  Block other = writer.Finish();
  EXPECT_NE(other.buffer().get(), first);
  EXPECT_EQ(Fingerprint(*kept), expected);
}

// Every statement the parser hands over has been through the codec once; writing it again and
// decoding gives the same tree.
TEST(AstCodecTest, ParsedStatementsRoundTripAgain) {
  const std::string source = R"(import os, time as t
from threading import Thread as T, Lock
g = [1, -2.5, 'a\x00b', b'\xff', None, True, False]
def f(a, b=1, c="\u00e9"):
    global g
    x, (y, z) = a[1:], b[:2]
    x += 1
    while x > 0 and not y or z is not None:
        x -= 1
        if x == 3:
            break
        elif x in (1, 2):
            continue
        else:
            pass
    else:
        yield x
    for i in range(10):
        if i % 2 == 0:
            print(f"{i:>4}{x}", end="", sep=x.y)
    assert a < b <= c != 1, "msg"
    return -a ** 2 // 3 if a else (a, b)
)";
  Module module;
  SyntaxErrorInfo error;
  ASSERT_TRUE(Parse(source, "t.py", &module, &error)) << error.message;
  for (const StmtPtr& s : module.body) {
    EXPECT_EQ(Fingerprint(*RoundTrip(*s)), Fingerprint(*s));
  }
}

// The point of the codec: a function body is a few bytes per source byte, not a hundred.
TEST(AstCodecTest, FunctionBodyIsAFewBytesPerSourceByte) {
  std::string source = "def f():\n";
  for (int i = 0; i < 100000; ++i) source += "    x = 1\n";
  Module module;
  SyntaxErrorInfo error;
  ASSERT_TRUE(Parse(source, "t.py", &module, &error)) << error.message;
  ASSERT_EQ(module.body.size(), 1u);
  const Block& body = module.body[0]->body;
  EXPECT_EQ(body.size(), 100000u);
  double per_source_byte = static_cast<double>(body.end() - body.begin()) / source.size();
  EXPECT_LT(per_source_byte, 3.0);
  EXPECT_GT(per_source_byte, 1.0);
  // The buffer holds little more than that: its growth doubles (and the room ahead is not touched).
  EXPECT_LE(body.buffer()->size(), 2 * body.end());
}

}  // namespace
}  // namespace gilbench::vm
