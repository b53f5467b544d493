// The methods of list (insert, remove, index, count, extend, reverse, copy, clear, sort) and of
// tuple (index, count), as CPython 3.11's, errors included. Equality is Python's ==, item by item.
#include <algorithm>
#include <string>

#include "vm/args.h"
#include "vm/builtin_iters.h"
#include "vm/builtins.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

std::vector<Value>& Items(const CallArgs& call) { return AsSeq(call.self)->items; }

// Clamps an optional start/stop argument of index() as CPython's slice-like bounds.
bool IndexBound(ThreadState& ts, const CallArgs& call, int k, int64_t size, int64_t missing,
                int64_t* out) {
  *out = missing;
  if (call.nargs <= k) return true;
  if (!call.args[k].is_intlike()) {
    return ts.Raise("TypeError", "slice indices must be integers or have an __index__ method");
  }
  int64_t i = call.args[k].i;
  if (i < 0) i = std::max<int64_t>(0, i + size);
  *out = i;
  return true;
}

// The first position in [start, stop) holding an item equal to x, or -1 (or false on an error).
bool Position(ThreadState& ts, const std::vector<Value>& items, Value x, int64_t start,
              int64_t stop, int64_t* at) {
  *at = -1;
  for (int64_t i = start; i < stop && i < static_cast<int64_t>(items.size()); ++i) {
    bool equal;
    if (!ValuesEqual(ts, items[i], x, &equal)) return false;
    if (equal) {
      *at = i;
      return true;
    }
  }
  return true;
}

bool SeqIndex(ThreadState& ts, const CallArgs& call, Value* result, bool tuple) {
  if (!Arity(ts, call, "index", 1, 3)) return false;
  const auto& items = Items(call);
  int64_t size = static_cast<int64_t>(items.size()), start, stop, at;
  if (!IndexBound(ts, call, 1, size, 0, &start) || !IndexBound(ts, call, 2, size, size, &stop) ||
      !Position(ts, items, call.args[0], start, stop, &at)) {
    return false;
  }
  if (at < 0) {
    if (tuple) return ts.Raise("ValueError", "tuple.index(x): x not in tuple");
    std::string text;
    if (!ReprOf(ts, call.args[0], &text)) return false;
    return ts.Raise("ValueError", text + " is not in list");
  }
  *result = Value::Int(at);
  return true;
}

bool SeqCount(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "count", 1, 1)) return false;
  const auto& items = Items(call);
  int64_t n = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    bool equal;
    if (!ValuesEqual(ts, items[i], call.args[0], &equal)) return false;
    n += equal;
  }
  *result = Value::Int(n);
  return true;
}

bool ListIndex(ThreadState& ts, const CallArgs& call, Value* result) {
  return SeqIndex(ts, call, result, false);
}
bool TupleIndex(ThreadState& ts, const CallArgs& call, Value* result) {
  return SeqIndex(ts, call, result, true);
}

bool ListInsert(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!NoKeywords(ts, call, "insert")) return false;
  if (call.nargs != 2) {
    return ts.Raise("TypeError", "insert expected 2 arguments, got " + std::to_string(call.nargs));
  }
  int64_t i;
  if (!IndexArg(ts, call.args[0], &i)) return false;
  auto& items = Items(call);
  int64_t size = static_cast<int64_t>(items.size());
  if (i < 0) i = std::max<int64_t>(0, i + size);
  i = std::min(i, size);
  Incref(call.args[1]);
  items.insert(items.begin() + i, call.args[1]);
  *result = Value::None();
  return true;
}

bool ListRemove(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "remove", 1, 1)) return false;
  auto& items = Items(call);
  int64_t at;
  if (!Position(ts, items, call.args[0], 0, static_cast<int64_t>(items.size()), &at)) {
    return false;
  }
  if (at < 0) return ts.Raise("ValueError", "list.remove(x): x not in list");
  Value old = items[at];
  items.erase(items.begin() + at);
  Decref(old);
  *result = Value::None();
  return true;
}

bool ListExtend(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "extend", 1, 1)) return false;
  std::vector<Value> more;
  if (!CollectIterable(ts, call.args[0], &more)) return false;
  auto& items = Items(call);
  items.insert(items.end(), more.begin(), more.end());
  *result = Value::None();
  return true;
}

bool ListReverse(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "reverse", 0, 0)) return false;
  std::reverse(Items(call).begin(), Items(call).end());
  *result = Value::None();
  return true;
}

bool ListCopy(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "copy", 0, 0)) return false;
  std::vector<Value> items = Items(call);
  for (Value v : items) Incref(v);
  *result = MakeList(std::move(items));
  return true;
}

bool ListClear(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "clear", 0, 0)) return false;
  std::vector<Value> old;
  old.swap(Items(call));
  for (Value v : old) Decref(v);
  *result = Value::None();
  return true;
}

// list.sort(*, key=None, reverse=False). The list is sorted in a copy of its items and they are
// put back afterwards, so a key function that looks at the list sees it empty, as in CPython.
bool ListSort(ThreadState& ts, const CallArgs& call, Value* result) {
  Value key;
  bool reverse;
  if (!SortKeywords(ts, call, "sort", &key, &reverse)) return false;
  if (call.npositional() != 0) {
    return ts.Raise("TypeError", "sort() takes no positional arguments");
  }
  std::vector<Value> items;
  items.swap(Items(call));
  bool ok = SortValues(ts, &items, key, reverse);
  bool modified = !Items(call).empty();
  std::vector<Value> meanwhile;
  meanwhile.swap(Items(call));
  Items(call) = std::move(items);
  for (Value v : meanwhile) Decref(v);
  if (ok && modified) return ts.Raise("ValueError", "list modified during sort");
  if (!ok) return false;
  *result = Value::None();
  return true;
}

}  // namespace

std::vector<std::pair<const char*, NativeFn>> ListMethods() {
  return {{"insert", ListInsert}, {"remove", ListRemove}, {"index", ListIndex},
          {"count", SeqCount},    {"extend", ListExtend}, {"reverse", ListReverse},
          {"copy", ListCopy},     {"clear", ListClear},   {"sort", ListSort}};
}

std::vector<std::pair<const char*, NativeFn>> TupleMethods() {
  return {{"index", TupleIndex}, {"count", SeqCount}};
}

}  // namespace gilbench::vm
