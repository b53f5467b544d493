// Attribute loads and stores with the inline cache of `self.x` (LOAD_ATTR / STORE_ATTR).
//
// An instance keeps its attributes in slots, by its class's slot table (class.h). Finding a
// name's slot means a search of that table, and deciding that the instance's own slot is what
// `obj.x` means also needs a walk of the MRO (a property of that name would win). Both answers
// hold until the class's namespace changes, which gives the class a new version tag. So each
// code object has one cache word per constant (CodeObj::attr_cache): the version tag of the
// class last seen there and the slot; a load whose instance's class has that tag reads the slot
// directly -- no string hashed or compared -- and anything else (another class, a changed class,
// an unset slot, a non-instance) takes the full lookup, which refills the entry. On an inline
// slot (class.h) a hit is a few loads; the misses are out-of-line calls, so that the hits need
// no stack frame of their own.
//
// LOAD_METHOD on an instance has a cache of its own (CodeObj::method_cache), one word per
// constant too: the class's version tag, where in the MRO the plain function of that name sits
// (how many bases up, and its index in that class's namespace) and the instance slot of the name
// (an instance attribute of that name shadows the method). A hit reads the function from the
// class's namespace itself, so the cache holds no reference: the entry can only hit while the
// tag is unchanged, and every change to the namespace of the class or of a base (a method
// replaced, added or deleted) gives the class a new tag, as does a new name in its slot table
// (SetAttr), so a "no slot" entry cannot miss a later instance attribute. One word, so that
// interpreters sharing the code object (subinterp) never see half of another's entry; tags are
// unique in the process, so another interpreter's classes never match.
#include "vm/attr_cache.h"
#include "vm/class.h"
#include "vm/runtime.h"

namespace gilbench::vm {

namespace {

using attr_cache::kAttrSlotMask;
using attr_cache::kAttrTagShift;
using attr_cache::kMethodMaxDepth;
using attr_cache::kMethodMaxIndex;
using attr_cache::kMethodNoSlot;
using attr_cache::kMethodTagShift;

// Whether the cache may answer `name` on instances of `cls` by the slot alone: no data
// descriptor of that name anywhere in the MRO.
bool Cacheable(const ClassObj* cls, std::string_view name) {
  return !cls->builtin && !IsType(cls->Lookup(name), ObjType::kProperty);
}

void Fill(const CodeObj* code, uint16_t name_index, const ClassObj* cls, int slot) {
  if (slot < 0 || !code->attr_cache) return;
  code->attr_cache[name_index].store(
      (cls->version_tag << kAttrTagShift) | static_cast<uint64_t>(slot), std::memory_order_relaxed);
}

// The plain function `name` on `inst`'s class, unless an instance attribute shadows it; refills
// the cache entry when its position and the slot fit the word.
bool FindInstanceMethod(const CodeObj* code, uint16_t name_index, InstanceObj* inst, Value* func) {
  const std::string& name = AsStr(code->constants[name_index])->s;
  const ClassObj* cls = inst->cls;
  const ClassObj* where = nullptr;
  Value attr = cls->Lookup(name, &where);
  if (!IsType(attr, ObjType::kFunction)) return false;
  const int slot = cls->SlotOf(name);
  if (!inst->Get(slot).is_undefined()) return false;
  uint32_t depth = 0;
  for (const ClassObj* c = cls; c != where; c = c->base) ++depth;
  uint32_t index = 0;
  while (where->attrs[index].first != name) ++index;
  const uint32_t slot_bits = slot < 0 ? kMethodNoSlot : static_cast<uint32_t>(slot);
  if (code->method_cache && cls->version_tag < attr_cache::kBuiltinTypeTag &&
      depth <= kMethodMaxDepth && index <= kMethodMaxIndex &&
      (slot < 0 || slot_bits < kMethodNoSlot)) {
    code->method_cache[name_index].store(
        (cls->version_tag << kMethodTagShift) | slot_bits << 12 | depth << 8 | index,
        std::memory_order_relaxed);
  }
  *func = attr;
  return true;
}

// The built-in method of obj's type named by the constant, through the site's cache word.
NativeObj* FindBuiltinMethod(const CodeObj* code, uint16_t name_index, Value obj) {
  if (!obj.is_obj()) return nullptr;
  const uint64_t type_tag = attr_cache::kBuiltinTypeTag + static_cast<uint64_t>(obj.o->type);
  if (code->method_cache) {
    const uint64_t entry = code->method_cache[name_index].load(std::memory_order_relaxed);
    if ((entry >> kMethodTagShift) == type_tag) {
      return MethodAt(obj.o->type, entry & ((uint64_t{1} << kMethodTagShift) - 1));
    }
  }
  size_t index;
  NativeObj* method = FindMethod(obj, AsStr(code->constants[name_index])->s, &index);
  if (method != nullptr && code->method_cache) {
    code->method_cache[name_index].store((type_tag << kMethodTagShift) | index,
                                         std::memory_order_relaxed);
  }
  return method;
}

}  // namespace

// The misses (class.h): the full lookups, refilling the cache entry where it may answer. For a
// method: an instance's by the full lookup, a built-in type's method, else the attribute itself.
[[gnu::noinline]] bool LoadMethodMiss(ThreadState& ts, const CodeObj* code, uint16_t name_index,
                                      Value* sp) {
  Value obj = sp[-1];
  Value func;
  if (IsInstanceObj(obj)) {
    if (FindInstanceMethod(code, name_index, AsInstance(obj), &func)) {
      Incref(func);
      sp[-1] = func;
      sp[0] = obj;
      return true;
    }
  } else if (IsType(obj, ObjType::kSuper)) {
    // super().__init__(...): [method, self] as for an instance, without a bound method object.
    Value self;
    if (SuperMethod(obj, AsStr(code->constants[name_index])->s, &func, &self)) {
      Decref(obj);
      sp[-1] = func;
      sp[0] = self;
      return true;
    }
  } else if (NativeObj* method = FindBuiltinMethod(code, name_index, obj)) {
    IncrefObj(method);
    sp[-1] = Value::Object(method);
    sp[0] = obj;
    return true;
  }
  Value out;
  if (!GetAttr(ts, obj, AsStr(code->constants[name_index])->s, &out)) return false;
  Decref(obj);
  sp[-1] = out;
  sp[0] = Value::Undefined();
  return true;
}

[[gnu::noinline]] bool LoadAttrMiss(ThreadState& ts, const CodeObj* code, uint16_t name_index,
                                    Value obj, Value* out) {
  const std::string& name = AsStr(code->constants[name_index])->s;
  if (!IsInstanceObj(obj) || !code->attr_cache) return GetAttr(ts, obj, name, out);
  InstanceObj* inst = AsInstance(obj);
  if (Cacheable(inst->cls, name)) Fill(code, name_index, inst->cls, inst->cls->SlotOf(name));
  return InstanceGetAttr(ts, obj, name, out);
}

[[gnu::noinline]] bool StoreAttrMiss(ThreadState& ts, const CodeObj* code, uint16_t name_index,
                                     Value obj, Value v) {
  const std::string& name = AsStr(code->constants[name_index])->s;
  if (!SetAttr(ts, obj, name, v)) return false;
  if (!IsInstanceObj(obj) || !code->attr_cache) return true;
  InstanceObj* inst = AsInstance(obj);
  if (Cacheable(inst->cls, name)) Fill(code, name_index, inst->cls, inst->cls->SlotOf(name));
  return true;
}

bool LoadMethodOnStack(ThreadState& ts, const CodeObj* code, uint16_t name_index, Value* sp) {
  if (attr_cache::MethodHit(code, name_index, sp)) return true;
  return LoadMethodMiss(ts, code, name_index, sp);
}

}  // namespace gilbench::vm
