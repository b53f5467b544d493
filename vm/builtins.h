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
// thread.daemon = v and thread.name = v on a ThreadObj; *handled false for other names.
bool ThreadSetAttr(ThreadState& ts, Value thread, std::string_view name, Value v, bool* handled);
// Whether `v` is threading.Thread (each interpreter's threading module has its own function
// object), and one immortal threading.Thread for calling it from C++, from modules.cc.
bool IsThreadingThread(Value v);
Value ThreadingThreadValue();

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

// The built-ins of builtins_functional.cc (enumerate, zip, map, filter, reversed, iter, any,
// all, sorted, min, max) and builtins_numeric.cc (round, divmod, pow, chr, ord, hex, oct, bin,
// id, repr, callable), registered by LookupBuiltin.
std::vector<std::pair<const char*, NativeFn>> FunctionalBuiltins();
std::vector<std::pair<const char*, NativeFn>> NumericBuiltins();

// The methods of str other than join and encode, from str_methods.cc.
std::vector<std::pair<const char*, NativeFn>> StrMethods();

// The methods of list (other than append and pop) and of tuple, from list_methods.cc.
std::vector<std::pair<const char*, NativeFn>> ListMethods();
std::vector<std::pair<const char*, NativeFn>> TupleMethods();

// str.format and format(), from str_format.cc.
std::vector<std::pair<const char*, NativeFn>> StrFormatMethods();
bool FormatBuiltin(ThreadState& ts, const CallArgs& call, Value* result);

// sys.stdout and sys.stderr (text_stream.cc): their methods (write, flush), the objects, and
// print(..., file=f) for a file other than sys.stdout.
std::vector<std::pair<const char*, NativeFn>> TextStreamMethods();
Value MakeTextStream(int fd);
bool PrintToFile(ThreadState& ts, const CallArgs& call, Value file, const std::string& sep,
                 const std::string& end, bool flush, Value* result);

// The math module, from math_module.cc, and the random module, from random_module.cc.
Value CreateMathModule();
Value CreateRandomModule();
// The methods of generators (send, close), from generator_methods.cc.
std::vector<std::pair<const char*, NativeFn>> GeneratorMethods();

// Creates the built-in module `name` for `interp`, or returns undefined if there is none.
Value CreateModule(Interpreter* interp, std::string_view name);
// Whether `name` is one of the modules CreateModule makes.
bool IsBuiltinModule(std::string_view name);

}  // namespace gilbench::vm
