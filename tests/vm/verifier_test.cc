// Tests of the verifier. The first half checks that it accepts everything the compiler emits (a
// verifier that rejects good code makes the whole VM unusable) and computes a sane max_stack; the
// second half hand-assembles malformed code objects and checks that each is rejected with a reason
// that names the fault, because the interpreter trusts verified code and has no checks of its own.
#include "vm/verifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "vm/compiler.h"
#include "vm/opcodes.h"
#include "vm/parser.h"

namespace gilbench::vm {
namespace {

// --- compiled code verifies --------------------------------------------------------------------

// Compiles `source`; returns null (and fails the test) if it does not compile.
CodeObj* CompileOrFail(std::string_view source, std::vector<std::string>* globals) {
  Module module;
  SyntaxErrorInfo error;
  CodeObj* code = nullptr;
  if (!Parse(source, "t.py", &module, &error) || !Compile(module, "t.py", globals, &code, &error)) {
    ADD_FAILURE() << "does not compile: " << error.message << " (line " << error.line << ")\n"
                  << source;
    return nullptr;
  }
  return code;
}

// Checks max_stack of `code` and of every nested code object: at least one slot (the verifier
// adds a scratch slot), and no deeper than the code is long (each push needs an instruction).
void ExpectSaneMaxStack(const CodeObj& code) {
  EXPECT_GE(code.max_stack, 1) << code.name;
  EXPECT_LE(code.max_stack, static_cast<int>(code.bytecode.size()) + 1) << code.name;
  for (Value v : code.constants) {
    if (IsType(v, ObjType::kCode)) ExpectSaneMaxStack(*static_cast<CodeObj*>(v.o));
  }
}

void ExpectVerifies(std::string_view source) {
  std::vector<std::string> globals;
  CodeObj* code = CompileOrFail(source, &globals);
  if (code == nullptr) return;
  std::string error;
  EXPECT_TRUE(Verify(code, globals.size(), &error)) << error << "\n" << source;
  ExpectSaneMaxStack(*code);
  DecrefObj(code);
}

const char* const kSources[] = {
    "pass\n",
    "x = 1\n",
    "a = b = c = 0\n",
    "a, b = 1, 2\na, b = b, a\n",
    "xs = [1, 2, 3]\nxs[0] = xs[1] + xs[2]\nxs[1] += 5\n",
    "t = (1,)\nu = ()\nv = (1, (2, 3), [4, [5]])\n",
    "s = 'abc'[1:]\nt = 'abc'[:2]\nu = 'abc'[:]\nv = [1, 2][-1]\n",
    "x = 1 if True else 2\ny = 3 if x else 4 if x else 5\n",
    "x = 1 and 2 or 3\ny = not x\nz = -x + +x\n",
    "x = 1 < 2 < 3 < 4\ny = 1 == 1 != 2\nz = 1 in [1] and 2 not in [1] and x is not None\n",
    "x = 2 ** 10 // 3 % 7 / 2 - 1 * 4\n",
    "x = 0\nx += 1\nx -= 1\nx *= 2\nx /= 2\nx //= 1\nx %= 3\n",
    "if 1:\n    pass\nelif 2:\n    pass\nelse:\n    pass\n",
    "n = 10\nwhile n > 0:\n    n -= 1\nelse:\n    n = -1\n",
    "while True:\n    break\n",
    "for i in range(3):\n    if i == 1:\n        continue\n    if i == 2:\n        break\nelse:\n"
    "    pass\n",
    "for a, b in [(1, 2)]:\n    print(a, b)\n",
    "def f(n):\n    while n > 0:\n        n -= 1\n    return n\n",
    "def f(a, b=2, c='x'):\n    return a + b\nf(1)\nf(1, c=3)\n",
    "def gen(n):\n    i = 0\n    while i < n:\n        yield i\n        i += 1\n",
    "def gen(n):\n    for i in range(n):\n        if i % 2 == 0:\n            yield i\n"
    "print(list(gen(10)))\n",
    "def factorize(n):\n    i = 2\n    while i * i <= n:\n        if n % i == 0:\n"
    "            n //= i\n            yield i\n        else:\n            i += 1\n"
    "    if n > 1:\n        yield n\n",
    "def f(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total\n",
    "def f():\n    for i in range(3):\n        for j in range(3):\n            if j:\n"
    "                break\n        else:\n            continue\n        break\n",
    "def f(x):\n    if not x:\n        return 1\n    elif x < 0:\n        return 2\n"
    "    return 3\n",
    "def f(a, b, c, d):\n    return (a if c else b) + d\n",
    "def f(a, b, c):\n    if a < b < c:\n        return 1\n    return 0\n",
    "counter = 0\ndef bump():\n    global counter\n    counter += 1\n",
    "name = 'x'\nwidth = 3\ns = f'{name}: {width:>5} {1.5:.2f} {{}}'\n",
    "x = []\nx.append(1)\nx.pop()\ny = ' '.join(['a', 'b'])\n",
    "import time\nimport sys as system\nfrom os import getpid, cpu_count as cpus\n",
    "import threading\nt = threading.Thread(target=print, args=(1,))\nt.start()\nt.join()\n",
    "assert 1\nassert 1 == 1, 'message'\n",
    "s = '%d %s' % (1, 'a')\nb = b'ab' + b'c'\n",
    "def f(n):\n    if n < 2:\n        return n\n    return f(n - 1) + f(n - 2)\nprint(f(10))\n",
    "if __name__ == '__main__':\n    print('main')\n",
    "def f(a, b):\n    return a % b, a * b, a - b, a + b, a / b\n",
    "def f(n):\n    x = [0] * n\n    x[0] += n\n    return x[0:n]\n",
};

TEST(VerifierTest, AcceptsEverythingTheCompilerEmits) {
  for (const char* source : kSources) ExpectVerifies(source);
}

TEST(VerifierTest, AcceptsTheProgramCorpus) {
  // The differential corpus is the broadest sample of real programs; those that compile (a few
  // are compile-error tests) must verify.
  namespace fs = std::filesystem;
  fs::path dir = fs::path(GILBENCH_SOURCE_DIR) / "tests" / "programs";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no " << dir;
  int verified = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".py") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    Module module;
    SyntaxErrorInfo syntax;
    std::vector<std::string> globals;
    CodeObj* code = nullptr;
    std::string source = text.str();
    if (!Parse(source, "t.py", &module, &syntax) ||
        !Compile(module, "t.py", &globals, &code, &syntax)) {
      continue;
    }
    std::string error;
    EXPECT_TRUE(Verify(code, globals.size(), &error)) << entry.path() << ": " << error;
    ExpectSaneMaxStack(*code);
    DecrefObj(code);
    ++verified;
  }
  EXPECT_GT(verified, 0);
}

TEST(VerifierTest, MaxStackIsTheDeepestStackPlusOneScratchSlot) {
  // [1 2 3] is three deep at BUILD_LIST; the verifier adds one slot the interpreter may push.
  std::vector<std::string> globals;
  CodeObj* code = CompileOrFail("x = [1, 2, 3]\n", &globals);
  ASSERT_NE(code, nullptr);
  std::string error;
  ASSERT_TRUE(Verify(code, globals.size(), &error)) << error;
  EXPECT_EQ(code->max_stack, 4);
  DecrefObj(code);

  // A chained comparison keeps a copy of the middle operand: a b -> a b b -> b a b -> ...
  code = CompileOrFail("x = 1 < 2 < 3\n", &globals);
  ASSERT_NE(code, nullptr);
  ASSERT_TRUE(Verify(code, globals.size(), &error)) << error;
  EXPECT_EQ(code->max_stack, 4);
  DecrefObj(code);
}

TEST(VerifierTest, VerifiesNestedCodeObjects) {
  std::vector<std::string> globals;
  CodeObj* code = CompileOrFail("def f(a, b):\n    return [a, b, a, b, a]\n", &globals);
  ASSERT_NE(code, nullptr);
  std::string error;
  ASSERT_TRUE(Verify(code, globals.size(), &error)) << error;
  CodeObj* f = nullptr;
  for (Value v : code->constants) {
    if (IsType(v, ObjType::kCode)) f = static_cast<CodeObj*>(v.o);
  }
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->max_stack, 6);  // five items (two fused loads, then a load) plus the scratch slot
  DecrefObj(code);
}

// --- hand-assembled code -----------------------------------------------------------------------

// One instruction to assemble. `to` is the index of the target instruction (the number of
// instructions means "just past the end"); `raw_target` overrides it with a byte offset.
struct Ins {
  Op op;
  uint16_t a = 0, b = 0, c = 0;
  int to = -1;
  int64_t raw_target = -1;
};

Ins I(Op op, uint16_t a = 0, uint16_t b = 0, uint16_t c = 0) { return Ins{op, a, b, c, -1, -1}; }
Ins J(Op op, int to, uint16_t a = 0, uint16_t b = 0, uint16_t c = 0) {
  return Ins{op, a, b, c, to, -1};
}
Ins JRaw(Op op, uint32_t offset, uint16_t a = 0) { return Ins{op, a, 0, 0, -1, offset}; }

void PutU16(std::vector<uint8_t>* out, uint16_t v) {
  out->push_back(static_cast<uint8_t>(v & 0xFF));
  out->push_back(static_cast<uint8_t>(v >> 8));
}

// Lays the instructions out by their rows in opcodes.def, as the compiler's CodeBuilder does.
std::vector<uint8_t> Assemble(const std::vector<Ins>& program) {
  std::vector<uint32_t> offsets{0};
  for (const Ins& ins : program) {
    offsets.push_back(offsets.back() + static_cast<uint32_t>(GetOpInfo(ins.op).size()));
  }
  std::vector<uint8_t> out;
  for (const Ins& ins : program) {
    const OpInfo& info = GetOpInfo(ins.op);
    out.push_back(static_cast<uint8_t>(ins.op));
    const uint16_t operands[] = {ins.a, ins.b, ins.c};
    for (int i = 0; i < info.operand_count(); ++i) PutU16(&out, operands[i]);
    if (info.has_target) {
      uint32_t target = ins.raw_target >= 0 ? static_cast<uint32_t>(ins.raw_target)
                                            : offsets.at(static_cast<size_t>(ins.to));
      for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(target >> (8 * i)));
    }
  }
  return out;
}

// A hand-built code object, released at the end of the test.
class HandCode {
 public:
  HandCode() : code_(new CodeObj()) { code_->name = "hand"; }
  HandCode(const HandCode&) = delete;
  HandCode& operator=(const HandCode&) = delete;
  ~HandCode() { DecrefObj(code_); }

  CodeObj* operator->() { return code_; }
  CodeObj* get() { return code_; }

  HandCode& Code(const std::vector<Ins>& program) {
    code_->bytecode = Assemble(program);
    return *this;
  }
  HandCode& Const(Value v) {  // takes ownership of v
    code_->constants.push_back(v);
    return *this;
  }
  HandCode& Locals(std::vector<std::string> names) {
    code_->local_names = std::move(names);
    return *this;
  }

  // Verifies against `nglobals` globals; returns the error ("" when it verifies).
  std::string Verify(size_t nglobals = 0) {
    std::string error;
    if (gilbench::vm::Verify(code_, nglobals, &error)) return "";
    EXPECT_FALSE(error.empty()) << "rejected without a reason";
    return error;
  }

 private:
  CodeObj* code_;
};

// The shortest valid body: return None.
std::vector<Ins> ReturnNone() { return {I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)}; }

// `def f(a): return None`, hand-built: a code constant for MAKE_FUNCTION's checks (the caller
// owns the reference).
CodeObj* OneParameterFunction() {
  auto* fn = new CodeObj();
  fn->name = "f";
  fn->local_names = {"a"};
  fn->nparams = 1;
  fn->constants = {Value::None()};
  fn->bytecode = Assemble(ReturnNone());
  return fn;
}

TEST(VerifierTest, HandAssembledGoodCodeVerifies) {
  // The assembler itself must be right for the rejection tests below to mean anything.
  HandCode code;
  code.Const(Value::None()).Const(Value::Int(3)).Locals({"n"});
  code.Code({
      I(Op::kLOAD_CONST, 1),                                // 0
      I(Op::kSTORE_LOCAL, 0),                               // 1
      J(Op::kJUMP_UNLESS_LOCAL_COMPARE_CONST, 5, 0, 1, 4),  // 2: n > 3
      I(Op::kINPLACE_SUB_LOCAL_CONST, 0, 1),                // 3
      J(Op::kLOOP_IF_LOCAL_COMPARE_CONST, 3, 0, 1, 4),      // 4
      I(Op::kLOAD_LOCAL_CONST, 0, 1),                       // 5
      I(Op::kBUILD_TUPLE, 2),                               // 6
      I(Op::kRETURN_VALUE),                                 // 7
  });
  EXPECT_EQ(code.Verify(), "");
  EXPECT_EQ(code->max_stack, 3);
}

TEST(VerifierTest, RejectsEmptyCode) {
  HandCode code;
  EXPECT_EQ(code.Verify(), "bad bytecode in hand at offset 0: empty code");
}

TEST(VerifierTest, ReasonNamesTheCodeObjectAndOffset) {
  HandCode code;
  code.Const(Value::None()).Code({I(Op::kNOP), I(Op::kNOP), I(Op::kPOP_TOP), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(), "bad bytecode in hand at offset 2: stack underflow");
}

TEST(VerifierTest, RejectsUnknownOpcode) {
  HandCode code;
  code.Const(Value::None()).Code(ReturnNone());
  code->bytecode.insert(code->bytecode.begin(), static_cast<uint8_t>(kOpCount));
  EXPECT_EQ(code.Verify(),
            "bad bytecode in hand at offset 0: unknown opcode or truncated operands");
  code->bytecode[0] = 0xFF;
  EXPECT_NE(code.Verify().find("unknown opcode"), std::string::npos);
}

TEST(VerifierTest, RejectsTruncatedOperands) {
  HandCode code;
  code.Const(Value::None()).Code({I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE), I(Op::kLOAD_CONST)});
  code->bytecode.pop_back();  // LOAD_CONST with half its u16
  EXPECT_EQ(code.Verify(),
            "bad bytecode in hand at offset 4: unknown opcode or truncated operands");

  HandCode jump;
  jump.Const(Value::None()).Code({I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE), J(Op::kJUMP, 0)});
  jump->bytecode.resize(jump->bytecode.size() - 2);  // a jump target cut in half
  EXPECT_NE(jump.Verify().find("truncated operands"), std::string::npos);
}

TEST(VerifierTest, RejectsJumpIntoTheMiddleOfAnInstruction) {
  HandCode code;
  code.Const(Value::None());
  code.Code({JRaw(Op::kJUMP, 6), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});  // LOAD_CONST at 5
  EXPECT_EQ(code.Verify(), "bad bytecode in hand at offset 0: jump target is not an instruction");
}

TEST(VerifierTest, RejectsJumpPastTheEnd) {
  HandCode code;
  code.Const(Value::None());
  code.Code({J(Op::kJUMP, 3), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(), "bad bytecode in hand at offset 0: jump target is not an instruction");

  HandCode far;
  far.Const(Value::None());
  far.Code({JRaw(Op::kJUMP, 0xFFFFFFFFu), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_NE(far.Verify().find("jump target is not an instruction"), std::string::npos);
}

TEST(VerifierTest, RejectsBackwardOpcodesThatJumpForward) {
  // The eval breaker is only checked on kBackward edges, so a forward LOOP is harmless but a
  // backward JUMP would make a loop that never lets another thread take the GIL.
  HandCode loop;
  loop.Const(Value::None());
  loop.Code({J(Op::kLOOP, 1), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(loop.Verify(), "bad bytecode in hand at offset 0: LOOP must jump backward");

  HandCode for_iter;
  for_iter.Const(Value::None()).Const(MakeList());
  for_iter.Code({I(Op::kLOAD_CONST, 1), I(Op::kGET_ITER), J(Op::kFOR_ITER, 3),
                 I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(for_iter.Verify(), "bad bytecode in hand at offset 4: LOOP must jump backward");

  HandCode loop_if;
  loop_if.Const(Value::None()).Const(Value::Int(0)).Locals({"n"});
  loop_if.Code({J(Op::kLOOP_IF_LOCAL_COMPARE_CONST, 1, 0, 1, 4), I(Op::kLOAD_CONST, 0),
                I(Op::kRETURN_VALUE)});
  EXPECT_NE(loop_if.Verify().find("LOOP must jump backward"), std::string::npos);
}

TEST(VerifierTest, RejectsForwardOpcodesThatJumpBackward) {
  HandCode code;
  code.Const(Value::None());
  code.Code({I(Op::kNOP), J(Op::kJUMP, 0), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(), "bad bytecode in hand at offset 1: jump must go forward");

  // A jump to itself is not forward either.
  HandCode self;
  self.Const(Value::Bool(true)).Const(Value::None());
  self.Code({I(Op::kLOAD_CONST, 0), J(Op::kPOP_JUMP_IF_FALSE, 1), I(Op::kLOAD_CONST, 1),
             I(Op::kRETURN_VALUE)});
  EXPECT_NE(self.Verify().find("jump must go forward"), std::string::npos);
}

TEST(VerifierTest, RejectsStackUnderflow) {
  HandCode pop;
  pop.Const(Value::None()).Code({I(Op::kPOP_TOP), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(pop.Verify(), "bad bytecode in hand at offset 0: stack underflow");

  // Operand-dependent pops: BUILD_LIST 3 with two items.
  HandCode build;
  build.Const(Value::None());
  build.Code(
      {I(Op::kLOAD_CONST, 0), I(Op::kLOAD_CONST, 0), I(Op::kBUILD_LIST, 3), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(build.Verify(), "bad bytecode in hand at offset 6: stack underflow");

  // CALL_METHOD 1 pops the method pair and the argument: three items, not two.
  HandCode call;
  call.Const(Value::None());
  call.Code(
      {I(Op::kLOAD_CONST, 0), I(Op::kLOAD_CONST, 0), I(Op::kCALL_METHOD, 1), I(Op::kRETURN_VALUE)});
  EXPECT_NE(call.Verify().find("stack underflow"), std::string::npos);
}

TEST(VerifierTest, RejectsInconsistentDepthAtMergePoint) {
  // One path pushes an extra value before joining the other.
  HandCode code;
  code.Const(Value::Bool(true)).Const(Value::None());
  code.Code({
      I(Op::kLOAD_CONST, 0),         // 0
      J(Op::kPOP_JUMP_IF_FALSE, 3),  // 1: depth 0 at 3
      I(Op::kLOAD_CONST, 1),         // 2: depth 1 at 3
      I(Op::kLOAD_CONST, 1),         // 3
      I(Op::kRETURN_VALUE),          // 4
  });
  EXPECT_NE(code.Verify().find("inconsistent stack depth at a jump target"), std::string::npos);
}

TEST(VerifierTest, RejectsFallingOffTheEnd) {
  HandCode code;
  code.Const(Value::None()).Code({I(Op::kLOAD_CONST, 0), I(Op::kPOP_TOP)});
  EXPECT_EQ(code.Verify(), "bad bytecode in hand at offset 3: code falls off its end");

  // A conditional branch as the last instruction can fall through past the end too.
  HandCode branch;
  branch.Const(Value::Bool(true)).Const(Value::None());
  branch.Code({I(Op::kLOAD_CONST, 0), J(Op::kLOOP_IF_TRUE, 0)});
  EXPECT_EQ(branch.Verify(), "bad bytecode in hand at offset 3: code falls off its end");
}

TEST(VerifierTest, RejectsConstantIndexOutOfRange) {
  HandCode code;
  code.Const(Value::None()).Code({I(Op::kLOAD_CONST, 1), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(
      code.Verify(),
      "bad bytecode in hand at offset 0: operand A of LOAD_CONST: constant index out of range");

  HandCode fused;
  fused.Const(Value::None()).Locals({"x"});
  fused.Code({I(Op::kINPLACE_ADD_LOCAL_CONST, 0, 5), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(fused.Verify(),
            "bad bytecode in hand at offset 0: operand B of INPLACE_ADD_LOCAL_CONST: constant "
            "index out of range");
}

TEST(VerifierTest, RejectsLocalIndexOutOfRange) {
  HandCode code;
  code.Const(Value::None()).Locals({"a"});
  code.Code({I(Op::kLOAD_LOCAL, 1), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(),
            "bad bytecode in hand at offset 0: operand A of LOAD_LOCAL: local index out of range");

  HandCode store;
  store.Const(Value::None());
  store.Code(
      {I(Op::kLOAD_CONST, 0), I(Op::kSTORE_LOCAL, 0), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(store.Verify(),
            "bad bytecode in hand at offset 3: operand A of STORE_LOCAL: local index out of range");

  HandCode pair;
  pair.Locals({"a", "b"});
  pair.Code({I(Op::kBINARY_MOD_LOCAL_LOCAL, 0, 2), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(pair.Verify(),
            "bad bytecode in hand at offset 0: operand B of BINARY_MOD_LOCAL_LOCAL: local index "
            "out of range");

  HandCode mod_branch;  // A and B are locals, C a constant
  mod_branch.Const(Value::None()).Locals({"a", "b"});
  mod_branch.Code(
      {J(Op::kJUMP_UNLESS_MOD_EQ_CONST, 1, 0, 1, 0), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(mod_branch.Verify(), "");
  mod_branch.Code(
      {J(Op::kJUMP_UNLESS_MOD_NE_CONST, 1, 0, 2, 0), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(mod_branch.Verify(),
            "bad bytecode in hand at offset 0: operand B of JUMP_UNLESS_MOD_NE_CONST: local index "
            "out of range");
  mod_branch.Code(
      {J(Op::kJUMP_UNLESS_MOD_EQ_CONST, 1, 0, 1, 1), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(mod_branch.Verify(),
            "bad bytecode in hand at offset 0: operand C of JUMP_UNLESS_MOD_EQ_CONST: constant "
            "index out of range");

  HandCode for_iter;
  for_iter.Const(Value::None()).Const(MakeList());
  for_iter.Code({I(Op::kLOAD_CONST, 1), I(Op::kGET_ITER), J(Op::kJUMP, 4), I(Op::kNOP),
                 J(Op::kFOR_ITER_LOCAL, 3, 0), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_NE(for_iter.Verify().find("local index out of range"), std::string::npos);
}

TEST(VerifierTest, RejectsGlobalIndexOutOfRange) {
  HandCode code;
  code.Code({I(Op::kLOAD_GLOBAL, 2), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(
      code.Verify(2),
      "bad bytecode in hand at offset 0: operand A of LOAD_GLOBAL: global index out of range");
  EXPECT_EQ(code.Verify(3), "");
}

TEST(VerifierTest, RejectsNameOperandsThatAreNotStrConstants) {
  HandCode attr;
  attr.Const(Value::None()).Const(Value::Int(1));
  attr.Code({I(Op::kLOAD_CONST, 0), I(Op::kLOAD_ATTR, 1), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(attr.Verify(),
            "bad bytecode in hand at offset 3: operand A of LOAD_ATTR: must name a str constant");

  // Out of range is rejected the same way rather than read past the table.
  HandCode method;
  method.Const(Value::None());
  method.Code({I(Op::kLOAD_CONST, 0), I(Op::kLOAD_METHOD, 7), I(Op::kCALL_METHOD, 0),
               I(Op::kRETURN_VALUE)});
  EXPECT_NE(method.Verify().find("must name a str constant"), std::string::npos);

  HandCode import;
  import.Const(MakeBytes("time"));
  import.Code({I(Op::kIMPORT_NAME, 0), I(Op::kRETURN_VALUE)});
  EXPECT_NE(import.Verify().find("must name a str constant"), std::string::npos);
}

TEST(VerifierTest, RejectsMakeFunctionOfNonCodeConstant) {
  HandCode code;
  code.Const(MakeStr("not code"));
  code.Code({I(Op::kMAKE_FUNCTION, 0, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(
      code.Verify(),
      "bad bytecode in hand at offset 0: operand A of MAKE_FUNCTION: must name a code constant");
}

TEST(VerifierTest, RejectsMoreDefaultsThanParameters) {
  CodeObj* fn = OneParameterFunction();
  HandCode code;
  code.Const(Value::Object(fn)).Const(Value::Int(1));
  code.Code({I(Op::kLOAD_CONST, 1), I(Op::kLOAD_CONST, 1), I(Op::kMAKE_FUNCTION, 0, 2),
             I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(),
            "bad bytecode in hand at offset 6: operand B of MAKE_FUNCTION: more defaults than "
            "parameters");
  code->bytecode =
      Assemble({I(Op::kLOAD_CONST, 1), I(Op::kMAKE_FUNCTION, 0, 1), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(), "");
}

TEST(VerifierTest, RejectsBadNestedCodeObject) {
  // The interpreter runs nested code too, so a fault inside a function fails the whole module,
  // with the function's name in the reason.
  auto* fn = new CodeObj();
  fn->name = "inner";
  fn->bytecode = Assemble({I(Op::kPOP_TOP), I(Op::kRETURN_VALUE)});
  HandCode code;
  code.Const(Value::Object(fn));
  code.Code({I(Op::kMAKE_FUNCTION, 0, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(), "bad bytecode in inner at offset 0: stack underflow");
}

TEST(VerifierTest, RejectsCallKwWithoutTupleOfNames) {
  HandCode code;
  code.Const(Value::None()).Const(MakeStr("k"));
  code.Code(
      {I(Op::kLOAD_CONST, 0), I(Op::kLOAD_CONST, 0), I(Op::kCALL_KW, 1, 1), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(
      code.Verify(),
      "bad bytecode in hand at offset 6: operand B of CALL_KW: keyword names must be a tuple");

  // More names than arguments, and names that are not strs.
  HandCode count;
  count.Const(Value::None()).Const(MakeTuple({MakeStr("a"), MakeStr("b")}));
  count.Code(
      {I(Op::kLOAD_CONST, 0), I(Op::kLOAD_CONST, 0), I(Op::kCALL_KW, 1, 1), I(Op::kRETURN_VALUE)});
  EXPECT_NE(count.Verify().find("bad keyword count"), std::string::npos);

  HandCode kind;
  kind.Const(Value::None()).Const(MakeTuple({Value::Int(1)}));
  kind.Code(
      {I(Op::kLOAD_CONST, 0), I(Op::kLOAD_CONST, 0), I(Op::kCALL_KW, 1, 1), I(Op::kRETURN_VALUE)});
  EXPECT_NE(kind.Verify().find("keyword names must be strs"), std::string::npos);
}

TEST(VerifierTest, RejectsYieldOutsideGenerator) {
  HandCode code;
  code.Const(Value::None());
  code.Code(
      {I(Op::kLOAD_CONST, 0), I(Op::kYIELD_VALUE), I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(), "bad bytecode in hand at offset 3: YIELD_VALUE outside a generator");
  code->is_generator = true;
  EXPECT_EQ(code.Verify(), "");
}

TEST(VerifierTest, RejectsUnknownComparison) {
  constexpr auto kBadCompare = static_cast<uint16_t>(CompareOp::kIsNot) + 1;
  HandCode code;
  code.Const(Value::None());
  code.Code({I(Op::kLOAD_CONST, 0), I(Op::kLOAD_CONST, 0), I(Op::kCOMPARE, kBadCompare),
             I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(),
            "bad bytecode in hand at offset 6: operand A of COMPARE: unknown comparison");
  // The last valid one is fine.
  code->bytecode = Assemble({I(Op::kLOAD_CONST, 0), I(Op::kLOAD_CONST, 0),
                             I(Op::kCOMPARE, kBadCompare - 1), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(), "");

  // The fused forms keep the comparison in C.
  HandCode fused;
  fused.Const(Value::None()).Locals({"n"});
  fused.Code({J(Op::kJUMP_UNLESS_LOCAL_COMPARE_CONST, 1, 0, 0, kBadCompare), I(Op::kLOAD_CONST, 0),
              I(Op::kRETURN_VALUE)});
  EXPECT_NE(fused.Verify().find("operand C of JUMP_UNLESS_LOCAL_COMPARE_CONST: unknown comparison"),
            std::string::npos);
}

TEST(VerifierTest, RejectsMoreParametersThanLocals) {
  HandCode code;
  code.Const(Value::None()).Code(ReturnNone());
  code->nparams = 1;
  EXPECT_EQ(code.Verify(), "bad bytecode in hand at offset 0: more parameters than locals");
}

TEST(VerifierTest, RejectsBadAssertionOperand) {
  HandCode code;
  code.Code({I(Op::kRAISE_ASSERTION, 2)});
  EXPECT_EQ(code.Verify(),
            "bad bytecode in hand at offset 0: operand A of RAISE_ASSERTION: must be 0 or 1");
}

// --- every operand of every opcode is checked by its kind --------------------------------------

// A value that is valid for an operand of `kind` in OperandWalk's code object, and one that is out
// of its range (or of the wrong type). No default: a new kind fails to compile here until it has
// both.
struct KindValues {
  uint16_t good, bad;
};
KindValues ValuesFor(OperandKind kind) {
  switch (kind) {
    case OperandKind::kNONE:
      return {0, 0};
    case OperandKind::kLOCAL:
      return {0, 1};  // one local
    case OperandKind::kCONST:
      return {0, 4};  // four constants
    case OperandKind::kNAME:
      return {1, 0};  // const 1 is a str, const 0 is None
    case OperandKind::kGLOBAL:
      return {0, 1};  // one global
    case OperandKind::kCOMPARE:
      return {0, static_cast<uint16_t>(CompareOp::kIsNot) + 1};
    case OperandKind::kCOUNT:
      return {1, 0xFFFF};  // more items than any stack holds
    case OperandKind::kCODE:
      return {2, 0};  // const 2 is a code object of one parameter
    case OperandKind::kDEFAULTS:
      return {0, 2};
    case OperandKind::kKW_NAMES:
      return {3, 0};  // const 3 is ("k",)
    case OperandKind::kFLAG:
      return {0, 2};
    case OperandKind::kBINOP:
      return {0, static_cast<uint16_t>(BinaryOp::kRShift) + 1};
    case OperandKind::kCONVERSION:
      return {'r', 'x'};
  }
  return {0, 0};
}

TEST(VerifierTest, EveryOperandOfEveryOpcodeIsRangeChecked) {
  CodeObj* fn = OneParameterFunction();
  int checked = 0;
  for (int op_index = 0; op_index < kOpCount; ++op_index) {
    const Op op = static_cast<Op>(op_index);
    const OpInfo& info = GetOpInfo(op);
    for (int bad = 0; bad < info.operand_count(); ++bad) {
      SCOPED_TRACE(std::string(info.name) + " operand " + "ABC"[bad]);
      uint16_t operands[kMaxOperands] = {};
      for (int i = 0; i < info.operand_count(); ++i) {
        const KindValues values = ValuesFor(info.operands[i]);
        operands[i] = i == bad ? values.bad : values.good;
      }
      HandCode code;
      IncrefObj(fn);
      code.Const(Value::None()).Const(MakeStr("k")).Const(Value::Object(fn));
      code.Const(MakeTuple({MakeStr("k")})).Locals({"x"});
      code->is_generator = true;  // YIELD_VALUE is valid here; only its operands are tested
      code.Code({Ins{op, operands[0], operands[1], operands[2], info.has_target ? 0 : -1, -1},
                 I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE)});
      const std::string error = code.Verify(/*nglobals=*/1);
      EXPECT_FALSE(error.empty()) << "an out-of-range operand was accepted";
      if (info.operands[bad] != OperandKind::kCOUNT) {  // a count fails the stack check instead
        EXPECT_NE(error.find(std::string("operand ") + "ABC"[bad] + " of " + info.name),
                  std::string::npos)
            << error;
      }
      ++checked;
    }
  }
  DecrefObj(fn);
  EXPECT_GT(checked, 50);  // the walk ran: 61 operands today
}

TEST(VerifierTest, EveryOperandKindHasAGoodValueThatVerifies) {
  // The walk above means something only if the good values pass: one instruction per kind.
  CodeObj* fn = OneParameterFunction();
  HandCode code;
  code.Const(Value::None()).Const(MakeStr("k")).Const(Value::Object(fn));
  code.Const(MakeTuple({MakeStr("k")})).Locals({"x"});
  code.Code(
      {I(Op::kLOAD_CONST, ValuesFor(OperandKind::kCONST).good),
       I(Op::kSTORE_LOCAL, ValuesFor(OperandKind::kLOCAL).good),
       I(Op::kLOAD_GLOBAL, ValuesFor(OperandKind::kGLOBAL).good),
       I(Op::kLOAD_ATTR, ValuesFor(OperandKind::kNAME).good), I(Op::kLOAD_CONST, 0),
       I(Op::kCOMPARE, ValuesFor(OperandKind::kCOMPARE).good), I(Op::kLOAD_CONST, 0),
       I(Op::kBINARY_OP, ValuesFor(OperandKind::kBINOP).good), I(Op::kLOAD_CONST, 0),
       I(Op::kCALL_KW, ValuesFor(OperandKind::kCOUNT).good, ValuesFor(OperandKind::kKW_NAMES).good),
       I(Op::kPOP_TOP),
       I(Op::kMAKE_FUNCTION, ValuesFor(OperandKind::kCODE).good,
         ValuesFor(OperandKind::kDEFAULTS).good),
       I(Op::kPOP_TOP), I(Op::kRAISE_ASSERTION, ValuesFor(OperandKind::kFLAG).good)});
  EXPECT_EQ(code.Verify(/*nglobals=*/1), "");
}

TEST(VerifierTest, UnreachableCodeIsNotWalked) {
  // Only reachable paths have a depth; dead code after a return (which the compiler emits after
  // an explicit `return`) is not an underflow.
  HandCode code;
  code.Const(Value::None());
  code.Code({I(Op::kLOAD_CONST, 0), I(Op::kRETURN_VALUE), I(Op::kPOP_TOP), I(Op::kRETURN_VALUE)});
  EXPECT_EQ(code.Verify(), "");
}

// --- exception tables ----------------------------------------------------------------------------

// try: raise None; except: pop the exception, return None. Offsets: LOAD_CONST 0, RAISE 3,
// handler POP_TOP at 6, LOAD_CONST 7, RETURN_VALUE 10; the code is 11 bytes long.
std::vector<Ins> TryBody() {
  return {I(Op::kLOAD_CONST, 0), I(Op::kRAISE, 1), I(Op::kPOP_TOP), I(Op::kLOAD_CONST, 0),
          I(Op::kRETURN_VALUE)};
}

TEST(VerifierTest, AcceptsAHandlerAndCountsTheExceptionInMaxStack) {
  HandCode code;
  code.Const(Value::None()).Code(TryBody());
  code->exception_table = {ExceptionHandler{0, 6, 6, 0}};
  EXPECT_EQ(code.Verify(), "");
  EXPECT_EQ(code->max_stack, 2);  // the exception at the handler, and the scratch slot
}

TEST(VerifierTest, RejectsBadExceptionTables) {
  struct Case {
    ExceptionHandler entry;
    const char* why;
  };
  const Case cases[] = {
      {{3, 3, 6, 0}, "empty exception range"},
      {{0, 12, 6, 0}, "exception range past the end of the code"},
      {{0, 6, 11, 0}, "exception handler past the end of the code"},
      {{0, 4, 6, 0}, "exception range does not cover whole instructions"},
      {{1, 6, 6, 0}, "exception range does not cover whole instructions"},
      {{0, 6, 8, 0}, "exception handler is not an instruction"},
      // RAISE pops its operand: the stack may be empty when it raises, below depth 1.
      {{0, 6, 6, 1}, "stack below its handler's depth"},
  };
  for (const Case& c : cases) {
    HandCode code;
    code.Const(Value::None()).Code(TryBody());
    code->exception_table = {c.entry};
    EXPECT_NE(code.Verify().find(c.why), std::string::npos) << c.why << ": got " << code.Verify();
  }
}

TEST(VerifierTest, RejectsOverlappingExceptionRanges) {
  HandCode code;
  code.Const(Value::None()).Code(TryBody());
  code->exception_table = {ExceptionHandler{0, 6, 6, 0}, ExceptionHandler{3, 6, 6, 0}};
  EXPECT_NE(code.Verify().find("overlap"), std::string::npos) << code.Verify();
}

TEST(VerifierTest, RejectsAHandlerReachedAtTwoDepths) {
  // One handler (POP_TOP at 9) for two ranges: the first LOAD_CONST may raise on an empty stack
  // (depth 0: the handler starts at 1), RAISE at 6 with one value left (depth 1: at 2).
  HandCode code;
  code.Const(Value::None());
  code.Code({I(Op::kLOAD_CONST, 0), I(Op::kLOAD_CONST, 0), I(Op::kRAISE, 1), I(Op::kPOP_TOP),
             I(Op::kRETURN_VALUE)});
  code->exception_table = {ExceptionHandler{0, 3, 9, 0}, ExceptionHandler{6, 9, 9, 1}};
  EXPECT_NE(code.Verify().find("inconsistent stack depth"), std::string::npos) << code.Verify();
}

TEST(VerifierTest, CompiledTryAndWithHaveTables) {
  std::vector<std::string> globals;
  CodeObj* code = CompileOrFail(
      "def f(x):\n    try:\n        return 1 // x\n    except ZeroDivisionError as e:\n"
      "        return e\n    finally:\n        x = 0\n"
      "class C:\n    def __enter__(self):\n        return 1\n"
      "    def __exit__(self, t, v, tb):\n        return True\n"
      "with C() as c:\n    raise ValueError\n",
      &globals);
  ASSERT_NE(code, nullptr);
  std::string error;
  EXPECT_TRUE(Verify(code, globals.size(), &error)) << error;
  EXPECT_FALSE(code->exception_table.empty());  // the module's with
  bool function_has_table = false;
  for (Value v : code->constants) {
    if (IsType(v, ObjType::kCode) && static_cast<CodeObj*>(v.o)->name == "f") {
      function_has_table = !static_cast<CodeObj*>(v.o)->exception_table.empty();
    }
  }
  EXPECT_TRUE(function_has_table);
  DecrefObj(code);
}

}  // namespace
}  // namespace gilbench::vm
