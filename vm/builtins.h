// Entry points of the built-in functions, methods and modules (builtins.cc, modules.cc).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "vm/interpreter.h"
#include "vm/object.h"

namespace gilbench::vm {

// The built-in function `name` (an immortal object), or undefined.
Value LookupBuiltin(std::string_view name);

// Builds the immortal singletons (built-ins, methods, one-byte strings) before threads start.
void InitBuiltins();

// threading.Thread's methods (start, join) and attributes (name, ident), from modules.cc.
std::vector<std::pair<const char*, NativeFn>> ThreadMethods();
bool ThreadAttr(Value thread, std::string_view name, Value* out);

// hashlib's hash object methods (digest, hexdigest), from hashlib.cc.
std::vector<std::pair<const char*, NativeFn>> HashMethods();
// hashlib.sha256, from hashlib.cc.
bool HashlibSha256(ThreadState& ts, const CallArgs& call, Value* result);

// dict(), set(), frozenset() and hash(), and the methods of dict, set and frozenset, from
// dict_methods.cc and set_methods.cc.
bool DictBuiltin(ThreadState& ts, const CallArgs& call, Value* result);
bool SetBuiltin(ThreadState& ts, const CallArgs& call, Value* result);
bool FrozenSetBuiltin(ThreadState& ts, const CallArgs& call, Value* result);
bool HashBuiltin(ThreadState& ts, const CallArgs& call, Value* result);
std::vector<std::pair<const char*, NativeFn>> DictMethods();
std::vector<std::pair<const char*, NativeFn>> SetMethods();
std::vector<std::pair<const char*, NativeFn>> FrozenSetMethods();

// The methods of generators (send, close), from generator_methods.cc.
std::vector<std::pair<const char*, NativeFn>> GeneratorMethods();

// Creates the built-in module `name` for `interp`, or returns undefined if there is none.
Value CreateModule(Interpreter* interp, std::string_view name);

}  // namespace gilbench::vm
