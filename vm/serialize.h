// Values as bytes, to cross from one process to another (multiprocessing): gilvm's own compact
// format, not pickle's, with pickle's rules for what may cross.
//
// What crosses: None, bool, int, float, str, bytes, range, tuples, lists, dicts, sets and
// frozensets; instances of module-level classes (the class by its module-level name, then the
// instance's attributes; __init__ does not run again); exceptions (their class, args and
// attributes); functions and classes by their module-level name (a method by its class's);
// a bound method as its receiver and name; built-in functions by name (`len`, `math.sqrt`).
// The receiving process is a fork of the sending one, so a name resolves to the same function.
//
// Refused, as pickle refuses them: a lambda or a function that is not reachable by its name
// (`_pickle.PicklingError: Can't pickle <function <lambda> at 0x...>: attribute lookup <lambda>
// on __main__ failed`), a nested function (`AttributeError: Can't pickle local object
// 'f.<locals>.g'`), and objects with no such form (`TypeError: cannot pickle 'generator'
// object`).
//
// Shared references and cycles are kept as pickle's memo keeps them: a list, dict, set or
// instance met again in the same value is written as a reference to its first copy, so
// `[a, a]` arrives as two references to one list and a list that contains itself arrives
// containing itself. (Tuples and frozensets are written again each time they are met; a cycle
// always passes through one of the memoised kinds, so it ends.)
//
// Format: one tag byte per value, then its payload; counts and lengths as LEB128 varints, ints
// zigzag-encoded, floats as their 8 bytes.
#pragma once

#include <string>
#include <string_view>

#include "vm/value.h"

namespace gilbench::vm {

struct ThreadState;
struct ClassObj;

// Appends `v`'s encoding to *out. False with the error raised in ts (and *out partly written).
bool SerializeValue(ThreadState& ts, Value v, std::string* out);

// Decodes one value from the front of *data (advanced past it): a new reference in *out.
// False with the error raised in ts (a ValueError for bytes that are not an encoding).
bool DeserializeValue(ThreadState& ts, std::string_view* data, Value* out);

// _pickle.PicklingError (immortal).
ClassObj* PicklingErrorClass();

}  // namespace gilbench::vm
