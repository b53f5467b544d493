// str.format and format(): the replacement fields of CPython's str.format -- `{}`, `{0}`,
// `{name}`, `{0.attr}`, `{0[key]}`, conversions `!r`, `!s`, `!a`, a format spec after `:` that may
// hold nested fields (`{:{width}}`), `{{` and `}}` -- with the same scanning and the same errors as
// Objects/stringlib/unicode_format.h. Each value is formatted by FormatValue, the formatter of
// f-string fields.
#include <cstdio>
#include <string>
#include <string_view>

#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/runtime.h"
#include "vm/utf8.h"

namespace gilbench::vm {
namespace {

// The arguments of one format() call and its automatic-numbering state.
struct FormatCall {
  const Value* args;
  int npos;
  const Value* kwvalues;
  const std::vector<std::string_view>* kwnames;
  int auto_number = 0;
  enum class Numbering { kUnknown, kAuto, kManual } numbering = Numbering::kUnknown;
};

bool FormatError(ThreadState& ts, const char* message) { return ts.Raise("ValueError", message); }

// ascii(): repr with every non-ASCII code point escaped.
std::string AsciiOf(const std::string& repr) {
  std::string out;
  for (size_t i = 0; i < repr.size();) {
    uint32_t c = utf8::DecodeLenient(repr, &i);
    char buf[16];
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    if (c <= 0xFF) {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
    } else if (c <= 0xFFFF) {
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
    } else {
      std::snprintf(buf, sizeof buf, "\\U%08x", c);
    }
    out += buf;
  }
  return out;
}

// Whether text is all decimal digits (a positional index), with its value.
bool DecimalIndex(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v)) return false;
  }
  *out = v;
  return true;
}

// The object a field name names: the argument, then each `.attr` and `[key]` after it.
bool ResolveField(ThreadState& ts, FormatCall* call, std::string_view name, Value* out) {
  size_t first_end = name.find_first_of(".[");
  std::string_view first = name.substr(0, first_end);
  int64_t index;
  Value obj;
  bool positional = first.empty() || DecimalIndex(first, &index);
  if (positional) {
    if (first.empty()) {
      if (call->numbering == FormatCall::Numbering::kManual) {
        return FormatError(
            ts, "cannot switch from manual field specification to automatic field numbering");
      }
      call->numbering = FormatCall::Numbering::kAuto;
      index = call->auto_number++;
    } else {
      if (call->numbering == FormatCall::Numbering::kAuto) {
        return FormatError(
            ts, "cannot switch from automatic field numbering to manual field specification");
      }
      call->numbering = FormatCall::Numbering::kManual;
    }
    if (index >= call->npos) {
      return ts.Raise("IndexError", "Replacement index " + std::to_string(index) +
                                        " out of range for positional args tuple");
    }
    obj = call->args[index];
  } else {
    obj = Value::Undefined();
    for (size_t k = 0; call->kwnames && k < call->kwnames->size(); ++k) {
      if ((*call->kwnames)[k] == first) obj = call->kwvalues[k];
    }
    if (obj.is_undefined()) return ts.Raise("KeyError", ReprString(first));
  }
  Incref(obj);
  size_t i = first_end == std::string_view::npos ? name.size() : first_end;
  while (i < name.size()) {
    Value next;
    bool ok;
    if (name[i] == '.') {
      size_t end = name.find_first_of(".[", i + 1);
      if (end == std::string_view::npos) end = name.size();
      std::string_view attr = name.substr(i + 1, end - i - 1);
      if (attr.empty()) {
        Decref(obj);
        return FormatError(ts, "Empty attribute in format string");
      }
      ok = GetAttr(ts, obj, attr, &next);
      i = end;
    } else if (name[i] == '[') {
      size_t end = name.find(']', i + 1);
      if (end == std::string_view::npos) {
        Decref(obj);
        return FormatError(ts, "Missing ']' in format string");
      }
      std::string_view key_text = name.substr(i + 1, end - i - 1);
      if (key_text.empty()) {
        Decref(obj);
        return FormatError(ts, "Empty attribute in format string");
      }
      int64_t k;
      Value key = DecimalIndex(key_text, &k) ? Value::Int(k) : MakeStr(std::string(key_text));
      ok = GetItem(ts, obj, key, &next);
      Decref(key);
      i = end + 1;
      if (ok && i < name.size() && name[i] != '.' && name[i] != '[') {
        Decref(next);
        Decref(obj);
        return FormatError(ts, "Only '.' or '[' may follow ']' in format field specifier");
      }
    } else {
      Decref(obj);
      return FormatError(ts, "Only '.' or '[' may follow ']' in format field specifier");
    }
    Decref(obj);
    if (!ok) return false;
    obj = next;
  }
  *out = obj;
  return true;
}

bool Render(ThreadState& ts, FormatCall* call, std::string_view text, int depth, std::string* out);

// One replacement field's text (between the braces): name, conversion, spec.
bool RenderField(ThreadState& ts, FormatCall* call, std::string_view field, bool spec_has_fields,
                 int depth, std::string* out) {
  size_t i = 0;
  while (i < field.size() && field[i] != ':' && field[i] != '!') {
    if (field[i] == '{') return FormatError(ts, "unexpected '{' in field name");
    if (field[i] == '[') {
      while (i < field.size() && field[i] != ']') ++i;
      if (i == field.size()) break;
    }
    ++i;
  }
  std::string_view name = field.substr(0, i);
  char conversion = 0;
  std::string_view spec;
  if (i < field.size() && field[i] == '!') {
    if (i + 1 >= field.size()) {
      return FormatError(ts, "end of string while looking for conversion specifier");
    }
    conversion = field[i + 1];
    i += 2;
    if (i < field.size() && field[i] != ':') {
      return FormatError(ts, "expected ':' after conversion specifier");
    }
  }
  if (i < field.size()) spec = field.substr(i + 1);
  Value obj;
  if (!ResolveField(ts, call, name, &obj)) return false;
  if (conversion != 0) {
    Value converted;
    bool ok = ConvertField(ts, obj, conversion, &converted);
    Decref(obj);
    if (!ok) return false;
    obj = converted;
  }
  std::string expanded;
  if (spec_has_fields) {
    if (!Render(ts, call, spec, depth - 1, &expanded)) {
      Decref(obj);
      return false;
    }
    spec = expanded;
  }
  Value formatted;
  bool ok = FormatValue(ts, obj, spec, &formatted);
  Decref(obj);
  if (!ok) return false;
  *out += AsStr(formatted)->s;
  Decref(formatted);
  return true;
}

// Renders `text` (a format string, or a spec being expanded) into *out; `depth` counts the
// nesting CPython allows (2 at the top: a spec may hold fields, theirs may not).
bool Render(ThreadState& ts, FormatCall* call, std::string_view text, int depth, std::string* out) {
  if (depth <= 0) return FormatError(ts, "Max string recursion exceeded");
  size_t i = 0, n = text.size();
  while (i < n) {
    char c = text[i++];
    if (c != '{' && c != '}') {
      *out += c;
      continue;
    }
    bool at_end = i >= n;
    if (c == '}') {
      if (at_end || text[i] != '}') {
        return FormatError(ts, "Single '}' encountered in format string");
      }
      *out += '}';
      ++i;
      continue;
    }
    if (at_end) return FormatError(ts, "Single '{' encountered in format string");
    if (text[i] == '{') {
      *out += '{';
      ++i;
      continue;
    }
    // A field: up to the matching '}', brackets in the name skipped, braces in the spec counted.
    size_t start = i;
    int count = 1;
    bool in_spec = false, spec_has_fields = false;
    while (i < n) {
      char d = text[i++];
      if (!in_spec && d == '[') {
        while (i < n && text[i] != ']') ++i;
        continue;
      }
      if (d == ':' || d == '!') in_spec = true;
      if (d == '{') {
        spec_has_fields = true;
        ++count;
      } else if (d == '}' && --count == 0) {
        break;
      }
    }
    if (count > 0 && text.back() == '!' && text.find_first_of(":!", start) == n - 1) {
      return FormatError(ts, "end of string while looking for conversion specifier");
    }
    if (count > 0) {
      return FormatError(
          ts, in_spec ? "unmatched '{' in format spec" : "expected '}' before end of string");
    }
    if (!RenderField(ts, call, text.substr(start, i - 1 - start), spec_has_fields, depth, out)) {
      return false;
    }
  }
  return true;
}

bool StrFormat(ThreadState& ts, const CallArgs& call, Value* result) {
  int npos = call.npositional();
  FormatCall fc{call.args, npos, call.args + npos, call.kwnames};
  std::string out;
  if (!Render(ts, &fc, AsStr(call.self)->s, 2, &out)) return false;
  *result = MakeStr(std::move(out));
  return true;
}

}  // namespace

bool FormatBuiltin(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "format", 1, 2)) return false;
  std::string_view spec;
  if (call.nargs == 2) {
    if (!IsType(call.args[1], ObjType::kStr)) {
      return ts.Raise("TypeError", std::string("format() argument 2 must be str, not ") +
                                       TypeName(call.args[1]));
    }
    spec = AsStr(call.args[1])->s;
  }
  return FormatValue(ts, call.args[0], spec, result);
}

std::vector<std::pair<const char*, NativeFn>> StrFormatMethods() { return {{"format", StrFormat}}; }

bool ConvertField(ThreadState& ts, Value v, char conversion, Value* out) {
  std::string text;
  bool ok;
  if (conversion == 'r' || conversion == 'a') {
    ok = ReprOf(ts, v, &text);
    if (ok && conversion == 'a') text = AsciiOf(text);
  } else if (conversion == 's') {
    ok = StrOf(ts, v, &text);
  } else {
    char buf[64];
    auto c = static_cast<unsigned char>(conversion);
    if (c > 32 && c < 127) {
      std::snprintf(buf, sizeof buf, "Unknown conversion specifier %c", c);
    } else {
      std::snprintf(buf, sizeof buf, "Unknown conversion specifier \\x%x", c);
    }
    return ts.Raise("ValueError", buf);
  }
  if (!ok) return false;
  *out = MakeStr(std::move(text));
  return true;
}

bool FormatField(ThreadState& ts, Value v, char conversion, std::string_view spec, Value* out) {
  if (conversion == 0) return FormatValue(ts, v, spec, out);
  Value converted;
  if (!ConvertField(ts, v, conversion, &converted)) return false;
  bool ok = FormatValue(ts, converted, spec, out);
  Decref(converted);
  return ok;
}

}  // namespace gilbench::vm
