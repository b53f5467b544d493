// Argument checks shared by the built-in functions, methods and modules, with the errors in
// CPython's words. CPython words arity errors two ways -- built-ins ("len() takes exactly one
// argument (2 given)", "range expected at least 1 argument, got 0") and module functions
// ("sleep() takes exactly 1 argument (0 given)") -- so there are two checks.
#include "vm/args.h"

#include <string>
#include <vector>

#include "vm/runtime.h"

namespace gilbench::vm {

bool NoKeywordsFailed(ThreadState& ts, const char* name) {
  return ts.Raise("TypeError", std::string(name) + "() takes no keyword arguments");
}

bool ArityFailed(ThreadState& ts, const CallArgs& call, const char* name, int min, int max) {
  if (HasKeywords(call)) return NoKeywordsFailed(ts, name);
  int n = call.nargs;
  if (min == max) {
    if (min == 0) {
      return ts.Raise("TypeError", std::string(name) + "() takes no arguments (" +
                                       std::to_string(n) + " given)");
    }
    if (min == 1) {
      return ts.Raise("TypeError", std::string(name) + "() takes exactly one argument (" +
                                       std::to_string(n) + " given)");
    }
  }
  if (n < min) {
    return ts.Raise("TypeError", std::string(name) + " expected at least " + std::to_string(min) +
                                     " argument" + (min == 1 ? "" : "s") + ", got " +
                                     std::to_string(n));
  }
  return ts.Raise("TypeError", std::string(name) + " expected at most " + std::to_string(max) +
                                   " argument" + (max == 1 ? "" : "s") + ", got " +
                                   std::to_string(n));
}

bool ModuleArityFailed(ThreadState& ts, const CallArgs& call, const char* name, int min, int max) {
  if (HasKeywords(call)) return NoKeywordsFailed(ts, name);
  std::string expected = min == max ? "exactly " + std::to_string(min)
                                    : (call.nargs < min ? "at least " + std::to_string(min)
                                                        : "at most " + std::to_string(max));
  return ts.Raise("TypeError", std::string(name) + "() takes " + expected + " argument" +
                                   (min == max && min == 1 ? "" : "s") + " (" +
                                   std::to_string(call.nargs) + " given)");
}

bool BindParams(ThreadState& ts, const Value* args, int nargs,
                const std::vector<std::string_view>* kwnames, const char* fname,
                std::initializer_list<const char*> names, int required, int max_positional,
                Value** slots) {
  const int nkw = kwnames != nullptr ? static_cast<int>(kwnames->size()) : 0;
  const int npos = nargs - nkw;
  const std::vector<const char*> params(names);
  if (npos > max_positional) {
    std::string takes =
        required == max_positional
            ? std::to_string(max_positional + 1)
            : "from " + std::to_string(required + 1) + " to " + std::to_string(max_positional + 1);
    return ts.Raise("TypeError", std::string(fname) + "() takes " + takes +
                                     " positional arguments but " + std::to_string(npos + 1) +
                                     (npos + 1 == 1 ? " was" : " were") + " given");
  }
  std::vector<bool> given(params.size(), false);
  for (int i = 0; i < npos; ++i) {
    *slots[i] = args[i];
    given[i] = true;
  }
  for (int k = 0; k < nkw; ++k) {
    std::string_view key = (*kwnames)[k];
    size_t i = 0;
    while (i < params.size() && key != params[i]) ++i;
    if (i == params.size()) {
      return ts.Raise("TypeError", std::string(fname) + "() got an unexpected keyword argument '" +
                                       std::string(key) + "'");
    }
    if (given[i]) {
      return ts.Raise("TypeError", std::string(fname) + "() got multiple values for argument '" +
                                       std::string(key) + "'");
    }
    *slots[i] = args[npos + k];
    given[i] = true;
  }
  for (int i = 0; i < required; ++i) {
    if (!given[i]) {
      return ts.Raise(
          "TypeError",
          std::string(fname) + "() missing 1 required positional argument: '" + params[i] + "'");
    }
  }
  return true;
}

bool SecondsArg(ThreadState& ts, Value v, double* out) {
  if (v.is_float()) {
    *out = v.f;
  } else if (v.is_intlike()) {
    *out = static_cast<double>(v.i);
  } else {
    return ts.Raise("TypeError", std::string("'") + TypeName(v) +
                                     "' object cannot be interpreted as an integer");
  }
  return true;
}

bool IndexArg(ThreadState& ts, Value v, int64_t* out) {
  if (!v.is_intlike()) {
    return ts.Raise("TypeError", std::string("'") + TypeName(v) +
                                     "' object cannot be interpreted as an integer");
  }
  *out = v.i;
  return true;
}

}  // namespace gilbench::vm

namespace gilbench::vm {

bool KeywordArgs(ThreadState& ts, const CallArgs& call, const char* fname,
                 std::initializer_list<const char*> names, Value* out) {
  for (size_t i = 0; i < names.size(); ++i) out[i] = Value::Undefined();
  int npos = call.npositional();
  for (int k = 0; call.kwnames && k < static_cast<int>(call.kwnames->size()); ++k) {
    std::string_view given = (*call.kwnames)[k];
    size_t i = 0;
    for (const char* name : names) {
      if (given == name) break;
      ++i;
    }
    if (i == names.size()) {
      return ts.Raise("TypeError", "'" + std::string(given) +
                                       "' is an invalid keyword argument for " + fname + "()");
    }
    out[i] = call.args[npos + k];
  }
  return true;
}

}  // namespace gilbench::vm
