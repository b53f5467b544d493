// Exceptions as objects: CPython's built-in exception hierarchy as built-in classes
// (BaseException, Exception, ValueError, ...), whose instances carry their args, and the raise
// statement. An error the VM raises from C++ stays a (type, message) pair on the thread
// (ThreadState::Raise); one raised by a program records the instance too (RaiseException).
// Errors are not catchable yet: both end the program (or thread) with CPython's last line.
#pragma once

#include <string_view>
#include <vector>

#include "vm/interpreter.h"
#include "vm/value.h"

namespace gilbench::vm {

struct ClassObj;

// The built-in exception class `name` (immortal), or null when there is none.
ClassObj* ExceptionClass(std::string_view name);
// Whether `cls` is BaseException or a subclass of it.
bool IsExceptionClass(const ClassObj* cls);
// Whether `v` is an instance of an exception class.
bool IsExceptionInstance(Value v);

// raise exc [from cause]: exc is an exception class (instantiated with no arguments) or
// instance; cause is undefined when there is no `from`. Always returns false, with the error
// recorded (a TypeError when exc is not an exception; SystemExit's code as sys.exit's).
bool RaiseValue(ThreadState& ts, Value exc, Value cause);
// Records `inst` (an exception instance, borrowed) as the pending error: its class's name and
// str(inst) as the message.
bool RaiseException(ThreadState& ts, Value inst);

// Sets e.args to the positional arguments of a call (as BaseException.__new__ does).
void SetExceptionArgs(Value inst, const Value* args, int nargs,
                      const std::vector<std::string_view>* kwnames);
// The args tuple of an exception instance (borrowed), for e.args.
Value ExceptionArgs(Value inst);

}  // namespace gilbench::vm
