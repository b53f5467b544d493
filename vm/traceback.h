// Printing an uncaught exception as CPython does: the traceback, and before it the exceptions it
// is chained to ("The above exception was the direct cause of the following exception:" for
// `raise ... from cause`, "During handling of the above exception, another exception occurred:"
// for one raised in a handler), each with the traceback recorded when it was caught.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vm/interpreter.h"
#include "vm/value.h"

namespace gilbench::vm {

// Line `line` (1-based) of `source`, without surrounding blanks.
std::string SourceLine(std::string_view source, int line);

// "Traceback (most recent call last):" and a File/source pair of lines per entry.
std::string FormatTraceback(std::string_view source, const std::vector<TraceEntry>& traceback);

// The blocks printed before exception `exc` (an instance, or undefined for none): its cause, or
// else its context unless suppressed, recursively, each followed by the line that links it to
// the next. Empty when `exc` is chained to nothing.
std::string FormatExceptionChain(ThreadState& ts, std::string_view source, Value exc);

}  // namespace gilbench::vm
