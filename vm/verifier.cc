// The verifier: a linear pass that decodes every instruction and checks its operands, then a
// worklist pass over the control-flow graph that checks and computes stack depths. It keeps a few
// bytes per instruction (where each starts, its stack depth), decoding again when it needs one:
// a module of a million statements verifies in memory of the order of its bytecode's.
#include "vm/verifier.h"

#include <algorithm>
#include <vector>

#include "vm/ast.h"
#include "vm/exception_table.h"
#include "vm/opcodes.h"

namespace gilbench::vm {
namespace {

constexpr int kMaxStackDepth = 1 << 15;

class Verifier {
 public:
  Verifier(CodeObj* code, size_t nglobals, std::string* error)
      : code_(code), nglobals_(nglobals), error_(error) {}

  bool Run() {
    if (code_->nparams > code_->nlocals()) return Fail(0, "more parameters than locals");
    if (!DecodeAll() || !CheckExceptionTable()) return false;
    return ComputeDepths();
  }

 private:
  bool Fail(size_t offset, const std::string& why) {
    *error_ =
        "bad bytecode in " + code_->name + " at offset " + std::to_string(offset) + ": " + why;
    return false;
  }

  bool ConstIs(uint16_t index, ObjType type) const {
    return index < code_->constants.size() && IsType(code_->constants[index], type);
  }

  // The instruction starting at starts_[index] (which DecodeAll has checked decodes).
  Instruction At(size_t index) const {
    Instruction ins;
    DecodeInstruction(code_->bytecode.data(), code_->bytecode.size(), starts_[index], &ins);
    return ins;
  }

  // The index of the instruction that starts at `offset`, or -1 when none does.
  int64_t IndexOf(size_t offset) const {
    auto it = std::lower_bound(starts_.begin(), starts_.end(), offset);
    if (it == starts_.end() || *it != offset) return -1;
    return it - starts_.begin();
  }

  // Decodes every instruction once, checking its operands, and records where each starts.
  bool DecodeAll() {
    const std::vector<uint8_t>& bc = code_->bytecode;
    if (bc.empty()) return Fail(0, "empty code");
    if (bc.size() > UINT32_MAX) return Fail(0, "code too long");  // jump targets are u32
    std::vector<size_t> jumps;  // the instructions with a target, checked once all are known
    for (size_t offset = 0; offset < bc.size();) {
      Instruction ins;
      if (!DecodeInstruction(bc.data(), bc.size(), offset, &ins))
        return Fail(offset, "unknown opcode or truncated operands");
      if (!CheckOperands(offset, ins)) return false;
      if (GetOpInfo(ins.op).has_target) jumps.push_back(starts_.size());
      starts_.push_back(static_cast<uint32_t>(offset));
      offset += ins.size;
    }
    for (size_t i : jumps) {
      Instruction ins = At(i);
      size_t offset = starts_[i];
      if (IndexOf(ins.target) < 0) return Fail(offset, "jump target is not an instruction");
      bool backward = GetOpInfo(ins.op).flags & kBackward;
      if (backward != (ins.target <= offset))
        return Fail(offset, backward ? "LOOP must jump backward" : "jump must go forward");
    }
    return true;
  }

  // The exception table's ranges cover whole instructions and its handlers start at one; the
  // depths are checked with the stack depths (HandlerFlow).
  bool CheckExceptionTable() {
    const auto& table = code_->exception_table;
    if (const char* problem = ExceptionTableProblem(table, code_->bytecode.size())) {
      return Fail(table.empty() ? 0 : table.front().start, problem);
    }
    for (const ExceptionHandler& h : table) {
      if (IndexOf(h.start) < 0 || (h.end != code_->bytecode.size() && IndexOf(h.end) < 0))
        return Fail(h.start, "exception range does not cover whole instructions");
      if (IndexOf(h.target) < 0) return Fail(h.start, "exception handler is not an instruction");
    }
    return true;
  }

  // An instruction covered by a handler may raise with as few items on the stack as it leaves
  // after its pops: at least the handler's depth, which the handler starts at, plus the
  // exception.
  bool HandlerFlow(size_t offset, int depth_after_pops, std::vector<int>* depth_at,
                   std::vector<uint32_t>* work, int* max_depth) {
    const ExceptionHandler* h =
        FindExceptionHandler(code_->exception_table, static_cast<uint32_t>(offset));
    if (h == nullptr) return true;
    if (depth_after_pops < h->depth) return Fail(offset, "stack below its handler's depth");
    auto target = static_cast<uint32_t>(IndexOf(h->target));  // checked by CheckExceptionTable
    return Flow(offset, target, h->depth + 1, depth_at, work, max_depth);
  }

  // Every operand is checked by its kind (opcodes.def): a new opcode gets its checks from its
  // row, and a new kind does not compile until it has a case here.
  bool CheckOperands(size_t offset, const Instruction& ins) {
    const OpInfo& info = GetOpInfo(ins.op);
    if ((info.flags & kGeneratorOnly) && !code_->is_generator) {
      return Fail(offset, std::string(info.name) + " outside a generator");
    }
    for (int i = 0; i < info.operand_count(); ++i) {
      if (const char* problem = OperandProblem(info.operands[i], ins, i)) {
        return Fail(offset,
                    std::string("operand ") + "ABC"[i] + " of " + info.name + ": " + problem);
      }
    }
    if (IsCellAccess(ins.op) && !HoldsCell(ins.a)) {
      return Fail(offset, std::string("operand A of ") + info.name + ": local holds no cell");
    }
    return true;
  }

  // The instructions that read a local's slot as a cell.
  static bool IsCellAccess(Op op) {
    return op == Op::kLOAD_DEREF || op == Op::kSTORE_DEREF || op == Op::kDELETE_DEREF ||
           op == Op::kLOAD_CLOSURE;
  }

  // Whether local `slot` holds a cell while the code runs: one of its cell slots or free
  // variables.
  bool HoldsCell(uint16_t slot) const {
    if (slot < code_->nlocals() && code_->IsFreeSlot(slot)) return true;
    return std::find(code_->cell_slots.begin(), code_->cell_slots.end(), slot) !=
           code_->cell_slots.end();
  }

  // What is wrong with operand `index` of `ins`, whose kind is `kind`; null when nothing is.
  const char* OperandProblem(OperandKind kind, const Instruction& ins, int index) const {
    const uint16_t value = ins.operand(index);
    constexpr uint16_t kCompareOps = static_cast<uint16_t>(CompareOp::kIsNot) + 1;
    constexpr uint16_t kBinaryOps = static_cast<uint16_t>(BinaryOp::kRShift) + 1;
    switch (kind) {
      case OperandKind::kNONE:
        return "no such operand";  // operand_count() stops before the first NONE
      case OperandKind::kLOCAL:
        return value < static_cast<size_t>(code_->nlocals()) ? nullptr : "local index out of range";
      case OperandKind::kCONST:
        return value < code_->constants.size() ? nullptr : "constant index out of range";
      case OperandKind::kNAME:
        return ConstIs(value, ObjType::kStr) ? nullptr : "must name a str constant";
      case OperandKind::kGLOBAL:
        return value < nglobals_ ? nullptr : "global index out of range";
      case OperandKind::kCOMPARE:
        return value < kCompareOps ? nullptr : "unknown comparison";
      case OperandKind::kCOUNT:
        return nullptr;  // every count is valid here; the stack-depth pass bounds what it pops
      case OperandKind::kCODE:
        return ConstIs(value, ObjType::kCode) ? nullptr : "must name a code constant";
      case OperandKind::kDEFAULTS:
        return DefaultsProblem(ins, index);
      case OperandKind::kKW_NAMES:
        return KwNamesProblem(ins, index);
      case OperandKind::kFLAG:
        return value <= 1 ? nullptr : "must be 0 or 1";
      case OperandKind::kBINOP:
        return value < kBinaryOps ? nullptr : "unknown binary operator";
      case OperandKind::kCONVERSION:
        return value == 0 || value == 's' || value == 'r' || value == 'a'
                   ? nullptr
                   : "must be 0, 's', 'r' or 'a'";
    }
    return "unknown operand kind";
  }

  // A number of defaults (operand B; opcodes.h checks that A is its CODE): at most the
  // parameters of the code object named by operand A.
  const char* DefaultsProblem(const Instruction& ins, int index) const {
    if (!ConstIs(ins.a, ObjType::kCode)) return "no code constant to count parameters of";
    const auto* fn = static_cast<CodeObj*>(code_->constants[ins.a].o);
    return ins.operand(index) <= fn->nparams ? nullptr : "more defaults than parameters";
  }

  // Keyword names: a constant tuple of 1..A strs, A the call's argument count.
  const char* KwNamesProblem(const Instruction& ins, int index) const {
    const uint16_t names_index = ins.operand(index);  // B, after a COUNT operand A (opcodes.h)
    if (!ConstIs(names_index, ObjType::kTuple)) return "keyword names must be a tuple";
    const auto& names = AsSeq(code_->constants[names_index])->items;
    if (names.empty() || names.size() > ins.a) return "bad keyword count";
    for (Value v : names) {
      if (!IsType(v, ObjType::kStr)) return "keyword names must be strs";
    }
    return nullptr;
  }

  // Abstract interpretation of stack depth over the control-flow graph, by instruction index.
  bool ComputeDepths() {
    std::vector<int> depth_at(starts_.size(), -1);
    std::vector<uint32_t> work{0};
    depth_at[0] = 0;
    int max_depth = 0;
    while (!work.empty()) {
      uint32_t index = work.back();
      work.pop_back();
      size_t offset = starts_[index];
      Instruction ins = At(index);
      int depth = depth_at[index] - StackPops(ins);
      if (depth < 0) return Fail(offset, "stack underflow");
      const OpInfo& info = GetOpInfo(ins.op);
      const int depth_on_error = (info.flags & kKeepsStackOnError) ? depth_at[index] : depth;
      if (!HandlerFlow(offset, depth_on_error, &depth_at, &work, &max_depth)) return false;
      if (!(info.flags & kTerminator)) {
        if (index + 1 >= starts_.size()) return Fail(offset, "code falls off its end");
        if (!Flow(offset, index + 1, depth + StackPushes(ins), &depth_at, &work, &max_depth))
          return false;
      }
      if (info.has_target) {
        int pushes =
            ins.op == Op::kJUMP || ins.op == Op::kLOOP ? StackPushes(ins) : StackJumpPushes(ins);
        auto target = static_cast<uint32_t>(IndexOf(ins.target));  // checked by DecodeAll
        if (!Flow(offset, target, depth + pushes, &depth_at, &work, &max_depth)) return false;
      }
    }
    code_->max_stack = max_depth + 1;  // one spare slot for the interpreter's scratch pushes
    return true;
  }

  bool Flow(size_t from, uint32_t to, int depth, std::vector<int>* depth_at,
            std::vector<uint32_t>* work, int* max_depth) {
    if (depth > kMaxStackDepth) return Fail(from, "stack too deep");
    if ((*depth_at)[to] < 0) {
      (*depth_at)[to] = depth;
      work->push_back(to);
      if (depth > *max_depth) *max_depth = depth;
      return true;
    }
    return (*depth_at)[to] == depth || Fail(from, "inconsistent stack depth at a jump target");
  }

  CodeObj* code_;
  size_t nglobals_;
  std::string* error_;
  std::vector<uint32_t> starts_;  // the offset of each instruction, in order
};

}  // namespace

bool Verify(CodeObj* code, size_t nglobals, std::string* error) {
  if (!Verifier(code, nglobals, error).Run()) return false;
  for (Value v : code->constants) {
    if (IsType(v, ObjType::kCode) && !Verify(static_cast<CodeObj*>(v.o), nglobals, error))
      return false;
  }
  return true;
}

}  // namespace gilbench::vm
