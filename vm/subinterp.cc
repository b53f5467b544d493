// Cross-interpreter copies for the subinterp policy; see subinterp.h.
#include "vm/subinterp.h"

#include "vm/code.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"

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
      *out = Value::Object(new FunctionObj(fn->code, std::move(defaults)));
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
    case ObjType::kModule:
      *out = to_->ImportModule(static_cast<ModuleObj*>(obj)->name);
      Incref(*out);
      return true;
    default:
      *why = std::string("a ") + TypeName(v) + " cannot be shared between interpreters";
      return false;
  }
}

// Lists and tuples: the copy is remembered before its items are copied, so a list that
// contains itself copies to a list that contains itself.
bool CrossInterpreterCopier::CopySequence(SeqObj* seq, Value* out, std::string* why) {
  if (depth_ >= Interpreter::kRecursionLimit) {
    *why = "a list or tuple nested too deeply to copy";
    return false;
  }
  struct DepthGuard {
    int* depth;
    explicit DepthGuard(int* d) : depth(d) { ++*depth; }
    ~DepthGuard() { --*depth; }
  } guard(&depth_);
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
