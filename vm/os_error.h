// An errno as CPython reports it: the OSError subclass PEP 3151 maps it to (BrokenPipeError for
// EPIPE, FileNotFoundError for ENOENT, ...) and the "[Errno 32] Broken pipe" text. Shared by the
// os module, print's flushes, the exit flush and gilvm's "can't open file" message, so that
// every failed system call reads as CPython's does.
#pragma once

#include <string>

#include "vm/interpreter.h"

namespace gilbench::vm {

// The name of the exception CPython raises for `err`: an OSError subclass, or "OSError" itself.
const char* OsErrorType(int err);

// "[Errno N] <strerror(N)>", CPython's str() of an OSError made from `err`.
std::string OsErrorText(int err);

// Records the exception CPython would raise for `err` in `ts` and returns false.
bool RaiseOsError(ThreadState& ts, int err);

}  // namespace gilbench::vm
