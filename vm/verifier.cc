// The verifier: a linear pass that decodes every instruction and checks its operands, then a
// worklist pass over the control-flow graph that checks and computes stack depths. It keeps a few
// bytes per instruction (where each starts, its stack depth), decoding again when it needs one:
// a module of a million statements verifies in memory of the order of its bytecode's.
#include "vm/verifier.h"

#include <algorithm>
#include <vector>

#include "vm/ast.h"
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
    if (!DecodeAll()) return false;
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
      if (HasJumpTarget(GetOpInfo(ins.op).shape)) jumps.push_back(starts_.size());
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

  bool CheckOperands(size_t offset, const Instruction& ins) {
    size_t nconst = code_->constants.size();
    size_t nlocals = static_cast<size_t>(code_->nlocals());
    constexpr uint16_t kCompareOps = static_cast<uint16_t>(CompareOp::kIsNot) + 1;
    switch (ins.op) {
      case Op::kLOAD_CONST:
        return ins.a < nconst || Fail(offset, "constant index out of range");
      case Op::kLOAD_LOCAL:
      case Op::kSTORE_LOCAL:
      case Op::kFOR_ITER_LOCAL:
        return ins.a < nlocals || Fail(offset, "local index out of range");
      case Op::kLOAD_LOCAL_LOCAL:
      case Op::kBINARY_ADD_LOCAL_LOCAL:
      case Op::kBINARY_SUB_LOCAL_LOCAL:
      case Op::kBINARY_MUL_LOCAL_LOCAL:
      case Op::kBINARY_MOD_LOCAL_LOCAL:
        return (ins.a < nlocals && ins.b < nlocals) || Fail(offset, "local index out of range");
      case Op::kLOAD_LOCAL_CONST:
      case Op::kINPLACE_ADD_LOCAL_CONST:
      case Op::kINPLACE_SUB_LOCAL_CONST:
        return (ins.a < nlocals && ins.b < nconst) || Fail(offset, "operand out of range");
      case Op::kJUMP_UNLESS_COMPARE_CONST:
        return (ins.a < kCompareOps && ins.b < nconst) || Fail(offset, "operand out of range");
      case Op::kJUMP_UNLESS_LOCAL_COMPARE_CONST:
      case Op::kLOOP_IF_LOCAL_COMPARE_CONST:
        return (ins.a < nlocals && ins.b < nconst && ins.c < kCompareOps) ||
               Fail(offset, "operand out of range");
      case Op::kJUMP_UNLESS_LOCAL_COMPARE_LOCAL:
      case Op::kLOOP_IF_LOCAL_COMPARE_LOCAL:
        return (ins.a < nlocals && ins.b < nlocals && ins.c < kCompareOps) ||
               Fail(offset, "operand out of range");
      case Op::kJUMP_UNLESS_MOD_EQ_CONST:
      case Op::kJUMP_UNLESS_MOD_NE_CONST:
        return (ins.a < nlocals && ins.b < nlocals && ins.c < nconst) ||
               Fail(offset, "operand out of range");
      case Op::kLOAD_GLOBAL:
      case Op::kSTORE_GLOBAL:
        return ins.a < nglobals_ || Fail(offset, "global index out of range");
      case Op::kCOMPARE:
      case Op::kJUMP_UNLESS_COMPARE:
      case Op::kLOOP_IF_COMPARE:
        return ins.a < kCompareOps || Fail(offset, "unknown comparison");
      case Op::kLOAD_ATTR:
      case Op::kLOAD_METHOD:
      case Op::kFORMAT_VALUE:
      case Op::kIMPORT_NAME:
      case Op::kIMPORT_FROM:
        return ConstIs(ins.a, ObjType::kStr) || Fail(offset, "operand must name a str constant");
      case Op::kCALL_KW:
        return CheckKwNames(offset, ins);
      case Op::kMAKE_FUNCTION:
        return CheckMakeFunction(offset, ins);
      case Op::kYIELD_VALUE:
        return code_->is_generator || Fail(offset, "yield outside a generator");
      case Op::kRAISE_ASSERTION:
        return ins.a <= 1 || Fail(offset, "bad RAISE_ASSERTION operand");
      default:
        return true;
    }
  }

  bool CheckKwNames(size_t offset, const Instruction& ins) {
    if (!ConstIs(ins.b, ObjType::kTuple)) return Fail(offset, "keyword names must be a tuple");
    const auto& names = AsSeq(code_->constants[ins.b])->items;
    if (names.empty() || names.size() > ins.a) return Fail(offset, "bad keyword count");
    for (Value v : names) {
      if (!IsType(v, ObjType::kStr)) return Fail(offset, "keyword names must be strs");
    }
    return true;
  }

  bool CheckMakeFunction(size_t offset, const Instruction& ins) {
    if (!ConstIs(ins.a, ObjType::kCode)) return Fail(offset, "MAKE_FUNCTION needs a code const");
    auto* fn = static_cast<CodeObj*>(code_->constants[ins.a].o);
    if (ins.b > fn->nparams) return Fail(offset, "more defaults than parameters");
    return true;
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
      if (!(info.flags & kTerminator)) {
        if (index + 1 >= starts_.size()) return Fail(offset, "code falls off its end");
        if (!Flow(offset, index + 1, depth + StackPushes(ins), &depth_at, &work, &max_depth))
          return false;
      }
      if (HasJumpTarget(info.shape)) {
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
