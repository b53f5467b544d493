// A code object's exception table, CPython 3.11's "zero-cost" scheme: nothing is set up when a
// try block is entered; the compiler records which bytecode ranges each handler covers, and only
// a raised exception looks the table up (by the offset of the instruction that raised).
//
// Entries are sorted by offset and never overlap: each instruction has at most one handler, the
// innermost one (the compiler closes an outer range where an inner one opens, and reopens it
// after). An entry also names the operand-stack depth the handler expects: the stack is cut to
// it and the exception pushed before the handler runs. The verifier checks the ranges, the
// targets and the depths (vm/verifier.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gilbench::vm {

struct ExceptionHandler {
  uint32_t start;   // first byte covered
  uint32_t end;     // one past the last byte covered
  uint32_t target;  // where the handler starts
  uint16_t depth;   // operand-stack depth at the handler, before the exception is pushed
};

// The handler covering bytecode offset `offset`, or null. `table` sorted as above.
const ExceptionHandler* FindExceptionHandler(const std::vector<ExceptionHandler>& table,
                                             uint32_t offset);

// What is wrong with `table` for code of `size` bytes, or null: empty or unsorted ranges,
// overlaps, ranges past the end.
const char* ExceptionTableProblem(const std::vector<ExceptionHandler>& table, size_t size);

}  // namespace gilbench::vm
