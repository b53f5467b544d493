// Heap objects: the header every one starts with, each kind's layout, reference counting, and the
// constructors. Type-specific behaviour lives in runtime.cc (truth, repr, arithmetic, comparison,
// iteration) and builtins.cc (built-in functions and methods); this file only knows layouts and
// lifetimes.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vm/value.h"

namespace gilbench::vm {

enum class ObjType : uint8_t {
  kStr,
  kBytes,
  kList,
  kTuple,
  kCode,
  kFunction,
  kNative,       // a built-in function or method implemented in C++
  kBoundMethod,  // a native method bound to its receiver (`f = xs.append`)
  kModule,
  kRange,
  kRangeIter,
  kSeqIter,  // iterator over a list, tuple, str or bytes
  kGenerator,
  kThread,
  kHash,  // hashlib.sha256(...): a finished digest
  // The hash tables (dict.h, set.h) and their views and iterators.
  kDict,
  kDictView,  // d.keys(), d.values(), d.items()
  kDictIter,
  kSet,
  kFrozenSet,
  kSetIter,
  // Classes and what goes with them (vm/class.h).
  kClass,
  kInstance,
  kMethod,        // a Python function bound to its receiver (`m = obj.f`)
  kProperty,      // property(fget, fset)
  kStaticMethod,  // staticmethod(f)
  kClassMethod,   // classmethod(f)
  kSuper,         // super(): the rest of an instance's MRO after a class
  kBuiltinIter,   // enumerate, zip, map, filter, reversed (builtin_iters.h)
  kSlice,         // a slice object: x[a:b:c] with a step, slice assignment and deletion
  kTextStream,    // sys.stdout, sys.stderr (text_stream.cc)
  kCell,          // a variable shared between a function and the closures made in it (code.h)
  kMpState,       // multiprocessing: the state a Process, Pool or result object carries
  kSync,  // the native state of a threading / queue object (sync.h), carried by its instance
};

// Counts at or above this are immortal (PEP 683): objects that every interpreter of the process
// may share -- code objects and their constants, built-in functions and methods, the one-byte
// strings. Their count is never written, so threads holding different GILs (the subinterp
// policy) share them without a data race.
inline constexpr uint32_t kImmortalRefcount = 1u << 30;

struct Obj {
  uint32_t refcount = 1;  // guarded by the GIL (plain, not atomic, as in CPython)
  ObjType type;
  explicit Obj(ObjType t) : type(t) {}
  virtual ~Obj() = default;
};

// Frees `obj`: runs its destructor, which drops the references it held.
void DestroyObject(Obj* obj);

inline bool IsImmortal(const Obj* o) { return o->refcount >= kImmortalRefcount; }
inline void IncrefObj(Obj* o) {
  if (!IsImmortal(o)) ++o->refcount;
}
inline void DecrefObj(Obj* o) {
  if (!IsImmortal(o) && --o->refcount == 0) DestroyObject(o);
}
inline void Incref(Value v) {
  if (v.tag == Tag::kObj) IncrefObj(v.o);
}
inline void Decref(Value v) {
  if (v.tag == Tag::kObj) DecrefObj(v.o);
}

// Makes `v` and everything it holds (tuple items, a code object's constants) immortal.
// Requires: no other thread can see `v` yet.
void MakeImmortal(Value v);
// Frees an immortal tree made by MakeImmortal, once nothing can use it any more.
void FreeImmortal(Value v);

// The layout str and bytes share: their contents as a byte string.
struct TextObj : Obj {
  std::string s;
  TextObj(ObjType t, std::string v) : Obj(t), s(std::move(v)) {}
};

// A str holds UTF-8. Length, indexes and slices count code points, as Python's do; `ascii`
// (computed once) lets the common all-ASCII case index bytes directly.
struct StrObj : TextObj {
  bool ascii;
  explicit StrObj(std::string v);
  // Number of code points.
  size_t Length() const;
  // Byte offset of code point `index` (index <= Length()).
  size_t ByteOffset(size_t index) const;
  // hash(self) as CPython computes it (hash.h), computed on first use and kept, as CPython keeps
  // a str's hash: a dict or set looks it up on every access.
  int64_t Hash() const {
    int64_t h = hash_.load(std::memory_order_relaxed);
    return h != -1 ? h : ComputeHash();
  }

 private:
  int64_t ComputeHash() const;
  // -1 until computed (no hash is -1). Atomic, relaxed: immortal strs (constants, the one-byte
  // strs) are shared by interpreters that hold different GILs under subinterp, so two threads
  // may fill it at once -- with the same value.
  mutable std::atomic<int64_t> hash_{-1};
};

struct BytesObj : TextObj {
  explicit BytesObj(std::string v) : TextObj(ObjType::kBytes, std::move(v)) {}
};

// list and tuple share one layout; the items are owned references.
struct SeqObj : Obj {
  std::vector<Value> items;
  explicit SeqObj(ObjType t) : Obj(t) {}
  ~SeqObj() override {
    for (Value v : items) Decref(v);
  }
};
using ListObj = SeqObj;
using TupleObj = SeqObj;

class Interpreter;
struct ThreadState;

// The signature of every built-in function and method: `self` is the receiver (undefined for
// plain functions), args the positional arguments (borrowed), kwnames the names of the last
// kwnames.size() of them. On success stores a new reference in *result and returns true; on
// failure records the error in the thread (ThreadState::Raise) and returns false.
struct CallArgs {
  Value self;
  const Value* args;
  int nargs;                                     // positional + keyword values
  const std::vector<std::string_view>* kwnames;  // may be null: no keywords
  int npositional() const { return nargs - (kwnames ? static_cast<int>(kwnames->size()) : 0); }
};
using NativeFn = bool (*)(ThreadState& ts, const CallArgs& call, Value* result);

struct NativeObj : Obj {
  const char* name;  // for repr and error messages: "len", "append"
  NativeFn fn;
  bool is_method;  // a method of a type (repr "<built-in method ...>")
  NativeObj(const char* n, NativeFn f, bool method)
      : Obj(ObjType::kNative), name(n), fn(f), is_method(method) {}
};

// A built-in function or method that every interpreter shares for the process's life (the
// tables of built-ins, methods and the classes' native methods hold these).
NativeObj* MakeImmortalNative(const char* name, NativeFn fn, bool method);

struct BoundMethodObj : Obj {
  NativeObj* method;  // immortal
  Value self;         // owned
  BoundMethodObj(NativeObj* m, Value s) : Obj(ObjType::kBoundMethod), method(m), self(s) {}
  ~BoundMethodObj() override { Decref(self); }
};

struct ModuleObj : Obj {
  std::string name;
  std::vector<std::pair<std::string, Value>> attrs;  // owned values
  explicit ModuleObj(std::string n) : Obj(ObjType::kModule), name(std::move(n)) {}
  ~ModuleObj() override {
    for (auto& [k, v] : attrs) Decref(v);
  }
  // The attribute `key`, or an undefined Value.
  Value Get(std::string_view key) const {
    for (const auto& [k, v] : attrs)
      if (k == key) return v;
    return Value::Undefined();
  }
};

struct RangeObj : Obj {
  int64_t start, stop, step;
  RangeObj(int64_t a, int64_t b, int64_t c) : Obj(ObjType::kRange), start(a), stop(b), step(c) {}
  uint64_t Count() const;  // the number of items (up to 2**64 - 1)
  // Count() capped at INT64_MAX, for truth tests and the like; len() of a longer range is an
  // OverflowError, as in CPython.
  int64_t Length() const;
};

// Counts down the items left rather than comparing `next` with the stop: the loop's test is then
// one compare with zero whatever the step's sign, and `next` may wrap past the last item (it is
// never read again) instead of needing an overflow check.
struct RangeIterObj : Obj {
  uint64_t next;       // the next item, as two's complement (wraps harmlessly after the last)
  uint64_t step;       // likewise
  uint64_t remaining;  // items not yet produced: a range can hold up to 2**64 - 1
  explicit RangeIterObj(const RangeObj& r);
  // Produces the next item; only when remaining > 0.
  int64_t Take() {
    --remaining;
    int64_t item = static_cast<int64_t>(next);
    next += step;
    return item;
  }
};

struct SeqIterObj : Obj {
  Obj* seq;  // owned: a list, tuple, str or bytes
  size_t index = 0;
  explicit SeqIterObj(Obj* s) : Obj(ObjType::kSeqIter), seq(s) { IncrefObj(s); }
  ~SeqIterObj() override { DecrefObj(seq); }
};

// hashlib's hash object. The digest is computed when the object is made (the subset has no
// update()), so the object is immutable.
struct HashObj : Obj {
  std::string digest;  // 32 raw bytes for sha256
  explicit HashObj(std::string d) : Obj(ObjType::kHash), digest(std::move(d)) {}
};

// slice(start, stop, step), as `x[a:b:c]` makes it; each field is None when left out.
struct SliceObj : Obj {
  Value start, stop, step;  // owned
  SliceObj(Value a, Value b, Value c) : Obj(ObjType::kSlice), start(a), stop(b), step(c) {}
  ~SliceObj() override {
    Decref(start);
    Decref(stop);
    Decref(step);
  }
};

// sys.stdout or sys.stderr: text written to fd 1 goes through the interpreter's buffered stdout,
// to fd 2 straight to stderr.
struct TextStreamObj : Obj {
  int fd;
  explicit TextStreamObj(int f) : Obj(ObjType::kTextStream), fd(f) {}
};

// Constructors: each returns a new reference.
Value MakeStr(std::string s);
Value MakeBytes(std::string s);
Value MakeList(std::vector<Value> items = {});   // takes ownership of the items
Value MakeTuple(std::vector<Value> items = {});  // takes ownership of the items
// The interned one-byte strings (immortal), used by indexing and iteration.
Value CharStr(unsigned char c);

inline bool IsType(Value v, ObjType t) { return v.tag == Tag::kObj && v.o->type == t; }
inline StrObj* AsStr(Value v) { return static_cast<StrObj*>(v.o); }
// A str or a bytes, for what they share.
inline TextObj* AsText(Value v) { return static_cast<TextObj*>(v.o); }
inline BytesObj* AsBytes(Value v) { return static_cast<BytesObj*>(v.o); }
inline SeqObj* AsSeq(Value v) { return static_cast<SeqObj*>(v.o); }

}  // namespace gilbench::vm
