// Slice objects (`x[a:b:c]`, slice assignment and deletion): reading a slice of a list, tuple,
// str, bytes or range with any step, and assigning or deleting a slice of a list, with CPython's
// index arithmetic (PySlice_Unpack and PySlice_AdjustIndices) and error messages.
#pragma once

#include "vm/interpreter.h"
#include "vm/object.h"

namespace gilbench::vm {

// A new slice object of three values (each None when left out); takes the references.
Value MakeSlice(Value start, Value stop, Value step);

// c[slice] for a sequence or a range.
bool GetSliceItems(ThreadState& ts, Value c, SliceObj* slice, Value* out);
// c[slice] = value and del c[slice], for lists (CPython's TypeError for the rest).
bool SetSliceItems(ThreadState& ts, Value c, SliceObj* slice, Value value);
bool DelSliceItems(ThreadState& ts, Value c, SliceObj* slice);

// slice(stop), slice(start, stop[, step]).
bool SliceBuiltin(ThreadState& ts, const CallArgs& call, Value* result);

}  // namespace gilbench::vm
