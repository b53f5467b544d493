// Scope analysis (vm/scopes.h) on parsed functions: what a scope binds and uses, what its nested
// scopes need from outside, and CPython's declaration errors.
#include "vm/scopes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "vm/parser.h"

namespace gilbench::vm {
namespace {

// The scope of the first statement of `source`, a def.
ScopeNames ScopeOf(const std::string& source) {
  Module module;
  SyntaxErrorInfo error;
  EXPECT_TRUE(Parse(source, "t.py", &module, &error)) << error.message;
  if (module.body.empty()) return ScopeNames();
  return AnalyzeFunction(*module.body[0]);
}

using Names = std::set<std::string>;

TEST(ScopesTest, LocalsParamsAndFreeNames) {
  ScopeNames s = ScopeOf("def f(a, *r, k, **kw):\n  b = a + g\n  for c in r: pass\n");
  EXPECT_EQ(s.params, (std::vector<std::string>{"a", "k", "r", "kw"}));
  EXPECT_EQ(s.assigned, (std::vector<std::string>{"b", "c"}));
  EXPECT_TRUE(s.IsLocal("a"));
  EXPECT_TRUE(s.IsLocal("b"));
  EXPECT_EQ(s.Free(), Names{"g"});  // a global, unless an enclosing function binds it
}

TEST(ScopesTest, NestedScopesPassTheirFreeNamesOut) {
  ScopeNames s = ScopeOf(
      "def f(x):\n"
      "  y = 1\n"
      "  def g():\n"
      "    return x + z\n"
      "  h = lambda: y\n"
      "  return [w + q for w in x]\n");
  EXPECT_EQ(s.child_free, (Names{"q", "x", "y", "z"}));
  EXPECT_EQ(s.Free(), (Names{"q", "z"}));
  EXPECT_FALSE(s.has_yield);
}

TEST(ScopesTest, ComprehensionTargetsStayInside) {
  ScopeNames s = ScopeOf("def f(xs):\n  return [i for i in xs], i\n");
  EXPECT_EQ(s.assigned, std::vector<std::string>{});
  EXPECT_EQ(s.Free(), Names{"i"});  // the i after the comprehension is a global
}

TEST(ScopesTest, DeclarationsAndYield) {
  ScopeNames s = ScopeOf("def f():\n  global a\n  nonlocal b\n  a = b = 1\n  x = yield\n");
  EXPECT_FALSE(s.failed);
  EXPECT_FALSE(s.IsLocal("a"));
  EXPECT_FALSE(s.IsLocal("b"));
  EXPECT_TRUE(s.IsLocal("x"));
  EXPECT_EQ(s.Free(), Names{"b"});
  EXPECT_TRUE(s.has_yield);
}

TEST(ScopesTest, DeclarationErrorsInCPythonsWords) {
  auto error = [](const std::string& source) {
    ScopeNames s = ScopeOf(source);
    return s.failed ? s.error.message : std::string("OK");
  };
  EXPECT_EQ(error("def f():\n  print(x)\n  nonlocal x\n"),
            "name 'x' is used prior to nonlocal declaration");
  EXPECT_EQ(error("def f():\n  x = 1\n  global x\n"),
            "name 'x' is assigned to before global declaration");
  EXPECT_EQ(error("def f(x):\n  global x\n"), "name 'x' is parameter and global");
  EXPECT_EQ(error("def f():\n  global x\n  nonlocal x\n"), "name 'x' is nonlocal and global");
  EXPECT_EQ(error("def f():\n  def g():\n    return [(yield) for i in j]\n"),
            "'yield' inside list comprehension");
}

}  // namespace
}  // namespace gilbench::vm
