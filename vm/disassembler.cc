// The disassembler: a line per instruction with its offset, source line (when it changes), name,
// operands, and what they refer to. Tiny helpers, one per kind of operand annotation.
#include "vm/disassembler.h"

#include <cstdio>

#include "vm/ast.h"
#include "vm/opcodes.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

const char* CompareName(uint16_t op) {
  static const char* const kNames[] = {"==", "!=", "<",      "<=", ">",
                                       ">=", "in", "not in", "is", "is not"};
  return op < sizeof kNames / sizeof kNames[0] ? kNames[op] : "?";
}

std::string ConstText(const CodeObj& code, uint16_t index) {
  Value v = code.constants[index];
  if (IsType(v, ObjType::kCode)) return "<code " + static_cast<CodeObj*>(v.o)->name + ">";
  return ToRepr(v);
}

// The "(...)" annotation of an instruction's operands, by what the opcode uses them for.
std::string Annotation(const CodeObj& code, const std::vector<std::string>& globals,
                       const Instruction& ins) {
  auto local = [&](uint16_t i) { return code.local_names[i]; };
  auto global = [&](uint16_t i) { return i < globals.size() ? globals[i] : std::string("?"); };
  switch (ins.op) {
    case Op::kLOAD_CONST:
    case Op::kLOAD_ATTR:
    case Op::kLOAD_METHOD:
    case Op::kFORMAT_VALUE:
    case Op::kIMPORT_NAME:
    case Op::kIMPORT_FROM:
    case Op::kMAKE_FUNCTION:
      return ConstText(code, ins.a);
    case Op::kLOAD_LOCAL:
    case Op::kSTORE_LOCAL:
    case Op::kFOR_ITER_LOCAL:
      return local(ins.a);
    case Op::kLOAD_GLOBAL:
    case Op::kSTORE_GLOBAL:
      return global(ins.a);
    case Op::kLOAD_LOCAL_LOCAL:
    case Op::kBINARY_ADD_LOCAL_LOCAL:
    case Op::kBINARY_SUB_LOCAL_LOCAL:
    case Op::kBINARY_MUL_LOCAL_LOCAL:
    case Op::kBINARY_MOD_LOCAL_LOCAL:
      return local(ins.a) + ", " + local(ins.b);
    case Op::kLOAD_LOCAL_CONST:
      return local(ins.a) + ", " + ConstText(code, ins.b);
    case Op::kINPLACE_ADD_LOCAL_CONST:
      return local(ins.a) + " += " + ConstText(code, ins.b);
    case Op::kINPLACE_SUB_LOCAL_CONST:
      return local(ins.a) + " -= " + ConstText(code, ins.b);
    case Op::kCOMPARE:
    case Op::kJUMP_UNLESS_COMPARE:
    case Op::kLOOP_IF_COMPARE:
      return CompareName(ins.a);
    case Op::kJUMP_UNLESS_COMPARE_CONST:
      return std::string(CompareName(ins.a)) + " " + ConstText(code, ins.b);
    case Op::kJUMP_UNLESS_LOCAL_COMPARE_CONST:
    case Op::kLOOP_IF_LOCAL_COMPARE_CONST:
      return local(ins.a) + " " + CompareName(ins.c) + " " + ConstText(code, ins.b);
    case Op::kJUMP_UNLESS_LOCAL_COMPARE_LOCAL:
    case Op::kLOOP_IF_LOCAL_COMPARE_LOCAL:
      return local(ins.a) + " " + CompareName(ins.c) + " " + local(ins.b);
    case Op::kJUMP_UNLESS_MOD_EQ_CONST:
    case Op::kJUMP_UNLESS_MOD_NE_CONST:
      return local(ins.a) + " % " + local(ins.b) +
             (ins.op == Op::kJUMP_UNLESS_MOD_EQ_CONST ? " == " : " != ") + ConstText(code, ins.c);
    case Op::kCALL_KW:
      return ConstText(code, ins.b);
    default:
      return "";
  }
}

std::string Operands(const Instruction& ins) {
  OperandShape shape = GetOpInfo(ins.op).shape;
  std::string text;
  const uint16_t operands[] = {ins.a, ins.b, ins.c};
  for (int i = 0; i < OperandCount(shape); ++i) {
    text += (i ? " " : "") + std::to_string(operands[i]);
  }
  if (HasJumpTarget(shape)) text += (text.empty() ? "to " : " to ") + std::to_string(ins.target);
  return text;
}

void DisassembleOne(const CodeObj& code, const std::vector<std::string>& globals,
                    std::string* out) {
  *out += "Disassembly of " + code.name + " (" + code.filename + ", line " +
          std::to_string(code.first_line) + "):\n";
  int last_line = -1;
  const auto& bc = code.bytecode;
  for (size_t offset = 0; offset < bc.size();) {
    Instruction ins;
    if (!DecodeInstruction(bc.data(), bc.size(), offset, &ins)) {
      *out += "  <undecodable byte at " + std::to_string(offset) + ">\n";
      return;
    }
    int line = code.LineForOffset(static_cast<uint32_t>(offset));
    char prefix[32];
    if (line != last_line) {
      std::snprintf(prefix, sizeof prefix, "%4d ", line);
    } else {
      std::snprintf(prefix, sizeof prefix, "     ");
    }
    last_line = line;
    char head[96];
    std::snprintf(head, sizeof head, "%s%6zu %-34s %s", prefix, offset, GetOpInfo(ins.op).name,
                  Operands(ins).c_str());
    std::string note = Annotation(code, globals, ins);
    std::string row = head;
    if (!note.empty()) row += " (" + note + ")";
    while (!row.empty() && row.back() == ' ') row.pop_back();
    *out += row + "\n";
    offset += ins.size;
  }
}

}  // namespace

std::string Disassemble(const CodeObj& code, const std::vector<std::string>& global_names) {
  std::string out;
  DisassembleOne(code, global_names, &out);
  for (Value v : code.constants) {
    if (IsType(v, ObjType::kCode)) {
      out += "\n" + Disassemble(*static_cast<CodeObj*>(v.o), global_names);
    }
  }
  return out;
}

}  // namespace gilbench::vm
