// Bad input never crashes: truncated and byte-mutated versions of the differential corpus go
// through the parser, compiler and verifier, and mutated bytecode goes through the verifier. Each
// must come back as a clean error (or, for a mutant that is still valid, as verified code) --
// never a crash, a hang or a sanitizer report. Run it under the asan preset too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "vm/compiler.h"
#include "vm/opcodes.h"
#include "vm/parser.h"
#include "vm/verifier.h"

namespace gilbench::vm {
namespace {

std::vector<std::string> CorpusSources() {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(GILBENCH_SOURCE_DIR) + "/tests/programs")) {
    if (entry.path().extension() == ".py") paths.push_back(entry.path());
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

enum class Outcome { kSyntaxError, kRejected, kVerified };

// Parses, compiles and verifies `source`; checks that an error names a line inside the source.
Outcome CompileAndVerify(const std::string& source) {
  Module module;
  SyntaxErrorInfo error;
  std::vector<std::string> globals;
  CodeObj* code = nullptr;
  if (!Parse(source, "mutant.py", &module, &error) ||
      !Compile(module, "mutant.py", &globals, &code, &error)) {
    EXPECT_FALSE(error.message.empty());
    EXPECT_GE(error.line, 0);
    std::string shown = FormatSyntaxError("mutant.py", source, error);
    EXPECT_NE(shown.find(error.type + ": "), std::string::npos) << shown;
    return Outcome::kSyntaxError;
  }
  std::string why;
  bool ok = Verify(code, globals.size(), &why);
  DecrefObj(code);
  // The compiler's own output always verifies: a rejection here is a compiler or verifier bug.
  EXPECT_TRUE(ok) << why << "\n--- source ---\n" << source;
  return ok ? Outcome::kVerified : Outcome::kRejected;
}

TEST(BadInputTest, CorpusCompilesAndVerifies) {
  std::vector<std::string> sources = CorpusSources();
  ASSERT_GE(sources.size(), 60u);
  int errors = 0;
  for (const std::string& s : sources) errors += CompileAndVerify(s) == Outcome::kSyntaxError;
  // Only the corpus's syntax_* programs fail to compile.
  EXPECT_GT(errors, 0);
  EXPECT_LT(errors, 25);
}

TEST(BadInputTest, TruncatedSourcesNeverCrash) {
  for (const std::string& s : CorpusSources()) {
    for (size_t cut = 0; cut < s.size(); cut += 1 + s.size() / 23) {
      CompileAndVerify(s.substr(0, cut));
    }
  }
}

TEST(BadInputTest, MutatedSourcesNeverCrash) {
  std::mt19937 rng(20261122);
  const std::string specials = "()[]{}:,.=+-*/%\"'\\\n\t #@!<>0123456789_abcdefXYZ\x80\xff";
  int syntax_errors = 0, total = 0;
  for (const std::string& original : CorpusSources()) {
    for (int round = 0; round < 25; ++round) {
      std::string s = original;
      int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits && !s.empty(); ++e) {
        size_t at = rng() % s.size();
        char c = specials[rng() % specials.size()];
        switch (rng() % 4) {
          case 0:
            s[at] = c;
            break;
          case 1:
            s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
            break;
          case 2:
            s.erase(at, 1);
            break;
          default:
            s[at] = static_cast<char>(rng() & 0xFF);
        }
      }
      syntax_errors += CompileAndVerify(s) == Outcome::kSyntaxError;
      ++total;
    }
  }
  // Most random edits break the program; the point is that each break is reported, not fatal.
  EXPECT_GT(syntax_errors, total / 4);
}

TEST(BadInputTest, DeepNestingIsAnErrorNotAStackOverflow) {
  CompileAndVerify("x = " + std::string(100000, '(') + "1" + std::string(100000, ')') + "\n");
  CompileAndVerify("x = " + std::string(100000, '-') + "1\n");
  CompileAndVerify("x = [" + std::string(50000, '[') + "\n");
  std::string deep_if;
  for (int i = 0; i < 2000; ++i) deep_if += std::string(i, ' ') + "if x:\n";
  CompileAndVerify(deep_if + std::string(2000, ' ') + "pass\n");
}

// Compiles `source` (which must be valid) to its module code object.
CodeObj* CompileValid(const std::string& source, size_t* nglobals) {
  Module module;
  SyntaxErrorInfo error;
  std::vector<std::string> globals;
  CodeObj* code = nullptr;
  EXPECT_TRUE(Parse(source, "ok.py", &module, &error) &&
              Compile(module, "ok.py", &globals, &code, &error))
      << error.message;
  *nglobals = globals.size();
  return code;
}

// Every code object in the tree of `code`, the module first.
void CollectCode(CodeObj* code, std::vector<CodeObj*>* out) {
  out->push_back(code);
  for (Value v : code->constants) {
    if (IsType(v, ObjType::kCode)) CollectCode(static_cast<CodeObj*>(v.o), out);
  }
}

TEST(BadInputTest, MutatedBytecodeIsRejectedOrVerified) {
  std::mt19937 rng(7);
  int rejected = 0, total = 0;
  for (const std::string& source : CorpusSources()) {
    Module module;
    SyntaxErrorInfo error;
    if (!Parse(source, "p.py", &module, &error)) continue;
    size_t nglobals;
    CodeObj* code = CompileValid(source, &nglobals);
    if (code == nullptr) continue;
    std::vector<CodeObj*> all;
    CollectCode(code, &all);
    for (CodeObj* c : all) {
      const std::vector<uint8_t> pristine = c->bytecode;
      for (int round = 0; round < 20; ++round) {
        c->bytecode = pristine;
        size_t at = rng() % c->bytecode.size();
        c->bytecode[at] = static_cast<uint8_t>(rng() & 0xFF);
        std::string why;
        bool ok = Verify(c, nglobals, &why);
        rejected += !ok;
        if (!ok) EXPECT_FALSE(why.empty());
        ++total;
      }
      // Cut inside the last instruction that has operands: truncated operands are always an
      // error, reachable or not.
      size_t last_with_operands = pristine.size();
      for (size_t offset = 0; offset < pristine.size();) {
        Instruction ins;
        ASSERT_TRUE(DecodeInstruction(pristine.data(), pristine.size(), offset, &ins));
        if (ins.size > 1) last_with_operands = offset;
        offset += ins.size;
      }
      if (last_with_operands < pristine.size()) {
        c->bytecode.assign(pristine.begin(),
                           pristine.begin() + static_cast<std::ptrdiff_t>(last_with_operands) + 2);
        std::string why;
        EXPECT_FALSE(Verify(c, nglobals, &why)) << c->name;
      }
      c->bytecode = pristine;
    }
    DecrefObj(code);
  }
  EXPECT_GT(rejected, total / 4);
}

}  // namespace
}  // namespace gilbench::vm
