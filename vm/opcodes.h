// The opcode enum and its static description, generated from vm/opcodes.def.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gilbench::vm {

// What a u16 operand means (see opcodes.def): it decides the verifier's check and the
// disassembler's annotation of the operand.
enum class OperandKind : uint8_t {
  kNONE,
  kLOCAL,
  kCONST,
  kNAME,
  kGLOBAL,
  kCOMPARE,
  kCOUNT,
  kCODE,
  kDEFAULTS,
  kKW_NAMES,
  kFLAG,
  kBINOP,
  kCONVERSION,
};
inline constexpr int kMaxOperands = 3;  // A, B, C

inline constexpr uint8_t kTerminator = 1;     // never falls through to the next instruction
inline constexpr uint8_t kBackward = 2;       // a backward jump: the eval breaker is checked
inline constexpr uint8_t kGeneratorOnly = 4;  // valid only in a generator's code
// On an error it has popped nothing yet: a handler covering it may expect the stack as it was
// before it (the verifier's handler-depth check).
inline constexpr uint8_t kKeepsStackOnError = 8;

enum class Op : uint8_t {
#define OPCODE(name, ...) k##name,
#include "vm/opcodes.def"
#undef OPCODE
};

inline constexpr int kOpCount = 0
#define OPCODE(name, ...) +1
#include "vm/opcodes.def"
#undef OPCODE
    ;

struct OpInfo {
  const char* name;
  OperandKind operands[kMaxOperands];  // A, B, C; kNONE past the last one
  bool has_target;                     // a u32 jump target follows the u16 operands
  // Pops pops + pops_a * A + pops_b * B items; then pushes pushes + pushes_a * A on fall-through,
  // or jump_pushes on the jump edge.
  int8_t pops, pops_a, pops_b, pushes, pushes_a, jump_pushes;
  uint8_t flags;

  constexpr int operand_count() const {
    int n = 0;
    while (n < kMaxOperands && operands[n] != OperandKind::kNONE) ++n;
    return n;
  }
  // Bytes of the whole instruction: the opcode byte, 2 per operand, 4 for a target.
  constexpr int size() const { return 1 + 2 * operand_count() + (has_target ? 4 : 0); }
};

namespace opcode_def {  // spellings of opcodes.def's target column
inline constexpr bool kTARGET = true;
inline constexpr bool kNO_TARGET = false;
}  // namespace opcode_def

inline constexpr OpInfo kOpInfo[] = {
#define OPCODE(name, a, b, c, target, pops, pops_a, pops_b, pushes, pushes_a, jump_pushes, flags) \
  {#name,                                                                                         \
   {OperandKind::k##a, OperandKind::k##b, OperandKind::k##c},                                     \
   opcode_def::k##target,                                                                         \
   pops,                                                                                          \
   pops_a,                                                                                        \
   pops_b,                                                                                        \
   pushes,                                                                                        \
   pushes_a,                                                                                      \
   jump_pushes,                                                                                   \
   flags},
#include "vm/opcodes.def"
#undef OPCODE
};

// The description of `op`; requires op < kOpCount.
constexpr const OpInfo& GetOpInfo(Op op) { return kOpInfo[static_cast<int>(op)]; }

// Where the interpreter finds an opcode's operands, counted from the byte after the opcode (where
// its ip points once the opcode is fetched): kOffsetB<Op::kLOAD_LOCAL_CONST> is 2. Naming an
// operand or a target the opcode does not have fails to compile (a throw cannot be evaluated in a
// constant expression).
constexpr int OperandOffset(Op op, int index) {
  return index < GetOpInfo(op).operand_count() ? 2 * index : throw "the opcode has no such operand";
}
constexpr int TargetOffset(Op op) {
  return GetOpInfo(op).has_target ? 2 * GetOpInfo(op).operand_count()
                                  : throw "the opcode has no jump target";
}
template <Op op>
inline constexpr int kOffsetA = OperandOffset(op, 0);
template <Op op>
inline constexpr int kOffsetB = OperandOffset(op, 1);
template <Op op>
inline constexpr int kOffsetC = OperandOffset(op, 2);
template <Op op>
inline constexpr int kOffsetTarget = TargetOffset(op);
// The bytes after the opcode byte: what ip advances by to reach the next instruction.
template <Op op>
inline constexpr int kOperandBytes = GetOpInfo(op).size() - 1;

// A decoded instruction: what the disassembler, verifier and peephole pass work on.
struct Instruction {
  Op op;
  uint16_t a = 0, b = 0, c = 0;
  uint32_t target = 0;
  int size = 1;

  uint16_t operand(int index) const { return index == 0 ? a : index == 1 ? b : c; }
};

// Decodes the instruction at `code[offset]`. Returns false if the opcode byte is unknown or the
// operands run past `size`.
bool DecodeInstruction(const uint8_t* code, size_t size, size_t offset, Instruction* out);

// How many items a decoded instruction pops, and pushes on fall-through / on its jump edge.
int StackPops(const Instruction& ins);
int StackPushes(const Instruction& ins);
int StackJumpPushes(const Instruction& ins);

// The operands are packed (no operand after a NONE) and the per-operand stack effects apply only
// to operands that are numbers (a count, a number of defaults, a flag): checked here, once, for
// every row of opcodes.def.
constexpr bool OperandsArePacked(const OpInfo& info) {
  for (int i = info.operand_count(); i < kMaxOperands; ++i) {
    if (info.operands[i] != OperandKind::kNONE) return false;
  }
  return true;
}
constexpr bool StackEffectsOnNumbers(const OpInfo& info) {
  auto number = [&](int i) {
    return info.operands[i] == OperandKind::kCOUNT || info.operands[i] == OperandKind::kDEFAULTS ||
           info.operands[i] == OperandKind::kFLAG;
  };
  return ((info.pops_a == 0 && info.pushes_a == 0) || number(0)) && (info.pops_b == 0 || number(1));
}
// DEFAULTS counts the parameters of a CODE operand A and KW_NAMES names the last arguments of a
// COUNT operand A: each is operand B, after that A, so the verifier never checks the layout.
constexpr bool DependentOperandsFollowTheirA(const OpInfo& info) {
  for (int i = 0; i < kMaxOperands; ++i) {
    const OperandKind kind = info.operands[i];
    const OperandKind needs = kind == OperandKind::kDEFAULTS   ? OperandKind::kCODE
                              : kind == OperandKind::kKW_NAMES ? OperandKind::kCOUNT
                                                               : OperandKind::kNONE;
    if (needs != OperandKind::kNONE && (i != 1 || info.operands[0] != needs)) return false;
  }
  return true;
}
#define OPCODE(name, ...)                                                                 \
  static_assert(OperandsArePacked(GetOpInfo(Op::k##name)),                                \
                #name ": an operand follows a NONE in opcodes.def");                      \
  static_assert(StackEffectsOnNumbers(GetOpInfo(Op::k##name)),                            \
                #name ": a per-operand stack effect on an operand that is not a number"); \
  static_assert(DependentOperandsFollowTheirA(GetOpInfo(Op::k##name)),                    \
                #name ": DEFAULTS / KW_NAMES must be operand B, after CODE / COUNT");
#include "vm/opcodes.def"
#undef OPCODE

}  // namespace gilbench::vm
