// Classes, their instances, and the objects that methods are made of: bound methods, property,
// staticmethod, classmethod and super(). Layouts and lifetimes here; creating a class, looking
// attributes up through the MRO and calling a class are in class.cc, the instance attribute
// cache in attributes.cc, the dunder methods the operators call in dunders.cc.
//
// Single inheritance only: a class's MRO is itself, then its base's MRO, ending at `object`.
//
// Instance layout: each class keeps a slot table (the attribute names its instances have been
// given, in the order first given) -- the "shape" all its instances share; an instance holds its
// class and the values of those slots, an unset slot undefined: the first four inline, the rest
// out of line (InstanceObj below). The table only grows, so a name keeps its slot for the
// class's lifetime, which is what lets a code object cache "this class: slot k" (attributes.cc).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vm/code.h"
#include "vm/object.h"

namespace gilbench::vm {

struct ThreadObj;

// What a class inherits from the VM's own types.
enum class NativeBase : uint8_t {
  kNone,       // a plain class (object's subclass)
  kThread,     // threading.Thread or a subclass: its instances carry a ThreadObj
  kException,  // BaseException or a subclass: its instances carry their args tuple
  kSync,       // a class of threading or queue made in C++ (sync.h): instances carry a SyncObj
};

struct ClassObj : Obj {
  std::string name;
  ClassObj* base = nullptr;  // owned; null only for `object`
  // The namespace, in definition order (owned values). Few entries: a linear search by name.
  std::vector<std::pair<std::string, Value>> attrs;
  NativeBase native = NativeBase::kNone;
  bool builtin = false;  // object, Thread and the other classes the VM makes itself
  // The module a built-in class of a library module is named with in tracebacks and reprs
  // ("queue" for queue.Full); empty for builtins and the program's own classes.
  std::string module;
  // The cache key of the class's current layout and lookups (attributes.cc): a fresh number,
  // never reused, whenever this class's or a base's namespace changes.
  uint64_t version_tag = 0;
  std::vector<std::string> slot_names;  // the instance layout: the slot of each attribute name
  std::vector<ClassObj*> subclasses;    // borrowed; a subclass removes itself when it dies

  ClassObj() : Obj(ObjType::kClass) {}
  ~ClassObj() override;

  // The value `key` in this class's own namespace, or undefined (borrowed).
  Value Own(std::string_view key) const {
    for (const auto& [k, v] : attrs)
      if (k == key) return v;
    return Value::Undefined();
  }
  // `key` looked up through the MRO (borrowed), or undefined; *where (if given) is the class
  // that has it.
  Value Lookup(std::string_view key, const ClassObj** where = nullptr) const {
    for (const ClassObj* c = this; c != nullptr; c = c->base) {
      Value v = c->Own(key);
      if (!v.is_undefined()) {
        if (where) *where = c;
        return v;
      }
    }
    return Value::Undefined();
  }
  bool IsSubclassOf(const ClassObj* other) const {
    for (const ClassObj* c = this; c != nullptr; c = c->base)
      if (c == other) return true;
    return false;
  }
  // The slot of attribute `key` in this class's instances, or -1.
  int SlotOf(std::string_view key) const {
    for (size_t i = 0; i < slot_names.size(); ++i)
      if (slot_names[i] == key) return static_cast<int>(i);
    return -1;
  }
};

// What only some instances need, out of line: the values of slots past the inline ones, and the
// state of a native base (the ThreadObj of a Thread subclass).
struct InstanceOverflow {
  Obj* native = nullptr;     // owned, or null
  std::vector<Value> slots;  // owned values of slots kInlineSlots, kInlineSlots + 1, ...
  // Native objects replaced by a later one (a second __init__), owned until the instance goes:
  // a method may still be running on one, blocked with the GIL released (a Lock's acquire, an
  // Event's wait), as CPython's waiters keep the old internals a re-init replaced.
  std::vector<Obj*> retired;
};

// An instance: 64 bytes, one allocation for up to four attributes.
//
//   0  vptr, refcount, type        the Obj header (13 bytes used)
//  13  inline_tags[2]              the four inline slots' tags, 4 bits each
//  16  cls
//  24  overflow                    null until a fifth slot or a native base's state is set
//  32  inline_bits[4]              the inline slots' payloads (a Value without its tag)
//
// A Value is a 1-byte tag padded to 8 plus an 8-byte payload, so four of them would cost 64
// bytes alone. The tags need 4 bits each (value.h has six), so the four fit in the Obj header's
// tail padding: under the Itanium C++ ABI a derived class's members may sit in a non-POD base's
// tail padding, and the static_assert below checks that they did. A hit of the attribute cache
// on an inline slot is then a 16-bit load of the tags, a shift and a mask, and a load of the
// payload. Attributes past the fourth (rare in the programs this VM runs) and a Thread
// subclass's ThreadObj live in the overflow block, allocated on first need, so a typical
// instance is a single 64-byte block. (An exception instance keeps its args in ExceptionObj.)
struct InstanceObj : Obj {
  static constexpr int kInlineSlots = 4;

  // Tags of the inline slots, read and written as one 16-bit word: slot k's in its bits 4k to
  // 4k + 3 (which byte that is follows the machine's byte order; nothing else reads them);
  // 0 (Tag::kUndefined) where unset.
  uint8_t inline_tags[kInlineSlots / 2] = {0, 0};
  ClassObj* cls;                         // owned
  InstanceOverflow* overflow = nullptr;  // owned, or null
  // Payloads of the inline slots (owned where the tag is kObj): a Value's union, bit for bit.
  uint64_t inline_bits[kInlineSlots] = {0, 0, 0, 0};

  explicit InstanceObj(ClassObj* c);
  ~InstanceObj() override;
  InstanceObj(const InstanceObj&) = delete;
  InstanceObj& operator=(const InstanceObj&) = delete;

  // The value in `slot`, or undefined (borrowed); any slot number, -1 included.
  Value Get(int slot) const {
    if (static_cast<uint32_t>(slot) < kInlineSlots) return GetInline(slot);
    return GetOverflow(slot);
  }
  // Stores an owned `v` in `slot` (>= 0), releases the old value.
  void Set(int slot, Value v) {
    if (static_cast<uint32_t>(slot) < kInlineSlots) {
      SetInline(slot, v);
    } else {
      SetOverflow(slot, v);
    }
  }
  // The VM object a native base carries: the ThreadObj of a Thread subclass (borrowed), or null.
  Obj* native() const { return overflow != nullptr ? overflow->native : nullptr; }
  // Gives the instance its native object (owned); the one it had is kept until the instance goes
  // (InstanceOverflow::retired).
  void SetNative(Obj* obj);

 private:
  Value GetInline(int slot) const {
    uint16_t tags;  // one (unaligned) load of both bytes
    std::memcpy(&tags, inline_tags, sizeof(tags));
    Value v;
    v.tag = static_cast<Tag>((tags >> (slot * 4)) & 0xF);
    std::memcpy(&v.i, &inline_bits[slot], sizeof(uint64_t));
    return v;
  }
  void SetInline(int slot, Value v) {
    const Value old = GetInline(slot);
    uint16_t tags;
    std::memcpy(&tags, inline_tags, sizeof(tags));
    tags = static_cast<uint16_t>((tags & ~(0xF << (slot * 4))) |
                                 (static_cast<int>(v.tag) << (slot * 4)));
    std::memcpy(inline_tags, &tags, sizeof(tags));
    std::memcpy(&inline_bits[slot], &v.i, sizeof(uint64_t));
    Decref(old);
  }
  Value GetOverflow(int slot) const {
    if (slot < kInlineSlots || overflow == nullptr) return Value::Undefined();
    const auto index = static_cast<size_t>(slot - kInlineSlots);
    return index < overflow->slots.size() ? overflow->slots[index] : Value::Undefined();
  }
  void SetOverflow(int slot, Value v);
};
static_assert(static_cast<int>(Tag::kObj) < 16, "InstanceObj packs a Value's tag in 4 bits");
static_assert(sizeof(Value::i) == sizeof(uint64_t) && sizeof(Value::o) <= sizeof(uint64_t) &&
                  sizeof(Value::f) == sizeof(uint64_t),
              "InstanceObj keeps a Value's payload in 8 bytes");
static_assert(sizeof(InstanceObj) == 64,
              "InstanceObj's inline tags must sit in the Obj header's tail padding");

// A Python function bound to its receiver: obj.f, or a classmethod bound to its class.
struct MethodObj : Obj {
  Value func;  // owned
  Value self;  // owned
  MethodObj(Value f, Value s) : Obj(ObjType::kMethod), func(f), self(s) {
    Incref(f);
    Incref(s);
  }
  ~MethodObj() override {
    Decref(func);
    Decref(self);
  }
};

// property, staticmethod and classmethod: a wrapper of one or two callables.
struct WrapperObj : Obj {
  Value fget;                  // owned: the getter, or the wrapped function
  Value fset = Value::None();  // owned: property's setter, or None
  WrapperObj(ObjType t, Value f) : Obj(t), fget(f) { Incref(f); }
  ~WrapperObj() override {
    Decref(fget);
    Decref(fset);
  }
};

struct SuperObj : Obj {
  const ClassObj* after;  // the lookup starts after this class in self's MRO (kept by cls_ref)
  Value cls_ref;          // owned: the class `after` points into
  Value self;             // owned
  SuperObj(ClassObj* a, Value s) : Obj(ObjType::kSuper), after(a), self(s) {
    cls_ref = Value::Object(a);
    IncrefObj(a);
    Incref(s);
  }
  ~SuperObj() override {
    Decref(cls_ref);
    Decref(self);
  }
};

inline bool IsInstanceObj(Value v) { return IsType(v, ObjType::kInstance); }
inline InstanceObj* AsInstance(Value v) { return static_cast<InstanceObj*>(v.o); }
inline ClassObj* AsClass(Value v) { return static_cast<ClassObj*>(v.o); }

// A class's name as a traceback shows it: module.Name for a library module's class.
inline std::string QualifiedClassName(const ClassObj* cls) {
  return cls->module.empty() ? cls->name : cls->module + "." + cls->name;
}

// A fresh version tag (never 0, never reused).
uint64_t NewClassVersionTag();

// The built-in classes (immortal): object, threading.Thread, NotImplemented's type.
ClassObj* ObjectClass();
ClassObj* ThreadClass();
// The NotImplemented singleton (immortal).
Value NotImplemented();
inline bool IsNotImplemented(Value v) { return v.is_obj() && v.o == NotImplemented().o; }

// The class named `name` made of `body`'s namespace (BUILD_CLASS): runs body(), takes the dict it
// returns. `bases` borrowed. A new reference in *out.
bool BuildClass(ThreadState& ts, Value body, std::string_view name, const Value* bases, int nbases,
                Value* out);
// The namespace of a class body's frame (LOAD_LOCALS): a dict of the bound locals, slot order.
Value LocalsDict(ThreadState& ts, const CodeObj* code, const Value* locals);

// Calls the class (makes an instance, runs __init__), an instance's __call__, or a bound method.
bool CallClass(ThreadState& ts, ClassObj* cls, const Value* args, int nargs,
               const std::vector<std::string_view>* kwnames, Value* result);
bool CallWithSelf(ThreadState& ts, Value func, Value self, const Value* args, int nargs,
                  const std::vector<std::string_view>* kwnames, Value* result);
// Interpreter::Call's cases for classes, instances (__call__) and bound methods; *handled false
// (nothing done) for any other callable.
bool CallClassFamily(ThreadState& ts, Value callable, const Value* args, int nargs,
                     const std::vector<std::string_view>* kwnames, Value* result, bool* handled);

// Attributes of instances, classes and super objects; false with AttributeError when missing.
bool InstanceGetAttr(ThreadState& ts, Value obj, std::string_view name, Value* out);
bool ClassGetAttr(ThreadState& ts, Value cls, std::string_view name, Value* out);
bool SuperGetAttr(ThreadState& ts, Value sup, std::string_view name, Value* out);
// super().name(...) as a method call: when the attribute after the super object's class is a
// Python function or a built-in method and the object is an instance, *func and *self become
// them (owned), to be called with self first without making a bound method. False (nothing
// set) for anything else, which SuperGetAttr reads as an attribute.
bool SuperMethod(Value sup, std::string_view name, Value* func, Value* self);
// The same for super(after, self) without the super object.
bool SuperMethodOf(const ClassObj* after, Value self, std::string_view name, Value* func,
                   Value* self_out);
// LOAD_SUPER_METHOD of the constant `name_index` of `code` (class_builtins.cc): `super().name`
// for a method call, [super] -> [function, self] as LOAD_METHOD leaves it (the caller adds one
// slot). When the name `super` holds the built-in and zero-argument super() finds a Python
// function or built-in method after the running method's class, no super object is made;
// otherwise it is super() called with no arguments, then LOAD_METHOD on the result. On failure
// the stack holds one owned value in the slot, as before.
bool LoadSuperMethodOnStack(ThreadState& ts, const CodeObj* code, uint16_t name_index, Value* sp);
// A function's __name__ and __qualname__ (a new reference in *out); false for any other name.
bool FunctionNameAttr(const FunctionObj* fn, std::string_view name, Value* out);
bool MethodGetAttr(ThreadState& ts, Value method, std::string_view name, Value* out);
// obj.name = v (v borrowed), and del obj.name, on an instance or a class; anything else is
// CPython's AttributeError for a built-in type.
bool SetAttr(ThreadState& ts, Value obj, std::string_view name, Value v);
bool DelAttr(ThreadState& ts, Value obj, std::string_view name);
// LOAD_ATTR and STORE_ATTR of the constant `name_index` of `code` after their inline cache
// (attr_cache.h) could not answer: GetAttr / SetAttr, refilling the cache entry for an instance
// whose class allows it (attributes.cc).
bool LoadAttrMiss(ThreadState& ts, const CodeObj* code, uint16_t name_index, Value obj, Value* out);
bool StoreAttrMiss(ThreadState& ts, const CodeObj* code, uint16_t name_index, Value obj, Value v);
// The attributes of the kinds class.h adds (instances, classes, super objects, bound methods,
// properties) for GetAttr: false with *handled false when `obj` is none of them.
bool ClassFamilyGetAttr(ThreadState& ts, Value obj, std::string_view name, Value* out,
                        bool* handled);
// The function whose frame `frame` is (a plain frame's callee sits just below its locals, a
// generator's in the generator), or null for the module's and a class body's frame.
FunctionObj* FunctionOfFrame(const Frame* frame);
// LOAD_METHOD of the constant `name_index` of `code` (attributes.cc): [obj] -> [function, obj]
// for a method CALL_METHOD calls with obj as its first argument -- an instance's plain function
// not shadowed by an instance attribute, found through the code's method cache, or a built-in
// type's method -- else [attribute, NULL]. The caller then adds one slot to the stack. On
// failure the stack is intact. LoadMethodMiss: the same once attr_cache::MethodHit has missed.
bool LoadMethodOnStack(ThreadState& ts, const CodeObj* code, uint16_t name_index, Value* sp);
bool LoadMethodMiss(ThreadState& ts, const CodeObj* code, uint16_t name_index, Value* sp);

// isinstance / issubclass on one class or a tuple of them; the built-in functions int, str, ...
// stand for their types.
bool IsInstanceOf(ThreadState& ts, Value obj, Value classinfo, bool* out);
// The class of an instance, or the built-in stand-in class named by TypeName for other values.
Value TypeOf(Value v);
// The default repr of an instance: <__main__.C object at 0x...>.
std::string DefaultInstanceRepr(Value v);

// The built-in functions that come with classes (class_builtins.cc): object, super, property,
// staticmethod, classmethod, isinstance, issubclass, type, hasattr, getattr, setattr, delattr,
// NotImplemented; undefined for any other name.
Value LookupClassBuiltin(std::string_view name);

}  // namespace gilbench::vm
