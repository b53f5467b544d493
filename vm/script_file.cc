// gilvm's script loading (see script_file.h). CPython 3.11 makes the script's path absolute by
// prefixing the working directory (no normalisation: "./x.py" stays "/cwd/./x.py"), and runs a
// directory -- or fails with "can't find '__main__' module" -- through runpy.
#include "vm/script_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>

#include "vm/os_error.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

// `path` as CPython 3.11's run filename: the working directory joined to a relative path.
std::string AbsolutePath(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  std::unique_ptr<char, decltype(&std::free)> cwd(getcwd(nullptr, 0), &std::free);
  if (!cwd) return path;  // CPython keeps the relative path then too
  std::string absolute = cwd.get();
  if (absolute.back() != '/') absolute += '/';
  return absolute + path;
}

// Reads all of `fd` into *out; 0 or the errno of the failed read.
int ReadAll(int fd, std::string* out) {
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return 0;
    out->append(buffer, static_cast<size_t>(n));
  }
}

// What opening a script's path found: an fd to read, a directory, or the errno of a failure.
struct Opened {
  int fd = -1;
  bool directory = false;
  int err = 0;
};

Opened OpenScript(const std::string& path) {
  Opened opened;
  do {
    opened.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (opened.fd < 0 && errno == EINTR);
  struct stat info;
  if (opened.fd < 0 || fstat(opened.fd, &info) != 0) {
    opened.err = errno;
  } else if (S_ISDIR(info.st_mode)) {
    opened.directory = true;
  } else {
    return opened;
  }
  if (opened.fd >= 0) close(opened.fd);
  opened.fd = -1;
  return opened;
}

}  // namespace

bool ReadScript(const std::string& path, ScriptFile* script, std::string* error, int* status) {
  std::string absolute = AbsolutePath(path);
  script->filename = absolute;
  Opened opened = OpenScript(absolute);
  if (opened.directory) {  // a directory runs its __main__.py, as `python3 DIR` does
    script->filename += (absolute.back() == '/' ? "" : "/") + std::string("__main__.py");
    opened = OpenScript(script->filename);
    if (opened.directory || opened.err == ENOENT) {
      *error = "can't find '__main__' module in " + ReprString(absolute);
      *status = 1;
      return false;
    }
  }
  int err = opened.err;
  if (opened.fd >= 0) {
    err = ReadAll(opened.fd, &script->source);
    close(opened.fd);
  }
  if (err != 0) {
    *error = "can't open file '" + script->filename + "': " + OsErrorText(err);
    *status = 2;
    return false;
  }
  return true;
}

}  // namespace gilbench::vm
