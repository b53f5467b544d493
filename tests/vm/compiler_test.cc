// Tests of the compiler: how names resolve to local and global slots, the constant table, the
// superinstructions CodeBuilder fuses (and the jump targets it must not fuse across), the line
// table, generator detection and the compile-time errors. Each test parses a small source, compiles
// it and looks at the decoded instructions rather than at the disassembler's text, so that a change
// in the listing format does not break them (the golden files cover the format).
#include "vm/compiler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "vm/opcodes.h"
#include "vm/parser.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

// One decoded instruction and where it starts.
struct Decoded {
  size_t offset;
  Instruction ins;
};

std::vector<Decoded> DecodeAll(const CodeObj& code) {
  std::vector<Decoded> out;
  const auto& bc = code.bytecode;
  for (size_t offset = 0; offset < bc.size();) {
    Instruction ins;
    if (!DecodeInstruction(bc.data(), bc.size(), offset, &ins)) {
      ADD_FAILURE() << "undecodable instruction at " << offset << " in " << code.name;
      break;
    }
    out.push_back({offset, ins});
    offset += ins.size;
  }
  return out;
}

std::vector<Op> OpsOf(const CodeObj& code) {
  std::vector<Op> ops;
  for (const Decoded& d : DecodeAll(code)) ops.push_back(d.ins.op);
  return ops;
}

std::string OpNames(const CodeObj& code) {
  std::string out;
  for (Op op : OpsOf(code)) out += std::string(out.empty() ? "" : " ") + GetOpInfo(op).name;
  return out;
}

bool HasOp(const CodeObj& code, Op op) {
  std::vector<Op> ops = OpsOf(code);
  return std::find(ops.begin(), ops.end(), op) != ops.end();
}

// The first instruction with opcode `op`; fails the test if there is none.
Instruction FindOp(const CodeObj& code, Op op) {
  for (const Decoded& d : DecodeAll(code)) {
    if (d.ins.op == op) return d.ins;
  }
  ADD_FAILURE() << GetOpInfo(op).name << " not found in " << code.name << ": " << OpNames(code);
  return Instruction{Op::kNOP};
}

// A compiled module and the global table it was compiled against; owns the code.
class Compiled {
 public:
  Compiled() = default;
  Compiled(const Compiled&) = delete;
  Compiled& operator=(const Compiled&) = delete;
  ~Compiled() {
    if (code_) DecrefObj(code_);
  }

  // Parses and compiles `source`; on failure returns false with the error in error().
  bool Build(std::string_view source) {
    Module module;
    return Parse(source, "t.py", &module, &error_) && BuildModule(module);
  }

  // Compiles an already parsed (possibly hand-edited) module.
  bool BuildModule(const Module& module) {
    return Compile(module, "t.py", &globals_, &code_, &error_);
  }

  const CodeObj& module() const { return *code_; }
  std::vector<std::string>& globals() { return globals_; }
  const SyntaxErrorInfo& error() const { return error_; }

  // The function `name` among the module's constants.
  const CodeObj& Function(std::string_view name) const {
    for (Value v : code_->constants) {
      if (IsType(v, ObjType::kCode) && static_cast<CodeObj*>(v.o)->name == name) {
        return *static_cast<CodeObj*>(v.o);
      }
    }
    ADD_FAILURE() << "no function " << name;
    return *code_;
  }

  uint16_t GlobalSlot(std::string_view name) const {
    auto it = std::find(globals_.begin(), globals_.end(), name);
    EXPECT_NE(it, globals_.end()) << "no global " << name;
    return static_cast<uint16_t>(it - globals_.begin());
  }

 private:
  CodeObj* code_ = nullptr;
  std::vector<std::string> globals_;
  SyntaxErrorInfo error_;
};

#define ASSERT_BUILDS(c, source) \
  ASSERT_TRUE((c).Build(source)) << (c).error().message << " at line " << (c).error().line

// --- name resolution ---------------------------------------------------------------------------

TEST(CompilerTest, ParametersComeFirstThenAssignedNames) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(a, b):\n"
                "    total = a\n"
                "    for i in range(b):\n"
                "        x, y = i, i\n"
                "    import time\n"
                "    return total\n");
  const CodeObj& f = c.Function("f");
  EXPECT_EQ(f.nparams, 2);
  EXPECT_EQ(f.local_names, (std::vector<std::string>{"a", "b", "total", "i", "x", "y", "time"}));
  // Only names that are read but never assigned go to the global table.
  EXPECT_EQ(FindOp(f, Op::kLOAD_GLOBAL).a, c.GlobalSlot("range"));
  EXPECT_EQ(std::count(c.globals().begin(), c.globals().end(), "total"), 0);
}

TEST(CompilerTest, NameAssignedLaterInTheFunctionIsStillLocal) {
  // As in CPython: the assignment anywhere in the body makes `x` local for the whole body, so the
  // read before it is a LOAD_LOCAL (an UnboundLocalError at run time), not a global read.
  Compiled c;
  ASSERT_BUILDS(c,
                "x = 1\n"
                "def f():\n"
                "    print(x)\n"
                "    x = 2\n");
  const CodeObj& f = c.Function("f");
  EXPECT_EQ(f.local_names, std::vector<std::string>{"x"});
  EXPECT_EQ(FindOp(f, Op::kLOAD_LOCAL).a, 0);
  EXPECT_EQ(FindOp(f, Op::kLOAD_GLOBAL).a, c.GlobalSlot("print"));
}

TEST(CompilerTest, GlobalDeclarationKeepsAssignedNameGlobal) {
  Compiled c;
  ASSERT_BUILDS(c,
                "counter = 0\n"
                "def bump():\n"
                "    global counter\n"
                "    counter += 1\n"
                "    counter = counter\n");
  const CodeObj& f = c.Function("bump");
  EXPECT_TRUE(f.local_names.empty());
  // `counter += 1` must not become INPLACE_ADD_LOCAL_CONST: the name is not a local slot.
  EXPECT_FALSE(HasOp(f, Op::kINPLACE_ADD_LOCAL_CONST));
  EXPECT_FALSE(HasOp(f, Op::kLOAD_LOCAL));
  EXPECT_EQ(FindOp(f, Op::kLOAD_GLOBAL).a, c.GlobalSlot("counter"));
  EXPECT_EQ(FindOp(f, Op::kSTORE_GLOBAL).a, c.GlobalSlot("counter"));
}

TEST(CompilerTest, ModuleLevelNamesAreGlobals) {
  Compiled c;
  ASSERT_BUILDS(c,
                "x = 1\n"
                "for i in range(3):\n"
                "    x += i\n");
  EXPECT_TRUE(c.module().local_names.empty());
  EXPECT_FALSE(HasOp(c.module(), Op::kLOAD_LOCAL));
  EXPECT_FALSE(HasOp(c.module(), Op::kFOR_ITER_LOCAL));
  EXPECT_TRUE(HasOp(c.module(), Op::kFOR_ITER));
  EXPECT_EQ(FindOp(c.module(), Op::kSTORE_GLOBAL).a, c.GlobalSlot("x"));
}

TEST(CompilerTest, GlobalTableIsSharedAndAppendedTo) {
  // The interpreter passes its table in with builtins already named; existing names keep their
  // slots and new ones are appended in first-use order.
  Compiled c;
  c.globals() = {"print", "len"};
  ASSERT_BUILDS(c, "y = len\nprint(y)\n");
  EXPECT_EQ(c.globals(), (std::vector<std::string>{"print", "len", "y"}));
  std::vector<Decoded> code = DecodeAll(c.module());
  ASSERT_GE(code.size(), 4u);
  EXPECT_EQ(code[0].ins.op, Op::kLOAD_GLOBAL);
  EXPECT_EQ(code[0].ins.a, 1);
  EXPECT_EQ(code[1].ins.op, Op::kSTORE_GLOBAL);
  EXPECT_EQ(code[1].ins.a, 2);
  EXPECT_EQ(code[2].ins.op, Op::kLOAD_GLOBAL);
  EXPECT_EQ(code[2].ins.a, 0);
}

// --- constants ---------------------------------------------------------------------------------

TEST(CompilerTest, ConstantsAreDeduplicated) {
  Compiled c;
  ASSERT_BUILDS(c, "a = 7\nb = 7\ns = 'hi'\nt = 'hi'\nu = b'hi'\nv = 2.5\nw = 2.5\n");
  std::vector<std::string> reprs;
  for (Value v : c.module().constants) reprs.push_back(ToRepr(v));
  // The str and the bytes with the same contents stay distinct; None is the implicit return.
  EXPECT_EQ(reprs, (std::vector<std::string>{"7", "'hi'", "b'hi'", "2.5", "None"}));
}

TEST(CompilerTest, ZeroFalseAndSignedZerosStayDistinct) {
  // 0 == 0.0 == False == -0.0 in Python, but they are different constants: merging them would make
  // `x = -0.0` print 0.0 or `x = False` print 0. The source has no -0.0 literal (it is -(0.0)),
  // so the test writes one into the parsed tree.
  Module module;
  SyntaxErrorInfo error;
  ASSERT_TRUE(
      Parse("xs = [0, 0.0, False, 0.0, 1, 1.0, True, 0.0, 0, False]\n", "t.py", &module, &error));
  Expr& list = *module.body[0]->value;
  list.items[3]->float_value = -0.0;
  list.items[7]->float_value = -0.0;
  Compiled c;
  ASSERT_TRUE(c.BuildModule(module)) << c.error().message;
  const auto& consts = c.module().constants;
  ASSERT_EQ(consts.size(), 8u);  // 0 0.0 False -0.0 1 1.0 True None
  EXPECT_TRUE(consts[0].is_int() && consts[0].i == 0);
  EXPECT_TRUE(consts[1].is_float() && consts[1].f == 0.0 && !std::signbit(consts[1].f));
  EXPECT_TRUE(consts[2].is_bool() && consts[2].i == 0);
  EXPECT_TRUE(consts[3].is_float() && consts[3].f == 0.0 && std::signbit(consts[3].f));
  EXPECT_TRUE(consts[4].is_int() && consts[4].i == 1);
  EXPECT_TRUE(consts[5].is_float() && consts[5].f == 1.0);
  EXPECT_TRUE(consts[6].is_bool() && consts[6].i == 1);
  EXPECT_TRUE(consts[7].is_none());
  // The repeated -0.0, 0 and False reuse their first entries.
  std::vector<uint16_t> loaded;
  for (const Decoded& d : DecodeAll(c.module())) {
    if (d.ins.op == Op::kLOAD_CONST) loaded.push_back(d.ins.a);
  }
  EXPECT_EQ(loaded, (std::vector<uint16_t>{0, 1, 2, 3, 4, 5, 6, 3, 0, 2, 7}));
}

TEST(CompilerTest, EachFunctionHasItsOwnConstantTable) {
  Compiled c;
  ASSERT_BUILDS(c, "x = 5\ndef f():\n    return 5\n");
  const CodeObj& f = c.Function("f");
  ASSERT_FALSE(f.constants.empty());
  EXPECT_EQ(ToRepr(f.constants[0]), "5");
  EXPECT_EQ(FindOp(f, Op::kLOAD_CONST).a, 0);
}

// --- superinstructions -------------------------------------------------------------------------

TEST(CompilerTest, CountdownLoopUsesFusedCompareBranches) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def countdown(n):\n"
                "    while n > 0:\n"
                "        n -= 1\n"
                "    return n\n");
  const CodeObj& f = c.Function("countdown");
  std::vector<Decoded> code = DecodeAll(f);
  ASSERT_GE(code.size(), 3u) << OpNames(f);
  // Entry test, body, bottom test: one instruction each.
  const Instruction& entry = code[0].ins;
  const Instruction& body = code[1].ins;
  const Instruction& back = code[2].ins;
  EXPECT_EQ(entry.op, Op::kJUMP_UNLESS_LOCAL_COMPARE_CONST) << OpNames(f);
  EXPECT_EQ(body.op, Op::kINPLACE_SUB_LOCAL_CONST) << OpNames(f);
  EXPECT_EQ(back.op, Op::kLOOP_IF_LOCAL_COMPARE_CONST) << OpNames(f);
  auto gt = static_cast<uint16_t>(CompareOp::kGt);
  EXPECT_EQ(entry.a, 0);  // n
  EXPECT_EQ(entry.c, gt);
  EXPECT_EQ(ToRepr(f.constants[entry.b]), "0");
  EXPECT_EQ(body.a, 0);
  EXPECT_EQ(ToRepr(f.constants[body.b]), "1");
  EXPECT_EQ(back.a, 0);
  EXPECT_EQ(back.c, gt);
  EXPECT_EQ(back.b, entry.b);
  // The back edge returns to the body; the entry test skips past the back edge.
  EXPECT_EQ(back.target, code[1].offset);
  EXPECT_EQ(entry.target, code[3].offset);
  EXPECT_FALSE(HasOp(f, Op::kCOMPARE));
}

TEST(CompilerTest, ForOverRangeWithLocalTargetUsesForIterLocal) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(n):\n"
                "    t = 0\n"
                "    for i in range(n):\n"
                "        t += i\n"
                "    return t\n");
  const CodeObj& f = c.Function("f");
  Instruction loop = FindOp(f, Op::kFOR_ITER_LOCAL);
  EXPECT_EQ(f.local_names[loop.a], "i");
  EXPECT_FALSE(HasOp(f, Op::kFOR_ITER));
  // The item goes straight into the slot: no STORE_LOCAL of i anywhere.
  for (const Decoded& d : DecodeAll(f)) {
    if (d.ins.op == Op::kSTORE_LOCAL) EXPECT_NE(f.local_names[d.ins.a], "i");
  }
  // for loops test at the bottom: GET_ITER; JUMP to the FOR_ITER_LOCAL, whose back edge goes to
  // the instruction after that JUMP.
  std::vector<Decoded> code = DecodeAll(f);
  auto get_iter = std::find_if(code.begin(), code.end(),
                               [](const Decoded& d) { return d.ins.op == Op::kGET_ITER; });
  ASSERT_NE(get_iter, code.end());
  ASSERT_LT(get_iter + 2, code.end());
  const Decoded& jump = *(get_iter + 1);
  EXPECT_EQ(jump.ins.op, Op::kJUMP);
  EXPECT_EQ(loop.target, (get_iter + 2)->offset);
  auto for_iter = std::find_if(code.begin(), code.end(),
                               [](const Decoded& d) { return d.ins.op == Op::kFOR_ITER_LOCAL; });
  EXPECT_EQ(jump.ins.target, for_iter->offset);
}

TEST(CompilerTest, TupleTargetForLoopStoresThroughUnpack) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(pairs):\n"
                "    for a, b in pairs:\n"
                "        pass\n");
  const CodeObj& f = c.Function("f");
  EXPECT_TRUE(HasOp(f, Op::kFOR_ITER));
  EXPECT_FALSE(HasOp(f, Op::kFOR_ITER_LOCAL));
  EXPECT_EQ(FindOp(f, Op::kUNPACK_SEQUENCE).a, 2);
}

TEST(CompilerTest, ModuloOfTwoLocalsFuses) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(a, b):\n"
                "    return a % b\n");
  const CodeObj& f = c.Function("f");
  std::vector<Decoded> code = DecodeAll(f);
  ASSERT_GE(code.size(), 2u);
  EXPECT_EQ(code[0].ins.op, Op::kBINARY_MOD_LOCAL_LOCAL) << OpNames(f);
  EXPECT_EQ(code[0].ins.a, 0);
  EXPECT_EQ(code[0].ins.b, 1);
  EXPECT_EQ(code[1].ins.op, Op::kRETURN_VALUE);
}

// `if a % b == k:` and `!= k` on two locals become one branch; other comparisons of a remainder
// keep BINARY_MOD_LOCAL_LOCAL.
TEST(CompilerTest, DivisibilityTestFusesIntoOneBranch) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(a, b):\n"
                "    if a % b == 0:\n"
                "        return 1\n"
                "    if b % a != 3:\n"
                "        return 2\n"
                "    if a % b < 1:\n"
                "        return 3\n"
                "    return 4\n");
  const CodeObj& f = c.Function("f");
  std::vector<Decoded> code = DecodeAll(f);
  ASSERT_GE(code.size(), 1u);
  EXPECT_EQ(code[0].ins.op, Op::kJUMP_UNLESS_MOD_EQ_CONST) << OpNames(f);
  EXPECT_EQ(code[0].ins.a, 0);
  EXPECT_EQ(code[0].ins.b, 1);
  EXPECT_EQ(f.constants[code[0].ins.c].i, 0);
  const Instruction& ne = FindOp(f, Op::kJUMP_UNLESS_MOD_NE_CONST);
  EXPECT_EQ(ne.a, 1);
  EXPECT_EQ(ne.b, 0);
  EXPECT_EQ(f.constants[ne.c].i, 3);
  EXPECT_TRUE(HasOp(f, Op::kBINARY_MOD_LOCAL_LOCAL)) << OpNames(f);  // the `< 1` test
}

// A for body ending in `if a == b:` (no else) keeps that if's body after the loop: the test
// jumps there when true and otherwise falls through to the loop's back edge.
TEST(CompilerTest, ForBodyEndingInEqualityKeepsTheIfBodyOutOfLine) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(n):\n"
                "    for i in range(1, n):\n"
                "        if n % i == 0:\n"
                "            return i\n"
                "    return 0\n");
  const CodeObj& f = c.Function("f");
  std::vector<Decoded> code = DecodeAll(f);
  size_t test = 0;
  while (test < code.size() && code[test].ins.op != Op::kJUMP_UNLESS_MOD_NE_CONST) ++test;
  ASSERT_LT(test + 1, code.size()) << OpNames(f);
  EXPECT_EQ(code[test + 1].ins.op, Op::kFOR_ITER_LOCAL) << OpNames(f);
  EXPECT_EQ(code[test + 1].ins.target, code[test].offset);  // the back edge is the loop's top
  EXPECT_GT(code[test].ins.target, code[test + 1].offset);  // the if's body: after the loop
  // The if's body ends by going back to the loop's step, checking the eval breaker.
  EXPECT_EQ(FindOp(f, Op::kLOOP).target, code[test + 1].offset);
}

// Other tails stay in line: an else, another comparison, a chained ==.
TEST(CompilerTest, OtherIfTailsOfAForBodyStayInLine) {
  for (const char* test : {"i < n", "n % i != 0", "0 == n % i == 0"}) {
    Compiled c;
    ASSERT_BUILDS(c, std::string("def f(n):\n"
                                 "    for i in range(1, n):\n"
                                 "        if ") +
                         test +
                         ":\n"
                         "            n += 1\n"
                         "    return n\n");
    const CodeObj& f = c.Function("f");
    EXPECT_FALSE(HasOp(f, Op::kLOOP)) << test << ": " << OpNames(f);
  }
}

TEST(CompilerTest, OtherLocalPairsFuseToTheirSuperinstructions) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(a, b):\n"
                "    x = a + b\n"
                "    y = a - b\n"
                "    z = a * b\n"
                "    w = a / b\n"
                "    v = a + 1\n"
                "    a += 2\n");
  const CodeObj& f = c.Function("f");
  EXPECT_TRUE(HasOp(f, Op::kBINARY_ADD_LOCAL_LOCAL));
  EXPECT_TRUE(HasOp(f, Op::kBINARY_SUB_LOCAL_LOCAL));
  EXPECT_TRUE(HasOp(f, Op::kBINARY_MUL_LOCAL_LOCAL));
  // `/` has no fused form: the loads fuse, the division stays.
  EXPECT_TRUE(HasOp(f, Op::kLOAD_LOCAL_LOCAL));
  EXPECT_TRUE(HasOp(f, Op::kBINARY_DIV));
  EXPECT_TRUE(HasOp(f, Op::kLOAD_LOCAL_CONST));
  EXPECT_TRUE(HasOp(f, Op::kINPLACE_ADD_LOCAL_CONST));
}

TEST(CompilerTest, IfCompareAgainstConstantFusesWithBranch) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(x, i):\n"
                "    if x + i == 0:\n"
                "        return 1\n"
                "    if x < i:\n"
                "        return 2\n"
                "    return 3\n");
  const CodeObj& f = c.Function("f");
  Instruction sum_branch = FindOp(f, Op::kJUMP_UNLESS_COMPARE_CONST);
  EXPECT_EQ(sum_branch.a, static_cast<uint16_t>(CompareOp::kEq));
  EXPECT_EQ(ToRepr(f.constants[sum_branch.b]), "0");
  Instruction lt_branch = FindOp(f, Op::kJUMP_UNLESS_LOCAL_COMPARE_LOCAL);
  EXPECT_EQ(lt_branch.c, static_cast<uint16_t>(CompareOp::kLt));
  EXPECT_FALSE(HasOp(f, Op::kCOMPARE));
  EXPECT_FALSE(HasOp(f, Op::kPOP_JUMP_IF_FALSE));
}

TEST(CompilerTest, MethodCallUsesLoadMethodAndCallMethod) {
  Compiled c;
  ASSERT_BUILDS(c, "x = []\nx.append(1)\n");
  Instruction load = FindOp(c.module(), Op::kLOAD_METHOD);
  EXPECT_EQ(ToRepr(c.module().constants[load.a]), "'append'");
  EXPECT_EQ(FindOp(c.module(), Op::kCALL_METHOD).a, 1);
  EXPECT_FALSE(HasOp(c.module(), Op::kLOAD_ATTR));
  EXPECT_FALSE(HasOp(c.module(), Op::kCALL));
}

TEST(CompilerTest, AttributeReadWithoutCallIsLoadAttr) {
  Compiled c;
  ASSERT_BUILDS(c, "import sys\ny = sys.argv\n");
  Instruction attr = FindOp(c.module(), Op::kLOAD_ATTR);
  EXPECT_EQ(ToRepr(c.module().constants[attr.a]), "'argv'");
  EXPECT_FALSE(HasOp(c.module(), Op::kLOAD_METHOD));
}

TEST(CompilerTest, KeywordCallUsesCallKwWithNamesTuple) {
  Compiled c;
  ASSERT_BUILDS(c, "print(1, 2, sep='-', end='')\n");
  Instruction call = FindOp(c.module(), Op::kCALL_KW);
  EXPECT_EQ(call.a, 4);  // all arguments, keywords included
  ASSERT_LT(call.b, c.module().constants.size());
  EXPECT_EQ(ToRepr(c.module().constants[call.b]), "('sep', 'end')");
  EXPECT_FALSE(HasOp(c.module(), Op::kCALL));
}

TEST(CompilerTest, KeywordMethodCallIsAttributeThenCallKw) {
  // CALL_METHOD has no keyword form, so a method call with keywords loads the attribute instead.
  Compiled c;
  ASSERT_BUILDS(c, "import threading\nt = threading.Thread(target=print)\n");
  EXPECT_TRUE(HasOp(c.module(), Op::kLOAD_ATTR));
  EXPECT_FALSE(HasOp(c.module(), Op::kLOAD_METHOD));
  EXPECT_EQ(FindOp(c.module(), Op::kCALL_KW).a, 1);
}

// Every jump target of `code` must be an instruction start and no fused instruction may swallow
// one: after fusion, the offset a label was bound to must still begin an instruction.
void ExpectTargetsAreInstructionStarts(const CodeObj& code) {
  std::vector<Decoded> all = DecodeAll(code);
  std::vector<size_t> starts;
  for (const Decoded& d : all) starts.push_back(d.offset);
  for (const Decoded& d : all) {
    if (!GetOpInfo(d.ins.op).has_target) continue;
    EXPECT_TRUE(std::find(starts.begin(), starts.end(), d.ins.target) != starts.end())
        << GetOpInfo(d.ins.op).name << " at " << d.offset << " jumps to " << d.ins.target;
  }
}

TEST(CompilerTest, NoFusionIntoTheEndOfAChainedComparison) {
  // `a < b < c` ends with two paths meeting (the short-circuit cleanup and the last COMPARE);
  // the branch after the merge point must not fuse with the COMPARE before it, or the cleanup
  // path would jump into (or skip) the fused instruction.
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(a, b, c):\n"
                "    if a < b < c:\n"
                "        return 1\n"
                "    return 0\n");
  const CodeObj& f = c.Function("f");
  std::vector<Decoded> code = DecodeAll(f);
  // [a b] DUP ROT3 COMPARE JIFOP; [c] COMPARE JUMP end; cleanup: ROT_TWO POP_TOP; end: branch.
  std::vector<Op> ops = OpsOf(f);
  std::vector<Op> want = {
      Op::kLOAD_LOCAL_LOCAL, Op::kDUP_TOP, Op::kROT_THREE, Op::kCOMPARE, Op::kJUMP_IF_FALSE_OR_POP,
      Op::kLOAD_LOCAL,       Op::kCOMPARE, Op::kJUMP,      Op::kROT_TWO, Op::kPOP_TOP,
      Op::kPOP_JUMP_IF_FALSE};
  ASSERT_GE(ops.size(), want.size()) << OpNames(f);
  EXPECT_EQ(std::vector<Op>(ops.begin(), ops.begin() + want.size()), want) << OpNames(f);
  EXPECT_EQ(code[7].ins.target, code[10].offset);  // JUMP end lands on the branch itself
  EXPECT_EQ(code[4].ins.target, code[8].offset);   // short circuit lands on the cleanup
  ExpectTargetsAreInstructionStarts(f);
}

TEST(CompilerTest, NoFusionAcrossTheStartOfAnElseBranch) {
  // `(a if c else b) + d`: LOAD_LOCAL b ends the else branch and LOAD_LOCAL d starts at the join
  // label; fusing them into LOAD_LOCAL_LOCAL would leave the then-branch's JUMP pointing into the
  // middle of it.
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(a, b, c, d):\n"
                "    return (a if c else b) + d\n");
  const CodeObj& f = c.Function("f");
  EXPECT_FALSE(HasOp(f, Op::kLOAD_LOCAL_LOCAL)) << OpNames(f);
  EXPECT_FALSE(HasOp(f, Op::kBINARY_ADD_LOCAL_LOCAL)) << OpNames(f);
  EXPECT_TRUE(HasOp(f, Op::kBINARY_ADD));
  ExpectTargetsAreInstructionStarts(f);
}

TEST(CompilerTest, NoFusionAcrossElseOfIfStatement) {
  // The then-branch ends in `x = a` and the else starts with a load: the else label separates
  // them, so the LOAD_LOCAL at the else start must stay a jump target on its own.
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(a, b, c):\n"
                "    if c:\n"
                "        x = a\n"
                "    else:\n"
                "        x = b + a\n"
                "    return x\n");
  const CodeObj& f = c.Function("f");
  Instruction branch = FindOp(f, Op::kPOP_JUMP_IF_FALSE);
  bool found = false;
  for (const Decoded& d : DecodeAll(f)) {
    if (d.offset == branch.target) {
      found = true;
      EXPECT_EQ(d.ins.op, Op::kBINARY_ADD_LOCAL_LOCAL) << OpNames(f);
    }
  }
  EXPECT_TRUE(found);
  ExpectTargetsAreInstructionStarts(f);
}

TEST(CompilerTest, NotInBranchFlipsInsteadOfNegating) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(x):\n"
                "    if not x:\n"
                "        return 1\n"
                "    return 2\n");
  const CodeObj& f = c.Function("f");
  EXPECT_FALSE(HasOp(f, Op::kUNARY_NOT)) << OpNames(f);
  EXPECT_TRUE(HasOp(f, Op::kPOP_JUMP_IF_TRUE));
}

TEST(CompilerTest, WhileTrueIsAPlainLoop) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(n):\n"
                "    while True:\n"
                "        n -= 1\n"
                "        if n == 0:\n"
                "            break\n"
                "        continue\n"
                "    return n\n");
  const CodeObj& f = c.Function("f");
  EXPECT_FALSE(HasOp(f, Op::kLOOP_IF_TRUE));
  for (Value v : f.constants) EXPECT_FALSE(v.is_bool()) << "the constant test was compiled";
  // `continue` goes back to the top (a bound label) so it is a LOOP, as is the back edge.
  int loops = 0;
  for (const Decoded& d : DecodeAll(f)) {
    if (d.ins.op == Op::kLOOP) {
      ++loops;
      EXPECT_EQ(d.ins.target, 0u);
    }
  }
  EXPECT_EQ(loops, 2);
  ExpectTargetsAreInstructionStarts(f);
}

TEST(CompilerTest, BreakOutOfForPopsTheIterator) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(xs):\n"
                "    for x in xs:\n"
                "        break\n");
  const CodeObj& f = c.Function("f");
  // GET_ITER, JUMP next, POP_TOP (break drops the iterator), JUMP end, FOR_ITER_LOCAL ...
  std::vector<Op> ops = OpsOf(f);
  auto pop = std::find(ops.begin(), ops.end(), Op::kPOP_TOP);
  ASSERT_NE(pop, ops.end()) << OpNames(f);
  ASSERT_NE(pop + 1, ops.end());
  EXPECT_EQ(*(pop + 1), Op::kJUMP);
  EXPECT_EQ(*(pop + 2), Op::kFOR_ITER_LOCAL);
}

// --- line table --------------------------------------------------------------------------------

TEST(CompilerTest, LineTableMapsOffsetsToSourceLines) {
  Compiled c;
  ASSERT_BUILDS(c,
                "x = 1\n"
                "\n"
                "# a comment\n"
                "y = x\n"
                "def f(a):\n"
                "    b = a\n"
                "    return (b +\n"
                "            len(a))\n");
  const CodeObj& m = c.module();
  std::vector<Decoded> code = DecodeAll(m);
  ASSERT_GE(code.size(), 6u);
  EXPECT_EQ(m.LineForOffset(code[0].offset), 1);  // LOAD_CONST 1
  EXPECT_EQ(m.LineForOffset(code[1].offset), 1);  // STORE_GLOBAL x
  EXPECT_EQ(m.LineForOffset(code[2].offset), 4);  // LOAD_GLOBAL x
  EXPECT_EQ(m.LineForOffset(code[3].offset), 4);  // STORE_GLOBAL y
  EXPECT_EQ(code[4].ins.op, Op::kMAKE_FUNCTION);
  EXPECT_EQ(m.LineForOffset(code[4].offset), 5);
  // Entries are strictly increasing in offset and never repeat a line back to back.
  for (size_t i = 1; i < m.line_table.size(); ++i) {
    EXPECT_LT(m.line_table[i - 1].first, m.line_table[i].first);
    EXPECT_NE(m.line_table[i - 1].second, m.line_table[i].second);
  }

  const CodeObj& f = c.Function("f");
  EXPECT_EQ(f.first_line, 5);
  std::vector<Decoded> body = DecodeAll(f);
  for (const Decoded& d : body) {
    int line = f.LineForOffset(d.offset);
    switch (d.ins.op) {
      case Op::kSTORE_LOCAL:
        EXPECT_EQ(line, 6);
        break;
      case Op::kLOAD_GLOBAL:
      case Op::kCALL:
        EXPECT_EQ(line, 8) << GetOpInfo(d.ins.op).name;  // len(a) sits on the continuation line
        break;
      case Op::kBINARY_ADD:
        EXPECT_EQ(line, 7);
        break;
      default:
        break;
    }
  }
  EXPECT_EQ(f.LineForOffset(body[0].offset), 6);
}

TEST(CompilerTest, FusedInstructionCarriesTheLineOfItsFirstPart) {
  // An UnboundLocalError from the fused load must point where `x` is, as CPython's traceback
  // does ("line 2, in f").
  // Regression (found by this suite): when the first load shares its line-table entry with the
  // instruction before it
  // (`print(x,` on one line), CodeBuilder::Drop keeps the current line (the continuation's, 3),
  // so LOAD_LOCAL_CONST x, 1 and the traceback say line 3. When the first load starts its own
  // entry, Drop restores its line and the result is right.
  Compiled c;
  ASSERT_BUILDS(c,
                "def f():\n"
                "    print(x,\n"
                "          1)\n"
                "    x = 1\n"
                "def g(y):\n"
                "    print(y,\n"
                "          y)\n");
  const CodeObj& f = c.Function("f");
  for (const Decoded& d : DecodeAll(f)) {
    if (d.ins.op == Op::kLOAD_LOCAL_CONST) EXPECT_EQ(f.LineForOffset(d.offset), 2);
  }
  const CodeObj& g = c.Function("g");
  for (const Decoded& d : DecodeAll(g)) {
    if (d.ins.op == Op::kLOAD_LOCAL_LOCAL) EXPECT_EQ(g.LineForOffset(d.offset), 6);
  }
}

TEST(CompilerTest, LoopBottomTestCarriesTheLoopLine) {
  // The bottom test of a while loop is emitted after the body but belongs to the `while` line, so
  // a traceback from the condition points at it.
  Compiled c;
  ASSERT_BUILDS(c,
                "def f(n):\n"
                "    while n > 0:\n"
                "        n -= 1\n"
                "        n -= 1\n"
                "    return n\n");
  const CodeObj& f = c.Function("f");
  for (const Decoded& d : DecodeAll(f)) {
    int line = f.LineForOffset(d.offset);
    if (d.ins.op == Op::kLOOP_IF_LOCAL_COMPARE_CONST) EXPECT_EQ(line, 2);
    if (d.ins.op == Op::kJUMP_UNLESS_LOCAL_COMPARE_CONST) EXPECT_EQ(line, 2);
    if (d.ins.op == Op::kINPLACE_SUB_LOCAL_CONST) EXPECT_TRUE(line == 3 || line == 4);
  }
}

// --- generators --------------------------------------------------------------------------------

TEST(CompilerTest, FunctionsContainingYieldAreGenerators) {
  Compiled c;
  ASSERT_BUILDS(c,
                "def plain(n):\n"
                "    return n\n"
                "def gen(n):\n"
                "    yield n\n"
                "def nested(n):\n"
                "    while n > 0:\n"
                "        if n % 2 == 0:\n"
                "            yield n\n"
                "        n -= 1\n"
                "def after_return(n):\n"
                "    return n\n"
                "    yield n\n");
  EXPECT_FALSE(c.module().is_generator);
  EXPECT_FALSE(c.Function("plain").is_generator);
  EXPECT_TRUE(c.Function("gen").is_generator);
  EXPECT_TRUE(c.Function("nested").is_generator);
  // As in CPython, an unreachable yield still makes a generator function.
  EXPECT_TRUE(c.Function("after_return").is_generator);
  EXPECT_TRUE(HasOp(c.Function("gen"), Op::kYIELD_VALUE));
  EXPECT_FALSE(HasOp(c.Function("plain"), Op::kYIELD_VALUE));
}

TEST(CompilerTest, FunctionsEndWithImplicitReturnNone) {
  Compiled c;
  ASSERT_BUILDS(c, "def f():\n    pass\n");
  const CodeObj& f = c.Function("f");
  std::vector<Decoded> code = DecodeAll(f);
  ASSERT_EQ(code.size(), 2u);
  EXPECT_EQ(code[0].ins.op, Op::kLOAD_CONST);
  EXPECT_TRUE(f.constants[code[0].ins.a].is_none());
  EXPECT_EQ(code[1].ins.op, Op::kRETURN_VALUE);
}

TEST(CompilerTest, DefaultsAreEvaluatedBeforeMakeFunction) {
  Compiled c;
  ASSERT_BUILDS(c, "def f(a, b=2, c=3):\n    return a\n");
  std::vector<Decoded> code = DecodeAll(c.module());
  ASSERT_GE(code.size(), 3u);
  EXPECT_EQ(code[0].ins.op, Op::kLOAD_CONST);
  EXPECT_EQ(code[1].ins.op, Op::kLOAD_CONST);
  EXPECT_EQ(code[2].ins.op, Op::kMAKE_FUNCTION);
  EXPECT_EQ(code[2].ins.b, 2);
  EXPECT_EQ(c.Function("f").nparams, 3);
}

// --- compile errors ----------------------------------------------------------------------------

struct ErrorCase {
  const char* source;
  const char* message;
  int line;
};

TEST(CompilerTest, CompileErrorsNameTheFaultAndLine) {
  const ErrorCase kCases[] = {
      {"x = 1\nreturn x\n", "'return' outside function", 2},
      {"x = 1\n\nbreak\n", "'break' outside loop", 3},
      {"continue\n", "'continue' not properly in loop", 1},
      {"x = 1\nyield x\n", "'yield' outside function", 2},
      {"f(1,\n  k=1,\n  k=2)\n", "keyword argument repeated: k", 3},
      // A loop in the enclosing module does not make break legal in a function body...
      {"while True:\n    def f():\n        break\n", "'break' outside loop", 3},
      // ...and errors inside a function body report the function's line, not the def's.
      {"def f():\n    x = 1\n    g(a=1, a=2)\n", "keyword argument repeated: a", 3},
      {"if True:\n    pass\nelse:\n    continue\n", "'continue' not properly in loop", 4},
  };
  for (const ErrorCase& tc : kCases) {
    Compiled c;
    EXPECT_FALSE(c.Build(tc.source)) << tc.source;
    EXPECT_EQ(c.error().type, "SyntaxError") << tc.source;
    EXPECT_EQ(c.error().message, tc.message) << tc.source;
    EXPECT_EQ(c.error().line, tc.line) << tc.source;
  }
}

TEST(CompilerTest, BreakAndContinueInsideLoopsCompile) {
  Compiled c;
  ASSERT_BUILDS(c,
                "for i in range(3):\n"
                "    if i:\n"
                "        continue\n"
                "    while i:\n"
                "        break\n"
                "    else:\n"
                "        break\n");
}

// --- blocks ------------------------------------------------------------------------------------

// An else clause holding one if compiles exactly as an elif: they are the same tree, which If()
// compiles in a loop rather than by recursion.
TEST(CompilerTest, ElseHoldingOneIfIsAnElif) {
  Compiled elif;
  ASSERT_BUILDS(elif,
                "def f(x):\n    if x == 1:\n        return 1\n    elif x:\n        return 2\n"
                "    else:\n        return 3\n");
  Compiled nested;
  ASSERT_BUILDS(nested,
                "def f(x):\n    if x == 1:\n        return 1\n    else:\n        if x:\n"
                "            return 2\n        else:\n            return 3\n");
  const CodeObj& a = elif.Function("f");
  const CodeObj& b = nested.Function("f");
  EXPECT_EQ(a.bytecode, b.bytecode);
  // The lines differ (the nested if is a line further down), the instructions do not.
  EXPECT_EQ(a.line_table.size(), b.line_table.size());
}

// 100,000 elifs compile with no recursion per elif (a chain as deep as that overflowed the stack
// when If() recursed), in a function, whose names CollectAssigned gathers without recursion too:
// one conditional branch per test.
TEST(CompilerTest, HundredThousandElifsCompile) {
  const int kElifs = 100000;
  std::string source = "def f(x):\n    if x == 0:\n        y = 0\n";
  for (int i = 1; i <= kElifs; ++i) {
    source += "    elif x == " + std::to_string(i % 1000) + ":\n        y = 1\n";
  }
  source += "    else:\n        z = 2\n    return y\n";
  Compiled c;
  ASSERT_BUILDS(c, source);
  const CodeObj& f = c.Function("f");
  EXPECT_EQ(f.local_names, (std::vector<std::string>{"x", "y", "z"}));
  size_t branches = 0;
  for (const Decoded& d : DecodeAll(f)) {
    branches += d.ins.op == Op::kJUMP_UNLESS_LOCAL_COMPARE_CONST;
  }
  EXPECT_EQ(branches, static_cast<size_t>(kElifs + 1));
}

// The deepest nesting the parser takes (99 blocks) compiles, in a function and in the module.
TEST(CompilerTest, DeepestNestingCompiles) {
  std::string module_source = "x = 1\n";
  std::string function = "def f(x):\n";
  for (int i = 0; i < 99; ++i) {
    module_source += std::string(4 * i, ' ') + (i % 2 ? "while x:\n" : "if x:\n");
  }
  for (int i = 0; i < 98; ++i) {
    function += std::string(4 * (i + 1), ' ') + (i % 2 ? "for i in x:\n" : "if x == 1:\n");
  }
  module_source += std::string(4 * 99, ' ') + "x = 0\n";
  function += std::string(4 * 99, ' ') + "return i\n";
  for (const std::string& source : {module_source, function}) {
    Compiled c;
    ASSERT_BUILDS(c, source);
  }
}

}  // namespace
}  // namespace gilbench::vm
