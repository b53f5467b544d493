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
#include "vm/class.h"
#include "vm/runtime.h"

namespace gilbench::vm {

namespace {

constexpr uint64_t kSlotMask = 0xFFFF;

// Whether the cache may answer `name` on instances of `cls` by the slot alone: no data
// descriptor of that name anywhere in the MRO.
bool Cacheable(const ClassObj* cls, std::string_view name) {
  return !cls->builtin && !IsType(cls->Lookup(name), ObjType::kProperty);
}

void Fill(const CodeObj* code, uint16_t name_index, const ClassObj* cls, int slot) {
  if (slot < 0 || !code->attr_cache) return;
  code->attr_cache[name_index].store((cls->version_tag << 16) | static_cast<uint64_t>(slot),
                                     std::memory_order_relaxed);
}

// The misses: the full lookup, refilling the cache entry where it may answer.
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

}  // namespace

bool LoadAttrCached(ThreadState& ts, const CodeObj* code, uint16_t name_index, Value obj,
                    Value* out) {
  if (IsInstanceObj(obj) && code->attr_cache) {
    const InstanceObj* inst = AsInstance(obj);
    const uint64_t entry = code->attr_cache[name_index].load(std::memory_order_relaxed);
    if ((entry >> 16) == inst->cls->version_tag) {
      Value v = inst->Get(static_cast<int>(entry & kSlotMask));
      if (!v.is_undefined()) {
        Incref(v);
        *out = v;
        return true;
      }
    }
  }
  return LoadAttrMiss(ts, code, name_index, obj, out);
}

bool StoreAttrCached(ThreadState& ts, const CodeObj* code, uint16_t name_index, Value obj,
                     Value v) {
  if (IsInstanceObj(obj) && code->attr_cache) {
    InstanceObj* inst = AsInstance(obj);
    const uint64_t entry = code->attr_cache[name_index].load(std::memory_order_relaxed);
    if ((entry >> 16) == inst->cls->version_tag) {
      Incref(v);
      inst->Set(static_cast<int>(entry & kSlotMask), v);
      return true;
    }
  }
  return StoreAttrMiss(ts, code, name_index, obj, v);
}

}  // namespace gilbench::vm
