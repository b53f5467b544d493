// The instruction decoder shared by the disassembler, the verifier and the compiler's peephole
// pass (the opcode table itself is generated in opcodes.h).
#include "vm/opcodes.h"

#include <cstring>

namespace gilbench::vm {
namespace {

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

bool DecodeInstruction(const uint8_t* code, size_t size, size_t offset, Instruction* out) {
  if (offset >= size || code[offset] >= kOpCount) return false;
  Instruction ins;
  ins.op = static_cast<Op>(code[offset]);
  const OpInfo& info = GetOpInfo(ins.op);
  ins.size = info.size();
  if (offset + ins.size > size) return false;
  const uint8_t* p = code + offset + 1;
  uint16_t* operands[] = {&ins.a, &ins.b, &ins.c};
  for (int i = 0; i < info.operand_count(); ++i, p += 2) *operands[i] = ReadU16(p);
  if (info.has_target) ins.target = ReadU32(p);
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
