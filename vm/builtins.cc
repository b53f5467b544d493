// The built-in functions (print, len, range, ...) and the methods of the built-in types
// (str.join, list.append, ...), with attribute lookup. Each native follows NativeFn's contract:
// arguments borrowed, result a new reference, errors recorded in the thread.
#include "vm/builtins.h"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "vm/args.h"
#include "vm/class.h"
#include "vm/dunders.h"
#include "vm/exceptions.h"
#include "vm/os_error.h"
#include "vm/runtime.h"
#include "vm/slices.h"
#include "vm/utf8_codec.h"

namespace gilbench::vm {
namespace {

using R = Interpreter::IterResult;

bool Print(ThreadState& ts, const CallArgs& call, Value* result) {
  std::string sep = " ", end = "\n";
  bool flush = false;
  Value file = Value::None();  // None: sys.stdout
  int npos = call.npositional();
  for (int k = 0; call.kwnames && k < static_cast<int>(call.kwnames->size()); ++k) {
    std::string_view name = (*call.kwnames)[k];
    Value v = call.args[npos + k];
    if (name == "flush") {
      flush = IsTruthy(v);
      continue;
    }
    if (name == "file") {
      if (!v.is_none()) file = v;
      continue;
    }
    if (name != "sep" && name != "end") {
      return ts.Raise("TypeError",
                      "'" + std::string(name) + "' is an invalid keyword argument for print()");
    }
    if (!v.is_none() && !IsType(v, ObjType::kStr)) {
      return ts.Raise("TypeError",
                      std::string(name) + " must be None or a string, not " + TypeName(v));
    }
    if (!v.is_none()) (name == "sep" ? sep : end) = AsStr(v)->s;
  }
  if (!file.is_none() &&
      !(IsType(file, ObjType::kTextStream) && static_cast<TextStreamObj*>(file.o)->fd == 1)) {
    return PrintToFile(ts, call, file, sep, end, flush, result);
  }
  // Piece by piece, as CPython's print calls sys.stdout.write: where output reaches the fd (and
  // which piece meets a closed pipe) depends on it.
  Interpreter& interp = *ts.interp;
  int err = 0;
  for (int i = 0; i < npos && err == 0; ++i) {
    if (i > 0) err = interp.WriteStdout(sep);
    // Text that stdout's strict UTF-8 cannot encode (a lone surrogate) is not written either.
    std::string text, unencodable;
    if (!StrOf(ts, call.args[i], &text)) return false;  // RecursionError: nothing more printed
    if (!CheckUtf8Encodable(text, &unencodable)) {
      return ts.Raise("UnicodeEncodeError", std::move(unencodable));
    }
    if (err == 0) err = interp.WriteStdout(text);
  }
  if (err == 0) err = interp.WriteStdout(end);
  if (err == 0 && flush) err = interp.FlushStdout();
  if (err != 0) return RaiseOsError(ts, err);
  *result = Value::None();
  return true;
}

bool Len(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "len", 1, 1)) return false;
  if (IsType(call.args[0], ObjType::kRange) &&
      static_cast<RangeObj*>(call.args[0].o)->Count() > static_cast<uint64_t>(INT64_MAX)) {
    return ts.Raise("OverflowError", "Python int too large to convert to C ssize_t");
  }
  int64_t n = LengthOf(call.args[0]);
  if (IsInstanceObj(call.args[0]) && !InstanceLen(ts, call.args[0], &n)) return false;
  if (n < 0) {
    return ts.Raise("TypeError",
                    std::string("object of type '") + TypeName(call.args[0]) + "' has no len()");
  }
  *result = Value::Int(n);
  return true;
}

bool Range(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "range", 1, 3)) return false;
  int64_t v[3] = {0, 0, 1};
  for (int i = 0; i < call.nargs; ++i) {
    if (!IndexArg(ts, call.args[i], &v[call.nargs == 1 ? 1 : i])) return false;
  }
  if (v[2] == 0) return ts.Raise("ValueError", "range() arg 3 must not be zero");
  *result = Value::Object(new RangeObj(v[0], v[1], v[2]));
  return true;
}

bool List(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "list", 0, 1)) return false;
  std::vector<Value> items;
  if (call.nargs == 1 && !CollectIterable(ts, call.args[0], &items)) return false;
  *result = MakeList(std::move(items));
  return true;
}

bool Tuple(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "tuple", 0, 1)) return false;
  if (call.nargs == 1 && IsType(call.args[0], ObjType::kTuple)) {
    *result = call.args[0];
    Incref(*result);
    return true;
  }
  std::vector<Value> items;
  if (call.nargs == 1 && !CollectIterable(ts, call.args[0], &items)) return false;
  *result = MakeTuple(std::move(items));
  return true;
}

bool Str(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "str", 0, 1)) return false;
  std::string text;
  if (call.nargs && !StrOf(ts, call.args[0], &text)) return false;
  *result = MakeStr(std::move(text));
  return true;
}

// Python's int(str): optional blanks and sign, decimal digits with single underscores between.
bool ParseIntLiteral(std::string_view text, int64_t* out, bool* overflow) {
  size_t b = text.find_first_not_of(" \t\n\r\f\v");
  size_t e = text.find_last_not_of(" \t\n\r\f\v");
  if (b == std::string_view::npos) return false;
  std::string_view s = text.substr(b, e - b + 1);
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '_' || s.back() == '_') return false;
  int64_t value = 0;
  *overflow = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_' && s[i - 1] != '_') continue;
    if (c < '0' || c > '9') return false;
    if (__builtin_mul_overflow(value, 10, &value) ||
        __builtin_add_overflow(value, negative ? -(c - '0') : (c - '0'), &value)) {
      *overflow = true;
    }
  }
  *out = value;
  return true;
}

bool Int(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "int", 0, 1)) return false;
  if (call.nargs == 0) {
    *result = Value::Int(0);
    return true;
  }
  Value v = call.args[0];
  if (v.is_intlike()) {
    *result = Value::Int(v.i);
    return true;
  }
  if (v.is_float()) {
    if (std::isnan(v.f)) return ts.Raise("ValueError", "cannot convert float NaN to integer");
    if (std::isinf(v.f)) {
      return ts.Raise("OverflowError", "cannot convert float infinity to integer");
    }
    int64_t n;
    if (!IntegralToInt64(std::trunc(v.f), &n)) return ts.Raise("OverflowError", "integer overflow");
    *result = Value::Int(n);
    return true;
  }
  if (IsType(v, ObjType::kStr)) {
    int64_t n;
    bool overflow;
    if (!ParseIntLiteral(AsStr(v)->s, &n, &overflow)) {
      return ts.Raise("ValueError",
                      "invalid literal for int() with base 10: " + ReprString(AsStr(v)->s));
    }
    if (overflow) return ts.Raise("OverflowError", "integer overflow");
    *result = Value::Int(n);
    return true;
  }
  return ts.Raise("TypeError", std::string("int() argument must be a string, a bytes-like object "
                                           "or a real number, not '") +
                                   TypeName(v) + "'");
}

bool ParseFloatLiteral(std::string_view text, double* out) {
  size_t b = text.find_first_not_of(" \t\n\r\f\v");
  size_t e = text.find_last_not_of(" \t\n\r\f\v");
  if (b == std::string_view::npos) return false;
  std::string s;
  std::string_view t = text.substr(b, e - b + 1);
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '_') {
      bool between = i > 0 && i + 1 < t.size() && isdigit(static_cast<unsigned char>(t[i - 1])) &&
                     isdigit(static_cast<unsigned char>(t[i + 1]));
      if (!between) return false;
      continue;
    }
    if (c == 'x' || c == 'X' || c == 'p' || c == 'P') return false;  // no hex floats
    s += c;
  }
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return false;
  // strtod accepts "infinity"/"nan(...)"; Python accepts inf, infinity and nan only.
  if (s.find('(') != std::string::npos) return false;
  *out = d;
  return true;
}

bool Float(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "float", 0, 1)) return false;
  if (call.nargs == 0) {
    *result = Value::Float(0.0);
    return true;
  }
  Value v = call.args[0];
  if (v.is_float()) {
    *result = v;
    return true;
  }
  if (v.is_intlike()) {
    *result = Value::Float(static_cast<double>(v.i));
    return true;
  }
  if (IsType(v, ObjType::kStr)) {
    double d;
    if (!ParseFloatLiteral(AsStr(v)->s, &d)) {
      return ts.Raise("ValueError",
                      "could not convert string to float: " + ReprString(AsStr(v)->s));
    }
    *result = Value::Float(d);
    return true;
  }
  return ts.Raise("TypeError", std::string("float() argument must be a string or a real number, "
                                           "not '") +
                                   TypeName(v) + "'");
}

bool Bool(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "bool", 0, 1)) return false;
  if (call.nargs && IsInstanceObj(call.args[0])) {
    int truth = InstanceTruth(ts, call.args[0]);
    if (truth < 0) return false;
    *result = Value::Bool(truth != 0);
    return true;
  }
  *result = Value::Bool(call.nargs && IsTruthy(call.args[0]));
  return true;
}

bool Abs(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "abs", 1, 1)) return false;
  Value v = call.args[0];
  if (v.is_intlike()) {
    if (v.i == INT64_MIN) return ts.Raise("OverflowError", "integer overflow");
    *result = Value::Int(v.i < 0 ? -v.i : v.i);
    return true;
  }
  if (v.is_float()) {
    *result = Value::Float(std::fabs(v.f));
    return true;
  }
  return ts.Raise("TypeError", std::string("bad operand type for abs(): '") + TypeName(v) + "'");
}

bool Sum(ThreadState& ts, const CallArgs& call, Value* result) {
  Value start;
  if (!KeywordArgs(ts, call, "sum", {"start"}, &start)) return false;
  int npos = call.npositional();
  if (npos < 1 || npos > 2 || (npos == 2 && !start.is_undefined())) {
    if (npos == 2) start = Value::Undefined();  // reported as a third argument
    int given = npos + (start.is_undefined() ? 0 : 1);
    return ts.Raise("TypeError", std::string("sum() takes ") +
                                     (given < 1 ? "at least 1 positional argument (0 given)"
                                                : "at most 2 arguments (" +
                                                      std::to_string(given + 1) + " given)"));
  }
  Value total = npos == 2 ? call.args[1] : start.is_undefined() ? Value::Int(0) : start;
  if (IsType(total, ObjType::kStr)) {
    return ts.Raise("TypeError", "sum() can't sum strings [use ''.join(seq) instead]");
  }
  if (IsType(total, ObjType::kBytes)) {
    return ts.Raise("TypeError", "sum() can't sum bytes [use b''.join(seq) instead]");
  }
  Value it;
  if (!GetIter(ts, call.args[0], &it)) return false;
  Incref(total);
  for (;;) {
    Value item;
    R r = IterNext(ts, it, &item);
    if (r == R::kDone) break;
    Value next;
    bool ok = r == R::kItem && BinaryArith(ts, BinaryOp::kAdd, total, item, false, &next);
    if (r == R::kItem) Decref(item);
    if (!ok) {
      Decref(total);
      Decref(it);
      return false;
    }
    Decref(total);
    total = next;
  }
  Decref(it);
  *result = total;
  return true;
}

bool Next(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "next", 1, 2)) return false;
  Value it = call.args[0];
  if (!IsIterator(it)) {
    return ts.Raise("TypeError", std::string("'") + TypeName(it) + "' object is not an iterator");
  }
  // A generator's return value is the StopIteration's message (`StopIteration: 5`).
  Value returned = Value::None();
  R r = IsType(it, ObjType::kGenerator)
            ? ts.interp->ResumeGenerator(ts, static_cast<GeneratorObj*>(it.o), result,
                                         Value::None(), &returned)
            : IterNext(ts, it, result);
  if (r == R::kError) return false;
  if (r == R::kDone) {
    std::string message = returned.is_none() ? "" : ToStr(returned);
    Decref(returned);
    if (call.nargs == 2) {
      *result = call.args[1];
      Incref(*result);
      return true;
    }
    return ts.Raise("StopIteration", std::move(message));
  }
  return true;
}

// --- methods -------------------------------------------------------------------------------------

bool StrJoin(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "str.join", 1, 1)) return false;
  std::vector<Value> items;
  if (!CollectIterable(ts, call.args[0], &items)) {
    if (ts.error_type == "TypeError") {
      ts.ClearError();
      ts.Raise("TypeError", "can only join an iterable");
    }
    return false;
  }
  std::string out;
  const std::string& sep = AsStr(call.self)->s;
  bool ok = true;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!IsType(items[i], ObjType::kStr)) {
      ok = ts.Raise("TypeError", "sequence item " + std::to_string(i) +
                                     ": expected str instance, " + TypeName(items[i]) + " found");
      break;
    }
    if (i) out += sep;
    out += AsStr(items[i])->s;
  }
  for (Value v : items) Decref(v);
  if (!ok) return false;
  *result = MakeStr(std::move(out));
  return true;
}

// UTF-8 only, strictly (the arguments are accepted and ignored): a lone surrogate cannot be
// encoded, and bytes that are not UTF-8 cannot be decoded -- a str never holds them.
bool StrEncode(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "str.encode", 0, 2)) return false;
  std::string error;
  if (!CheckUtf8Encodable(AsStr(call.self)->s, &error)) {
    return ts.Raise("UnicodeEncodeError", std::move(error));
  }
  *result = MakeBytes(AsStr(call.self)->s);
  return true;
}

bool BytesDecode(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "bytes.decode", 0, 2)) return false;
  std::string error;
  if (!CheckUtf8Decodable(AsBytes(call.self)->s, &error)) {
    return ts.Raise("UnicodeDecodeError", std::move(error));
  }
  *result = MakeStr(AsBytes(call.self)->s);
  return true;
}

bool BytesHex(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "bytes.hex", 0, 0)) return false;
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : AsBytes(call.self)->s) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  *result = MakeStr(std::move(out));
  return true;
}

bool ListAppend(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "list.append", 1, 1)) return false;
  Incref(call.args[0]);
  AsSeq(call.self)->items.push_back(call.args[0]);
  *result = Value::None();
  return true;
}

bool ListPop(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "pop", 0, 1)) return false;
  auto& items = AsSeq(call.self)->items;
  int64_t size = static_cast<int64_t>(items.size());
  int64_t i = size - 1;
  if (call.nargs == 1 && !IndexArg(ts, call.args[0], &i)) return false;
  if (size == 0) return ts.Raise("IndexError", "pop from empty list");
  if (i < 0) i += size;
  if (i < 0 || i >= size) return ts.Raise("IndexError", "pop index out of range");
  *result = items[i];
  items.erase(items.begin() + i);
  return true;
}

NativeObj* Immortal(const char* name, NativeFn fn, bool method) {
  return MakeImmortalNative(name, fn, method);
}

constexpr size_t kObjTypes = static_cast<size_t>(ObjType::kTextStream) + 1;
using MethodTable = std::array<std::vector<NativeObj*>, kObjTypes>;

// The methods of each type, indexed by type: a method call looks only through its receiver's
// type's few. Never destroyed (a leaked heap table): the immortal objects stay reachable until
// exit.
const MethodTable& Methods() {
  static const MethodTable* const kMethods = [] {
    auto* m = new MethodTable();
    auto add = [m](ObjType type, const std::vector<std::pair<const char*, NativeFn>>& methods) {
      for (const auto& [name, fn] : methods) {
        (*m)[static_cast<size_t>(type)].push_back(Immortal(name, fn, true));
      }
    };
    add(ObjType::kStr, {{"join", StrJoin}, {"encode", StrEncode}});
    add(ObjType::kStr, StrMethods());
    add(ObjType::kStr, StrFormatMethods());
    add(ObjType::kBytes, {{"decode", BytesDecode}, {"hex", BytesHex}});
    add(ObjType::kList, {{"append", ListAppend}, {"pop", ListPop}});
    add(ObjType::kList, ListMethods());
    add(ObjType::kTextStream, TextStreamMethods());
    add(ObjType::kTuple, TupleMethods());
    add(ObjType::kThread, ThreadMethods());
    add(ObjType::kHash, HashMethods());
    add(ObjType::kDict, DictMethods());
    add(ObjType::kSet, SetMethods());
    add(ObjType::kFrozenSet, FrozenSetMethods());
    add(ObjType::kGenerator, GeneratorMethods());
    return m;
  }();
  return *kMethods;
}

}  // namespace

Value LookupBuiltin(std::string_view name) {
  static const std::vector<NativeObj*>* const kBuiltins = new std::vector<NativeObj*>{
      Immortal("print", Print, false),
      Immortal("len", Len, false),
      Immortal("range", Range, false),
      Immortal("list", List, false),
      Immortal("tuple", Tuple, false),
      Immortal("str", Str, false),
      Immortal("int", Int, false),
      Immortal("float", Float, false),
      Immortal("bool", Bool, false),
      Immortal("abs", Abs, false),
      Immortal("sum", Sum, false),
      Immortal("next", Next, false),
      Immortal("dict", DictBuiltin, false),
      Immortal("set", SetBuiltin, false),
      Immortal("frozenset", FrozenSetBuiltin, false),
      Immortal("hash", HashBuiltin, false),
      Immortal("slice", SliceBuiltin, false),
      Immortal("format", FormatBuiltin, false),
  };
  static const std::vector<NativeObj*>* const kMore = [] {
    auto* more = new std::vector<NativeObj*>();
    for (const auto& table : {FunctionalBuiltins(), NumericBuiltins()}) {
      for (const auto& [fn_name, fn] : table) more->push_back(Immortal(fn_name, fn, false));
    }
    return more;
  }();
  for (NativeObj* b : *kBuiltins) {
    if (name == b->name) return Value::Object(b);
  }
  for (NativeObj* b : *kMore) {
    if (name == b->name) return Value::Object(b);
  }
  return LookupClassBuiltin(name);
}

void InitBuiltins() {
  LookupBuiltin("");  // the class built-ins too (LookupClassBuiltin)
  ThreadClass();
  ThreadingThreadValue();
  ExceptionClass("");
  Methods();
  CharStr(0);
}

NativeObj* FindMethod(Value obj, std::string_view name, size_t* index) {
  if (!obj.is_obj()) return nullptr;
  const auto& methods = Methods()[static_cast<size_t>(obj.o->type)];
  for (size_t i = 0; i < methods.size(); ++i) {
    if (name == methods[i]->name) {
      if (index != nullptr) *index = i;
      return methods[i];
    }
  }
  return nullptr;
}

NativeObj* MethodAt(ObjType type, size_t index) {
  const auto& methods = Methods()[static_cast<size_t>(type)];
  return index < methods.size() ? methods[index] : nullptr;
}

bool GetAttr(ThreadState& ts, Value obj, std::string_view name, Value* out) {
  bool handled = false;
  bool found = ClassFamilyGetAttr(ts, obj, name, out, &handled);
  if (handled) return found;
  if (IsType(obj, ObjType::kModule)) {
    auto* module = static_cast<ModuleObj*>(obj.o);
    Value v = module->Get(name);
    if (v.is_undefined()) {
      return ts.Raise("AttributeError",
                      "module '" + module->name + "' has no attribute '" + std::string(name) + "'");
    }
    Incref(v);
    *out = v;
    return true;
  }
  if (IsType(obj, ObjType::kThread) && ThreadAttr(obj, name, out)) return true;
  if (NativeObj* method = FindMethod(obj, name)) {
    Incref(obj);
    *out = Value::Object(new BoundMethodObj(method, obj));
    return true;
  }
  return ts.Raise("AttributeError", std::string("'") + TypeName(obj) +
                                        "' object has no attribute '" + std::string(name) + "'");
}

}  // namespace gilbench::vm
