// The compiler: a parsed Module to a tree of code objects.
//
// Names are resolved here, once (with the scope analysis of scopes.h): a function's parameters
// and the names it assigns (minus those declared `global` or `nonlocal`) are local slots, a cell
// when a nested function uses them; a name bound in an enclosing function is a free variable,
// whose slot holds the closure's cell; every other name is a slot in the interpreter's global
// table, where the builtins also live. Nested functions, lambdas and comprehensions are code
// objects of their own, compiled with their enclosing scope's compiler as parent. The compiler
// fuses the common sequences into superinstructions as it emits them (see opcodes.def).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vm/ast.h"
#include "vm/code.h"
#include "vm/syntax_error.h"

namespace gilbench::vm {

// Compiles `module`. `global_names` is the interpreter's global table: names are looked up and
// appended there. On success stores a new reference to the module's code in *out.
bool Compile(const Module& module, std::string_view filename,
             std::vector<std::string>* global_names, CodeObj** out, SyntaxErrorInfo* error);

// Compile, one top-level statement at a time as ParseEach hands them over, so that the tree of
// the whole module never exists at once. After the first SyntaxError the statements that follow
// are not compiled; Finish reports it.
class ModuleCompiler {
 public:
  ModuleCompiler(std::string_view filename, std::vector<std::string>* global_names);
  ~ModuleCompiler();
  ModuleCompiler(const ModuleCompiler&) = delete;
  ModuleCompiler& operator=(const ModuleCompiler&) = delete;

  void Add(const Stmt& s);
  // Ends the module: on success stores a new reference to its code in *out.
  bool Finish(CodeObj** out, SyntaxErrorInfo* error);

 private:
  struct Impl;  // the compiler proper, whose classes live in compiler.cc
  std::unique_ptr<Impl> impl_;
};

}  // namespace gilbench::vm
