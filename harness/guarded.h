// An exception on a thread of the harness, as a row's one-line error. Allocation fails with
// std::bad_alloc under a memory limit (`ulimit -v`), and a thread that cannot be started throws
// std::system_error: either would end the whole run (std::terminate, status 134) with a cut-off
// results file, where one row failing is the truth.
#pragma once

#include <exception>
#include <new>
#include <string>

namespace gilbench::harness {

// Returns body()'s result, or false with *error when it threw. What the body set up must be
// released by its destructors on the way out.
template <typename Body>
bool RunGuarded(Body&& body, std::string* error) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    *error = "MemoryError: out of memory (std::bad_alloc)";
  } catch (const std::exception& e) {
    *error = std::string("cannot run: ") + e.what();
  }
  return false;
}

}  // namespace gilbench::harness
