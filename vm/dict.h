// dict: CPython 3.6+'s compact, insertion-ordered hash table (Objects/dictobject.c). The entries
// (hash, key, value) sit in a dense array in the order they were inserted, which is the order a
// dict iterates and prints in; a sparse index of power-of-two size maps a hash's probe sequence
// to positions in that array. Deleting leaves a hole in the entries (and a dummy in the index);
// the holes go when the table is rebuilt, which happens only when an insertion finds the entries
// full. The layout follows CPython's rules for when and to what size that happens, because one
// behaviour shows it: changing a dict while iterating over it, where CPython raises
// "dictionary changed size during iteration" or "dictionary keys changed during iteration"
// depending on where the iterator's position lands.
//
// Keys are compared with == after equal hashes, so 1, 1.0 and True are one key; a key that is
// already present keeps its first spelling when its value is replaced ({1: 'a', 1.0: 'b'} is
// {1: 'b'}). Functions that can fail (unhashable keys, a RecursionError comparing deep tuples)
// return false with the error in the thread.
#pragma once

#include <cstdint>
#include <vector>

#include "vm/object.h"

namespace gilbench::vm {

struct ThreadState;

struct DictEntry {
  Value key;    // owned; undefined for a deleted entry (a hole)
  Value value;  // owned
  int64_t hash;
};

struct DictObj : Obj {
  // The index: entry positions by probe slot, kEmpty or kDummy; empty() for a dict that never
  // held a key (CPython's shared empty keys), else a power of two, at least 8.
  std::vector<int64_t> index;
  std::vector<DictEntry> entries;  // insertion order, holes included
  int64_t usable = 0;              // entries that may still be appended before a rebuild
  int64_t used = 0;                // live entries: len()
  // Every key is a str: CPython keeps such tables in a layout of their own, and rebuilds one
  // that gets another kind of key (which moves the entries, as any rebuild does).
  bool unicode = true;
  DictObj() : Obj(ObjType::kDict) {}
  ~DictObj() override;
};

inline DictObj* AsDict(Value v) { return static_cast<DictObj*>(v.o); }

// d.keys(), d.values(), d.items(): live views of a dict.
enum class DictViewKind : uint8_t { kKeys, kValues, kItems };

struct DictViewObj : Obj {
  DictObj* dict;  // owned
  DictViewKind kind;
  DictViewObj(DictObj* d, DictViewKind k) : Obj(ObjType::kDictView), dict(d), kind(k) {
    IncrefObj(d);
  }
  ~DictViewObj() override { DecrefObj(dict); }
};

// An iterator over a dict or one of its views. It remembers len() when it started and how many
// entries it has yet to give: a dict whose size changes under it raises RuntimeError, and one
// whose keys were replaced by as many others may raise it too (see dict.h's opening).
struct DictIterObj : Obj {
  DictObj* dict;  // owned; null once exhausted
  DictViewKind kind;
  size_t pos = 0;
  int64_t used;       // dict->used when made; -1 once the size changed (the error sticks)
  int64_t remaining;  // entries still to give
  DictIterObj(DictObj* d, DictViewKind k)
      : Obj(ObjType::kDictIter), dict(d), kind(k), used(d->used), remaining(d->used) {
    IncrefObj(d);
  }
  ~DictIterObj() override {
    if (dict) DecrefObj(dict);
  }
};

// An empty dict (new reference).
DictObj* NewDict();

// The value for `key` (borrowed), or undefined when absent.
bool DictGet(ThreadState& ts, DictObj* d, Value key, Value* value);
bool DictGetEntry(ThreadState& ts, DictObj* d, Value key, int64_t hash, Value* value);
bool DictContainsEntry(ThreadState& ts, DictObj* d, Value key, int64_t hash, bool* found);
// d[key] = value (both borrowed).
bool DictSet(ThreadState& ts, DictObj* d, Value key, Value value);
bool DictSetEntry(ThreadState& ts, DictObj* d, Value key, int64_t hash, Value value);
// Removes `key`; *value gets its value (a new reference, owned by the caller) or undefined when
// the key was absent (then nothing changes).
bool DictPop(ThreadState& ts, DictObj* d, Value key, Value* value);
// Removes the last entry into *key and *value (new references); false, nothing raised, when
// the dict is empty.
bool DictPopLast(DictObj* d, Value* key, Value* value);
// Empties the dict.
void DictClear(DictObj* d);
// d.update(other) for another dict (CPython's dict_merge: one resize up front, or a clone of
// other's table when this one is empty).
bool DictMerge(ThreadState& ts, DictObj* d, DictObj* other);
// d.update(iterable) for anything else: each item must be a pair (CPython's messages otherwise).
bool DictMergeFromPairs(ThreadState& ts, DictObj* d, Value iterable);
// d.copy(): the same table when it has few holes, else a merge into a new dict.
bool DictCopy(ThreadState& ts, DictObj* d, DictObj** out);
// a == b.
bool DictEqual(ThreadState& ts, DictObj* a, DictObj* b, bool* out);

// One step of a dict iterator: the next key, value or (key, value) tuple.
enum class DictIterStep { kItem, kDone, kError };
DictIterStep DictIterNext(ThreadState& ts, DictIterObj* it, Value* item);

}  // namespace gilbench::vm
