// Binding a call's arguments to a Python function's parameters: positional, defaults, keywords,
// keyword-only parameters, *args and **kwargs, with CPython 3.11's TypeErrors for calls that do
// not fit. The one place the call path turns arguments into a frame's parameter slots.
#pragma once

#include <string_view>
#include <vector>

#include "vm/code.h"

namespace gilbench::vm {

struct ThreadState;

// Writes the parameter slots of fn's code (code->nparam_slots() of them, in local_names order)
// to `out` as owned values: nargs arguments at `args` (borrowed), of which the last
// kwnames->size() are keywords. On a mismatch raises TypeError and writes nothing owned.
bool BindArguments(ThreadState& ts, FunctionObj* fn, const Value* args, int nargs,
                   const std::vector<std::string_view>* kwnames, Value* out);

// Prepares a new frame's cells once its parameters are bound: each cell slot's value (a bound
// parameter, or undefined) moves into a new cell, and the free-variable slots get the closure's
// cells. Every other local slot must already be undefined.
void InitCells(FunctionObj* fn, Value* locals);

// How CPython names a Python function in some call errors: "__main__.f" (its module, then its
// qualified name).
std::string FunctionStr(ThreadState& ts, Value callable);

}  // namespace gilbench::vm
