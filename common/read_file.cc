// Whole input files, errors reported (read_file.h).
#include "common/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gilbench::common {

bool ReadFile(const std::string& path, std::string* text, std::string* error) {
  const auto fail = [&](int err) {
    *error = path + ": " + std::strerror(err);
    return false;
  };
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno);
  struct stat st {};
  int err = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
  text->clear();
  char buffer[65536];
  while (err == 0) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0 && errno != EINTR) err = errno;
    if (got > 0) text->append(buffer, static_cast<size_t>(got));
  }
  close(fd);
  return err == 0 || fail(err);
}

}  // namespace gilbench::common
