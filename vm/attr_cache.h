// The hit paths of the attribute and method caches (attributes.cc explains the caches), inline
// so that the interpreter loop answers `self.x`, `self.x = v` and `self.f(...)` without a call:
// a call out of the loop costs the loop's state saved to its frame and the Value passed through
// memory, which on object-heavy code were more instructions than the lookups themselves. Each
// returns false when the cache cannot answer; the loop then calls the miss half (LoadAttrMiss,
// StoreAttrMiss, LoadMethodMiss in class.h), which does the full lookup and refills the entry.
#pragma once

#include <cstdint>

#include "vm/class.h"
#include "vm/code.h"

namespace gilbench::vm::attr_cache {

// The attribute cache word: the class's version tag << 16 | the slot.
constexpr int kAttrTagShift = 16;
constexpr uint64_t kAttrSlotMask = 0xFFFF;

// The method cache word: tag << 24 | slot << 12 | depth << 8 | index, where the slot is the
// instance slot that would shadow the method (kMethodNoSlot: none), depth how many bases up the
// MRO the function's class is, and index its place in that class's namespace.
constexpr int kMethodTagShift = 24;
constexpr uint64_t kMethodMaxTag = uint64_t{1} << (64 - kMethodTagShift);
constexpr uint32_t kMethodNoSlot = 0xFFF;
constexpr uint32_t kMethodMaxDepth = 0xF;
constexpr uint32_t kMethodMaxIndex = 0xFF;
// A LOAD_METHOD site that last saw a built-in type's object (`d.get(...)`) keeps, in the same
// word, a tag of its own for the type -- kBuiltinTypeTag + the ObjType, far above any class's
// version tag -- and the method's index in that type's method table (FindMethod).
constexpr uint64_t kBuiltinTypeTag = kMethodMaxTag - 256;

// obj.name (a new reference in *out) when obj is an instance whose class matches the entry and
// whose slot is set.
inline bool LoadHit(const CodeObj* code, uint16_t name_index, Value obj, Value* out) {
  if (!IsInstanceObj(obj) || !code->attr_cache) return false;
  const InstanceObj* inst = AsInstance(obj);
  const uint64_t entry = code->attr_cache[name_index].load(std::memory_order_relaxed);
  if ((entry >> kAttrTagShift) != inst->cls->version_tag) return false;
  Value v = inst->Get(static_cast<int>(entry & kAttrSlotMask));
  if (v.is_undefined()) return false;
  Incref(v);
  *out = v;
  return true;
}

// obj.name = v (v borrowed; the slot takes a reference) when obj is an instance whose class
// matches the entry.
inline bool StoreHit(const CodeObj* code, uint16_t name_index, Value obj, Value v) {
  if (!IsInstanceObj(obj) || !code->attr_cache) return false;
  InstanceObj* inst = AsInstance(obj);
  const uint64_t entry = code->attr_cache[name_index].load(std::memory_order_relaxed);
  if ((entry >> kAttrTagShift) != inst->cls->version_tag) return false;
  Incref(v);
  inst->Set(static_cast<int>(entry & kAttrSlotMask), v);
  return true;
}

// LOAD_METHOD's [obj] -> [function, obj] (the caller adds the slot) when obj is an instance whose
// class matches the entry and no instance attribute shadows the method.
inline bool MethodHit(const CodeObj* code, uint16_t name_index, Value* sp) {
  Value obj = sp[-1];
  if (!IsInstanceObj(obj) || !code->method_cache) return false;
  const InstanceObj* inst = AsInstance(obj);
  const ClassObj* cls = inst->cls;
  const uint64_t entry = code->method_cache[name_index].load(std::memory_order_relaxed);
  if ((entry >> kMethodTagShift) != cls->version_tag) return false;
  const auto slot = static_cast<uint32_t>(entry >> 12) & kMethodNoSlot;
  if (slot != kMethodNoSlot && !inst->Get(static_cast<int>(slot)).is_undefined()) return false;
  for (uint32_t depth = (entry >> 8) & kMethodMaxDepth; depth > 0; --depth) cls = cls->base;
  Value func = cls->attrs[entry & kMethodMaxIndex].second;
  Incref(func);
  sp[-1] = func;
  sp[0] = obj;
  return true;
}

}  // namespace gilbench::vm::attr_cache
