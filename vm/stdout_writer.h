// sys.stdout as CPython 3.11 builds it over fd 1, so that a program's text reaches the fd at the
// same points as under CPython. Those points decide where print's text falls among the program's
// own os.write(1, ...) calls, and which print -- or the flush at exit -- meets a closed pipe
// (BrokenPipeError from print, status 1; or "Exception ignored" at exit, status 120).
//
// Two layers, as in CPython's io module:
//   - the text layer (TextIOWrapper) keeps written text pending; a write that would take it past
//     8192 bytes (the chunk size) first hands the pending text down, and once 8192 bytes or more
//     are pending they go down at once; on a terminal every newline sends them down and flushes;
//   - the buffer layer (BufferedWriter, its size the fd's st_blksize: 4096 for a pipe) copies what
//     fits into its buffer; otherwise it writes its buffer out, then the new bytes straight to
//     the fd until the rest fits in the buffer. Bytes that fail to go straight out are lost; a
//     buffer that fails to go out stays, so the flush at exit tries it again (and fails again
//     on a closed pipe).
// A failure returns the errno; the caller raises it (os_error.h). Not thread-safe: the owning
// interpreter's GIL guards it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gilbench::vm {

class StdoutWriter {
 public:
  // Reads fd's state now, as CPython does at start-up: not open (sys.stdout is None: output is
  // discarded), a terminal (line buffered), its block size.
  explicit StdoutWriter(int fd);
  // A copy for a subinterpreter: the same fd and state, nothing pending.
  StdoutWriter(const StdoutWriter& other);
  StdoutWriter& operator=(const StdoutWriter&) = delete;

  // sys.stdout.write(text). Returns 0 or the errno of a failed write to the fd.
  int Write(std::string_view text);
  // sys.stdout.flush(): everything pending and buffered out to the fd. 0 or the errno.
  int Flush();

 private:
  int HandDownText();  // the text layer's pending bytes to the buffer layer
  int BufferWrite(std::string_view bytes);
  int BufferFlush();  // the buffer layer's bytes to the fd

  const int fd_;
  const bool discard_;
  const bool line_buffered_;
  const size_t buffer_size_;
  std::string pending_;  // the text layer's
  std::string buffer_;   // the buffer layer's, at most buffer_size_ bytes
};

}  // namespace gilbench::vm
