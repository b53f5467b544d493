// Cross-interpreter copies for the subinterp policy; see subinterp.h.
#include "vm/subinterp.h"

#include "vm/class.h"
#include "vm/code.h"
#include "vm/dict.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"
#include "vm/set.h"

namespace gilbench::vm {

CrossInterpreterCopier::~CrossInterpreterCopier() {
  for (const auto& [from, copy] : memo_) Decref(copy);
}

bool CrossInterpreterCopier::Copy(Value v, Value* out, std::string* why) {
  if (!v.is_obj() || IsImmortal(v.o)) {
    *out = v;  // tagged values and immortal objects are shared as they are
    return true;
  }
  for (const auto& [from, copy] : memo_) {
    if (from == v.o) {
      Incref(copy);
      *out = copy;
      return true;
    }
  }
  return CopyObject(v.o, out, why);
}

bool CrossInterpreterCopier::CopyObject(Obj* obj, Value* out, std::string* why) {
  Value v = Value::Object(obj);
  switch (obj->type) {
    case ObjType::kStr:
      *out = MakeStr(AsStr(v)->s);
      return true;
    case ObjType::kBytes:
      *out = MakeBytes(AsBytes(v)->s);
      return true;
    case ObjType::kList:
    case ObjType::kTuple:
      return CopySequence(AsSeq(v), out, why);
    case ObjType::kDict:
      return CopyDict(AsDict(v), out, why);
    case ObjType::kSet:
    case ObjType::kFrozenSet:
      return CopySet(AsSet(v), out, why);
    case ObjType::kDictView: {
      auto* view = static_cast<DictViewObj*>(obj);
      Value dict;
      if (!Copy(Value::Object(view->dict), &dict, why)) return false;
      *out = Value::Object(new DictViewObj(AsDict(dict), view->kind));
      Decref(dict);  // the view holds its own reference
      return true;
    }
    case ObjType::kRange: {
      auto* r = static_cast<RangeObj*>(obj);
      *out = Value::Object(new RangeObj(r->start, r->stop, r->step));
      return true;
    }
    case ObjType::kFunction: {
      auto* fn = static_cast<FunctionObj*>(obj);
      std::vector<Value> defaults;
      for (Value d : fn->defaults) {
        Value copy;
        if (!Copy(d, &copy, why)) {
          for (Value c : defaults) Decref(c);
          return false;
        }
        defaults.push_back(copy);
      }
      auto* copy = new FunctionObj(fn->code, std::move(defaults));
      *out = Value::Object(copy);
      // Keyword-only defaults and the closure's cells are copied too: a closure made in the
      // parent becomes one over copies of its variables (as every global is a copy).
      for (Value d : fn->kwdefaults) {
        Value c = Value::Undefined();
        if (!d.is_undefined() && !Copy(d, &c, why)) {
          Decref(*out);
          return false;
        }
        copy->kwdefaults.push_back(c);
      }
      for (Value cell : fn->closure) {
        Value c;
        if (!Copy(cell, &c, why)) {
          Decref(*out);
          return false;
        }
        copy->closure.push_back(c);
      }
      return true;
    }
    case ObjType::kCell: {
      auto* cell = new CellObj();
      *out = Value::Object(cell);
      Value content = static_cast<CellObj*>(obj)->value;
      if (!content.is_undefined() && !Copy(content, &cell->value, why)) {
        cell->value = Value::Undefined();
        Decref(*out);
        return false;
      }
      return true;
    }
    case ObjType::kNative: {
      auto* native = static_cast<NativeObj*>(obj);  // stateless: a fresh object will do
      *out = Value::Object(new NativeObj(native->name, native->fn, native->is_method));
      return true;
    }
    case ObjType::kBoundMethod: {
      auto* bound = static_cast<BoundMethodObj*>(obj);
      Value self;
      if (!Copy(bound->self, &self, why)) return false;
      *out = Value::Object(new BoundMethodObj(bound->method, self));
      return true;
    }
    case ObjType::kHash:
      *out = Value::Object(new HashObj(static_cast<HashObj*>(obj)->digest));
      return true;
    case ObjType::kTextStream:  // sys.stdout / sys.stderr: stateless but for the fd
      *out = Value::Object(new TextStreamObj(static_cast<TextStreamObj*>(obj)->fd));
      return true;
    case ObjType::kModule:
      *out = to_->ImportModule(static_cast<ModuleObj*>(obj)->name);
      Incref(*out);
      return true;
    case ObjType::kInstance:
      // threading's locks, conditions, events, semaphores, barriers and the queues: their
      // state is guarded by one interpreter's GIL (sync.h), and a copy would synchronise nothing.
      if (AsInstance(v)->cls->native == NativeBase::kSync) {
        *why = "a " + QualifiedClassName(AsInstance(v)->cls) +
               " synchronises threads of one interpreter and cannot be shared between "
               "interpreters";
        return false;
      }
      *why = std::string("a ") + TypeName(v) + " cannot be shared between interpreters";
      return false;
    default:
      *why = std::string("a ") + TypeName(v) + " cannot be shared between interpreters";
      return false;
  }
}

// Counts one level of a nested copy (a container inside a container), failing past the
// interpreter's recursion limit.
class CrossInterpreterCopier::NestingGuard {
 public:
  explicit NestingGuard(int* depth) : depth_(depth) { ++*depth_; }
  ~NestingGuard() { --*depth_; }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;
  bool TooDeep(std::string* why) const {
    if (*depth_ <= Interpreter::kRecursionLimit) return false;
    *why = "a container nested too deeply to copy";
    return true;
  }

 private:
  int* depth_;
};

// A dict, with its table's layout (the order, the holes, the room left) as it is, so that the
// copy behaves as the original would -- also when a loop changes it while iterating. The copy
// is remembered first, so a dict that contains itself copies to one that contains itself.
bool CrossInterpreterCopier::CopyDict(DictObj* d, Value* out, std::string* why) {
  NestingGuard guard(&depth_);
  if (guard.TooDeep(why)) return false;
  DictObj* copy = NewDict();
  IncrefObj(copy);  // the memo's reference
  memo_.emplace_back(d, Value::Object(copy));
  copy->index = d->index;
  copy->usable = d->usable;
  copy->unicode = d->unicode;
  copy->entries.reserve(d->entries.size());
  for (const DictEntry& e : d->entries) {
    DictEntry c{Value::Undefined(), Value::Undefined(), e.hash};
    if (!e.key.is_undefined() && (!Copy(e.key, &c.key, why) || !Copy(e.value, &c.value, why))) {
      Decref(c.key);
      DecrefObj(copy);
      return false;
    }
    copy->entries.push_back(c);
    if (!c.key.is_undefined()) ++copy->used;
  }
  *out = Value::Object(copy);
  return true;
}

// A set or frozenset, slot for slot: it iterates (and pops) in the same order as the original.
// Its keys are hashable, so none contains the set, but they may be deeply nested tuples.
bool CrossInterpreterCopier::CopySet(SetObj* so, Value* out, std::string* why) {
  NestingGuard guard(&depth_);
  if (guard.TooDeep(why)) return false;
  SetObj* copy = NewSet(so->type);
  copy->table.assign(so->table.size(), SetEntry{Value::Undefined(), 0});
  copy->mask = so->mask;
  copy->fill = so->fill;
  copy->finger = so->finger;
  copy->hash = so->hash;
  for (size_t i = 0; i < so->table.size(); ++i) {
    const SetEntry& e = so->table[i];
    copy->table[i].hash = e.hash;
    if (e.key.is_undefined()) continue;
    if (!Copy(e.key, &copy->table[i].key, why)) {
      DecrefObj(copy);
      return false;
    }
    ++copy->used;
  }
  *out = Value::Object(copy);
  return true;
}

// Lists and tuples: the copy is remembered before its items are copied, so a list that
// contains itself copies to a list that contains itself.
bool CrossInterpreterCopier::CopySequence(SeqObj* seq, Value* out, std::string* why) {
  NestingGuard guard(&depth_);
  if (guard.TooDeep(why)) return false;
  auto* copy = new SeqObj(seq->type);
  IncrefObj(copy);  // the memo's reference
  memo_.emplace_back(seq, Value::Object(copy));
  for (Value item : seq->items) {
    Value c;
    if (!Copy(item, &c, why)) {
      DecrefObj(copy);
      return false;
    }
    copy->items.push_back(c);
  }
  *out = Value::Object(copy);
  return true;
}

}  // namespace gilbench::vm
