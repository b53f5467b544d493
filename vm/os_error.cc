// CPython's errno-to-exception table (Objects/exceptions.c, the ADD_ERRNO lines of 3.11).
#include "vm/os_error.h"

#include <cerrno>
#include <cstring>

namespace gilbench::vm {

const char* OsErrorType(int err) {
  switch (err) {
    case EAGAIN:  // == EWOULDBLOCK on Linux
    case EALREADY:
    case EINPROGRESS:
      return "BlockingIOError";
    case EPIPE:
    case ESHUTDOWN:
      return "BrokenPipeError";
    case ECHILD:
      return "ChildProcessError";
    case ECONNABORTED:
      return "ConnectionAbortedError";
    case ECONNREFUSED:
      return "ConnectionRefusedError";
    case ECONNRESET:
      return "ConnectionResetError";
    case EEXIST:
      return "FileExistsError";
    case ENOENT:
      return "FileNotFoundError";
    case EISDIR:
      return "IsADirectoryError";
    case ENOTDIR:
      return "NotADirectoryError";
    case EINTR:
      return "InterruptedError";
    case EACCES:
    case EPERM:
      return "PermissionError";
    case ESRCH:
      return "ProcessLookupError";
    case ETIMEDOUT:
      return "TimeoutError";
    default:
      return "OSError";
  }
}

std::string OsErrorText(int err) {
  return "[Errno " + std::to_string(err) + "] " + std::strerror(err);
}

bool RaiseOsError(ThreadState& ts, int err) { return ts.Raise(OsErrorType(err), OsErrorText(err)); }

}  // namespace gilbench::vm
