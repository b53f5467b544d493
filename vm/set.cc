// The set table, step for step as CPython 3.11's Objects/setobject.c moves keys around (see
// set.h): which slot a key lands in, when the table grows and to what size, and in which order
// each operation inserts, all decide the order a set prints in.
#include "vm/set.h"

#include <string>
#include <utility>

#include "vm/cpython_interned.h"
#include "vm/dict.h"
#include "vm/hash.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

// A probe looks at its slot and this many after it before jumping (a cache line of entries).
constexpr size_t kLinearProbes = 9;
// Bits of the hash that enter the probe sequence at each jump.
constexpr int kPerturbShift = 5;

inline bool IsEmptySlot(const SetEntry& e) { return e.key.is_undefined() && e.hash == 0; }

// Above this size a growing table doubles instead of quadrupling.
inline int64_t GrowthTarget(int64_t used) { return used > 50000 ? used * 2 : used * 4; }

// Puts a key known to be absent into a table without dummies (set_insert_clean): the first empty
// slot of its probe sequence. Takes over the caller's reference.
void InsertClean(std::vector<SetEntry>* table, size_t mask, Value key, int64_t hash) {
  auto perturb = static_cast<uint64_t>(hash);
  size_t i = static_cast<size_t>(hash) & mask;
  for (;;) {
    if ((*table)[i].key.is_undefined()) {
      (*table)[i] = SetEntry{key, hash};
      return;
    }
    if (i + kLinearProbes <= mask) {
      for (size_t j = 1; j <= kLinearProbes; ++j) {
        if ((*table)[i + j].key.is_undefined()) {
          (*table)[i + j] = SetEntry{key, hash};
          return;
        }
      }
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

// Rebuilds the table with the smallest power-of-two size above `minused` (at least 8), dropping
// the dummies; the keys move in the old table's slot order.
void Resize(SetObj* so, int64_t minused) {
  size_t size = SetObj::kMinSize;
  while (size <= static_cast<size_t>(minused)) size <<= 1;
  if (size == SetObj::kMinSize && so->mask + 1 == size && so->fill == so->used) return;
  std::vector<SetEntry> old(size, SetEntry{Value::Undefined(), 0});
  old.swap(so->table);
  so->mask = size - 1;
  so->fill = so->used;
  for (const SetEntry& e : old) {
    if (!e.key.is_undefined()) InsertClean(&so->table, so->mask, e.key, e.hash);
  }
}

// The very key object: found without asking __eq__, as CPython's set_lookkey does (an instance
// whose
// __eq__ says otherwise, or prints, is still found at once).
inline bool SameKeyObject(Value a, Value b) {
  return a.tag == Tag::kObj && b.tag == Tag::kObj && a.o == b.o;
}

// Where `key` is (*index, *found) or, when absent, the slot its probe sequence ends at: the
// first empty slot. CPython's set_lookkey: keys are compared only when their hashes are equal,
// by identity first.
bool Lookup(ThreadState& ts, const SetObj* so, Value key, int64_t hash, size_t* index,
            bool* found) {
  const size_t mask = so->mask;
  auto perturb = static_cast<uint64_t>(hash);
  size_t i = static_cast<size_t>(hash) & mask;
  for (;;) {
    const size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
    for (size_t j = i; j <= i + probes; ++j) {
      const SetEntry& e = so->table[j];
      if (IsEmptySlot(e)) {
        *index = j;
        *found = false;
        return true;
      }
      if (e.hash == hash) {
        bool equal = SameKeyObject(e.key, key);
        if (!equal && !ValuesEqual(ts, e.key, key, &equal)) return false;
        if (equal) {
          *index = j;
          *found = true;
          return true;
        }
      }
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

// A set key's hash: a set stands for the frozenset of its items (set.__contains__'s retry).
bool KeyHash(ThreadState& ts, Value key, int64_t* hash) {
  if (IsType(key, ObjType::kSet)) {
    *hash = FrozenSetHash(AsSet(key));
    return true;
  }
  return HashValue(ts, key, hash);
}

SetObj* NewLike(const SetObj* so) { return NewSet(so->type); }

// Releases a set under construction and fails.
bool Abandon(SetObj* so) {
  DecrefObj(so);
  return false;
}

// Calls visit(key, hash) for each key of a set's slots in order; stops at the first false.
template <typename Visit>
bool ForEachEntry(const SetObj* so, Visit visit) {
  size_t pos = 0;
  Value key;
  int64_t hash;
  while (SetNext(so, &pos, &key, &hash)) {
    bool ok = visit(key, hash);
    Decref(key);
    if (!ok) return false;
  }
  return true;
}

// Calls visit(item) for each item of any iterable (the item borrowed for the call).
template <typename Visit>
bool ForEachItem(ThreadState& ts, Value iterable, Visit visit) {
  Value it;
  if (!GetIter(ts, iterable, &it)) return false;
  for (;;) {
    Value item;
    Interpreter::IterResult r = IterNext(ts, it, &item);
    if (r == Interpreter::IterResult::kDone) break;
    if (r == Interpreter::IterResult::kError) {
      Decref(it);
      return false;
    }
    bool ok = visit(item);
    Decref(item);
    if (!ok) {
      Decref(it);
      return false;
    }
  }
  Decref(it);
  return true;
}

// Merges another set's keys (set_merge): one resize up front, then a slot-for-slot copy when
// the tables match and this one is empty, clean inserts when it is only empty, ordinary adds
// otherwise.
bool Merge(ThreadState& ts, SetObj* so, const SetObj* other) {
  if (other == so || other->used == 0) return true;
  if ((so->fill + other->used) * 5 >= static_cast<int64_t>(so->mask) * 3) {
    Resize(so, (so->used + other->used) * 2);
  }
  if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
    for (size_t i = 0; i <= other->mask; ++i) {
      const SetEntry& e = other->table[i];
      if (e.key.is_undefined()) continue;
      Incref(e.key);
      so->table[i] = e;
    }
    so->fill = other->fill;
    so->used = other->used;
    return true;
  }
  if (so->fill == 0) {
    so->fill = so->used = other->used;
    for (const SetEntry& e : other->table) {
      if (e.key.is_undefined()) continue;
      Incref(e.key);
      InsertClean(&so->table, so->mask, e.key, e.hash);
    }
    return true;
  }
  for (size_t i = 0; i <= other->mask; ++i) {
    const SetEntry& e = other->table[i];
    if (!e.key.is_undefined() && !SetAddEntry(ts, so, e.key, e.hash)) return false;
  }
  return true;
}

// A set that has lost more than a quarter of its slots to dummies is rebuilt without them.
void PurgeDummies(SetObj* so) {
  if (static_cast<size_t>(so->fill - so->used) <= so->mask / 4) return;
  Resize(so, GrowthTarget(so->used));
}

}  // namespace

void SetSwapBodies(SetObj* a, SetObj* b) {
  std::swap(a->table, b->table);
  std::swap(a->mask, b->mask);
  std::swap(a->fill, b->fill);
  std::swap(a->used, b->used);
  a->hash = b->hash = -1;
}

SetObj::~SetObj() {
  for (const SetEntry& e : table) Decref(e.key);
}

SetObj* NewSet(ObjType type) { return new SetObj(type); }

namespace {

// Stores a new key in `slot`: an empty slot (the table fills, and grows at three fifths full), or
// a dummy met on the way to one, which CPython reuses (the last such one).
void Place(SetObj* so, SetEntry* slot, Value key, int64_t hash) {
  const bool fresh = slot->hash == 0;
  Incref(key);
  *slot = SetEntry{key, hash};
  ++so->used;
  if (!fresh) return;
  ++so->fill;
  if (static_cast<size_t>(so->fill) * 5 >= so->mask * 3) Resize(so, GrowthTarget(so->used));
}

}  // namespace

bool SetAddEntry(ThreadState& ts, SetObj* so, Value key, int64_t hash) {
  const size_t mask = so->mask;
  auto perturb = static_cast<uint64_t>(hash);
  SetEntry* freeslot = nullptr;
  for (size_t i = static_cast<size_t>(hash) & mask;;) {
    const size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
    for (size_t j = i; j <= i + probes; ++j) {
      SetEntry* entry = &so->table[j];
      if (IsEmptySlot(*entry)) {
        Place(so, freeslot != nullptr ? freeslot : entry, key, hash);
        return true;
      }
      if (entry->hash == hash) {
        bool equal = SameKeyObject(entry->key, key);
        if (!equal && !ValuesEqual(ts, entry->key, key, &equal)) return false;
        if (equal) return true;  // present: the old key stays
      } else if (entry->hash == -1) {
        freeslot = entry;
      }
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

bool SetAdd(ThreadState& ts, SetObj* so, Value key) {
  int64_t hash;
  return HashValue(ts, key, &hash) && SetAddEntry(ts, so, key, hash);
}

bool SetContainsEntry(ThreadState& ts, SetObj* so, Value key, int64_t hash, bool* found) {
  size_t index;
  return Lookup(ts, so, key, hash, &index, found);
}

bool SetContains(ThreadState& ts, SetObj* so, Value key, bool* found) {
  int64_t hash;
  return KeyHash(ts, key, &hash) && SetContainsEntry(ts, so, key, hash, found);
}

bool SetDiscardEntry(ThreadState& ts, SetObj* so, Value key, int64_t hash, bool* found) {
  size_t index;
  if (!Lookup(ts, so, key, hash, &index, found)) return false;
  if (!*found) return true;
  Value old = so->table[index].key;
  so->table[index] = SetEntry{Value::Undefined(), -1};
  --so->used;
  Decref(old);
  return true;
}

bool SetDiscard(ThreadState& ts, SetObj* so, Value key, bool* found) {
  int64_t hash;
  return KeyHash(ts, key, &hash) && SetDiscardEntry(ts, so, key, hash, found);
}

bool SetPop(ThreadState& ts, SetObj* so, Value* out) {
  if (so->used == 0) return RaiseKeyErrorText(ts, "pop from an empty set");
  size_t i = so->finger & so->mask;
  while (!so->Active(i)) i = i == so->mask ? 0 : i + 1;
  *out = so->table[i].key;  // the table's reference moves to the caller
  so->table[i] = SetEntry{Value::Undefined(), -1};
  --so->used;
  so->finger = i + 1;
  return true;
}

void SetClear(SetObj* so) {
  std::vector<SetEntry> old(SetObj::kMinSize, SetEntry{Value::Undefined(), 0});
  old.swap(so->table);
  so->mask = SetObj::kMinSize - 1;
  so->fill = so->used = 0;
  so->hash = -1;
  for (const SetEntry& e : old) Decref(e.key);  // after the set is consistent again
}

bool SetNext(const SetObj* so, size_t* pos, Value* key, int64_t* hash) {
  size_t i = *pos;
  while (i <= so->mask && !so->Active(i)) ++i;
  *pos = i + 1;
  if (i > so->mask) return false;
  *key = so->table[i].key;
  *hash = so->table[i].hash;
  Incref(*key);
  return true;
}

bool SetUpdate(ThreadState& ts, SetObj* so, Value iterable) {
  if (IsAnySet(iterable)) return Merge(ts, so, AsSet(iterable));
  if (IsType(iterable, ObjType::kDict)) {
    const DictObj* d = AsDict(iterable);
    if ((so->fill + d->used) * 5 >= static_cast<int64_t>(so->mask) * 3) {
      Resize(so, (so->used + d->used) * 2);
    }
    for (size_t i = 0; i < d->entries.size(); ++i) {
      const DictEntry& e = d->entries[i];
      if (e.key.is_undefined()) continue;
      if (!SetAddEntry(ts, so, e.key, e.hash)) return false;
    }
    return true;
  }
  return ForEachItem(ts, iterable, [&](Value item) { return SetAdd(ts, so, item); });
}

bool SetFromIterable(ThreadState& ts, ObjType type, Value iterable, SetObj** out) {
  SetObj* so = NewSet(type);
  if (!iterable.is_undefined() && !SetUpdate(ts, so, iterable)) return Abandon(so);
  *out = so;
  return true;
}

namespace {

// A frozenset of `so`'s keys added one by one in its table order (new reference).
bool Readd(ThreadState& ts, SetObj* so, SetObj** out) {
  SetObj* again = NewSet(ObjType::kFrozenSet);
  bool ok =
      ForEachEntry(so, [&](Value key, int64_t hash) { return SetAddEntry(ts, again, key, hash); });
  if (!ok) return Abandon(again);
  *out = again;
  return true;
}

// Whether interning the strs of a folded constant frozenset replaces one of them: a str of
// identifier characters that CPython had interned before (cpython_interned.h).
bool InterningReplacesAStr(ThreadState& ts, const SetObj* so) {
  for (const SetEntry& e : so->table) {
    if (IsType(e.key, ObjType::kStr) && InternedBeforeCompile(*ts.interp, AsStr(e.key)->s)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool SetFromFoldedConstants(ThreadState& ts, const Value* items, int n, SetObj** out) {
  SetObj* folded = NewSet(ObjType::kFrozenSet);
  for (int i = 0; i < n; ++i) {
    if (!SetAdd(ts, folded, items[i])) return Abandon(folded);
  }
  for (int round = 0; round < 2; ++round) {
    if (round == 1 && !InterningReplacesAStr(ts, folded)) break;
    SetObj* again;
    bool ok = Readd(ts, folded, &again);
    DecrefObj(folded);
    if (!ok) return false;
    folded = again;
  }
  bool ok = SetCopy(ts, folded, ObjType::kSet, out);
  DecrefObj(folded);
  return ok;
}

bool SetCopy(ThreadState& ts, SetObj* so, ObjType type, SetObj** out) {
  return SetFromIterable(ts, type, Value::Object(so), out);
}

bool SetUnion(ThreadState& ts, SetObj* so, Value other, SetObj** out) {
  SetObj* result;
  if (!SetCopy(ts, so, so->type, &result)) return false;
  if (other.is_obj() && other.o == so) {
    *out = result;
    return true;
  }
  if (!SetUpdate(ts, result, other)) return Abandon(result);
  *out = result;
  return true;
}

// set_intersection: a set argument is walked from the smaller of the two, an iterable in its
// own order (no further than the item that completes the result); each common key is added to
// the result as it is met.
bool SetIntersection(ThreadState& ts, SetObj* so, Value other, SetObj** out) {
  if (other.is_obj() && other.o == so) return SetCopy(ts, so, so->type, out);
  SetObj* result = NewLike(so);
  if (IsAnySet(other)) {
    SetObj* big = so;
    SetObj* small = AsSet(other);
    if (small->used > big->used) std::swap(big, small);
    bool ok = ForEachEntry(small, [&](Value key, int64_t hash) {
      bool found;
      if (!SetContainsEntry(ts, big, key, hash, &found)) return false;
      return !found || SetAddEntry(ts, result, key, hash);
    });
    if (!ok) return Abandon(result);
    *out = result;
    return true;
  }
  bool stopped = false;
  bool ok = ForEachItem(ts, other, [&](Value item) {
    int64_t hash;
    bool found;
    if (!HashValue(ts, item, &hash) || !SetContainsEntry(ts, so, item, hash, &found)) return false;
    if (!found) return true;
    if (!SetAddEntry(ts, result, item, hash)) return false;
    stopped = result->used >= so->used;  // every key found: the rest cannot add any
    return !stopped;
  });
  if (!ok && !stopped) return Abandon(result);
  *out = result;
  return true;
}

bool SetIntersectionUpdate(ThreadState& ts, SetObj* so, Value other) {
  SetObj* result;
  if (!SetIntersection(ts, so, other, &result)) return false;
  SetSwapBodies(so, result);
  DecrefObj(result);
  return true;
}

// set_difference_update_internal: discards every key of `other`; a set eight times larger than
// this one is first cut down to the intersection of the two.
bool SetDifferenceUpdate(ThreadState& ts, SetObj* so, Value other) {
  if (other.is_obj() && other.o == so) {
    SetClear(so);
    return true;
  }
  if (IsAnySet(other)) {
    SetObj* walk = AsSet(other);
    bool owned = false;
    if ((walk->used >> 3) > so->used) {
      if (!SetIntersection(ts, so, other, &walk)) return false;
      owned = true;
    }
    bool ok = ForEachEntry(walk, [&](Value key, int64_t hash) {
      bool found;
      return SetDiscardEntry(ts, so, key, hash, &found);
    });
    if (owned) DecrefObj(walk);
    if (!ok) return false;
  } else {
    bool ok = ForEachItem(ts, other, [&](Value item) {
      bool found;
      return SetDiscard(ts, so, item, &found);
    });
    if (!ok) return false;
  }
  PurgeDummies(so);
  return true;
}

// set_difference: from a set or dict not much smaller than this set, a new set of this set's
// keys that `other` lacks, added in slot order; otherwise a copy with other's keys discarded.
bool SetDifference(ThreadState& ts, SetObj* so, Value other, SetObj** out) {
  const bool is_set = IsAnySet(other);
  const bool is_dict = IsType(other, ObjType::kDict);
  if ((!is_set && !is_dict) ||
      (so->used >> 2) > (is_set ? AsSet(other)->used : AsDict(other)->used)) {
    SetObj* result;
    if (!SetCopy(ts, so, so->type, &result)) return false;
    if (!SetDifferenceUpdate(ts, result, other)) return Abandon(result);
    *out = result;
    return true;
  }
  SetObj* result = NewLike(so);
  bool ok = ForEachEntry(so, [&](Value key, int64_t hash) {
    bool found;
    bool looked = is_set ? SetContainsEntry(ts, AsSet(other), key, hash, &found)
                         : DictContainsEntry(ts, AsDict(other), key, hash, &found);
    if (!looked) return false;
    return found || SetAddEntry(ts, result, key, hash);
  });
  if (!ok) return Abandon(result);
  *out = result;
  return true;
}

// set_symmetric_difference_update: each key of `other` is discarded when present and added
// when not, walking a dict in its order, a set in slot order, anything else after making it a set.
bool SetSymmetricDifferenceUpdate(ThreadState& ts, SetObj* so, Value other) {
  if (other.is_obj() && other.o == so) {
    SetClear(so);
    return true;
  }
  auto toggle = [&](Value key, int64_t hash) {
    bool found;
    if (!SetDiscardEntry(ts, so, key, hash, &found)) return false;
    return found || SetAddEntry(ts, so, key, hash);
  };
  if (IsType(other, ObjType::kDict)) {
    const DictObj* d = AsDict(other);
    for (const DictEntry& e : d->entries) {
      if (!e.key.is_undefined() && !toggle(e.key, e.hash)) return false;
    }
    return true;
  }
  if (IsAnySet(other)) return ForEachEntry(AsSet(other), toggle);
  SetObj* made;
  if (!SetFromIterable(ts, so->type, other, &made)) return false;
  bool ok = ForEachEntry(made, toggle);
  DecrefObj(made);
  return ok;
}

// set_symmetric_difference: a new set of `other`'s items (of this set's type), then toggled by
// this set's keys.
bool SetSymmetricDifference(ThreadState& ts, SetObj* so, Value other, SetObj** out) {
  SetObj* result;
  if (!SetFromIterable(ts, so->type, other, &result)) return false;
  if (!SetSymmetricDifferenceUpdate(ts, result, Value::Object(so))) return Abandon(result);
  *out = result;
  return true;
}

bool SetOperator(ThreadState& ts, BinaryOp op, Value a, Value b, bool inplace, Value* out) {
  SetObj* so = AsSet(a);
  if (inplace && !so->frozen()) {
    bool ok = op == BinaryOp::kBitOr    ? SetUpdate(ts, so, b)
              : op == BinaryOp::kBitAnd ? SetIntersectionUpdate(ts, so, b)
              : op == BinaryOp::kSub    ? SetDifferenceUpdate(ts, so, b)
                                        : SetSymmetricDifferenceUpdate(ts, so, b);
    if (!ok) return false;
    Incref(a);
    *out = a;
    return true;
  }
  SetObj* result;
  bool ok = op == BinaryOp::kBitOr    ? SetUnion(ts, so, b, &result)
            : op == BinaryOp::kBitAnd ? SetIntersection(ts, so, b, &result)
            : op == BinaryOp::kSub    ? SetDifference(ts, so, b, &result)
                                      : SetSymmetricDifference(ts, so, b, &result);
  if (!ok) return false;
  *out = Value::Object(result);
  return true;
}

bool SetIsSubset(ThreadState& ts, SetObj* so, SetObj* other, bool* out) {
  *out = false;
  if (so->used > other->used) return true;
  bool all = true;
  bool ok = ForEachEntry(so, [&](Value key, int64_t hash) {
    bool found;
    if (!SetContainsEntry(ts, other, key, hash, &found)) return false;
    all = found;
    return found;  // stop at the first key missing
  });
  if (!ok && all) return false;  // a real error, not the early stop
  *out = all;
  return true;
}

bool SetEqual(ThreadState& ts, SetObj* so, SetObj* other, bool* out) {
  *out = false;
  if (so->used != other->used) return true;
  if (so->hash != -1 && other->hash != -1 && so->hash != other->hash) return true;
  return SetIsSubset(ts, so, other, out);
}

int64_t FrozenSetHash(SetObj* so) {
  if (so->hash != -1 && so->frozen()) return so->hash;
  FrozenSetHasher hasher;
  for (const SetEntry& e : so->table) {
    if (!e.key.is_undefined()) hasher.Add(e.hash);
  }
  const int64_t h = hasher.Finish();
  if (so->frozen()) so->hash = h;  // a set's contents may change: never cached
  return h;
}

SetIterStep SetIterNext(ThreadState& ts, SetIterObj* it, Value* item) {
  SetObj* so = it->set;
  if (so == nullptr) return SetIterStep::kDone;
  if (it->used != so->used) {
    it->used = -1;
    ts.Raise("RuntimeError", "Set changed size during iteration");
    return SetIterStep::kError;
  }
  int64_t hash;
  if (SetNext(so, &it->pos, item, &hash)) return SetIterStep::kItem;
  it->set = nullptr;
  DecrefObj(so);
  return SetIterStep::kDone;
}

}  // namespace gilbench::vm
