// The dunder methods of user classes as the VM's operators and built-ins call them: runtime.cc's
// entry points (BinaryArith, CompareValues, StrOf, GetItem, GetIter, ...) hand a value that is an
// instance to these, on their slow paths. Each follows CPython's protocol for its operator
// (reflected operands and NotImplemented, __ne__ from __eq__, __iadd__ falling back to __add__,
// __bool__ then __len__) with CPython's error messages.
#pragma once

#include <cstdint>
#include <string>

#include "vm/ast.h"
#include "vm/interpreter.h"
#include "vm/value.h"

namespace gilbench::vm {

// Calls type(self).<name>(self, *args) when the class defines it: *found says whether it does;
// the result is a new reference.
bool CallDunder(ThreadState& ts, Value self, const char* name, const Value* args, int nargs,
                Value* out, bool* found);

// a <op> b (inplace: a <op>= b) where a or b is an instance.
bool InstanceBinary(ThreadState& ts, BinaryOp op, Value a, Value b, bool inplace, Value* out);
// -v, +v, ~v on an instance.
bool InstanceUnary(ThreadState& ts, UnaryOp op, Value v, Value* out);
// a == b where a or b is an instance (identity when neither defines __eq__).
bool InstanceEqual(ThreadState& ts, Value a, Value b, bool* equal);
// a != b where a or b is an instance: __ne__ if defined, else the negation of ==.
bool InstanceNotEqual(ThreadState& ts, Value a, Value b, bool* out);
// a < b, a <= b, a > b, a >= b where a or b is an instance.
bool InstanceOrder(ThreadState& ts, CompareOp op, Value a, Value b, bool* out);
// The truth of an instance: 1 or 0, -1 on an error.
int InstanceTruth(ThreadState& ts, Value v);
// len(instance): false with TypeError when there is no __len__.
bool InstanceLen(ThreadState& ts, Value v, int64_t* out);
// hash(instance): __hash__, or by identity, or "unhashable type" when __eq__ is defined alone.
bool InstanceHash(ThreadState& ts, Value v, int64_t* out);
// str() and repr() of an instance (__str__ falls back to __repr__, __repr__ to the default).
bool InstanceStr(ThreadState& ts, Value v, std::string* out);
bool InstanceRepr(ThreadState& ts, Value v, std::string* out);
// item in instance: __contains__, else iteration.
bool InstanceContains(ThreadState& ts, Value container, Value item, bool* out);
bool InstanceGetItem(ThreadState& ts, Value c, Value index, Value* out);
bool InstanceSetItem(ThreadState& ts, Value c, Value index, Value value);
bool InstanceDelItem(ThreadState& ts, Value c, Value index);
// iter(instance) and next(instance); StopIteration raised by __next__ ends the iteration.
bool InstanceIter(ThreadState& ts, Value v, Value* out);
Interpreter::IterResult InstanceNext(ThreadState& ts, Value v, Value* item);

}  // namespace gilbench::vm
