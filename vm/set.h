// set and frozenset: CPython 3.11's open-addressing hash table (Objects/setobject.c), kept
// faithful down to the table's size, when it grows, the probe sequence and how a removed key
// leaves a dummy behind -- because a set iterates, and so prints, in table order, and programs
// print sets. The same operations on the same keys give the same table as CPython's, so
// `print({3, 1, 2})` or a set of a thousand strs prints alike under both.
//
// The table: mask + 1 slots (a power of two, at least 8). A slot is empty (no key, hash 0), a
// dummy (no key, hash -1: a key was removed there, and probes must go on past it) or active.
// `fill` counts active and dummy slots, `used` active ones; the table grows when fill reaches
// 3/5 of it. A key's probe sequence looks at slot hash & mask and the 9 slots after it (one
// cache line, LINEAR_PROBES), then jumps to i*5 + 1 + perturb, where perturb starts as the hash
// and loses 5 bits each jump, so that every bit of the hash eventually decides the slot.
//
// Errors: a lookup compares keys with ==, which fails only on a RecursionError (tuples nested
// beyond the limit); hashing fails for unhashable keys. Each such function returns false with
// the error in the thread, leaving the set consistent.
#pragma once

#include <cstdint>
#include <vector>

#include "vm/ast.h"
#include "vm/object.h"

namespace gilbench::vm {

struct ThreadState;

struct SetEntry {
  Value key;     // owned; undefined in an empty or dummy slot
  int64_t hash;  // the key's hash; 0 in an empty slot, -1 in a dummy
};

// A set or a frozenset (ObjType::kSet / kFrozenSet), one layout.
struct SetObj : Obj {
  static constexpr size_t kMinSize = 8;

  std::vector<SetEntry> table;
  size_t mask = kMinSize - 1;
  int64_t fill = 0;   // active + dummy slots
  int64_t used = 0;   // active slots: len()
  size_t finger = 0;  // where pop() starts looking
  int64_t hash = -1;  // a frozenset's hash once computed
  explicit SetObj(ObjType t) : Obj(t), table(kMinSize, SetEntry{Value::Undefined(), 0}) {}
  ~SetObj() override;

  bool frozen() const { return type == ObjType::kFrozenSet; }
  // Slot i holds a key.
  bool Active(size_t i) const { return !table[i].key.is_undefined(); }
};

inline bool IsAnySet(Value v) { return IsType(v, ObjType::kSet) || IsType(v, ObjType::kFrozenSet); }
inline SetObj* AsSet(Value v) { return static_cast<SetObj*>(v.o); }

// An iterator over a set: the slots from `pos` on. It remembers len() when it started, since a set
// that changes size under it raises RuntimeError (CPython: "Set changed size during iteration").
struct SetIterObj : Obj {
  SetObj* set;  // owned; null once exhausted
  size_t pos = 0;
  int64_t used;  // set->used when made; -1 once the size changed (the error sticks)
  explicit SetIterObj(SetObj* s) : Obj(ObjType::kSetIter), set(s), used(s->used) { IncrefObj(s); }
  ~SetIterObj() override {
    if (set) DecrefObj(set);
  }
};

// An empty set or frozenset (new reference).
SetObj* NewSet(ObjType type);

// Adds `key` (borrowed; its hash given) unless an equal key is there.
bool SetAddEntry(ThreadState& ts, SetObj* so, Value key, int64_t hash);
// Hashes `key` and adds it.
bool SetAdd(ThreadState& ts, SetObj* so, Value key);
// *found = an equal key is in the set. A set as `key` is looked up as the equal frozenset would
// be, as CPython's set.__contains__, remove and discard allow.
bool SetContains(ThreadState& ts, SetObj* so, Value key, bool* found);
bool SetContainsEntry(ThreadState& ts, SetObj* so, Value key, int64_t hash, bool* found);
// Removes an equal key if there is one (leaving a dummy); *found says whether there was.
bool SetDiscard(ThreadState& ts, SetObj* so, Value key, bool* found);
bool SetDiscardEntry(ThreadState& ts, SetObj* so, Value key, int64_t hash, bool* found);
// set.pop(): an arbitrary key (new reference), the first active slot from the finger on;
// KeyError on an empty set.
bool SetPop(ThreadState& ts, SetObj* so, Value* out);
// Empties the set back to a table of 8 slots.
void SetClear(SetObj* so);
// Adds every item of `iterable` (CPython's set_update_internal): a set or frozenset is merged
// table to table, a dict's keys come with their stored hashes after one resize, anything else
// is iterated and added one item at a time.
bool SetUpdate(ThreadState& ts, SetObj* so, Value iterable);
// A new set or frozenset of `type` holding the items of `iterable` (undefined: none).
bool SetFromIterable(ThreadState& ts, ObjType type, Value iterable, SetObj** out);
// The set a display of n constants makes in CPython (`{'a', 'b', 'c'}`), from those constants'
// values: its compiler adds them to a frozenset; rebuilds that, adding its keys again in table
// order, as it merges equal constants; rebuilds it once more if interning its strs replaced one
// (a str CPython had interned already, as InternedBeforeCompile judges); and the program's set is
// an empty set updated from the result. Each step may place colliding keys differently.
bool SetFromFoldedConstants(ThreadState& ts, const Value* items, int n, SetObj** out);
// The next key (new reference) of a set's slots from *pos on, advancing *pos; false at the end.
bool SetNext(const SetObj* so, size_t* pos, Value* key, int64_t* hash);

// The set algebra, each making a new set of `so`'s type (new reference), with CPython's order of
// insertion -- which decides the result's table, and so its iteration order.
bool SetCopy(ThreadState& ts, SetObj* so, ObjType type, SetObj** out);
bool SetUnion(ThreadState& ts, SetObj* so, Value other, SetObj** out);
bool SetIntersection(ThreadState& ts, SetObj* so, Value other, SetObj** out);
bool SetDifference(ThreadState& ts, SetObj* so, Value other, SetObj** out);
bool SetSymmetricDifference(ThreadState& ts, SetObj* so, Value other, SetObj** out);
// In place, for |=, &=, -=, ^= and the *_update methods.
bool SetIntersectionUpdate(ThreadState& ts, SetObj* so, Value other);
bool SetDifferenceUpdate(ThreadState& ts, SetObj* so, Value other);
bool SetSymmetricDifferenceUpdate(ThreadState& ts, SetObj* so, Value other);
// a | b, a & b, a - b, a ^ b for two sets or frozensets (op is kBitOr, kBitAnd, kSub or kBitXor):
// a new set of a's type, or with `inplace` (|= ...) on a set, a itself changed in place.
bool SetOperator(ThreadState& ts, BinaryOp op, Value a, Value b, bool inplace, Value* out);
// Exchanges two sets' tables (and forgets any frozenset hash): how an in-place intersection
// takes its result.
void SetSwapBodies(SetObj* a, SetObj* b);
// so <= other, both sets or frozensets.
bool SetIsSubset(ThreadState& ts, SetObj* so, SetObj* other, bool* out);
// so == other, both sets or frozensets.
bool SetEqual(ThreadState& ts, SetObj* so, SetObj* other, bool* out);
// A frozenset's hash (computed once).
int64_t FrozenSetHash(SetObj* so);

// One step of a set iterator: kItem, kDone, or kError (the set changed size).
enum class SetIterStep { kItem, kDone, kError };
SetIterStep SetIterNext(ThreadState& ts, SetIterObj* it, Value* item);

}  // namespace gilbench::vm
