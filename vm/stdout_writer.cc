// The model of CPython 3.11's sys.stdout (stdout_writer.h): Modules/_io/textio.c's
// _io_TextIOWrapper_write_impl and Modules/_io/bufferedio.c's _io__Buffered_write_impl, reduced
// to where bytes go.
#include "vm/stdout_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace gilbench::vm {
namespace {

constexpr size_t kChunkSize = 8192;          // TextIOWrapper's _CHUNK_SIZE
constexpr size_t kDefaultBufferSize = 8192;  // io.DEFAULT_BUFFER_SIZE, when st_blksize says nothing

size_t BlockSize(int fd) {
  struct stat info;
  if (fstat(fd, &info) != 0 || info.st_blksize <= 1) return kDefaultBufferSize;
  return static_cast<size_t>(info.st_blksize);
}

}  // namespace

StdoutWriter::StdoutWriter(int fd)
    : fd_(fd),
      discard_(fcntl(fd, F_GETFD) == -1),
      line_buffered_(isatty(fd) == 1),
      buffer_size_(BlockSize(fd)) {}

StdoutWriter::StdoutWriter(const StdoutWriter& other)
    : fd_(other.fd_),
      discard_(other.discard_),
      line_buffered_(other.line_buffered_),
      buffer_size_(other.buffer_size_) {}

int StdoutWriter::Write(std::string_view text) {
  if (discard_) return 0;
  if (pending_.size() + text.size() > kChunkSize) {
    if (int err = HandDownText()) return err;
  }
  pending_ += text;
  bool line_end = line_buffered_ && text.find_first_of("\n\r") != std::string_view::npos;
  if (pending_.size() >= kChunkSize || line_end) {
    if (int err = HandDownText()) return err;
  }
  return line_end ? BufferFlush() : 0;
}

int StdoutWriter::Flush() {
  if (int err = HandDownText()) return err;
  return BufferFlush();
}

int StdoutWriter::HandDownText() {
  std::string text;
  text.swap(pending_);  // handed down even if the write fails: CPython drops it then
  return text.empty() ? 0 : BufferWrite(text);
}

int StdoutWriter::BufferWrite(std::string_view bytes) {
  if (buffer_.size() + bytes.size() <= buffer_size_) {
    buffer_ += bytes;
    return 0;
  }
  if (int err = BufferFlush()) return err;
  // Straight to the fd until what is left fits the buffer: a short write (at the file-size
  // limit, say) leaves the rest in the buffer, where the next flush meets the error.
  while (bytes.size() > buffer_size_) {
    ssize_t n = write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;  // these bytes are lost
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  buffer_ = bytes;
  return 0;
}

int StdoutWriter::BufferFlush() {
  while (!buffer_.empty()) {
    ssize_t n = write(fd_, buffer_.data(), buffer_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;  // what was not written stays for the next flush
    buffer_.erase(0, static_cast<size_t>(n));
  }
  return 0;
}

}  // namespace gilbench::vm
