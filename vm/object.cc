// Object lifetimes and constructors.
#include "vm/object.h"

#include <algorithm>
#include <new>

#include "vm/code.h"
#include "vm/hash.h"

namespace gilbench::vm {

// Freeing an object drops the references it holds, which can free more objects: a list nested a
// million deep would recurse a million C++ frames deep. Past kTrashcanDepth nested frees, objects
// are parked on a per-thread list and freed by the outermost call in a loop (CPython's
// "trashcan"). Per thread: under subinterp, threads free objects concurrently.
constexpr int kTrashcanDepth = 64;

void DestroyObject(Obj* obj) {
  thread_local int depth = 0;
  thread_local std::vector<Obj*> parked;
  if (depth >= kTrashcanDepth) {
    try {
      parked.push_back(obj);
      return;
    } catch (const std::bad_alloc&) {
      // Out of memory (this runs in a destructor, which must not throw): free it right here,
      // a level deeper than the trashcan would.
    }
  }
  ++depth;
  delete obj;
  --depth;
  if (depth > 0) return;
  while (!parked.empty()) {
    Obj* next = parked.back();
    parked.pop_back();
    ++depth;
    delete next;
    --depth;
  }
}

namespace {
bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }
}  // namespace

StrObj::StrObj(std::string v) : TextObj(ObjType::kStr, std::move(v)) {
  ascii = std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
}

int64_t StrObj::ComputeHash() const {
  const int64_t h = HashText(s, ascii);
  hash_.store(h, std::memory_order_relaxed);
  return h;
}

size_t StrObj::Length() const {
  if (ascii) return s.size();
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return !IsContinuationByte(static_cast<unsigned char>(c));
  }));
}

size_t StrObj::ByteOffset(size_t index) const {
  if (ascii) return index;
  size_t offset = 0;
  for (size_t seen = 0; offset < s.size(); ++offset) {
    if (IsContinuationByte(static_cast<unsigned char>(s[offset]))) continue;
    if (seen++ == index) return offset;
  }
  return s.size();
}

// The objects an immortal value holds: a tuple's items, a code object's constants.
static const std::vector<Value>* Children(Value v) {
  if (IsType(v, ObjType::kTuple)) return &AsSeq(v)->items;
  if (IsType(v, ObjType::kCode)) return &static_cast<CodeObj*>(v.o)->constants;
  return nullptr;
}

NativeObj* MakeImmortalNative(const char* name, NativeFn fn, bool method) {
  auto* obj = new NativeObj(name, fn, method);
  obj->refcount = kImmortalRefcount;
  return obj;
}

void MakeImmortal(Value v) {
  if (!v.is_obj() || IsImmortal(v.o)) return;
  v.o->refcount = kImmortalRefcount;
  if (const std::vector<Value>* children = Children(v)) {
    for (Value c : *children) MakeImmortal(c);
  }
}

void FreeImmortal(Value v) {
  if (!v.is_obj()) return;
  if (std::vector<Value>* children = const_cast<std::vector<Value>*>(Children(v))) {
    for (Value c : *children) FreeImmortal(c);
    children->clear();  // already freed: the destructor must not release them again
  }
  DestroyObject(v.o);
}

Value MakeStr(std::string s) { return Value::Object(new StrObj(std::move(s))); }
Value MakeBytes(std::string s) { return Value::Object(new BytesObj(std::move(s))); }

Value MakeList(std::vector<Value> items) {
  auto* list = new SeqObj(ObjType::kList);
  list->items = std::move(items);
  return Value::Object(list);
}

Value MakeTuple(std::vector<Value> items) {
  auto* tuple = new SeqObj(ObjType::kTuple);
  tuple->items = std::move(items);
  return Value::Object(tuple);
}

// Built once, before any thread starts, and never freed: their counts start immortal, so the
// increments and decrements that every use makes never bring them to zero.
Value CharStr(unsigned char c) {
  static StrObj* const* const kTable = [] {
    static StrObj* table[256];
    for (int i = 0; i < 256; ++i) {
      table[i] = new StrObj(std::string(1, static_cast<char>(i)));
      table[i]->refcount = kImmortalRefcount;
    }
    return table;
  }();
  Value v = Value::Object(kTable[c]);
  Incref(v);
  return v;
}

// In 128 bits: stop - start can overflow int64.
uint64_t RangeObj::Count() const {
  __int128 n = 0;
  if (step > 0 && start < stop) n = (static_cast<__int128>(stop) - start - 1) / step + 1;
  if (step < 0 && start > stop)
    n = (static_cast<__int128>(start) - stop - 1) / -static_cast<__int128>(step) + 1;
  return static_cast<uint64_t>(n);
}

int64_t RangeObj::Length() const {
  uint64_t n = Count();
  return n > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(n);
}

RangeIterObj::RangeIterObj(const RangeObj& r)
    : Obj(ObjType::kRangeIter),
      next(static_cast<uint64_t>(r.start)),
      step(static_cast<uint64_t>(r.step)),
      remaining(r.Count()) {}

int CodeObj::LineForOffset(uint32_t offset) const {
  auto it = std::upper_bound(
      line_table.begin(), line_table.end(), offset,
      [](uint32_t off, const std::pair<uint32_t, int>& entry) { return off < entry.first; });
  if (it == line_table.begin()) return first_line;
  return std::prev(it)->second;
}

}  // namespace gilbench::vm
