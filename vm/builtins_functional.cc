// The built-ins that walk iterables and may call back into Python: enumerate, zip, map, filter,
// reversed, iter, sorted, min, max, any, all -- and the lazy iterator objects the first five
// return (builtin_iters.h). A Python callable (key=, map's function, filter's predicate) is
// called through Interpreter::Call, as threading.Thread calls its target; an error it raises
// propagates unchanged.
#include <algorithm>
#include <string>

#include "vm/args.h"
#include "vm/builtin_iters.h"
#include "vm/builtins.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

using R = Interpreter::IterResult;

// Calls `fn(args...)`; the result is a new reference.
bool CallValue(ThreadState& ts, Value fn, const Value* args, int nargs, Value* out) {
  return ts.interp->Call(ts, fn, args, nargs, nullptr, out);
}

// Iterators of each argument from `first` on, for zip and map.
bool IterArgs(ThreadState& ts, const CallArgs& call, int first, BuiltinIterObj* it) {
  for (int i = first; i < call.npositional(); ++i) {
    Value iter;
    if (!GetIter(ts, call.args[i], &iter)) return false;
    it->iters.push_back(iter);
  }
  return true;
}

// Takes one item from each of it->iters into *items; kDone as soon as one is exhausted.
R NextOfEach(ThreadState& ts, BuiltinIterObj* it, std::vector<Value>* items) {
  for (Value iter : it->iters) {
    Value item;
    R r = IterNext(ts, iter, &item);
    if (r != R::kItem) {
      for (Value v : *items) Decref(v);
      items->clear();
      return r;
    }
    items->push_back(item);
  }
  return R::kItem;
}

R ReversedNext(ThreadState& ts, BuiltinIterObj* it, Value* item) {
  (void)ts;
  Value seq = it->iters[0];
  int64_t size = LengthOf(seq);
  if (it->count < 0 || it->count >= size) {
    it->count = -1;
    return R::kDone;
  }
  *item = AsSeq(seq)->items[it->count--];
  Incref(*item);
  return R::kItem;
}

R FilterNext(ThreadState& ts, BuiltinIterObj* it, Value* item) {
  for (;;) {
    Value v;
    R r = IterNext(ts, it->iters[0], &v);
    if (r != R::kItem) return r;
    bool keep;
    if (it->func.is_none()) {
      keep = IsTruthy(v);
    } else {
      Value verdict;
      if (!CallValue(ts, it->func, &v, 1, &verdict)) {
        Decref(v);
        return R::kError;
      }
      keep = IsTruthy(verdict);
      Decref(verdict);
    }
    if (keep) {
      *item = v;
      return R::kItem;
    }
    Decref(v);
  }
}

bool Enumerate(ThreadState& ts, const CallArgs& call, Value* result) {
  Value kw[2];
  if (!KeywordArgs(ts, call, "enumerate", {"iterable", "start"}, kw)) return false;
  int npos = call.npositional();
  if (npos > 2) {
    return ts.Raise("TypeError",
                    "enumerate() takes at most 2 arguments (" + std::to_string(npos) + " given)");
  }
  Value iterable = npos >= 1 ? call.args[0] : kw[0];
  Value start = npos >= 2 ? call.args[1] : kw[1];
  if (iterable.is_undefined()) {
    return ts.Raise("TypeError", "enumerate() missing required argument 'iterable'");
  }
  int64_t first = 0;
  if (!start.is_undefined() && !IndexArg(ts, start, &first)) return false;
  Value iter;
  if (!GetIter(ts, iterable, &iter)) return false;
  auto* it = new BuiltinIterObj(BuiltinIterKind::kEnumerate);
  it->iters.push_back(iter);
  it->count = first;
  *result = Value::Object(it);
  return true;
}

bool Zip(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "zip")) return false;
  auto* it = new BuiltinIterObj(BuiltinIterKind::kZip);
  *result = Value::Object(it);
  if (IterArgs(ts, call, 0, it)) return true;
  DecrefObj(it);
  return false;
}

bool Map(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "map")) return false;
  if (call.nargs < 2) return ts.Raise("TypeError", "map() must have at least two arguments.");
  auto* it = new BuiltinIterObj(BuiltinIterKind::kMap);
  it->func = call.args[0];
  Incref(it->func);
  *result = Value::Object(it);
  if (IterArgs(ts, call, 1, it)) return true;
  DecrefObj(it);
  return false;
}

bool Filter(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "filter")) return false;
  if (call.nargs != 2) {
    return ts.Raise("TypeError", "filter expected 2 arguments, got " + std::to_string(call.nargs));
  }
  Value iter;
  if (!GetIter(ts, call.args[1], &iter)) return false;
  auto* it = new BuiltinIterObj(BuiltinIterKind::kFilter);
  it->func = call.args[0];
  Incref(it->func);
  it->iters.push_back(iter);
  *result = Value::Object(it);
  return true;
}

// reversed(x): a list is walked live from its end (list_reverseiterator); a range gives a
// range_iterator running backwards; a tuple, str, bytes or dict is walked over a snapshot.
bool Reversed(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "reversed", 1, 1)) return false;
  Value v = call.args[0];
  if (IsType(v, ObjType::kRange)) {
    auto* r = static_cast<RangeObj*>(v.o);
    auto* it = new RangeIterObj(*r);
    if (it->remaining > 0) {
      it->next =
          static_cast<uint64_t>(r->start) + (it->remaining - 1) * static_cast<uint64_t>(r->step);
      it->step = 0 - static_cast<uint64_t>(r->step);
    }
    *result = Value::Object(it);
    return true;
  }
  Value seq;
  if (IsType(v, ObjType::kList)) {
    seq = v;
    Incref(seq);
  } else if (IsType(v, ObjType::kTuple) || IsType(v, ObjType::kStr) || IsType(v, ObjType::kBytes) ||
             IsType(v, ObjType::kDict)) {
    std::vector<Value> items;
    if (!CollectIterable(ts, v, &items)) return false;
    seq = MakeTuple(std::move(items));
  } else {
    return ts.Raise("TypeError", std::string("'") + TypeName(v) + "' object is not reversible");
  }
  auto* it = new BuiltinIterObj(BuiltinIterKind::kReversed);
  it->iters.push_back(seq);
  it->count = LengthOf(seq) - 1;
  it->func = Value::Bool(IsType(v, ObjType::kList));  // for the type name
  *result = Value::Object(it);
  return true;
}

bool Iter(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "iter")) return false;
  if (call.nargs != 1) {
    return ts.Raise("TypeError", call.nargs == 0 ? "iter expected at least 1 argument, got 0"
                                                 : "iter(v, w): v must be callable");
  }
  return GetIter(ts, call.args[0], result);
}

// any() and all(): the first item whose truth is `stop_on` decides.
bool AnyAll(ThreadState& ts, const CallArgs& call, Value* result, bool stop_on) {
  if (!Arity(ts, call, stop_on ? "any" : "all", 1, 1)) return false;
  Value iter;
  if (!GetIter(ts, call.args[0], &iter)) return false;
  bool found = false;
  R r;
  Value item;
  while ((r = IterNext(ts, iter, &item)) == R::kItem) {
    bool truth = IsTruthy(item);
    Decref(item);
    if (truth == stop_on) {
      found = true;
      break;
    }
  }
  Decref(iter);
  if (r == R::kError) return false;
  *result = Value::Bool(found ? stop_on : !stop_on);
  return true;
}

bool Any(ThreadState& ts, const CallArgs& call, Value* result) {
  return AnyAll(ts, call, result, true);
}
bool All(ThreadState& ts, const CallArgs& call, Value* result) {
  return AnyAll(ts, call, result, false);
}

bool Sorted(ThreadState& ts, const CallArgs& call, Value* result) {
  Value key;
  bool reverse;
  if (!SortKeywords(ts, call, "sort", &key, &reverse)) return false;
  if (call.npositional() != 1) {
    return ts.Raise("TypeError",
                    "sorted expected 1 argument, got " + std::to_string(call.npositional()));
  }
  std::vector<Value> items;
  if (!CollectIterable(ts, call.args[0], &items)) return false;
  Value list = MakeList(std::move(items));
  if (!SortValues(ts, &AsSeq(list)->items, key, reverse)) {
    Decref(list);
    return false;
  }
  *result = list;
  return true;
}

// The extreme of `items` by their keys (all new references, items and keys alike); the first
// of equal extremes wins, as in CPython.
bool Extreme(ThreadState& ts, const std::vector<Value>& items, const std::vector<Value>& keys,
             bool want_max, size_t* best) {
  *best = 0;
  for (size_t i = 1; i < items.size(); ++i) {
    bool better;
    if (!CompareValues(ts, want_max ? CompareOp::kGt : CompareOp::kLt, keys[i], keys[*best],
                       &better)) {
      return false;
    }
    if (better) *best = i;
  }
  return true;
}

// min() and max(): of one iterable, or of two or more arguments; key= and default= as CPython.
bool MinMax(ThreadState& ts, const CallArgs& call, Value* result, bool want_max) {
  const char* name = want_max ? "max" : "min";
  Value kw[2];
  if (!KeywordArgs(ts, call, name, {"key", "default"}, kw)) return false;
  int npos = call.npositional();
  if (npos == 0) {
    return ts.Raise("TypeError", std::string(name) + " expected at least 1 argument, got 0");
  }
  if (npos > 1 && !kw[1].is_undefined()) {
    return ts.Raise("TypeError", std::string("Cannot specify a default for ") + name +
                                     "() with multiple positional arguments");
  }
  std::vector<Value> items, keys;
  if (npos == 1) {
    if (!CollectIterable(ts, call.args[0], &items)) return false;
  } else {
    items.assign(call.args, call.args + npos);
    for (Value v : items) Incref(v);
  }
  auto release = [&] {
    for (Value v : items) Decref(v);
    for (Value v : keys) Decref(v);
  };
  if (items.empty()) {
    if (!kw[1].is_undefined()) {
      *result = kw[1];
      Incref(*result);
      return true;
    }
    return ts.Raise("ValueError", std::string(name) + "() arg is an empty sequence");
  }
  Value key = kw[0].is_undefined() ? Value::None() : kw[0];
  for (Value v : items) {
    Value k = v;
    if (!key.is_none() && !CallValue(ts, key, &v, 1, &k)) {
      release();
      return false;
    }
    if (key.is_none()) Incref(k);
    keys.push_back(k);
  }
  size_t best;
  bool ok = Extreme(ts, items, keys, want_max, &best);
  if (ok) {
    *result = items[best];
    Incref(*result);
  }
  release();
  return ok;
}

bool Min(ThreadState& ts, const CallArgs& call, Value* result) {
  return MinMax(ts, call, result, false);
}
bool Max(ThreadState& ts, const CallArgs& call, Value* result) {
  return MinMax(ts, call, result, true);
}

// a < b for the sort, with the common cases (two ints, two strs) done here.
bool LessThan(ThreadState& ts, Value a, Value b, bool* less) {
  if (a.is_int() && b.is_int()) {
    *less = a.i < b.i;
    return true;
  }
  if (IsType(a, ObjType::kStr) && IsType(b, ObjType::kStr)) {
    *less = AsStr(a)->s < AsStr(b)->s;  // UTF-8 byte order is code point order
    return true;
  }
  return CompareValues(ts, CompareOp::kLt, a, b, less);
}

}  // namespace

const char* BuiltinIterTypeName(const BuiltinIterObj* it) {
  switch (it->kind) {
    case BuiltinIterKind::kEnumerate:
      return "enumerate";
    case BuiltinIterKind::kZip:
      return "zip";
    case BuiltinIterKind::kMap:
      return "map";
    case BuiltinIterKind::kFilter:
      return "filter";
    case BuiltinIterKind::kReversed:
      return it->func.is_bool() && it->func.i ? "list_reverseiterator" : "reversed";
  }
  return "iterator";
}

Interpreter::IterResult BuiltinIterNext(ThreadState& ts, BuiltinIterObj* it, Value* item) {
  switch (it->kind) {
    case BuiltinIterKind::kEnumerate: {
      Value v;
      R r = IterNext(ts, it->iters[0], &v);
      if (r != R::kItem) return r;
      *item = MakeTuple({Value::Int(it->count++), v});
      return R::kItem;
    }
    case BuiltinIterKind::kZip: {
      std::vector<Value> items;
      if (it->iters.empty()) return R::kDone;
      R r = NextOfEach(ts, it, &items);
      if (r != R::kItem) return r;
      *item = MakeTuple(std::move(items));
      return R::kItem;
    }
    case BuiltinIterKind::kMap: {
      std::vector<Value> args;
      R r = NextOfEach(ts, it, &args);
      if (r != R::kItem) return r;
      bool ok = CallValue(ts, it->func, args.data(), static_cast<int>(args.size()), item);
      for (Value v : args) Decref(v);
      return ok ? R::kItem : R::kError;
    }
    case BuiltinIterKind::kFilter:
      return FilterNext(ts, it, item);
    case BuiltinIterKind::kReversed:
      return ReversedNext(ts, it, item);
  }
  return R::kError;
}

bool SortKeywords(ThreadState& ts, const CallArgs& call, const char* fname, Value* key,
                  bool* reverse) {
  Value kw[2];
  if (!KeywordArgs(ts, call, fname, {"key", "reverse"}, kw)) return false;
  *key = kw[0].is_undefined() ? Value::None() : kw[0];
  *reverse = false;
  if (!kw[1].is_undefined()) {
    if (kw[1].is_float()) {
      return ts.Raise("TypeError", "'float' object cannot be interpreted as an integer");
    }
    *reverse = IsTruthy(kw[1]);
  }
  return true;
}

bool SortValues(ThreadState& ts, std::vector<Value>* items, Value key, bool reverse) {
  std::vector<Value> keys;
  bool ok = true;
  if (!key.is_none()) {
    keys.reserve(items->size());
    for (Value v : *items) {
      Value k;
      if (!CallValue(ts, key, &v, 1, &k)) {
        ok = false;
        break;
      }
      keys.push_back(k);
    }
  }
  if (ok) {
    // CPython reverses, sorts stably and reverses again, so that equal items keep their order.
    if (reverse) std::reverse(items->begin(), items->end());
    if (reverse) std::reverse(keys.begin(), keys.end());
    const std::vector<Value>& by = key.is_none() ? *items : keys;
    std::vector<size_t> order(items->size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      bool less = false;
      if (ok && !LessThan(ts, by[a], by[b], &less)) ok = false;
      return ok && less;
    });
    if (ok) {
      std::vector<Value> sorted;
      sorted.reserve(order.size());
      for (size_t i : order) sorted.push_back((*items)[i]);
      *items = std::move(sorted);
      if (reverse) std::reverse(items->begin(), items->end());
    }
  }
  for (Value k : keys) Decref(k);
  return ok;
}

std::vector<std::pair<const char*, NativeFn>> FunctionalBuiltins() {
  return {{"enumerate", Enumerate}, {"zip", Zip},   {"map", Map}, {"filter", Filter},
          {"reversed", Reversed},   {"iter", Iter}, {"any", Any}, {"all", All},
          {"sorted", Sorted},       {"min", Min},   {"max", Max}};
}

}  // namespace gilbench::vm
