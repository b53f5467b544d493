// Argument checks shared by the built-in functions, methods and modules (args.cc). Each returns
// true when the call is acceptable, else records CPython's TypeError in `ts` and returns false.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "vm/interpreter.h"
#include "vm/object.h"

namespace gilbench::vm {

// The failing halves of the checks below: each records its TypeError and returns false.
// Out of line, so that an accepted call (nearly every call) costs the checks' compares only.
[[gnu::cold]] bool NoKeywordsFailed(ThreadState& ts, const char* name);
[[gnu::cold]] bool ArityFailed(ThreadState& ts, const CallArgs& call, const char* name, int min,
                               int max);
[[gnu::cold]] bool ModuleArityFailed(ThreadState& ts, const CallArgs& call, const char* name,
                                     int min, int max);

inline bool HasKeywords(const CallArgs& call) {
  return call.kwnames != nullptr && !call.kwnames->empty();
}

// No keyword arguments: "name() takes no keyword arguments".
inline bool NoKeywords(ThreadState& ts, const CallArgs& call, const char* name) {
  if (!HasKeywords(call)) [[likely]]
    return true;
  return NoKeywordsFailed(ts, name);
}

// Between min and max positional arguments, worded as CPython's built-ins word it.
inline bool Arity(ThreadState& ts, const CallArgs& call, const char* name, int min, int max) {
  if (!HasKeywords(call) && call.nargs >= min && call.nargs <= max) [[likely]]
    return true;
  return ArityFailed(ts, call, name, min, max);
}

// The same, worded as CPython's module functions word it ("takes exactly 1 argument (0 given)").
inline bool ModuleArity(ThreadState& ts, const CallArgs& call, const char* name, int min, int max) {
  if (!HasKeywords(call) && call.nargs >= min && call.nargs <= max) [[likely]]
    return true;
  return ModuleArityFailed(ts, call, name, min, max);
}

// Binds a call's arguments to parameters `names` as a Python method `fname` (self not among
// them) binds them: the first `required` are required, the first `max_positional` may come by
// position, all by keyword. slots[i] is set (borrowed) where given, else left as it was.
// CPython's TypeErrors for a Python function, self counted in the positional counts.
bool BindParams(ThreadState& ts, const Value* args, int nargs,
                const std::vector<std::string_view>* kwnames, const char* fname,
                std::initializer_list<const char*> names, int required, int max_positional,
                Value** slots);

// A number of seconds (an int, bool or float), as time.sleep and the timeouts take it: CPython's
// "'str' object cannot be interpreted as an integer" otherwise.
bool SecondsArg(ThreadState& ts, Value v, double* out);

// An int (or bool) argument: "'str' object cannot be interpreted as an integer" otherwise.
bool IndexArg(ThreadState& ts, Value v, int64_t* out);

}  // namespace gilbench::vm

namespace gilbench::vm {

// The keyword arguments `names` of a call into out[i] (borrowed; undefined when not given). Any
// other keyword is CPython's "'x' is an invalid keyword argument for fname()".
bool KeywordArgs(ThreadState& ts, const CallArgs& call, const char* fname,
                 std::initializer_list<const char*> names, Value* out);

}  // namespace gilbench::vm
