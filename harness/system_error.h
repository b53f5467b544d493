// The one-line error of a failed system call, as the harness reports it: "what: strerror(errno)";
// an errno with its symbol for the counters' reasons; and the harness's on/off environment flags.
#pragma once

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace gilbench::harness {

// "No such file or directory (ENOENT)", or with a hint "... (ENOENT: no vPMU?)".
inline std::string ErrnoText(int error_number, std::string_view hint = {}) {
  const char* symbol = strerrorname_np(error_number);
  std::string text = std::string(std::strerror(error_number)) + " (" +
                     (symbol != nullptr ? symbol : "errno " + std::to_string(error_number));
  if (!hint.empty()) text += std::string(": ") + std::string(hint);
  return text + ")";
}

// Whether the environment variable `name` turns something on: set, not empty, not "0"
// (GILBENCH_NO_PMU, GILBENCH_NO_PERF_EVENTS, GILBENCH_NO_PROC_SCHED).
inline bool EnvFlagSet(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && value[0] != '\0' && std::strcmp(value, "0") != 0;
}

// Sets *error to "what: <errno's text>" and returns false, for `return SystemError(...)`.
inline bool SystemError(std::string_view what, std::string* error) {
  *error = std::string(what) + ": " + std::strerror(errno);
  return false;
}

}  // namespace gilbench::harness
