// The compact dict (see dict.h), with CPython 3.11's rules for its layout: an empty dict has no
// table; the first key makes one of 8 index slots and 5 entries; an insertion that finds the
// entries used up rebuilds the table at the power of two that fits 3 * len() (holes dropped);
// popitem() shortens the entries without making room for new ones; a dict of str keys only that
// gets another key is rebuilt first (CPython keeps such tables in a narrower layout).
#include "vm/dict.h"

#include <string>

#include "vm/hash.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

constexpr int64_t kEmpty = -1;  // an index slot never used
constexpr int64_t kDummy = -2;  // an index slot whose entry was deleted
constexpr int kPerturbShift = 5;
constexpr int kLog2MinSize = 3;  // 8 index slots

// The entries a table of `size` index slots holds: two thirds of it.
inline int64_t UsableFraction(int64_t size) { return (size << 1) / 3; }

// log2 of the index size for a table that must hold `minsize` (CPython's
// calculate_log2_keysize, bit trick included: 16, 32, 64 ... go up a size).
int Log2SizeFor(int64_t minsize) {
  const uint64_t v = static_cast<uint64_t>((minsize | 8) - 1) | 7;
  return 64 - __builtin_clzll(v);
}

// log2 of the index size for `n` entries without a rebuild (estimate_log2_keysize).
int Log2SizeEstimate(int64_t n) { return Log2SizeFor((n * 3 + 1) / 2); }

bool IsStrKey(Value key) { return IsType(key, ObjType::kStr); }

// The very key object: found without asking __eq__, as CPython's lookup does (an instance whose
// __eq__ says otherwise, or prints, is still found at once).
inline bool SameKeyObject(Value a, Value b) {
  return a.tag == Tag::kObj && b.tag == Tag::kObj && a.o == b.o;
}

// Where `key` is among the entries (*pos, -1 when absent): its probe sequence through the index,
// comparing entries of equal hash by identity, then with ==.
bool FindEntry(ThreadState& ts, const DictObj* d, Value key, int64_t hash, int64_t* pos) {
  *pos = -1;
  if (d->index.empty()) return true;
  const size_t mask = d->index.size() - 1;
  auto perturb = static_cast<uint64_t>(hash);
  size_t i = static_cast<size_t>(hash) & mask;
  for (;;) {
    const int64_t ix = d->index[i];
    if (ix == kEmpty) return true;
    if (ix >= 0 && d->entries[ix].hash == hash) {
      bool equal = SameKeyObject(d->entries[ix].key, key);
      if (!equal && !ValuesEqual(ts, d->entries[ix].key, key, &equal)) return false;
      if (equal) {
        *pos = ix;
        return true;
      }
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + perturb + 1) & mask;
  }
}

// The index slot that points at entry `pos` (which is live or being removed).
size_t SlotOf(const DictObj* d, int64_t hash, int64_t pos) {
  const size_t mask = d->index.size() - 1;
  auto perturb = static_cast<uint64_t>(hash);
  size_t i = static_cast<size_t>(hash) & mask;
  while (d->index[i] != pos) {
    perturb >>= kPerturbShift;
    i = (i * 5 + perturb + 1) & mask;
  }
  return i;
}

// The first slot of `hash`'s probe sequence that points at no entry (empty or dummy).
size_t FreeSlot(const std::vector<int64_t>& index, int64_t hash) {
  const size_t mask = index.size() - 1;
  auto perturb = static_cast<uint64_t>(hash);
  size_t i = static_cast<size_t>(hash) & mask;
  while (index[i] >= 0) {
    perturb >>= kPerturbShift;
    i = (i * 5 + perturb + 1) & mask;
  }
  return i;
}

// Rebuilds the table with 2**log2_size index slots, the live entries packed in their order.
void Rebuild(DictObj* d, int log2_size, bool unicode) {
  const int64_t size = int64_t{1} << log2_size;
  std::vector<DictEntry> live;
  live.reserve(static_cast<size_t>(UsableFraction(size)));
  for (const DictEntry& e : d->entries) {
    if (!e.key.is_undefined()) live.push_back(e);
  }
  std::vector<int64_t> index(static_cast<size_t>(size), kEmpty);
  for (size_t pos = 0; pos < live.size(); ++pos) {
    index[FreeSlot(index, live[pos].hash)] = static_cast<int64_t>(pos);
  }
  d->index = std::move(index);
  d->entries = std::move(live);
  d->usable = UsableFraction(size) - d->used;
  d->unicode = unicode && d->unicode;
}

// Rebuilds for growth: room for 3 * len() (CPython's GROWTH_RATE).
void GrowForInsertion(DictObj* d, bool unicode) { Rebuild(d, Log2SizeFor(d->used * 3), unicode); }

// Appends a new entry for a key known to be absent (both references taken by the caller).
void AppendEntry(DictObj* d, Value key, int64_t hash, Value value) {
  if (d->index.empty()) {
    d->index.assign(size_t{1} << kLog2MinSize, kEmpty);
    d->usable = UsableFraction(int64_t{1} << kLog2MinSize);
    d->unicode = IsStrKey(key);
  } else if (d->usable <= 0) {
    GrowForInsertion(d, true);
  }
  if (!IsStrKey(key)) d->unicode = false;
  d->entries.reserve(d->entries.size() + static_cast<size_t>(d->usable));
  d->index[FreeSlot(d->index, hash)] = static_cast<int64_t>(d->entries.size());
  d->entries.push_back(DictEntry{key, value, hash});
  ++d->used;
  --d->usable;
}

// Removes the live entry at `pos`, leaving a hole; its references go to the caller.
void RemoveEntry(DictObj* d, int64_t pos) {
  d->index[SlotOf(d, d->entries[pos].hash, pos)] = kDummy;
  d->entries[pos].key = Value::Undefined();
  d->entries[pos].value = Value::Undefined();
  --d->used;
}

}  // namespace

DictObj::~DictObj() {
  for (const DictEntry& e : entries) {
    Decref(e.key);
    Decref(e.value);
  }
}

DictObj* NewDict() { return new DictObj(); }

bool DictGetEntry(ThreadState& ts, DictObj* d, Value key, int64_t hash, Value* value) {
  int64_t pos;
  if (!FindEntry(ts, d, key, hash, &pos)) return false;
  *value = pos >= 0 ? d->entries[pos].value : Value::Undefined();
  return true;
}

bool DictGet(ThreadState& ts, DictObj* d, Value key, Value* value) {
  int64_t hash;
  return HashValue(ts, key, &hash) && DictGetEntry(ts, d, key, hash, value);
}

bool DictContainsEntry(ThreadState& ts, DictObj* d, Value key, int64_t hash, bool* found) {
  int64_t pos;
  if (!FindEntry(ts, d, key, hash, &pos)) return false;
  *found = pos >= 0;
  return true;
}

bool DictSetEntry(ThreadState& ts, DictObj* d, Value key, int64_t hash, Value value) {
  // A str-keys table that gets another kind of key is rebuilt in the general layout first,
  // whether or not the key turns out to be present (CPython's insertdict).
  if (d->unicode && !IsStrKey(key) && !d->index.empty()) GrowForInsertion(d, false);
  int64_t pos;
  if (!FindEntry(ts, d, key, hash, &pos)) return false;
  Incref(value);
  if (pos >= 0) {
    Value old = d->entries[pos].value;
    d->entries[pos].value = value;  // the key keeps its first spelling
    Decref(old);
    return true;
  }
  Incref(key);
  AppendEntry(d, key, hash, value);
  return true;
}

bool DictSet(ThreadState& ts, DictObj* d, Value key, Value value) {
  int64_t hash;
  return HashValue(ts, key, &hash) && DictSetEntry(ts, d, key, hash, value);
}

bool DictPop(ThreadState& ts, DictObj* d, Value key, Value* value) {
  *value = Value::Undefined();
  int64_t hash, pos;
  if (!HashValue(ts, key, &hash) || !FindEntry(ts, d, key, hash, &pos)) return false;
  if (pos < 0) return true;
  Value old_key = d->entries[pos].key;
  *value = d->entries[pos].value;
  RemoveEntry(d, pos);
  Decref(old_key);
  return true;
}

bool DictPopLast(DictObj* d, Value* key, Value* value) {
  if (d->used == 0) return false;
  auto pos = static_cast<int64_t>(d->entries.size()) - 1;
  while (d->entries[pos].key.is_undefined()) --pos;
  *key = d->entries[pos].key;
  *value = d->entries[pos].value;
  RemoveEntry(d, pos);
  // The entries end here now, but no room is made for new ones: the index keeps a dummy.
  d->entries.resize(static_cast<size_t>(pos));
  return true;
}

void DictClear(DictObj* d) {
  std::vector<DictEntry> old;
  old.swap(d->entries);
  d->index.clear();
  d->index.shrink_to_fit();
  d->usable = 0;
  d->used = 0;
  d->unicode = true;
  for (const DictEntry& e : old) {  // after the dict is consistent again
    Decref(e.key);
    Decref(e.value);
  }
}

// dict_merge for a dict argument. An empty dict takes a copy of a clean, freshly grown table as
// it is; otherwise one rebuild makes room for both, then other's entries are inserted in order.
bool DictMerge(ThreadState& ts, DictObj* d, DictObj* other) {
  if (other == d || other->used == 0) return true;
  const int64_t other_entries = static_cast<int64_t>(other->entries.size());
  if (d->used == 0 && other->used == other_entries &&
      (other->index.size() == (size_t{1} << kLog2MinSize) ||
       UsableFraction(static_cast<int64_t>(other->index.size()) / 2) < other->used)) {
    DictClear(d);
    d->index = other->index;
    d->entries = other->entries;
    for (const DictEntry& e : d->entries) {
      Incref(e.key);
      Incref(e.value);
    }
    d->usable = other->usable;
    d->used = other->used;
    d->unicode = other->unicode;
    return true;
  }
  const int64_t size = d->index.empty() ? 1 : static_cast<int64_t>(d->index.size());
  if (UsableFraction(size) < other->used) {
    Rebuild(d, Log2SizeEstimate(d->used + other->used), other->unicode);
  }
  for (size_t pos = 0; pos < other->entries.size(); ++pos) {
    const DictEntry& e = other->entries[pos];  // other is not d: inserting cannot move it
    if (e.key.is_undefined()) continue;
    if (!DictSetEntry(ts, d, e.key, e.hash, e.value)) return false;
  }
  return true;
}

bool DictMergeFromPairs(ThreadState& ts, DictObj* d, Value iterable) {
  Value it;
  if (!GetIter(ts, iterable, &it)) return false;
  for (int64_t n = 0;; ++n) {
    Value item;
    Interpreter::IterResult r = IterNext(ts, it, &item);
    if (r == Interpreter::IterResult::kDone) break;
    std::vector<Value> pair;
    bool ok = r == Interpreter::IterResult::kItem;
    if (ok && !CollectIterable(ts, item, &pair)) {
      ok = false;
      if (ts.error_type == "TypeError") {
        ts.ClearError();
        ts.Raise("TypeError", "cannot convert dictionary update sequence element #" +
                                  std::to_string(n) + " to a sequence");
      }
    }
    if (ok && pair.size() != 2) {
      ok = ts.Raise("ValueError", "dictionary update sequence element #" + std::to_string(n) +
                                      " has length " + std::to_string(pair.size()) +
                                      "; 2 is required");
    }
    if (ok) ok = DictSet(ts, d, pair[0], pair[1]);
    for (Value v : pair) Decref(v);
    if (r == Interpreter::IterResult::kItem) Decref(item);
    if (!ok) {
      Decref(it);
      return false;
    }
  }
  Decref(it);
  return true;
}

// PyDict_Copy: a table at most a third holes is copied as it is, layout and all.
bool DictCopy(ThreadState& ts, DictObj* d, DictObj** out) {
  DictObj* copy = NewDict();
  if (d->used == 0) {
    // A new empty dict.
  } else if (d->used >= (static_cast<int64_t>(d->entries.size()) * 2) / 3) {
    copy->index = d->index;
    copy->entries = d->entries;
    for (const DictEntry& e : copy->entries) {
      Incref(e.key);
      Incref(e.value);
    }
    copy->usable = d->usable;
    copy->used = d->used;
    copy->unicode = d->unicode;
  } else if (!DictMerge(ts, copy, d)) {
    DecrefObj(copy);
    return false;
  }
  *out = copy;
  return true;
}

bool DictEqual(ThreadState& ts, DictObj* a, DictObj* b, bool* out) {
  *out = false;
  if (a->used != b->used) return true;
  for (size_t pos = 0; pos < a->entries.size(); ++pos) {
    const DictEntry e = a->entries[pos];
    if (e.key.is_undefined()) continue;
    Value other;
    if (!DictGetEntry(ts, b, e.key, e.hash, &other)) return false;
    if (other.is_undefined()) return true;
    bool equal;
    if (!ValuesEqual(ts, e.value, other, &equal)) return false;
    if (!equal) return true;
  }
  *out = true;
  return true;
}

DictIterStep DictIterNext(ThreadState& ts, DictIterObj* it, Value* item) {
  DictObj* d = it->dict;
  if (d == nullptr) return DictIterStep::kDone;
  if (it->used != d->used) {
    it->used = -1;
    ts.Raise("RuntimeError", "dictionary changed size during iteration");
    return DictIterStep::kError;
  }
  size_t pos = it->pos;
  while (pos < d->entries.size() && d->entries[pos].key.is_undefined()) ++pos;
  if (pos >= d->entries.size()) {
    it->dict = nullptr;
    DecrefObj(d);
    return DictIterStep::kDone;
  }
  if (it->remaining == 0) {
    // As many keys as were there at the start have been given, yet another entry follows:
    // keys were deleted and others added in their place.
    it->dict = nullptr;
    DecrefObj(d);
    ts.Raise("RuntimeError", "dictionary keys changed during iteration");
    return DictIterStep::kError;
  }
  it->pos = pos + 1;
  --it->remaining;
  const DictEntry& e = d->entries[pos];
  switch (it->kind) {
    case DictViewKind::kKeys:
      *item = e.key;
      Incref(*item);
      break;
    case DictViewKind::kValues:
      *item = e.value;
      Incref(*item);
      break;
    case DictViewKind::kItems:
      Incref(e.key);
      Incref(e.value);
      *item = MakeTuple({e.key, e.value});
      break;
  }
  return DictIterStep::kItem;
}

}  // namespace gilbench::vm
