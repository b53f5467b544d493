// Scope analysis (scopes.h): one walk over a scope's statements and expressions, in source order,
// recording what each name is to this scope; a nested scope is analysed on its own and only its
// free names are kept. Declaration errors are CPython's symtable errors.
#include "vm/scopes.h"

#include <algorithm>

namespace gilbench::vm {

bool ScopeNames::IsLocal(const std::string& name) const {
  if (globals.count(name) || nonlocals.count(name)) return false;
  return bound.count(name) > 0;
}

std::set<std::string> ScopeNames::Free() const {
  std::set<std::string> free;
  auto add = [&](const std::string& name) {
    if (!IsLocal(name) && !globals.count(name)) free.insert(name);
  };
  for (const std::string& name : uses) add(name);
  for (const std::string& name : child_free) add(name);
  for (const std::string& name : nonlocals) add(name);
  return free;
}

namespace {

class Scanner {
 public:
  explicit Scanner(ScopeNames* out) : out_(out) {
    out->bound.insert(out->params.begin(), out->params.end());
  }

  // The statements of `body` and of the blocks nested in it, in source order. Blocks still open
  // wait on a stack, as in the compiler's scans: an elif chain nests one block per elif.
  void Block(const vm::Block& body) {
    std::vector<vm::Block::Reader> open;
    open.emplace_back(body);
    while (!open.empty()) {
      StmtPtr s = open.back().Next();
      if (!s) {
        open.pop_back();
        continue;
      }
      Statement(*s);
      if (open.back().done()) open.pop_back();
      if (!s->orelse.empty()) open.emplace_back(s->orelse);
      // A def's or a class's body is a scope of its own, analysed apart.
      if (!s->body.empty() && s->kind != StmtKind::kFunctionDef && s->kind != StmtKind::kClassDef) {
        open.emplace_back(s->body);
      }
    }
  }

  void Expression(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kName:
        Use(e.str_value);
        return;
      case ExprKind::kLambda: {
        LambdaParams params = LambdaParamsOf(e);
        for (const Expr* d : params.defaults) Expression(*d);
        for (const Expr* d : params.kw_defaults) {
          if (d) Expression(*d);
        }
        Nested(AnalyzeLambda(e));
        return;
      }
      case ExprKind::kListComp:
      case ExprKind::kSetComp:
      case ExprKind::kDictComp:
      case ExprKind::kGenExp:
        Expression(*e.operand->right);  // the first iterable belongs to the enclosing scope
        Nested(AnalyzeComprehension(e));
        return;
      case ExprKind::kYield:
      case ExprKind::kYieldFrom:
        if (!out_->has_yield) out_->yield_pos = e.pos;
        out_->has_yield = true;
        break;
      default:
        break;
    }
    for (const Expr* child :
         {e.left.get(), e.right.get(), e.operand.get(), e.slice_lower.get(), e.slice_upper.get()}) {
      if (child) Expression(*child);
    }
    for (const ExprPtr& item : e.items) Expression(*item);
    for (const Keyword& keyword : e.keywords) {
      if (keyword.value) Expression(*keyword.value);
    }
  }

  // A name bound by an assignment, a for loop, del, import or def; anything else in a target
  // (a subscript) is evaluated.
  void Target(const Expr& target) {
    if (target.kind == ExprKind::kName) {
      Bind(target.str_value);
    } else if (target.kind == ExprKind::kTuple || target.kind == ExprKind::kList) {
      for (const ExprPtr& item : target.items) Target(*item);
    } else {
      Expression(target);
    }
  }

  void Bind(const std::string& name) {
    out_->uses.insert(name);
    if (out_->bound.insert(name).second) out_->assigned.push_back(name);
  }

  void Use(const std::string& name) {
    out_->uses.insert(name);
    loaded_.insert(name);
  }

  void Nested(const ScopeNames& child) {
    if (child.failed) Fail(child.error);
    for (const std::string& name : child.Free()) out_->child_free.insert(name);
  }

 private:
  void Statement(const Stmt& s) {
    for (const ExprPtr& d : s.decorators) Expression(*d);
    if (s.value) Expression(*s.value);
    if (s.test) Expression(*s.test);
    if (s.msg) Expression(*s.msg);
    for (const ExprPtr& d : s.defaults) Expression(*d);
    for (const ExprPtr& d : s.kw_defaults) {
      if (d) Expression(*d);
    }
    switch (s.kind) {
      case StmtKind::kAugAssign:
      case StmtKind::kAssign:
      case StmtKind::kFor:
      case StmtKind::kDelete:
      case StmtKind::kWith:  // `with cm as target`
        for (const ExprPtr& t : s.targets) Target(*t);
        break;
      case StmtKind::kExceptHandler:  // `except E as name` binds name (and unbinds it after)
        if (!s.name.empty()) Bind(s.name);
        break;
      case StmtKind::kImport:
        Bind(s.alias.empty() ? s.module : s.alias);
        break;
      case StmtKind::kImportFrom:
        for (size_t i = 0; i < s.names.size(); ++i) {
          Bind(s.aliases[i].empty() ? s.names[i] : s.aliases[i]);
        }
        break;
      case StmtKind::kYield:
        out_->has_yield = true;
        break;
      case StmtKind::kFunctionDef:
        Bind(s.name);
        Nested(AnalyzeFunction(s));
        break;
      case StmtKind::kClassDef:
        for (const ExprPtr& base : s.targets) Expression(*base);
        Bind(s.name);
        Nested(AnalyzeClassBody(s));
        break;
      case StmtKind::kGlobal:
      case StmtKind::kNonlocal:
        Declare(s);
        break;
      default:
        break;
    }
  }

  // global / nonlocal: CPython's symtable errors for a name this scope has already used, bound or
  // declared otherwise.
  void Declare(const Stmt& s) {
    bool nonlocal = s.kind == StmtKind::kNonlocal;
    const char* what = nonlocal ? "nonlocal" : "global";
    for (const std::string& name : s.names) {
      bool param = std::find(out_->params.begin(), out_->params.end(), name) != out_->params.end();
      std::string problem;
      if (param) {
        problem = "is parameter and " + std::string(what);
      } else if (nonlocal ? out_->globals.count(name) : out_->nonlocals.count(name)) {
        problem = "is nonlocal and global";
      } else if (loaded_.count(name)) {
        problem = "is used prior to " + std::string(what) + " declaration";
      } else if (out_->bound.count(name)) {
        problem = "is assigned to before " + std::string(what) + " declaration";
      }
      if (!problem.empty()) {
        SyntaxErrorInfo error;
        error.message = "name '" + name + "' " + problem;
        error.line = s.pos.line;
        error.col = s.pos.col;
        Fail(error);
      }
      (nonlocal ? out_->nonlocals : out_->globals).insert(name);
    }
  }

  void Fail(const SyntaxErrorInfo& error) {
    if (out_->failed) return;
    out_->failed = true;
    out_->error = error;
  }

  ScopeNames* out_;
  std::set<std::string> loaded_;
};

}  // namespace

LambdaParams LambdaParamsOf(const Expr& lambda) {
  LambdaParams out;
  bool kwonly = false;
  for (const Keyword& k : lambda.keywords) {
    if (k.name.rfind("**", 0) == 0) {
      out.kwarg = k.name.substr(2);
    } else if (k.name.rfind('*', 0) == 0) {
      out.vararg = k.name.substr(1);
      kwonly = true;
    } else if (kwonly) {
      out.kwonly.push_back(k.name);
      out.kw_defaults.push_back(k.value.get());
    } else {
      out.params.push_back(k.name);
      if (k.value) out.defaults.push_back(k.value.get());
    }
  }
  return out;
}

ScopeNames AnalyzeFunction(const Stmt& def) {
  ScopeNames out;
  out.params = def.params;
  out.params.insert(out.params.end(), def.kwonly_params.begin(), def.kwonly_params.end());
  if (!def.vararg.empty()) out.params.push_back(def.vararg);
  if (!def.kwarg.empty()) out.params.push_back(def.kwarg);
  Scanner scanner(&out);
  scanner.Block(def.body);
  return out;
}

ScopeNames AnalyzeLambda(const Expr& lambda) {
  ScopeNames out;
  LambdaParams p = LambdaParamsOf(lambda);
  out.params = p.params;
  out.params.insert(out.params.end(), p.kwonly.begin(), p.kwonly.end());
  if (!p.vararg.empty()) out.params.push_back(p.vararg);
  if (!p.kwarg.empty()) out.params.push_back(p.kwarg);
  Scanner scanner(&out);
  scanner.Expression(*lambda.operand);
  return out;
}

ScopeNames AnalyzeClassBody(const Stmt& def) {
  ScopeNames out;
  Scanner scanner(&out);
  scanner.Block(def.body);
  return out;
}

ScopeNames AnalyzeComprehension(const Expr& comp) {
  ScopeNames out;
  out.params = {".0"};
  Scanner scanner(&out);
  for (const Expr* clause = comp.operand.get(); clause; clause = clause->operand.get()) {
    if (clause != comp.operand.get()) scanner.Expression(*clause->right);
    scanner.Target(*clause->left);
    for (const ExprPtr& cond : clause->items) scanner.Expression(*cond);
  }
  scanner.Expression(*comp.left);
  if (comp.right) scanner.Expression(*comp.right);
  if (out.has_yield && !out.failed) {
    static const char* const kWhat[] = {"list comprehension", "set comprehension",
                                        "dict comprehension", "generator expression"};
    out.failed = true;
    out.error.message = std::string("'yield' inside ") +
                        kWhat[static_cast<int>(comp.kind) - static_cast<int>(ExprKind::kListComp)];
    out.error.line = out.yield_pos.line;
    out.error.col = out.yield_pos.col;
  }
  if (comp.kind == ExprKind::kGenExp) out.has_yield = true;
  return out;
}

}  // namespace gilbench::vm
