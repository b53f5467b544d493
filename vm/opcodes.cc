// The opcode table, generated from vm/opcodes.def, and the instruction decoder shared by the
// disassembler, the verifier and the compiler's peephole pass.
#include "vm/opcodes.h"

#include <cstring>

namespace gilbench::vm {
namespace {

constexpr OpInfo kOpInfo[] = {
#define OPCODE(name, shape, pops, pops_a, pops_b, pushes, pushes_a, jump_pushes, flags) \
  {#name, OperandShape::k##shape, pops, pops_a, pops_b, pushes, pushes_a, jump_pushes, flags},
#include "vm/opcodes.def"
#undef OPCODE
};

uint16_t ReadU16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

uint32_t ReadU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

const OpInfo& GetOpInfo(Op op) { return kOpInfo[static_cast<int>(op)]; }

int OperandCount(OperandShape shape) {
  switch (shape) {
    case OperandShape::kNONE:
    case OperandShape::kJ:
      return 0;
    case OperandShape::kA:
    case OperandShape::kAJ:
      return 1;
    case OperandShape::kAB:
    case OperandShape::kABJ:
      return 2;
    case OperandShape::kABCJ:
      return 3;
  }
  return 0;
}

bool HasJumpTarget(OperandShape shape) {
  return shape == OperandShape::kJ || shape == OperandShape::kAJ || shape == OperandShape::kABJ ||
         shape == OperandShape::kABCJ;
}

int InstructionSize(OperandShape shape) {
  return 1 + 2 * OperandCount(shape) + (HasJumpTarget(shape) ? 4 : 0);
}

bool DecodeInstruction(const uint8_t* code, size_t size, size_t offset, Instruction* out) {
  if (offset >= size || code[offset] >= kOpCount) return false;
  Instruction ins;
  ins.op = static_cast<Op>(code[offset]);
  OperandShape shape = GetOpInfo(ins.op).shape;
  ins.size = InstructionSize(shape);
  if (offset + ins.size > size) return false;
  const uint8_t* p = code + offset + 1;
  uint16_t* operands[] = {&ins.a, &ins.b, &ins.c};
  for (int i = 0; i < OperandCount(shape); ++i, p += 2) *operands[i] = ReadU16(p);
  if (HasJumpTarget(shape)) ins.target = ReadU32(p);
  *out = ins;
  return true;
}

int StackPops(const Instruction& ins) {
  const OpInfo& info = GetOpInfo(ins.op);
  return info.pops + info.pops_a * ins.a + info.pops_b * ins.b;
}

int StackPushes(const Instruction& ins) {
  const OpInfo& info = GetOpInfo(ins.op);
  return info.pushes + info.pushes_a * ins.a;
}

int StackJumpPushes(const Instruction& ins) { return GetOpInfo(ins.op).jump_pushes; }

}  // namespace gilbench::vm
