// The built-in exception classes and raise (see exceptions.h).
#include "vm/exceptions.h"

#include <utility>
#include <vector>

#include "vm/class.h"
#include "vm/runtime.h"

namespace gilbench::vm {

namespace {

// CPython 3.11's hierarchy of the exceptions the VM raises or a program may name, each after its
// base (the order they are made in).
const std::pair<const char*, const char*> kHierarchy[] = {
    {"BaseException", nullptr},
    {"SystemExit", "BaseException"},
    {"KeyboardInterrupt", "BaseException"},
    {"GeneratorExit", "BaseException"},
    {"Exception", "BaseException"},
    {"ArithmeticError", "Exception"},
    {"ZeroDivisionError", "ArithmeticError"},
    {"OverflowError", "ArithmeticError"},
    {"FloatingPointError", "ArithmeticError"},
    {"AssertionError", "Exception"},
    {"AttributeError", "Exception"},
    {"ImportError", "Exception"},
    {"ModuleNotFoundError", "ImportError"},
    {"LookupError", "Exception"},
    {"IndexError", "LookupError"},
    {"KeyError", "LookupError"},
    {"MemoryError", "Exception"},
    {"NameError", "Exception"},
    {"UnboundLocalError", "NameError"},
    {"OSError", "Exception"},
    {"BlockingIOError", "OSError"},
    {"ChildProcessError", "OSError"},
    {"ConnectionError", "OSError"},
    {"BrokenPipeError", "ConnectionError"},
    {"ConnectionAbortedError", "ConnectionError"},
    {"ConnectionRefusedError", "ConnectionError"},
    {"ConnectionResetError", "ConnectionError"},
    {"FileExistsError", "OSError"},
    {"FileNotFoundError", "OSError"},
    {"InterruptedError", "OSError"},
    {"IsADirectoryError", "OSError"},
    {"NotADirectoryError", "OSError"},
    {"PermissionError", "OSError"},
    {"ProcessLookupError", "OSError"},
    {"TimeoutError", "OSError"},
    {"RuntimeError", "Exception"},
    {"RecursionError", "RuntimeError"},
    {"NotImplementedError", "RuntimeError"},
    {"StopIteration", "Exception"},
    {"SystemError", "Exception"},
    {"TypeError", "Exception"},
    {"ValueError", "Exception"},
    {"UnicodeError", "ValueError"},
    {"UnicodeDecodeError", "UnicodeError"},
    {"UnicodeEncodeError", "UnicodeError"},
};

// The receiver of an exception method: bound, or the first argument when called through the
// class (Exception.__init__(self, ...)); steps *args past it then.
bool ExceptionSelf(ThreadState& ts, const CallArgs& call, const char* method, Value* self,
                   const Value** args, int* nargs) {
  *self = call.self;
  *args = call.args;
  *nargs = call.npositional();
  if (self->is_undefined() && *nargs > 0) {
    *self = call.args[0];
    ++*args;
    --*nargs;
  }
  if (!IsExceptionInstance(*self)) {
    return ts.Raise("TypeError", std::string("descriptor '") + method +
                                     "' requires a 'BaseException' object but received '" +
                                     TypeName(*self) + "'");
  }
  return true;
}

void SetArgs(InstanceObj* inst, const Value* args, int nargs) {
  std::vector<Value> items(args, args + nargs);
  for (Value v : items) Incref(v);
  Value tuple = MakeTuple(std::move(items));
  if (inst->native != nullptr) DecrefObj(inst->native);
  inst->native = tuple.o;
}

// BaseException.__init__(self, *args): args become e.args.
bool ExceptionInit(ThreadState& ts, const CallArgs& call, Value* result) {
  Value self;
  const Value* args;
  int nargs;
  if (!ExceptionSelf(ts, call, "__init__", &self, &args, &nargs)) return false;
  if (call.kwnames != nullptr && !call.kwnames->empty()) {
    return ts.Raise("TypeError", AsInstance(self)->cls->name + "() takes no keyword arguments");
  }
  SetArgs(AsInstance(self), args, nargs);
  *result = Value::None();
  return true;
}

// str(e): '' for no args, str of the one arg, else the repr of the args tuple; KeyError's one
// arg is shown by its repr.
bool ExceptionStr(ThreadState& ts, const CallArgs& call, Value* result) {
  Value self;
  const Value* args;
  int nargs;
  if (!ExceptionSelf(ts, call, "__str__", &self, &args, &nargs)) return false;
  const auto& items = AsSeq(ExceptionArgs(self))->items;
  std::string text;
  bool ok = true;
  if (items.size() == 1) {
    ok = AsInstance(self)->cls->IsSubclassOf(ExceptionClass("KeyError"))
             ? ReprOf(ts, items[0], &text)
             : StrOf(ts, items[0], &text);
  } else if (items.size() > 1) {
    ok = ReprOf(ts, ExceptionArgs(self), &text);
  }
  if (!ok) return false;
  *result = MakeStr(std::move(text));
  return true;
}

// repr(e): Name(arg, ...), the args' reprs.
bool ExceptionRepr(ThreadState& ts, const CallArgs& call, Value* result) {
  Value self;
  const Value* args;
  int nargs;
  if (!ExceptionSelf(ts, call, "__repr__", &self, &args, &nargs)) return false;
  const auto& items = AsSeq(ExceptionArgs(self))->items;
  std::string text;
  if (items.size() == 1) {
    if (!ReprOf(ts, items[0], &text)) return false;
    text = "(" + text + ")";
  } else if (!ReprOf(ts, ExceptionArgs(self), &text)) {
    return false;
  }
  *result = MakeStr(AsInstance(self)->cls->name + text);
  return true;
}

NativeObj* ImmortalMethod(const char* name, NativeFn fn) {
  return MakeImmortalNative(name, fn, true);
}

const std::vector<ClassObj*>& Classes() {
  static const std::vector<ClassObj*>* const kClasses = [] {
    auto* classes = new std::vector<ClassObj*>();
    for (const auto& [name, base_name] : kHierarchy) {
      auto* cls = new ClassObj();
      cls->name = name;
      cls->base = ObjectClass();
      for (ClassObj* c : *classes) {
        if (base_name != nullptr && c->name == base_name) cls->base = c;
      }
      cls->native = NativeBase::kException;
      cls->builtin = true;
      cls->version_tag = NewClassVersionTag();
      cls->refcount = kImmortalRefcount;
      if (base_name == nullptr) {
        cls->attrs.emplace_back("__init__",
                                Value::Object(ImmortalMethod("__init__", ExceptionInit)));
        cls->attrs.emplace_back("__str__", Value::Object(ImmortalMethod("__str__", ExceptionStr)));
        cls->attrs.emplace_back("__repr__",
                                Value::Object(ImmortalMethod("__repr__", ExceptionRepr)));
      }
      classes->push_back(cls);
    }
    return classes;
  }();
  return *kClasses;
}

}  // namespace

void SetExceptionArgs(Value inst, const Value* args, int nargs,
                      const std::vector<std::string_view>* kwnames) {
  const int nkw = kwnames ? static_cast<int>(kwnames->size()) : 0;
  SetArgs(AsInstance(inst), args, nargs - nkw);
}

ClassObj* ExceptionClass(std::string_view name) {
  for (ClassObj* c : Classes()) {
    if (c->name == name) return c;
  }
  return nullptr;
}

bool IsExceptionClass(const ClassObj* cls) { return cls->native == NativeBase::kException; }

bool IsExceptionInstance(Value v) {
  return IsInstanceObj(v) && IsExceptionClass(AsInstance(v)->cls);
}

Value ExceptionArgs(Value inst) {
  InstanceObj* i = AsInstance(inst);
  if (i->native == nullptr) SetArgs(i, nullptr, 0);
  return Value::Object(i->native);
}

bool RaiseException(ThreadState& ts, Value inst) {
  if (ts.has_error) return false;
  const ClassObj* cls = AsInstance(inst)->cls;
  if (cls->IsSubclassOf(ExceptionClass("SystemExit"))) {
    const auto& items = AsSeq(ExceptionArgs(inst))->items;
    Value code = items.empty() ? Value::None() : items.size() == 1 ? items[0] : ExceptionArgs(inst);
    return ts.RaiseSystemExit(code);
  }
  std::string message;
  if (!StrOf(ts, inst, &message)) return false;
  // CPython 3.11's traceback names a class of __main__ without its module.
  ts.Raise(cls->name, std::move(message));
  Incref(inst);
  Decref(ts.exc_value);
  ts.exc_value = inst;
  return false;
}

bool RaiseValue(ThreadState& ts, Value exc, Value cause) {
  (void)cause;  // chaining comes with try/except
  if (exc.is_undefined()) return ts.Raise("RuntimeError", "No active exception to reraise");
  if (IsType(exc, ObjType::kClass) && IsExceptionClass(AsClass(exc))) {
    Value inst;
    if (!ts.interp->Call(ts, exc, nullptr, 0, nullptr, &inst)) return false;
    if (!IsExceptionInstance(inst)) {
      Decref(inst);
      return ts.Raise("TypeError", "calling " + AsClass(exc)->name +
                                       " should have returned an instance of BaseException");
    }
    RaiseException(ts, inst);
    Decref(inst);
    return false;
  }
  if (IsExceptionInstance(exc)) return RaiseException(ts, exc);
  return ts.Raise("TypeError", "exceptions must derive from BaseException");
}

}  // namespace gilbench::vm
