// Argument binding (call_args.h), after CPython 3.11's initialize_locals in Python/ceval.c: the
// same order of checks, so that a call that is wrong in two ways fails with the same message.
#include "vm/call_args.h"

#include <algorithm>
#include <string>

#include "vm/dict.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

std::string Plural(int n, const char* word) { return std::string(word) + (n == 1 ? "" : "s"); }

// "'a'", "'a' and 'b'", "'a', 'b', and 'c'", as CPython lists missing arguments.
std::string QuotedList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
    out += "'" + names[i] + "'";
  }
  return out;
}

bool TooManyPositional(ThreadState& ts, const CodeObj* code, int ndefaults, int given,
                       int kwonly_given) {
  int n = code->nparams;
  std::string takes = ndefaults ? "from " + std::to_string(n - ndefaults) + " to " +
                                      std::to_string(n) + " positional arguments"
                                : std::to_string(n) + " positional " + Plural(n, "argument");
  std::string gave = std::to_string(given);
  if (kwonly_given > 0) {
    gave += " positional " + Plural(given, "argument") + " (and " + std::to_string(kwonly_given) +
            " keyword-only " + Plural(kwonly_given, "argument") + ")";
  }
  return ts.Raise("TypeError", code->qualname + "() takes " + takes + " but " + gave +
                                   (given == 1 && kwonly_given == 0 ? " was" : " were") + " given");
}

bool Missing(ThreadState& ts, const CodeObj* code, const std::vector<std::string>& names,
             const char* kind) {
  int n = static_cast<int>(names.size());
  return ts.Raise("TypeError", code->qualname + "() missing " + std::to_string(n) + " required " +
                                   kind + " " + Plural(n, "argument") + ": " + QuotedList(names));
}

}  // namespace

bool BindArguments(ThreadState& ts, FunctionObj* fn, const Value* args, int nargs,
                   const std::vector<std::string_view>* kwnames, Value* out) {
  const CodeObj* code = fn->code;
  const int nparams = code->nparams;
  const int named = nparams + code->nkwonly;  // the parameters a keyword may name
  const int nkw = kwnames ? static_cast<int>(kwnames->size()) : 0;
  const int npos = nargs - nkw;
  const int ndefaults = static_cast<int>(fn->defaults.size());
  // Borrowed values first; references are taken only once the call is known to fit.
  std::vector<Value> slots(named, Value::Undefined());
  for (int i = 0; i < std::min(npos, nparams); ++i) slots[i] = args[i];
  std::vector<int> extra_keywords;  // indexes into kwnames of keywords for **kwargs
  for (int k = 0; k < nkw; ++k) {
    std::string_view name = (*kwnames)[k];
    auto begin = code->local_names.begin();
    auto it = std::find(begin, begin + named, name);
    if (it == begin + named) {
      if (!code->has_varkw) {
        return ts.Raise("TypeError", code->qualname + "() got an unexpected keyword argument '" +
                                         std::string(name) + "'");
      }
      extra_keywords.push_back(k);
      continue;
    }
    int slot = static_cast<int>(it - begin);
    if (!slots[slot].is_undefined()) {
      return ts.Raise("TypeError", code->qualname + "() got multiple values for argument '" +
                                       std::string(name) + "'");
    }
    slots[slot] = args[npos + k];
  }
  if (npos > nparams && !code->has_varargs) {
    int kwonly_given = 0;
    for (int i = nparams; i < named; ++i) kwonly_given += !slots[i].is_undefined();
    return TooManyPositional(ts, code, ndefaults, npos, kwonly_given);
  }
  std::vector<std::string> missing;
  for (int i = npos; i < nparams - ndefaults; ++i) {
    if (slots[i].is_undefined()) missing.push_back(code->local_names[i]);
  }
  if (!missing.empty()) return Missing(ts, code, missing, "positional");
  for (int i = std::max(npos, nparams - ndefaults); i < nparams; ++i) {
    if (slots[i].is_undefined()) slots[i] = fn->defaults[i - (nparams - ndefaults)];
  }
  for (int i = nparams; i < named; ++i) {
    if (!slots[i].is_undefined()) continue;
    if (!fn->kwdefaults.empty() && !fn->kwdefaults[i - nparams].is_undefined()) {
      slots[i] = fn->kwdefaults[i - nparams];
    } else {
      missing.push_back(code->local_names[i]);
    }
  }
  if (!missing.empty()) return Missing(ts, code, missing, "keyword-only");
  // The call fits: the slots become owned, then *args and **kwargs are made.
  int at = named;
  Value varargs = Value::Undefined();
  if (code->has_varargs) {
    std::vector<Value> rest;
    for (int i = nparams; i < npos; ++i) {
      Incref(args[i]);
      rest.push_back(args[i]);
    }
    varargs = MakeTuple(std::move(rest));
  }
  if (code->has_varkw) {
    DictObj* kwargs = NewDict();
    for (int k : extra_keywords) {
      Value key = MakeStr(std::string((*kwnames)[k]));
      bool ok = DictSet(ts, kwargs, key, args[npos + k]);
      Decref(key);
      if (!ok) {
        DecrefObj(kwargs);
        Decref(varargs);
        return false;
      }
    }
    out[named + code->has_varargs] = Value::Object(kwargs);
  }
  for (int i = 0; i < named; ++i) {
    Incref(slots[i]);
    out[i] = slots[i];
  }
  if (code->has_varargs) out[at] = varargs;
  return true;
}

void InitCells(FunctionObj* fn, Value* locals) {
  const CodeObj* code = fn->code;
  for (uint16_t slot : code->cell_slots) {
    auto* cell = new CellObj();
    cell->value = locals[slot];  // the reference moves into the cell
    locals[slot] = Value::Object(cell);
  }
  const int first_free = code->nlocals() - code->nfree;
  for (int i = 0; i < code->nfree; ++i) {
    Value cell = fn->closure[i];
    Incref(cell);
    locals[first_free + i] = cell;
  }
}

std::string FunctionStr(ThreadState& ts, Value callable) {
  if (IsType(callable, ObjType::kFunction)) {
    return ts.interp->module_name() + "." + static_cast<FunctionObj*>(callable.o)->code->qualname;
  }
  if (IsType(callable, ObjType::kNative)) return static_cast<NativeObj*>(callable.o)->name;
  return TypeName(callable);
}

}  // namespace gilbench::vm
