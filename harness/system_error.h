// The one-line error of a failed system call, as the harness reports it: "what: strerror(errno)".
#pragma once

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

namespace gilbench::harness {

// Sets *error to "what: <errno's text>" and returns false, for `return SystemError(...)`.
inline bool SystemError(std::string_view what, std::string* error) {
  *error = std::string(what) + ": " + std::strerror(errno);
  return false;
}

}  // namespace gilbench::harness
