// The exception table's look-up and its structural checks (see exception_table.h).
#include "vm/exception_table.h"

#include <algorithm>

namespace gilbench::vm {

const ExceptionHandler* FindExceptionHandler(const std::vector<ExceptionHandler>& table,
                                             uint32_t offset) {
  // The first entry ending past `offset`: the one covering it, if any covers it.
  auto it = std::upper_bound(table.begin(), table.end(), offset,
                             [](uint32_t off, const ExceptionHandler& h) { return off < h.end; });
  if (it == table.end() || it->start > offset) return nullptr;
  return &*it;
}

const char* ExceptionTableProblem(const std::vector<ExceptionHandler>& table, size_t size) {
  uint32_t previous_end = 0;
  for (const ExceptionHandler& h : table) {
    if (h.start >= h.end) return "empty exception range";
    if (h.start < previous_end) return "exception ranges overlap or are unsorted";
    if (h.end > size) return "exception range past the end of the code";
    if (h.target >= size) return "exception handler past the end of the code";
    previous_end = h.end;
  }
  return nullptr;
}

}  // namespace gilbench::vm
