// Golden-file tests of the disassembler (`gilvm --dis`): each program in tests/vm/golden/NAME.py is
// loaded through Interpreter::Load (parse, compile, verify) and its listing compared byte for byte
// with NAME.dis. The listing shows every fusion decision the compiler made, so a golden diff is
// how a change to code generation shows up in review.
//
// To regenerate after an intended change: GILBENCH_UPDATE_GOLDEN=1 build/dev/bin/vm_tests
// --gtest_filter='DisassemblerTest.*', then read the diff of tests/vm/golden/*.dis.
#include "vm/disassembler.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "gil/gil.h"
#include "vm/interpreter.h"
#include "vm/opcodes.h"

namespace gilbench::vm {
namespace {

const char* const kGoldenPrograms[] = {
    "countdown", "factorize",      "chained_compare", "fstring",   "calls",
    "loops",     "trial_division", "containers",      "class_def", "slices",
    "closure",   "comprehension",  "try_except",      "with_block"};

std::string GoldenPath(const std::string& name, const char* extension) {
  return std::string(GILBENCH_SOURCE_DIR) + "/tests/vm/golden/" + name + extension;
}

bool ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return true;
}

bool UpdatingGoldens() {
  const char* update = std::getenv("GILBENCH_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

// The listing of tests/vm/golden/NAME.py, loaded under its bare file name so the listing does not
// depend on where the tree is checked out. Empty (and a test failure) if it does not load.
std::string DisassembleGolden(const std::string& name) {
  std::string source;
  if (!ReadFile(GoldenPath(name, ".py"), &source)) {
    ADD_FAILURE() << "cannot read " << GoldenPath(name, ".py");
    return "";
  }
  std::string error;
  std::unique_ptr<gil::Gil> gil = gil::MakeGil(gil::GilConfig{}, &error);
  if (gil == nullptr) {
    ADD_FAILURE() << "MakeGil: " << error;
    return "";
  }
  Interpreter interp(std::move(gil), {name + ".py"});
  if (!interp.Load(source, name + ".py", &error)) {
    ADD_FAILURE() << name << ".py does not load:\n" << error;
    return "";
  }
  return interp.Disassembly();
}

void CheckGolden(const std::string& name) {
  std::string listing = DisassembleGolden(name);
  ASSERT_FALSE(listing.empty());
  std::string path = GoldenPath(name, ".dis");
  if (UpdatingGoldens()) {
    std::ofstream out(path, std::ios::binary);
    out << listing;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
    return;
  }
  std::string golden;
  ASSERT_TRUE(ReadFile(path, &golden))
      << "cannot read " << path << " (generate it with GILBENCH_UPDATE_GOLDEN=1)";
  EXPECT_EQ(listing, golden) << "the listing of " << name
                             << ".py changed; if that is intended, regenerate with "
                                "GILBENCH_UPDATE_GOLDEN=1 and review the diff";
}

TEST(DisassemblerTest, Countdown) { CheckGolden("countdown"); }
TEST(DisassemblerTest, FactorizeGenerator) { CheckGolden("factorize"); }
TEST(DisassemblerTest, ChainedComparison) { CheckGolden("chained_compare"); }
TEST(DisassemblerTest, FString) { CheckGolden("fstring"); }
TEST(DisassemblerTest, KeywordAndMethodCalls) { CheckGolden("calls"); }
TEST(DisassemblerTest, LoopsWithBreakContinueElse) { CheckGolden("loops"); }
TEST(DisassemblerTest, ForBodyEndingInEqualityTest) { CheckGolden("trial_division"); }
TEST(DisassemblerTest, DictAndSetDisplaysAndOperators) { CheckGolden("containers"); }
TEST(DisassemblerTest, ClassDefinitionAndAttributes) { CheckGolden("class_def"); }
TEST(DisassemblerTest, SliceStepsAssignmentAndDeletion) { CheckGolden("slices"); }
TEST(DisassemblerTest, ClosureDecoratorAndUnpackedCall) { CheckGolden("closure"); }
TEST(DisassemblerTest, ComprehensionsAndYieldFrom) { CheckGolden("comprehension"); }
TEST(DisassemblerTest, TryExceptFinallyAndTheExceptionTable) { CheckGolden("try_except"); }
TEST(DisassemblerTest, DottedImportBindsThePackage) { CheckGolden("import_dotted"); }
TEST(DisassemblerTest, WithBlock) { CheckGolden("with_block"); }

TEST(DisassemblerTest, GoldenListingsHaveNoUnknownAnnotations) {
  // The disassembler prints "?" for a global slot or comparison it cannot name and
  // "<undecodable" for a bad byte; neither may appear for code the compiler produced. (The golden
  // programs contain no '?' of their own.)
  for (const char* name : kGoldenPrograms) {
    std::string listing = DisassembleGolden(name);
    EXPECT_EQ(listing.find('?'), std::string::npos) << name << ":\n" << listing;
    EXPECT_EQ(listing.find("<undecodable"), std::string::npos) << name;
  }
}

TEST(DisassemblerTest, EveryOpcodeHasADistinctNonEmptyName) {
  std::set<std::string> names;
  for (int i = 0; i < kOpCount; ++i) {
    const char* name = GetOpInfo(static_cast<Op>(i)).name;
    ASSERT_NE(name, nullptr) << "opcode " << i;
    EXPECT_STRNE(name, "") << "opcode " << i;
    EXPECT_EQ(std::string(name).find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_"), std::string::npos)
        << name;
    EXPECT_TRUE(names.insert(name).second) << "duplicate opcode name " << name;
  }
  EXPECT_EQ(static_cast<int>(names.size()), kOpCount);
}

TEST(DisassemblerTest, EveryOpcodeDisassemblesToItsName) {
  // One hand-made instruction per opcode, operands zero: each line must carry the opcode's name,
  // whatever its shape (the disassembler spells no opcode itself).
  for (int i = 0; i < kOpCount; ++i) {
    auto op = static_cast<Op>(i);
    auto* code = new CodeObj();
    code->name = "one";
    code->filename = "t.py";
    code->constants = {MakeStr("s")};
    code->local_names = {"x"};
    code->bytecode.assign(static_cast<size_t>(GetOpInfo(op).size()), 0);
    code->bytecode[0] = static_cast<uint8_t>(i);
    std::string listing = Disassemble(*code, {"g"});
    EXPECT_NE(listing.find(GetOpInfo(op).name), std::string::npos) << listing;
    EXPECT_EQ(listing.find("<undecodable"), std::string::npos) << listing;
    DecrefObj(code);
  }
}

TEST(DisassemblerTest, UndecodableByteIsReportedNotCrashedOn) {
  auto* code = new CodeObj();
  code->name = "bad";
  code->filename = "t.py";
  code->bytecode = {static_cast<uint8_t>(Op::kNOP), 0xFF};
  std::string listing = Disassemble(*code, {});
  EXPECT_EQ(listing,
            "Disassembly of bad (t.py, line 1):\n"
            "   1      0 NOP\n"
            "  <undecodable byte at 1>\n");
  DecrefObj(code);
}

TEST(DisassemblerTest, LineNumberPrintedOnlyWhenItChanges) {
  auto* code = new CodeObj();
  code->name = "lines";
  code->filename = "t.py";
  code->constants = {Value::Int(7)};
  code->bytecode = {
      static_cast<uint8_t>(Op::kLOAD_CONST), 0, 0, static_cast<uint8_t>(Op::kPOP_TOP),
      static_cast<uint8_t>(Op::kLOAD_CONST), 0, 0, static_cast<uint8_t>(Op::kRETURN_VALUE)};
  code->line_table = {{0, 3}, {4, 12}};
  std::string listing = Disassemble(*code, {});
  EXPECT_EQ(listing,
            "Disassembly of lines (t.py, line 1):\n"
            "   3      0 LOAD_CONST                         0 (7)\n"
            "          3 POP_TOP\n"
            "  12      4 LOAD_CONST                         0 (7)\n"
            "          7 RETURN_VALUE\n");
  DecrefObj(code);
}

}  // namespace
}  // namespace gilbench::vm
