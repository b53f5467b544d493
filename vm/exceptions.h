// Exceptions as objects: CPython's built-in exception hierarchy as built-in classes
// (BaseException, Exception, ValueError, ...), whose instances carry their args, and the raise
// statement. An error the VM raises from C++ stays a (type, message) pair on the thread
// (ThreadState::Raise); one raised by a program records the instance too (RaiseException).
// Errors are not catchable yet: both end the program (or thread) with CPython's last line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vm/class.h"
#include "vm/interpreter.h"
#include "vm/value.h"

namespace gilbench::vm {

// An instance of an exception class: an instance with its args and what chaining and
// re-raising need. Every instance of an exception class is one (NewInstanceOf).
struct ExceptionObj : InstanceObj {
  // e.args: the tuple (owned), or null while the arguments are kept untupled in pending_args --
  // up to kPendingArgs of them, as almost every exception has -- so that raising and catching an
  // exception whose args nobody reads makes no tuple. ExceptionArgs makes the tuple on demand.
  static constexpr int kPendingArgs = 3;
  Obj* args = nullptr;
  Value pending_args[kPendingArgs];  // owned, the first npending of them
  int8_t npending = 0;
  Value cause = Value::Undefined();    // owned: __cause__ (None after `from None`), or unset
  Value context = Value::Undefined();  // owned: __context__, or unset
  bool suppress_context = false;       // __suppress_context__ (set by `raise ... from ...`)
  bool has_traceback = false;          // traceback recorded when it was first caught
  std::vector<TraceEntry> traceback;   // outermost first, every frame when it was raised
  // The outer entries of `traceback` it has not unwound through: CPython's traceback of a
  // caught exception starts at the frame that caught it (the outermost one that did).
  size_t traceback_skip = SIZE_MAX;
  explicit ExceptionObj(ClassObj* c) : InstanceObj(c) {}
  ~ExceptionObj() override {
    if (args != nullptr) DecrefObj(args);
    for (int i = 0; i < npending; ++i) Decref(pending_args[i]);
    Decref(cause);
    Decref(context);
  }
};
inline ExceptionObj* AsException(Value v) { return static_cast<ExceptionObj*>(v.o); }

// A new instance of `cls` (an ExceptionObj for an exception class), before __init__ runs.
InstanceObj* NewInstanceOf(ClassObj* cls);
// e.__cause__, e.__context__, e.__suppress_context__ and SystemExit's e.code: true with *out
// (new reference) set when `name` is one of them.
bool ExceptionAttr(Value exc, std::string_view name, Value* out);

// --- catching (the interpreter's error path and handlers) -----------------------------------
// Makes ts's pending error an exception instance if it is still a (type, message) pair, and
// links the exception being handled as its __context__ when it is freshly raised. Idempotent.
void NoteRaisedError(ThreadState& ts);
// The pending error as an instance (new reference), its traceback recorded in it, and the error
// cleared: the exception a handler of the innermost frame (ts.current) receives.
// NoteRaisedError must have run.
Value TakeRaisedError(ThreadState& ts);
// Raises `exc` (an instance, borrowed) again as it is: traceback, cause and context kept.
bool ReraiseException(ThreadState& ts, Value exc);
// with: [cm] -> [cm.__exit__ cm.__enter__()] at sp (the caller adds the one slot), or false
// with CPython's TypeError for an object without the protocol.
bool WithEnter(ThreadState& ts, Value* sp);
// A with block's handler: [exit prev exc] -> [exit prev exc exit(type(exc), exc, None)] (the
// caller adds the one slot).
bool WithExceptStart(ThreadState& ts, Value* sp);
// `except spec` against instance `exc`: 1 matches, 0 does not, -1 on the TypeError of a spec
// that is not an exception class or a tuple of them.
int ExceptionMatches(ThreadState& ts, Value exc, Value spec);

// The built-in exception class `name` (immortal), or null when there is none.
ClassObj* ExceptionClass(std::string_view name);
// A library's exception class (immortal): `name`, subclass of `base`, which an uncaught
// traceback names with its module (ClassObj::module) as CPython's does
// (`multiprocessing.context.ProcessError`). Made once per process; call it from a
// function-local static.
ClassObj* NewLibraryExceptionClass(const char* module, const char* name, ClassObj* base);
// The built-in or library exception class QualifiedClassName (class.h) calls `printed`, or null.
ClassObj* ExceptionClassByPrintedName(std::string_view printed);
// Whether `cls` is BaseException or a subclass of it.
bool IsExceptionClass(const ClassObj* cls);
// Whether `v` is an instance of an exception class.
bool IsExceptionInstance(Value v);

// raise exc [from cause]: exc is an exception class (instantiated with no arguments) or
// instance; cause is undefined when there is no `from`. Always returns false, with the error
// recorded (a TypeError when exc is not an exception; SystemExit's code as sys.exit's).
bool RaiseValue(ThreadState& ts, Value exc, Value cause);
// Raises a new instance of built-in exception `type` with args (arg,), arg borrowed (KeyError's
// key, so that e.args holds the key itself).
bool RaiseWithArg(ThreadState& ts, std::string_view type, Value arg);
// Records `inst` (an exception instance, borrowed) as the pending error: its class's name and
// str(inst) as the message.
bool RaiseException(ThreadState& ts, Value inst);

// Sets e.args to the positional arguments of a call (as BaseException.__new__ does).
void SetExceptionArgs(Value inst, const Value* args, int nargs,
                      const std::vector<std::string_view>* kwnames);
// The args tuple of an exception instance (borrowed), for e.args.
Value ExceptionArgs(Value inst);

}  // namespace gilbench::vm
