// The built-in functions that come with classes -- object, super, property, staticmethod,
// classmethod, isinstance, issubclass, type, hasattr, getattr, setattr, delattr -- and the
// attributes of the objects class.h adds, for GetAttr.
#include "vm/args.h"
#include "vm/builtins.h"
#include "vm/class.h"
#include "vm/exceptions.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"

namespace gilbench::vm {

namespace {

bool AttrName(ThreadState& ts, Value v, std::string_view* out) {
  if (!IsType(v, ObjType::kStr)) {
    return ts.Raise("TypeError",
                    std::string("attribute name must be string, not '") + TypeName(v) + "'");
  }
  *out = AsStr(v)->s;
  return true;
}

// Zero-argument super()'s class and object (borrowed), read from the running frame: the class
// that defined the running function (recorded on it when its class was made:
// FunctionObj::defining_class, in place of CPython's __class__ cell) and the frame's first
// argument. False with CPython's RuntimeError outside a method.
bool ZeroArgSuper(ThreadState& ts, ClassObj** cls, Value* self) {
  const Frame* frame = ts.current;
  if (frame == nullptr || frame->code->nparams == 0 || frame->locals[0].is_undefined()) {
    return ts.Raise("RuntimeError", "super(): no arguments");
  }
  FunctionObj* fn = FunctionOfFrame(frame);
  if (fn == nullptr || fn->defining_class == nullptr) {
    return ts.Raise("RuntimeError", "super(): __class__ cell not found");
  }
  *cls = fn->defining_class;
  *self = frame->locals[0];
  // A first parameter that a closure uses lives in a cell (as CPython's super() reads it).
  if (IsType(*self, ObjType::kCell)) *self = static_cast<CellObj*>(self->o)->value;
  if (self->is_undefined()) return ts.Raise("RuntimeError", "super(): arg[0] deleted");
  return true;
}

// super(cls, self) needs self to be an instance or a subclass of cls: CPython's TypeError else.
bool CheckSuperArgs(ThreadState& ts, ClassObj* cls, Value self) {
  if ((IsInstanceObj(self) && AsInstance(self)->cls->IsSubclassOf(cls)) ||
      (IsType(self, ObjType::kClass) && AsClass(self)->IsSubclassOf(cls))) {
    return true;
  }
  return ts.Raise("TypeError", "super(type, obj): obj must be an instance or subtype of type");
}

bool Super(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "super", 0, 2)) return false;
  ClassObj* cls = nullptr;
  Value self;
  if (call.nargs == 0) {
    if (!ZeroArgSuper(ts, &cls, &self)) return false;
  } else {
    if (!IsType(call.args[0], ObjType::kClass)) {
      return ts.Raise("TypeError", std::string("super() argument 1 must be a type, not ") +
                                       TypeName(call.args[0]));
    }
    if (call.nargs == 1) return ts.Raise("TypeError", "gilvm: super() needs its second argument");
    cls = AsClass(call.args[0]);
    self = call.args[1];
  }
  if (!CheckSuperArgs(ts, cls, self)) return false;
  *result = Value::Object(new SuperObj(cls, self));
  return true;
}

bool Wrapper(ThreadState& ts, const CallArgs& call, ObjType type, const char* name, Value* result) {
  if (!Arity(ts, call, name, 1, 1)) return false;
  *result = Value::Object(new WrapperObj(type, call.args[0]));
  return true;
}

bool StaticMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  return Wrapper(ts, call, ObjType::kStaticMethod, "staticmethod", result);
}

bool ClassMethod(ThreadState& ts, const CallArgs& call, Value* result) {
  return Wrapper(ts, call, ObjType::kClassMethod, "classmethod", result);
}

// property(fget=None, fset=None), positionally.
bool Property(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!Arity(ts, call, "property", 0, 2)) return false;
  auto* p = new WrapperObj(ObjType::kProperty, call.nargs > 0 ? call.args[0] : Value::None());
  if (call.nargs > 1) {
    Incref(call.args[1]);
    Decref(p->fset);
    p->fset = call.args[1];
  }
  *result = Value::Object(p);
  return true;
}

// prop.setter(f) / prop.getter(f): a copy of the property with that accessor replaced.
bool PropertyCopy(ThreadState& ts, const CallArgs& call, bool setter, Value* result) {
  if (!Arity(ts, call, setter ? "setter" : "getter", 1, 1)) return false;
  auto* old = static_cast<WrapperObj*>(call.self.o);
  auto* p = new WrapperObj(ObjType::kProperty, setter ? old->fget : call.args[0]);
  Value fset = setter ? call.args[0] : old->fset;
  Incref(fset);
  Decref(p->fset);
  p->fset = fset;
  *result = Value::Object(p);
  return true;
}

bool PropertySetter(ThreadState& ts, const CallArgs& call, Value* result) {
  return PropertyCopy(ts, call, true, result);
}

bool PropertyGetter(ThreadState& ts, const CallArgs& call, Value* result) {
  return PropertyCopy(ts, call, false, result);
}

bool IsInstance(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "isinstance", 2, 2)) return false;
  bool out = false;
  if (!IsInstanceOf(ts, call.args[0], call.args[1], &out)) return false;
  *result = Value::Bool(out);
  return true;
}

bool IsSubclassOne(ThreadState& ts, Value cls, Value info, bool* out) {
  if (IsType(info, ObjType::kTuple)) {
    for (Value c : AsSeq(info)->items) {
      if (!IsSubclassOne(ts, cls, c, out)) return false;
      if (*out) return true;
    }
    *out = false;
    return true;
  }
  Value target = IsThreadingThread(info) ? Value::Object(ThreadClass()) : info;
  if (!IsType(target, ObjType::kClass)) {
    return ts.Raise("TypeError",
                    "issubclass() arg 2 must be a class, a tuple of classes, or a union");
  }
  *out = AsClass(cls)->IsSubclassOf(AsClass(target));
  return true;
}

bool IsSubclass(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "issubclass", 2, 2)) return false;
  if (!IsType(call.args[0], ObjType::kClass)) {
    return ts.Raise("TypeError", "issubclass() arg 1 must be a class");
  }
  bool out = false;
  if (!IsSubclassOne(ts, call.args[0], call.args[1], &out)) return false;
  *result = Value::Bool(out);
  return true;
}

bool Type(ThreadState& ts, const CallArgs& call, Value* result) {
  if (call.nargs != 1) return ts.Raise("TypeError", "gilvm: type() takes 1 argument");
  *result = TypeOf(call.args[0]);
  Incref(*result);
  return true;
}

bool HasAttr(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "hasattr", 2, 2)) return false;
  std::string_view name;
  if (!AttrName(ts, call.args[1], &name)) return false;
  Value v;
  if (GetAttr(ts, call.args[0], name, &v)) {
    Decref(v);
    *result = Value::Bool(true);
    return true;
  }
  if (ts.error_type != "AttributeError") return false;
  ts.ClearError();
  *result = Value::Bool(false);
  return true;
}

bool GetAttrBuiltin(ThreadState& ts, const CallArgs& call, Value* result) {
  if (call.nargs < 2) {
    return ts.Raise("TypeError",
                    "getattr expected at least 2 arguments, got " + std::to_string(call.nargs));
  }
  if (!Arity(ts, call, "getattr", 2, 3)) return false;
  std::string_view name;
  if (!AttrName(ts, call.args[1], &name)) return false;
  if (GetAttr(ts, call.args[0], name, result)) return true;
  if (call.nargs < 3 || ts.error_type != "AttributeError") return false;
  ts.ClearError();
  *result = call.args[2];
  Incref(*result);
  return true;
}

bool SetAttrBuiltin(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "setattr", 3, 3)) return false;
  std::string_view name;
  if (!AttrName(ts, call.args[1], &name)) return false;
  if (!SetAttr(ts, call.args[0], name, call.args[2])) return false;
  *result = Value::None();
  return true;
}

bool DelAttrBuiltin(ThreadState& ts, const CallArgs& call, Value* result) {
  if (!ModuleArity(ts, call, "delattr", 2, 2)) return false;
  std::string_view name;
  if (!AttrName(ts, call.args[1], &name)) return false;
  if (!DelAttr(ts, call.args[0], name)) return false;
  *result = Value::None();
  return true;
}

NativeObj* Immortal(const char* name, NativeFn fn, bool method) {
  return MakeImmortalNative(name, fn, method);
}

bool PropertyAttr(ThreadState& ts, Value obj, std::string_view name, Value* out) {
  static NativeObj* const kSetter = Immortal("setter", PropertySetter, true);
  static NativeObj* const kGetter = Immortal("getter", PropertyGetter, true);
  auto* p = static_cast<WrapperObj*>(obj.o);
  if (name == "setter" || name == "getter") {
    Incref(obj);
    *out = Value::Object(new BoundMethodObj(name == "setter" ? kSetter : kGetter, obj));
    return true;
  }
  if (name == "fget" || name == "fset") {
    *out = name == "fget" ? p->fget : p->fset;
    Incref(*out);
    return true;
  }
  return ts.Raise("AttributeError",
                  "'property' object has no attribute '" + std::string(name) + "'");
}

}  // namespace

FunctionObj* FunctionOfFrame(const Frame* frame) {
  if (frame->gen != nullptr) return frame->gen->func;
  // Every plain frame of a function is pushed with the callee in the slot under its locals: the
  // CALL instruction's callee slot, CALL_METHOD's method slot, or the one CallFunction reserves.
  // The module's and a class body's frames take no parameters and never get here (Super checks).
  Value callee = frame->locals[-1];
  if (IsType(callee, ObjType::kFunction) &&
      static_cast<FunctionObj*>(callee.o)->code == frame->code) {
    return static_cast<FunctionObj*>(callee.o);
  }
  return nullptr;
}

bool LoadSuperMethodOnStack(ThreadState& ts, const CodeObj* code, uint16_t name_index, Value* sp) {
  Value callee = sp[-1];
  const std::string& name = AsStr(code->constants[name_index])->s;
  if (IsType(callee, ObjType::kNative) && static_cast<NativeObj*>(callee.o)->fn == Super) {
    ClassObj* cls;
    Value self, func, bound_self;
    if (!ZeroArgSuper(ts, &cls, &self) || !CheckSuperArgs(ts, cls, self)) return false;
    if (SuperMethodOf(cls, self, name, &func, &bound_self)) {
      Decref(callee);
      sp[-1] = func;
      sp[0] = bound_self;
      return true;
    }
  }
  Value sup;
  if (!ts.interp->Call(ts, callee, nullptr, 0, nullptr, &sup)) return false;
  Decref(callee);
  sp[-1] = sup;
  return LoadMethodOnStack(ts, code, name_index, sp);
}

bool ClassFamilyGetAttr(ThreadState& ts, Value obj, std::string_view name, Value* out,
                        bool* handled) {
  *handled = true;
  if (IsThreadingThread(obj)) {
    // threading.Thread's attributes are those of the class it stands for (Thread.__init__).
    return ClassGetAttr(ts, Value::Object(ThreadClass()), name, out);
  }
  if (obj.is_obj()) {
    switch (obj.o->type) {
      case ObjType::kInstance:
        return InstanceGetAttr(ts, obj, name, out);
      case ObjType::kClass:
        return ClassGetAttr(ts, obj, name, out);
      case ObjType::kSuper:
        return SuperGetAttr(ts, obj, name, out);
      case ObjType::kMethod:
        return MethodGetAttr(ts, obj, name, out);
      case ObjType::kProperty:
        return PropertyAttr(ts, obj, name, out);
      case ObjType::kFunction:
        if (FunctionNameAttr(static_cast<FunctionObj*>(obj.o), name, out)) return true;
        break;
      default:
        break;
    }
  }
  *handled = false;
  return false;
}

Value LookupClassBuiltin(std::string_view name) {
  static const std::vector<std::pair<const char*, Value>>* const kBuiltins = [] {
    auto* table = new std::vector<std::pair<const char*, Value>>();
    table->emplace_back("object", Value::Object(ObjectClass()));
    table->emplace_back("NotImplemented", NotImplemented());
    for (auto [n, fn] :
         std::initializer_list<std::pair<const char*, NativeFn>>{{"super", Super},
                                                                 {"property", Property},
                                                                 {"staticmethod", StaticMethod},
                                                                 {"classmethod", ClassMethod},
                                                                 {"isinstance", IsInstance},
                                                                 {"issubclass", IsSubclass},
                                                                 {"type", Type},
                                                                 {"hasattr", HasAttr},
                                                                 {"getattr", GetAttrBuiltin},
                                                                 {"setattr", SetAttrBuiltin},
                                                                 {"delattr", DelAttrBuiltin}}) {
      table->emplace_back(n, Value::Object(Immortal(n, fn, false)));
    }
    return table;
  }();
  for (const auto& [n, v] : *kBuiltins) {
    if (name == n) return v;
  }
  if (ClassObj* exc = ExceptionClass(name)) return Value::Object(exc);
  return Value::Undefined();
}

}  // namespace gilbench::vm
