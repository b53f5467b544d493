// set(), frozenset(), hash() and the methods of set and frozenset, with CPython 3.11's argument
// checks and messages (builtins.cc registers them). The methods that take several iterables
// (union, intersection, ...) apply them one after another exactly as CPython does, since that
// order builds the result's table. Each follows NativeFn's contract.
#include <string>

#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/hash.h"
#include "vm/runtime.h"
#include "vm/set.h"

namespace gilbench::vm {
namespace {

SetObj* Self(const CallArgs& call) { return AsSet(call.self); }

// "set.add", "frozenset.union": how CPython names a method in its messages.
std::string MethodName(const CallArgs& call, const char* method) {
  return std::string(TypeName(call.self)) + "." + method;
}

bool ExactlyOne(ThreadState& ts, const CallArgs& call, const char* method) {
  return Arity(ts, call, MethodName(call, method).c_str(), 1, 1);
}

bool NoArguments(ThreadState& ts, const CallArgs& call, const char* method) {
  return Arity(ts, call, MethodName(call, method).c_str(), 0, 0);
}

// The methods that take any number of iterables take no keywords.
bool VarArgs(ThreadState& ts, const CallArgs& call, const char* method) {
  return NoKeywords(ts, call, MethodName(call, method).c_str());
}

bool ReturnSet(SetObj* so, Value* result) {
  *result = Value::Object(so);
  return true;
}

bool ReturnNone(Value* result) {
  *result = Value::None();
  return true;
}

bool Add(ThreadState& ts, const CallArgs& call, Value* result) {
  return ExactlyOne(ts, call, "add") && SetAdd(ts, Self(call), call.args[0]) && ReturnNone(result);
}

bool Discard(ThreadState& ts, const CallArgs& call, Value* result) {
  bool found;
  return ExactlyOne(ts, call, "discard") && SetDiscard(ts, Self(call), call.args[0], &found) &&
         ReturnNone(result);
}

bool Remove(ThreadState& ts, const CallArgs& call, Value* result) {
  bool found;
  if (!ExactlyOne(ts, call, "remove") || !SetDiscard(ts, Self(call), call.args[0], &found)) {
    return false;
  }
  if (!found) return RaiseKeyError(ts, call.args[0]);
  return ReturnNone(result);
}

bool Pop(ThreadState& ts, const CallArgs& call, Value* result) {
  return NoArguments(ts, call, "pop") && SetPop(ts, Self(call), result);
}

bool Clear(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoArguments(ts, call, "clear")) return false;
  SetClear(Self(call));
  return ReturnNone(result);
}

// set.copy() is a new set; frozenset.copy() is the frozenset itself (it cannot change).
bool Copy(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoArguments(ts, call, "copy")) return false;
  if (Self(call)->frozen()) {
    Incref(call.self);
    *result = call.self;
    return true;
  }
  SetObj* copy;
  return SetCopy(ts, Self(call), ObjType::kSet, &copy) && ReturnSet(copy, result);
}

bool Update(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!VarArgs(ts, call, "update")) return false;
  for (int i = 0; i < call.nargs; ++i) {
    if (!SetUpdate(ts, Self(call), call.args[i])) return false;
  }
  return ReturnNone(result);
}

// so.union(*others): a copy of so, updated by each other in turn (so itself skipped).
bool Union(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!VarArgs(ts, call, "union")) return false;
  SetObj* so = Self(call);
  SetObj* out;
  if (!SetCopy(ts, so, so->type, &out)) return false;
  for (int i = 0; i < call.nargs; ++i) {
    if (call.args[i].is_obj() && call.args[i].o == so) continue;
    if (!SetUpdate(ts, out, call.args[i])) {
      DecrefObj(out);
      return false;
    }
  }
  return ReturnSet(out, result);
}

// so.intersection(*others): so's copy without others, else so intersected with each in turn.
bool IntersectionMulti(ThreadState& ts, const CallArgs& call, SetObj** out) {
  SetObj* so = Self(call);
  if (call.nargs == 0) return SetCopy(ts, so, so->type, out);
  IncrefObj(so);
  SetObj* acc = so;
  for (int i = 0; i < call.nargs; ++i) {
    SetObj* next;
    bool ok = SetIntersection(ts, acc, call.args[i], &next);
    DecrefObj(acc);
    if (!ok) return false;
    acc = next;
  }
  *out = acc;
  return true;
}

bool Intersection(ThreadState& ts, const CallArgs& call, Value* result) {
  SetObj* out;
  return VarArgs(ts, call, "intersection") && IntersectionMulti(ts, call, &out) &&
         ReturnSet(out, result);
}

bool IntersectionUpdate(ThreadState& ts, const CallArgs& call, Value* result) {
  SetObj* out;
  if (!VarArgs(ts, call, "intersection_update") || !IntersectionMulti(ts, call, &out)) {
    return false;
  }
  SetSwapBodies(Self(call), out);
  DecrefObj(out);
  return ReturnNone(result);
}

// so.difference(*others): so minus the first, then the rest removed from that in place.
bool Difference(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!VarArgs(ts, call, "difference")) return false;
  SetObj* so = Self(call);
  SetObj* out;
  if (call.nargs == 0) return SetCopy(ts, so, so->type, &out) && ReturnSet(out, result);
  if (!SetDifference(ts, so, call.args[0], &out)) return false;
  for (int i = 1; i < call.nargs; ++i) {
    if (!SetDifferenceUpdate(ts, out, call.args[i])) {
      DecrefObj(out);
      return false;
    }
  }
  return ReturnSet(out, result);
}

bool DifferenceUpdate(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!VarArgs(ts, call, "difference_update")) return false;
  for (int i = 0; i < call.nargs; ++i) {
    if (!SetDifferenceUpdate(ts, Self(call), call.args[i])) return false;
  }
  return ReturnNone(result);
}

bool SymmetricDifference(ThreadState& ts, const CallArgs& call, Value* result) {
  SetObj* out;
  return ExactlyOne(ts, call, "symmetric_difference") &&
         SetSymmetricDifference(ts, Self(call), call.args[0], &out) && ReturnSet(out, result);
}

bool SymmetricDifferenceUpdate(ThreadState& ts, const CallArgs& call, Value* result) {
  return ExactlyOne(ts, call, "symmetric_difference_update") &&
         SetSymmetricDifferenceUpdate(ts, Self(call), call.args[0]) && ReturnNone(result);
}

// so.issubset(other): for an iterable, whether the intersection with it is all of so.
bool IsSubset(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ExactlyOne(ts, call, "issubset")) return false;
  SetObj* so = Self(call);
  Value other = call.args[0];
  bool subset;
  if (IsAnySet(other)) {
    if (!SetIsSubset(ts, so, AsSet(other), &subset)) return false;
  } else {
    SetObj* common;
    if (!SetIntersection(ts, so, other, &common)) return false;
    subset = common->used == so->used;
    DecrefObj(common);
  }
  *result = Value::Bool(subset);
  return true;
}

// Walks `iterable` until an item whose membership in `so` is `membership` (*found = true), or to
// its end (*found = false): issuperset stops at the first missing item, isdisjoint at the first
// common one. False on an error (not iterable, unhashable, a failing comparison).
bool FindItemWhoseMembershipIs(ThreadState& ts, SetObj* so, Value iterable, bool membership,
                               bool* found) {
  Value it;
  if (!GetIter(ts, iterable, &it)) return false;
  *found = false;
  bool ok = true;
  while (ok && !*found) {
    Value item;
    Interpreter::IterResult r = IterNext(ts, it, &item);
    if (r == Interpreter::IterResult::kDone) break;
    ok = r == Interpreter::IterResult::kItem;
    if (ok) {
      int64_t hash;
      bool contained = false;
      ok = HashValue(ts, item, &hash) && SetContainsEntry(ts, so, item, hash, &contained);
      *found = ok && contained == membership;
      Decref(item);
    }
  }
  Decref(it);
  return ok;
}

// so.issuperset(other): for an iterable, each item in turn until one is missing.
bool IsSuperset(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ExactlyOne(ts, call, "issuperset")) return false;
  SetObj* so = Self(call);
  Value other = call.args[0];
  if (IsAnySet(other)) {
    bool superset;
    if (!SetIsSubset(ts, AsSet(other), so, &superset)) return false;
    *result = Value::Bool(superset);
    return true;
  }
  bool missing;
  if (!FindItemWhoseMembershipIs(ts, so, other, false, &missing)) return false;
  *result = Value::Bool(!missing);
  return true;
}

// so.isdisjoint(other): walks the smaller of two sets, or an iterable until a common item.
bool IsDisjoint(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ExactlyOne(ts, call, "isdisjoint")) return false;
  SetObj* so = Self(call);
  Value other = call.args[0];
  if (other.is_obj() && other.o == so) {
    *result = Value::Bool(so->used == 0);
    return true;
  }
  SetObj* common;
  if (IsAnySet(other)) {
    // The intersection of two sets walks the smaller and probes the larger, as isdisjoint does.
    if (!SetIntersection(ts, so, other, &common)) return false;
    *result = Value::Bool(common->used == 0);
    DecrefObj(common);
    return true;
  }
  bool found;
  if (!FindItemWhoseMembershipIs(ts, so, other, true, &found)) return false;
  *result = Value::Bool(!found);
  return true;
}

// set(iterable) / frozenset(iterable); frozenset(f) of a frozenset is f itself.
bool MakeSet(ThreadState& ts, const CallArgs& call, ObjType type, const char* name, Value* result) {
  if (!NoKeywords(ts, call, name) || !Arity(ts, call, name, 0, 1)) return false;
  if (type == ObjType::kFrozenSet && call.nargs == 1 && IsType(call.args[0], type)) {
    Incref(call.args[0]);
    *result = call.args[0];
    return true;
  }
  SetObj* so;
  if (!SetFromIterable(ts, type, call.nargs ? call.args[0] : Value::Undefined(), &so)) {
    return false;
  }
  return ReturnSet(so, result);
}

}  // namespace

bool SetBuiltin(ThreadState& ts, const CallArgs& call, Value* result) {
  return MakeSet(ts, call, ObjType::kSet, "set", result);
}

bool FrozenSetBuiltin(ThreadState& ts, const CallArgs& call, Value* result) {
  return MakeSet(ts, call, ObjType::kFrozenSet, "frozenset", result);
}

bool HashBuiltin(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "hash", 1, 1)) return false;
  int64_t hash;
  if (!HashValue(ts, call.args[0], &hash)) return false;
  *result = Value::Int(hash);
  return true;
}

std::vector<std::pair<const char*, NativeFn>> FrozenSetMethods() {
  return {{"copy", Copy},
          {"union", Union},
          {"intersection", Intersection},
          {"difference", Difference},
          {"symmetric_difference", SymmetricDifference},
          {"issubset", IsSubset},
          {"issuperset", IsSuperset},
          {"isdisjoint", IsDisjoint}};
}

std::vector<std::pair<const char*, NativeFn>> SetMethods() {
  std::vector<std::pair<const char*, NativeFn>> methods = FrozenSetMethods();
  methods.insert(methods.end(), {{"add", Add},
                                 {"discard", Discard},
                                 {"remove", Remove},
                                 {"pop", Pop},
                                 {"clear", Clear},
                                 {"update", Update},
                                 {"intersection_update", IntersectionUpdate},
                                 {"difference_update", DifferenceUpdate},
                                 {"symmetric_difference_update", SymmetricDifferenceUpdate}});
  return methods;
}

}  // namespace gilbench::vm
