#include "gil/run_delay.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace gilbench::gil {

RunDelayReader::~RunDelayReader() { Close(); }

void RunDelayReader::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  failed_ = true;
}

std::optional<uint64_t> RunDelayReader::Read() {
  if (fd_ < 0) {
    if (failed_) return std::nullopt;
    const char* off = std::getenv("GILBENCH_NO_PROC_SCHED");
    if (off != nullptr && off[0] != '\0' && std::strcmp(off, "0") != 0) {
      failed_ = true;
      return std::nullopt;
    }
    fd_ = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      failed_ = true;
      return std::nullopt;
    }
  }
  // "on-cpu-ns run-delay-ns timeslices\n": three decimal numbers.
  char text[96];
  const ssize_t n = pread(fd_, text, sizeof(text) - 1, 0);
  if (n <= 0) return std::nullopt;
  text[n] = '\0';
  char* end = nullptr;
  std::strtoull(text, &end, 10);
  if (end == text || *end != ' ') return std::nullopt;
  const char* field2 = end + 1;
  const uint64_t run_delay = std::strtoull(field2, &end, 10);
  if (end == field2) return std::nullopt;
  return run_delay;
}

}  // namespace gilbench::gil
