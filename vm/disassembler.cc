// The disassembler: a line per instruction with its offset, source line (when it changes), name,
// operands, and what they refer to. Tiny helpers, one per kind of operand annotation.
#include "vm/disassembler.h"

#include <cstdio>
#include <string>
#include <vector>

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

const char* BinaryOpName(uint16_t op) {
  static const char* const kNames[] = {"+",  "-", "*", "/", "//", "%",
                                       "**", "|", "^", "&", "<<", ">>"};
  return op < sizeof kNames / sizeof kNames[0] ? kNames[op] : "?";
}

std::string ConstText(const CodeObj& code, uint16_t index) {
  Value v = code.constants[index];
  if (IsType(v, ObjType::kCode)) return "<code " + static_cast<CodeObj*>(v.o)->name + ">";
  return ToRepr(v);
}

// What one operand refers to, by its kind (opcodes.def): a local's or global's name, a
// constant's repr, a comparison's or binary operator's symbol; empty for counts and flags, which
// are shown as numbers.
std::string OperandText(const CodeObj& code, const std::vector<std::string>& globals,
                        OperandKind kind, uint16_t value) {
  switch (kind) {
    case OperandKind::kLOCAL:
      return code.local_names[value];
    case OperandKind::kCONST:
    case OperandKind::kNAME:
    case OperandKind::kCODE:
    case OperandKind::kKW_NAMES:
      return ConstText(code, value);
    case OperandKind::kGLOBAL:
      return value < globals.size() ? globals[value] : std::string("?");
    case OperandKind::kCOMPARE:
      return CompareName(value);
    case OperandKind::kBINOP:
      return BinaryOpName(value);
    case OperandKind::kCONVERSION:
      return value == 0 ? "" : std::string("!") + static_cast<char>(value);
    case OperandKind::kNONE:
    case OperandKind::kCOUNT:
    case OperandKind::kDEFAULTS:
    case OperandKind::kFLAG:
      return "";
  }
  return "";
}

// The "(...)" annotation of a verified instruction: what its operands refer to, joined by ", ";
// a comparison stands between the two operands it compares (`i < n`), or before the one it
// compares TOS with (`== 0`).
std::string Annotation(const CodeObj& code, const std::vector<std::string>& globals,
                       const Instruction& ins) {
  const OpInfo& info = GetOpInfo(ins.op);
  std::vector<std::string> parts;
  std::string comparison;
  for (int i = 0; i < info.operand_count(); ++i) {
    std::string text = OperandText(code, globals, info.operands[i], ins.operand(i));
    if (info.operands[i] == OperandKind::kCOMPARE) {
      comparison = text;
    } else if (!text.empty()) {
      parts.push_back(text);
    }
  }
  if (!comparison.empty()) {
    parts.insert(parts.size() == 2 ? parts.begin() + 1 : parts.begin(), comparison);
    std::string joined;
    for (const std::string& part : parts) joined += (joined.empty() ? "" : " ") + part;
    return joined;
  }
  std::string joined;
  for (const std::string& part : parts) joined += (joined.empty() ? "" : ", ") + part;
  return joined;
}

std::string Operands(const Instruction& ins) {
  const OpInfo& info = GetOpInfo(ins.op);
  std::string text;
  for (int i = 0; i < info.operand_count(); ++i) {
    text += (i ? " " : "") + std::to_string(ins.operand(i));
  }
  if (info.has_target) text += (text.empty() ? "to " : " to ") + std::to_string(ins.target);
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
  if (!code.exception_table.empty()) {
    *out += "ExceptionTable:\n";
    for (const ExceptionHandler& h : code.exception_table) {
      *out += "  " + std::to_string(h.start) + " to " + std::to_string(h.end) + " -> " +
              std::to_string(h.target) + " [" + std::to_string(h.depth) + "]\n";
    }
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
