// Which names a function scope (a def, a lambda or a comprehension) binds, declares and uses,
// and which of them nested scopes need from outside themselves: what the compiler needs to decide
// where each name lives -- a fast local slot, a cell shared with closures, a free variable taken
// from the enclosing function, or a global.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "vm/ast.h"
#include "vm/syntax_error.h"

namespace gilbench::vm {

struct ScopeNames {
  // Parameters in slot order: positional, keyword-only, *args, **kwargs.
  std::vector<std::string> params;
  std::vector<std::string> assigned;  // other names bound here, in first-binding order
  std::set<std::string> bound;        // params and assigned, for lookups by name
  std::set<std::string> globals;      // declared global
  std::set<std::string> nonlocals;    // declared nonlocal
  std::set<std::string> uses;         // every name this scope's own code refers to
  std::set<std::string> child_free;   // names nested scopes take from outside themselves
  bool has_yield = false;
  SourcePos yield_pos;  // the first yield's
  bool failed = false;  // a declaration error (error holds it)
  SyntaxErrorInfo error;

  // Bound here (a parameter or an assignment) and not declared global or nonlocal.
  bool IsLocal(const std::string& name) const;
  // The names this scope takes from outside itself (some may turn out to be globals).
  std::set<std::string> Free() const;
};

// The scope of a def's body, of a lambda (ExprKind::kLambda) and of a comprehension or generator
// expression (whose one parameter, ".0", is the iterator of its first clause).
ScopeNames AnalyzeFunction(const Stmt& def);
ScopeNames AnalyzeLambda(const Expr& lambda);
ScopeNames AnalyzeComprehension(const Expr& comp);
// A class body's: no parameters; the names it assigns become the class's namespace.
ScopeNames AnalyzeClassBody(const Stmt& def);

// A lambda's parameters from its keywords (ast.h, kLambda): positional ones with their defaults'
// expressions, the keyword-only ones, *args and **kwargs ("" when none).
struct LambdaParams {
  std::vector<std::string> params;
  std::vector<const Expr*> defaults;
  std::vector<std::string> kwonly;
  std::vector<const Expr*> kw_defaults;  // null where none
  std::string vararg;
  std::string kwarg;
};
LambdaParams LambdaParamsOf(const Expr& lambda);

}  // namespace gilbench::vm
