// The lazy iterators the built-ins return -- enumerate, zip, map, filter and reversed -- and the
// sorting shared by sorted() and list.sort(). One object kind (ObjType::kBuiltinIter) holds all
// five: each is a few iterators, maybe a function, and a counter.
#pragma once

#include <cstdint>
#include <vector>

#include "vm/interpreter.h"
#include "vm/object.h"

namespace gilbench::vm {

enum class BuiltinIterKind : uint8_t { kEnumerate, kZip, kMap, kFilter, kReversed };

struct BuiltinIterObj : Obj {
  BuiltinIterKind kind;
  std::vector<Value> iters;    // owned: the underlying iterators (reversed: the sequence)
  Value func = Value::None();  // owned: map's function, filter's predicate (None: truth)
  int64_t count = 0;           // enumerate: the next index; reversed: the next position
  explicit BuiltinIterObj(BuiltinIterKind k) : Obj(ObjType::kBuiltinIter), kind(k) {}
  ~BuiltinIterObj() override {
    for (Value v : iters) Decref(v);
    Decref(func);
  }
};

// CPython's type name: "enumerate", "zip", "map", "filter", "list_reverseiterator", "reversed".
const char* BuiltinIterTypeName(const BuiltinIterObj* it);

// One step of a built-in iterator, as IterNext's contract.
Interpreter::IterResult BuiltinIterNext(ThreadState& ts, BuiltinIterObj* it, Value* item);

// Sorts `items` (owned references) in place as list.sort does: stable, by key(item) when `key`
// is not None, largest first when `reverse` (equal items keep their order either way). An error
// from the key function or a comparison stops it (the items are then in some order).
bool SortValues(ThreadState& ts, std::vector<Value>* items, Value key, bool reverse);

// Reads sort()'s and sorted()'s keyword arguments key= and reverse=.
bool SortKeywords(ThreadState& ts, const CallArgs& call, const char* fname, Value* key,
                  bool* reverse);

}  // namespace gilbench::vm
