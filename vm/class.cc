// Classes: making one from a class body (BUILD_CLASS), calling one (an instance and its
// __init__), attribute lookup on instances, classes and super objects through the MRO, binding
// methods, and isinstance / issubclass / type. The instance attribute cache is attributes.cc;
// the dunders the operators call are dunders.cc.
#include "vm/class.h"

#include <algorithm>
#include <cstdio>

#include "gil/pthread_sync.h"
#include "vm/builtins.h"
#include "vm/dict.h"
#include "vm/dunders.h"
#include "vm/exceptions.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"
#include "vm/sync.h"

namespace gilbench::vm {

namespace {

// Version tags are unique for the process: a code object's cache (shared by every interpreter)
// can then never mistake one class, or one state of a class, for another.
std::atomic<uint64_t> g_next_version_tag{1};

uint64_t NewVersionTag() { return g_next_version_tag.fetch_add(1, std::memory_order_relaxed); }

// A class's namespace changed: every cache entry keyed by it or by a subclass goes stale.
void BumpVersion(ClassObj* cls) {
  cls->version_tag = NewVersionTag();
  for (ClassObj* sub : cls->subclasses) BumpVersion(sub);
}

ClassObj* NewBuiltinClass(const char* name, ClassObj* base, NativeBase native) {
  auto* cls = new ClassObj();
  cls->name = name;
  cls->base = base;
  cls->native = native;
  cls->builtin = true;
  cls->version_tag = NewVersionTag();
  cls->refcount = kImmortalRefcount;
  return cls;
}

// The function inside a class attribute (itself, or what a property/staticmethod/classmethod
// wraps), for recording the defining class; null when there is none.
FunctionObj* FunctionIn(Value v) {
  if (IsType(v, ObjType::kFunction)) return static_cast<FunctionObj*>(v.o);
  if (IsType(v, ObjType::kProperty) || IsType(v, ObjType::kStaticMethod) ||
      IsType(v, ObjType::kClassMethod)) {
    return FunctionIn(static_cast<WrapperObj*>(v.o)->fget);
  }
  return nullptr;
}

bool NoAttribute(ThreadState& ts, Value obj, std::string_view name) {
  return ts.Raise("AttributeError", std::string("'") + TypeName(obj) +
                                        "' object has no attribute '" + std::string(name) + "'");
}

// Whether `v` is a data descriptor (a property): it then wins over an instance's own attribute.
bool IsDataDescriptor(Value v) { return IsType(v, ObjType::kProperty); }

// A class attribute `attr` read through an instance `obj` of `cls`: functions bind to the
// instance, classmethods to the class, properties call their getter.
bool BindClassAttr(ThreadState& ts, Value attr, Value obj, ClassObj* cls, std::string_view name,
                   Value* out) {
  if (attr.is_obj()) {
    switch (attr.o->type) {
      case ObjType::kFunction:
        *out = Value::Object(new MethodObj(attr, obj));
        return true;
      case ObjType::kNative:
        // A method of a built-in class (Thread.start): bound like a built-in method.
        Incref(obj);
        *out = Value::Object(new BoundMethodObj(static_cast<NativeObj*>(attr.o), obj));
        return true;
      case ObjType::kStaticMethod:
        *out = static_cast<WrapperObj*>(attr.o)->fget;
        Incref(*out);
        return true;
      case ObjType::kClassMethod:
        *out = Value::Object(
            new MethodObj(static_cast<WrapperObj*>(attr.o)->fget, Value::Object(cls)));
        return true;
      case ObjType::kProperty: {
        Value getter = static_cast<WrapperObj*>(attr.o)->fget;
        if (getter.is_none()) {
          return ts.Raise("AttributeError", "property '" + std::string(name) + "' of '" +
                                                cls->name + "' object has no getter");
        }
        return ts.interp->Call(ts, getter, &obj, 1, nullptr, out);
      }
      default:
        break;
    }
  }
  Incref(attr);
  *out = attr;
  return true;
}

}  // namespace

uint64_t NewClassVersionTag() { return NewVersionTag(); }

// --- layouts -------------------------------------------------------------------------------------

ClassObj::~ClassObj() {
  for (auto& [key, v] : attrs) {
    FunctionObj* fn = FunctionIn(v);
    if (fn != nullptr && fn->defining_class == this) fn->defining_class = nullptr;
  }
  if (base != nullptr) {
    auto& subs = base->subclasses;
    subs.erase(std::remove(subs.begin(), subs.end(), this), subs.end());
  }
  for (auto& [key, v] : attrs) Decref(v);
  if (base != nullptr) DecrefObj(base);
}

InstanceObj::InstanceObj(ClassObj* c) : Obj(ObjType::kInstance), cls(c) { IncrefObj(c); }

InstanceObj::~InstanceObj() {
  for (int i = 0; i < kInlineSlots; ++i) Decref(GetInline(i));
  if (overflow != nullptr) {
    for (Value v : overflow->slots) Decref(v);
    if (overflow->native != nullptr) DecrefObj(overflow->native);
    for (Obj* old : overflow->retired) DecrefObj(old);
    delete overflow;
  }
  DecrefObj(cls);
}

void InstanceObj::SetOverflow(int slot, Value v) {
  if (overflow == nullptr) overflow = new InstanceOverflow();
  std::vector<Value>& slots = overflow->slots;
  const auto index = static_cast<size_t>(slot - kInlineSlots);
  if (index >= slots.size()) {
    // Sized for every attribute the class knows of, so that the instance's later ones fit.
    const size_t known = cls->slot_names.size();
    slots.resize(std::max(index + 1, known > kInlineSlots ? known - kInlineSlots : 0),
                 Value::Undefined());
  }
  Value old = slots[index];
  slots[index] = v;
  Decref(old);
}

void InstanceObj::SetNative(Obj* obj) {
  if (overflow == nullptr) overflow = new InstanceOverflow();
  if (overflow->native != nullptr) overflow->retired.push_back(overflow->native);
  overflow->native = obj;
}

namespace {

// object.__init__(self): nothing to do; an argument beyond self is CPython's TypeError (which is
// what super().__init__(x) in a class whose base is object meets).
bool ObjectInit(ThreadState& ts, const CallArgs& call, Value* result) {
  int extra = call.nargs;
  if (call.self.is_undefined()) {  // object.__init__(self, ...): self comes first
    if (extra == 0) {
      return ts.Raise("TypeError", "descriptor '__init__' of 'object' object needs an argument");
    }
    --extra;
  }
  if (extra > 0) {
    return ts.Raise("TypeError",
                    "object.__init__() takes exactly one argument (the instance to initialize)");
  }
  *result = Value::None();
  return true;
}

NativeObj* ObjectInitMethod() {
  static NativeObj* const kInit = MakeImmortalNative("__init__", ObjectInit, true);
  return kInit;
}

}  // namespace

ClassObj* ObjectClass() {
  static ClassObj* const kObject = [] {
    ClassObj* object = NewBuiltinClass("object", nullptr, NativeBase::kNone);
    object->attrs.emplace_back("__init__", Value::Object(ObjectInitMethod()));
    return object;
  }();
  return kObject;
}

Value NotImplemented() {
  static InstanceObj* const kNotImplemented = [] {
    auto* inst =
        new InstanceObj(NewBuiltinClass("NotImplementedType", ObjectClass(), NativeBase::kNone));
    inst->refcount = kImmortalRefcount;
    return inst;
  }();
  return Value::Object(kNotImplemented);
}

// --- making a class ------------------------------------------------------------------------------

Value LocalsDict(ThreadState& ts, const CodeObj* code, const Value* locals) {
  DictObj* d = NewDict();
  Value dict = Value::Object(d);
  for (int i = 0; i < code->nlocals(); ++i) {
    if (locals[i].is_undefined()) continue;
    Value key = MakeStr(code->local_names[i]);
    bool ok = DictSet(ts, d, key, locals[i]);  // a str key: cannot fail
    Decref(key);
    if (!ok) break;
  }
  return dict;
}

// The base class a class statement names: a class, or threading.Thread (a built-in function in
// the VM, standing for ThreadClass()).
static bool ResolveBase(ThreadState& ts, Value base, ClassObj** out) {
  if (IsType(base, ObjType::kClass)) {
    *out = AsClass(base);
    return true;
  }
  if (IsThreadingThread(base)) {
    *out = ThreadClass();
    return true;
  }
  return ts.Raise("TypeError", std::string("gilvm cannot subclass '") + TypeName(base) + "'");
}

bool BuildClass(ThreadState& ts, Value body, std::string_view name, const Value* bases, int nbases,
                Value* out) {
  if (nbases > 1) {
    return ts.Raise("TypeError", "gilvm supports single inheritance only (class " +
                                     std::string(name) + " names " + std::to_string(nbases) +
                                     " bases)");
  }
  ClassObj* base = ObjectClass();
  if (nbases == 1 && !ResolveBase(ts, bases[0], &base)) return false;
  Value ns;
  if (!ts.interp->Call(ts, body, nullptr, 0, nullptr, &ns)) return false;
  auto* cls = new ClassObj();
  Value result = Value::Object(cls);
  cls->name = std::string(name);
  cls->base = base;
  IncrefObj(base);
  cls->native = base->native;
  cls->version_tag = NewVersionTag();
  base->subclasses.push_back(cls);
  cls->attrs.emplace_back("__module__", MakeStr(ts.interp->module_name()));
  for (const DictEntry& e : AsDict(ns)->entries) {
    if (e.key.is_undefined()) continue;
    Incref(e.value);
    cls->attrs.emplace_back(AsStr(e.key)->s, e.value);
    FunctionObj* fn = FunctionIn(e.value);
    if (fn != nullptr && fn->defining_class == nullptr) fn->defining_class = cls;
  }
  Decref(ns);
  // As CPython's type_new: defining __eq__ alone makes the instances unhashable.
  if (!cls->Own("__eq__").is_undefined() && cls->Own("__hash__").is_undefined()) {
    cls->attrs.emplace_back("__hash__", Value::None());
  }
  *out = result;
  return true;
}

// --- calls ---------------------------------------------------------------------------------------

bool CallWithSelf(ThreadState& ts, Value func, Value self, const Value* args, int nargs,
                  const std::vector<std::string_view>* kwnames, Value* result) {
  Value small[8];
  std::vector<Value> big;
  Value* argv = small;
  if (nargs + 1 > 8) {
    big.resize(nargs + 1);
    argv = big.data();
  }
  argv[0] = self;
  std::copy(args, args + nargs, argv + 1);
  return ts.interp->Call(ts, func, argv, nargs + 1, kwnames, result);
}

namespace {

// Runs `init` (cls's __init__, found on the class) on the new instance `self`. A Python function
// or a built-in method (BaseException.__init__) is called with self as its first argument
// straight away, without making the bound method object that binding it would; anything else
// is bound as an attribute read would bind it, then called.
bool CallInit(ThreadState& ts, Value init, Value self, ClassObj* cls, const Value* args, int nargs,
              const std::vector<std::string_view>* kwnames, Value* ret) {
  if (IsType(init, ObjType::kFunction) || IsType(init, ObjType::kNative)) {
    // Held for the call, as a bound method would hold it: __init__ may rebind cls.__init__.
    Incref(init);
    bool ok =
        IsType(init, ObjType::kFunction)
            ? CallWithSelf(ts, init, self, args, nargs, kwnames, ret)
            : static_cast<NativeObj*>(init.o)->fn(ts, CallArgs{self, args, nargs, kwnames}, ret);
    Decref(init);
    return ok;
  }
  Value bound;
  if (!BindClassAttr(ts, init, self, cls, "__init__", &bound)) return false;
  bool ok = ts.interp->Call(ts, bound, args, nargs, kwnames, ret);
  Decref(bound);
  return ok;
}

}  // namespace

bool CallClass(ThreadState& ts, ClassObj* cls, const Value* args, int nargs,
               const std::vector<std::string_view>* kwnames, Value* result) {
  if (cls == ThreadClass()) {
    return ts.interp->Call(ts, ThreadingThreadValue(), args, nargs, kwnames, result);
  }
  if (cls->builtin && cls != ObjectClass() && cls->native != NativeBase::kException &&
      cls->native != NativeBase::kSync && cls->native != NativeBase::kThread) {
    return ts.Raise("TypeError", "cannot create '" + cls->name + "' instances");
  }
  Value self = Value::Object(NewInstanceOf(cls));
  // BaseException.__new__ keeps the arguments as e.args, whatever __init__ does.
  if (cls->native == NativeBase::kException) SetExceptionArgs(self, args, nargs, kwnames);
  Value init = cls->Lookup("__init__");
  // object.__init__ itself is not called: a class that inherits it takes no arguments, in
  // CPython's words for that (object.__new__ checks them).
  if (init.is_undefined() || init.o == ObjectInitMethod()) {
    if (nargs != 0) {
      Decref(self);
      return ts.Raise("TypeError", cls->name + "() takes no arguments");
    }
    *result = self;
    return true;
  }
  Value ret;
  if (!CallInit(ts, init, self, cls, args, nargs, kwnames, &ret)) {
    Decref(self);
    return false;
  }
  if (!ret.is_none()) {
    std::string type = TypeName(ret);
    Decref(ret);
    Decref(self);
    return ts.Raise("TypeError", "__init__() should return None, not '" + type + "'");
  }
  *result = self;
  return true;
}

bool CallClassFamily(ThreadState& ts, Value callable, const Value* args, int nargs,
                     const std::vector<std::string_view>* kwnames, Value* result, bool* handled) {
  *handled = true;
  switch (callable.o->type) {
    case ObjType::kClass:
      return CallClass(ts, AsClass(callable), args, nargs, kwnames, result);
    case ObjType::kMethod: {
      auto* m = static_cast<MethodObj*>(callable.o);
      return CallWithSelf(ts, m->func, m->self, args, nargs, kwnames, result);
    }
    case ObjType::kInstance: {
      Value call = AsInstance(callable)->cls->Lookup("__call__");
      if (call.is_undefined() || call.is_none()) break;
      Value bound;
      if (!BindClassAttr(ts, call, callable, AsInstance(callable)->cls, "__call__", &bound)) {
        return false;
      }
      bool ok = ts.interp->Call(ts, bound, args, nargs, kwnames, result);
      Decref(bound);
      return ok;
    }
    default:
      break;
  }
  *handled = false;
  return false;
}

// --- attributes ----------------------------------------------------------------------------------

bool InstanceGetAttr(ThreadState& ts, Value obj, std::string_view name, Value* out) {
  InstanceObj* inst = AsInstance(obj);
  ClassObj* cls = inst->cls;
  if (cls->native == NativeBase::kSync && IsLocal(obj)) {  // threading.local: per thread
    bool handled;
    const bool ok = LocalGetAttr(ts, obj, name, &handled, out);
    if (handled) return ok;
  }
  Value attr = cls->Lookup(name);
  if (IsDataDescriptor(attr)) return BindClassAttr(ts, attr, obj, cls, name, out);
  Value own = inst->Get(cls->SlotOf(name));
  if (!own.is_undefined()) {
    Incref(own);
    *out = own;
    return true;
  }
  if (!attr.is_undefined()) return BindClassAttr(ts, attr, obj, cls, name, out);
  if (name == "__class__") {
    *out = Value::Object(cls);
    Incref(*out);
    return true;
  }
  if (cls->native == NativeBase::kException && name == "args") {
    *out = ExceptionArgs(obj);
    Incref(*out);
    return true;
  }
  if (cls->native == NativeBase::kException && ExceptionAttr(obj, name, out)) return true;
  if (cls->native == NativeBase::kThread && inst->native() != nullptr &&
      ThreadAttr(Value::Object(inst->native()), name, out)) {
    return true;
  }
  return NoAttribute(ts, obj, name);
}

bool ClassGetAttr(ThreadState& ts, Value obj, std::string_view name, Value* out) {
  ClassObj* cls = AsClass(obj);
  Value attr = cls->Lookup(name);
  if (!attr.is_undefined()) {
    if (IsType(attr, ObjType::kStaticMethod)) attr = static_cast<WrapperObj*>(attr.o)->fget;
    if (IsType(attr, ObjType::kClassMethod)) {
      *out = Value::Object(new MethodObj(static_cast<WrapperObj*>(attr.o)->fget, obj));
      return true;
    }
    Incref(attr);
    *out = attr;
    return true;
  }
  if (name == "__name__" || name == "__qualname__") {
    *out = MakeStr(cls->name);
    return true;
  }
  if (name == "__base__") {
    *out = cls->base ? Value::Object(cls->base) : Value::None();
    Incref(*out);
    return true;
  }
  if (name == "__mro__") {
    std::vector<Value> mro;
    for (ClassObj* c = cls; c != nullptr; c = c->base) {
      IncrefObj(c);
      mro.push_back(Value::Object(c));
    }
    *out = MakeTuple(std::move(mro));
    return true;
  }
  return ts.Raise("AttributeError",
                  "type object '" + cls->name + "' has no attribute '" + std::string(name) + "'");
}

bool SuperGetAttr(ThreadState& ts, Value sup, std::string_view name, Value* out) {
  auto* s = static_cast<SuperObj*>(sup.o);
  ClassObj* start = s->after->base;
  ClassObj* self_cls = IsType(s->self, ObjType::kClass) ? AsClass(s->self)
                                                        : static_cast<InstanceObj*>(s->self.o)->cls;
  if (start != nullptr) {
    Value attr = start->Lookup(name);
    if (!attr.is_undefined()) {
      if (!IsType(s->self, ObjType::kClass))
        return BindClassAttr(ts, attr, s->self, self_cls, name, out);
      // super() in a classmethod: the attribute as read through the class `self`.
      if (IsType(attr, ObjType::kClassMethod)) {
        *out = Value::Object(new MethodObj(static_cast<WrapperObj*>(attr.o)->fget, s->self));
        return true;
      }
      if (IsType(attr, ObjType::kStaticMethod)) attr = static_cast<WrapperObj*>(attr.o)->fget;
      Incref(attr);
      *out = attr;
      return true;
    }
  }
  return ts.Raise("AttributeError", "'super' object has no attribute '" + std::string(name) + "'");
}

bool SuperMethod(Value sup, std::string_view name, Value* func, Value* self) {
  auto* s = static_cast<SuperObj*>(sup.o);
  return SuperMethodOf(s->after, s->self, name, func, self);
}

bool SuperMethodOf(const ClassObj* after, Value self, std::string_view name, Value* func,
                   Value* self_out) {
  const ClassObj* start = after->base;
  if (start == nullptr || !IsInstanceObj(self)) return false;
  Value attr = start->Lookup(name);
  if (!IsType(attr, ObjType::kFunction) && !IsType(attr, ObjType::kNative)) return false;
  Incref(attr);
  Incref(self);
  *func = attr;
  *self_out = self;
  return true;
}

bool FunctionNameAttr(const FunctionObj* fn, std::string_view name, Value* out) {
  if (name == "__name__") {
    *out = MakeStr(fn->code->name);
  } else if (name == "__qualname__") {
    *out = MakeStr(fn->code->qualname);
  } else {
    return false;
  }
  return true;
}

bool MethodGetAttr(ThreadState& ts, Value method, std::string_view name, Value* out) {
  auto* m = static_cast<MethodObj*>(method.o);
  if (name == "__self__") {
    *out = m->self;
  } else if (name == "__func__") {
    *out = m->func;
  } else if (IsType(m->func, ObjType::kFunction) &&
             FunctionNameAttr(static_cast<FunctionObj*>(m->func.o), name, out)) {
    return true;  // a bound method shows its function's names
  } else {
    return NoAttribute(ts, method, name);
  }
  Incref(*out);
  return true;
}

// Sets or replaces a class attribute (owned `v`): lookups through the class change, so its
// caches and its subclasses' go stale.
static void SetClassAttr(ClassObj* cls, std::string_view name, Value v) {
  BumpVersion(cls);
  for (auto& [k, old] : cls->attrs) {
    if (k == name) {
      Value prev = old;
      old = v;
      Decref(prev);
      return;
    }
  }
  cls->attrs.emplace_back(std::string(name), v);
}

bool SetAttr(ThreadState& ts, Value obj, std::string_view name, Value v) {
  if (IsType(obj, ObjType::kThread) ||
      (IsInstanceObj(obj) && AsInstance(obj)->cls->native == NativeBase::kThread &&
       AsInstance(obj)->native() != nullptr)) {
    Value thread = IsType(obj, ObjType::kThread) ? obj : Value::Object(AsInstance(obj)->native());
    bool handled;
    const bool ok = ThreadSetAttr(ts, thread, name, v, &handled);
    if (handled) return ok;
  }
  if (IsInstanceObj(obj) && IsLocal(obj)) return LocalSetAttr(ts, obj, name, v);
  if (IsInstanceObj(obj)) {
    InstanceObj* inst = AsInstance(obj);
    ClassObj* cls = inst->cls;
    Value attr = cls->Lookup(name);
    if (IsDataDescriptor(attr)) {
      Value setter = static_cast<WrapperObj*>(attr.o)->fset;
      if (setter.is_none()) {
        return ts.Raise("AttributeError", "property '" + std::string(name) + "' of '" + cls->name +
                                              "' object has no setter");
      }
      Value args[2] = {obj, v}, ret;
      if (!ts.interp->Call(ts, setter, args, 2, nullptr, &ret)) return false;
      Decref(ret);
      return true;
    }
    if (cls->builtin) return NoAttribute(ts, obj, name);
    int slot = cls->SlotOf(name);
    if (slot < 0) {
      if (cls->slot_names.size() >= 0xFFFF) {
        return ts.Raise("MemoryError", "too many attribute names in class " + cls->name);
      }
      slot = static_cast<int>(cls->slot_names.size());
      cls->slot_names.emplace_back(name);
      // A method cache entry may record that this class has no slot of this name (the
      // instance cannot shadow the method): a new tag retires it. The class's own tag only --
      // a subclass's instances use the subclass's slot table.
      cls->version_tag = NewVersionTag();
    }
    Incref(v);
    inst->Set(slot, v);
    return true;
  }
  if (IsType(obj, ObjType::kClass)) {
    ClassObj* cls = AsClass(obj);
    if (cls->builtin) {
      return ts.Raise("TypeError", "cannot set '" + std::string(name) +
                                       "' attribute of immutable type '" + cls->name + "'");
    }
    Incref(v);
    SetClassAttr(cls, name, v);
    return true;
  }
  return ts.Raise("AttributeError", std::string("'") + TypeName(obj) +
                                        "' object has no attribute '" + std::string(name) + "'");
}

bool DelAttr(ThreadState& ts, Value obj, std::string_view name) {
  if (IsInstanceObj(obj) && IsLocal(obj)) return LocalSetAttr(ts, obj, name, Value::Undefined());
  if (IsInstanceObj(obj)) {
    InstanceObj* inst = AsInstance(obj);
    Value attr = inst->cls->Lookup(name);
    if (IsDataDescriptor(attr)) {
      return ts.Raise("AttributeError", "property '" + std::string(name) + "' of '" +
                                            inst->cls->name + "' object has no deleter");
    }
    int slot = inst->cls->SlotOf(name);
    if (inst->Get(slot).is_undefined()) return NoAttribute(ts, obj, name);
    inst->Set(slot, Value::Undefined());
    return true;
  }
  if (IsType(obj, ObjType::kClass)) {
    ClassObj* cls = AsClass(obj);
    for (auto it = cls->attrs.begin(); it != cls->attrs.end(); ++it) {
      if (it->first == name && !cls->builtin) {
        Value old = it->second;
        cls->attrs.erase(it);
        BumpVersion(cls);
        Decref(old);
        return true;
      }
    }
    return ts.Raise("AttributeError",
                    "type object '" + cls->name + "' has no attribute '" + std::string(name) + "'");
  }
  return NoAttribute(ts, obj, name);
}

// --- isinstance, issubclass, type ----------------------------------------------------------------

// The built-in classes that stand for the types of non-instance values (type(3) is one), made on
// first use, immortal, and shared by every interpreter: `mutex` guards the table.
static ClassObj* FindOrMakeType(std::vector<ClassObj*>* types, const std::string& name) {
  for (ClassObj* c : *types)
    if (c->name == name) return c;
  ClassObj* base = name == "bool" ? FindOrMakeType(types, "int") : ObjectClass();
  ClassObj* cls = NewBuiltinClass(name.c_str(), base, NativeBase::kNone);
  types->push_back(cls);
  return cls;
}

static ClassObj* BuiltinTypeClass(const std::string& name) {
  static gil::PthreadMutex mutex;
  static std::vector<ClassObj*>* const kTypes = new std::vector<ClassObj*>();
  gil::MutexLock lock(mutex);
  return FindOrMakeType(kTypes, name);
}

Value TypeOf(Value v) {
  if (IsInstanceObj(v)) return Value::Object(AsInstance(v)->cls);
  if (IsType(v, ObjType::kThread)) return Value::Object(ThreadClass());
  if (IsType(v, ObjType::kClass)) return Value::Object(BuiltinTypeClass("type"));
  return Value::Object(BuiltinTypeClass(TypeName(v)));
}

// Whether value `obj` is an instance of the one class-like `cls`: a class, or one of the
// built-in functions that name a type (int, str, ...), compared by type name.
static bool InstanceOfOne(ThreadState& ts, Value obj, Value cls, bool* out) {
  if (IsType(cls, ObjType::kClass)) {
    ClassObj* c = AsClass(cls);
    if (c == ObjectClass()) {
      *out = true;
    } else if (IsInstanceObj(obj)) {
      *out = AsInstance(obj)->cls->IsSubclassOf(c);
    } else {
      *out = AsClass(TypeOf(obj))->IsSubclassOf(c);
    }
    return true;
  }
  if (IsThreadingThread(cls)) {
    *out = IsType(obj, ObjType::kThread) ||
           (IsInstanceObj(obj) && AsInstance(obj)->cls->native == NativeBase::kThread);
    return true;
  }
  if (IsType(cls, ObjType::kNative)) {
    static const char* const kTypeNames[] = {"int",  "float", "str",   "bool",  "list",     "tuple",
                                             "dict", "set",   "bytes", "range", "frozenset"};
    const char* name = static_cast<NativeObj*>(cls.o)->name;
    for (const char* t : kTypeNames) {
      if (std::string_view(name) == t) {
        std::string_view actual = TypeName(obj);
        *out = actual == t || (actual == "bool" && std::string_view(t) == "int");
        return true;
      }
    }
  }
  return ts.Raise("TypeError", "isinstance() arg 2 must be a type, a tuple of types, or a union");
}

bool IsInstanceOf(ThreadState& ts, Value obj, Value classinfo, bool* out) {
  if (IsType(classinfo, ObjType::kTuple)) {
    for (Value c : AsSeq(classinfo)->items) {
      if (!IsInstanceOf(ts, obj, c, out)) return false;
      if (*out) return true;
    }
    *out = false;
    return true;
  }
  return InstanceOfOne(ts, obj, classinfo, out);
}

std::string DefaultInstanceRepr(Value v) {
  if (IsNotImplemented(v)) return "NotImplemented";
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%012llx",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(v.o)));
  const ClassObj* cls = AsInstance(v)->cls;
  std::string module = cls->builtin || !cls->module.empty() ? "" : "__main__.";
  return "<" + module + QualifiedClassName(cls) + " object at " + buf + ">";
}

}  // namespace gilbench::vm
