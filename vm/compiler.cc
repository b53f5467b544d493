// The compiler: walks the AST once per code object and emits bytecode through a CodeBuilder that
// owns labels, the line table and the peephole fusions into superinstructions.
#include "vm/compiler.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_map>

#include "vm/builtins.h"
#include "vm/opcodes.h"
#include "vm/scopes.h"

namespace gilbench::vm {
namespace {

constexpr size_t kMaxOperand = 0xFFFF;

// Emits instructions into one CodeObj. Forward jumps name a label and are patched when it binds.
// Fusion: each Emit looks at the instructions emitted since the last bound label (a jump target
// must stay an instruction boundary) and may rewrite them into a superinstruction.
class CodeBuilder {
 public:
  explicit CodeBuilder(CodeObj* code) : code_(code) {}

  int NewLabel() {
    labels_.push_back(-1);
    return static_cast<int>(labels_.size()) - 1;
  }

  void Bind(int label) {
    labels_[label] = static_cast<int>(Size());
    recent_.clear();
  }

  bool IsBound(int label) const { return labels_[label] >= 0; }

  void SetLine(int line) { line_ = line; }

  // Emits `op` with its operands; `label` is the jump target for opcodes that have one.
  void Emit(Op op, uint16_t a = 0, uint16_t b = 0, uint16_t c = 0, int label = -1) {
    if (Fuse(op, a, label)) return;
    EmitRaw(op, a, b, c, label);
  }

  // The exception handler (a label, and the stack depth it expects) of the instructions emitted
  // from here on; label -1 for none. Each change closes the range being recorded and starts
  // another, so the table's ranges never overlap; no fusion crosses a range's edge.
  void SetHandler(int label, int depth) {
    if (label == handler_label_ && depth == handler_depth_) return;
    CloseHandlerRange();
    handler_label_ = label;
    handler_depth_ = depth;
    handler_start_ = Size();
    recent_.clear();
  }

  // Patches forward jumps and fills the exception table; returns false if a label was never
  // bound (a compiler bug).
  bool Finish() {
    for (auto [pos, label] : patches_) {
      if (labels_[label] < 0) return false;
      uint32_t target = static_cast<uint32_t>(labels_[label]);
      std::memcpy(&code_->bytecode[pos], &target, sizeof target);
    }
    CloseHandlerRange();
    handler_label_ = -1;
    for (const HandlerRange& r : handler_ranges_) {
      if (labels_[r.label] < 0) return false;
      code_->exception_table.push_back(ExceptionHandler{
          r.start, r.end, static_cast<uint32_t>(labels_[r.label]), static_cast<uint16_t>(r.depth)});
    }
    return true;
  }

 private:
  struct Recent {
    size_t offset;
    Op op;
    uint16_t a, b, c;
    int label;
  };

  size_t Size() const { return code_->bytecode.size(); }

  struct HandlerRange {
    uint32_t start, end;
    int label, depth;
  };
  void CloseHandlerRange() {
    if (handler_label_ < 0 || Size() == handler_start_) return;
    handler_ranges_.push_back(HandlerRange{static_cast<uint32_t>(handler_start_),
                                           static_cast<uint32_t>(Size()), handler_label_,
                                           handler_depth_});
  }

  void EmitRaw(Op op, uint16_t a, uint16_t b, uint16_t c, int label) {
    size_t offset = Size();
    int line = fused_line_ > 0 ? fused_line_ : line_;
    fused_line_ = 0;
    if (code_->line_table.empty() || code_->line_table.back().second != line) {
      code_->line_table.emplace_back(static_cast<uint32_t>(offset), line);
    }
    std::vector<uint8_t>& bc = code_->bytecode;
    bc.push_back(static_cast<uint8_t>(op));
    const OpInfo& info = GetOpInfo(op);
    const uint16_t operands[] = {a, b, c};
    for (int i = 0; i < info.operand_count(); ++i) {
      bc.push_back(static_cast<uint8_t>(operands[i] & 0xFF));
      bc.push_back(static_cast<uint8_t>(operands[i] >> 8));
    }
    if (info.has_target) {
      uint32_t target = 0;
      if (labels_[label] >= 0) {
        target = static_cast<uint32_t>(labels_[label]);
      } else {
        patches_.emplace_back(bc.size(), label);
      }
      for (int i = 0; i < 4; ++i) bc.push_back(static_cast<uint8_t>(target >> (8 * i)));
    }
    // Fusion looks back a few instructions at most: forget older ones in batches, so that a long
    // straight run (a module of a million assignments) keeps no record per instruction.
    if (recent_.size() >= 4 * kFusionWindow) {
      recent_.erase(recent_.begin(), recent_.end() - kFusionWindow);
    }
    recent_.push_back(Recent{offset, op, a, b, c, label});
  }

  // Removes the last `n` recent instructions (and their pending patches / line entries). The
  // instruction that replaces them starts where they did, so it takes the line of the first
  // (fused_line_, used by the next EmitRaw).
  void Drop(size_t n) {
    size_t offset = recent_[recent_.size() - n].offset;
    recent_.resize(recent_.size() - n);
    code_->bytecode.resize(offset);
    while (!patches_.empty() && patches_.back().first >= offset) patches_.pop_back();
    auto& lt = code_->line_table;
    while (!lt.empty() && lt.back().first > offset) lt.pop_back();
    fused_line_ = line_;
    if (!lt.empty()) {
      fused_line_ = lt.back().second;
      if (lt.back().first == offset) lt.pop_back();
    }
  }

  const Recent* Last(size_t back = 0) const {
    return recent_.size() > back ? &recent_[recent_.size() - 1 - back] : nullptr;
  }

  static constexpr uint16_t kEq = static_cast<uint16_t>(CompareOp::kEq);
  static constexpr uint16_t kNe = static_cast<uint16_t>(CompareOp::kNe);

  bool Fuse(Op op, uint16_t a, int label) {
    const Recent* last = Last();
    if (last == nullptr) return false;
    Recent l = *last;
    switch (op) {
      case Op::kLOAD_LOCAL:
        if (l.op != Op::kLOAD_LOCAL) return false;
        Drop(1);
        EmitRaw(Op::kLOAD_LOCAL_LOCAL, l.a, a, 0, -1);
        return true;
      case Op::kLOAD_ATTR:
      case Op::kSTORE_ATTR: {
        // `self.x` and `self.x = v`: the local's load joins the attribute access. A local loaded
        // just after another one was fused into LOAD_LOCAL_LOCAL; that pair is split again.
        const Op fused = op == Op::kLOAD_ATTR ? Op::kLOAD_LOCAL_ATTR : Op::kSTORE_LOCAL_ATTR;
        if (l.op == Op::kLOAD_LOCAL) {
          Drop(1);
          EmitRaw(fused, l.a, a, 0, -1);
          return true;
        }
        if (l.op == Op::kLOAD_LOCAL_LOCAL) {
          Drop(1);
          EmitRaw(Op::kLOAD_LOCAL, l.a, 0, 0, -1);
          EmitRaw(fused, l.b, a, 0, -1);
          return true;
        }
        return false;
      }
      case Op::kLOAD_CONST:
        if (l.op != Op::kLOAD_LOCAL) return false;
        Drop(1);
        EmitRaw(Op::kLOAD_LOCAL_CONST, l.a, a, 0, -1);
        return true;
      case Op::kBINARY_ADD:
      case Op::kBINARY_SUB:
      case Op::kBINARY_MUL:
      case Op::kBINARY_MOD: {
        if (l.op != Op::kLOAD_LOCAL_LOCAL) return false;
        static constexpr std::pair<Op, Op> kFused[] = {
            {Op::kBINARY_ADD, Op::kBINARY_ADD_LOCAL_LOCAL},
            {Op::kBINARY_SUB, Op::kBINARY_SUB_LOCAL_LOCAL},
            {Op::kBINARY_MUL, Op::kBINARY_MUL_LOCAL_LOCAL},
            {Op::kBINARY_MOD, Op::kBINARY_MOD_LOCAL_LOCAL}};
        Op fused = Op::kNOP;
        for (auto [plain, local] : kFused) fused = plain == op ? local : fused;
        Drop(1);
        EmitRaw(fused, l.a, l.b, 0, -1);
        return true;
      }
      case Op::kPOP_JUMP_IF_FALSE:
        return FuseCompareJump(label, false);
      case Op::kLOOP_IF_TRUE:
        return FuseCompareJump(label, true);
      case Op::kPOP_JUMP_IF_TRUE:
        if (l.op == Op::kUNARY_NOT) {
          Drop(1);
          Emit(Op::kPOP_JUMP_IF_FALSE, 0, 0, 0, label);
          return true;
        }
        // Jumping if a == b is jumping unless a != b: == and != are each other's negation for
        // every value of the subset (NaN included), so the fused JUMP_UNLESS_* forms serve.
        if (l.op == Op::kCOMPARE && (l.a == kEq || l.a == kNe)) {
          return FuseCompareJump(label, false, /*negate=*/true);
        }
        return false;
      default:
        return false;
    }
  }

  // COMPARE + a conditional jump, and the loads before them, into one branch: a forward
  // JUMP_UNLESS_* for `if`/`while` entry tests, a backward LOOP_IF_* for bottom-tested loops.
  // `negate` fuses a jump taken when the comparison holds: only for == and !=, whose negation is
  // the other one.
  bool FuseCompareJump(int label, bool loop, bool negate = false) {
    const Recent* last = Last();
    if (!loop && !negate && last->op == Op::kUNARY_NOT) {
      Drop(1);
      EmitRaw(Op::kPOP_JUMP_IF_TRUE, 0, 0, 0, label);
      return true;
    }
    if (last->op != Op::kCOMPARE) return false;
    uint16_t cmp = negate ? (last->a == kEq ? kNe : kEq) : last->a;
    const Recent* loads = Last(1);
    Op op = loads ? loads->op : Op::kNOP;
    if (op == Op::kLOAD_LOCAL_CONST || op == Op::kLOAD_LOCAL_LOCAL) {
      bool with_const = op == Op::kLOAD_LOCAL_CONST;
      Op fused =
          loop ? (with_const ? Op::kLOOP_IF_LOCAL_COMPARE_CONST : Op::kLOOP_IF_LOCAL_COMPARE_LOCAL)
               : (with_const ? Op::kJUMP_UNLESS_LOCAL_COMPARE_CONST
                             : Op::kJUMP_UNLESS_LOCAL_COMPARE_LOCAL);
      uint16_t a = loads->a, b = loads->b;
      Drop(2);
      EmitRaw(fused, a, b, cmp, label);
      return true;
    }
    const Recent* mod = Last(2);
    if (!loop && op == Op::kLOAD_CONST && (cmp == kEq || cmp == kNe) && mod != nullptr &&
        mod->op == Op::kBINARY_MOD_LOCAL_LOCAL) {
      uint16_t a = mod->a, b = mod->b, k = loads->a;
      Drop(3);
      EmitRaw(cmp == kEq ? Op::kJUMP_UNLESS_MOD_EQ_CONST : Op::kJUMP_UNLESS_MOD_NE_CONST, a, b, k,
              label);
      return true;
    }
    if (!loop && op == Op::kLOAD_CONST) {
      uint16_t k = loads->a;
      Drop(2);
      EmitRaw(Op::kJUMP_UNLESS_COMPARE_CONST, cmp, k, 0, label);
      return true;
    }
    Drop(1);
    EmitRaw(loop ? Op::kLOOP_IF_COMPARE : Op::kJUMP_UNLESS_COMPARE, cmp, 0, 0, label);
    return true;
  }

  CodeObj* code_;
  std::vector<int> labels_;                      // label -> offset, -1 while unbound
  std::vector<std::pair<size_t, int>> patches_;  // (byte position of a u32 target, label)
  // The last instructions emitted since the last label bind: up to kFusionWindow of them at
  // least, enough for the longest fusion (three instructions into one).
  static constexpr size_t kFusionWindow = 4;
  std::vector<Recent> recent_;
  int line_ = 1;
  int fused_line_ = 0;  // set by Drop: the line of the instruction being fused, 0 when none
  // The exception range being recorded (SetHandler) and those closed so far.
  int handler_label_ = -1;
  int handler_depth_ = 0;
  size_t handler_start_ = 0;
  std::vector<HandlerRange> handler_ranges_;
};

// Whether CPython 3.11's AST optimizer turns `e` into a constant: a literal, or a unary or binary
// operator, a subscript or a tuple over such constants. (It also folds a few things the subset
// cannot write; and it leaves alone results it judges too large, such as a long string repeated,
// which no set display here is likely to hold.)
bool IsFoldedConstant(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kStr:
    case ExprKind::kBytes:
    case ExprKind::kTrue:
    case ExprKind::kFalse:
    case ExprKind::kNone:
      return true;
    case ExprKind::kUnary:
      return IsFoldedConstant(*e.operand);
    case ExprKind::kBinary:
      return IsFoldedConstant(*e.left) && IsFoldedConstant(*e.right);
    case ExprKind::kSubscript:
      return IsFoldedConstant(*e.left) && IsFoldedConstant(*e.right);
    case ExprKind::kTuple:
      for (const auto& item : e.items) {
        if (!IsFoldedConstant(*item)) return false;
      }
      return true;
    default:
      return false;
  }
}

// The interpreter's global table as the compiler grows it, with an index by name: a name is
// looked up once per use, so a linear search would make compiling quadratic in the number of
// globals.
class GlobalTable {
 public:
  explicit GlobalTable(std::vector<std::string>* names) : names_(names) {
    for (size_t i = 0; i < names_->size(); ++i) index_.emplace((*names_)[i], i);
  }

  // The slot of `name`, appended if new; false when the table is full.
  bool Slot(const std::string& name, uint16_t* slot) {
    auto it = index_.find(name);
    if (it == index_.end()) {
      if (names_->size() >= kMaxOperand) return false;
      it = index_.emplace(name, names_->size()).first;
      names_->push_back(name);
    }
    *slot = static_cast<uint16_t>(it->second);
    return true;
  }

 private:
  std::vector<std::string>* names_;
  std::unordered_map<std::string, size_t> index_;
};

// Compiles one code object (the module, or one function body).
class FunctionCompiler {
 public:
  FunctionCompiler(std::string_view filename, GlobalTable* globals, bool is_function,
                   const FunctionCompiler* parent = nullptr)
      : globals_(globals), is_function_(is_function), parent_(parent) {
    code_ = new CodeObj();
    code_->filename = std::string(filename);
    if (!is_function) code_->name = "<module>";  // a function's is set by CompileFunction
    builder_ = std::make_unique<CodeBuilder>(code_);
  }
  ~FunctionCompiler() {
    if (code_) DecrefObj(code_);
  }

  // The module, one top-level statement at a time: AddStatement for each, then FinishModule.
  // After the first SyntaxError the statements that follow are not compiled.
  void AddStatement(const Stmt& s);
  bool FinishModule(CodeObj** out, SyntaxErrorInfo* error);
  bool CompileFunction(const Stmt& def, CodeObj** out, SyntaxErrorInfo* error);
  // A class body: a function of no parameters whose locals are the names the body assigns, and
  // which returns them as a dict (LOAD_LOCALS), the class's namespace.
  bool CompileClassBody(const Stmt& def, CodeObj** out, SyntaxErrorInfo* error);
  // Compiles a nested scope (a def, a class body, a lambda, a comprehension) with a compiler of
  // its own, through that compiler's `compile` member, and adds the code object to this scope's
  // constants at *index; false with the inner error recorded here.
  template <typename Node>
  bool NestedCode(bool (FunctionCompiler::*compile)(const Node&, CodeObj**, SyntaxErrorInfo*),
                  const Node& node, SourcePos pos, CodeObj** code, uint16_t* index) {
    FunctionCompiler inner(code_->filename, globals_, true, this);
    SyntaxErrorInfo inner_error;
    if (!(inner.*compile)(node, code, &inner_error)) {
      failed_ = true;
      error_ = inner_error;
      return false;
    }
    return Const(Value::Object(*code), pos, index);
  }
  bool CompileLambda(const Expr& lambda, CodeObj** out, SyntaxErrorInfo* error);
  bool CompileComprehension(const Expr& comp, CodeObj** out, SyntaxErrorInfo* error);

 private:
  bool Fail(SourcePos pos, std::string message) {
    if (!failed_) {
      failed_ = true;
      error_.message = std::move(message);
      error_.line = pos.line;
      error_.col = pos.col;
    }
    return false;
  }

  bool Finish(CodeObj** out, SyntaxErrorInfo* error);
  bool Block(const vm::Block& body);
  bool Statement(const Stmt& s);
  bool Assign(const Stmt& s);
  bool AugAssign(const Stmt& s);
  bool StoreTarget(const Expr& target);
  bool SliceObject(const Expr& e);
  bool If(const Stmt& s);
  bool While(const Stmt& s);
  bool For(const Stmt& s);
  bool FunctionDef(const Stmt& s);
  bool ClassDef(const Stmt& s);
  bool Import(const Stmt& s);
  bool Assert(const Stmt& s);
  bool Expression(const Expr& e);
  bool Compare(const Expr& e);
  bool BoolOp(const Expr& e);
  bool IfExp(const Expr& e);
  bool Call(const Expr& e);
  bool FString(const Expr& e);
  bool Sequence(const std::vector<ExprPtr>& items, Op build);
  bool DictDisplay(const Expr& e);
  bool SetDisplay(const Expr& e);
  bool Delete(const Stmt& s);
  bool DeleteTarget(const Expr& target);
  bool CallEx(const Expr& e);
  bool Lambda(const Expr& e);
  bool Comprehension(const Expr& e);
  bool ComprehensionClause(const Expr& comp, const Expr* clause, int depth);
  bool YieldFrom(const Expr& e);
  bool KwDefaults(const std::vector<std::string>& names, const std::vector<const Expr*>& values,
                  SourcePos pos);

  // Scopes: where each name of a function lives (scopes.h).
  bool SetUpScope(const std::string& name, int first_line, const ScopeNames& scope, int npositional,
                  int nkwonly, bool varargs, bool varkw, SourcePos pos);
  bool EnclosingBinds(const std::string& name) const;
  std::string ChildQualname(const std::string& name) const;
  bool MakeClosure(CodeObj* child, SourcePos pos);
  int DerefSlot(const std::string& name) const;
  // try and with (below, "Exceptions").
  bool Try(const Stmt& s);
  using Handlers = std::shared_ptr<std::vector<StmtPtr>>;
  bool TryExcept(const vm::Block& body, const Handlers& handlers, const Stmt* orelse);
  bool ExceptClause(const Stmt& h, int depth, int end, int cleanup);
  bool With(const Stmt& s);
  bool Return(const Stmt& s);
  bool UnbindName(const std::string& name, SourcePos pos);

  bool LoadName(const std::string& name, SourcePos pos);
  bool StoreName(const std::string& name, SourcePos pos);
  int LocalSlot(const std::string& name) const;
  void AddLocal(const std::string& name);
  bool GlobalSlot(const std::string& name, SourcePos pos, uint16_t* slot);
  bool Const(Value v, SourcePos pos, uint16_t* index);  // takes ownership of v
  bool LoadConst(Value v, SourcePos pos);
  bool StrConst(const std::string& s, SourcePos pos, uint16_t* index);

  GlobalTable* globals_;
  bool is_function_;
  // A class body's: its defs are methods, and the functions in it do not see its names (they
  // skip it when looking for an enclosing function's variables, as in Python).
  bool is_class_body_ = false;
  const FunctionCompiler* parent_;  // the enclosing scope's compiler (null for the module)
  // Names held in cells: this function's locals that nested functions use, and its free
  // variables. Their slots are read and written through the cell (LOAD_DEREF, ...).
  std::set<std::string> deref_names_;
  std::set<std::string> free_names_;  // free variables, bound in an enclosing function
  CodeObj* code_;
  std::unique_ptr<CodeBuilder> builder_;
  // A function's local names (code_->local_names) by name, for the same reason as GlobalTable.
  std::unordered_map<std::string, int> local_slots_;
  bool module_stopped_ = false;  // a top-level statement failed: compile no more
  int module_last_line_ = 1;     // the line of the last top-level statement
  std::set<std::string> declared_globals_;
  std::map<std::tuple<int, uint64_t, std::string>, uint16_t> const_index_;

  static StmtPtr ColdEqualityTail(const vm::Block& body);

  struct Loop {
    int continue_label;
    int break_label;
    bool is_for;              // a for loop keeps its iterator on the stack: break pops it
    size_t fblock_level = 0;  // fblocks_ open outside the loop (PushLoop)
  };
  std::vector<Loop> loops_;
  void PushLoop(Loop loop) {
    loop.fblock_level = fblocks_.size();
    loops_.push_back(loop);
  }

  // The try, except, finally and with blocks the statement being compiled is inside, outermost
  // first, CPython's "frame blocks": each may name the handler of the code inside it, holds
  // `items` values on the operand stack, and says what leaving it early (return, break,
  // continue) must do (UnwindFBlock).
  enum class FBlockKind {
    kTryExcept,     // a try body with except clauses
    kTryFinally,    // a try body (with its except clauses) whose finally runs on the way out
    kHandlerMatch,  // an except clause's match or cleanup code: [prev exc] or the with's three
    kHandler,       // an except clause's body: [prev]; `name` is unbound on the way out
    kFinallyEnd,    // a finally body run for an exception: [prev exc]
    kWith,          // a with body: [exit]
  };
  struct FBlock {
    FBlockKind kind;
    int handler;        // the label of the handler of the code inside, or -1
    int handler_depth;  // the stack depth that handler expects
    int items;
    std::string name;   // kHandler: the `as` name
    vm::Block finally;  // kTryFinally: the finally body
  };
  std::vector<FBlock> fblocks_;
  int extra_depth_ = 0;  // a return value held under a finally body run on the way out
  // The operand stack's depth at a statement: the loops' iterators, the blocks' values.
  int StackDepth() const {
    int depth = extra_depth_;
    for (const Loop& l : loops_) depth += l.is_for ? 1 : 0;
    for (const FBlock& b : fblocks_) depth += b.items;
    return depth;
  }
  // Tells the builder the handler of the innermost block that has one.
  void UpdateHandler() {
    for (auto it = fblocks_.rbegin(); it != fblocks_.rend(); ++it) {
      if (it->handler >= 0) return builder_->SetHandler(it->handler, it->handler_depth);
    }
    builder_->SetHandler(-1, 0);
  }
  void PushFBlock(FBlock b) {
    fblocks_.push_back(std::move(b));
    UpdateHandler();
  }
  void PopFBlock() {
    fblocks_.pop_back();
    UpdateHandler();
  }
  // Code placed after the function's last instruction, where the path that raises nothing never
  // goes (the handlers): emitted by Finish, each inside the blocks and loops that were open where
  // it was deferred. Its jumps back into the function are backward (JumpTo).
  struct ColdCode {
    std::vector<FBlock> fblocks;
    std::vector<Loop> loops;
    int extra_depth;
    std::function<bool()> emit;
  };
  std::vector<ColdCode> cold_;
  void Defer(std::function<bool()> emit) {
    cold_.push_back(ColdCode{fblocks_, loops_, extra_depth_, std::move(emit)});
  }
  bool EmitColdCode();
  // JUMP to a label ahead, LOOP (a back edge) to one already bound.
  void JumpTo(int label) {
    builder_->Emit(builder_->IsBound(label) ? Op::kLOOP : Op::kJUMP, 0, 0, 0, label);
  }
  bool UnwindFBlock(const FBlock& b, bool preserve_tos);
  bool UnwindFBlocksTo(size_t level, bool preserve_tos, std::vector<FBlock>* saved);
  void RestoreFBlocks(std::vector<FBlock>* saved);
  bool failed_ = false;
  SyntaxErrorInfo error_;
};

bool FunctionCompiler::Finish(CodeObj** out, SyntaxErrorInfo* error) {
  if (!failed_) EmitColdCode();
  if (failed_) {
    *error = error_;
    return false;
  }
  if (!builder_->Finish()) {
    error->message = "internal compiler error: unbound label";
    return false;
  }
  code_->attr_cache.reset(new AttrCacheEntry[code_->constants.size()]());
  code_->method_cache.reset(new AttrCacheEntry[code_->constants.size()]());
  *out = code_;
  code_ = nullptr;
  return true;
}

void FunctionCompiler::AddStatement(const Stmt& s) {
  if (module_stopped_) return;
  module_last_line_ = s.pos.line;
  module_stopped_ = !Statement(s);
}

bool FunctionCompiler::FinishModule(CodeObj** out, SyntaxErrorInfo* error) {
  builder_->SetLine(module_last_line_);
  LoadConst(Value::None(), SourcePos{});
  builder_->Emit(Op::kRETURN_VALUE);
  return Finish(out, error);
}

// The qualified name of a scope defined in this one: "f.<locals>.g", "C.g" in a class body, or
// just "g" at module level.
std::string FunctionCompiler::ChildQualname(const std::string& name) const {
  if (is_class_body_) return code_->qualname + "." + name;
  return is_function_ ? code_->qualname + ".<locals>." + name : name;
}

// Whether `name`, not bound in the scope being compiled, is bound in an enclosing function (so a
// free variable here), rather than a global.
bool FunctionCompiler::EnclosingBinds(const std::string& name) const {
  const FunctionCompiler* p = parent_;
  // A class body is skipped (and classes are made at module level only, so what is above it is
  // the module).
  if (p == nullptr || !p->is_function_ || p->is_class_body_ || p->declared_globals_.count(name)) {
    return false;
  }
  return p->local_slots_.count(name) > 0;  // its own local, or a free variable of its own
}

// Lays out a function scope's locals and cells: the parameters (npositional, then nkwonly, then
// *args and **kwargs), the names it binds, then its free variables; the ones nested scopes use
// become cells.
bool FunctionCompiler::SetUpScope(const std::string& name, int first_line, const ScopeNames& scope,
                                  int npositional, int nkwonly, bool varargs, bool varkw,
                                  SourcePos pos) {
  code_->name = name;
  code_->qualname = parent_ ? parent_->ChildQualname(name) : name;
  code_->first_line = first_line;
  if (scope.failed) {
    failed_ = true;
    error_ = scope.error;
    return false;
  }
  declared_globals_ = scope.globals;
  for (const std::string& p : scope.params) {
    if (declared_globals_.count(p)) return Fail(pos, "name '" + p + "' is parameter and global");
    AddLocal(p);  // a parameter named twice is a SyntaxError, found by the parser
  }
  code_->nparams = npositional;
  code_->nkwonly = nkwonly;
  code_->has_varargs = varargs;
  code_->has_varkw = varkw;
  code_->is_generator = scope.has_yield;
  for (const std::string& n : scope.assigned) {
    if (scope.IsLocal(n)) AddLocal(n);
  }
  for (const std::string& n : scope.nonlocals) {
    if (!EnclosingBinds(n)) return Fail(pos, "no binding for nonlocal '" + n + "' found");
  }
  for (const std::string& n : scope.Free()) {
    if (!EnclosingBinds(n)) continue;  // a global
    free_names_.insert(n);
  }
  for (size_t slot = 0; slot < code_->local_names.size(); ++slot) {
    if (scope.child_free.count(code_->local_names[slot])) {
      code_->cell_slots.push_back(static_cast<uint16_t>(slot));
      deref_names_.insert(code_->local_names[slot]);
    }
  }
  for (const std::string& n : free_names_) {
    AddLocal(n);
    deref_names_.insert(n);
  }
  code_->nfree = static_cast<int>(free_names_.size());
  if (code_->local_names.size() > kMaxOperand) return Fail(pos, "too many local variables");
  bool simple = code_->cell_slots.empty() && code_->nfree == 0 && !code_->is_generator &&
                nkwonly == 0 && !varargs && !varkw;
  code_->fast_argc = simple ? npositional : -1;
  builder_->SetLine(first_line);
  return true;
}

bool FunctionCompiler::CompileFunction(const Stmt& def, CodeObj** out, SyntaxErrorInfo* error) {
  ScopeNames scope = AnalyzeFunction(def);
  if (SetUpScope(def.name, def.pos.line, scope, static_cast<int>(def.params.size()),
                 static_cast<int>(def.kwonly_params.size()), !def.vararg.empty(),
                 !def.kwarg.empty(), def.pos)) {
    Block(def.body);
    LoadConst(Value::None(), def.pos);
    builder_->Emit(Op::kRETURN_VALUE);
  }
  return Finish(out, error);
}

// Classes are made at module level only, so a class body's free names are globals, and nothing
// in it needs a cell: a method takes nothing from the class body's scope.
bool FunctionCompiler::CompileClassBody(const Stmt& def, CodeObj** out, SyntaxErrorInfo* error) {
  is_class_body_ = true;
  code_->name = def.name;
  code_->qualname = parent_ ? parent_->ChildQualname(def.name) : def.name;
  code_->first_line = def.pos.line;
  ScopeNames scope = AnalyzeClassBody(def);
  if (scope.failed) {
    failed_ = true;
    error_ = scope.error;
    return Finish(out, error);
  }
  declared_globals_ = scope.globals;
  for (const std::string& n : scope.nonlocals) {
    return Fail(def.pos, "no binding for nonlocal '" + n + "' found"), Finish(out, error);
  }
  for (const std::string& n : scope.assigned) {
    // Instances here always take any attribute: a __slots__ that CPython would enforce would
    // be silently ignored, so it is refused instead.
    if (n == "__slots__") return Fail(def.pos, "__slots__ is not supported"), Finish(out, error);
    if (scope.IsLocal(n)) AddLocal(n);
  }
  if (code_->local_names.size() > kMaxOperand) {
    return Fail(def.pos, "too many local variables"), Finish(out, error);
  }
  builder_->SetLine(def.pos.line);
  Block(def.body);
  builder_->Emit(Op::kLOAD_LOCALS);
  builder_->Emit(Op::kRETURN_VALUE);
  return Finish(out, error);
}

bool FunctionCompiler::CompileLambda(const Expr& lambda, CodeObj** out, SyntaxErrorInfo* error) {
  ScopeNames scope = AnalyzeLambda(lambda);
  LambdaParams p = LambdaParamsOf(lambda);
  if (SetUpScope("<lambda>", lambda.pos.line, scope, static_cast<int>(p.params.size()),
                 static_cast<int>(p.kwonly.size()), !p.vararg.empty(), !p.kwarg.empty(),
                 lambda.pos) &&
      Expression(*lambda.operand)) {
    builder_->Emit(Op::kRETURN_VALUE);
  }
  return Finish(out, error);
}

// A comprehension's own function: its one parameter ".0" is the first clause's iterator (made in
// the enclosing scope); it builds the list, set or dict, or yields each element.
bool FunctionCompiler::CompileComprehension(const Expr& comp, CodeObj** out,
                                            SyntaxErrorInfo* error) {
  ScopeNames scope = AnalyzeComprehension(comp);
  static const char* const kNames[] = {"<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>"};
  const char* name = kNames[static_cast<int>(comp.kind) - static_cast<int>(ExprKind::kListComp)];
  if (SetUpScope(name, comp.pos.line, scope, 1, 0, false, false, comp.pos)) {
    bool ok = true;
    if (comp.kind == ExprKind::kListComp) builder_->Emit(Op::kBUILD_LIST, 0);
    if (comp.kind == ExprKind::kSetComp) builder_->Emit(Op::kBUILD_SET, 0);
    if (comp.kind == ExprKind::kDictComp) builder_->Emit(Op::kBUILD_MAP, 0);
    if (comp.kind == ExprKind::kGenExp) ok = LoadConst(Value::None(), comp.pos);
    ok = ok && ComprehensionClause(comp, comp.operand.get(), 1);
    builder_->SetLine(comp.pos.line);
    if (ok) builder_->Emit(Op::kRETURN_VALUE);
  }
  return Finish(out, error);
}

// One `for` clause and everything inside it, as For() compiles a loop (the item stored by
// FOR_ITER_LOCAL when the target is a fast local); a condition that fails goes on to the next item.
// `depth` counts the iterators on the stack, which the element is added under (the collection
// is below them: depth + 1 slots under the element).
bool FunctionCompiler::ComprehensionClause(const Expr& comp, const Expr* clause, int depth) {
  int top = builder_->NewLabel();
  int next = builder_->NewLabel();
  if (depth == 1) {
    if (!LoadName(".0", clause->pos)) return false;
  } else {
    if (!Expression(*clause->right)) return false;
    builder_->Emit(Op::kGET_ITER);
  }
  builder_->Emit(Op::kJUMP, 0, 0, 0, next);
  builder_->Bind(top);
  const Expr& target = *clause->left;
  int local = target.kind == ExprKind::kName ? LocalSlot(target.str_value) : -1;
  if (local < 0 && !StoreTarget(target)) return false;
  for (const ExprPtr& cond : clause->items) {
    if (!Expression(*cond)) return false;
    builder_->Emit(Op::kPOP_JUMP_IF_FALSE, 0, 0, 0, next);
  }
  if (clause->operand) {
    if (!ComprehensionClause(comp, clause->operand.get(), depth + 1)) return false;
  } else {
    if (!Expression(*comp.left)) return false;
    if (comp.right && !Expression(*comp.right)) return false;
    builder_->SetLine(comp.pos.line);
    switch (comp.kind) {
      case ExprKind::kListComp:
        builder_->Emit(Op::kLIST_APPEND, static_cast<uint16_t>(depth + 1));
        break;
      case ExprKind::kSetComp:
        builder_->Emit(Op::kSET_ADD, static_cast<uint16_t>(depth + 1));
        break;
      case ExprKind::kDictComp:
        builder_->Emit(Op::kMAP_ADD, static_cast<uint16_t>(depth + 1));
        break;
      default:
        builder_->Emit(Op::kYIELD_VALUE);
        builder_->Emit(Op::kPOP_TOP);
        break;
    }
  }
  builder_->Bind(next);
  builder_->SetLine(clause->pos.line);
  if (local >= 0) {
    builder_->Emit(Op::kFOR_ITER_LOCAL, static_cast<uint16_t>(local), 0, 0, top);
  } else {
    builder_->Emit(Op::kFOR_ITER, 0, 0, 0, top);
  }
  return true;
}

// The statements of a block, decoded one at a time: only one of them is a tree at once (and, for a
// compound one, one statement of each block it is inside).
bool FunctionCompiler::Block(const vm::Block& body) {
  vm::Block::Reader reader(body);
  while (StmtPtr s = reader.Next()) {
    if (!Statement(*s)) return false;
  }
  return true;
}

bool FunctionCompiler::Statement(const Stmt& s) {
  builder_->SetLine(s.pos.line);
  switch (s.kind) {
    case StmtKind::kExpr:
      if (!Expression(*s.value)) return false;
      builder_->Emit(Op::kPOP_TOP);
      return true;
    case StmtKind::kAssign:
      return Assign(s);
    case StmtKind::kAugAssign:
      return AugAssign(s);
    case StmtKind::kIf:
      return If(s);
    case StmtKind::kWhile:
      return While(s);
    case StmtKind::kFor:
      return For(s);
    case StmtKind::kBreak:
    case StmtKind::kContinue: {
      bool is_break = s.kind == StmtKind::kBreak;
      if (loops_.empty())
        return Fail(s.pos, is_break ? "'break' outside loop" : "'continue' not properly in loop");
      const Loop loop = loops_.back();
      std::vector<FBlock> saved;
      if (!UnwindFBlocksTo(loop.fblock_level, false, &saved)) return false;
      if (is_break && loop.is_for) builder_->Emit(Op::kPOP_TOP);
      int target = is_break ? loop.break_label : loop.continue_label;
      // A bound target lies behind us (the top of a `while True:`): a back edge checks the
      // eval breaker.
      builder_->Emit(builder_->IsBound(target) ? Op::kLOOP : Op::kJUMP, 0, 0, 0, target);
      RestoreFBlocks(&saved);
      return true;
    }
    case StmtKind::kPass:
    case StmtKind::kGlobal:
    case StmtKind::kNonlocal:
      return true;
    case StmtKind::kAssert:
      return Assert(s);
    case StmtKind::kFunctionDef:
      return FunctionDef(s);
    case StmtKind::kClassDef:
      return ClassDef(s);
    case StmtKind::kRaise: {
      uint16_t n = 0;
      if (s.value) {
        if (!Expression(*s.value)) return false;
        ++n;
        if (s.msg) {
          if (!Expression(*s.msg)) return false;
          ++n;
        }
      }
      builder_->SetLine(s.pos.line);
      builder_->Emit(Op::kRAISE, n);
      return true;
    }
    case StmtKind::kReturn:
      return Return(s);
    case StmtKind::kTry:
      return Try(s);
    case StmtKind::kWith:
      return With(s);
    case StmtKind::kExceptHandler:
    case StmtKind::kTryElse:
    case StmtKind::kTryFinally:
      break;  // only inside a try, which compiles them
    case StmtKind::kYield:
      if (!is_function_) return Fail(s.pos, "'yield' outside function");
      if (s.value ? !Expression(*s.value) : !LoadConst(Value::None(), s.pos)) return false;
      builder_->Emit(Op::kYIELD_VALUE);
      builder_->Emit(Op::kPOP_TOP);  // the value sent in
      return true;
    case StmtKind::kImport:
    case StmtKind::kImportFrom:
      return Import(s);
    case StmtKind::kDelete:
      return Delete(s);
  }
  return Fail(s.pos, "invalid syntax");
}

bool FunctionCompiler::Assign(const Stmt& s) {
  if (!Expression(*s.value)) return false;
  for (size_t i = 0; i < s.targets.size(); ++i) {
    if (i + 1 < s.targets.size()) builder_->Emit(Op::kDUP_TOP);
    if (!StoreTarget(*s.targets[i])) return false;
  }
  return true;
}

// Pushes slice(lower, upper, step) of a kSlice expression, None for each part left out.
bool FunctionCompiler::SliceObject(const Expr& e) {
  for (const ExprPtr* part : {&e.slice_lower, &e.slice_upper, &e.operand}) {
    if (*part ? !Expression(**part) : !LoadConst(Value::None(), e.pos)) return false;
  }
  builder_->Emit(Op::kBUILD_SLICE);
  return true;
}

bool FunctionCompiler::StoreTarget(const Expr& target) {
  switch (target.kind) {
    case ExprKind::kName:
      return StoreName(target.str_value, target.pos);
    case ExprKind::kAttribute: {
      uint16_t name;
      if (!Expression(*target.left) || !StrConst(target.str_value, target.pos, &name)) return false;
      builder_->SetLine(target.pos.line);
      builder_->Emit(Op::kSTORE_ATTR, name);
      return true;
    }
    case ExprKind::kSubscript:
      // The value is on the stack: [value container index] -> STORE_SUBSCR.
      if (!Expression(*target.left) || !Expression(*target.right)) return false;
      builder_->Emit(Op::kSTORE_SUBSCR);
      return true;
    case ExprKind::kSlice:
      if (!Expression(*target.left) || !SliceObject(target)) return false;
      builder_->Emit(Op::kSTORE_SUBSCR);
      return true;
    case ExprKind::kTuple:
    case ExprKind::kList:
      if (target.items.size() > kMaxOperand) return Fail(target.pos, "too many targets");
      builder_->Emit(Op::kUNPACK_SEQUENCE, static_cast<uint16_t>(target.items.size()));
      for (const auto& item : target.items) {
        if (!StoreTarget(*item)) return false;
      }
      return true;
    default:
      return Fail(target.pos, "cannot assign to expression");
  }
}

// `del a, b[i], (c, d)`: each target in order, a tuple or list target item by item.
bool FunctionCompiler::Delete(const Stmt& s) { return DeleteTarget(*s.targets[0]); }

bool FunctionCompiler::DeleteTarget(const Expr& target) {
  switch (target.kind) {
    case ExprKind::kName: {
      if (int cell = DerefSlot(target.str_value); cell >= 0) {
        builder_->Emit(Op::kDELETE_DEREF, static_cast<uint16_t>(cell));
        return true;
      }
      int slot = LocalSlot(target.str_value);
      if (slot >= 0) {
        builder_->Emit(Op::kDELETE_LOCAL, static_cast<uint16_t>(slot));
        return true;
      }
      uint16_t g;
      if (!GlobalSlot(target.str_value, target.pos, &g)) return false;
      builder_->Emit(Op::kDELETE_GLOBAL, g);
      return true;
    }
    case ExprKind::kSubscript:
      if (!Expression(*target.left) || !Expression(*target.right)) return false;
      builder_->SetLine(target.pos.line);
      builder_->Emit(Op::kDELETE_SUBSCR);
      return true;
    case ExprKind::kAttribute: {
      uint16_t name;
      if (!Expression(*target.left) || !StrConst(target.str_value, target.pos, &name)) return false;
      builder_->SetLine(target.pos.line);
      builder_->Emit(Op::kDELETE_ATTR, name);
      return true;
    }
    case ExprKind::kSlice:
      if (!Expression(*target.left) || !SliceObject(target)) return false;
      builder_->SetLine(target.pos.line);
      builder_->Emit(Op::kDELETE_SUBSCR);
      return true;
    case ExprKind::kTuple:
    case ExprKind::kList:
      for (const auto& item : target.items) {
        if (!DeleteTarget(*item)) return false;
      }
      return true;
    default:
      return Fail(target.pos, "cannot delete expression");
  }
}

// The opcode of `a op b`; BINARY_OP (with the operator as its operand) for the bitwise operators.
Op BinaryOpcode(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return Op::kBINARY_ADD;
    case BinaryOp::kSub:
      return Op::kBINARY_SUB;
    case BinaryOp::kMul:
      return Op::kBINARY_MUL;
    case BinaryOp::kDiv:
      return Op::kBINARY_DIV;
    case BinaryOp::kFloorDiv:
      return Op::kBINARY_FLOOR_DIV;
    case BinaryOp::kMod:
      return Op::kBINARY_MOD;
    case BinaryOp::kPow:
      return Op::kBINARY_POW;
    default:
      return Op::kBINARY_OP;
  }
}

// `x op= y`: += and *= have opcodes of their own (a list is extended / repeated in place); the
// others go through INPLACE_OP, where a set is changed in place by |=, &=, -= and ^=, and an
// error names the operator as written (`-=`).
Op InplaceOp(BinaryOp op) {
  if (op == BinaryOp::kAdd) return Op::kINPLACE_ADD;
  if (op == BinaryOp::kMul) return Op::kINPLACE_MUL;
  return Op::kINPLACE_OP;
}

bool FunctionCompiler::AugAssign(const Stmt& s) {
  const Expr& target = *s.targets[0];
  const Expr& value = *s.value;
  if (target.kind == ExprKind::kName) {
    int slot = LocalSlot(target.str_value);
    bool int_const = value.kind == ExprKind::kInt;
    if (slot >= 0 && int_const && (s.aug_op == BinaryOp::kAdd || s.aug_op == BinaryOp::kSub)) {
      uint16_t k;
      if (!Const(Value::Int(value.int_value), value.pos, &k)) return false;
      builder_->Emit(
          s.aug_op == BinaryOp::kAdd ? Op::kINPLACE_ADD_LOCAL_CONST : Op::kINPLACE_SUB_LOCAL_CONST,
          static_cast<uint16_t>(slot), k);
      return true;
    }
    if (!LoadName(target.str_value, target.pos) || !Expression(value)) return false;
    builder_->Emit(InplaceOp(s.aug_op), static_cast<uint16_t>(s.aug_op));
    return StoreName(target.str_value, target.pos);
  }
  if (target.kind == ExprKind::kAttribute) {
    uint16_t name;
    if (!StrConst(target.str_value, target.pos, &name)) return false;
    const Expr& object = *target.left;
    if (object.kind == ExprKind::kName && LocalSlot(object.str_value) >= 0) {
      // `self.x += v` with the object in a plain local: the local is read twice instead of kept
      // on the stack (nothing in the value can rebind it), so that both accesses fuse:
      // LOAD_LOCAL_ATTR, the value, the operator, STORE_LOCAL_ATTR.
      const auto slot = static_cast<uint16_t>(LocalSlot(object.str_value));
      builder_->Emit(Op::kLOAD_LOCAL, slot);
      builder_->Emit(Op::kLOAD_ATTR, name);
      if (!Expression(value)) return false;
      builder_->Emit(InplaceOp(s.aug_op), static_cast<uint16_t>(s.aug_op));
      builder_->Emit(Op::kLOAD_LOCAL, slot);
      builder_->Emit(Op::kSTORE_ATTR, name);
      return true;
    }
    // [o] -> [o o] -> [o old] -> [o new] -> [new o] -> store.
    if (!Expression(object)) return false;
    builder_->Emit(Op::kDUP_TOP);
    builder_->Emit(Op::kLOAD_ATTR, name);
    if (!Expression(value)) return false;
    builder_->Emit(InplaceOp(s.aug_op), static_cast<uint16_t>(s.aug_op));
    builder_->Emit(Op::kROT_TWO);
    builder_->Emit(Op::kSTORE_ATTR, name);
    return true;
  }
  if (target.kind != ExprKind::kSubscript && target.kind != ExprKind::kSlice) {
    return Fail(target.pos, "'" + std::string("expression") +
                                "' is an illegal expression for "
                                "augmented assignment");
  }
  // [c i] -> [c i c i] -> [c i old] -> [c i new] -> [new c i] -> store; a slice's i is a slice.
  if (!Expression(*target.left)) return false;
  if (target.kind == ExprKind::kSlice ? !SliceObject(target) : !Expression(*target.right)) {
    return false;
  }
  builder_->Emit(Op::kDUP_TOP_TWO);
  builder_->Emit(Op::kBINARY_SUBSCR);
  if (!Expression(value)) return false;
  builder_->Emit(InplaceOp(s.aug_op), static_cast<uint16_t>(s.aug_op));
  builder_->Emit(Op::kROT_THREE);
  builder_->Emit(Op::kSTORE_SUBSCR);
  return true;
}

// test; POP_JUMP_IF_FALSE else; body; JUMP end; else: orelse; end:
// An else clause that is one if (an elif) is compiled here in a loop, as Block and Statement would
// compile it (the same instructions and labels in the same order: the ends bound innermost
// first), but without a level of recursion per elif: a chain of 100,000 would overflow the stack.
bool FunctionCompiler::If(const Stmt& s) {
  std::vector<int> end_labels;
  StmtPtr elif;  // the if being compiled when it is an elif: decoded from the else clause before
  const Stmt* current = &s;
  for (;;) {
    int else_label = builder_->NewLabel();
    int end_label = builder_->NewLabel();
    end_labels.push_back(end_label);
    if (!Expression(*current->test)) return false;
    builder_->Emit(Op::kPOP_JUMP_IF_FALSE, 0, 0, 0, else_label);
    if (!Block(current->body)) return false;
    if (!current->orelse.empty()) builder_->Emit(Op::kJUMP, 0, 0, 0, end_label);
    builder_->Bind(else_label);
    if (current->orelse.size() != 1) {
      if (!Block(current->orelse)) return false;
      break;
    }
    StmtPtr next = current->orelse.Last();  // the one statement of the else clause
    if (next->kind != StmtKind::kIf) {
      if (!Statement(*next)) return false;
      break;
    }
    builder_->SetLine(next->pos.line);  // what Statement does first
    elif = std::move(next);
    current = elif.get();
  }
  for (auto label = end_labels.rbegin(); label != end_labels.rend(); ++label) {
    builder_->Bind(*label);
  }
  return true;
}

bool IsAlwaysTrue(const Expr& e) {
  return e.kind == ExprKind::kTrue || (e.kind == ExprKind::kInt && e.int_value != 0);
}

// while loops test at the bottom, so each iteration takes one conditional back edge:
//   test; POP_JUMP_IF_FALSE else; top: body; next: test; LOOP_IF_TRUE top; else: orelse; end:
// `while True:` is a plain LOOP back to the top.
bool FunctionCompiler::While(const Stmt& s) {
  int top = builder_->NewLabel();
  int next = builder_->NewLabel();
  int else_label = builder_->NewLabel();
  int end = builder_->NewLabel();
  bool forever = IsAlwaysTrue(*s.test);
  if (!forever) {
    if (!Expression(*s.test)) return false;
    builder_->Emit(Op::kPOP_JUMP_IF_FALSE, 0, 0, 0, else_label);
  }
  builder_->Bind(top);
  PushLoop(Loop{forever ? top : next, end, false});
  bool ok = Block(s.body);
  loops_.pop_back();
  if (!ok) return false;
  builder_->Bind(next);
  builder_->SetLine(s.pos.line);
  if (forever) {
    builder_->Emit(Op::kLOOP, 0, 0, 0, top);
  } else {
    if (!Expression(*s.test)) return false;
    builder_->Emit(Op::kLOOP_IF_TRUE, 0, 0, 0, top);
  }
  builder_->Bind(else_label);
  if (!Block(s.orelse)) return false;
  builder_->Bind(end);
  return true;
}

// for loops step their iterator at the bottom:
//   iter; GET_ITER; JUMP next; top: store target; body; next: FOR_ITER top; orelse; end:
// A local loop variable is stored by FOR_ITER_LOCAL itself.
//
// When the body ends with `if a == b:` (no else), that if's body goes out of line, after the
// loop, and the test jumps to it when true:
//   top: ...; a == b -> jump to cold; next: FOR_ITER top; orelse; JUMP end;
//   cold: if-body; LOOP next; end:
// so the usual iteration, where the equality is false (the trial division's `n % i == 0`, a
// search's `x == target`), falls through to the back edge: one taken jump per iteration instead
// of two. A taken jump's target is loaded from the bytecode, and the next instruction waits for
// that load: on the reference VM the second jump cost about a fifth of factorize's loop.
bool FunctionCompiler::For(const Stmt& s) {
  int top = builder_->NewLabel();
  int next = builder_->NewLabel();
  int end = builder_->NewLabel();
  if (!Expression(*s.value)) return false;
  builder_->Emit(Op::kGET_ITER);
  builder_->Emit(Op::kJUMP, 0, 0, 0, next);
  builder_->Bind(top);
  const Expr& target = *s.targets[0];
  int local = target.kind == ExprKind::kName ? LocalSlot(target.str_value) : -1;
  if (local < 0 && !StoreTarget(target)) return false;
  StmtPtr cold = ColdEqualityTail(s.body);
  int cold_label = builder_->NewLabel();
  Loop loop{next, end, true};
  PushLoop(loop);
  bool ok = true;
  vm::Block::Reader reader(s.body);
  while (ok && !reader.done()) {
    if (cold == nullptr || reader.index() + 1 != s.body.size()) {
      ok = Statement(*reader.Next());
      continue;
    }
    reader.Skip();  // the last statement, decoded already: `cold`
    builder_->SetLine(cold->pos.line);
    ok = Expression(*cold->test);
    builder_->Emit(Op::kPOP_JUMP_IF_TRUE, 0, 0, 0, cold_label);
  }
  loops_.pop_back();
  if (!ok) return false;
  builder_->Bind(next);
  builder_->SetLine(s.pos.line);
  if (local >= 0) {
    builder_->Emit(Op::kFOR_ITER_LOCAL, static_cast<uint16_t>(local), 0, 0, top);
  } else {
    builder_->Emit(Op::kFOR_ITER, 0, 0, 0, top);
  }
  if (!Block(s.orelse)) return false;
  if (cold != nullptr) {
    builder_->Emit(Op::kJUMP, 0, 0, 0, end);
    builder_->Bind(cold_label);
    PushLoop(loop);
    ok = Block(cold->body);
    loops_.pop_back();
    if (!ok) return false;
    builder_->SetLine(s.pos.line);
    builder_->Emit(Op::kLOOP, 0, 0, 0, next);
  }
  builder_->Bind(end);
  return true;
}

// The last statement of a loop body when it is `if a == b:` with no else (a single ==), which
// For() compiles out of line, decoded on its own; nullptr otherwise.
StmtPtr FunctionCompiler::ColdEqualityTail(const vm::Block& body) {
  StmtPtr last = body.Last();
  if (last == nullptr || last->kind != StmtKind::kIf || !last->orelse.empty()) return nullptr;
  const Expr& test = *last->test;
  if (test.kind != ExprKind::kCompare || test.compare_ops.size() != 1 ||
      test.compare_ops[0] != CompareOp::kEq) {
    return nullptr;
  }
  return last;
}

// def: the decorators (top first), the defaults, the function with its keyword-only defaults and
// closure, then each decorator applied, the last first; the result is bound to the name.
bool FunctionCompiler::FunctionDef(const Stmt& s) {
  for (const auto& d : s.decorators) {
    if (!Expression(*d)) return false;
  }
  for (const auto& d : s.defaults) {
    if (!Expression(*d)) return false;
  }
  CodeObj* fn_code = nullptr;
  uint16_t index;
  if (!NestedCode(&FunctionCompiler::CompileFunction, s, s.pos, &fn_code, &index)) return false;
  builder_->SetLine(s.pos.line);
  std::vector<const Expr*> kw_defaults;
  for (const auto& d : s.kw_defaults) kw_defaults.push_back(d.get());
  builder_->Emit(Op::kMAKE_FUNCTION, index, static_cast<uint16_t>(s.defaults.size()));
  if (!KwDefaults(s.kwonly_params, kw_defaults, s.pos)) return false;
  if (!MakeClosure(fn_code, s.pos)) return false;
  for (auto d = s.decorators.rbegin(); d != s.decorators.rend(); ++d) {
    builder_->SetLine((*d)->pos.line);
    builder_->Emit(Op::kCALL, 1);
  }
  return StoreName(s.name, s.pos);
}

// class C(bases): MAKE_FUNCTION of the body, the bases, then BUILD_CLASS, which runs the body and
// makes the class of the namespace it returns.
bool FunctionCompiler::ClassDef(const Stmt& s) {
  if (is_function_) return Fail(s.pos, "class definitions are not supported");
  if (s.targets.size() > kMaxOperand) return Fail(s.pos, "too many base classes");
  CodeObj* body_code = nullptr;
  uint16_t index, name;
  if (!NestedCode(&FunctionCompiler::CompileClassBody, s, s.pos, &body_code, &index)) return false;
  builder_->SetLine(s.pos.line);
  builder_->Emit(Op::kMAKE_FUNCTION, index, 0);
  for (const auto& base : s.targets) {
    if (!Expression(*base)) return false;
  }
  if (!StrConst(s.name, s.pos, &name)) return false;
  builder_->SetLine(s.pos.line);
  builder_->Emit(Op::kBUILD_CLASS, name, static_cast<uint16_t>(s.targets.size()));
  return StoreName(s.name, s.pos);
}

// After MAKE_FUNCTION: the keyword-only parameters' defaults (SET_KWDEFAULTS), if any.
bool FunctionCompiler::KwDefaults(const std::vector<std::string>& names,
                                  const std::vector<const Expr*>& values, SourcePos pos) {
  std::vector<Value> with_default;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] == nullptr) continue;
    if (!Expression(*values[i])) {
      for (Value v : with_default) Decref(v);
      return false;
    }
    with_default.push_back(MakeStr(names[i]));
  }
  if (with_default.empty()) return true;
  uint16_t n = static_cast<uint16_t>(with_default.size()), tuple;
  if (!Const(MakeTuple(std::move(with_default)), pos, &tuple)) return false;
  builder_->Emit(Op::kSET_KWDEFAULTS, n, tuple);
  return true;
}

// After MAKE_FUNCTION: the cells of the new function's free variables, from this scope's own
// cells or its free variables (SET_CLOSURE), if it has any.
bool FunctionCompiler::MakeClosure(CodeObj* child, SourcePos pos) {
  if (child->nfree == 0) return true;
  for (int i = child->nlocals() - child->nfree; i < child->nlocals(); ++i) {
    int slot = DerefSlot(child->local_names[i]);
    if (slot < 0) return Fail(pos, "internal compiler error: no cell for a free variable");
    builder_->Emit(Op::kLOAD_CLOSURE, static_cast<uint16_t>(slot));
  }
  builder_->Emit(Op::kSET_CLOSURE, static_cast<uint16_t>(child->nfree));
  return true;
}

// lambda: the defaults, then the function, as a def makes it.
bool FunctionCompiler::Lambda(const Expr& e) {
  LambdaParams p = LambdaParamsOf(e);
  for (const Expr* d : p.defaults) {
    if (!Expression(*d)) return false;
  }
  CodeObj* fn_code = nullptr;
  uint16_t index;
  if (!NestedCode(&FunctionCompiler::CompileLambda, e, e.pos, &fn_code, &index)) return false;
  builder_->SetLine(e.pos.line);
  builder_->Emit(Op::kMAKE_FUNCTION, index, static_cast<uint16_t>(p.defaults.size()));
  return KwDefaults(p.kwonly, p.kw_defaults, e.pos) && MakeClosure(fn_code, e.pos);
}

// A comprehension or generator expression: its function, called at once with an iterator over
// the first clause's iterable, which is evaluated here, in the enclosing scope.
bool FunctionCompiler::Comprehension(const Expr& e) {
  CodeObj* fn_code = nullptr;
  uint16_t index;
  if (!NestedCode(&FunctionCompiler::CompileComprehension, e, e.pos, &fn_code, &index))
    return false;
  builder_->SetLine(e.pos.line);
  builder_->Emit(Op::kMAKE_FUNCTION, index, 0);
  if (!MakeClosure(fn_code, e.pos)) return false;
  if (!Expression(*e.operand->right)) return false;
  builder_->SetLine(e.pos.line);
  builder_->Emit(Op::kGET_ITER);
  builder_->Emit(Op::kCALL, 1);
  return true;
}

// yield from: [iter None] SEND until the iterator is done, each item yielded out and what is sent
// back in sent on; its return value is the expression's value.
bool FunctionCompiler::YieldFrom(const Expr& e) {
  if (!Expression(*e.operand)) return false;
  builder_->SetLine(e.pos.line);
  builder_->Emit(Op::kGET_YIELD_FROM_ITER);
  if (!LoadConst(Value::None(), e.pos)) return false;
  int send = builder_->NewLabel();
  int done = builder_->NewLabel();
  builder_->Bind(send);
  builder_->Emit(Op::kSEND, 0, 0, 0, done);
  builder_->Emit(Op::kYIELD_VALUE);
  builder_->Emit(Op::kLOOP, 0, 0, 0, send);
  builder_->Bind(done);
  return true;
}

// A call with `*iterable` or `**mapping` arguments: the positional arguments gathered into a
// list, the keyword ones into a dict, then CALL_EX.
bool FunctionCompiler::CallEx(const Expr& e) {
  if (!Expression(*e.left)) return false;
  size_t leading = 0;
  while (leading < e.items.size() && e.items[leading]->kind != ExprKind::kStarred) {
    if (!Expression(*e.items[leading])) return false;
    ++leading;
  }
  builder_->Emit(Op::kBUILD_LIST, static_cast<uint16_t>(leading));
  for (size_t i = leading; i < e.items.size(); ++i) {
    const Expr& arg = *e.items[i];
    if (arg.kind == ExprKind::kStarred) {
      if (!Expression(*arg.operand)) return false;
      builder_->SetLine(e.pos.line);
      builder_->Emit(Op::kLIST_EXTEND);
    } else {
      if (!Expression(arg)) return false;
      builder_->Emit(Op::kLIST_APPEND, 1);
    }
  }
  if (!e.keywords.empty()) {
    size_t i = 0;
    bool first = true;
    while (i < e.keywords.size()) {
      if (e.keywords[i].name.empty()) {
        if (first) builder_->Emit(Op::kBUILD_MAP, 0);
        if (!Expression(*e.keywords[i].value)) return false;
        builder_->SetLine(e.pos.line);
        builder_->Emit(Op::kDICT_MERGE);
        ++i;
      } else {
        size_t n = 0;
        for (; i < e.keywords.size() && !e.keywords[i].name.empty(); ++i, ++n) {
          if (!LoadConst(MakeStr(e.keywords[i].name), e.keywords[i].pos) ||
              !Expression(*e.keywords[i].value))
            return false;
        }
        builder_->Emit(Op::kBUILD_MAP, static_cast<uint16_t>(n));
        if (!first) {
          builder_->SetLine(e.pos.line);
          builder_->Emit(Op::kDICT_MERGE);
        }
      }
      first = false;
    }
  }
  builder_->SetLine(e.pos.line);
  builder_->Emit(Op::kCALL_EX, e.keywords.empty() ? 0 : 1);
  return true;
}

// Whether `module` would be a file CPython imports from the program's folder (a module or a
// package beside the program): gilvm runs one file, so that import is refused at compile time
// rather than failing with ModuleNotFoundError halfway through the run.
static bool IsModuleFileBeside(const std::string& program, const std::string& module) {
  std::string top = module.substr(0, module.find('.'));
  std::filesystem::path folder = std::filesystem::path(program).parent_path();
  if (folder.empty()) folder = ".";
  std::error_code ignored;
  return std::filesystem::exists(folder / (top + ".py"), ignored) ||
         std::filesystem::exists(folder / top / "__init__.py", ignored);
}

bool FunctionCompiler::Import(const Stmt& s) {
  if (!IsBuiltinModule(s.module) && IsModuleFileBeside(code_->filename, s.module)) {
    return Fail(s.pos, "import of the program's own modules is not supported ('" +
                           s.module.substr(0, s.module.find('.')) + ".py')");
  }
  uint16_t module;
  if (!StrConst(s.module, s.pos, &module)) return false;
  // `import a.b` binds the top-level package `a` (its attribute b is the submodule), as CPython.
  if (s.kind == StmtKind::kImport && s.alias.empty() && s.module.find('.') != std::string::npos) {
    const std::string top = s.module.substr(0, s.module.find('.'));
    uint16_t package;
    if (!StrConst(top, s.pos, &package)) return false;
    builder_->Emit(Op::kIMPORT_NAME, module);
    builder_->Emit(Op::kPOP_TOP);
    builder_->Emit(Op::kIMPORT_NAME, package);
    return StoreName(top, s.pos);
  }
  builder_->Emit(Op::kIMPORT_NAME, module);
  if (s.kind == StmtKind::kImport) return StoreName(s.alias.empty() ? s.module : s.alias, s.pos);
  for (size_t i = 0; i < s.names.size(); ++i) {
    uint16_t name;
    if (!StrConst(s.names[i], s.pos, &name)) return false;
    builder_->Emit(Op::kIMPORT_FROM, name);
    if (!StoreName(s.aliases[i].empty() ? s.names[i] : s.aliases[i], s.pos)) return false;
  }
  builder_->Emit(Op::kPOP_TOP);
  return true;
}

// --- Exceptions: try and with -------------------------------------------------------------------

// Nothing is set up at run time: the code a handler covers is recorded in the exception table
// (CodeBuilder::SetHandler, from the innermost FBlock that names a handler), so the path that
// raises nothing runs the same instructions as without the try, and falls through it: the handlers
// are cold code (Defer), placed after the function's last instruction. A try with except clauses:
//   body                    covered by H (depth d)
//   else clause; end: ...   the code after the try
//   (cold) H: PUSH_EXC_INFO [prev exc]; the rest covered by C (depth d + 1) but POP_EXCEPT's
//   for each clause: type; CHECK_EXC_MATCH; POP_JUMP_IF_FALSE next
//       STORE name (or POP_TOP); body; POP_EXCEPT; unbind name; LOOP end; next:
//   RERAISE                 none matched
//   C: POP_EXCEPT_AND_RERAISE
// A finally body is compiled twice: inline after the body (and wherever a return, break or
// continue leaves the try), and as the cold handler F of the body, which runs it between
// PUSH_EXC_INFO and RERAISE, covered by a cleanup as above.

bool FunctionCompiler::Try(const Stmt& s) {
  auto handlers = std::make_shared<std::vector<StmtPtr>>();
  StmtPtr orelse, finally;
  vm::Block::Reader reader(s.orelse);
  while (StmtPtr clause = reader.Next()) {
    if (clause->kind == StmtKind::kExceptHandler) {
      handlers->push_back(std::move(clause));
    } else if (clause->kind == StmtKind::kTryElse) {
      orelse = std::move(clause);
    } else {
      finally = std::move(clause);
    }
  }
  if (finally == nullptr) return TryExcept(s.body, handlers, orelse.get());
  const int d = StackDepth();
  const int handler = builder_->NewLabel();
  PushFBlock(FBlock{FBlockKind::kTryFinally, handler, d, 0, "", finally->body});
  bool ok = handlers->empty() ? Block(s.body) : TryExcept(s.body, handlers, orelse.get());
  PopFBlock();
  if (!ok || !Block(finally->body)) return false;
  // The exception's path: [prev exc] while the finally body runs, then the exception again.
  Defer([this, handler, d, body = finally->body, line = finally->pos.line] {
    const int cleanup = builder_->NewLabel();
    builder_->Bind(handler);
    builder_->SetLine(line);
    builder_->Emit(Op::kPUSH_EXC_INFO);
    PushFBlock(FBlock{FBlockKind::kFinallyEnd, cleanup, d + 1, 2, "", {}});
    bool ok = Block(body);
    builder_->SetLine(line);
    builder_->Emit(Op::kRERAISE);
    PopFBlock();
    builder_->Bind(cleanup);
    builder_->Emit(Op::kPOP_EXCEPT_AND_RERAISE);
    return ok;
  });
  return true;
}

bool FunctionCompiler::TryExcept(const vm::Block& body, const Handlers& handlers,
                                 const Stmt* orelse) {
  const int d = StackDepth();
  const int handler = builder_->NewLabel();
  const int end = builder_->NewLabel();
  PushFBlock(FBlock{FBlockKind::kTryExcept, handler, d, 0, "", {}});
  bool ok = Block(body);
  PopFBlock();
  if (!ok || (orelse != nullptr && !Block(orelse->body))) return false;
  builder_->Bind(end);
  Defer([this, handler, end, d, handlers] {
    const int cleanup = builder_->NewLabel();
    builder_->Bind(handler);
    builder_->SetLine(handlers->front()->pos.line);
    builder_->Emit(Op::kPUSH_EXC_INFO);
    PushFBlock(FBlock{FBlockKind::kHandlerMatch, cleanup, d + 1, 2, "", {}});
    for (const StmtPtr& h : *handlers) {
      if (!ExceptClause(*h, d, end, cleanup)) return false;
    }
    builder_->Emit(Op::kRERAISE);
    PopFBlock();
    builder_->Bind(cleanup);
    builder_->Emit(Op::kPOP_EXCEPT_AND_RERAISE);
    return true;
  });
  return true;
}

// One except clause, entered with [prev exc] on the stack (d below them) and the match block
// open; leaves it open again for the next clause.
bool FunctionCompiler::ExceptClause(const Stmt& h, int d, int end, int cleanup) {
  builder_->SetLine(h.pos.line);
  const int next = builder_->NewLabel();
  if (h.value) {
    if (!Expression(*h.value)) return false;
    builder_->SetLine(h.pos.line);
    builder_->Emit(Op::kCHECK_EXC_MATCH);
    builder_->Emit(Op::kPOP_JUMP_IF_FALSE, 0, 0, 0, next);
  }
  if (!h.name.empty()) {
    if (!StoreName(h.name, h.pos)) return false;
  } else {
    builder_->Emit(Op::kPOP_TOP);
  }
  // The body: [prev]. With a name, an exception in it unbinds the name first (name_cleanup).
  const int name_cleanup = h.name.empty() ? cleanup : builder_->NewLabel();
  PopFBlock();
  PushFBlock(FBlock{FBlockKind::kHandler, name_cleanup, d + 1, 1, h.name, {}});
  bool ok = Block(h.body);
  PopFBlock();
  if (!ok) return false;
  builder_->Emit(Op::kPOP_EXCEPT);
  if (!h.name.empty() && !UnbindName(h.name, h.pos)) return false;
  JumpTo(end);
  PushFBlock(FBlock{FBlockKind::kHandlerMatch, cleanup, d + 1, 2, "", {}});
  if (!h.name.empty()) {
    builder_->Bind(name_cleanup);
    if (!UnbindName(h.name, h.pos)) return false;
    builder_->Emit(Op::kRERAISE);
  }
  builder_->Bind(next);
  return true;
}

// `name = None; del name`, as CPython ends an except clause with `as name`.
bool FunctionCompiler::UnbindName(const std::string& name, SourcePos pos) {
  if (!LoadConst(Value::None(), pos) || !StoreName(name, pos)) return false;
  Expr target(ExprKind::kName, pos);
  target.str_value = name;
  return DeleteTarget(target);
}

// with cm [as target]: body   (several items are nested withs: the parser writes them so)
//   cm; WITH_ENTER          [exit result]
//   STORE target (or POP_TOP); body      covered by W (depth d + 1)
//   LOAD_CONST None x3; CALL 3; POP_TOP; end: ...
//   (cold) W: PUSH_EXC_INFO [exit prev exc]; covered by C (depth d + 2)
//   WITH_EXCEPT_START; POP_JUMP_IF_TRUE suppress; RERAISE
//   C: POP_EXCEPT_AND_RERAISE
//   suppress: POP_TOP; POP_EXCEPT; POP_TOP; LOOP end
bool FunctionCompiler::With(const Stmt& s) {
  if (!Expression(*s.value)) return false;
  builder_->SetLine(s.pos.line);
  builder_->Emit(Op::kWITH_ENTER);
  const int d = StackDepth();
  const int handler = builder_->NewLabel();
  const int end = builder_->NewLabel();
  PushFBlock(FBlock{FBlockKind::kWith, handler, d + 1, 1, "", {}});
  bool ok = true;
  if (s.targets.empty()) {
    builder_->Emit(Op::kPOP_TOP);
  } else {
    ok = StoreTarget(*s.targets[0]);
  }
  ok = ok && Block(s.body);
  PopFBlock();
  if (!ok) return false;
  builder_->SetLine(s.pos.line);
  for (int i = 0; i < 3; ++i) LoadConst(Value::None(), s.pos);
  builder_->Emit(Op::kCALL, 3);
  builder_->Emit(Op::kPOP_TOP);
  builder_->Bind(end);
  Defer([this, handler, end, d, line = s.pos.line] {
    const int cleanup = builder_->NewLabel();
    const int suppress = builder_->NewLabel();
    builder_->Bind(handler);
    builder_->SetLine(line);
    builder_->Emit(Op::kPUSH_EXC_INFO);
    PushFBlock(FBlock{FBlockKind::kHandlerMatch, cleanup, d + 2, 3, "", {}});
    builder_->Emit(Op::kWITH_EXCEPT_START);
    builder_->Emit(Op::kPOP_JUMP_IF_TRUE, 0, 0, 0, suppress);
    builder_->Emit(Op::kRERAISE);
    PopFBlock();
    builder_->Bind(cleanup);
    builder_->Emit(Op::kPOP_EXCEPT_AND_RERAISE);
    builder_->Bind(suppress);
    builder_->Emit(Op::kPOP_TOP);
    builder_->Emit(Op::kPOP_EXCEPT);
    builder_->Emit(Op::kPOP_TOP);
    JumpTo(end);
    return true;
  });
  return true;
}

bool FunctionCompiler::EmitColdCode() {
  for (size_t i = 0; i < cold_.size(); ++i) {
    ColdCode cold = std::move(cold_[i]);  // an emit may defer more (a try in a handler)
    fblocks_ = std::move(cold.fblocks);
    loops_ = std::move(cold.loops);
    extra_depth_ = cold.extra_depth;
    UpdateHandler();
    if (!cold.emit()) return false;
  }
  cold_.clear();
  fblocks_.clear();
  loops_.clear();
  extra_depth_ = 0;
  UpdateHandler();
  return true;
}

bool FunctionCompiler::Return(const Stmt& s) {
  if (!is_function_) return Fail(s.pos, "'return' outside function");
  if (s.value ? !Expression(*s.value) : !LoadConst(Value::None(), s.pos)) return false;
  std::vector<FBlock> saved;
  if (!UnwindFBlocksTo(0, true, &saved)) return false;
  builder_->SetLine(s.pos.line);
  builder_->Emit(Op::kRETURN_VALUE);
  RestoreFBlocks(&saved);
  return true;
}

// Leaves the blocks above `level`, innermost first, for a return (preserve_tos: its value on
// top) or a break or continue, moving them to *saved; the caller emits its jump or return and
// then reopens them (RestoreFBlocks) for the code that follows.
bool FunctionCompiler::UnwindFBlocksTo(size_t level, bool preserve_tos,
                                       std::vector<FBlock>* saved) {
  if (fblocks_.size() <= level) return true;
  saved->assign(fblocks_.begin() + static_cast<ptrdiff_t>(level), fblocks_.end());
  bool ok = true;
  while (ok && fblocks_.size() > level) {
    FBlock b = std::move(fblocks_.back());
    PopFBlock();
    ok = UnwindFBlock(b, preserve_tos);
  }
  return ok;
}

void FunctionCompiler::RestoreFBlocks(std::vector<FBlock>* saved) {
  if (saved->empty()) return;
  for (FBlock& b : *saved) fblocks_.push_back(std::move(b));
  saved->clear();
  UpdateHandler();
}

// What leaving block `b` early does, once it is no longer open (its handler no longer covers
// this code).
bool FunctionCompiler::UnwindFBlock(const FBlock& b, bool preserve_tos) {
  switch (b.kind) {
    case FBlockKind::kTryExcept:
    case FBlockKind::kHandlerMatch:
      return true;
    case FBlockKind::kTryFinally: {
      extra_depth_ += preserve_tos ? 1 : 0;
      bool ok = Block(b.finally);
      extra_depth_ -= preserve_tos ? 1 : 0;
      return ok;
    }
    case FBlockKind::kHandler:  // [prev]
      if (preserve_tos) builder_->Emit(Op::kROT_TWO);
      builder_->Emit(Op::kPOP_EXCEPT);
      return b.name.empty() || UnbindName(b.name, SourcePos{});
    case FBlockKind::kFinallyEnd:  // [prev exc]: the exception is dropped
      if (preserve_tos) builder_->Emit(Op::kROT_TWO);
      builder_->Emit(Op::kPOP_TOP);
      if (preserve_tos) builder_->Emit(Op::kROT_TWO);
      builder_->Emit(Op::kPOP_EXCEPT);
      return true;
    case FBlockKind::kWith:  // [exit]: exit(None, None, None)
      if (preserve_tos) builder_->Emit(Op::kROT_TWO);
      for (int i = 0; i < 3; ++i) LoadConst(Value::None(), SourcePos{});
      builder_->Emit(Op::kCALL, 3);
      builder_->Emit(Op::kPOP_TOP);
      return true;
  }
  return true;
}

bool FunctionCompiler::Assert(const Stmt& s) {
  int ok = builder_->NewLabel();
  if (!Expression(*s.test)) return false;
  builder_->Emit(Op::kPOP_JUMP_IF_TRUE, 0, 0, 0, ok);
  if (s.msg && !Expression(*s.msg)) return false;
  builder_->Emit(Op::kRAISE_ASSERTION, s.msg ? 1 : 0);
  builder_->Bind(ok);
  return true;
}

bool FunctionCompiler::Expression(const Expr& e) {
  if (e.pos.line > 0) builder_->SetLine(e.pos.line);
  switch (e.kind) {
    case ExprKind::kInt:
      return LoadConst(Value::Int(e.int_value), e.pos);
    case ExprKind::kFloat:
      return LoadConst(Value::Float(e.float_value), e.pos);
    case ExprKind::kStr:
      return LoadConst(MakeStr(e.str_value), e.pos);
    case ExprKind::kBytes:
      return LoadConst(MakeBytes(e.str_value), e.pos);
    case ExprKind::kTrue:
    case ExprKind::kFalse:
      return LoadConst(Value::Bool(e.kind == ExprKind::kTrue), e.pos);
    case ExprKind::kNone:
      return LoadConst(Value::None(), e.pos);
    case ExprKind::kName:
      return LoadName(e.str_value, e.pos);
    case ExprKind::kUnary: {
      if (!Expression(*e.operand)) return false;
      static constexpr Op kUnary[] = {Op::kUNARY_NEG, Op::kUNARY_POS, Op::kUNARY_NOT,
                                      Op::kUNARY_INVERT};
      builder_->Emit(kUnary[static_cast<int>(e.unary_op)]);
      return true;
    }
    case ExprKind::kBinary:
      if (!Expression(*e.left) || !Expression(*e.right)) return false;
      builder_->SetLine(e.pos.line);
      builder_->Emit(BinaryOpcode(e.binary_op), static_cast<uint16_t>(e.binary_op));
      return true;
    case ExprKind::kCompare:
      return Compare(e);
    case ExprKind::kBoolOp:
      return BoolOp(e);
    case ExprKind::kIfExp:
      return IfExp(e);
    case ExprKind::kCall:
      return Call(e);
    case ExprKind::kAttribute: {
      uint16_t name;
      if (!Expression(*e.left) || !StrConst(e.str_value, e.pos, &name)) return false;
      builder_->Emit(Op::kLOAD_ATTR, name);
      return true;
    }
    case ExprKind::kSubscript:
      if (!Expression(*e.left) || !Expression(*e.right)) return false;
      builder_->SetLine(e.pos.line);
      builder_->Emit(Op::kBINARY_SUBSCR);
      return true;
    case ExprKind::kSlice:
      if (!Expression(*e.left)) return false;
      if (e.operand) {  // with a step: a slice object as the index
        if (!SliceObject(e)) return false;
        builder_->SetLine(e.pos.line);
        builder_->Emit(Op::kBINARY_SUBSCR);
        return true;
      }
      if (e.slice_lower ? !Expression(*e.slice_lower) : !LoadConst(Value::None(), e.pos))
        return false;
      if (e.slice_upper ? !Expression(*e.slice_upper) : !LoadConst(Value::None(), e.pos))
        return false;
      builder_->Emit(Op::kSLICE);
      return true;
    case ExprKind::kList:
      return Sequence(e.items, Op::kBUILD_LIST);
    case ExprKind::kTuple:
      return Sequence(e.items, Op::kBUILD_TUPLE);
    case ExprKind::kDict:
      return DictDisplay(e);
    case ExprKind::kSet:
      return SetDisplay(e);
    case ExprKind::kFString:
      return FString(e);
    case ExprKind::kLambda:
      return Lambda(e);
    case ExprKind::kListComp:
    case ExprKind::kSetComp:
    case ExprKind::kDictComp:
    case ExprKind::kGenExp:
      return Comprehension(e);
    case ExprKind::kYield:
      if (!is_function_) return Fail(e.pos, "'yield' outside function");
      if (e.operand ? !Expression(*e.operand) : !LoadConst(Value::None(), e.pos)) return false;
      builder_->SetLine(e.pos.line);
      builder_->Emit(Op::kYIELD_VALUE);
      return true;
    case ExprKind::kYieldFrom:
      if (!is_function_) return Fail(e.pos, "'yield' outside function");
      return YieldFrom(e);
    case ExprKind::kFormatted:
    case ExprKind::kCompFor:
    case ExprKind::kStarred:
      return Fail(e.pos, "invalid syntax");
  }
  return Fail(e.pos, "invalid syntax");
}

// {k: v, ...}: keys and values in source order (items holds them alternately), then BUILD_MAP.
bool FunctionCompiler::DictDisplay(const Expr& e) {
  const size_t pairs = e.items.size() / 2;
  if (pairs > kMaxOperand) return Fail(e.pos, "too many items in a display");
  for (const auto& item : e.items) {
    if (!Expression(*item)) return false;
  }
  builder_->SetLine(e.pos.line);
  builder_->Emit(Op::kBUILD_MAP, static_cast<uint16_t>(pairs));
  return true;
}

// {a, b, ...}: the items in source order, then BUILD_SET, or BUILD_CONST_SET where CPython folds
// the display into a frozenset constant (three or more items, every one a constant after its
// optimizer's folding), since that is made differently (see opcodes.def).
bool FunctionCompiler::SetDisplay(const Expr& e) {
  if (e.items.size() > kMaxOperand) return Fail(e.pos, "too many items in a display");
  bool folded = e.items.size() > 2;
  for (const auto& item : e.items) {
    folded = folded && IsFoldedConstant(*item);
    if (!Expression(*item)) return false;
  }
  builder_->SetLine(e.pos.line);
  builder_->Emit(folded ? Op::kBUILD_CONST_SET : Op::kBUILD_SET,
                 static_cast<uint16_t>(e.items.size()));
  return true;
}

bool FunctionCompiler::Sequence(const std::vector<ExprPtr>& items, Op build) {
  if (items.size() > kMaxOperand) return Fail(items[0]->pos, "too many items in a display");
  for (const auto& item : items) {
    if (!Expression(*item)) return false;
  }
  builder_->Emit(build, static_cast<uint16_t>(items.size()));
  return true;
}

// a < b < c: each middle operand is kept (DUP/ROT) for the next comparison; a false link
// short-circuits to `cleanup`, which drops the kept operand.
bool FunctionCompiler::Compare(const Expr& e) {
  if (!Expression(*e.left)) return false;
  size_t n = e.compare_ops.size();
  int cleanup = builder_->NewLabel();
  int end = builder_->NewLabel();
  for (size_t i = 0; i < n; ++i) {
    if (!Expression(*e.items[i])) return false;
    builder_->SetLine(e.pos.line);
    uint16_t op = static_cast<uint16_t>(e.compare_ops[i]);
    if (i + 1 < n) {
      builder_->Emit(Op::kDUP_TOP);
      builder_->Emit(Op::kROT_THREE);
      builder_->Emit(Op::kCOMPARE, op);
      builder_->Emit(Op::kJUMP_IF_FALSE_OR_POP, 0, 0, 0, cleanup);
    } else {
      builder_->Emit(Op::kCOMPARE, op);
    }
  }
  if (n > 1) {
    builder_->Emit(Op::kJUMP, 0, 0, 0, end);
    builder_->Bind(cleanup);
    builder_->Emit(Op::kROT_TWO);
    builder_->Emit(Op::kPOP_TOP);
    builder_->Bind(end);
  }
  return true;
}

bool FunctionCompiler::BoolOp(const Expr& e) {
  int end = builder_->NewLabel();
  Op jump = e.bool_op == BoolOpKind::kAnd ? Op::kJUMP_IF_FALSE_OR_POP : Op::kJUMP_IF_TRUE_OR_POP;
  for (size_t i = 0; i < e.items.size(); ++i) {
    if (!Expression(*e.items[i])) return false;
    if (i + 1 < e.items.size()) builder_->Emit(jump, 0, 0, 0, end);
  }
  builder_->Bind(end);
  return true;
}

bool FunctionCompiler::IfExp(const Expr& e) {
  int orelse = builder_->NewLabel();
  int end = builder_->NewLabel();
  if (!Expression(*e.operand)) return false;
  builder_->Emit(Op::kPOP_JUMP_IF_FALSE, 0, 0, 0, orelse);
  if (!Expression(*e.left)) return false;
  builder_->Emit(Op::kJUMP, 0, 0, 0, end);
  builder_->Bind(orelse);
  if (!Expression(*e.right)) return false;
  builder_->Bind(end);
  return true;
}

// `super()`: a call of the name super with no arguments at all.
static bool IsZeroArgSuperCall(const Expr& e) {
  return e.kind == ExprKind::kCall && e.left->kind == ExprKind::kName &&
         e.left->str_value == "super" && e.items.empty() && e.keywords.empty();
}

bool FunctionCompiler::Call(const Expr& e) {
  for (const auto& arg : e.items) {
    if (arg->kind == ExprKind::kStarred) return CallEx(e);
  }
  for (const auto& kw : e.keywords) {
    if (kw.name.empty()) return CallEx(e);
  }
  size_t nargs = e.items.size() + e.keywords.size();
  if (nargs > 255) return Fail(e.pos, "too many arguments");
  bool method = e.left->kind == ExprKind::kAttribute && e.keywords.empty();
  if (method) {
    uint16_t name;
    const Expr& object = *e.left->left;
    // super().f(...): the name `super` is loaded as the call would load it; LOAD_SUPER_METHOD
    // does the call and the method lookup in one, without a super object in the common case.
    const bool super_method = IsZeroArgSuperCall(object);
    if (!Expression(super_method ? *object.left : object) ||
        !StrConst(e.left->str_value, e.left->pos, &name)) {
      return false;
    }
    if (super_method) builder_->SetLine(object.pos.line);
    builder_->Emit(super_method ? Op::kLOAD_SUPER_METHOD : Op::kLOAD_METHOD, name);
  } else if (!Expression(*e.left)) {
    return false;
  }
  for (const auto& arg : e.items) {
    if (!Expression(*arg)) return false;
  }
  std::vector<Value> names;
  std::set<std::string> seen;
  for (const auto& kw : e.keywords) {
    if (!seen.insert(kw.name).second) {
      for (Value v : names) Decref(v);
      return Fail(kw.pos, "keyword argument repeated: " + kw.name);
    }
    names.push_back(MakeStr(kw.name));
    if (!Expression(*kw.value)) {
      for (Value v : names) Decref(v);
      return false;
    }
  }
  builder_->SetLine(e.pos.line);
  if (method) {
    builder_->Emit(Op::kCALL_METHOD, static_cast<uint16_t>(nargs));
  } else if (e.keywords.empty()) {
    builder_->Emit(Op::kCALL, static_cast<uint16_t>(nargs));
  } else {
    uint16_t kwnames;
    if (!Const(MakeTuple(std::move(names)), e.pos, &kwnames)) return false;
    builder_->Emit(Op::kCALL_KW, static_cast<uint16_t>(nargs), kwnames);
  }
  return true;
}

bool FunctionCompiler::FString(const Expr& e) {
  if (e.items.size() > kMaxOperand) return Fail(e.pos, "f-string too long");
  for (const auto& part : e.items) {
    if (part->kind == ExprKind::kFormatted) {
      uint16_t spec;
      if (!Expression(*part->operand) || !StrConst(part->str_value, part->pos, &spec)) return false;
      // int_value: the conversion character, 0 for none (the parser's kFormatted).
      builder_->Emit(Op::kFORMAT_VALUE, spec, static_cast<uint16_t>(part->int_value));
    } else if (!Expression(*part)) {
      return false;
    }
  }
  builder_->Emit(Op::kBUILD_STRING, static_cast<uint16_t>(e.items.size()));
  return true;
}

// The fast slot of `name`; -1 for a name that is not a local or that lives in a cell.
int FunctionCompiler::LocalSlot(const std::string& name) const {
  auto it = local_slots_.find(name);
  if (it == local_slots_.end() || deref_names_.count(name)) return -1;
  return it->second;
}

// The slot holding `name`'s cell; -1 for a name that is not in a cell.
int FunctionCompiler::DerefSlot(const std::string& name) const {
  if (!deref_names_.count(name)) return -1;
  return local_slots_.at(name);
}

// Gives `name` the next local slot, unless it has one.
void FunctionCompiler::AddLocal(const std::string& name) {
  if (local_slots_.emplace(name, static_cast<int>(code_->local_names.size())).second) {
    code_->local_names.push_back(name);
  }
}

bool FunctionCompiler::GlobalSlot(const std::string& name, SourcePos pos, uint16_t* slot) {
  return globals_->Slot(name, slot) || Fail(pos, "too many global names");
}

bool FunctionCompiler::LoadName(const std::string& name, SourcePos pos) {
  if (int cell = DerefSlot(name); cell >= 0) {
    builder_->Emit(Op::kLOAD_DEREF, static_cast<uint16_t>(cell));
    return true;
  }
  int slot = LocalSlot(name);
  if (slot >= 0) {
    builder_->Emit(Op::kLOAD_LOCAL, static_cast<uint16_t>(slot));
    return true;
  }
  uint16_t g;
  if (!GlobalSlot(name, pos, &g)) return false;
  builder_->Emit(Op::kLOAD_GLOBAL, g);
  return true;
}

bool FunctionCompiler::StoreName(const std::string& name, SourcePos pos) {
  if (int cell = DerefSlot(name); cell >= 0) {
    builder_->Emit(Op::kSTORE_DEREF, static_cast<uint16_t>(cell));
    return true;
  }
  int slot = LocalSlot(name);
  if (slot >= 0) {
    builder_->Emit(Op::kSTORE_LOCAL, static_cast<uint16_t>(slot));
    return true;
  }
  uint16_t g;
  if (!GlobalSlot(name, pos, &g)) return false;
  builder_->Emit(Op::kSTORE_GLOBAL, g);
  return true;
}

// Constants are deduplicated by type and exact value (0, 0.0, -0.0 and False stay distinct).
bool FunctionCompiler::Const(Value v, SourcePos pos, uint16_t* index) {
  std::tuple<int, uint64_t, std::string> key{static_cast<int>(v.tag), 0, ""};
  bool dedupe = true;
  if (v.tag == Tag::kFloat) {
    std::memcpy(&std::get<1>(key), &v.f, sizeof v.f);
  } else if (v.tag == Tag::kInt || v.tag == Tag::kBool) {
    std::get<1>(key) = static_cast<uint64_t>(v.i);
  } else if (IsType(v, ObjType::kStr) || IsType(v, ObjType::kBytes)) {
    std::get<1>(key) = static_cast<uint64_t>(v.o->type);
    std::get<2>(key) = AsText(v)->s;
  } else if (v.tag == Tag::kObj) {
    dedupe = false;
  }
  if (dedupe) {
    auto it = const_index_.find(key);
    if (it != const_index_.end()) {
      Decref(v);
      *index = it->second;
      return true;
    }
  }
  if (code_->constants.size() >= kMaxOperand) {
    Decref(v);
    return Fail(pos, "too many constants");
  }
  *index = static_cast<uint16_t>(code_->constants.size());
  code_->constants.push_back(v);
  if (dedupe) const_index_[key] = *index;
  return true;
}

bool FunctionCompiler::LoadConst(Value v, SourcePos pos) {
  uint16_t index;
  if (!Const(v, pos, &index)) return false;
  builder_->Emit(Op::kLOAD_CONST, index);
  return true;
}

bool FunctionCompiler::StrConst(const std::string& s, SourcePos pos, uint16_t* index) {
  return Const(MakeStr(s), pos, index);
}

}  // namespace

struct ModuleCompiler::Impl {
  Impl(std::string_view filename, std::vector<std::string>* global_names)
      : globals(global_names), compiler(filename, &globals, false) {}
  GlobalTable globals;
  FunctionCompiler compiler;
};

ModuleCompiler::ModuleCompiler(std::string_view filename, std::vector<std::string>* global_names)
    : impl_(std::make_unique<Impl>(filename, global_names)) {}

ModuleCompiler::~ModuleCompiler() = default;

void ModuleCompiler::Add(const Stmt& s) { impl_->compiler.AddStatement(s); }

bool ModuleCompiler::Finish(CodeObj** out, SyntaxErrorInfo* error) {
  return impl_->compiler.FinishModule(out, error);
}

bool Compile(const Module& module, std::string_view filename,
             std::vector<std::string>* global_names, CodeObj** out, SyntaxErrorInfo* error) {
  ModuleCompiler compiler(filename, global_names);
  for (const StmtPtr& s : module.body) compiler.Add(*s);
  return compiler.Finish(out, error);
}

}  // namespace gilbench::vm
