// Tests of the errno-to-exception mapping (vm/os_error.h): each errno PEP 3151 names gives
// CPython 3.11's subclass (checked with `type(OSError(n, "")).__name__`), others OSError.
#include "vm/os_error.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string_view>
#include <utility>

namespace gilbench::vm {
namespace {

TEST(OsErrorTest, SubclassOfEachErrno) {
  const std::pair<int, std::string_view> cases[] = {
      {EPIPE, "BrokenPipeError"},
      {ESHUTDOWN, "BrokenPipeError"},
      {EAGAIN, "BlockingIOError"},
      {EALREADY, "BlockingIOError"},
      {EINPROGRESS, "BlockingIOError"},
      {ECHILD, "ChildProcessError"},
      {ECONNABORTED, "ConnectionAbortedError"},
      {ECONNREFUSED, "ConnectionRefusedError"},
      {ECONNRESET, "ConnectionResetError"},
      {EEXIST, "FileExistsError"},
      {ENOENT, "FileNotFoundError"},
      {EISDIR, "IsADirectoryError"},
      {ENOTDIR, "NotADirectoryError"},
      {EINTR, "InterruptedError"},
      {EACCES, "PermissionError"},
      {EPERM, "PermissionError"},
      {ESRCH, "ProcessLookupError"},
      {ETIMEDOUT, "TimeoutError"},
      {EBADF, "OSError"},
      {EIO, "OSError"},
      {EFBIG, "OSError"},
      {ENOSPC, "OSError"},
  };
  for (const auto& [err, type] : cases) EXPECT_EQ(OsErrorType(err), type) << "errno " << err;
}

TEST(OsErrorTest, TextAsCPythonsStr) {
  EXPECT_EQ(OsErrorText(EPIPE), "[Errno 32] Broken pipe");
  EXPECT_EQ(OsErrorText(EBADF), "[Errno 9] Bad file descriptor");
}

}  // namespace
}  // namespace gilbench::vm
