// The semantics of values: truth, str/repr, arithmetic, comparison, subscripts, iteration.
// The interpreter's opcodes handle the int fast paths inline and call these for everything else;
// builtins call them too. Every function that can fail records the error in `ts` and returns
// false (or IterResult::kError); results are new references.
#pragma once

#include <string>
#include <string_view>

#include "vm/ast.h"
#include "vm/interpreter.h"
#include "vm/value.h"

namespace gilbench::vm {

// CPython's type name: "int", "str", "list", "builtin_function_or_method", ...
const char* TypeName(Value v);

bool IsTruthy(Value v);

// The int64 equal to the integral double `d` (truncate or round it first): false when there is
// none -- NaN, an infinity, or outside [-2**63, 2**63). Every float-to-int conversion goes
// through here, since a C++ cast of such a double is undefined behaviour.
bool IntegralToInt64(double d, int64_t* out);

// str(v) and repr(v) as a program sees them. A list that contains itself prints as [...]; one
// nested deeper than the recursion limit (counted with ts's frames) is a RecursionError.
bool StrOf(ThreadState& ts, Value v, std::string* out);
bool ReprOf(ThreadState& ts, Value v, std::string* out);
// The same for tools and tests, which have no thread: they cannot fail, and print containers
// nested more than 200 deep as [...].
std::string ToStr(Value v);
std::string ToRepr(Value v);
std::string ReprString(std::string_view s);  // 'text' with CPython's quoting and escapes

// a <op> b for the arithmetic operators. `inplace` gives += its list-extending meaning.
bool BinaryArith(ThreadState& ts, BinaryOp op, Value a, Value b, bool inplace, Value* out);
bool UnaryArith(ThreadState& ts, UnaryOp op, Value v, Value* out);

// a <op> b for comparisons; *out is the Python truth of the result.
bool CompareValues(ThreadState& ts, CompareOp op, Value a, Value b, bool* out);
// *equal = (a == b), containers compared item by item; false on a RecursionError (nesting
// deeper than the recursion limit, or two lists that each contain themselves).
bool ValuesEqual(ThreadState& ts, Value a, Value b, bool* equal);

bool GetItem(ThreadState& ts, Value container, Value index, Value* out);
bool SetItem(ThreadState& ts, Value container, Value index, Value value);
// del container[index], for lists and dicts (CPython's TypeError for the rest).
bool DelItem(ThreadState& ts, Value container, Value index);
// KeyError whose message is repr(key), as CPython prints a missing key.
bool RaiseKeyError(ThreadState& ts, Value key);
// KeyError(text): a message of the VM's own, shown quoted as CPython shows it.
bool RaiseKeyErrorText(ThreadState& ts, const char* text);
bool GetSlice(ThreadState& ts, Value container, Value lower, Value upper, Value* out);
bool GetAttr(ThreadState& ts, Value obj, std::string_view name, Value* out);
// For LOAD_METHOD: the native method `name` of obj's type, or null if the type has none; *index
// (if given) is its place in the type's method table, for MethodAt.
NativeObj* FindMethod(Value obj, std::string_view name, size_t* index = nullptr);
// The method at `index` of a built-in type's method table (FindMethod), or null.
NativeObj* MethodAt(ObjType type, size_t index);

// Whether v is an iterator (what next() accepts).
bool IsIterator(Value v);
// iter(v), and one step of an iterator made by GetIter.
bool GetIter(ThreadState& ts, Value v, Value* out);
Interpreter::IterResult IterNext(ThreadState& ts, Value iter, Value* item);
// Unpacks exactly n items of an iterable into out[0..n) (new references).
bool UnpackSequence(ThreadState& ts, Value v, int n, Value* out);
// Collects an iterable into a vector of new references.
bool CollectIterable(ThreadState& ts, Value v, std::vector<Value>* out);

// The length of a sized value, or -1 when it has none.
int64_t LengthOf(Value v);

// format(v, spec) for f-string fields.
bool FormatValue(ThreadState& ts, Value v, std::string_view spec, Value* out);
// A format field's conversion of v (a new reference in *out): str(v) for 's', repr(v) for 'r',
// ascii(v) for 'a'; CPython's ValueError for any other character (str.format's "{!x}").
bool ConvertField(ThreadState& ts, Value v, char conversion, Value* out);
// An f-string field: format(v, spec) after the conversion (0: none).
bool FormatField(ThreadState& ts, Value v, char conversion, std::string_view spec, Value* out);

}  // namespace gilbench::vm
