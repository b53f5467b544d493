// Output files written whole or not at all (output_file.h).
#include "common/output_file.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

namespace gilbench::common {
namespace {

constexpr int kMaxLinks = 40;  // the kernel's own limit on the links one path may follow

bool SetError(std::string* error, const std::string& path, int err) {
  *error = path + ": " + std::strerror(err);
  return false;
}

std::string DirName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Whether `dir` is on procfs, where a name such as /proc/self/fd/1 stands for a file that is
// already open (a terminal, a pipe, the file a shell redirected stdout to), not for a directory
// entry that could be replaced.
bool OnProcfs(const std::string& dir) {
  struct statfs fs {};
  return statfs(dir.c_str(), &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

// What an output path names once its symbolic links are followed.
struct Target {
  std::string path;  // the file itself, which may not exist yet
  bool exists = false;
  bool open_file = false;  // reached through /proc: an open file's name, written in place
  struct stat st {};       // when it exists (the open file's, for a name in /proc)
};

// Follows `path`'s symbolic links one at a time (a relative target is relative to its link's
// directory), so that a link through /proc is seen: realpath would go on to what is behind the
// open descriptor (/dev/stdout -> /proc/self/fd/1 -> the shell's redirection target), and that
// file must be written where it is, not replaced. Errors name `path`, as the user gave it.
bool Resolve(const std::string& path, Target* out, std::string* error) {
  if (path.empty()) return SetError(error, "''", ENOENT);
  if (path.back() == '/') return SetError(error, path, EISDIR);  // it names a directory
  std::string current = path;
  for (int links = 0; links <= kMaxLinks; ++links) {
    out->open_file = out->open_file || OnProcfs(DirName(current));
    if (lstat(current.c_str(), &out->st) != 0) {
      if (errno != ENOENT) return SetError(error, path, errno);
      struct stat dir {};
      if (stat(DirName(current).c_str(), &dir) != 0) return SetError(error, path, errno);
      if (!S_ISDIR(dir.st_mode)) return SetError(error, path, ENOTDIR);
      out->path = current;
      return true;
    }
    out->exists = true;
    out->path = current;
    if (!S_ISLNK(out->st.st_mode)) return true;
    // /proc's links are no text to follow ("pipe:[123]"): the kernel knows the open file.
    if (out->open_file) return stat(current.c_str(), &out->st) == 0 || SetError(error, path, errno);
    std::vector<char> target(static_cast<size_t>(out->st.st_size) + 1);
    const ssize_t size = readlink(current.c_str(), target.data(), target.size());
    if (size <= 0) return SetError(error, path, size < 0 ? errno : ENOENT);
    const std::string next(target.data(), static_cast<size_t>(size));
    current = next.front() == '/' ? next : DirName(current) + "/" + next;
    out->exists = false;
  }
  return SetError(error, path, ELOOP);
}

// Resolves `path` and decides how it is written: *replace, or in place. A directory is an error.
bool Classify(const std::string& path, Target* target, bool* replace, std::string* error) {
  if (!Resolve(path, target, error)) return false;
  if (target->exists && S_ISDIR(target->st.st_mode)) return SetError(error, path, EISDIR);
  *replace = !target->open_file && (!target->exists || S_ISREG(target->st.st_mode));
  return true;
}

// A new, hidden file beside `final_path` (a reader globbing the folder's *.json never picks it
// up half-written), created with `mode` less the umask. Not mkstemp: its files are 0600, and
// setting the umask's mode afterwards would need the umask, which can only be read by changing
// it (racy in a process with threads). O_EXCL makes the name ours; a clash with a leftover of a
// killed process of the same pid tries the next number.
int CreateTemporary(const std::string& final_path, mode_t mode, std::string* name) {
  static std::atomic<unsigned> counter{0};
  const std::string name_of_final = final_path.substr(final_path.find_last_of('/') + 1);
  const std::string prefix =
      PathBeside(final_path, "." + name_of_final + ".tmp-" + std::to_string(getpid()) + "-");
  for (int attempt = 0; attempt < 100; ++attempt) {
    *name = prefix + std::to_string(counter.fetch_add(1));
    const int fd = open(name->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;  // errno is EEXIST
}

}  // namespace

bool OutputFile::Open(const std::string& path, std::string* error) {
  Discard();
  path_ = path;
  write_path_.clear();
  Target target;
  if (!Classify(path, &target, &replaces_, error)) return false;
  final_path_ = target.path;
  if (!replaces_) {
    write_path_ = final_path_;  // opened at the first Write: a FIFO's open waits for a reader
    return true;
  }
  const mode_t mode = target.exists ? target.st.st_mode & 07777 : 0666;
  fd_ = CreateTemporary(final_path_, mode, &write_path_);
  if (fd_ < 0) return Fail(error, errno);
  temporary_ = true;
  // An existing file keeps its permissions exactly, whatever the umask takes away.
  if (target.exists && fchmod(fd_, mode) != 0) return Fail(error, errno);
  return true;
}

bool OutputFile::Write(std::string_view data, std::string* error) {
  if (write_path_.empty()) return SetError(error, path_, EBADF);  // not open, or finished
  if (fd_ < 0) {
    fd_ = open(write_path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd_ < 0) return Fail(error, errno);
  }
  while (!data.empty()) {
    const ssize_t written = write(fd_, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return Fail(error, written < 0 ? errno : EIO);
    data.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

bool OutputFile::Commit(std::string* error) {
  if (write_path_.empty()) return SetError(error, path_, EBADF);  // not open, or finished
  if (fd_ >= 0) {
    // Synced before the rename, so that after a crash the name holds the whole file or the old
    // one, never an empty one. A device or a pipe has nothing to sync.
    if (replaces_ && fsync(fd_) != 0) return Fail(error, errno);
    const int fd = fd_;
    fd_ = -1;
    // Where a full disk shows on some file systems (NFS); EINTR still closed the file.
    if (close(fd) != 0 && errno != EINTR) return Fail(error, errno);
  }
  const bool renamed = !temporary_ || rename(write_path_.c_str(), final_path_.c_str()) == 0;
  if (!renamed) return Fail(error, errno);
  temporary_ = false;  // it is the final file now
  write_path_.clear();
  return true;
}

void OutputFile::Discard() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  if (temporary_) unlink(write_path_.c_str());
  temporary_ = false;
  write_path_.clear();  // nothing more to write or commit
}

bool OutputFile::Fail(std::string* error, int err) {
  Discard();
  return SetError(error, path_, err);
}

bool CheckOutputPath(const std::string& path, std::string* error) {
  Target target;
  bool replace = false;
  return Classify(path, &target, &replace, error);
}

std::string PathBeside(const std::string& path, const std::string& name) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? name : path.substr(0, slash + 1) + name;
}

bool WriteOutputFile(const std::string& path, std::string_view text, std::string* error) {
  OutputFile file;
  return file.Open(path, error) && file.Write(text, error) && file.Commit(error);
}

}  // namespace gilbench::common
