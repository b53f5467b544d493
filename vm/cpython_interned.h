// Which strs CPython 3.11 has interned by the time it compiles a program -- knowledge that only
// the layout of a folded set display depends on (SetFromFoldedConstants in set.h): interning a
// folded frozenset's strs rebuilds it when one of them was interned already, as another object.
#pragma once

#include <string_view>

namespace gilbench::vm {

class Interpreter;

// Whether CPython, compiling `interp`'s program, finds `text` (a str constant) interned already,
// as another object than the constant: a str of identifier characters ([A-Za-z0-9_]) that the
// interpreter interns before it compiles a script (cpython_interned.inc, made on the oracle's
// machine: what another machine's site-packages add is not known), or an identifier of the
// program itself, interned as it is parsed. Strs of other characters are never interned by the
// compiler.
bool InternedBeforeCompile(Interpreter& interp, std::string_view text);

}  // namespace gilbench::vm
