// dict() and the methods of dict, with CPython 3.11's argument checks and messages (builtins.cc
// registers them). Each follows NativeFn's contract: arguments borrowed, result a new reference,
// errors recorded in the thread.
#include <string>

#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/dict.h"
#include "vm/hash.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

DictObj* Self(const CallArgs& call) { return AsDict(call.self); }

// What dict(x) and d.update(x) do with x: merge a dict, else take pairs from an iterable.
bool UpdateFrom(ThreadState& ts, DictObj* d, Value source) {
  if (IsType(source, ObjType::kDict)) return DictMerge(ts, d, AsDict(source));
  return DictMergeFromPairs(ts, d, source);
}

// The keyword arguments of dict(...) and d.update(...), inserted as str keys in order.
bool UpdateFromKeywords(ThreadState& ts, DictObj* d, const CallArgs& call) {
  if (call.kwnames == nullptr) return true;
  const int npos = call.npositional();
  for (size_t k = 0; k < call.kwnames->size(); ++k) {
    Value key = MakeStr(std::string((*call.kwnames)[k]));
    bool ok = DictSet(ts, d, key, call.args[npos + static_cast<int>(k)]);
    Decref(key);
    if (!ok) return false;
  }
  return true;
}

// "update expected at most 1 argument, got 2": CPython counts the positional arguments only.
bool AtMostOnePositional(ThreadState& ts, const CallArgs& call, const char* name) {
  const int n = call.npositional();
  if (n <= 1) return true;
  return ts.Raise("TypeError",
                  std::string(name) + " expected at most 1 argument, got " + std::to_string(n));
}

bool DictGetMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "dict.get") || !Arity(ts, call, "get", 1, 2)) return false;
  Value value;
  if (!DictGet(ts, Self(call), call.args[0], &value)) return false;
  *result = !value.is_undefined() ? value : call.nargs == 2 ? call.args[1] : Value::None();
  Incref(*result);
  return true;
}

bool DictSetDefault(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "dict.setdefault") || !Arity(ts, call, "setdefault", 1, 2)) {
    return false;
  }
  Value key = call.args[0];
  int64_t hash;
  Value value;
  if (!HashValue(ts, key, &hash) || !DictGetEntry(ts, Self(call), key, hash, &value)) return false;
  if (value.is_undefined()) {
    value = call.nargs == 2 ? call.args[1] : Value::None();
    if (!DictSetEntry(ts, Self(call), key, hash, value)) return false;
  }
  Incref(value);
  *result = value;
  return true;
}

// d.pop(key[, default]). An empty dict answers without hashing the key, as CPython's does.
bool DictPopMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "dict.pop") || !Arity(ts, call, "pop", 1, 2)) return false;
  Value value = Value::Undefined();
  if (Self(call)->used > 0 && !DictPop(ts, Self(call), call.args[0], &value)) return false;
  if (value.is_undefined()) {
    if (call.nargs == 1) return RaiseKeyError(ts, call.args[0]);
    value = call.args[1];
    Incref(value);
  }
  *result = value;
  return true;
}

bool DictPopItem(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "dict.popitem", 0, 0)) return false;
  Value key, value;
  if (!DictPopLast(Self(call), &key, &value)) {
    return RaiseKeyErrorText(ts, "popitem(): dictionary is empty");
  }
  *result = MakeTuple({key, value});
  return true;
}

bool DictUpdate(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!AtMostOnePositional(ts, call, "update")) return false;
  if (call.npositional() == 1 && !UpdateFrom(ts, Self(call), call.args[0])) return false;
  if (!UpdateFromKeywords(ts, Self(call), call)) return false;
  *result = Value::None();
  return true;
}

bool MakeView(ThreadState& ts, const CallArgs& call, const char* name, DictViewKind kind,
              Value* result) {
  if (!Arity(ts, call, name, 0, 0)) return false;
  *result = Value::Object(new DictViewObj(Self(call), kind));
  return true;
}

bool DictKeys(ThreadState& ts, const CallArgs& call, Value* result) {
  return MakeView(ts, call, "dict.keys", DictViewKind::kKeys, result);
}
bool DictValues(ThreadState& ts, const CallArgs& call, Value* result) {
  return MakeView(ts, call, "dict.values", DictViewKind::kValues, result);
}
bool DictItems(ThreadState& ts, const CallArgs& call, Value* result) {
  return MakeView(ts, call, "dict.items", DictViewKind::kItems, result);
}

bool DictCopyMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "dict.copy", 0, 0)) return false;
  DictObj* copy;
  if (!DictCopy(ts, Self(call), &copy)) return false;
  *result = Value::Object(copy);
  return true;
}

bool DictClearMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "dict.clear", 0, 0)) return false;
  DictClear(Self(call));
  *result = Value::None();
  return true;
}

}  // namespace

bool DictBuiltin(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!AtMostOnePositional(ts, call, "dict")) return false;
  DictObj* d = NewDict();
  if ((call.npositional() == 1 && !UpdateFrom(ts, d, call.args[0])) ||
      !UpdateFromKeywords(ts, d, call)) {
    DecrefObj(d);
    return false;
  }
  *result = Value::Object(d);
  return true;
}

std::vector<std::pair<const char*, NativeFn>> DictMethods() {
  return {{"get", DictGetMethod},    {"setdefault", DictSetDefault}, {"pop", DictPopMethod},
          {"popitem", DictPopItem},  {"update", DictUpdate},         {"keys", DictKeys},
          {"values", DictValues},    {"items", DictItems},           {"copy", DictCopyMethod},
          {"clear", DictClearMethod}};
}

}  // namespace gilbench::vm
