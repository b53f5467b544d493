// Output files that no reader ever sees half-written: gilvm's --stats and --trace, gilbench's
// --benchmark_out and topology.xml. What writing to PATH means depends on what PATH names now,
// symbolic links followed (the file they lead to is written, the links stay):
//   - a regular file, or nothing yet: the bytes go to a temporary file in the same directory,
//     synced and renamed over PATH once complete. A crash, a signal or a full disk leaves PATH as
//     it was, and every failure removes the temporary;
//   - a character or block device, a FIFO or a socket, or a name of an already open file
//     (/dev/stdout, /dev/fd/N: links through /proc): nothing can be replaced, so it is written in
//     place (/dev/null, /dev/full, a pipe to another program);
//   - a directory: an error, as is a path whose directory does not exist.
#pragma once

#include <string>
#include <string_view>

namespace gilbench::common {

class OutputFile {
 public:
  OutputFile() = default;
  ~OutputFile() { Discard(); }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Decides how `path` is written (above); for a replaced file, creates the temporary (with the
  // permissions the file keeps: an existing file's, else 0666 less the umask). False with a
  // one-line *error ("out/x.json: No such file or directory") when `path` cannot take output.
  bool Open(const std::string& path, std::string* error);

  // Where the bytes go: the temporary, or the path itself when written in place. For a writer
  // that opens the file itself (Google Benchmark's --benchmark_out); that writer must check its
  // own writes, since Commit sees only its own. Empty once committed or discarded.
  const std::string& write_path() const { return write_path_; }
  // True when Open chose to replace a regular file (or make a new one); false when the path is
  // written in place.
  bool replaces() const { return replaces_; }
  // The file the output ends up in: the path, or the file its symbolic links lead to.
  const std::string& final_path() const { return final_path_; }

  // Writes all of `data` after what was written before; false with *error (a full disk...).
  bool Write(std::string_view data, std::string* error);

  // Finishes the output: syncs and closes the file (a failed close is an error too) and renames
  // the temporary over the final path. False with *error; the temporary is removed either way.
  bool Commit(std::string* error);

  // Removes the temporary of an output that will not be committed (a failed or interrupted run);
  // the final path keeps what it held. Idempotent.
  void Discard();

 private:
  // Discards the output and sets *error to "path: <err's text>"; returns false.
  bool Fail(std::string* error, int err);

  std::string path_;  // as given to Open, for messages
  std::string final_path_;
  std::string write_path_;
  int fd_ = -1;             // on write_path_; -1 until opened (in place: at the first Write)
  bool replaces_ = false;   // Open's decision
  bool temporary_ = false;  // write_path_ is a temporary of ours that still exists
};

// Checks, without creating anything, that `path` could take output as OutputFile writes it:
// false with a one-line *error when it names a directory or its directory does not exist. For a
// check at start-up of a file written only at the end (a permission problem shows then).
bool CheckOutputPath(const std::string& path, std::string* error);

// The path of a file called `name` in the directory of `path` ("out/topology.xml" for
// "out/results.json", "topology.xml" for "results.json").
std::string PathBeside(const std::string& path, const std::string& name);

// Open, Write and Commit in one: `text` becomes what `path` holds.
bool WriteOutputFile(const std::string& path, std::string_view text, std::string* error);

}  // namespace gilbench::common
