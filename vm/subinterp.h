// Copying values from one interpreter into another, for the subinterp policy (PEP 684): each
// thread runs in its own interpreter under its own GIL, so the two must share no object whose
// reference count either one writes. Immortal objects (code, constants, built-ins; PEP 683) are
// shared as they are; everything else is copied -- lists and tuples deeply, functions around
// their shared immortal code, modules by importing them afresh in the new interpreter; dicts,
// sets and frozensets with their tables' layout, so they iterate alike. Threads, generators and
// iterators cannot cross.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "vm/object.h"

namespace gilbench::vm {

class Interpreter;
struct DictObj;
struct SetObj;

class CrossInterpreterCopier {
 public:
  // Copies into `to`, which no thread runs yet. The caller holds the source interpreter's GIL.
  explicit CrossInterpreterCopier(Interpreter* to) : to_(to) {}
  ~CrossInterpreterCopier();
  CrossInterpreterCopier(const CrossInterpreterCopier&) = delete;
  CrossInterpreterCopier& operator=(const CrossInterpreterCopier&) = delete;

  // Stores in *out a new reference, owned by `to`, to a copy of `v` (or `v` itself if immortal
  // or not an object). Returns false with the reason in *why for what cannot cross.
  bool Copy(Value v, Value* out, std::string* why);

 private:
  bool CopyObject(Obj* obj, Value* out, std::string* why);
  bool CopySequence(SeqObj* seq, Value* out, std::string* why);
  bool CopyDict(DictObj* d, Value* out, std::string* why);
  bool CopySet(SetObj* so, Value* out, std::string* why);
  class NestingGuard;

  Interpreter* to_;
  int depth_ = 0;  // nesting of the copy in progress, bounded like the interpreter's recursion
  // Source object -> its copy (an owned reference, released by the destructor), so that shared
  // references and cycles survive the copy, and a failed copy leaves nothing dangling here.
  std::vector<std::pair<Obj*, Value>> memo_;
};

}  // namespace gilbench::vm
