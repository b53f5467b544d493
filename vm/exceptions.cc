// The built-in exception classes and raise (see exceptions.h).
#include "vm/exceptions.h"

#include <algorithm>
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

// Gives exception instance `inst` the args `args` (borrowed): kept untupled when they are few
// (ExceptionObj::pending_args), else as a new tuple.
void SetArgs(InstanceObj* inst, const Value* args, int nargs) {
  auto* e = static_cast<ExceptionObj*>(inst);
  // Take the new references first: an argument may be held only by what is replaced.
  for (int i = 0; i < nargs; ++i) Incref(args[i]);
  Obj* old_tuple = e->args;
  Value old_pending[ExceptionObj::kPendingArgs];
  const int old_npending = e->npending;
  std::copy(e->pending_args, e->pending_args + old_npending, old_pending);
  e->args = nullptr;
  e->npending = 0;
  if (nargs <= ExceptionObj::kPendingArgs) {
    std::copy(args, args + nargs, e->pending_args);
    e->npending = static_cast<int8_t>(nargs);
  } else {
    e->args = MakeTuple(std::vector<Value>(args, args + nargs)).o;
  }
  if (old_tuple != nullptr) DecrefObj(old_tuple);
  for (int i = 0; i < old_npending; ++i) Decref(old_pending[i]);
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

namespace {
// The library exception classes (made once, never freed), for ExceptionClassByPrintedName.
std::vector<ClassObj*>& LibraryExceptionClasses() {
  static auto* const kClasses = new std::vector<ClassObj*>();
  return *kClasses;
}
}  // namespace

ClassObj* NewLibraryExceptionClass(const char* module, const char* name, ClassObj* base) {
  auto* cls = new ClassObj();
  cls->name = name;
  cls->module = module;
  cls->base = base;
  cls->native = NativeBase::kException;
  cls->builtin = true;
  cls->version_tag = NewClassVersionTag();
  cls->refcount = kImmortalRefcount;
  LibraryExceptionClasses().push_back(cls);
  return cls;
}

ClassObj* ExceptionClassByPrintedName(std::string_view printed) {
  for (ClassObj* c : LibraryExceptionClasses()) {
    if (QualifiedClassName(c) == printed) return c;
  }
  return ExceptionClass(printed);
}

bool IsExceptionClass(const ClassObj* cls) { return cls->native == NativeBase::kException; }

bool IsExceptionInstance(Value v) {
  return IsInstanceObj(v) && IsExceptionClass(AsInstance(v)->cls);
}

Value ExceptionArgs(Value inst) {
  ExceptionObj* e = AsException(inst);
  if (e->args == nullptr) {
    // The pending arguments' references move into the tuple.
    e->args = MakeTuple(std::vector<Value>(e->pending_args, e->pending_args + e->npending)).o;
    e->npending = 0;
  }
  return Value::Object(e->args);
}

namespace {

// RaiseException, or with `message_now` false the pending error's message left for FormatError
// (ThreadState::error_message_pending): str(inst) runs only if the traceback is printed.
bool RaiseInstance(ThreadState& ts, Value inst, bool message_now) {
  if (ts.has_error) return false;
  const ClassObj* cls = AsInstance(inst)->cls;
  static const ClassObj* const kSystemExit = ExceptionClass("SystemExit");  // built-in: immortal
  if (cls->IsSubclassOf(kSystemExit)) {
    const auto& items = AsSeq(ExceptionArgs(inst))->items;
    Value code = items.empty() ? Value::None() : items.size() == 1 ? items[0] : ExceptionArgs(inst);
    ts.RaiseSystemExit(code);
  } else if (message_now) {
    std::string message;
    if (!StrOf(ts, inst, &message)) return false;
    // CPython 3.11's traceback names a class of __main__ without its module.
    ts.Raise(QualifiedClassName(cls), std::move(message));
  } else {
    // A program's class is named as it is, without making a string (a raise in a loop).
    if (cls->module.empty()) {
      ts.Raise(cls->name, std::string());
    } else {
      ts.Raise(QualifiedClassName(cls), std::string());
    }
    ts.error_message_pending = true;
  }
  Incref(inst);
  Decref(ts.exc_value);
  ts.exc_value = inst;
  ts.exc_noted = false;
  return false;
}

}  // namespace

bool RaiseException(ThreadState& ts, Value inst) { return RaiseInstance(ts, inst, true); }

namespace {

// The instance `exc` names for raise: itself, or a new instance of an exception class; false
// (with `what`'s TypeError) when it is neither.
bool InstanceToRaise(ThreadState& ts, Value exc, const char* what, Value* inst) {
  if (IsType(exc, ObjType::kClass) && IsExceptionClass(AsClass(exc))) {
    if (!ts.interp->Call(ts, exc, nullptr, 0, nullptr, inst)) return false;
    if (!IsExceptionInstance(*inst)) {
      Decref(*inst);
      return ts.Raise("TypeError", "calling " + AsClass(exc)->name +
                                       " should have returned an instance of BaseException");
    }
    return true;
  }
  if (IsExceptionInstance(exc)) {
    Incref(exc);
    *inst = exc;
    return true;
  }
  return ts.Raise("TypeError", what);
}

}  // namespace

bool RaiseValue(ThreadState& ts, Value exc, Value cause) {
  if (exc.is_undefined()) {
    // A bare raise: the exception being handled, as it is.
    if (ts.handled.is_undefined()) {
      return ts.Raise("RuntimeError", "No active exception to reraise");
    }
    return ReraiseException(ts, ts.handled);
  }
  Value inst;
  if (!InstanceToRaise(ts, exc, "exceptions must derive from BaseException", &inst)) return false;
  if (!cause.is_undefined()) {
    Value cause_inst = Value::None();
    if (!cause.is_none() &&
        !InstanceToRaise(ts, cause, "exception causes must derive from BaseException",
                         &cause_inst)) {
      Decref(inst);
      return false;
    }
    ExceptionObj* e = AsException(inst);
    Decref(e->cause);
    e->cause = cause_inst;
    e->suppress_context = true;
  }
  RaiseInstance(ts, inst, false);
  Decref(inst);
  return false;
}

bool RaiseWithArg(ThreadState& ts, std::string_view type, Value arg) {
  if (ts.has_error) return false;
  Value inst = Value::Object(NewInstanceOf(ExceptionClass(type)));
  SetArgs(AsInstance(inst), &arg, 1);
  RaiseException(ts, inst);
  Decref(inst);
  return false;
}

InstanceObj* NewInstanceOf(ClassObj* cls) {
  if (IsExceptionClass(cls)) return new ExceptionObj(cls);
  return new InstanceObj(cls);
}

bool ExceptionAttr(Value exc, std::string_view name, Value* out) {
  ExceptionObj* e = AsException(exc);
  if (name == "__cause__" || name == "__context__") {
    Value v = name == "__cause__" ? e->cause : e->context;
    *out = v.is_undefined() ? Value::None() : v;
  } else if (name == "__suppress_context__") {
    *out = Value::Bool(e->suppress_context);
  } else if (name == "code" && e->cls->IsSubclassOf(ExceptionClass("SystemExit"))) {
    const auto& items = AsSeq(ExceptionArgs(exc))->items;
    *out = items.empty() ? Value::None() : items.size() == 1 ? items[0] : ExceptionArgs(exc);
  } else {
    return false;
  }
  Incref(*out);
  return true;
}

void NoteRaisedError(ThreadState& ts) {
  if (ts.exc_noted) return;
  ts.exc_noted = true;
  if (ts.exc_value.is_undefined()) {
    ClassObj* cls = ExceptionClass(ts.error_type);
    if (cls == nullptr) cls = ExceptionClass("SystemError");
    auto* inst = NewInstanceOf(cls);
    if (ts.system_exit) {
      Value code = !ts.exit_message.empty() ? MakeStr(ts.exit_message)
                   : ts.exit_status != 0    ? Value::Int(ts.exit_status)
                                            : Value::None();
      if (code.is_none()) {
        SetArgs(inst, nullptr, 0);
      } else {
        SetArgs(inst, &code, 1);
        Decref(code);
      }
    } else if (ts.error_message.empty()) {
      SetArgs(inst, nullptr, 0);
    } else {
      Value message = MakeStr(ts.error_message);
      SetArgs(inst, &message, 1);
      Decref(message);
    }
    ts.exc_value = Value::Object(inst);
  }
  // A fresh exception raised while another is handled: the handled one is its context.
  Value handled = ts.handled;
  ExceptionObj* e = AsException(ts.exc_value);
  if (!handled.is_undefined() && handled.o != ts.exc_value.o) {
    // CPython breaks a cycle the new link would make (the handled chain reaching the new one).
    for (Value c = handled; IsExceptionInstance(c); c = AsException(c)->context) {
      ExceptionObj* ce = AsException(c);
      if (ce->context.o == ts.exc_value.o && ce->context.tag == Tag::kObj) {
        Decref(ce->context);
        ce->context = Value::Undefined();
        break;
      }
    }
    Incref(handled);
    Decref(e->context);
    e->context = handled;
  }
}

Value TakeRaisedError(ThreadState& ts) {
  Value exc = ts.exc_value;
  ts.exc_value = Value::Undefined();
  ExceptionObj* e = AsException(exc);
  if (!e->has_traceback) {
    e->has_traceback = true;
    e->traceback = ts.traceback;
  }
  // The frames outside the catching one (ts.current, ts.depth frames deep) are not part of it.
  const size_t outside = ts.depth > 0 ? static_cast<size_t>(ts.depth) - 1 : 0;
  if (outside < e->traceback_skip) e->traceback_skip = outside;
  ts.ClearError();
  return exc;
}

bool ReraiseException(ThreadState& ts, Value exc) {
  if (ts.has_error) return false;
  RaiseInstance(ts, exc, false);
  if (!ts.has_error || ts.exc_value.o != exc.o) return false;  // an error was pending already
  ts.exc_noted = true;
  ExceptionObj* e = AsException(exc);
  if (e->has_traceback) {
    ts.traceback = e->traceback;
    ts.traceback_captured = true;
  }
  return false;
}

bool WithEnter(ThreadState& ts, Value* sp) {
  Value cm = sp[-1];
  const ClassObj* cls = IsInstanceObj(cm) ? AsInstance(cm)->cls : nullptr;
  if (cls == nullptr || cls->Lookup("__enter__").is_undefined()) {
    return ts.Raise("TypeError", std::string("'") + TypeName(cm) +
                                     "' object does not support the context manager protocol");
  }
  if (cls->Lookup("__exit__").is_undefined()) {
    return ts.Raise("TypeError", std::string("'") + TypeName(cm) +
                                     "' object does not support the context manager protocol "
                                     "(missed __exit__ method)");
  }
  Value exit, enter, result;
  if (!GetAttr(ts, cm, "__exit__", &exit)) return false;
  if (!GetAttr(ts, cm, "__enter__", &enter)) {
    Decref(exit);
    return false;
  }
  bool ok = ts.interp->Call(ts, enter, nullptr, 0, nullptr, &result);
  Decref(enter);
  if (!ok) {
    Decref(exit);
    return false;
  }
  sp[-1] = exit;
  sp[0] = result;
  Decref(cm);
  return true;
}

bool WithExceptStart(ThreadState& ts, Value* sp) {
  Value exc = sp[-1];
  Value args[3] = {Value::Object(AsInstance(exc)->cls), exc, Value::None()};
  return ts.interp->Call(ts, sp[-3], args, 3, nullptr, &sp[0]);
}

int ExceptionMatches(ThreadState& ts, Value exc, Value spec) {
  const ClassObj* cls = AsInstance(exc)->cls;
  if (IsType(spec, ObjType::kTuple)) {
    int found = 0;
    for (Value item : AsSeq(spec)->items) {
      int r = ExceptionMatches(ts, exc, item);
      if (r < 0) return -1;
      if (r > 0 && found == 0) found = 1;
    }
    return found;
  }
  if (!IsType(spec, ObjType::kClass) || !IsExceptionClass(AsClass(spec))) {
    ts.Raise("TypeError", "catching classes that do not inherit from BaseException is not allowed");
    return -1;
  }
  return cls->IsSubclassOf(AsClass(spec)) ? 1 : 0;
}

}  // namespace gilbench::vm
