// The opcode enum and its static description, generated from vm/opcodes.def.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gilbench::vm {

// How an instruction's operands are laid out after its opcode byte (see opcodes.def).
enum class OperandShape : uint8_t { kNONE, kA, kAB, kJ, kAJ, kABJ, kABCJ };

inline constexpr uint8_t kTerminator = 1;  // never falls through to the next instruction
inline constexpr uint8_t kBackward = 2;    // a backward jump: the eval breaker is checked

enum class Op : uint8_t {
#define OPCODE(name, shape, pops, pops_a, pops_b, pushes, pushes_a, jump_pushes, flags) k##name,
#include "vm/opcodes.def"
#undef OPCODE
};

inline constexpr int kOpCount = 0
#define OPCODE(name, shape, pops, pops_a, pops_b, pushes, pushes_a, jump_pushes, flags) +1
#include "vm/opcodes.def"
#undef OPCODE
    ;

struct OpInfo {
  const char* name;
  OperandShape shape;
  // Pops pops + pops_a * A + pops_b * B items; then pushes pushes + pushes_a * A on fall-through,
  // or jump_pushes on the jump edge.
  int8_t pops, pops_a, pops_b, pushes, pushes_a, jump_pushes;
  uint8_t flags;
};

// The description of `op`; requires op < kOpCount.
const OpInfo& GetOpInfo(Op op);

// Number of u16 operands (A, B, C) and whether there is a u32 jump target, by shape.
int OperandCount(OperandShape shape);
bool HasJumpTarget(OperandShape shape);

// Size in bytes of a whole instruction (opcode byte + operands) of this shape.
int InstructionSize(OperandShape shape);

// A decoded instruction: what the disassembler, verifier and peephole pass work on.
struct Instruction {
  Op op;
  uint16_t a = 0, b = 0, c = 0;
  uint32_t target = 0;
  int size = 1;
};

// Decodes the instruction at `code[offset]`. Returns false if the opcode byte is unknown or the
// operands run past `size`.
bool DecodeInstruction(const uint8_t* code, size_t size, size_t offset, Instruction* out);

// How many items a decoded instruction pops, and pushes on fall-through / on its jump edge.
int StackPops(const Instruction& ins);
int StackPushes(const Instruction& ins);
int StackJumpPushes(const Instruction& ins);

}  // namespace gilbench::vm
